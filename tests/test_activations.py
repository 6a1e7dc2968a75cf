"""gradlab.activations: each derivative at the pre-activation against the numeric one, and the
softmax and log_softmax against their definitions and their gradients."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gradlab.activations import (
    ACTIVATIONS,
    log_softmax,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    softmax,
    tanh,
    tanh_prime,
)
from gradlab.check import gradient_check, numerical_jacobian
from gradlab.losses import softmax_jacobian
from gradlab.shapes import ShapeError

PROPERTY = settings(max_examples=25, deadline=None)
dims = st.integers(1, 5)
seeds = st.integers(0, 2**16)


def batch(seed, n, k, scale=2.0):
    return scale * np.random.default_rng(seed).standard_normal((n, k))


@PROPERTY
@given(name=st.sampled_from(sorted(ACTIVATIONS)), n=dims, k=dims, seed=seeds)
def test_each_derivative_is_the_numeric_one_at_the_pre_activation(name, n, k, seed):
    """d/dZ sum(C * f(Z)) = C * f'(Z): the element-wise chain rule, entry by entry."""
    f, f_prime = ACTIVATIONS[name]
    Z = batch(seed, n, k)
    if name == "relu":
        assume(np.min(np.abs(Z)) > 1e-3)  # a central difference across the kink measures neither side
    C = np.random.default_rng(seed + 1).standard_normal((n, k))
    derivative = f_prime(Z)
    assert derivative.shape == Z.shape
    result = gradient_check(lambda V: float(np.sum(C * f(V))), Z, C * derivative, name=f"{name}'")
    assert result.passed, str(result)


@pytest.mark.parametrize(
    "f, f_prime",
    [(sigmoid, sigmoid_prime), (tanh, tanh_prime)],
    ids=["sigmoid", "tanh"],
)
def test_the_derivative_is_not_the_derivative_at_the_output(f, f_prime):
    """The source notes' slip, f'(A) with A = f(Z), gives other numbers: the tests can tell."""
    Z = batch(0, 4, 3)
    assert not np.allclose(f_prime(Z), f_prime(f(Z)), rtol=1e-3)


def test_relu_derivative_convention_and_values():
    Z = np.array([[-2.0, -1e-9, 0.0, 1e-9, 3.0]])
    np.testing.assert_array_equal(relu_prime(Z), [[0.0, 0.0, 0.0, 1.0, 1.0]])  # ReLU'(0) = 0
    np.testing.assert_array_equal(relu(Z), [[0.0, 0.0, 0.0, 1e-9, 3.0]])
    assert relu_prime(Z).dtype == np.float64
    assert relu_prime(Z.astype(np.float32)).dtype == np.float32


def test_sigmoid_is_stable_and_exact_at_extremes():
    Z = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    s = sigmoid(Z)  # filterwarnings = error: an overflow warning would fail this test
    np.testing.assert_allclose(s[1:4], 1 / (1 + np.exp(-Z[1:4])), rtol=1e-15)
    assert s[0] == 0.0 and s[-1] == 1.0
    assert sigmoid_prime(Z)[0] == 0.0 and sigmoid_prime(Z)[-1] == 0.0


class TestSoftmax:
    @PROPERTY
    @given(n=dims, k=st.integers(2, 5), seed=seeds)
    def test_equals_the_definition_row_by_row(self, n, k, seed):
        S = batch(seed, n, k)
        E = np.exp(S)
        P = softmax(S)
        np.testing.assert_allclose(P, E / E.sum(axis=1, keepdims=True), rtol=1e-13)
        np.testing.assert_allclose(P.sum(axis=1), np.ones(n), rtol=1e-13)
        np.testing.assert_allclose(log_softmax(S), np.log(P), rtol=1e-12, atol=1e-14)

    @PROPERTY
    @given(n=st.integers(2, 5), k=st.integers(2, 5), seed=seeds)
    def test_a_constant_per_row_changes_nothing(self, n, k, seed):
        S = batch(seed, n, k)
        shift = 50.0 * np.random.default_rng(seed + 1).standard_normal((n, 1))
        np.testing.assert_allclose(softmax(S + shift), softmax(S), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(log_softmax(S + shift), log_softmax(S), rtol=1e-12, atol=1e-12)

    def test_huge_scores_stay_finite(self):
        S = np.array([[1000.0, 999.0, -1000.0], [-1e4, -1e4, -1e4]])
        P, logP = softmax(S), log_softmax(S)
        np.testing.assert_allclose(P[1], np.full(3, 1 / 3), rtol=1e-15)
        np.testing.assert_allclose(P[0, :2], np.exp([0.0, -1.0]) / (1 + np.exp(-1.0)), rtol=1e-14)
        assert np.isfinite(logP).all() and logP[0, 2] < -1900

    @PROPERTY
    @given(k=st.integers(2, 6), seed=seeds)
    def test_its_jacobian_is_softmax_jacobian(self, k, seed):
        s = batch(seed, 1, k)[0]
        p = softmax(s[None, :])[0]
        numeric = numerical_jacobian(lambda v: softmax(v[None, :])[0], s)
        np.testing.assert_allclose(softmax_jacobian(p), numeric, rtol=1e-6, atol=1e-9)

    @PROPERTY
    @given(n=dims, k=st.integers(2, 5), seed=seeds)
    def test_cross_entropy_through_log_softmax_has_gradient_p_minus_onehot(self, n, k, seed):
        S = batch(seed, n, k)
        y = np.random.default_rng(seed + 1).integers(0, k, n)
        rows = np.arange(n)
        grad = (softmax(S) - np.eye(k)[y]) / n
        result = gradient_check(
            lambda V: -float(np.mean(log_softmax(V)[rows, y])), S, grad, name="dL/dS"
        )
        assert result.passed, str(result)

    @pytest.mark.parametrize("fn", [softmax, log_softmax])
    def test_bad_input(self, fn):
        with pytest.raises(ShapeError, match="S must be a 2-D array"):
            fn(np.zeros(3))
        with pytest.raises(TypeError, match="S must be a floating-point array .* got dtype int64"):
            fn(np.zeros((2, 3), dtype=np.int64))
        with pytest.raises(TypeError, match="S must be a NumPy array; got list"):
            fn([[1.0, 2.0]])
