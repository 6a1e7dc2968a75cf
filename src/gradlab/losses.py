"""Multiclass SVM and softmax losses of a linear classifier, with their gradients.

Chapter 5 ("SVM and softmax gradients") derives everything here; chapter 4 ("Indicator-function
tricks") derives the per-sample SVM derivative the naive SVM loop spells out.

The set-up (the course's notation): a batch of ``N`` examples in the rows of ``X`` (N x D),
weights ``W`` (D x K), scores ``S = X W`` (N x K), integer labels ``y`` in ``[0, K)``. Every
loss is the *mean* over the batch plus ``reg * ||W||^2``. Every function returns
``(loss, dW)`` with ``dW`` of ``W``'s shape and dtype.

Two implementations of each loss:

* ``*_naive``: loops over the examples and the classes, one line per step of the per-sample
  derivation. Slow; written to be read and compared against.
* the vectorised ones: one product ``S = X @ W``, the matrix ``dS`` of per-example score
  gradients built with array operations, and one product ``dW = X.T @ dS / N``. Apart from the
  two products they touch only the N x K score matrix, in place, so they run close to the cost
  of the two matrix products (``benchmarks/bench_losses.py`` measures it).

The score-level pieces, ``multiclass_hinge(S, y)`` and ``softmax_cross_entropy(S, y)``, return
``(loss, dS)`` for the mean loss, so other layers (chapter 6's MLP) can reuse them.

Conventions: a hinge term ``max(0, s_j - s_y + delta)`` counts (contributes to the gradient)
only when ``s_j - s_y + delta > 0``; at exactly zero the subgradient 0 is used, the same
convention as ReLU'(0) = 0. float32 and float64 inputs are both accepted and the computation
stays in that dtype (the gradient *check* needs float64; see chapter 1).
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from gradlab._validate import (
    require_array,
    require_choice,
    require_finite,
    require_float,
    require_labels,
    require_ndim,
    require_nonempty,
    require_positive_int,
    require_seed,
    require_shape,
    shape_text,
)

# The linear-regression loss is derived in chapter 2 and lives in its own module; DESIGN.md
# lists it among the losses, so it is importable from here too.
from gradlab.regression import linear_regression_loss, linear_regression_loss_naive
from gradlab.shapes import ShapeError

__all__ = [
    "LOSSES",
    "LinearClassifier",
    "linear_classifier_loss",
    "linear_regression_loss",
    "linear_regression_loss_naive",
    "multiclass_hinge",
    "softmax_cross_entropy",
    "softmax_jacobian",
    "softmax_loss",
    "softmax_loss_naive",
    "svm_loss",
    "svm_loss_naive",
    "train_linear_classifier",
]

#: The names ``linear_classifier_loss`` and ``train_linear_classifier`` accept.
LOSSES = ("svm", "softmax")


# ---- argument checks -------------------------------------------------------------------------


def _nonnegative(name: str, value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number >= 0 ({what}); got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0 ({what}); got {value!r}")
    return value


def _check_scores(S, y):
    """Validate a score matrix and its labels; return (N, K)."""
    require_float("S", S)
    require_ndim("S", S, 2, "scores, one row per example, one column per class")
    require_nonempty(
        "S", S, axis=0, what="rows (examples): the mean over an empty batch is undefined"
    )
    require_nonempty("S", S, axis=1, what="columns (classes)")
    require_finite("S", S)
    N, K = S.shape
    require_labels("y", y, N, K)
    return N, K


def _check_linear(W, X, y, reg):
    """Validate the arguments of a linear-classifier loss; return (N, D, K, reg).

    ``X`` and ``W`` are not scanned for NaN or inf here: reading all of X once more costs as
    much as a matrix product when K is small. A NaN or inf in row i of X (or column j of W)
    makes every score of row i (or column j) NaN or inf, so the callers check the (small)
    score matrix instead and then name the culprit.
    """
    require_float("W", W)
    require_float("X", X)
    require_ndim("W", W, 2, "weights, D x K")
    require_ndim("X", X, 2, "a batch, one example per row, N x D")
    if W.dtype != X.dtype:
        raise TypeError(
            f"W and X must have the same dtype, so that no silent conversion happens; got W "
            f"{W.dtype} and X {X.dtype}. Convert one of them, e.g. X.astype(W.dtype)."
        )
    require_nonempty(
        "X", X, axis=0, what="rows (examples): the mean over an empty batch is undefined"
    )
    require_nonempty("W", W, axis=1, what="columns (classes)")
    N, D = X.shape
    if W.shape[0] != D:
        raise ShapeError(
            f"W must have one row per feature of X: X is {shape_text(X.shape)} (N x D with D = {D}), "
            f"so W must be ({D}, K); got W {shape_text(W.shape)}"
            + (" (it is the transpose: did you forget a .T?)" if W.shape[1] == D else "")
        )
    K = W.shape[1]
    require_labels("y", y, N, K)
    reg = _nonnegative("reg", reg, "the L2 strength")
    return N, D, K, reg


def _scores(X, W, X_all=None):
    """``X @ W``, with NumPy's overflow and NaN warnings replaced by the clear error below.

    ``X_all`` is the whole batch when ``X`` is one of its rows (the naive loops), so that an
    error names the entry of the batch.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        S = X @ W
    _scores_must_be_finite(S, X if X_all is None else X_all, W)
    return S


