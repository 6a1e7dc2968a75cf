"""gradlab.vec: vec stacks columns, each Kronecker Jacobian is the numeric one, the chain is backprop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradlab.activations import ACTIVATIONS
from gradlab.check import numerical_gradient, numerical_jacobian
from gradlab.mlp import MLP
from gradlab.shapes import ShapeError
from gradlab.vec import (
    jacobian_bias,
    jacobian_elementwise,
    jacobian_hadamard,
    jacobian_xw_wrt_w,
    jacobian_xw_wrt_x,
    matrix_nbytes,
    two_layer_chain,
    two_layer_kron_grads,
    unvec,
    vec,
)

dims = st.integers(1, 4)
seeds = st.integers(0, 2**16)


def rand(rng, *shape):
    return rng.standard_normal(shape)


class TestVec:
    @settings(max_examples=25, deadline=None)
    @given(m=dims, n=dims, seed=seeds)
    def test_round_trip_and_column_order(self, m, n, seed):
        A = rand(np.random.default_rng(seed), m, n)
        v = vec(A)
        assert v.shape == (m * n,)
        for i in range(m):
            for j in range(n):
                assert v[i + j * m] == A[i, j]  # column j occupies positions j*m .. j*m + m - 1
        assert np.array_equal(unvec(v, (m, n)), A)
        assert np.array_equal(vec(unvec(v, (m, n))), v)
        assert np.array_equal(unvec(v.reshape(1, -1), (m, n)), A)  # a 1 x mn Jacobian row

    @settings(max_examples=25, deadline=None)
    @given(p=dims, m=dims, n=dims, q=dims, seed=seeds)
    def test_vec_of_a_triple_product(self, p, m, n, q, seed):
        rng = np.random.default_rng(seed)
        A, X, B = rand(rng, p, m), rand(rng, m, n), rand(rng, n, q)
        np.testing.assert_allclose(vec(A @ X @ B), np.kron(B.T, A) @ vec(X), atol=1e-12)
        # NumPy's default (row-stacking) reshape pairs with the other Kronecker order
        np.testing.assert_allclose((A @ X @ B).ravel(), np.kron(A, B.T) @ X.ravel(), atol=1e-12)

    def test_row_stacking_is_not_vec(self):
        rng = np.random.default_rng(0)
        A, X, B = rand(rng, 3, 2), rand(rng, 2, 4), rand(rng, 4, 3)
        assert not np.allclose((A @ X @ B).ravel(), np.kron(B.T, A) @ X.ravel())

    def test_bad_input(self):
        with pytest.raises(ShapeError, match="A must be a 2-D array \\(vec takes a matrix\\)"):
            vec(np.zeros(3))
        with pytest.raises(TypeError, match="A must be a NumPy array; got list"):
            vec([[1.0]])
        with pytest.raises(ShapeError, match="v must hold m \\* n = 2 \\* 3 = 6 entries.*got 5"):
            unvec(np.zeros(5), (2, 3))
        with pytest.raises(ShapeError, match="v must be a vector"):
            unvec(np.zeros((2, 3)), (2, 3))
        with pytest.raises(TypeError, match="shape must be a tuple of two integers"):
            unvec(np.zeros(6), [2, 3])
        with pytest.raises(ValueError, match="shape must hold two positive sizes"):
            unvec(np.zeros(0), (0, 3))


class TestBuildingBlocks:
    @settings(max_examples=25, deadline=None)
    @given(n=dims, d=dims, k=dims, seed=seeds)
    def test_matmul_jacobians_are_the_numeric_ones(self, n, d, k, seed):
        rng = np.random.default_rng(seed)
        X, W = rand(rng, n, d), rand(rng, d, k)
        J_w = jacobian_xw_wrt_w(X, k)
        J_x = jacobian_xw_wrt_x(W, n)
        assert J_w.shape == (n * k, d * k) and J_x.shape == (n * k, n * d)
        np.testing.assert_allclose(J_w, numerical_jacobian(lambda V: X @ V, W), atol=1e-8)
        np.testing.assert_allclose(J_x, numerical_jacobian(lambda V: V @ W, X), atol=1e-8)
        np.testing.assert_array_equal(J_w, np.kron(np.eye(k), X))
        np.testing.assert_array_equal(J_x, np.kron(W.T, np.eye(n)))

    @pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
    def test_elementwise_jacobian_is_diag_of_the_derivative(self, activation):
        act, prime = ACTIVATIONS[activation]
        S = rand(np.random.default_rng(1), 3, 4)
        J = jacobian_elementwise(prime(S))
        np.testing.assert_allclose(J, numerical_jacobian(act, S), atol=1e-8)
        assert np.count_nonzero(J - np.diag(np.diagonal(J))) == 0

    def test_hadamard_jacobian(self):
        rng = np.random.default_rng(2)
        A, B = rand(rng, 3, 2), rand(rng, 3, 2)
        np.testing.assert_allclose(
            jacobian_hadamard(B), numerical_jacobian(lambda V: V * B, A), atol=1e-8
        )
        np.testing.assert_allclose(  # the product rule: d vec(U*U)/d vec(U) = 2 diag(vec U)
            2 * jacobian_hadamard(A), numerical_jacobian(lambda V: V * V, A), atol=1e-8
        )

    def test_bias_jacobian(self):
        b = rand(np.random.default_rng(3), 1, 3)
        ones = np.ones((4, 1))
        np.testing.assert_allclose(
            jacobian_bias(4, 3), numerical_jacobian(lambda v: ones @ v, b), atol=1e-8
        )

    def test_size_guard_names_the_bytes(self):
        X = np.zeros((3, 2))
        assert matrix_nbytes(12, 8) == 768
        with pytest.raises(
            ValueError, match=r"dense 12 x 8 float64 matrix of 768 bytes.*above max_bytes = 700"
        ):
            jacobian_xw_wrt_w(X, 4, max_bytes=700)
        jacobian_xw_wrt_w(X, 4, max_bytes=768)  # exactly at the limit is allowed
        with pytest.raises(ValueError, match="W\\^T kron I_N would be a dense 20 x 10"):
            jacobian_xw_wrt_x(np.zeros((2, 4)), 5, max_bytes=100)
        with pytest.raises(
            ValueError, match="diag\\(vec\\(sigma'\\(S\\)\\)\\) would be a dense 6 x 6"
        ):
            jacobian_elementwise(np.ones((3, 2)), max_bytes=100)
        with pytest.raises(ValueError, match="max_bytes must be a finite number > 0"):
            jacobian_hadamard(np.ones((3, 2)), max_bytes=-1)

    def test_bad_input(self):
        with pytest.raises(TypeError, match="X must be a floating-point array"):
            jacobian_xw_wrt_w(np.zeros((2, 2), dtype=int), 2)
        with pytest.raises(ValueError, match="n_cols must be a positive integer; got 0"):
            jacobian_xw_wrt_w(np.zeros((2, 2)), 0)
        with pytest.raises(ValueError, match="derivative must be finite"):
            jacobian_elementwise(np.array([[np.nan]]))
        with pytest.raises(ShapeError, match="B must be a 2-D array"):
            jacobian_hadamard(np.ones(3))


def two_layer_problem(n, d, h, k, seed):
    rng = np.random.default_rng(seed)
    return (
        rand(rng, n, d),
        rng.random((n, k)),
        rand(rng, d, h),
        0.5 * rand(rng, 1, h),
        rand(rng, h, k),
        0.5 * rand(rng, 1, k),
    )


class TestTwoLayerChain:
    @pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
    def test_each_factor_is_the_numeric_jacobian_of_its_step(self, activation):
        X, Y, W1, b1, W2, b2 = two_layer_problem(3, 2, 4, 2, seed=5)
        act, _ = ACTIVATIONS[activation]
        c = two_layer_chain(X, Y, W1, b1, W2, b2, activation)
        S1 = X @ W1 + b1
        A1 = act(S1)
        S2 = A1 @ W2 + b2
        U = act(S2) - Y
        steps = {
            "dV/dU": (lambda V: V * V, U),
            "dU/dA2": (lambda V: V - Y, act(S2)),
            "dA2/dS2": (act, S2),
            "dS2/dA1": (lambda V: V @ W2 + b2, A1),
            "dS2/dW2": (lambda V: A1 @ V + b2, W2),
            "dS2/db2": (lambda V: A1 @ W2 + V, b2),
            "dA1/dS1": (act, S1),
            "dS1/dW1": (lambda V: X @ V + b1, W1),
            "dS1/db1": (lambda V: X @ W1 + V, b1),
        }
        for key, (F, point) in steps.items():
            np.testing.assert_allclose(c[key], numerical_jacobian(F, point), atol=1e-7, err_msg=key)
        assert c["J"] == pytest.approx(np.sum(U * U) / (2 * 3))

    @settings(max_examples=25, deadline=None)
    @given(
        n=dims,
        d=dims,
        h=dims,
        k=dims,
        activation=st.sampled_from(sorted(ACTIVATIONS)),
        seed=seeds,
    )
    def test_kron_route_equals_backprop(self, n, d, h, k, activation, seed):
        X, Y, W1, b1, W2, b2 = two_layer_problem(n, d, h, k, seed)
        net = MLP([d, h, k], activation=activation, loss="mse")
        net.weights, net.biases = [W1, W2], [b1, b2]
        loss, dWs, dbs = net.loss_and_grads(X, Y)
        kloss, kWs, kbs = two_layer_kron_grads(X, Y, W1, b1, W2, b2, activation)
        assert kloss == pytest.approx(loss, rel=1e-12)
        for a, b in zip(dWs + dbs, kWs + kbs, strict=True):
            assert b.shape == a.shape
            np.testing.assert_allclose(b, a, rtol=1e-10, atol=1e-12)

    def test_kron_route_equals_the_numeric_gradient(self):
        X, Y, W1, b1, W2, b2 = two_layer_problem(4, 2, 3, 1, seed=7)
        _, (dW1, dW2), (db1, db2) = two_layer_kron_grads(X, Y, W1, b1, W2, b2, "sigmoid")

        def J(_):
            return two_layer_chain(X, Y, W1, b1, W2, b2, "sigmoid")["J"]

        for param, grad in ((W1, dW1), (W2, dW2), (b1, db1), (b2, db2)):
            np.testing.assert_allclose(grad, numerical_gradient(J, param), rtol=1e-6, atol=1e-10)

    def test_the_guard_stops_before_any_work(self):
        X, Y, W1, b1, W2, b2 = two_layer_problem(8, 2, 4, 1, seed=0)
        with pytest.raises(ValueError, match="d vec\\(V\\)/d vec\\(A1\\) would be a dense 8 x 32"):
            two_layer_kron_grads(X, Y, W1, b1, W2, b2, max_bytes=1000)
        with pytest.raises(
            ValueError, match="diag\\(vec\\(sigma'\\(S\\)\\)\\) would be a dense 32 x 32"
        ):
            two_layer_chain(X, Y, W1, b1, W2, b2, max_bytes=4000)

    def test_bad_input(self):
        X, Y, W1, b1, W2, b2 = two_layer_problem(4, 2, 3, 1, seed=0)
        with pytest.raises(
            ShapeError, match=r"W2 must have shape \(3, any\).*dimension 0 is 2, expected 3"
        ):
            two_layer_kron_grads(X, Y, W1, b1, W2[:2], b2)
        with pytest.raises(ShapeError, match=r"Y must have shape \(4, 1\)"):
            two_layer_kron_grads(X, Y[:3], W1, b1, W2, b2)
        with pytest.raises(ShapeError, match=r"b1 must have shape \(1, 3\)"):
            two_layer_kron_grads(X, Y, W1, b1.T, W2, b2)
        with pytest.raises(
            TypeError, match="Y must have the dtype of X \\(float64\\); got float32"
        ):
            two_layer_kron_grads(X, Y.astype(np.float32), W1, b1, W2, b2)
        with pytest.raises(ValueError, match="activation must be one of"):
            two_layer_kron_grads(X, Y, W1, b1, W2, b2, "gelu")
