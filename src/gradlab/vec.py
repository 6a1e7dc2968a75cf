"""vec, Kronecker products and the full Jacobians of a network: the rigorous route of chapter 6.

Chapter 6 ("Matrix-form backprop") derives the MLP gradients twice. The dimension-matching
route guesses a formula and checks it; this module is the other route (Magnus & Neudecker):
turn every matrix into a vector with ``vec``, write the derivative of every step as an ordinary
Jacobian, multiply the Jacobians, and reshape the result back. Every step is a theorem, and every
matrix is built for real, which is what makes the route exact, slow and memory-hungry.

Conventions (the course's, DESIGN.md)
-------------------------------------
* ``vec`` stacks the *columns* of a matrix: ``vec(A) = A.reshape(-1, order="F")``. With that
  order, ``vec(A X B) = (B^T kron A) vec(X)``. NumPy's default ``A.reshape(-1)`` stacks rows
  and gives ``kron(A, B^T)`` instead: the source notes never say which order they mean.
* Jacobians are in numerator layout: ``d vec(F)/d vec(X)`` has one row per entry of ``F`` and
  one column per entry of ``X``, shape ``(F.size, X.size)``, the layout of
  ``gradlab.check.numerical_jacobian(..., order="F")``.
* Row batches: X is N x D, W is D x K, ``S = X W + 1 b`` with b of shape 1 x K.

Every function that builds a Jacobian refuses (``ValueError`` with the byte count) to allocate
one larger than ``max_bytes``: the Jacobian of one layer grows like ``N * n^3`` entries.
"""

from __future__ import annotations

import numbers

import numpy as np

from gradlab._validate import (
    require_array,
    require_choice,
    require_finite,
    require_float,
    require_ndim,
    require_positive,
    require_positive_int,
    require_shape,
    shape_text,
)
from gradlab.activations import ACTIVATIONS
from gradlab.shapes import ShapeError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "jacobian_bias",
    "jacobian_elementwise",
    "jacobian_hadamard",
    "jacobian_xw_wrt_w",
    "jacobian_xw_wrt_x",
    "matrix_nbytes",
    "two_layer_chain",
    "two_layer_kron_grads",
    "unvec",
    "vec",
]

#: the largest Jacobian (in bytes) a function here builds unless told otherwise: 256 MiB
DEFAULT_MAX_BYTES = 256 * 2**20


def vec(A):
    """Stack the columns of a matrix into one vector: ``A.reshape(-1, order="F")``.

    Parameters
    ----------
    A : ndarray, shape (m, n)

    Returns
    -------
    ndarray, shape (m * n,)
        ``A[:, 0]`` first, then ``A[:, 1]``, and so on. (Mathematically a column vector; a 1-D
        array here, so it multiplies a Jacobian from either side.)

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1, 2], [3, 4]])
    >>> vec(A)
    array([1, 3, 2, 4])
    >>> A.reshape(-1)          # NumPy's default stacks rows: not vec
    array([1, 2, 3, 4])
    """
    _numeric("A", A)
    require_ndim("A", A, 2, "vec takes a matrix")
    return A.reshape(-1, order="F")


def _numeric(name, A):
    """An ndarray of numbers (any numeric or bool dtype; vec is a reshape), not of objects."""
    require_array(name, A)
    if not (np.issubdtype(A.dtype, np.number) or A.dtype == bool):
        raise TypeError(
            f"{name} must hold numbers; got dtype {A.dtype}. "
            f"Convert it with {name}.astype(np.float64)."
        )
    return A


def unvec(v, shape):
    """The inverse of ``vec``: refill a matrix of ``shape`` column by column.

    Parameters
    ----------
    v : ndarray, shape (m * n,), or a single row (1, m * n) or column (m * n, 1)
        A row is accepted because a gradient comes out of the chain rule as a 1 x mn Jacobian.
    shape : tuple (m, n)

    Returns
    -------
    ndarray, shape (m, n)

    Examples
    --------
    >>> import numpy as np
    >>> A = np.arange(6).reshape(2, 3)
    >>> np.array_equal(unvec(vec(A), A.shape), A)
    True
    """
    _numeric("v", v)
    if (
        not isinstance(shape, tuple)
        or len(shape) != 2
        or not all(isinstance(d, (int, np.integer)) and not isinstance(d, bool) for d in shape)
    ):
        raise TypeError(f"shape must be a tuple of two integers (m, n); got {shape!r}")
    m, n = (int(d) for d in shape)
    if m < 1 or n < 1:
        raise ValueError(f"shape must hold two positive sizes; got {shape!r}")
    if not (v.ndim == 1 or (v.ndim == 2 and 1 in v.shape)):
        raise ShapeError(
            f"v must be a vector (1-D, or a single row or column); got shape {shape_text(v.shape)}"
        )
    if v.size != m * n:
        raise ShapeError(
            f"v must hold m * n = {m} * {n} = {m * n} entries to fill a {m} x {n} matrix; "
            f"got {v.size} (shape {shape_text(v.shape)})"
        )
    return v.reshape(-1).reshape((m, n), order="F")


