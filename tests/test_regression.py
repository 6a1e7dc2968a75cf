"""gradlab.regression: the least-squares loss and its gradient, per sample and batched."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradlab.check import gradient_check, numerical_gradient
from gradlab.regression import linear_regression_loss, linear_regression_loss_naive
from gradlab.shapes import ShapeError

FUNCTIONS = [linear_regression_loss, linear_regression_loss_naive]


def problem(N, D, K=None, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    theta = rng.standard_normal(D if K is None else (D, K))
    y = rng.standard_normal(N if K is None else (N, K))
    return theta, X, y


@pytest.mark.parametrize("fn", FUNCTIONS, ids=["vectorised", "naive"])
class TestLinearRegression:
    @settings(max_examples=25, deadline=None)
    @given(
        N=st.integers(1, 6),
        D=st.integers(1, 5),
        K=st.one_of(st.none(), st.integers(1, 3)),
        seed=st.integers(0, 1000),
    )
    def test_gradient_matches_the_numeric_one(self, fn, N, D, K, seed):
        theta, X, y = problem(N, D, K, seed)
        loss, dtheta = fn(theta, X, y)
        assert dtheta.shape == theta.shape
        numeric = numerical_gradient(lambda t: fn(t, X, y)[0], theta)
        assert np.allclose(dtheta, numeric, rtol=1e-6, atol=1e-8)
        assert gradient_check(lambda t: fn(t, X, y)[0], theta, dtheta).passed

    def test_loss_is_half_the_mean_squared_residual(self, fn):
        theta, X, y = problem(7, 3)
        expected = np.linalg.norm(X @ theta - y) ** 2 / (2 * 7)
        assert np.isclose(fn(theta, X, y)[0], expected)

    def test_zero_at_an_exact_fit(self, fn):
        theta, X, _ = problem(6, 3)
        loss, dtheta = fn(theta, X, X @ theta)
        assert loss == pytest.approx(0.0, abs=1e-24)
        assert np.allclose(dtheta, 0.0, atol=1e-12)

    def test_a_column_theta_with_a_column_y(self, fn):
        theta, X, y = problem(5, 3)
        loss_1d, grad_1d = fn(theta, X, y)
        loss_col, grad_col = fn(theta[:, None], X, y[:, None])
        assert np.isclose(loss_1d, loss_col) and np.allclose(grad_1d, grad_col[:, 0])

    def test_theta_needs_one_row_per_column_of_X(self, fn):
        theta, X, y = problem(5, 3)
        with pytest.raises(
            ShapeError, match=r"X is \(5, 3\), so theta needs 3 rows; got shape \(4,\)"
        ):
            fn(np.ones(4), X, y)

    def test_a_column_y_with_a_vector_theta_is_not_broadcast(self, fn):
        theta, X, y = problem(5, 3)
        with pytest.raises(
            ShapeError,
            match=r"y must have the shape of X @ theta, \(5,\); got \(5, 1\).*broadcast to \(5, 5\)",
        ):
            fn(theta, X, y[:, None])

    def test_a_vector_y_with_a_matrix_theta_is_not_broadcast(self, fn):
        theta, X, y = problem(5, 3)
        with pytest.raises(ShapeError, match=r"got \(5,\).*would broadcast"):
            fn(theta[:, None], X, y)

    def test_y_with_the_wrong_length(self, fn):
        theta, X, y = problem(5, 3)
        with pytest.raises(ShapeError, match=r"\(5,\); got \(4,\)"):
            fn(theta, X, y[:4])

    def test_X_must_be_a_matrix(self, fn):
        with pytest.raises(ShapeError, match="X must be a 2-D array"):
            fn(np.ones(3), np.ones(3), np.ones(3))

    def test_theta_must_be_1d_or_2d(self, fn):
        with pytest.raises(
            ShapeError, match=r"theta must be a vector of shape \(3,\) or a matrix \(3, K\)"
        ):
            fn(np.ones((3, 1, 1)), np.ones((2, 3)), np.ones(2))

    def test_an_empty_batch_is_refused(self, fn):
        with pytest.raises(ValueError, match="X must hold at least one of its rows"):
            fn(np.ones(3), np.ones((0, 3)), np.ones(0))
        with pytest.raises(ValueError, match="at least one feature"):
            fn(np.ones(0), np.ones((2, 0)), np.ones(2))

    @pytest.mark.parametrize("which", [0, 1, 2])
    def test_nan_or_inf_is_refused(self, fn, which):
        args = list(problem(4, 2))
        args[which] = args[which].copy()
        args[which].flat[0] = np.nan if which != 1 else np.inf
        name = ["theta", "X", "y"][which]
        with pytest.raises(ValueError, match=f"{name} must be finite"):
            fn(*args)

    def test_non_float_arrays_are_refused(self, fn):
        theta, X, y = problem(4, 2)
        with pytest.raises(TypeError, match="X must be a floating-point array"):
            fn(theta, X.astype(int), y)
        with pytest.raises(TypeError, match="y must be a NumPy array; got list"):
            fn(theta, X, list(y))


def test_naive_and_vectorised_agree():
    theta, X, y = problem(9, 4, 3, seed=3)
    (a, da), (b, db) = (
        linear_regression_loss_naive(theta, X, y),
        linear_regression_loss(theta, X, y),
    )
    assert np.isclose(a, b) and np.allclose(da, db)