def _scores_must_be_finite(S, X, W):
    """Raise a clear error if the score matrix holds NaN or inf, naming X when it is X's fault."""
    if np.isfinite(S).all():
        return
    require_finite("X", X)
    require_finite("W", W)
    raise ValueError(
        "the scores X @ W overflowed (they hold inf or NaN although X and W are finite): "
        "scale the inputs or the weights down"
    )


def _regularise(loss, dW, W, reg):
    """Add reg * ||W||^2 to the loss and 2 reg W to dW (in place)."""
    if reg:
        flat = W.ravel()
        loss += reg * float(np.dot(flat, flat))
        dW += (2.0 * reg) * W  # a Python float keeps W's dtype (no float32 -> float64 upcast)
    return loss, dW


def _product_mean(X, dS, N):
    """dW = X^T dS / N, dividing whichever of dS (N x K) and dW (D x K) is smaller."""
    if X.shape[1] < N:
        dW = X.T @ dS
        dW *= 1.0 / N
    else:
        dS *= 1.0 / N
        dW = X.T @ dS
    return dW


# ---- the multiclass SVM ------------------------------------------------------------------------


def svm_loss_naive(W, X, y, reg=0.0, *, delta=1.0):
    """Multiclass SVM (hinge) loss and gradient, one example and one class at a time.

    For example ``i`` with scores ``s = x_i W`` and label ``y_i``:

        L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + delta)
        dL_i/ds_j = 1{j != y_i} q_j - 1{j = y_i} sum_{m != y_i} q_m,
                    q_m = 1{s_m - s_{y_i} + delta > 0}
        dL_i/dW = x_i^T (dL_i/ds)        (a D x 1 column times a 1 x K row)

    and the loss is ``mean_i L_i + reg * ||W||^2``. The loops follow these lines literally.

    Parameters
    ----------
    W : ndarray, shape (D, K), float32 or float64
        Weights.
    X : ndarray, shape (N, D), same dtype as W
        A batch, one example per row.
    y : ndarray of int, shape (N,)
        Labels in ``[0, K)``.
    reg : float, default 0.0
        L2 strength (>= 0).
    delta : float, default 1.0
        The margin (>= 0).

    Returns
    -------
    loss : float
    dW : ndarray, shape (D, K), W's dtype

    Notes
    -----
    Derived in chapter 4 (the per-sample derivative) and chapter 5 (the batch).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0]]); W = np.array([[1.0, 0.0], [0.0, 1.0]]); y = np.array([0])
    >>> loss, dW = svm_loss_naive(W, X, y)     # s = (1, 2): margin 2 - 1 + 1 = 2 > 0
    >>> loss
    2.0
    >>> dW
    array([[-1.,  1.],
           [-2.,  2.]])
    """
    N, D, K, reg = _check_linear(W, X, y, reg)
    delta = _nonnegative("delta", delta, "the margin")
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(N):
        x = X[i]
        s = _scores(x, W, X)  # the scores of example i, length K
        yi = int(y[i])
        # q_m = 1{s_m - s_y + delta > 0} for m != y (the hinge terms that are active)
        q = np.zeros(K, dtype=W.dtype)
        for m in range(K):
            if m == yi:
                continue
            margin = s[m] - s[yi] + delta
            if margin > 0:
                loss += float(margin)
                q[m] = 1
        # dL_i/ds_j, case by case: j != y gives q_j; j = y gives -sum_{m != y} q_m
        for j in range(K):
            if j != yi:
                ds_j = q[j]
            else:
                ds_j = -sum(q[m] for m in range(K) if m != yi)
            # dL_i/dW has x_i in column j, scaled by dL_i/ds_j
            dW[:, j] += ds_j * x
    loss /= N
    dW /= N
    return _regularise(loss, dW, W, reg)


