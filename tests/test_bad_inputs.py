"""Every bad input to gradlab's public API gets a clear error: one table, every module.

Each row of ``CASES`` is ``(id, callable, args, error, words)``: calling ``callable(*args)``
must raise exactly ``error`` (a ``ShapeError`` where a ``ShapeError`` is expected, a plain
``ValueError`` where a ``ValueError`` is), and the message must contain every string of
``words``: the argument's name, what was expected, and what was given. Keyword arguments go
in through ``functools.partial``.

The rows marked "broadcast" are inputs NumPy would accept without a word and turn into a
silently wrong result (a bias, a target or a gradient of a broadcastable shape);
``test_numpy_alone_would_broadcast_them`` proves that NumPy would, so the refusal matters.
"""

from __future__ import annotations

from functools import partial

import matplotlib
import numpy as np
import pytest

import gradlab.activations as activations
import gradlab.check as check
import gradlab.datasets as datasets
import gradlab.jacobians as jacobians
import gradlab.losses as losses
import gradlab.mlp as mlp
import gradlab.plots as plots
import gradlab.regression as regression
import gradlab.shapes as shapes
import gradlab.vec as vec
import gradlab.widgets as widgets
from gradlab.shapes import ShapeError

matplotlib.use("Agg")

# ---- small, fixed arrays every row uses (no row modifies them: validation comes first) ----
N, D, K = 5, 3, 4
_rng = np.random.default_rng(0)
X = _rng.standard_normal((N, D))
W = _rng.standard_normal((D, K))
y = np.array([0, 1, 2, 3, 0])
b = np.zeros((1, K))
S = X @ W
theta = _rng.standard_normal(D)
t = _rng.standard_normal(N)  # regression targets
x2 = np.array([0.5, -1.0])
M23 = _rng.standard_normal((2, 3))
Y_mse = _rng.standard_normal((N, 2))  # targets of MLP([D, 4, 2])


def square_sum(v):
    return float(np.sum(v * v))


def with_nan(a, index=(0, 0)):
    a = a.copy()
    a[index] = np.nan
    return a


def net(loss="mse", **replace):
    """A fresh MLP([3, 4, 2]) whose parameters ``replace`` overwrites, e.g. biases=..."""
    n = mlp.MLP([D, 4, 2], activation="tanh", loss=loss, seed=0)
    for attr, (index, value) in replace.items():
        getattr(n, attr)[index] = value
    return n


def linear_model(W_, b_):
    return losses.LinearClassifier(W_, b_, np.zeros(1))


def row_gradient(net_, X_, Y_):
    """A grad_fn whose weight gradients are (1, n) rows: NumPy would broadcast them into W."""
    return (
        1.0,
        [np.ones((1, w.shape[1])) for w in net_.weights],
        [np.ones_like(c) for c in net_.biases],
    )


# ---- the table ---------------------------------------------------------------------------

