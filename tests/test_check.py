"""gradlab.check: a right gradient passes, a wrong one fails, bad input is refused clearly."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.check import (
    GradientCheckError,
    assert_all_passed,
    default_tolerance,
    gradient_check,
    numerical_gradient,
    numerical_jacobian,
    rel_error,
)
from gradlab.shapes import ShapeError

RNG = np.random.default_rng(1234)


def softmax_problem(scale, N=50, D=20, K=10, seed=0):
    """Mean softmax cross-entropy, its loss and its (independently derived) gradient."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    y = rng.integers(0, K, N)
    W = scale * rng.standard_normal((D, K))

    def probs(W):
        S = X @ W
        E = np.exp(S - S.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)

    def loss(W):
        return -np.mean(np.log(probs(W)[np.arange(N), y]))

    P = probs(W)
    P[np.arange(N), y] -= 1
    return loss, W, X.T @ P / N, X


def quadratic_problem(shape, seed=0):
    """f(X) = sum(sin(X) * C) + 0.5 * sum(X**2): gradient cos(X) * C + X, any shape."""
    rng = np.random.default_rng(seed)
    C = rng.standard_normal(shape)
    X = rng.standard_normal(shape)
    return (lambda Z: float(np.sum(np.sin(Z) * C) + 0.5 * np.sum(Z * Z))), X, np.cos(X) * C + X


SHAPES = [(), (1,), (7,), (3, 4), (2, 3, 2)]


class TestNumericalGradient:
    @pytest.mark.parametrize("shape", SHAPES)
    def test_matches_a_known_gradient_at_any_shape(self, shape):
        f, X, grad = quadratic_problem(shape)
        assert np.allclose(numerical_gradient(f, X), grad, rtol=1e-7, atol=1e-9)

    def test_leaves_x_unchanged_bit_for_bit(self):
        f, X, _ = quadratic_problem((4, 5))
        before = X.copy()
        numerical_gradient(f, X)
        assert np.array_equal(X, before)

    def test_leaves_x_unchanged_when_f_raises(self):
        X = RNG.standard_normal(3)
        before = X.copy()
        calls = []

        def f(z):
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("boom")
            return float(z.sum())

        with pytest.raises(RuntimeError):
            numerical_gradient(f, X)
        assert np.array_equal(X, before)

    def test_central_difference_is_second_order(self):
        f = lambda x: float(np.exp(x[0]))  # noqa: E731
        x = np.array([0.3])
        errs = [abs(numerical_gradient(f, x, h)[0] - np.exp(0.3)) for h in (1e-2, 1e-3)]
        assert 50 < errs[0] / errs[1] < 200  # h ten times smaller: error a hundred times smaller

    def test_works_with_a_closure_that_ignores_its_argument(self):
        W = RNG.standard_normal((3, 2))
        g = numerical_gradient(lambda _: float(np.sum(W**2)), W)
        assert np.allclose(g, 2 * W, rtol=1e-7)

    @pytest.mark.parametrize(
        "x, exc, words",
        [
            (np.ones(3, dtype=np.float32), TypeError, ["x", "float64", "float32", "astype"]),
            (np.ones(3, dtype=int), TypeError, ["x", "float64", "int"]),
            ([1.0, 2.0], TypeError, ["x", "NumPy array", "list"]),
            (np.array([1.0, np.nan]), ValueError, ["x", "finite", "NaN"]),
            (np.array([1.0, np.inf]), ValueError, ["x", "finite"]),
        ],
    )
    def test_bad_x_is_refused_with_a_clear_message(self, x, exc, words):
        with pytest.raises(exc) as info:
            numerical_gradient(lambda z: 0.0, x)
        for w in words:
            assert w in str(info.value)

    @pytest.mark.parametrize("h", [0, -1e-5, np.nan, np.inf])
    def test_bad_step_is_refused(self, h):
        with pytest.raises(ValueError, match="h must be a finite number > 0"):
            numerical_gradient(lambda z: 0.0, np.ones(2), h=h)

    def test_non_callable_f_and_non_scalar_f(self):
        with pytest.raises(TypeError, match="f must be a callable"):
            numerical_gradient(3.0, np.ones(2))
        with pytest.raises(ValueError, match="f must return a scalar.*shape \\(2,\\)"):
            numerical_gradient(lambda z: z * 2, np.ones(2))
        with pytest.raises(ValueError, match="finite"):
            numerical_gradient(lambda z: np.nan, np.ones(2))


