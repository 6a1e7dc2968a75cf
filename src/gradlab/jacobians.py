"""The Jacobian rules of the cs224n gradient notes, as functions that return the matrices.

Chapter 3 ("Jacobian rules and layouts") derives each rule by index algebra and checks it
against ``gradlab.check.numerical_jacobian``. Every Jacobian here is in **numerator layout**:
for f: R^n -> R^m it is m x n, row i the derivatives of output i, column j the derivatives
with respect to input j.

Vectors are 1-D NumPy arrays. The rules read them as the notes do: in z = Wx, x and z are
columns; in z = xW, x and z are rows. A 1-D array has no orientation, so the functions take
1-D arrays and the names say which product is meant.

A Jacobian with respect to a matrix W treats W as the vector of its entries. Which vector
depends on how W is flattened: ``order="F"`` (the default, as in ``numerical_jacobian``)
stacks the columns, vec(W), so W[k, l] is entry k + l * rows; ``order="C"`` stacks the rows,
NumPy's ``W.ravel()``, so W[k, l] is entry k * cols + l. The two give the same numbers in a
different column order, and mixing them is a silent bug.

Nobody materialises a Jacobian with respect to a matrix in practice (chapter 3 draws why: it
is mostly zeros). Backprop needs only its product with the upstream gradient, which the
``grad_W_for_*`` functions compute directly, in W's shape.
"""

from __future__ import annotations

import numpy as np

from gradlab._validate import (
    choice_hint,
    require_finite,
    require_float,
    require_ndim,
    require_nonempty,
    shape_text,
)
from gradlab.shapes import ShapeError

__all__ = [
    "grad_W_for_Wx",
    "grad_W_for_xW",
    "jacobian_Wx_wrt_W",
    "jacobian_Wx_wrt_x",
    "jacobian_elementwise",
    "jacobian_identity",
    "jacobian_xW_wrt_W",
    "jacobian_xW_wrt_x",
]

_ORDERS = ("F", "C")


def _matrix(name, W):
    require_float(name, W)
    require_ndim(name, W, 2)
    require_nonempty(name, W, axis=0, what="rows")
    require_nonempty(name, W, axis=1, what="columns")
    return require_finite(name, W)


def _vector(name, v, length=None, meaning="", matrix=None):
    """A 1-D float vector; ``matrix`` (name, shape) makes a length mistake mention W's shape."""
    require_float(name, v)
    if v.ndim != 1:
        hint = ""
        if v.ndim == 2 and 1 in v.shape:
            hint = f": pass {name}.ravel(), a 1-D array of length {v.size}"
        raise ShapeError(
            f"{name} must be a 1-D vector{f' ({meaning})' if meaning else ''}; got shape "
            f"{shape_text(v.shape)}{hint}"
        )
    if length is not None and v.shape[0] != length:
        hint = ""
        if matrix is not None and v.shape[0] in matrix[1] and matrix[1][0] != matrix[1][1]:
            hint = (
                f" ({matrix[0]} is {shape_text(matrix[1])}: is {matrix[0]} transposed, or is "
                "this the other rule?)"
            )
        raise ShapeError(
            f"{name} must have length {length}{f' ({meaning})' if meaning else ''}; "
            f"got length {v.shape[0]}{hint}"
        )
    require_nonempty(name, v, axis=0, what="entries")
    return require_finite(name, v)


def _order(order):
    if order not in _ORDERS:
        raise ValueError(
            f'order must be "F" (stack the columns of W, vec) or "C" (stack its rows); '
            f"got {order!r}"
        )
    return order


def jacobian_Wx_wrt_x(W, x):
    """Rule 1: the Jacobian of z = Wx with respect to x is W.

    ``z_i = sum_k W_ik x_k``, so ``dz_i/dx_j = W_ij``: the Jacobian *is* W (chapter 3).

    Parameters
    ----------
    W : ndarray of float, shape (m, n)
    x : ndarray of float, shape (n,)
        The column x in z = Wx (its value does not matter: z is linear in x).

    Returns
    -------
    ndarray, shape (m, n)
        Numerator layout: outputs down, inputs across.

    Raises
    ------
    TypeError
        W or x is not a floating-point array.
    ShapeError
        W is not 2-D, x is not 1-D, or x's length is not W.shape[1].
    ValueError
        NaN or inf in W or x.

    Examples
    --------
    >>> import numpy as np
    >>> from gradlab.check import numerical_jacobian
    >>> W, x = np.arange(6.0).reshape(2, 3), np.ones(3)
    >>> np.allclose(jacobian_Wx_wrt_x(W, x), numerical_jacobian(lambda v: W @ v, x))
    True
    """
    W = _matrix("W", W)
    _vector("x", x, W.shape[1], "the columns of W", matrix=("W", W.shape))
    return W.copy()