CASES = [
    # -- gradlab.check --------------------------------------------------------------------
    ("check: f not callable", check.numerical_gradient, (3.0, x2), TypeError,
     ["f must be a callable", "float"]),
    ("check: x float32", check.numerical_gradient, (square_sum, x2.astype(np.float32)), TypeError,
     ["x must be a float64 array", "float32", "x.astype(np.float64)"]),
    ("check: x int", check.numerical_gradient, (square_sum, np.array([1, 2])), TypeError,
     ["x must be a float64 array", "int64"]),
    ("check: x a list", check.numerical_gradient, (square_sum, [1.0, 2.0]), TypeError,
     ["x must be a NumPy array", "list"]),
    ("check: x object", check.numerical_gradient, (square_sum, np.array([1.0, None])), TypeError,
     ["x must be a float64 array", "object"]),
    ("check: x NaN", check.numerical_gradient, (square_sum, np.array([1.0, np.nan])), ValueError,
     ["x must be finite", "NaN", "index (1,)"]),
    ("check: h zero", partial(check.numerical_gradient, h=0), (square_sum, x2), ValueError,
     ["h must be a finite number > 0", "got 0.0"]),
    ("check: h negative", partial(check.numerical_gradient, h=-1e-5), (square_sum, x2),
     ValueError, ["h must be a finite number > 0", "-1e-05"]),
    ("check: h a string", partial(check.numerical_gradient, h="1e-5"), (square_sum, x2),
     TypeError, ["h must be a positive real number", "str"]),
    ("check: f returns a vector", check.numerical_gradient, (lambda v: 2 * v, x2), ValueError,
     ["f must return a scalar", "shape (2,)", "numerical_jacobian"]),
    ("check: jacobian order", partial(check.numerical_jacobian, order="f"), (np.sin, x2),
     ValueError, ["order must be", "'f'"]),
    ("check: grad broadcast (1, n) for (n,)", check.gradient_check,
     (square_sum, x2, np.ones((1, 2))), ShapeError,
     ["grad must have shape (2,)", "got (1, 2)", "2 dimensions, expected 1"]),
    ("check: grad transposed", check.gradient_check, (square_sum, M23, M23.T.copy()), ShapeError,
     ["grad must have shape (2, 3)", "got (3, 2)", "transpose"]),
    ("check: grad bool", check.gradient_check, (square_sum, x2, np.array([True, False])),
     TypeError, ["grad must be a floating-point array", "bool"]),
    ("check: mode typo", partial(check.gradient_check, mode="Full"), (square_sum, x2, 2 * x2),
     ValueError, ["mode must be one of", "'full'", "got 'Full'"]),
    ("check: seed a string", partial(check.gradient_check, seed="0"), (square_sum, x2, 2 * x2),
     TypeError, ["seed must be a non-negative integer", "str"]),
    ("check: tol negative", partial(check.gradient_check, tol=-1), (square_sum, x2, 2 * x2),
     ValueError, ["tol must be a finite number > 0", "-1.0"]),
    ("check: k zero", partial(check.gradient_check, mode="sparse", k=0), (square_sum, x2, 2 * x2),
     ValueError, ["k must be a positive integer", "got 0"]),
    ("check: rel_error shapes", check.rel_error, (M23, M23.T), ShapeError,
     ["a and b must have the same shape", "(2, 3)", "(3, 2)"]),
    ("check: rel_error NaN", check.rel_error, (np.array([np.nan]), np.array([1.0])), ValueError,
     ["a must be finite", "NaN"]),
    ("check: rel_error strings", check.rel_error, (np.array(["1"]), np.array([1.0])), TypeError,
     ["a must hold real numbers", "<U1"]),
    ("check: no results", check.assert_all_passed, ([],), ValueError,
     ["results must hold at least one", "got none"]),
    ("check: results not a list", check.assert_all_passed, (3,), TypeError,
     ["results must be a list of GradientCheckResult", "int"]),
    # -- gradlab.shapes -------------------------------------------------------------------
    ("shapes: inner dimensions", shapes.matmul_shape, ("X", (5, 3), "G", (5, 2)), ShapeError,
     ["X @ G: inner dimensions disagree", "X is (5, 3)", "Products that fit: X.T @ G -> (3, 2)"]),
    ("shapes: 1-D operand", shapes.matmul_shape, ("x", (3,), "A", (3, 3)), ShapeError,
     ["x must be a matrix (2-D)", "got shape (3,)", "column (3, 1)"]),
    ("shapes: shape not a tuple", shapes.matmul_shape, ("A", 3, "B", (3, 2)), TypeError,
     ["a_shape must be a shape", "int 3"]),
    ("shapes: name not a string", shapes.matmul_shape, (1, (2, 3), "B", (3, 2)), TypeError,
     ["a_name must be a string", "int"]),
    ("shapes: column times row broadcast", shapes.elementwise_shape, ("u", (3, 1), "v", (1, 3)),
     ShapeError, ["never broadcasts", "u is (3, 1)", "v is (1, 3)"]),
    ("shapes: factor 1-D", shapes.matching_arrangements, (("D", "K"), {"X": (3,)}), ShapeError,
     ["the shape of factor X must be a 2-D shape", "(3,)"]),
    ("shapes: target dimension 0", shapes.matching_arrangements, ((0, 2), {"X": (3, 2)}),
     ValueError, ["target must hold positive integers or symbols", "got 0"]),
    ("shapes: unknown name", shapes.evaluate_expression, ("X @ G", {"X": X}), ValueError,
     ["uses 'G'", "which arrays does not hold", "it holds: X"]),
    ("shapes: .T of a vector", shapes.evaluate_expression, ("x.T", {"x": np.ones(3)}),
     ShapeError, ["x.T: x is 1-D with shape (3,)", "column (3, 1)"]),
    ("shapes: arrays a list", shapes.evaluate_expression, ("X", [X]), TypeError,
     ["arrays must be a dict", "list"]),
    ("shapes: one candidate string", shapes.rank_candidates,
     ("X.T @ G", {}, square_sum, np.ones((2, 2))), TypeError,
     ["candidates must be a list of expressions", "str 'X.T @ G'"]),
    ("shapes: param float32", shapes.rank_candidates,
     (["x"], {"x": x2}, square_sum, x2.astype(np.float32)), TypeError,
     ["param must be a float64 array", "float32"]),
    # -- gradlab.regression ---------------------------------------------------------------
    ("regression: y a column (broadcast)", regression.linear_regression_loss,
     (theta, X, t[:, None]), ShapeError,
     ["y must have the shape of X @ theta, (5,)", "got (5, 1)", "would broadcast to (5, 5)"]),
    ("regression: theta rows", regression.linear_regression_loss, (np.ones(D + 1), X, t),
     ShapeError, ["theta must have one row per column of X", "needs 3 rows", "(4,)"]),
    ("regression: X 1-D", regression.linear_regression_loss, (theta, X[0], t), ShapeError,
     ["X must be a 2-D array", "got 1-D", "reshape it to (1, n) or (n, 1)"]),
    ("regression: X int", regression.linear_regression_loss, (theta, X.astype(int), t),
     TypeError, ["X must be a floating-point array", "int64"]),
    ("regression: X object", regression.linear_regression_loss_naive,
     (theta, X.astype(object), t), TypeError, ["X must be a floating-point array", "object"]),
    ("regression: empty batch", regression.linear_regression_loss, (theta, X[:0], t[:0]),
     ValueError, ["X must hold at least one of its rows", "(0, 3)"]),
    ("regression: y inf", regression.linear_regression_loss_naive,
     (theta, X, np.full(N, np.inf)), ValueError, ["y must be finite", "inf"]),
    ("regression: y a list", regression.linear_regression_loss, (theta, X, list(t)), TypeError,
     ["y must be a NumPy array", "list"]),
    # -- gradlab.jacobians ----------------------------------------------------------------
    ("jacobians: W transposed", jacobians.jacobian_Wx_wrt_x, (M23.T.copy(), np.ones(3)),
     ShapeError, ["x must have length 2", "got length 3", "is W transposed"]),
    ("jacobians: x a column", jacobians.jacobian_xW_wrt_x, (np.ones((2, 1)), M23), ShapeError,
     ["x must be a 1-D vector", "(2, 1)", "x.ravel()"]),
    ("jacobians: delta a list", jacobians.grad_W_for_Wx, ([1.0, 2.0], np.ones(3)), TypeError,
     ["delta must be a NumPy array", "list"]),
    ("jacobians: activation case", jacobians.jacobian_elementwise, (x2, "Sigmoid"), ValueError,
     ["derivative must be a callable or one of", "got 'Sigmoid'", "did you mean 'sigmoid'"]),
    ("jacobians: derivative an int", jacobians.jacobian_elementwise, (x2, 3), TypeError,
     ["derivative must be a callable", "int"]),
    ("jacobians: derivative's shape", jacobians.jacobian_elementwise, (x2, lambda v: v[:1]),
     ShapeError, ["derivative(x) must have x's shape (2,)", "got (1,)"]),
    ("jacobians: order", partial(jacobians.jacobian_Wx_wrt_W, order="K"), (M23, np.ones(3)),
     ValueError, ['order must be "F"', "got 'K'"]),
    ("jacobians: empty vector", jacobians.jacobian_identity, (np.zeros(0),), ValueError,
     ["x must hold at least one of its entries", "(0,)"]),
    ("jacobians: W NaN", jacobians.jacobian_Wx_wrt_x, (with_nan(M23), np.ones(3)), ValueError,
     ["W must be finite", "index (0, 0)"]),
    ("jacobians: W int", jacobians.jacobian_xW_wrt_W, (np.ones(2), np.ones((2, 3), int)),
     TypeError, ["W must be a floating-point array", "int64"]),
    # -- gradlab.activations --------------------------------------------------------------
    ("activations: object", activations.sigmoid, (np.array([1.0, None]),), TypeError,
     ["Z must hold real numbers", "object"]),
    ("activations: bool", activations.relu, (np.array([True, False]),), TypeError,
     ["Z must hold real numbers", "bool"]),
    ("activations: complex", activations.relu_prime, (np.array([1j]),), TypeError,
     ["Z must hold real numbers", "complex128"]),
    ("activations: NaN", activations.tanh_prime, (np.array([0.0, np.nan]),), ValueError,
     ["Z must be finite", "index (1,)"]),
    ("activations: inf", activations.sigmoid_prime, (np.array([np.inf]),), ValueError,
     ["Z must be finite", "inf"]),
    ("activations: softmax 1-D", activations.softmax, (np.ones(3),), ShapeError,
     ["S must be a 2-D array", "got 1-D", "reshape it to (1, n)"]),
    ("activations: softmax int", activations.softmax, (np.ones((2, 3), int),), TypeError,
     ["S must be a floating-point array", "int64"]),
    ("activations: no classes", activations.log_softmax, (np.ones((2, 0)),), ValueError,
     ["S must hold at least one of its columns", "(2, 0)"]),
    ("activations: softmax NaN", activations.softmax, (with_nan(S),), ValueError,
     ["S must be finite", "index (0, 0)"]),
    # -- gradlab.losses -------------------------------------------------------------------
    ("losses: W transposed", losses.svm_loss, (W.T.copy(), X, y), ShapeError,
     ["W must have one row per feature of X", "must be (3, K)", "did you forget a .T?"]),
    ("losses: X 1-D", losses.softmax_loss, (W, X[0], y), ShapeError,
     ["X must be a 2-D array", "got 1-D"]),
    ("losses: y float", losses.svm_loss_naive, (W, X, y.astype(float)), ValueError,
     ["y must hold integer class labels", "float64", "y.astype(int)"]),
    ("losses: label out of range", losses.softmax_loss_naive, (W, X, np.array([0, 1, 4, 2, 0])),
     ValueError, ["y must hold labels in [0, 4)", "got 4"]),
    ("losses: negative label", losses.svm_loss, (W, X, np.array([0, -1, 2, 3, 0])), ValueError,
     ["y must hold labels in [0, 4)", "got -1"]),
    ("losses: y a column", losses.svm_loss, (W, X, y[:, None]), ShapeError,
     ["y must be a 1-D array of 5 labels", "(5, 1)"]),
    ("losses: N of y", losses.softmax_loss, (W, X, y[:4]), ShapeError,
     ["one label per row of X", "expected 5 labels, got 4"]),
    ("losses: y bool", losses.svm_loss, (W, X, y > 0), ValueError,
     ["y must hold integer class labels", "bool"]),
    ("losses: y 0-d", losses.softmax_loss, (W, X, np.array(1)), ShapeError,
     ["y must be a 1-D array of 5 labels", "got shape ()"]),
    ("losses: reg negative", partial(losses.svm_loss, reg=-0.1), (W, X, y), ValueError,
     ["reg must be a finite number >= 0", "-0.1"]),
    ("losses: reg NaN", partial(losses.softmax_loss, reg=np.nan), (W, X, y), ValueError,
     ["reg must be a finite number >= 0", "nan"]),
    ("losses: reg a string", partial(losses.softmax_loss, reg="0.1"), (W, X, y), TypeError,
     ["reg must be a real number >= 0", "str"]),
    ("losses: mixed dtypes", losses.svm_loss, (W, X.astype(np.float32), y), TypeError,
     ["W and X must have the same dtype", "float64", "float32"]),
    ("losses: empty batch", losses.softmax_loss, (W, X[:0], y[:0]), ValueError,
     ["X must hold at least one of its rows", "empty batch"]),
    ("losses: X object", losses.svm_loss, (W, X.astype(object), y), TypeError,
     ["X must be a floating-point array", "object"]),
    ("losses: X inf", losses.softmax_loss, (W, np.where(X > 1, np.inf, X), y), ValueError,
     ["X must be finite", "inf"]),
    ("losses: margin negative", partial(losses.multiclass_hinge, delta=-1.0), (S, y),
     ValueError, ["delta must be a finite number >= 0 (the margin)", "-1.0"]),
    ("losses: scores inf", losses.softmax_cross_entropy, (np.where(S > 0, np.inf, S), y),
     ValueError, ["S must be finite", "inf"]),
    ("losses: bias (K,) (broadcast)", losses.linear_classifier_loss, (W, np.zeros(K), X, y),
     ShapeError, ["b must have shape (1, 4)", "got (4,)"]),
    ("losses: loss name case", partial(losses.linear_classifier_loss, loss="Softmax"),
     (W, b, X, y), ValueError,
     ["loss must be one of 'svm', 'softmax'", "got 'Softmax'", "did you mean 'softmax'"]),
    ("losses: loss name typo", partial(losses.linear_classifier_loss, loss="softmx"),
     (W, b, X, y), ValueError, ["loss must be one of", "did you mean 'softmax'"]),
    ("losses: not a probability", losses.softmax_jacobian, (np.array([0.5, 0.6]),), ValueError,
     ["p must be a probability vector", "summing to 1.1"]),
    ("losses: steps a float", partial(losses.train_linear_classifier, steps=2.5), (X, y),
     TypeError, ["steps must be a positive integer", "float 2.5"]),
    ("losses: seed None", partial(losses.train_linear_classifier, seed=None), (X, y), TypeError,
     ["seed must be a non-negative integer", "NoneType"]),
    ("losses: model bias a column (broadcast)", linear_model(W, np.zeros((K, 1))).scores, (X,),
     ShapeError, ["b must have shape (1, 4)", "got (4, 1)"]),
    # -- gradlab.datasets -----------------------------------------------------------------
    ("datasets: n zero", datasets.blobs, (0,), ValueError, ["n must be an integer >= 1", "got 0"]),
    ("datasets: n a float", datasets.spirals, (2.5,), TypeError,
     ["n must be an integer >= 1", "float 2.5"]),
    ("datasets: k zero", partial(datasets.blobs, k=0), (), ValueError,
     ["k must be an integer >= 1", "got 0"]),
    ("datasets: seed negative", partial(datasets.xor, seed=-1), (), ValueError,
     ["seed must be a non-negative integer", "got -1"]),
    ("datasets: seed a string", partial(datasets.xor, seed="0"), (), TypeError,
     ["seed must be a non-negative integer", "str"]),
    ("datasets: noise NaN", partial(datasets.spirals, noise=float("nan")), (), ValueError,
     ["noise must be a finite number >= 0", "nan"]),
    ("datasets: std negative", partial(datasets.blobs, std=-1.0), (), ValueError,
     ["std must be a finite number >= 0", "-1.0"]),
    # -- gradlab.mlp ----------------------------------------------------------------------
    ("mlp: sizes a string", mlp.MLP, ("3,4",), TypeError,
     ["sizes must be a list of layer widths", "str"]),
    ("mlp: a width of 0", mlp.MLP, ([3, 0],), ValueError,
     ["sizes[1] must be a positive integer", "got 0"]),
    ("mlp: a float width", mlp.MLP, ([3, 2.5],), TypeError,
     ["sizes[1] must be a positive integer", "float 2.5"]),
    ("mlp: activation case", partial(mlp.MLP, activation="Sigmoid"), ([2, 2],), ValueError,
     ["activation must be one of 'sigmoid', 'tanh', 'relu'", "got 'Sigmoid'",
      "did you mean 'sigmoid'"]),
    ("mlp: activation None", partial(mlp.MLP, activation=None), ([2, 2],), TypeError,
     ["activation must be one of", "(a string)", "NoneType"]),
    ("mlp: loss typo", partial(mlp.MLP, loss="softmx"), ([2, 2],), ValueError,
     ["loss must be one of 'mse', 'softmax'", "did you mean 'softmax'"]),
    ("mlp: seed negative", partial(mlp.MLP, seed=-1), ([2, 2],), ValueError,
     ["seed must be a non-negative integer", "got -1"]),
    ("mlp: seed a float", partial(mlp.MLP, seed=1.5), ([2, 2],), TypeError,
     ["seed must be a non-negative integer", "float 1.5"]),
    ("mlp: dtype int", partial(mlp.MLP, dtype=np.int64), ([2, 2],), TypeError,
     ["dtype must be np.float64 or np.float32", "int64"]),
    ("mlp: X int", net().loss_and_grads, (X.astype(int), Y_mse), TypeError,
     ["X must be a floating-point array", "int64"]),
    ("mlp: X columns", net().loss_and_grads, (X[:, :2], Y_mse), ShapeError,
     ["X must have shape (any, 3)", "dimension 1 is 2, expected 3"]),
    ("mlp: X float32", net().forward, (X.astype(np.float32),), TypeError,
     ["X must have the network's dtype float64", "float32"]),
    ("mlp: Y 1-D for mse", net().loss_and_grads, (X, Y_mse[:, 0]), ShapeError,
     ["Y must be a 2-D array", "got 1-D"]),
    ("mlp: Y rows", net().loss_and_grads, (X, Y_mse[:4]), ShapeError,
     ["Y must have shape (5, 2)", "dimension 0 is 4, expected 5"]),
    ("mlp: labels a column", net("softmax").loss_and_grads, (X, y[:, None] % 2), ShapeError,
     ["Y must be a 1-D array of 5 labels", "(5, 1)"]),
    ("mlp: one-hot labels", net("softmax").loss_and_grads, (X, np.eye(2)[y % 2]), ValueError,
     ["Y must hold integer class labels", "One-hot rows? Use Y.argmax(axis=1)"]),
    ("mlp: label out of range", net("softmax").loss_and_grads, (X, y), ValueError,
     ["Y must hold labels in [0, 2)", "got 2"]),
    ("mlp: bias (n,) (broadcast)", net(biases=(0, np.zeros(4))).forward, (X,), ShapeError,
     ["biases[0] must have shape (1, 4)", "got (4,)"]),
    ("mlp: weight transposed", net(weights=(0, np.zeros((4, 3)))).forward, (X,), ShapeError,
     ["weights[0] must have shape (3, 4)", "W^1 is n_0 x n_1", "transpose"]),
    ("mlp: weight NaN", net(weights=(1, np.full((4, 2), np.nan))).forward, (X,), ValueError,
     ["weights[1] must be finite", "NaN"]),
    ("mlp: lr zero", partial(mlp.train, lr=0.0), (net(), X, Y_mse), ValueError,
     ["lr must be a finite number > 0", "0.0"]),
    ("mlp: batch too big", partial(mlp.train, batch_size=6), (net(), X, Y_mse), ValueError,
     ["batch_size must be at most the number of rows of X (5)", "got 6"]),
    ("mlp: grad_fn rows (broadcast)", partial(mlp.train, steps=1, grad_fn=row_gradient),
     (net(), X, Y_mse), ShapeError,
     ["grad_fn's dWs[0] must have the shape of its parameter (3, 4)", "got (1, 4)",
      "broadcast"]),
    ("mlp: derivative_from_output list", mlp.derivative_from_output, ("tanh", [0.5]), TypeError,
     ["A must be a NumPy array", "list"]),
    # -- gradlab.vec ----------------------------------------------------------------------
    ("vec: a vector", vec.vec, (np.ones(3),), ShapeError,
     ["A must be a 2-D array (vec takes a matrix)", "1-D"]),
    ("vec: object", vec.vec, (np.array([[None]]),), TypeError, ["A must hold numbers", "object"]),
    ("vec: unvec size", vec.unvec, (np.zeros(5), (2, 3)), ShapeError,
     ["v must hold m * n = 2 * 3 = 6 entries", "got 5"]),
    ("vec: unvec shape a list", vec.unvec, (np.zeros(6), [2, 3]), TypeError,
     ["shape must be a tuple of two integers", "[2, 3]"]),
    ("vec: n_cols a float", vec.jacobian_xw_wrt_w, (X, 2.0), TypeError,
     ["n_cols must be a positive integer", "float 2.0"]),
    ("vec: bias dtype", partial(vec.jacobian_bias, dtype=int), (2, 2), TypeError,
     ["dtype must be a floating-point dtype", "int"]),
    ("vec: b1 1-D (broadcast)", vec.two_layer_kron_grads,
     (X, np.ones((N, 1)), np.ones((D, 2)), np.ones(2), np.ones((2, 1)), np.ones((1, 1))),
     ShapeError, ["b1 must be a 2-D array", "(2,)", "reshape it to (1, n)"]),
    ("vec: activation case", partial(vec.two_layer_chain, activation="ReLU"),
     (X, np.ones((N, 1)), np.ones((D, 2)), np.ones((1, 2)), np.ones((2, 1)), np.ones((1, 1))),
     ValueError, ["activation must be one of", "did you mean 'relu'"]),
    ("vec: max_bytes", partial(vec.jacobian_hadamard, max_bytes=-1), (M23,), ValueError,
     ["max_bytes must be a finite number > 0", "-1.0"]),
    ("vec: too big to build", partial(vec.jacobian_xw_wrt_w, max_bytes=100), (X, K), ValueError,
     ["would be a dense 20 x 12 float64 matrix of 1,920 bytes", "above max_bytes = 100"]),
    # -- gradlab.plots --------------------------------------------------------------------
    ("plots: dtype float16", partial(plots.difference_errors, dtype="float16"),
     (np.exp, np.exp, 1.0), TypeError, ['dtype must be "float64" or "float32"', "'float16'"]),
    ("plots: steps 2-D", partial(plots.difference_errors, steps=[[1e-3]]), (np.exp, np.exp, 1.0),
     ShapeError, ["steps must be a non-empty 1-D array", "(1, 1)"]),
    ("plots: f not callable", plots.difference_errors, (1.0, np.exp, 1.0), TypeError,
     ["f must be a callable", "float"]),
    ("plots: slope lengths", plots.loglog_slope, ([1e-3, 1e-2], [1.0], 1e-3, 1e-2), ShapeError,
     ["steps and errors must be 1-D arrays of the same length", "(2,)", "(1,)"]),
    ("plots: N zero", partial(plots.trick_report, N=0), (), ValueError,
     ["N must be a positive integer", "got 0"]),
    ("plots: problem case", plots.trick_report, ("layer-DW",), ValueError,
     ["problem must be one of", "did you mean 'layer-dW'"]),
    ("plots: m a float", plots.jacobian_sparsity, (2.0, 3), TypeError,
     ["m must be a positive integer", "float 2.0"]),
    ("plots: kink h a string", partial(plots.kink_derivatives, h="0.1"), ([0.0],), TypeError,
     ["h must be a positive real number", "str"]),
    ("plots: kink x NaN", plots.kink_derivatives, ([0.0, np.nan],), ValueError,
     ["x must be finite", "index (1,)"]),
    ("plots: grid X columns", plots.decision_grid, (linear_model(W[:2], b), X), ShapeError,
     ["X must have shape (any, 2)", "dimension 1 is 3, expected 2"]),
    ("plots: grid pad NaN", partial(plots.decision_grid, pad=np.nan),
     (linear_model(W[:2], b), X[:, :2]), ValueError, ["pad must be a finite number >= 0", "nan"]),
    ("plots: grid n a float", partial(plots.decision_grid, n=2.5),
     (linear_model(W[:2], b), X[:, :2]), TypeError, ["n must be an integer >= 2", "float"]),
    ("plots: grid without a model", plots.decision_grid, (None, X[:, :2]), TypeError,
     ["model must have a predict(points) method", "NoneType"]),
    ("plots: models a list", plots.decision_regions_figure, ([linear_model(W[:2], b)], X, y),
     TypeError, ["models must be a dict", "list"]),
    ("plots: depth zero", plots.mlp_cache_bytes, ([0], [4]), ValueError,
     ["depths[i] must be a positive integer", "got 0"]),
    ("plots: block size zero", partial(plots.plot_jacobian_structure, block_rows=0), (M23,),
     ValueError, ["block_rows must be a positive integer", "got 0"]),
    ("plots: log of zero", plots.fit_loglog_slope, ([1.0, 2.0], [0.0, 1.0]), ValueError,
     ["x and y must be positive", "log-log"]),
    ("plots: decision X int", plots.decision_scores,
     (mlp.MLP([2, 3, 1]), np.zeros((4, 2), int)), TypeError,
     ["X must be a floating-point array", "int64"]),
    ("plots: boundary y a column", plots.plot_decision_boundary,
     (mlp.MLP([2, 3, 1]), np.zeros((4, 2)), np.zeros((4, 1))), ShapeError,
     ["y must hold one label per row of X, shape (4,)", "(4, 1)", "y.ravel()"]),
    ("plots: width zero", partial(plots.train_xor_run, width=0), (), ValueError,
     ["width must be a positive integer", "got 0"]),
    ("plots: not a run", plots.plot_xor_run, ({},), ValueError,
     ["must be a train_xor_run result", "no 'net' key"]),
    # -- gradlab.widgets ------------------------------------------------------------------
    ("widgets: h outside the slider", partial(widgets.difference_error_explorer, h=1.0), (),
     ValueError, ["h must lie between 1e-13 and 1e-1", "1.0"]),
    ("widgets: example unknown", partial(widgets.difference_error_explorer, example="exp"), (),
     ValueError, ["example must be one of", "got 'exp'"]),
    ("widgets: max_size zero", partial(widgets.dimension_matching_widget, max_size=0), (),
     ValueError, ["max_size must be a positive integer", "got 0"]),
    ("widgets: width outside the slider", partial(widgets.xor_training_widget, width=17), (),
     ValueError, ["width must be between 1 and 16", "got 17"]),
    ("widgets: activation case", partial(widgets.xor_training_widget, activation="Tanh"), (),
     ValueError, ["activation must be one of", "did you mean 'tanh'"]),
    ("widgets: labels float", widgets.linear_classifier_widget, (X[:, :2], y.astype(float)),
     ValueError, ["y must hold integer class labels", "float64"]),
    ("widgets: points 3-D", widgets.linear_classifier_widget, (X, y), ShapeError,
     ["X must have shape (any, 2)", "dimension 1 is 3, expected 2"]),
]  # fmt: skip