def _hinge_rows_inplace(S, y, delta):
    """Overwrite the scores S with the per-example gradients dL_i/ds; return sum_i L_i."""
    rows = np.arange(S.shape[0])
    correct = S[rows, y]
    # margins s_j - s_y + delta, in place; the correct class's own term is not part of the loss
    np.subtract(S, (correct - delta)[:, None], out=S)
    S[rows, y] = 0
    np.maximum(S, 0, out=S)
    total = float(S.sum())
    # q = 1{margin > 0}, strictly: a margin of exactly 0 does not count (the kink convention)
    active = S > 0
    np.copyto(S, active)  # dS_ij = q_ij off the label...
    S[rows, y] = -np.count_nonzero(active, axis=1)  # ...and -sum_{m != y} q_im on it
    return total


def multiclass_hinge(S, y, delta=1.0):
    """Mean multiclass hinge loss of a score matrix and its gradient ``dL/dS``.

    ``L = (1/N) sum_i sum_{j != y_i} max(0, S_ij - S_{i,y_i} + delta)``.

    Parameters
    ----------
    S : ndarray, shape (N, K), float32 or float64
        Scores, one row per example.
    y : ndarray of int, shape (N,)
        Labels in ``[0, K)``.
    delta : float, default 1.0
        The margin (>= 0).

    Returns
    -------
    loss : float
    dS : ndarray, shape (N, K), S's dtype
        The gradient of the *mean* loss: row i is ``dL_i/ds / N`` (chapter 5's dS divided by N).

    Examples
    --------
    >>> import numpy as np
    >>> loss, dS = multiclass_hinge(np.array([[3.0, 1.0, 2.5]]), np.array([0]))
    >>> loss, dS
    (0.5, array([[-1.,  0.,  1.]]))
    """
    N, _ = _check_scores(S, y)
    delta = _nonnegative("delta", delta, "the margin")
    dS = np.array(S, copy=True, order="C")
    total = _hinge_rows_inplace(dS, y, delta)
    dS *= 1.0 / N
    return total / N, dS


def svm_loss(W, X, y, reg=0.0, *, delta=1.0):
    """Multiclass SVM loss and gradient, vectorised: ``dW = X^T dS / N + 2 reg W``.

    ``dS`` (N x K) holds the per-example derivatives of chapter 4,
    ``dS_ij = 1{j != y_i} q_ij - 1{j = y_i} sum_{m != y_i} q_im`` with
    ``q_ij = 1{S_ij - S_{i,y_i} + delta > 0}``, built without a Python loop.

    Parameters and returns are those of :func:`svm_loss_naive`, to which it is equal (to
    rounding).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> W, X, y = rng.normal(size=(4, 3)), rng.normal(size=(5, 4)), rng.integers(0, 3, 5)
    >>> l1, g1 = svm_loss(W, X, y, reg=0.1)
    >>> l2, g2 = svm_loss_naive(W, X, y, reg=0.1)
    >>> bool(abs(l1 - l2) < 1e-12 and np.allclose(g1, g2, rtol=0, atol=1e-12))
    True
    """
    N, _, _, reg = _check_linear(W, X, y, reg)
    delta = _nonnegative("delta", delta, "the margin")
    S = _scores(X, W)
    total = _hinge_rows_inplace(S, y, delta)  # S now holds dS
    dW = _product_mean(X, S, N)
    return _regularise(total / N, dW, W, reg)


# ---- softmax cross-entropy ---------------------------------------------------------------------