def matrix_nbytes(n_rows, n_cols, dtype=np.float64) -> int:
    """Bytes of a dense ``n_rows x n_cols`` matrix of ``dtype``.

    Examples
    --------
    >>> matrix_nbytes(128 * 128, 128 * 128)   # one layer's I kron X at N = n = 128
    2147483648
    """
    for name, value in (("n_rows", n_rows), ("n_cols", n_cols)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be an integer >= 0; got {type(value).__name__} {value!r}")
        if value < 0:
            raise ValueError(f"{name} must be an integer >= 0; got {value}")
    return int(n_rows) * int(n_cols) * _float_dtype(dtype).itemsize


def _float_dtype(dtype) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or not np.issubdtype(dt, np.floating):
        raise TypeError(f"dtype must be a floating-point dtype such as np.float64; got {dtype!r}")
    return dt


def _check_max_bytes(max_bytes):
    return require_positive("max_bytes", max_bytes)


def _guard(n_rows, n_cols, dtype, max_bytes, what):
    """Refuse to allocate a dense matrix above ``max_bytes``; the message says how big it is."""
    need = matrix_nbytes(n_rows, n_cols, dtype)
    if need > max_bytes:
        raise ValueError(
            f"{what} would be a dense {n_rows} x {n_cols} {np.dtype(dtype).name} matrix of "
            f"{need:,} bytes ({need / 2**20:.1f} MiB), above max_bytes = {int(max_bytes):,} bytes. "
            "Backprop never builds it (it multiplies vectors by these Jacobians); "
            "pass a larger max_bytes only if you have the memory."
        )


def _float_matrix(name, A):
    require_float(name, A)
    require_ndim(name, A, 2)
    require_finite(name, A)
    return A


def jacobian_xw_wrt_w(X, n_cols, *, max_bytes=DEFAULT_MAX_BYTES):
    """``d vec(X W) / d vec(W) = I_K kron X``, for X of shape N x D and W of shape D x K.

    From ``vec(A W B) = (B^T kron A) vec(W)`` with ``A = X`` and ``B = I_K`` (chapter 6).
    Column block k holds X: entry k of a row only sees column k of W.

    Parameters
    ----------
    X : ndarray of float, shape (N, D)
    n_cols : int
        K, the number of columns of W.
    max_bytes : float, default ``DEFAULT_MAX_BYTES``

    Returns
    -------
    ndarray, shape (N * K, D * K)

    Examples
    --------
    >>> import numpy as np
    >>> from gradlab.check import numerical_jacobian
    >>> X, W = np.arange(6.0).reshape(3, 2), np.ones((2, 4))
    >>> J = jacobian_xw_wrt_w(X, 4)
    >>> J.shape, np.allclose(J, numerical_jacobian(lambda V: X @ V, W))
    ((12, 8), True)
    """
    _float_matrix("X", X)
    k = require_positive_int("n_cols", n_cols)
    n, d = X.shape
    _guard(n * k, d * k, X.dtype, _check_max_bytes(max_bytes), "d vec(XW)/d vec(W) = I_K kron X")
    return np.kron(np.eye(k, dtype=X.dtype), X)


def jacobian_xw_wrt_x(W, n_rows, *, max_bytes=DEFAULT_MAX_BYTES):
    """``d vec(X W) / d vec(X) = W^T kron I_N``, for X of shape N x D and W of shape D x K.

    From ``vec(A X B) = (B^T kron A) vec(X)`` with ``A = I_N`` and ``B = W`` (chapter 6).

    Parameters
    ----------
    W : ndarray of float, shape (D, K)
    n_rows : int
        N, the number of rows of X (the batch size).
    max_bytes : float, default ``DEFAULT_MAX_BYTES``

    Returns
    -------
    ndarray, shape (N * K, N * D)

    Examples
    --------
    >>> import numpy as np
    >>> from gradlab.check import numerical_jacobian
    >>> W, X = np.arange(6.0).reshape(2, 3), np.ones((4, 2))
    >>> J = jacobian_xw_wrt_x(W, 4)
    >>> J.shape, np.allclose(J, numerical_jacobian(lambda V: V @ W, X))
    ((12, 8), True)
    """
    _float_matrix("W", W)
    n = require_positive_int("n_rows", n_rows)
    d, k = W.shape
    _guard(n * k, n * d, W.dtype, _check_max_bytes(max_bytes), "d vec(XW)/d vec(X) = W^T kron I_N")
    return np.kron(W.T, np.eye(n, dtype=W.dtype))


def jacobian_elementwise(derivative, *, max_bytes=DEFAULT_MAX_BYTES):
    """``d vec(sigma(S)) / d vec(S) = diag(vec(sigma'(S)))`` for an element-wise sigma.

    Entry (i, j) of sigma(S) depends on entry (i, j) of S alone, so the Jacobian is diagonal
    (chapter 3); its diagonal is sigma' taken at the pre-activation S, stacked like vec.

    Parameters
    ----------
    derivative : ndarray of float, shape (N, K)
        ``sigma'(S)``, e.g. ``gradlab.activations.sigmoid_prime(S)``.
    max_bytes : float, default ``DEFAULT_MAX_BYTES``

    Returns
    -------
    ndarray, shape (N * K, N * K)

    Examples
    --------
    >>> import numpy as np
    >>> jacobian_elementwise(np.array([[1.0, 2.0], [3.0, 4.0]])).diagonal()
    array([1., 3., 2., 4.])
    """
    _float_matrix("derivative", derivative)
    m = derivative.size
    _guard(m, m, derivative.dtype, _check_max_bytes(max_bytes), "diag(vec(sigma'(S)))")
    return np.diag(vec(derivative))


def jacobian_hadamard(B, *, max_bytes=DEFAULT_MAX_BYTES):
    """``d vec(A * B) / d vec(A) = diag(vec(B))``: the Hadamard product as a matrix product.

    ``vec(A * B) = diag(vec(B)) vec(A)``, so by the product rule
    ``d vec(U * U) / d vec(U) = 2 diag(vec(U))`` (the square inside a squared error).

    Parameters
    ----------
    B : ndarray of float, shape (N, K)
        The other factor.
    max_bytes : float, default ``DEFAULT_MAX_BYTES``

    Returns
    -------
    ndarray, shape (N * K, N * K)

    Examples
    --------
    >>> import numpy as np
    >>> A, B = np.array([[1.0, 2.0]]), np.array([[3.0, 5.0]])
    >>> np.allclose(jacobian_hadamard(B) @ vec(A), vec(A * B))
    True
    """
    _float_matrix("B", B)
    m = B.size
    _guard(m, m, B.dtype, _check_max_bytes(max_bytes), "diag(vec(B))")
    return np.diag(vec(B))


def jacobian_bias(n_rows, n_cols, dtype=np.float64):
    """``d vec(1_N b) / d vec(b) = I_K kron 1_N`` for a bias row b of shape 1 x K.

    The bias is added to every one of the N rows, so each entry of b appears N times in
    ``vec(1_N b)``; summing a Jacobian's rows against this matrix is the sum over the batch that
    gives ``dJ/db = 1^T Delta``.

    Parameters
    ----------
    n_rows, n_cols : int
        N and K.
    dtype : float dtype, default np.float64

    Returns
    -------
    ndarray, shape (N * K, K)

    Examples
    --------
    >>> jacobian_bias(2, 2)
    array([[1., 0.],
           [1., 0.],
           [0., 1.],
           [0., 1.]])
    """
    n = require_positive_int("n_rows", n_rows)
    k = require_positive_int("n_cols", n_cols)
    dtype = _float_dtype(dtype)
    return np.kron(np.eye(k, dtype=dtype), np.ones((n, 1), dtype=dtype))


def _check_two_layer(X, Y, W1, b1, W2, b2, activation):
    require_choice("activation", activation, ACTIVATIONS)
    _float_matrix("X", X)
    n, d = X.shape
    _float_matrix("W1", W1)
    require_shape("W1", W1, (d, None), "D x H: its rows must match the columns of X")
    h = W1.shape[1]
    _float_matrix("b1", b1)
    require_shape("b1", b1, (1, h), "1 x H")
    _float_matrix("W2", W2)
    require_shape("W2", W2, (h, None), "H x K: its rows must match the columns of W1")
    k = W2.shape[1]
    _float_matrix("b2", b2)
    require_shape("b2", b2, (1, k), "1 x K")
    _float_matrix("Y", Y)
    require_shape("Y", Y, (n, k), "N x K targets")
    for name, A in (("Y", Y), ("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)):
        if A.dtype != X.dtype:
            raise TypeError(f"{name} must have the dtype of X ({X.dtype}); got {A.dtype}")
    return n, d, h, k


def two_layer_chain(X, Y, W1, b1, W2, b2, activation="sigmoid", *, max_bytes=DEFAULT_MAX_BYTES):
    """Every Jacobian of the chain rule for a two-layer network with a squared error, built.

    The network (the one of the source note, with biases):
    ``S1 = X W1 + 1 b1``, ``A1 = sigma(S1)``, ``S2 = A1 W2 + 1 b2``, ``A2 = sigma(S2)``,
    ``U = A2 - Y``, ``V = U * U``, ``J = 1^T vec(V) / (2N)``, i.e. ``||A2 - Y||_F^2 / (2N)``,
    the loss of ``MLP(..., loss="mse")``.

    Parameters
    ----------
    X : ndarray of float, shape (N, D)
    Y : ndarray, shape (N, K), the dtype of X
    W1 : ndarray, shape (D, H); b1 : ndarray, shape (1, H)
    W2 : ndarray, shape (H, K); b2 : ndarray, shape (1, K)
        The biases are rows, as in ``1 b``; a 1-D bias is a ``ShapeError``, never broadcast
        (its gradient comes back as a row, from ``unvec`` of a 1 x K Jacobian).
    activation : {"sigmoid", "tanh", "relu"}, default "sigmoid"
    max_bytes : float, default ``DEFAULT_MAX_BYTES``
        Limit for each matrix built here; a ``ValueError`` names the first one that would
        exceed it, with its size in bytes.

    Returns
    -------
    dict
        ``"J"``: the loss (float); ``"dJ/dvecV"``: the 1 x NK row ``1^T / (2N)``; and the
        Jacobians, in numerator layout with vec stacking columns:

        ================  ======================  =============
        key               formula                 shape
        ================  ======================  =============
        ``dV/dU``         ``2 diag(vec U)``       NK x NK
        ``dU/dA2``        ``I_{NK}``              NK x NK
        ``dA2/dS2``       ``diag(vec s'(S2))``    NK x NK
        ``dS2/dA1``       ``W2^T kron I_N``       NK x NH
        ``dS2/dW2``       ``I_K kron A1``         NK x HK
        ``dS2/db2``       ``I_K kron 1_N``        NK x K
        ``dA1/dS1``       ``diag(vec s'(S1))``    NH x NH
        ``dS1/dW1``       ``I_H kron X``          NH x DH
        ``dS1/db1``       ``I_H kron 1_N``        NH x H
        ================  ======================  =============

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X, Y = rng.random((4, 2)), rng.random((4, 1))
    >>> W1, b1, W2, b2 = rng.random((2, 3)), rng.random((1, 3)), rng.random((3, 1)), rng.random((1, 1))
    >>> chain = two_layer_chain(X, Y, W1, b1, W2, b2)
    >>> chain["dS2/dA1"].shape, chain["dS1/dW1"].shape
    ((4, 12), (12, 6))
    """
    n, _, h, k = _check_two_layer(X, Y, W1, b1, W2, b2, activation)
    max_bytes = _check_max_bytes(max_bytes)
    act, act_prime = ACTIVATIONS[activation]
    S1 = X @ W1 + b1
    A1 = act(S1)
    S2 = A1 @ W2 + b2
    A2 = act(S2)
    U = A2 - Y
    V = U * U
    _guard(n * k, n * k, X.dtype, max_bytes, "I_{NK}, the Jacobian of U = A2 - Y")
    return {
        "J": float(vec(V).sum()) / (2 * n),
        "dJ/dvecV": np.full((1, n * k), 1.0 / (2 * n), dtype=X.dtype),
        "dV/dU": 2 * jacobian_hadamard(U, max_bytes=max_bytes),
        "dU/dA2": np.eye(n * k, dtype=X.dtype),
        "dA2/dS2": jacobian_elementwise(act_prime(S2), max_bytes=max_bytes),
        "dS2/dA1": jacobian_xw_wrt_x(W2, n, max_bytes=max_bytes),
        "dS2/dW2": jacobian_xw_wrt_w(A1, k, max_bytes=max_bytes),
        "dS2/db2": jacobian_bias(n, k, X.dtype),
        "dA1/dS1": jacobian_elementwise(act_prime(S1), max_bytes=max_bytes),
        "dS1/dW1": jacobian_xw_wrt_w(X, h, max_bytes=max_bytes),
        "dS1/db1": jacobian_bias(n, h, X.dtype),
    }


def two_layer_kron_grads(
    X, Y, W1, b1, W2, b2, activation="sigmoid", *, max_bytes=DEFAULT_MAX_BYTES
):
    """The gradients of a two-layer network by the rigorous route: Jacobians multiplied out.

    Builds every Jacobian of ``two_layer_chain``, multiplies them into the full Jacobians of
    ``vec(V)`` (the squared residuals) with respect to each parameter, as the source note does,
    e.g.

    ``d vec(V)/d vec(W1) = 2 diag(vec U) I diag(vec s'(S2)) (W2^T kron I_N) diag(vec s'(S1)) (I_H kron X)``

    (NK x DH), sums its rows with ``1^T / (2N)`` to get ``dJ/d vec(W1)`` (1 x DH) and reshapes
    that with ``unvec`` to W1's shape D x H. No step exploits structure: this is the route whose
    cost chapter 6 measures (memory ~ N^2 n^2, time ~ N^3 n^2 for width n), against backprop's
    ~ N n.

    Parameters
    ----------
    X, Y, W1, b1, W2, b2, activation, max_bytes
        As for ``two_layer_chain``.

    Returns
    -------
    loss : float
    dWs : list of two ndarrays, shapes (D, H) and (H, K)
    dbs : list of two ndarrays, shapes (1, H) and (1, K)
        The same layout as ``gradlab.mlp.MLP.loss_and_grads``; for
        ``MLP([D, H, K], activation, "mse")`` with the same parameters the results agree to
        rounding (chapter 6 shows 1e-10 in float64).

    Examples
    --------
    >>> import numpy as np
    >>> from gradlab.mlp import MLP
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    >>> net = MLP([2, 3, 1], activation="sigmoid", loss="mse", seed=0)
    >>> _, dWs, dbs = net.loss_and_grads(X, Y)
    >>> _, kWs, kbs = two_layer_kron_grads(X, Y, net.weights[0], net.biases[0],
    ...                                    net.weights[1], net.biases[1])
    >>> max(float(np.max(np.abs(a - b))) for a, b in zip(dWs + dbs, kWs + kbs)) < 1e-12
    True
    """
    n, d, h, k = _check_two_layer(X, Y, W1, b1, W2, b2, activation)
    max_bytes = _check_max_bytes(max_bytes)
    # The largest products, checked before any work starts.
    _guard(n * k, n * h, X.dtype, max_bytes, "d vec(V)/d vec(A1)")
    _guard(n * k, d * h, X.dtype, max_bytes, "d vec(V)/d vec(W1)")
    c = two_layer_chain(X, Y, W1, b1, W2, b2, activation, max_bytes=max_bytes)
    # d vec(V) / d vec(S2), then down the chain: matrix times matrix, left to right.
    dV_dS2 = c["dV/dU"] @ c["dU/dA2"] @ c["dA2/dS2"]
    dV_dW2 = dV_dS2 @ c["dS2/dW2"]
    dV_db2 = dV_dS2 @ c["dS2/db2"]
    dV_dS1 = dV_dS2 @ c["dS2/dA1"] @ c["dA1/dS1"]
    dV_dW1 = dV_dS1 @ c["dS1/dW1"]
    dV_db1 = dV_dS1 @ c["dS1/db1"]
    row = c["dJ/dvecV"]  # 1 x NK: J = 1^T vec(V) / (2N)
    dW1 = unvec(row @ dV_dW1, W1.shape)
    dW2 = unvec(row @ dV_dW2, W2.shape)
    db1 = unvec(row @ dV_db1, b1.shape)
    db2 = unvec(row @ dV_db2, b2.shape)
    return c["J"], [dW1, dW2], [db1, db2]
