"""Break each gradient in gradlab once and show that the tests notice.

    python scripts/mutation_test.py              # every mutation, two at a time
    python scripts/mutation_test.py -k softmax   # those whose name contains "softmax"
    python scripts/mutation_test.py --list       # the mutations, without running anything
    python scripts/mutation_test.py --unit-only --seed 3   # the unit-test stage alone (quick)

For each mutation (flip a sign, drop a transpose, forget 1/N, ...) the script copies the
repository to a temporary folder, applies one exact text replacement there, and runs

1. the unit tests that guard the mutated function (they must fail: pytest exit status 1, not a
   collection error), and
2. the chapter notebook whose final check cell covers the function, every cell, in a fresh
   kernel that imports the mutated gradlab (its final check cell must raise).

Before any mutation it runs the same tests and notebooks on the unmutated copy, which must all
pass, so a "killed" below means the mutation, not a broken tree. It prints one row per mutation
and exits non-zero when any mutation survives either stage. A mutation whose original text does
not occur exactly once in its file is reported as stale (also an error), so this list cannot
silently rot when the source changes.

A final check cell counts as red when it raises (a failed line, or a shape error the check
itself hits), not when it only raises NameError because an earlier cell died. The unit tests run
with a fixed Hypothesis seed (--seed), so the table is the same on every run.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import py_compile
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]

NB1 = "notebooks/01-checking-gradients.ipynb"
NB2 = "notebooks/02-dimension-matching.ipynb"
NB3 = "notebooks/03-jacobian-rules.ipynb"
NB4 = "notebooks/04-indicator-tricks.ipynb"
NB5 = "notebooks/05-svm-softmax.ipynb"
NB6 = "notebooks/06-matrix-backprop.ipynb"

CHECK = "src/gradlab/check.py"
REGRESSION = "src/gradlab/regression.py"
JACOBIANS = "src/gradlab/jacobians.py"
ACTIVATIONS = "src/gradlab/activations.py"
LOSSES = "src/gradlab/losses.py"
MLP = "src/gradlab/mlp.py"
VEC = "src/gradlab/vec.py"

T_CHECK = "tests/test_check.py"
T_REGRESSION = "tests/test_regression.py"
T_JACOBIANS = "tests/test_jacobians.py"
T_ACTIVATIONS = "tests/test_activations.py"
T_LOSSES = "tests/test_losses.py"
T_MLP = "tests/test_mlp.py"
T_VEC = "tests/test_vec.py"


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str  # file, relative to the repository
    old: str  # exact text that occurs once in the file
    new: str
    tests: tuple[str, ...]  # pytest node ids or files that must go red
    notebook: str | None  # chapter notebook whose final check cell must go red


def M(name, path, old, new, tests, notebook):  # noqa: N802  (a row of the table below)
    return Mutation(name, path, old, new, tuple(tests), notebook)


# Every analytic gradient in gradlab, broken at least once, with the classic slips where they
# apply: a flipped sign, a dropped or extra transpose, a forgotten 1/N or 2, sigma' taken at the
# output, a sum along the wrong axis or a mean for a sum, swapped Kronecker factors, order "C"
# for "F", an off-by-one layer. Each row names the unit-test files that guard the function and
# the chapter whose final check cell covers it. A row may name no notebook only when no chapter
# check can involve the function; it must then say why in a comment (none does today).
# Conventions at a kink (ReLU'(0), a hinge margin of exactly 0) are left out on purpose: any
# subgradient is right there, and a numeric check cannot see the choice.
MUTATIONS: list[Mutation] = [
    # ---- gradlab.check: the checker itself (chapter 1) ------------------------------------
    M("check: one-sided step, (f+ - f-) / h", CHECK,
      "return (f_plus - f_minus) / (2 * h)", "return (f_plus - f_minus) / h",
      [T_CHECK], NB1),

    # ---- gradlab.regression (chapter 2) ----------------------------------------------------
    M("regression: forgot 1/N in X^T r / N", REGRESSION,
      "dtheta = X.T @ residual / n", "dtheta = X.T @ residual",
      [T_REGRESSION], NB2),
    M("regression: sign flip, r = y - X theta", REGRESSION,
      "residual = X @ theta - y  # (N,) or (N, K)", "residual = y - X @ theta  # (N,) or (N, K)",
      [T_REGRESSION], NB2),
    M("regression naive: forgot 1/N", REGRESSION,
      "return loss / n, dtheta / n", "return loss / n, dtheta",
      [T_REGRESSION], NB2),
    M("regression naive: sign flip of r_i x_i", REGRESSION,
      "dtheta += np.multiply.outer(x_i, r_i)", "dtheta -= np.multiply.outer(x_i, r_i)",
      [T_REGRESSION], NB2),
    M("regression naive: transposed outer product r_i x_i^T", REGRESSION,
      "dtheta += np.multiply.outer(x_i, r_i)", "dtheta += np.multiply.outer(r_i, x_i)",
      [T_REGRESSION], NB2),

    # ---- gradlab.jacobians (chapter 3) -----------------------------------------------------
    M("jacobians rule 1: d(Wx)/dx = W^T (extra transpose)", JACOBIANS,
      "return W.copy()", "return W.T.copy()",
      [T_JACOBIANS], NB3),
    M("jacobians rule 2: d(xW)/dx = W (dropped transpose)", JACOBIANS,
      "return W.T.copy()", "return W.copy()",
      [T_JACOBIANS], NB3),
    M("jacobians rule 3: dx/dx = all ones, not I", JACOBIANS,
      "return np.eye(x.shape[0], dtype=x.dtype)",
      "return np.ones((x.shape[0], x.shape[0]), dtype=x.dtype)",
      [T_JACOBIANS], NB3),
    M("jacobians rule 4: f'(x) in every column, not diag", JACOBIANS,
      "return np.diag(d)", "return np.outer(d, np.ones_like(d))",
      [T_JACOBIANS], NB3),
    M("jacobians rule 4: f instead of f' for a named activation", JACOBIANS,
      "derivative = ACTIVATIONS[derivative][1]", "derivative = ACTIVATIONS[derivative][0]",
      [T_JACOBIANS], NB3),
    M("jacobians Wx wrt vec(W): Kronecker factors swapped", JACOBIANS,
      'return np.kron(row, eye) if order == "F" else np.kron(eye, row)',
      'return np.kron(eye, row) if order == "F" else np.kron(row, eye)',
      [T_JACOBIANS], NB3),
    M('jacobians Wx wrt W, order="C": the "F" formula', JACOBIANS,
      'return np.kron(row, eye) if order == "F" else np.kron(eye, row)',
      'return np.kron(row, eye) if order == "F" else np.kron(row, eye)',
      [T_JACOBIANS], NB3),
    M("jacobians xW wrt vec(W): Kronecker factors swapped", JACOBIANS,
      'return np.kron(eye, row) if order == "F" else np.kron(row, eye)',
      'return np.kron(row, eye) if order == "F" else np.kron(eye, row)',
      [T_JACOBIANS], NB3),
    M('jacobians xW wrt W, order="C": the "F" formula', JACOBIANS,
      'return np.kron(eye, row) if order == "F" else np.kron(row, eye)',
      'return np.kron(eye, row) if order == "F" else np.kron(eye, row)',
      [T_JACOBIANS], NB3),
    M('jacobians: order "C" and "F" swapped', JACOBIANS,
      "    return order\n", '    return "C" if order == "F" else "F"\n',
      [T_JACOBIANS], NB3),
    M("jacobians rule 5: dJ/dW = x delta^T (transposed)", JACOBIANS,
      "return np.outer(delta, x)", "return np.outer(x, delta)",
      [T_JACOBIANS], NB3),
    M("jacobians rule 6: dJ/dW = delta^T x (transposed)", JACOBIANS,
      "return np.outer(x, delta)", "return np.outer(delta, x)",
      [T_JACOBIANS], NB3),

    # ---- gradlab.activations (chapters 1, 3, 5, 6) -----------------------------------------
    # sigmoid_prime reaches a final check through vec.two_layer_chain (chapter 6's Kronecker
    # route); MLP.backward computes sigma' from the outputs instead (see the mlp rows).
    M("activations sigmoid': taken at the output sigmoid(Z)", ACTIVATIONS,
      "s = sigmoid(Z)", "s = sigmoid(sigmoid(Z))",
      [T_ACTIVATIONS, T_JACOBIANS, T_VEC], NB6),
    M("activations sigmoid': sign flip, s (s - 1)", ACTIVATIONS,
      "return s * (1.0 - s)", "return s * (s - 1.0)",
      [T_ACTIVATIONS, T_JACOBIANS, T_VEC], NB6),
    M("activations tanh': forgot the square, 1 - tanh", ACTIVATIONS,
      "return 1.0 - t * t", "return 1.0 - t",
      [T_ACTIVATIONS, T_JACOBIANS, T_VEC], NB3),
    M("activations tanh': taken at the output tanh(Z)", ACTIVATIONS,
      "t = np.tanh(Z)", "t = np.tanh(np.tanh(Z))",
      [T_ACTIVATIONS, T_JACOBIANS, T_VEC], NB3),
    M("activations relu': slope on the wrong side, 1{Z < 0}", ACTIVATIONS,
      "return (Z > 0).astype(", "return (Z < 0).astype(",
      [T_ACTIVATIONS, T_JACOBIANS, T_VEC], NB1),
    M("activations softmax: normalised down the columns (axis 0)", ACTIVATIONS,
      "return E / E.sum(axis=1, keepdims=True)", "return E / E.sum(axis=0, keepdims=True)",
      [T_ACTIVATIONS, T_LOSSES], NB5),
    M("activations softmax: shifted by the column max (axis 0)", ACTIVATIONS,
      "    shifted = S - S.max(axis=1, keepdims=True)\n    E = np.exp(shifted)",
      "    shifted = S - S.max(axis=0, keepdims=True)\n    E = np.exp(shifted)",
      [T_ACTIVATIONS, T_LOSSES], NB5),
    M("activations log_softmax: log-sum-exp down the columns", ACTIVATIONS,
      "np.log(np.exp(shifted).sum(axis=1, keepdims=True))",
      "np.log(np.exp(shifted).sum(axis=0, keepdims=True))",
      [T_ACTIVATIONS, T_MLP], NB5),

    # ---- gradlab.losses: the SVM (chapters 4 and 5) ----------------------------------------
    M("svm_loss_naive: sign flip on the label's column", LOSSES,
      "ds_j = -sum(q[m] for m in range(K) if m != yi)",
      "ds_j = sum(q[m] for m in range(K) if m != yi)",
      [T_LOSSES], NB4),
    M("svm_loss_naive: forgot 1/N on dW", LOSSES,
      "            dW[:, j] += ds_j * x\n    loss /= N\n    dW /= N\n    return _regularise(loss, dW, W, reg)\n\n\ndef _hinge_rows_inplace",
      "            dW[:, j] += ds_j * x\n    loss /= N\n    return _regularise(loss, dW, W, reg)\n\n\ndef _hinge_rows_inplace",
      [T_LOSSES], NB4),
    M("svm_loss: sign flip on the label's column of dS", LOSSES,
      "S[rows, y] = -np.count_nonzero(active, axis=1)",
      "S[rows, y] = np.count_nonzero(active, axis=1)",
      [T_LOSSES], NB5),
    M("svm_loss: active margins counted down the wrong axis", LOSSES,
      "S[rows, y] = -np.count_nonzero(active, axis=1)",
      "S[rows, y] = -np.count_nonzero(active, axis=0)[y]",
      [T_LOSSES], NB5),
    M("svm_loss: forgot 1/N (N > D branch)", LOSSES,
      "        dW = X.T @ dS\n        dW *= 1.0 / N\n", "        dW = X.T @ dS\n",
      [T_LOSSES], NB5),
    M("svm_loss: forgot 1/N (N <= D branch)", LOSSES,
      "        dS *= 1.0 / N\n        dW = X.T @ dS\n", "        dW = X.T @ dS\n",
      [T_LOSSES], NB5),
    M("svm_loss: dW = dS^T X (transposed)", LOSSES,
      "        dW = X.T @ dS\n        dW *= 1.0 / N\n", "        dW = dS.T @ X\n        dW *= 1.0 / N\n",
      [T_LOSSES], NB5),
    M("L2: forgot the 2 in 2 reg W", LOSSES,
      "dW += (2.0 * reg) * W", "dW += reg * W",
      [T_LOSSES], NB4),
    M("multiclass_hinge: forgot 1/N on dS", LOSSES,
      "    dS *= 1.0 / N\n    return total / N, dS", "    return total / N, dS",
      [T_LOSSES], NB5),

    # ---- gradlab.losses: softmax (chapters 5 and 6) ----------------------------------------
    M("softmax_loss_naive: sign flip, p + onehot", LOSSES,
      "ds_j = p_j - (1 if j == yi else 0)", "ds_j = p_j + (1 if j == yi else 0)",
      [T_LOSSES], NB5),
    M("softmax_loss_naive: forgot 1/N on dW", LOSSES,
      "            dW[:, j] += ds_j * x\n    loss /= N\n    dW /= N\n    return _regularise(loss, dW, W, reg)\n\n\ndef _softmax_rows_inplace",
      "            dW[:, j] += ds_j * x\n    loss /= N\n    return _regularise(loss, dW, W, reg)\n\n\ndef _softmax_rows_inplace",
      [T_LOSSES], NB5),
    M("softmax (shared): one-hot subtracted without the 1/N", LOSSES,
      "S[rows, y] -= scale", "S[rows, y] -= 1.0",
      [T_LOSSES], NB5),
    M("softmax (shared): sign flip, P + Y", LOSSES,
      "S[rows, y] -= scale", "S[rows, y] += scale",
      [T_LOSSES], NB5),
    M("softmax (shared): normaliser summed down the columns", LOSSES,
      "z = S.sum(axis=1)  #", "z = S.sum(axis=0)[y]  #",
      [T_LOSSES], NB5),
    M("softmax_loss: forgot 1/N", LOSSES,
      "total = _softmax_rows_inplace(S, y, 1.0 / N)  # S now holds (P - Y) / N",
      "total = _softmax_rows_inplace(S, y, 1.0)  # S now holds (P - Y) / N",
      [T_LOSSES], NB5),
    M("softmax_loss: dW = dS^T X (dropped transpose)", LOSSES,
      "    dW = X.T @ S\n    return _regularise(total / N, dW, W, reg)",
      "    dW = S.T @ X\n    return _regularise(total / N, dW, W, reg)",
      [T_LOSSES], NB5),
    M("softmax_cross_entropy: forgot 1/N", LOSSES,
      "total = _softmax_rows_inplace(dS, y, 1.0 / N)", "total = _softmax_rows_inplace(dS, y, 1.0)",
      [T_LOSSES, T_MLP], NB5),
    M("softmax_jacobian: sign flip, diag(p) + p p^T", LOSSES,
      "return np.diag(p) - np.outer(p, p)", "return np.diag(p) + np.outer(p, p)",
      [T_LOSSES], NB5),
    M("softmax_jacobian: p^T p (inner) for p p^T (outer)", LOSSES,
      "return np.diag(p) - np.outer(p, p)", "return np.diag(p) - np.dot(p, p)",
      [T_LOSSES], NB5),

    # ---- gradlab.losses: the bias of a linear classifier (chapter 5) -----------------------
    M("linear_classifier_loss: db summed along the wrong axis", LOSSES,
      "db = S.sum(axis=0, keepdims=True)", "db = S.sum(axis=1, keepdims=True)",
      [T_LOSSES], NB5),
    M("linear_classifier_loss: db a mean, not a sum", LOSSES,
      "db = S.sum(axis=0, keepdims=True)", "db = S.mean(axis=0, keepdims=True)",
      [T_LOSSES], NB5),
    M("linear_classifier_loss: bias regularised in db only", LOSSES,
      "db = S.sum(axis=0, keepdims=True)", "db = S.sum(axis=0, keepdims=True) + 2.0 * reg * b",
      [T_LOSSES], NB5),
    M("linear_classifier_loss: SVM forgot 1/N", LOSSES,
      "        total = _hinge_rows_inplace(S, y, delta)\n        S *= 1.0 / N\n",
      "        total = _hinge_rows_inplace(S, y, delta)\n",
      [T_LOSSES], NB5),

    # ---- gradlab.mlp: matrix backprop (chapter 6) ------------------------------------------
    M("mlp: dW = Delta^T A (transposed)", MLP,
      "dWs[l - 1] = A_prev.T @ delta", "dWs[l - 1] = delta.T @ A_prev",
      [T_MLP], NB6),
    M("mlp: dW sign flip", MLP,
      "dWs[l - 1] = A_prev.T @ delta", "dWs[l - 1] = -(A_prev.T @ delta)",
      [T_MLP], NB6),
    M("mlp: db summed along the wrong axis", MLP,
      "dbs[l - 1] = delta.sum(axis=0, keepdims=True)",
      "dbs[l - 1] = delta.sum(axis=1, keepdims=True)",
      [T_MLP], NB6),
    M("mlp: db a mean, not a sum", MLP,
      "dbs[l - 1] = delta.sum(axis=0, keepdims=True)",
      "dbs[l - 1] = delta.mean(axis=0, keepdims=True)",
      [T_MLP], NB6),
    M("mlp: G^{l-1} = Delta W (dropped transpose)", MLP,
      "G = delta @ self.weights[l - 1].T", "G = delta @ self.weights[l - 1]",
      [T_MLP], NB6),
    M("mlp: G^{l-1} through W^{l-1} (off-by-one layer)", MLP,
      "G = delta @ self.weights[l - 1].T", "G = delta @ self.weights[l - 2].T",
      [T_MLP], NB6),
    M("mlp: sigmoid' = A, forgot the (1 - A)", MLP,
      "        G *= A\n        G *= 1 - A\n", "        G *= A\n",
      [T_MLP], NB6),
    M("mlp: sigmoid' applied to the output A", MLP,
      "        G *= A\n        G *= 1 - A\n",
      "        s = 1 / (1 + np.exp(-A))\n        G *= s * (1 - s)\n",
      [T_MLP], NB6),
    M("mlp: tanh' forgot the square, 1 - A", MLP,
      "G *= 1 - A * A", "G *= 1 - A",
      [T_MLP], NB6),
    M("mlp: tanh' applied to the output A", MLP,
      "G *= 1 - A * A", "G *= 1 - np.tanh(A) ** 2",
      [T_MLP], NB6),
    M("mlp: relu' gate always open, 1{A >= 0}", MLP,
      "G *= A > 0", "G *= A >= 0",
      [T_MLP], NB6),
    M("mlp: mse forgot 1/N", MLP,
      "residual /= n  # G^L", "residual /= 1  # G^L",
      [T_MLP], NB6),
    M("mlp: mse sign flip, Y - A^L", MLP,
      "            residual = top - Y\n            loss = 0.5",
      "            residual = Y - top\n            loss = 0.5",
      [T_MLP], NB6),
    M("mlp: sigma' applied to the softmax layer too", MLP,
      "loss, delta = softmax_cross_entropy(top, Y)\n",
      "loss, delta = softmax_cross_entropy(top, Y)\n"
      "            delta = _scale_by_derivative(self.activation, delta, top)\n",
      [T_MLP], NB6),
    M("mlp derivative_from_output: sigmoid'(A) (the note's slip)", MLP,
      "        return A * (1 - A)\n",
      "        return (1 / (1 + np.exp(-A))) * (1 - 1 / (1 + np.exp(-A)))\n",
      [T_MLP], NB6),
    M("mlp derivative_from_output: tanh' forgot the square", MLP,
      "        return 1 - A * A\n", "        return 1 - A\n",
      [T_MLP], NB6),
    M("mlp derivative_from_output: relu' gate always open", MLP,
      "return (A > 0).astype(A.dtype)", "return (A >= 0).astype(A.dtype)",
      [T_MLP], NB6),

    # ---- gradlab.vec: the Kronecker route (chapter 6) --------------------------------------
    M('vec: stacks rows, order="C"', VEC,
      'return A.reshape(-1, order="F")', 'return A.reshape(-1, order="C")',
      [T_VEC], NB6),
    M('unvec: refills rows, order="C"', VEC,
      'return v.reshape(-1).reshape((m, n), order="F")',
      'return v.reshape(-1).reshape((m, n), order="C")',
      [T_VEC], NB6),
    M("vec d(XW)/dW: X kron I_K (factors swapped)", VEC,
      "return np.kron(np.eye(k, dtype=X.dtype), X)", "return np.kron(X, np.eye(k, dtype=X.dtype))",
      [T_VEC], NB6),
    M("vec d(XW)/dX: W kron I_N (dropped transpose)", VEC,
      "return np.kron(W.T, np.eye(n, dtype=W.dtype))", "return np.kron(W, np.eye(n, dtype=W.dtype))",
      [T_VEC], NB6),
    M("vec d(XW)/dX: I_N kron W^T (factors swapped)", VEC,
      "return np.kron(W.T, np.eye(n, dtype=W.dtype))",
      "return np.kron(np.eye(n, dtype=W.dtype), W.T)",
      [T_VEC], NB6),
    M('vec elementwise Jacobian: diagonal in order "C"', VEC,
      "return np.diag(vec(derivative))", "return np.diag(derivative.ravel())",
      [T_VEC], NB6),
    M('vec Hadamard Jacobian: diagonal in order "C"', VEC,
      "return np.diag(vec(B))", "return np.diag(B.ravel())",
      [T_VEC], NB6),
    M("vec bias Jacobian: 1_N kron I_K (factors swapped)", VEC,
      "return np.kron(np.eye(k, dtype=dtype), np.ones((n, 1), dtype=dtype))",
      "return np.kron(np.ones((n, 1), dtype=dtype), np.eye(k, dtype=dtype))",
      [T_VEC], NB6),
    M("vec two_layer_chain: forgot 1/N in dJ/dvec(V)", VEC,
      "np.full((1, n * k), 1.0 / (2 * n), dtype=X.dtype)",
      "np.full((1, n * k), 1.0 / 2, dtype=X.dtype)",
      [T_VEC], NB6),
    M("vec two_layer_chain: forgot the 2 of d(U*U)/dU", VEC,
      '"dV/dU": 2 * jacobian_hadamard(U,', '"dV/dU": jacobian_hadamard(U,',
      [T_VEC], NB6),
    M("vec two_layer_chain: sigma' taken at the output A2", VEC,
      "jacobian_elementwise(act_prime(S2),", "jacobian_elementwise(act_prime(A2),",
      [T_VEC], NB6),
    M("vec two_layer_kron_grads: forgot dA1/dS1 (sigma')", VEC,
      'dV_dS1 = dV_dS2 @ c["dS2/dA1"] @ c["dA1/dS1"]', 'dV_dS1 = dV_dS2 @ c["dS2/dA1"]',
      [T_VEC], NB6),
]


IGNORED = shutil.ignore_patterns(
    ".git", ".venv*", "_build", "_vendor", "node_modules", ".hypothesis", ".pytest_cache",
    "__pycache__", ".ruff_cache", "student", ".jupyter_cache",
)


def copy_repo(dest: pathlib.Path) -> None:
    shutil.copytree(ROOT, dest, ignore=IGNORED, dirs_exist_ok=True)


def environment(tree: pathlib.Path) -> dict:
    return dict(os.environ, PYTHONPATH=str(tree / "src"), JUPYTER_PLATFORM_DIRS="1")


@dataclass
class UnitResult:
    status: str  # "failed" (the tests went red), "passed", or "error" (they could not run)
    detail: str  # the first failing test, or what went wrong


def run_unit_tests(tree: pathlib.Path, tests, env: dict, seed: int) -> UnitResult:
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
           f"--hypothesis-seed={seed}", *tests]
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=900)
    if proc.returncode == 0:
        return UnitResult("passed", "")
    failed = re.findall(r"^FAILED (\S+)", proc.stdout, re.M)
    if proc.returncode == 1 and failed:
        return UnitResult("failed", failed[0])
    tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
    return UnitResult("error", f"pytest exit status {proc.returncode}:\n{tail}")


# Runs inside the temporary tree. The prelude cell (inserted after the set-up cell) records
# which gradlab the kernel imported, so a kernel that silently imports the unmutated package
# cannot make a mutation look harmless.
#
# nbclient imitates a front end for Output widgets: it sends comm messages to the kernel on the
# shell channel while it waits on that channel for the cell's reply. On a busy machine the reply
# then often sits unnoticed until the cell timeout (jupyter/nbclient#312): a widget cell built on
# ipywidgets.interactive stalled a run for the whole 300 s in about half of the runs here. The
# probe turns the imitation off (an empty widget registry): widget outputs are not mirrored into
# the widget, which no chapter check reads.
NOTEBOOK_PROBE = textwrap.dedent(
    """
    import json, pathlib, sys
    sys.path.insert(0, "tests")
    import notebook_tools
    from notebook_tools import cell_error, code_cells, final_cell_error, final_check_text
    from notebook_tools import read, run_notebook

    class QuietClient(notebook_tools.NotebookClient):
        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            self.widget_registry = {}

    notebook_tools.NotebookClient = QuietClient
    tree = pathlib.Path.cwd().resolve()
    prelude = "import gradlab as _g, pathlib as _p; print('GRADLAB-AT', _p.Path(_g.__file__).resolve())"
    nb = run_notebook(read(sys.argv[1]), prelude=prelude, timeout=300)
    cells = code_cells(nb)
    probe_text = "".join(o.get("text", "") for o in cells[1].outputs)
    imported = probe_text.split("GRADLAB-AT", 1)[-1].strip()
    lines = [l for l in final_check_text(nb).splitlines() if l.strip()]
    from datetime import datetime
    def seconds(cell):
        t = cell.metadata.get("execution", {})
        try:
            start = datetime.fromisoformat(t["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(t["shell.execute_reply"].replace("Z", "+00:00"))
        except KeyError:
            return 0.0
        return (end - start).total_seconds()
    slowest = max(range(len(cells)), key=lambda i: seconds(cells[i]))
    print("PROBE-RESULT", json.dumps({
        "gradlab": imported,
        "mutated_tree": pathlib.Path(imported).is_relative_to(tree),
        "final_error": final_cell_error(nb),
        "earlier_errors": [i for i, c in enumerate(cells[:-1]) if cell_error(c)],
        "lines": len(lines),
        "failed_lines": [l.split(": FAIL", 1)[0] for l in lines if ": FAIL (" in l],
        "slowest": [slowest, seconds(cells[slowest])],
    }))
    """
)


@dataclass
class NotebookResult:
    status: str  # "red" (the final check cell raised), "green", or "error"
    detail: str
    slowest: str = ""  # the slowest cell and its time, for --verbose


def run_notebook_check(tree: pathlib.Path, notebook: str, env: dict) -> NotebookResult:
    proc = subprocess.run(
        [sys.executable, "-c", NOTEBOOK_PROBE, notebook],
        cwd=tree, env=env, capture_output=True, text=True, timeout=900,
    )
    found = re.search(r"^PROBE-RESULT (.*)$", proc.stdout, re.M)
    if proc.returncode != 0 or not found:
        return NotebookResult("error", f"the notebook probe failed:\n{proc.stdout}\n{proc.stderr}")
    r = json.loads(found.group(1))
    slowest = f"slowest cell: code cell {r['slowest'][0]}, {r['slowest'][1]:.1f} s"
    if not r["mutated_tree"]:
        return NotebookResult("error", f"the kernel imported gradlab from {r['gradlab']}")
    if r["final_error"] is None:
        return NotebookResult("green", f"{r['lines']} lines PASS", slowest)
    ename = r["final_error"].split(":", 1)[0]
    if r["failed_lines"]:
        detail = f"{len(r['failed_lines'])} of {r['lines']} lines FAIL"
    else:
        detail = f"{ename} raised in the cell"
    if ename == "NameError":
        # The check did not run: an earlier cell died and left a name undefined.
        return NotebookResult("error", f"{detail} (cells {r['earlier_errors']} failed earlier)")
    return NotebookResult("red", detail, slowest)


@dataclass
class Row:
    mutation: Mutation
    unit: UnitResult | None = None
    nb: NotebookResult | None = None
    stale: str = ""
    seconds: float = 0.0

    @property
    def unit_killed(self) -> bool:
        return self.unit is not None and self.unit.status == "failed"

    @property
    def nb_killed(self) -> bool:
        return self.nb is not None and self.nb.status == "red"

    @property
    def ok(self) -> bool:
        return not self.stale and self.unit_killed and (self.nb is None or self.nb_killed)


def run_one(m: Mutation, seed: int, notebooks: bool = True) -> Row:
    start = time.perf_counter()
    row = Row(m)
    with tempfile.TemporaryDirectory(prefix="gradlab-mutant-") as tmp:
        tree = pathlib.Path(tmp)
        copy_repo(tree)
        target = tree / m.path
        source = target.read_text()
        hits = source.count(m.old)
        if hits != 1:
            row.stale = f"the original text occurs {hits} times in {m.path} (expected once)"
            return row
        target.write_text(source.replace(m.old, m.new))
        try:
            py_compile.compile(str(target), doraise=True)
        except py_compile.PyCompileError as err:
            row.stale = f"the mutated file does not compile: {err.msg}"
            return row
        env = environment(tree)
        row.unit = run_unit_tests(tree, m.tests, env, seed)
        if m.notebook and notebooks:
            row.nb = run_notebook_check(tree, m.notebook, env)
    row.seconds = time.perf_counter() - start
    return row


def baseline(chosen: list[Mutation], seed: int, jobs: int, notebooks: bool) -> list[str]:
    """Run every listed test file and notebook on an unmutated copy; return what is red."""
    problems = []
    tests = sorted({t for m in chosen for t in m.tests})
    notebooks = sorted({m.notebook for m in chosen if m.notebook}) if notebooks else []
    with tempfile.TemporaryDirectory(prefix="gradlab-baseline-") as tmp:
        tree = pathlib.Path(tmp)
        copy_repo(tree)
        env = environment(tree)
        unit = run_unit_tests(tree, tuple(tests), env, seed)
        if unit.status != "passed":
            problems.append(f"unit tests on the unmutated tree: {unit.status} {unit.detail}")
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            results = pool.map(lambda nb: run_notebook_check(tree, nb, env), notebooks)
            for nb, result in zip(notebooks, results, strict=True):
                if result.status != "green":
                    problems.append(f"{nb} on the unmutated tree: {result.status} {result.detail}")
    return problems


def describe(row: Row) -> tuple[str, str]:
    if row.stale:
        return "STALE", "STALE"
    unit = {"failed": "killed", "passed": "SURVIVED", "error": "ERROR"}[row.unit.status]
    if row.nb is None:
        return unit, "n/a" if row.mutation.notebook is None else "not run"
    nb = {"red": "killed", "green": "SURVIVED", "error": "ERROR"}[row.nb.status]
    return unit, f"{nb} ({row.nb.detail})" if row.nb.status != "error" else nb


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only mutations whose name contains this text")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="mutations run at once (2)")
    parser.add_argument("--seed", type=int, default=0, help="the Hypothesis seed (0)")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    parser.add_argument("--unit-only", action="store_true",
                        help="run the unit-test stage only (no notebooks)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also print the test that failed first for each mutation")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if args.k in m.name]
    if not chosen:
        print(f"no mutation matches {args.k!r}", file=sys.stderr)
        return 2
    if args.list:
        for i, m in enumerate(chosen, 1):
            hits = (ROOT / m.path).read_text().count(m.old)
            where = m.notebook or "no notebook"
            print(f"{i:3}  {m.name:<66} {m.path:<26} {where}{'' if hits == 1 else f'  STALE ({hits} hits)'}")
        return 0
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1; got {args.jobs}")

    start = time.perf_counter()
    problems = baseline(chosen, args.seed, args.jobs, not args.unit_only)
    if problems:
        print("The unmutated tree is not green, so no mutation result would mean anything:")
        print("\n".join(problems))
        return 1
    what = "unit tests" if args.unit_only else "unit tests and notebooks"
    print(f"unmutated tree: the listed {what} pass ({time.perf_counter() - start:.0f} s)\n")

    width = max(len(m.name) for m in chosen)
    print(f"{'#':>3}  {'mutation':<{width}}  {'unit tests':<10}  final check cell")
    rows = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        runs = pool.map(lambda m: run_one(m, args.seed, not args.unit_only), chosen)
        for i, row in enumerate(runs, 1):
            rows.append(row)
            unit, nb = describe(row)
            print(f"{i:>3}  {row.mutation.name:<{width}}  {unit:<10}  {nb}", flush=True)
            if row.stale:
                print(f"       {row.stale}")
            for result in (row.unit, row.nb):
                if result is not None and result.status == "error":
                    print(textwrap.indent(result.detail, "       "))
            if args.verbose:
                if row.unit_killed:
                    print(f"       first failing test: {row.unit.detail}")
                slowest = f", {row.nb.slowest}" if row.nb is not None and row.nb.slowest else ""
                print(f"       {row.seconds:.1f} s{slowest}")

    n = len(rows)
    killed_unit = sum(r.unit_killed for r in rows)
    with_nb = sum(r.nb is not None for r in rows)
    killed_nb = sum(r.nb_killed for r in rows)
    killed_both = sum(r.ok for r in rows)
    seconds = time.perf_counter() - start
    if args.unit_only:
        print(f"\n{n} mutations: unit tests killed {killed_unit}/{n} (notebooks not run; {seconds:.0f} s)")
    else:
        print(
            f"\n{n} mutations: unit tests killed {killed_unit}/{n}, final check cells killed "
            f"{killed_nb}/{with_nb}, both stages red for {killed_both}/{n} ({seconds:.0f} s)"
        )
    return 0 if killed_both == n else 1


if __name__ == "__main__":
    sys.exit(main())