def softmax_loss_naive(W, X, y, reg=0.0):
    """Softmax cross-entropy loss and gradient, one example and one class at a time.

    For example ``i`` with scores ``s = x_i W``, shifted by their max ``c`` (the shift changes
    no probability and keeps ``exp`` from overflowing):

        p_j = exp(s_j - c) / sum_m exp(s_m - c)
        L_i = -log p_{y_i} = log sum_m exp(s_m - c) - (s_{y_i} - c)
        dL_i/ds_j = p_j - 1{j = y_i}
        dL_i/dW = x_i^T (dL_i/ds)

    and the loss is ``mean_i L_i + reg * ||W||^2``.

    Parameters
    ----------
    W : ndarray, shape (D, K), float32 or float64
    X : ndarray, shape (N, D), same dtype as W
    y : ndarray of int, shape (N,), labels in ``[0, K)``
    reg : float, default 0.0

    Returns
    -------
    loss : float
    dW : ndarray, shape (D, K), W's dtype

    Examples
    --------
    >>> import numpy as np
    >>> loss, dW = softmax_loss_naive(np.zeros((2, 3)), np.ones((4, 2)), np.array([0, 1, 2, 0]))
    >>> round(loss, 6) == round(float(np.log(3)), 6)     # uniform p = 1/3
    True
    """
    N, D, K, reg = _check_linear(W, X, y, reg)
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(N):
        x = X[i]
        s = _scores(x, W, X)
        yi = int(y[i])
        c = s[0]
        for j in range(1, K):
            c = max(c, s[j])
        e = np.zeros(K, dtype=W.dtype)
        for j in range(K):
            e[j] = np.exp(s[j] - c)
        z = e.sum()
        loss += float(np.log(z) - (s[yi] - c))
        for j in range(K):
            p_j = e[j] / z
            ds_j = p_j - (1 if j == yi else 0)
            dW[:, j] += ds_j * x
    loss /= N
    dW /= N
    return _regularise(loss, dW, W, reg)


def _softmax_rows_inplace(S, y, scale):
    """Overwrite S with ``scale * (P - onehot(y))``; return sum_i L_i (the stable way)."""
    rows = np.arange(S.shape[0])
    S -= S.max(axis=1, keepdims=True)  # shift: every exponent <= 0, so exp never overflows
    shifted_correct = S[rows, y]
    np.exp(S, out=S)
    z = S.sum(axis=1)  # >= 1, since the row max contributes exp(0) = 1: log(z) is safe
    total = float(np.sum(np.log(z) - shifted_correct))
    S *= (scale / z)[:, None]  # P = E / z, times the 1/N of the mean, in one pass
    S[rows, y] -= scale
    return total


def softmax_cross_entropy(S, y):
    """Mean softmax cross-entropy of a score matrix and its gradient ``dL/dS``.

    ``L = (1/N) sum_i -log softmax(S_i)_{y_i}``, computed with each row shifted by its max.

    Parameters
    ----------
    S : ndarray, shape (N, K), float32 or float64
        Scores (logits), one row per example.
    y : ndarray of int, shape (N,)
        Labels in ``[0, K)``.

    Returns
    -------
    loss : float
    dS : ndarray, shape (N, K), S's dtype
        ``(softmax(S) - onehot(y)) / N``: the gradient of the *mean* loss.

    Notes
    -----
    Derived in chapter 5; chapter 6's MLP uses it as its output layer.

    Examples
    --------
    >>> import numpy as np
    >>> loss, dS = softmax_cross_entropy(np.array([[1000.0, 1000.0]]), np.array([1]))
    >>> round(loss, 12), dS
    (0.69314718056, array([[ 0.5, -0.5]]))
    """
    N, _ = _check_scores(S, y)
    dS = np.array(S, copy=True, order="C")
    total = _softmax_rows_inplace(dS, y, 1.0 / N)
    return total / N, dS


def softmax_loss(W, X, y, reg=0.0):
    """Softmax cross-entropy loss and gradient, vectorised: ``dW = X^T (P - Y) / N + 2 reg W``.

    ``P = softmax(X W)`` row by row (shifted by each row's max), ``Y`` the one-hot labels.
    Parameters and returns are those of :func:`softmax_loss_naive`, to which it is equal (to
    rounding).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> W, X, y = rng.normal(size=(4, 3)), rng.normal(size=(5, 4)), rng.integers(0, 3, 5)
    >>> l1, g1 = softmax_loss(W, X, y, reg=0.1)
    >>> l2, g2 = softmax_loss_naive(W, X, y, reg=0.1)
    >>> bool(abs(l1 - l2) < 1e-12 and np.allclose(g1, g2, rtol=0, atol=1e-12))
    True
    """
    N, _, _, reg = _check_linear(W, X, y, reg)
    S = _scores(X, W)
    total = _softmax_rows_inplace(S, y, 1.0 / N)  # S now holds (P - Y) / N
    dW = X.T @ S
    return _regularise(total / N, dW, W, reg)