def jacobian_xW_wrt_x(x, W):
    """Rule 2: the Jacobian of z = xW (x a row) with respect to x is W^T.

    ``z_j = sum_k x_k W_kj``, so ``dz_j/dx_i = W_ij``; row j of the Jacobian is column j of
    W, so the Jacobian is W^T, n x m for W of shape (m, n) (chapter 3).

    Parameters
    ----------
    x : ndarray of float, shape (m,)
        The row x in z = xW.
    W : ndarray of float, shape (m, n)

    Returns
    -------
    ndarray, shape (n, m)

    Raises
    ------
    TypeError, ShapeError, ValueError
        As ``jacobian_Wx_wrt_x``; x's length must be W.shape[0].

    Examples
    --------
    >>> import numpy as np
    >>> from gradlab.check import numerical_jacobian
    >>> W, x = np.arange(6.0).reshape(3, 2), np.ones(3)
    >>> np.allclose(jacobian_xW_wrt_x(x, W), numerical_jacobian(lambda v: v @ W, x))
    True
    """
    W = _matrix("W", W)
    _vector("x", x, W.shape[0], "the rows of W", matrix=("W", W.shape))
    return W.T.copy()


def jacobian_identity(x):
    """Rule 3: the Jacobian of z = x with respect to x is the identity I (n x n).

    ``dz_i/dx_j`` is 1 when i = j and 0 otherwise. In a chain of Jacobians it drops out.

    Parameters
    ----------
    x : ndarray of float, shape (n,)

    Returns
    -------
    ndarray, shape (n, n)

    Examples
    --------
    >>> import numpy as np
    >>> jacobian_identity(np.zeros(2))
    array([[1., 0.],
           [0., 1.]])
    """
    x = _vector("x", x)
    return np.eye(x.shape[0], dtype=x.dtype)


def jacobian_elementwise(x, derivative):
    """Rule 4: the Jacobian of z = f(x), f applied entry by entry, is diag(f'(x)).

    ``z_i = f(x_i)`` depends on ``x_i`` only, so ``dz_i/dx_j = f'(x_i)`` when i = j and 0
    otherwise. Multiplying by this diagonal matrix is an element-wise product with f'(x),
    which is how backprop applies it (chapter 3).

    Parameters
    ----------
    x : ndarray of float, shape (n,)
        The point (the pre-activation, where f' belongs).
    derivative : callable or {"sigmoid", "tanh", "relu"}
        f', applied element-wise; a name picks the derivative from
        ``gradlab.activations.ACTIVATIONS`` (ReLU'(0) = 0).

    Returns
    -------
    ndarray, shape (n, n)

    Raises
    ------
    TypeError
        ``derivative`` is neither callable nor a string, or x is not a float array.
    ValueError
        An unknown activation name, NaN or inf in x, or f'(x) not finite.
    ShapeError
        x is not 1-D, or ``derivative(x)`` does not have x's shape.

    Examples
    --------
    >>> import numpy as np
    >>> jacobian_elementwise(np.array([-1.0, 2.0]), "relu")
    array([[0., 0.],
           [0., 1.]])
    """
    from gradlab.activations import ACTIVATIONS

    x = _vector("x", x)
    if isinstance(derivative, str):
        if derivative not in ACTIVATIONS:
            raise ValueError(
                f"derivative must be a callable or one of {', '.join(sorted(ACTIVATIONS))}; "
                f"got {derivative!r}{choice_hint(derivative, ACTIVATIONS)}"
            )
        derivative = ACTIVATIONS[derivative][1]
    elif not callable(derivative):
        raise TypeError(
            f"derivative must be a callable f' or an activation name; got {type(derivative).__name__}"
        )
    d = np.asarray(derivative(x), dtype=np.float64)
    if d.shape != x.shape:
        raise ShapeError(
            f"derivative(x) must have x's shape {shape_text(x.shape)} (f' is applied entry by "
            f"entry); got {shape_text(d.shape)}"
        )
    require_finite("derivative(x)", d)
    return np.diag(d)


def jacobian_Wx_wrt_W(W, x, order="F"):
    """The Jacobian of z = Wx with respect to W, with W flattened into a vector.

    ``z_i = sum_l W_il x_l``, so ``dz_i/dW_kl = x_l`` when k = i and 0 otherwise: each
    output depends on one row of W only. Flattened by columns (vec, ``order="F"``) this is
    the Kronecker product ``x^T (x) I_m``; by rows (``order="C"``) it is ``I_m (x) x^T``.
    Only m*n of its m*m*n entries are non-zero (chapter 3 draws the pattern).

    Parameters
    ----------
    W : ndarray of float, shape (m, n)
        Only its shape matters (z is linear in W).
    x : ndarray of float, shape (n,)
    order : {"F", "C"}, default "F"
        How W is flattened: "F" stacks its columns (vec(W), W[k, l] is entry k + l*m),
        "C" stacks its rows (W[k, l] is entry k*n + l). ``numerical_jacobian`` uses the
        same argument, with the same default.

    Returns
    -------
    ndarray, shape (m, m * n)
        Numerator layout: the m outputs down, the m*n entries of W across.

    Raises
    ------
    TypeError, ShapeError, ValueError
        As ``jacobian_Wx_wrt_x``, and ValueError for an unknown ``order``.

    Examples
    --------
    >>> import numpy as np
    >>> from gradlab.check import numerical_jacobian
    >>> W, x = np.ones((2, 3)), np.array([1.0, 2.0, 3.0])
    >>> J = jacobian_Wx_wrt_W(W, x)
    >>> J.shape, np.allclose(J, numerical_jacobian(lambda M: M @ x, W))
    ((2, 6), True)
    """
    order = _order(order)
    W = _matrix("W", W)
    x = _vector("x", x, W.shape[1], "the columns of W", matrix=("W", W.shape))
    eye = np.eye(W.shape[0], dtype=np.result_type(W, x))
    row = x[np.newaxis, :]
    return np.kron(row, eye) if order == "F" else np.kron(eye, row)


