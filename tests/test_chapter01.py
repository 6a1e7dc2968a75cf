"""Chapter 1's final check cell passes as committed, and goes red when a derivation is broken.

Each test runs the whole notebook in a fresh kernel (a few seconds each), once as committed
and twice with derivations written in the notebook mutated (``notebook_tools.run_notebook``
with ``replace=``).
"""

from __future__ import annotations

import pytest
from notebook_tools import ROOT, cell_error, code_cells, final_cell_error, read, run_notebook

NOTEBOOK = ROOT / "notebooks" / "01-checking-gradients.ipynb"

pytestmark = pytest.mark.slow

CHECK_NAMES = [
    "d(x^T A x)/dx",
    "softmax dW (tiny W)",
    "ReLU layer dW",
    "hinge dw (no kink in reach)",
    "bias-trick dW (directional)",
    "bias-trick dW (sparse)",
]

# Mistakes a student could make in each derivation the final cell checks.
BREAK_THE_DERIVATIONS = {
    # the dimension-matching answer instead of (A + A^T) x
    "    return (A + A.T) @ x": "    return 2 * A @ x",
    # forgot the 1/N of the batch mean (also breaks the regularised softmax built on it)
    "    return X.T @ P / N": "    return X.T @ P",
    # dropped the ReLU mask
    "    return X.T @ (C * relu_prime(X @ W)) / X.shape[0]": "    return X.T @ C / X.shape[0]",
    # lost the minus sign of the hinge gradient
    "    return -X.T @ (t * active) / X.shape[0]": "    return X.T @ (t * active) / X.shape[0]",
}

# Wrong answers to the exercises: each exercise-check cell must raise and say why.
BREAK_THE_SOLUTIONS = {
    "(f(x) - f_at_x) / h": "(f(x) - f_at_x) / (2 * h)",
    "if not gradient_check(least_squares_loss": "if gradient_check(least_squares_loss",
    "return X.T @ (sigmoid(X @ w) - y) / X.shape[0]": "return X.T @ (sigmoid(X @ w) - y)",
    "(3 * eps * f_scale / third_derivative_scale) ** (1 / 3)": (
        "(eps * f_scale / third_derivative_scale) ** (1 / 2)"
    ),
}

EXERCISE_MESSAGES = {
    "ex-01-forward-difference": "AssertionError: at h = 1e-4 the error should be about 1e-4",
    "ex-01-which-is-wrong": "these candidates are wrong but not in your list",
    "ex-01-logistic": "GradientCheckError: gradient check of logistic dw (3,): FAIL",
    "ex-01-choose-h": "set dE/dh = 0",
}


def check_lines(nb) -> dict[str, str]:
    """The final cell's printed lines, keyed by the name of the checked gradient."""
    last = code_cells(nb)[-1]
    text = "".join(o.get("text", "") for o in last.outputs if o.get("output_type") == "stream")
    lines = {}
    for line in text.splitlines():
        name, _, verdict = line.partition(": ")
        lines[name] = verdict
    return lines


def exercise_check_errors(nb) -> dict[str, str | None]:
    return {
        c.metadata["gradlab"]["exercise"]: cell_error(c)
        for c in code_cells(nb)
        if "exercise-check" in c.metadata.get("tags", [])
    }


@pytest.fixture(scope="module")
def committed():
    return read(NOTEBOOK)


def test_as_committed_every_check_passes_and_prints_the_committed_lines(committed):
    nb = run_notebook(committed)
    errors = [(i, cell_error(c)) for i, c in enumerate(code_cells(nb)) if cell_error(c)]
    assert not errors, f"cells raised: {errors}"
    lines = check_lines(nb)
    assert list(lines) == CHECK_NAMES
    assert all(v.startswith("PASS") for v in lines.values()), lines
    assert lines == check_lines(committed), "the committed check output is stale: refresh it"
    assert all(e is None for e in exercise_check_errors(nb).values())


def test_broken_derivations_turn_every_line_red(committed):
    nb = run_notebook(committed, replace=BREAK_THE_DERIVATIONS | BREAK_THE_SOLUTIONS)
    error = final_cell_error(nb)
    assert error is not None and error.startswith("GradientCheckError"), error
    lines = check_lines(nb)
    assert list(lines) == CHECK_NAMES
    failed = [name for name, verdict in lines.items() if not verdict.startswith("FAIL")]
    assert not failed, f"still PASS with a broken derivation: {failed}"
    # The exercise checks go red too, each with a message that says what is wrong.
    for label, message in exercise_check_errors(nb).items():
        assert message is not None, f"{label}: a wrong answer passed its check"
        assert EXERCISE_MESSAGES[label] in message, (label, message)


def test_regularising_the_bias_row_is_caught_by_the_directional_line(committed):
    # A bug in 10 of 5000 entries: the directional check sees every entry at once.
    nb = run_notebook(committed, replace={"grad[:-1] += 2 * reg * W[:-1]": "grad += 2 * reg * W"})
    assert final_cell_error(nb) is not None
    lines = check_lines(nb)
    assert lines["bias-trick dW (directional)"].startswith("FAIL")
    for name in CHECK_NAMES[:4]:
        assert lines[name].startswith("PASS"), (name, lines[name])