def softmax_jacobian(p):
    """The Jacobian of the softmax at the point where it outputs ``p``: ``diag(p) - p p^T``.

    Entry ``(i, j)`` is ``dp_i/ds_j = p_i (1{i = j} - p_j)``; symmetric, so numerator and
    denominator layout agree. Each row sums to zero (adding a constant to every score changes
    no probability), and it is singular for the same reason.

    Parameters
    ----------
    p : ndarray, shape (K,), float
        A probability vector (softmax output of one example): entries >= 0 summing to one.

    Returns
    -------
    ndarray, shape (K, K)

    Notes
    -----
    Chapter 5 finishes the derivation the source notes leave open, and checks it with
    ``gradlab.check.numerical_jacobian``.

    Examples
    --------
    >>> import numpy as np
    >>> softmax_jacobian(np.array([0.5, 0.5]))
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    require_float("p", p)
    require_ndim("p", p, 1, "one probability vector")
    require_nonempty("p", p, axis=0, what="entries")
    require_finite("p", p)
    if (p < 0).any() or abs(float(p.sum()) - 1.0) > 1e-6:
        raise ValueError(
            f"p must be a probability vector (entries >= 0 that sum to one); got entries in "
            f"[{float(p.min()):.3g}, {float(p.max()):.3g}] summing to {float(p.sum()):.6g}"
        )
    return np.diag(p) - np.outer(p, p)


# ---- a linear classifier with a bias, and its training -----------------------------------------


def linear_classifier_loss(W, b, X, y, *, loss="softmax", reg=0.0, delta=1.0):
    """Loss and gradients of a linear classifier with a bias: ``S = X W + b``.

    ``dW = X^T dS`` and ``db = 1_N^T dS`` (the column sums of dS: a 1 x N row of ones times
    dS), where ``dS`` is the gradient of the mean loss with respect to the scores. The bias is
    not regularised.

    Parameters
    ----------
    W : ndarray, shape (D, K)
    b : ndarray, shape (1, K), same dtype as W
        A row, as in the notation ``S = X W + 1 b``. A 1-D ``(K,)`` vector is refused with a
        ``ShapeError`` rather than broadcast: the gradient ``db`` is returned as (1, K), and
        a caller that stores b as (K,) would then update it by broadcasting (1, K) into it.
    X : ndarray, shape (N, D), same dtype as W
    y : ndarray of int, shape (N,)
    loss : {"softmax", "svm"}
    reg : float, default 0.0
    delta : float, default 1.0
        The SVM margin (ignored by softmax).

    Returns
    -------
    loss : float
    dW : ndarray, shape (D, K)
    db : ndarray, shape (1, K)

    Raises
    ------
    TypeError
        A non-float or mixed-dtype array, or ``loss`` not a string.
    ShapeError
        W, X, b or y of the wrong shape (b must be (1, K); W transposed is named as such).
    ValueError
        Unknown ``loss`` (a near miss such as "Softmax" gets a hint), labels out of range or
        not integers, an empty batch, NaN or inf, ``reg`` or ``delta`` negative or not finite.

    Notes
    -----
    Derived in chapter 5 (the bias gradient).

    Examples
    --------
    >>> import numpy as np
    >>> W, b = np.zeros((2, 3)), np.zeros((1, 3))
    >>> X, y = np.ones((4, 2)), np.array([0, 0, 1, 2])
    >>> value, dW, db = linear_classifier_loss(W, b, X, y)
    >>> db.shape, bool(np.allclose(db, [[1/3 - 1/2, 1/3 - 1/4, 1/3 - 1/4]]))
    ((1, 3), True)
    """
    require_choice("loss", loss, LOSSES)
    N, _, K, reg = _check_linear(W, X, y, reg)
    delta = _nonnegative("delta", delta, "the margin")
    require_array("b", b)
    if b.dtype != W.dtype:
        raise TypeError(f"b must have W's dtype {W.dtype}; got {b.dtype}")
    require_shape("b", b, (1, K), "one bias per class, a row broadcast over the batch")
    require_finite("b", b)
    S = _scores(X, W)
    S += b
    if loss == "softmax":
        total = _softmax_rows_inplace(S, y, 1.0 / N)
    else:
        total = _hinge_rows_inplace(S, y, delta)
        S *= 1.0 / N
    dW = X.T @ S
    db = S.sum(axis=0, keepdims=True)
    value, dW = _regularise(total / N, dW, W, reg)
    return value, dW, db


class LinearClassifier(NamedTuple):
    """A trained linear classifier: weights, bias, and the training loss after each step."""

    W: np.ndarray
    b: np.ndarray
    losses: np.ndarray

    def scores(self, X):
        """``X W + b``, shape (N, K).

        ``W`` must be (D, K) and ``b`` a (1, K) row: any other b (a (K, 1) column, an (N, K)
        matrix) would broadcast into wrong scores, so it is refused.
        """
        require_float("W", self.W)
        require_ndim("W", self.W, 2, "weights, D x K")
        require_float("b", self.b)
        require_shape("b", self.b, (1, self.W.shape[1]), "one bias per class, a row")
        require_float("X", X)
        require_ndim("X", X, 2, "a batch, one example per row")
        require_shape("X", X, (None, self.W.shape[0]), "one column per feature")
        require_finite("X", X)
        return X @ self.W + self.b

    def predict(self, X):
        """The class with the largest score, shape (N,)."""
        return np.argmax(self.scores(X), axis=1)

    def accuracy(self, X, y):
        """Fraction of rows of X whose predicted class is y."""
        predicted = self.predict(X)  # validates X first, so y's check can read X.shape
        require_labels("y", y, X.shape[0], self.W.shape[1])
        return float(np.mean(predicted == y))


def train_linear_classifier(
    X, y, *, loss="softmax", reg=1e-3, delta=1.0, lr=0.1, steps=300, n_classes=None, seed=0
):
    """Full-batch gradient descent on a linear classifier ``S = X W + b``.

    Deterministic: ``W`` starts at small seeded random values, ``b`` at zero, and every step
    uses the whole batch.

    Parameters
    ----------
    X : ndarray, shape (N, D), float64
    y : ndarray of int, shape (N,)
    loss : {"softmax", "svm"}
    reg : float, default 1e-3
        L2 strength on W.
    delta : float, default 1.0
        SVM margin.
    lr : float, default 0.1
        Step size.
    steps : int, default 300
        Gradient steps.
    n_classes : int, optional
        K; default ``y.max() + 1``.
    seed : int, default 0
        Seed of the initial weights.

    Returns
    -------
    LinearClassifier
        ``W`` (D x K), ``b`` (1 x K), ``losses`` (the loss before each step, length ``steps``).

    Raises
    ------
    TypeError
        X not a float array, ``steps``, ``n_classes`` or ``seed`` not an integer.
    ValueError, ShapeError
        As ``linear_classifier_loss``; ``steps`` or ``n_classes`` below 1, a negative seed.

    Notes
    -----
    Used in chapter 5 to draw decision regions for each loss.

    Examples
    --------
    >>> from gradlab.datasets import blobs
    >>> X, y = blobs(n=90, k=3, seed=0)
    >>> model = train_linear_classifier(X, y, loss="svm", steps=100)
    >>> model.accuracy(X, y) > 0.9
    True
    """
    require_float("X", X)
    require_ndim("X", X, 2, "a batch, one example per row, N x D")
    require_nonempty("X", X, axis=0, what="rows (examples)")
    require_array("y", y)
    if n_classes is None:
        if y.size == 0 or y.dtype == bool or not np.issubdtype(y.dtype, np.integer):
            require_labels("y", y, X.shape[0], 1)
        n_classes = max(int(y.max()) + 1, 1)  # a negative label is then named by the check below
    n_classes = require_positive_int("n_classes", n_classes)
    require_labels("y", y, X.shape[0], n_classes)
    require_choice("loss", loss, LOSSES)
    lr = _nonnegative("lr", lr, "the step size")
    steps = require_positive_int("steps", steps)
    rng = np.random.default_rng(require_seed("seed", seed))
    W = (0.01 * rng.standard_normal((X.shape[1], int(n_classes)))).astype(X.dtype)
    b = np.zeros((1, int(n_classes)), dtype=X.dtype)
    history = np.empty(int(steps))
    for t in range(int(steps)):
        value, dW, db = linear_classifier_loss(W, b, X, y, loss=loss, reg=reg, delta=delta)
        history[t] = value
        W -= lr * dW
        b -= lr * db
    return LinearClassifier(W, b, history)