class TestNumericalJacobian:
    def test_numerator_layout_of_a_linear_map(self):
        W = RNG.standard_normal((4, 3))
        J = numerical_jacobian(lambda v: W @ v, RNG.standard_normal(3))
        assert J.shape == (4, 3)
        assert np.allclose(J, W, atol=1e-8)

    def test_column_stacking_order_gives_the_kronecker_identity(self):
        A, X, B = (
            RNG.standard_normal((2, 3)),
            RNG.standard_normal((3, 4)),
            RNG.standard_normal((4, 5)),
        )
        J = numerical_jacobian(lambda Z: A @ Z @ B, X)
        assert np.allclose(J, np.kron(B.T, A), atol=1e-8)
        J_rows = numerical_jacobian(lambda Z: A @ Z @ B, X, order="C")
        assert np.allclose(J_rows, np.kron(A, B.T), atol=1e-8)

    def test_elementwise_function_has_a_diagonal_jacobian(self):
        x = RNG.standard_normal(5)
        assert np.allclose(numerical_jacobian(np.tanh, x), np.diag(1 - np.tanh(x) ** 2), atol=1e-9)

    def test_leaves_x_unchanged_and_refuses_bad_order(self):
        x = RNG.standard_normal((2, 2))
        before = x.copy()
        numerical_jacobian(lambda z: z @ z, x)
        assert np.array_equal(x, before)
        with pytest.raises(ValueError, match="order"):
            numerical_jacobian(lambda z: z, x, order="K")


class TestRelError:
    def test_both_zero_is_zero_never_nan(self):
        assert rel_error(np.zeros(3), np.zeros(3)) == 0.0

    def test_value_and_symmetry(self):
        a, b = np.array([1.0, 2.0]), np.array([1.0, 2.2])
        assert rel_error(a, b) == pytest.approx(0.2 / 4.2)
        assert rel_error(a, b) == rel_error(b, a)

    def test_shape_mismatch_is_a_shape_error(self):
        with pytest.raises(ShapeError, match=r"\(2, 3\) and \(3, 2\)"):
            rel_error(np.ones((2, 3)), np.ones((3, 2)))


def wrong_versions(grad, N):
    """The mistakes the course warns about, applied to a right gradient."""
    out = {
        "sign": -grad,
        "forgot 1/N": grad * N,
        "1% scale": grad * 1.01,
        "one entry off by 1%": grad.copy(),
    }
    out["one entry off by 1%"][np.unravel_index(np.argmax(np.abs(grad)), grad.shape)] *= 1.01
    if grad.ndim == 2 and grad.shape[0] == grad.shape[1]:
        out["dropped transpose"] = grad.T.copy()
    return out


class TestGradientCheckVerdict:
    @pytest.mark.parametrize("scale", [1e-4, 1e-2, 1.0])
    def test_right_softmax_gradient_passes_even_with_tiny_entries(self, scale):
        loss, W, dW, _ = softmax_problem(scale)
        result = gradient_check(loss, W, dW, name="dW")
        assert result.passed, str(result)
        assert result.normwise_rel_error < 1e-7

    def test_tiny_true_entries_are_reported_but_do_not_fail(self):
        # W = 1e-4 * randn: a few entries of dW are 1e-5 of the largest, so their entry-wise
        # relative error is large from rounding alone. The verdict must still be PASS.
        loss, W, dW, _ = softmax_problem(1e-4, seed=3)
        result = gradient_check(loss, W, dW)
        assert result.passed
        assert result.max_rel_error > 10 * result.normwise_rel_error
        assert "tiny" in str(result) or result.max_rel_error <= result.tol

    @pytest.mark.parametrize("mode", ["full", "sparse", "directional"])
    @pytest.mark.parametrize("mistake", ["sign", "forgot 1/N", "1% scale"])
    def test_wrong_gradients_fail_in_every_mode(self, mode, mistake):
        loss, W, dW, X = softmax_problem(1e-2)
        bad = wrong_versions(dW, X.shape[0])[mistake]
        result = gradient_check(loss, W, bad, mode=mode)
        assert not result.passed, f"{mistake} passed in {mode} mode:\n{result}"

    def test_one_wrong_entry_fails_full_and_directional(self):
        loss, W, dW, X = softmax_problem(1e-2)
        bad = wrong_versions(dW, X.shape[0])["one entry off by 1%"]
        assert not gradient_check(loss, W, bad).passed
        assert not gradient_check(loss, W, bad, mode="directional").passed

    def test_dropped_transpose_fails_and_is_named(self):
        rng = np.random.default_rng(0)
        B = rng.standard_normal((4, 4))
        f = lambda M: float(np.sum(np.sin(M @ B)))  # noqa: E731
        M = rng.standard_normal((4, 4))
        right = np.cos(M @ B) @ B.T
        assert gradient_check(f, M, right).passed
        result = gradient_check(f, M, right.T)
        assert not result.passed
        assert "transposed" in str(result)

    @pytest.mark.parametrize("shape", SHAPES[1:])
    def test_right_passes_wrong_fails_at_several_shapes(self, shape):
        f, X, grad = quadratic_problem(shape, seed=7)
        assert gradient_check(f, X, grad).passed
        assert not gradient_check(f, X, 1.01 * grad).passed
        assert not gradient_check(f, X, -grad, mode="directional").passed

    def test_sparse_and_directional_cost(self):
        loss, W, dW, _ = softmax_problem(1e-2)
        sparse = gradient_check(loss, W, dW, mode="sparse", k=7)
        direc = gradient_check(loss, W, dW, mode="directional", n_directions=3)
        assert (sparse.n_evaluations, sparse.n_checked, sparse.n_total) == (14, 7, W.size)
        assert (direc.n_evaluations, direc.n_checked) == (6, 3)
        assert sparse.passed and direc.passed

    def test_check_is_repeatable_and_leaves_x_unchanged(self):
        loss, W, dW, _ = softmax_problem(1e-2)
        before = W.copy()
        r1 = gradient_check(loss, W, dW, mode="sparse", seed=5)
        r2 = gradient_check(loss, W, dW, mode="sparse", seed=5)
        assert r1.worst_index == r2.worst_index and r1.max_rel_error == r2.max_rel_error
        gradient_check(loss, W, dW, mode="directional")
        assert np.array_equal(W, before)

    def test_default_tolerance_follows_the_step(self):
        assert default_tolerance(1e-5) == 1e-6
        assert default_tolerance(1e-3) > default_tolerance(1e-5)
        loss, W, dW, _ = softmax_problem(1.0)
        assert gradient_check(loss, W, dW, h=1e-3).tol == default_tolerance(1e-3)


