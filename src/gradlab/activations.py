"""Element-wise activations, their derivatives, and a numerically stable softmax.

Chapter 3 ("Jacobian rules and layouts") explains why an element-wise function has a diagonal
Jacobian, so its backward pass is an element-wise product with the derivative; chapter 5 ("SVM
and softmax gradients") derives the softmax and its Jacobian diag(p) - p p^T; chapter 6
("Matrix-form backprop") uses all of them.

Every derivative here takes the *pre-activation* Z, the point where the derivative belongs
(the source notes wrote it as a function of the output; only for some activations is that
the same thing, e.g. sigmoid'(Z) = A * (1 - A)).

Inputs: the element-wise functions take an array (or a list, or a scalar) of real numbers, int
or float; bool, complex and object arrays are a ``TypeError``, NaN or inf a ``ValueError`` (a
NaN pre-activation means something upstream already went wrong: better to say so here than to
pass NaN on). ``softmax`` and ``log_softmax`` take a float score matrix (N, K) with K >= 1.
"""

from __future__ import annotations

import numpy as np

from gradlab._validate import (
    require_finite,
    require_float,
    require_ndim,
    require_nonempty,
    require_real,
)

__all__ = [
    "ACTIVATIONS",
    "log_softmax",
    "relu",
    "relu_prime",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
    "tanh",
    "tanh_prime",
]


def _pre_activation(Z):
    """Z as an array of finite real numbers (see the module docstring), else a clear error."""
    return require_finite("Z", require_real("Z", Z))


def sigmoid(Z):
    """Logistic sigmoid 1 / (1 + exp(-Z)), element-wise, without overflow warnings.

    Examples
    --------
    >>> import numpy as np
    >>> sigmoid(np.array([0.0, 1000.0, -1000.0]))
    array([0.5, 1. , 0. ])
    """
    Z = _pre_activation(Z)
    # exp(min(Z, 0)) / (1 + exp(-|Z|)) is 1 / (1 + exp(-Z)) for Z >= 0 and
    # exp(Z) / (1 + exp(Z)) for Z < 0: both exponents are <= 0, so nothing overflows and tiny
    # outputs keep their relative precision, with no branch and no boolean indexing.
    return np.exp(np.minimum(Z, 0)) / (1 + np.exp(-np.abs(Z)))


def sigmoid_prime(Z):
    """Derivative of the sigmoid at the pre-activation Z: s(Z) * (1 - s(Z)).

    Examples
    --------
    >>> import numpy as np
    >>> sigmoid_prime(np.array([0.0]))
    array([0.25])
    """
    s = sigmoid(Z)
    return s * (1.0 - s)


def tanh(Z):
    """Hyperbolic tangent, element-wise."""
    return np.tanh(_pre_activation(Z))


def tanh_prime(Z):
    """Derivative of tanh at the pre-activation Z: 1 - tanh(Z)^2."""
    t = np.tanh(_pre_activation(Z))
    return 1.0 - t * t


def relu(Z):
    """max(0, Z), element-wise (an int array stays int)."""
    return np.maximum(_pre_activation(Z), 0)


def relu_prime(Z):
    """1 where Z > 0, else 0: the course's convention ReLU'(0) = 0 (a subgradient)."""
    Z = _pre_activation(Z)
    return (Z > 0).astype(np.result_type(Z, np.float32))


#: name -> (function, derivative at the pre-activation)
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
}


def _scores(S):
    require_float("S", S)
    require_ndim("S", S, 2, "scores, one row per example")
    require_nonempty("S", S, axis=1, what="columns (classes)")
    return require_finite("S", S)


def softmax(S):
    """Row-wise softmax of a score matrix, shifted by each row's max so exp never overflows.

    Parameters
    ----------
    S : ndarray, shape (N, K)
        Scores, one row per example.

    Returns
    -------
    ndarray, shape (N, K)
        Probabilities; each row sums to one.

    Raises
    ------
    TypeError
        S is not a floating-point NumPy array.
    ShapeError
        S is not 2-D (a single example is one row, shape (1, K)).
    ValueError
        S has no columns, or holds NaN or inf.

    Examples
    --------
    >>> import numpy as np
    >>> softmax(np.array([[1000.0, 1000.0]]))
    array([[0.5, 0.5]])
    """
    _scores(S)
    shifted = S - S.max(axis=1, keepdims=True)
    E = np.exp(shifted)
    return E / E.sum(axis=1, keepdims=True)


def log_softmax(S):
    """Row-wise log of the softmax, computed stably as shifted - log(sum(exp(shifted)))."""
    _scores(S)
    shifted = S - S.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
