"""Least-squares linear regression: the loss and its gradient, per sample and for a batch.

Chapter 2 ("The dimension-matching trick") derives the gradient twice: with the trick, which
arranges the residual r = X theta - y (N x 1) and X (N x D) into the only product of shape
D x 1, X^T r; and by index algebra, which proves it. The loop version follows the per-sample
derivation, one example at a time; the vectorised version is the batch form.

The loss is a batch mean, J(theta) = (1 / (2N)) ||X theta - y||^2, so its gradient is
(1/N) X^T (X theta - y), with theta's shape.
"""

from __future__ import annotations

import numpy as np

from gradlab._validate import (
    require_finite,
    require_float,
    require_ndim,
    require_nonempty,
    shape_text,
)
from gradlab.shapes import ShapeError

__all__ = ["linear_regression_loss", "linear_regression_loss_naive"]


def _validated(theta, X, y):
    """Check the three arguments and return them; shapes must fit exactly (no broadcasting)."""
    for name, value in (("theta", theta), ("X", X), ("y", y)):
        require_float(name, value)
    require_ndim("X", X, 2, "the design matrix, one example per row")
    require_nonempty("X", X, axis=0, what="rows (examples)")
    n, d = X.shape
    if d == 0:
        raise ValueError(
            f"X must hold at least one feature (column); got shape {shape_text(X.shape)}"
        )
    if theta.ndim not in (1, 2):
        raise ShapeError(
            f"theta must be a vector of shape ({d},) or a matrix ({d}, K); "
            f"got shape {shape_text(theta.shape)}"
        )
    if theta.shape[0] != d:
        raise ShapeError(
            f"theta must have one row per column of X: X is {shape_text(X.shape)}, so theta "
            f"needs {d} rows; got shape {shape_text(theta.shape)}"
        )
    expected = (n,) if theta.ndim == 1 else (n, theta.shape[1])
    if y.shape != expected:
        hint = ""
        if theta.ndim == 1 and y.shape == (n, 1):
            hint = (
                f" (X @ theta has shape ({n},); subtracting a ({n}, 1) column would broadcast "
                f"to ({n}, {n}): use y.ravel() or a ({d}, 1) theta)"
            )
        elif theta.ndim == 2 and y.shape == (n,):
            hint = (
                f" (X @ theta has shape {shape_text(expected)}; subtracting a ({n},) vector "
                f"would broadcast: use y.reshape({n}, -1) or a ({d},) theta)"
            )
        raise ShapeError(
            f"y must have the shape of X @ theta, {shape_text(expected)}; got "
            f"{shape_text(y.shape)}{hint}"
        )
    for name, value in (("theta", theta), ("X", X), ("y", y)):
        require_finite(name, value)
    return theta, X, y


def linear_regression_loss(theta, X, y):
    """Mean squared-error loss of a linear model and its gradient, vectorised (batch form).

    ``J(theta) = (1 / (2N)) ||X theta - y||^2`` and ``dJ/dtheta = (1/N) X^T (X theta - y)``,
    derived in chapter 2 with the dimension-matching trick and checked there numerically.
    Several targets at once work the same way: theta (D, K) and y (N, K) give the squared
    Frobenius norm, and the same formula.

    Parameters
    ----------
    theta : ndarray of float, shape (D,) or (D, K)
        The weights (include a column of ones in X for an intercept).
    X : ndarray of float, shape (N, D)
        One example per row; N >= 1.
    y : ndarray of float, shape (N,) when theta is (D,), (N, K) when theta is (D, K)
        The targets. Never broadcast: a (N, 1) y against a (D,) theta is an error, not an
        N x N residual.

    Returns
    -------
    loss : float
    dtheta : ndarray of float, shape ``theta.shape``
        The gradient, in theta's shape.

    Raises
    ------
    TypeError
        An argument is not a floating-point NumPy array.
    ShapeError
        X is not 2-D, theta does not have X.shape[1] rows, or y is not X @ theta's shape.
    ValueError
        X has no rows or no columns, or an argument holds NaN or inf.

    See Also
    --------
    linear_regression_loss_naive : the same, one example at a time.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> y = np.array([1.0, 0.0, 2.0])
    >>> loss, dtheta = linear_regression_loss(np.zeros(2), X, y)
    >>> round(loss, 4), dtheta.round(4).tolist()
    (0.8333, [-3.6667, -4.6667])
    """
    theta, X, y = _validated(theta, X, y)
    n = X.shape[0]
    residual = X @ theta - y  # (N,) or (N, K)
    loss = float(np.sum(residual * residual)) / (2 * n)
    dtheta = X.T @ residual / n  # (D, N) @ (N, ...) -> theta's shape
    return loss, dtheta


def linear_regression_loss_naive(theta, X, y):
    """The same loss and gradient as ``linear_regression_loss``, one example at a time.

    The per-sample form of chapter 2: example i contributes ``(1/2) (x_i^T theta - y_i)^2``
    to the loss and ``(x_i^T theta - y_i) x_i`` to the gradient (x_i is row i of X, read as
    a column); both are averaged over the N examples. Slow; it exists to show that the batch
    formula X^T r / N is this sum, written as one matrix product.

    Parameters, returns and errors are those of ``linear_regression_loss``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X, y, theta = rng.normal(size=(6, 3)), rng.normal(size=6), rng.normal(size=3)
    >>> a, b = linear_regression_loss_naive(theta, X, y), linear_regression_loss(theta, X, y)
    >>> bool(np.isclose(a[0], b[0]) and np.allclose(a[1], b[1]))
    True
    """
    theta, X, y = _validated(theta, X, y)
    n = X.shape[0]
    loss = 0.0
    dtheta = np.zeros(theta.shape, dtype=np.result_type(theta, X, y))
    for i in range(n):
        x_i = X[i]  # (D,): one example
        r_i = x_i @ theta - y[i]  # a scalar, or (K,) with several targets
        loss += 0.5 * float(np.sum(r_i * r_i))
        # With one target this is r_i * x_i; with K targets, the outer product x_i r_i^T.
        dtheta += np.multiply.outer(x_i, r_i)
    return loss / n, dtheta / n