class TestGradientCheckErrorsAndViews:
    def test_grad_of_the_wrong_shape_is_never_broadcast(self):
        f, X, grad = quadratic_problem((3, 2))
        with pytest.raises(ShapeError) as info:
            gradient_check(f, X, grad.T)
        msg = str(info.value)
        assert "grad" in msg and "(3, 2)" in msg and "(2, 3)" in msg and ".T" in msg
        with pytest.raises(ShapeError):
            gradient_check(f, X, grad[:, :1])  # (3, 1) would broadcast against (3, 2)

    @pytest.mark.parametrize(
        "kwargs, exc, words",
        [
            ({"mode": "fast"}, ValueError, ["mode", "full", "'fast'"]),
            ({"tol": 0}, ValueError, ["tol", "> 0"]),
            ({"h": -1.0}, ValueError, ["h"]),
            ({"mode": "sparse", "k": 0}, ValueError, ["k", "positive"]),
            ({"mode": "directional", "n_directions": 1.5}, TypeError, ["n_directions", "integer"]),
        ],
    )
    def test_bad_options(self, kwargs, exc, words):
        f, X, grad = quadratic_problem((2, 2))
        with pytest.raises(exc) as info:
            gradient_check(f, X, grad, **kwargs)
        for w in words:
            assert w in str(info.value)

    def test_float32_and_nan_grad_are_refused(self):
        f, X, grad = quadratic_problem((2, 2))
        with pytest.raises(TypeError, match="float64"):
            gradient_check(f, X.astype(np.float32), grad)
        bad = grad.copy()
        bad[0, 0] = np.nan
        with pytest.raises(ValueError, match="grad must be finite"):
            gradient_check(f, X, bad)

    def test_text_html_and_summary(self):
        loss, W, dW, _ = softmax_problem(1e-2)
        good = gradient_check(loss, W, dW, name="dW")
        bad = gradient_check(loss, W, 2 * dW, name="dW")
        assert "PASS" in str(good) and "FAIL" in str(bad)
        assert "<table>" in good._repr_html_() and "FAIL" in bad._repr_html_()
        assert good.summary() == "dW: PASS (all 200 entries, error below tol 1e-06)"
        assert "factor" in str(bad)  # the hint names a scale mistake

    def test_assert_all_passed_prints_and_raises(self, capsys):
        loss, W, dW, _ = softmax_problem(1e-2)
        assert_all_passed([gradient_check(loss, W, dW, name="dW")])
        assert "dW: PASS" in capsys.readouterr().out
        with pytest.raises(GradientCheckError, match="gradient check of dW"):
            assert_all_passed([gradient_check(loss, W, -dW, name="dW")])
        with pytest.raises(ValueError, match="at least one"):
            assert_all_passed([])


class TestResolutionOfFiniteDifferences:
    """A right gradient far smaller than the loss is within rounding: warned about, not failed."""

    @staticmethod
    def tiny_problem(seed=0):
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((4, 3))
        # |f| is about 1, the gradient about 1e-9: below what a difference quotient resolves.
        return (lambda z: 1.0 + 1e-9 * float(np.sum(np.sin(z)))), x, 1e-9 * np.cos(x)

    @pytest.mark.parametrize("mode", ["full", "sparse", "directional"])
    def test_a_right_gradient_below_the_resolution_passes_and_is_flagged_weak(self, mode):
        f, x, grad = self.tiny_problem()
        result = gradient_check(f, x, grad, mode=mode)
        assert result.passed, str(result)
        assert result.weak
        assert "weak" in str(result)

    def test_the_resolution_term_is_what_accepts_it(self):
        f, x, grad = self.tiny_problem()
        result = gradient_check(f, x, grad)
        assert result.resolution == pytest.approx(100 * np.finfo(float).eps * 1.0 / 1e-5, rel=0.1)
        # Without the resolution term the same numbers would fail the relative rule.
        assert result.max_rel_error > 1e-3

    def test_ordinary_checks_are_not_weak_and_mistakes_still_fail(self):
        loss, W, dW, X = softmax_problem(1e-2)
        right = gradient_check(loss, W, dW)
        assert right.passed and not right.weak and "weak" not in str(right)
        assert right.resolution < 1e-6 * right.scale
        assert not gradient_check(loss, W, 1.01 * dW).passed