def _module_of(call):
    func = call.func if isinstance(call, partial) else call
    return getattr(func, "__module__", None) or type(func.__self__).__module__


@pytest.mark.parametrize(
    "call, args, error, words", [pytest.param(*row[1:], id=row[0]) for row in CASES]
)
def test_bad_input_gets_a_clear_error(call, args, error, words):
    with pytest.raises(Exception) as info:
        call(*args)
    raised = info.value
    # exactly the documented class: a ShapeError is not enough where a plain ValueError is
    # expected (labels, NaN, ranges), nor a plain ValueError where the shape is at fault
    assert type(raised) is error, (
        f"expected {error.__name__}, got {type(raised).__name__}: {raised}"
    )
    message = str(raised)
    missing = [w for w in words if w not in message]
    assert not missing, f"message lacks {missing}: {message}"


def test_the_table_covers_every_module_and_is_large_enough():
    ids = [row[0] for row in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert len(CASES) >= 60
    modules = {_module_of(row[1]) for row in CASES}
    expected = {
        f"gradlab.{m}"
        for m in "check shapes regression jacobians activations losses datasets mlp vec plots widgets".split()
    }
    assert expected <= modules, f"no case for {sorted(expected - modules)}"
    for row in CASES:
        # the argument's name and what was given, at least: two things to find in the message
        assert len(row[4]) >= 2, row[0]


# ---- the refused shapes would broadcast silently in NumPy --------------------------------

BROADCASTS = {
    # case id -> a NumPy expression using the refused shape, and the wrong shape it produces
    "losses: bias (K,) (broadcast)": (lambda: X @ W + np.zeros(K), (N, K)),
    "losses: model bias a column (broadcast)": (
        lambda: np.zeros((K, K)) + np.zeros((K, 1)),
        (K, K),
    ),
    "regression: y a column (broadcast)": (lambda: X @ theta - t[:, None], (N, N)),
    "check: grad broadcast (1, n) for (n,)": (lambda: x2 - np.ones((1, 2)), (1, 2)),
    "mlp: bias (n,) (broadcast)": (lambda: X @ np.ones((D, 4)) + np.zeros(4), (N, 4)),
    "mlp: grad_fn rows (broadcast)": (lambda: np.ones((D, 4)) - 0.5 * np.ones((1, 4)), (D, 4)),
    "vec: b1 1-D (broadcast)": (lambda: X @ np.ones((D, 2)) + np.ones(2), (N, 2)),
    "shapes: column times row broadcast": (lambda: np.ones((3, 1)) * np.ones((1, 3)), (3, 3)),
}


@pytest.mark.parametrize("case_id", sorted(BROADCASTS))
def test_numpy_alone_would_broadcast_them(case_id):
    """Each refused shape is one NumPy accepts without a word: the check is what catches it."""
    assert case_id in {row[0] for row in CASES}
    expression, shape = BROADCASTS[case_id]
    assert expression().shape == shape  # no error from NumPy: a silently wrong array


# ---- what is accepted on purpose (documented in the docstrings) --------------------------


def test_what_is_accepted_by_design():
    # element-wise activations take any real array_like: lists, ints, scalars
    assert np.allclose(activations.relu([-1, 2]), [0, 2])
    assert activations.sigmoid(0) == 0.5
    # the Jacobian rules take 1-D vectors (a vector has no orientation; the rule's name says it)
    assert jacobians.grad_W_for_Wx(np.ones(2), np.ones(3)).shape == (2, 3)
    # rel_error compares array_likes of one shape; a gradient check accepts a float32 gradient
    assert check.rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert check.gradient_check(square_sum, x2, (2 * x2).astype(np.float32), tol=1e-6).passed
    # unvec accepts a 1 x mn row: that is how a gradient leaves the chain rule
    assert vec.unvec(np.arange(6.0).reshape(1, 6), (2, 3)).shape == (2, 3)
    # plot_decision_boundary accepts whole-number float labels, the ravel of (N, 1) targets
    fig = plots.plot_decision_boundary(
        mlp.MLP([2, 3, 1]), np.zeros((4, 2)), np.array([0.0, 1.0, 1.0, 0.0]), resolution=4
    )
    assert fig.axes
    import matplotlib.pyplot as plt

    plt.close(fig)
