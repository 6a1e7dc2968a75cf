"""gradlab.jacobians: each rule against numerical_jacobian over random shapes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradlab.activations import sigmoid, tanh_prime
from gradlab.check import numerical_gradient, numerical_jacobian
from gradlab.jacobians import (
    grad_W_for_Wx,
    grad_W_for_xW,
    jacobian_elementwise,
    jacobian_identity,
    jacobian_Wx_wrt_W,
    jacobian_Wx_wrt_x,
    jacobian_xW_wrt_W,
    jacobian_xW_wrt_x,
)
from gradlab.shapes import ShapeError

SIZE = st.integers(min_value=1, max_value=5)
SEED = st.integers(min_value=0, max_value=10_000)
PROPERTY = settings(max_examples=25, deadline=None)


def arrays(seed, *shapes):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s) for s in shapes]


@PROPERTY
@given(m=SIZE, n=SIZE, seed=SEED)
def test_rule1_Wx_wrt_x_is_W(m, n, seed):
    W, x = arrays(seed, (m, n), n)
    J = jacobian_Wx_wrt_x(W, x)
    assert J.shape == (m, n)
    assert np.allclose(J, numerical_jacobian(lambda v: W @ v, x))


@PROPERTY
@given(m=SIZE, n=SIZE, seed=SEED)
def test_rule2_xW_wrt_x_is_W_transposed(m, n, seed):
    x, W = arrays(seed, m, (m, n))
    J = jacobian_xW_wrt_x(x, W)
    assert J.shape == (n, m)
    assert np.allclose(J, numerical_jacobian(lambda v: v @ W, x))


@PROPERTY
@given(n=SIZE, seed=SEED)
def test_rule3_identity(n, seed):
    (x,) = arrays(seed, n)
    assert np.allclose(jacobian_identity(x), numerical_jacobian(lambda v: v.copy(), x))


@PROPERTY
@given(n=SIZE, seed=SEED, name=st.sampled_from(["sigmoid", "tanh", "sin"]))
def test_rule4_elementwise_is_diagonal(n, seed, name):
    (x,) = arrays(seed, n)
    f, derivative = {
        "sigmoid": (sigmoid, "sigmoid"),
        "tanh": (np.tanh, tanh_prime),
        "sin": (np.sin, np.cos),
    }[name]
    J = jacobian_elementwise(x, derivative)
    assert np.allclose(J, numerical_jacobian(f, x), atol=1e-9)
    assert np.count_nonzero(J - np.diag(np.diag(J))) == 0


def test_rule4_relu_uses_relu_prime_zero_at_zero():
    x = np.array([-1.0, 0.0, 2.0])
    assert np.array_equal(np.diag(jacobian_elementwise(x, "relu")), [0.0, 0.0, 1.0])


@PROPERTY
@given(m=SIZE, n=SIZE, seed=SEED, order=st.sampled_from(["F", "C"]))
def test_Wx_wrt_W_in_both_flattening_orders(m, n, seed, order):
    W, x = arrays(seed, (m, n), n)
    J = jacobian_Wx_wrt_W(W, x, order=order)
    assert J.shape == (m, m * n)
    assert np.allclose(J, numerical_jacobian(lambda M: M @ x, W, order=order))


@PROPERTY
@given(m=SIZE, n=SIZE, seed=SEED, order=st.sampled_from(["F", "C"]))
def test_xW_wrt_W_in_both_flattening_orders(m, n, seed, order):
    x, W = arrays(seed, m, (m, n))
    J = jacobian_xW_wrt_W(x, W, order=order)
    assert J.shape == (n, m * n)
    assert np.allclose(J, numerical_jacobian(lambda M: x @ M, W, order=order))


def test_the_two_orders_differ_when_W_has_two_rows_and_columns():
    W, x = arrays(1, (2, 3), 3)
    assert not np.allclose(jacobian_Wx_wrt_W(W, x, "F"), jacobian_Wx_wrt_W(W, x, "C"))


@PROPERTY
@given(m=SIZE, n=SIZE, seed=SEED)
def test_rule5_grad_W_for_Wx_is_delta_x_transposed(m, n, seed):
    W, x, c = arrays(seed, (m, n), n, m)

    def J(M):  # a scalar of z = Mx
        return float(np.sum(c * np.sin(M @ x)))

    delta = c * np.cos(W @ x)  # dJ/dz
    grad = grad_W_for_Wx(delta, x)
    assert grad.shape == W.shape
    assert np.allclose(grad, numerical_gradient(J, W), rtol=1e-6, atol=1e-9)
    # The same numbers as delta^T times the full Jacobian, reshaped by columns.
    row = delta @ jacobian_Wx_wrt_W(W, x, order="F")
    assert np.allclose(grad, row.reshape(W.shape, order="F"))


@PROPERTY
@given(m=SIZE, n=SIZE, seed=SEED)
def test_rule6_grad_W_for_xW_is_x_transposed_delta(m, n, seed):
    x, W, c = arrays(seed, m, (m, n), n)

    def J(M):
        return float(np.sum(c * np.tanh(x @ M)))

    delta = c * tanh_prime(x @ W)
    grad = grad_W_for_xW(x, delta)
    assert grad.shape == W.shape
    assert np.allclose(grad, numerical_gradient(J, W), rtol=1e-6, atol=1e-9)
    row = delta @ jacobian_xW_wrt_W(x, W, order="C")
    assert np.allclose(grad, row.reshape(W.shape, order="C"))


class TestBadInput:
    def test_x_with_the_wrong_length(self):
        with pytest.raises(
            ShapeError, match="x must have length 3 .the columns of W.; got length 2"
        ):
            jacobian_Wx_wrt_x(np.ones((2, 3)), np.ones(2))
        with pytest.raises(ShapeError, match="x must have length 2 .the rows of W.; got length 3"):
            jacobian_xW_wrt_W(np.ones(3), np.ones((2, 3)))

    def test_a_column_x_gets_a_ravel_hint(self):
        with pytest.raises(
            ShapeError, match=r"x must be a 1-D vector.*got shape \(3, 1\): pass x.ravel\(\)"
        ):
            jacobian_Wx_wrt_W(np.ones((2, 3)), np.ones((3, 1)))

    def test_W_must_be_a_matrix(self):
        with pytest.raises(ShapeError, match="W must be a 2-D array"):
            jacobian_xW_wrt_x(np.ones(3), np.ones(3))

    def test_types_and_values(self):
        with pytest.raises(TypeError, match="W must be a floating-point array"):
            jacobian_Wx_wrt_x(np.ones((2, 2), dtype=int), np.ones(2))
        with pytest.raises(TypeError, match="delta must be a NumPy array"):
            grad_W_for_Wx([1.0], np.ones(2))
        with pytest.raises(ValueError, match="x must be finite"):
            grad_W_for_xW(np.array([np.nan]), np.ones(2))

    def test_order(self):
        with pytest.raises(ValueError, match="order must be \"F\".*got 'K'"):
            jacobian_Wx_wrt_W(np.ones((2, 2)), np.ones(2), order="K")

    def test_delta_must_be_a_vector(self):
        with pytest.raises(
            ShapeError,
            match=r"delta must be a 1-D vector .dJ/dz, one entry per row of W.; got shape \(1, 2\): pass delta.ravel\(\)",
        ):
            grad_W_for_Wx(np.ones((1, 2)), np.ones(3))

    def test_elementwise_derivative(self):
        x = np.ones(3)
        with pytest.raises(ValueError, match="one of relu, sigmoid, tanh; got 'softplus'"):
            jacobian_elementwise(x, "softplus")
        with pytest.raises(
            TypeError, match="derivative must be a callable f' or an activation name; got int"
        ):
            jacobian_elementwise(x, 3)
        with pytest.raises(
            ShapeError, match=r"derivative\(x\) must have x's shape \(3,\).*got \(\)"
        ):
            jacobian_elementwise(x, lambda v: 1.0)
        with pytest.raises(ValueError, match=r"derivative\(x\) must be finite"):
            jacobian_elementwise(x, lambda v: np.full(v.shape, np.inf))