def jacobian_xW_wrt_W(x, W, order="F"):
    """The Jacobian of z = xW (x a row) with respect to W, with W flattened into a vector.

    ``z_j = sum_k x_k W_kj``, so ``dz_j/dW_kl = x_k`` when l = j and 0 otherwise: each
    output depends on one column of W only. By columns (``order="F"``) this is
    ``I_n (x) x``; by rows (``order="C"``) it is ``x (x) I_n`` (x as a 1 x m row).

    Parameters
    ----------
    x : ndarray of float, shape (m,)
    W : ndarray of float, shape (m, n)
    order : {"F", "C"}, default "F"
        How W is flattened, as in ``jacobian_Wx_wrt_W``.

    Returns
    -------
    ndarray, shape (n, m * n)

    Raises
    ------
    TypeError, ShapeError, ValueError
        As ``jacobian_Wx_wrt_W``; x's length must be W.shape[0].

    Examples
    --------
    >>> import numpy as np
    >>> from gradlab.check import numerical_jacobian
    >>> x, W = np.array([1.0, 2.0]), np.ones((2, 3))
    >>> J = jacobian_xW_wrt_W(x, W, order="C")
    >>> J.shape, np.allclose(J, numerical_jacobian(lambda M: x @ M, W, order="C"))
    ((3, 6), True)
    """
    order = _order(order)
    W = _matrix("W", W)
    x = _vector("x", x, W.shape[0], "the rows of W", matrix=("W", W.shape))
    eye = np.eye(W.shape[1], dtype=np.result_type(W, x))
    row = x[np.newaxis, :]
    return np.kron(eye, row) if order == "F" else np.kron(row, eye)


def grad_W_for_Wx(delta, x):
    """Rule 5: dJ/dW for z = Wx, given delta = dJ/dz: the outer product delta x^T.

    ``dJ/dW_ij = sum_k delta_k dz_k/dW_ij = delta_i x_j``. With delta and x as columns that
    is ``delta x^T``, (m x 1)(1 x n) = m x n, W's shape. (Source note 001 boxes
    ``delta^T x`` with delta a row; those shapes, (m x 1)(n x 1), do not multiply. Chapter 3
    corrects it: with delta a row the product is ``delta^T x^T``.)

    Parameters
    ----------
    delta : ndarray of float, shape (m,)
        The gradient of the scalar J with respect to z.
    x : ndarray of float, shape (n,)

    Returns
    -------
    ndarray, shape (m, n)
        The gradient of J with respect to W, in W's shape.

    Raises
    ------
    TypeError
        delta or x is not a floating-point array.
    ShapeError
        delta or x is not 1-D.
    ValueError
        NaN or inf.

    Examples
    --------
    >>> import numpy as np
    >>> grad_W_for_Wx(np.array([1.0, -1.0]), np.array([1.0, 2.0, 3.0]))
    array([[ 1.,  2.,  3.],
           [-1., -2., -3.]])
    """
    delta = _vector("delta", delta, meaning="dJ/dz, one entry per row of W")
    x = _vector("x", x, meaning="one entry per column of W")
    return np.outer(delta, x)


def grad_W_for_xW(x, delta):
    """Rule 6: dJ/dW for z = xW (x a row), given delta = dJ/dz: the outer product x^T delta.

    ``dJ/dW_ij = sum_k delta_k dz_k/dW_ij = x_i delta_j``. With x and delta as rows that is
    ``x^T delta``, (m x 1)(1 x n) = m x n, W's shape (chapter 3).

    Parameters
    ----------
    x : ndarray of float, shape (m,)
    delta : ndarray of float, shape (n,)
        The gradient of the scalar J with respect to z.

    Returns
    -------
    ndarray, shape (m, n)

    Raises
    ------
    TypeError, ShapeError, ValueError
        As ``grad_W_for_Wx``.

    Examples
    --------
    >>> import numpy as np
    >>> grad_W_for_xW(np.array([1.0, 2.0]), np.array([3.0, 0.0, -1.0]))
    array([[ 3.,  0., -1.],
           [ 6.,  0., -2.]])
    """
    x = _vector("x", x, meaning="one entry per row of W")
    delta = _vector("delta", delta, meaning="dJ/dz, one entry per column of W")
    return np.outer(x, delta)
