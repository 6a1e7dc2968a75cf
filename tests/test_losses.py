"""gradlab.losses: every analytic gradient against the numeric one, naive against vectorised,
stability, dtypes, and a clear error for every bad input."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gradlab.losses as losses_module
from gradlab.activations import softmax
from gradlab.check import gradient_check, numerical_gradient, numerical_jacobian
from gradlab.datasets import blobs
from gradlab.losses import (
    linear_classifier_loss,
    multiclass_hinge,
    softmax_cross_entropy,
    softmax_jacobian,
    softmax_loss,
    softmax_loss_naive,
    svm_loss,
    svm_loss_naive,
    train_linear_classifier,
)
from gradlab.shapes import ShapeError

LINEAR_LOSSES = {
    "svm_loss": svm_loss,
    "svm_loss_naive": svm_loss_naive,
    "softmax_loss": softmax_loss,
    "softmax_loss_naive": softmax_loss_naive,
}
PAIRS = [(svm_loss_naive, svm_loss), (softmax_loss_naive, softmax_loss)]
PROPERTY = settings(max_examples=25, deadline=None)


def problem(N=6, D=5, K=4, seed=0, scale=1.0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    W = (scale * rng.standard_normal((D, K))).astype(dtype)
    X = rng.standard_normal((N, D)).astype(dtype)
    y = rng.integers(0, K, N)
    return W, X, y


def min_hinge_distance(W, X, y, delta=1.0):
    """How far the nearest active-or-not hinge term is from its kink (to stay off kinks)."""
    S = X @ W
    margins = S - S[np.arange(len(y)), y][:, None] + delta
    margins[np.arange(len(y)), y] = np.inf
    return float(np.min(np.abs(margins))) if margins.size else np.inf


def independent_svm(W, X, y, reg, delta=1.0):
    """The SVM loss from its definition, written without the indicator tricks."""
    S = X @ W
    total = 0.0
    for i in range(X.shape[0]):
        total += sum(max(0.0, S[i, j] - S[i, y[i]] + delta) for j in range(W.shape[1]) if j != y[i])
    return total / X.shape[0] + reg * float(np.sum(W * W))


def independent_softmax(W, X, y, reg):
    """The softmax loss as -mean log p_y, straight from log_softmax."""
    S = X @ W
    logp = S - S.max(axis=1, keepdims=True)
    logp -= np.log(np.exp(logp).sum(axis=1, keepdims=True))
    return -float(np.mean(logp[np.arange(len(y)), y])) + reg * float(np.sum(W * W))


class TestGradientsAgainstNumeric:
    @pytest.mark.parametrize("name", sorted(LINEAR_LOSSES))
    @pytest.mark.parametrize("reg", [0.0, 0.3])
    def test_dW_passes_the_gradient_check(self, name, reg):
        fn = LINEAR_LOSSES[name]
        W, X, y = problem(N=8, D=5, K=4, seed=3)
        assert min_hinge_distance(W, X, y) > 1e-3
        loss, dW = fn(W, X, y, reg)
        result = gradient_check(lambda w: fn(w, X, y, reg)[0], W, dW, name=name)
        assert result.passed, str(result)

    @pytest.mark.parametrize("name", sorted(LINEAR_LOSSES))
    def test_a_wrong_gradient_fails_the_same_check(self, name):
        """The check in the test above can see a forgotten 1/N and a wrong sign."""
        fn = LINEAR_LOSSES[name]
        W, X, y = problem(N=8, D=5, K=4, seed=3)
        _, dW = fn(W, X, y, 0.1)
        f = lambda w: fn(w, X, y, 0.1)[0]  # noqa: E731
        assert not gradient_check(f, W, dW * X.shape[0], name=name).passed
        assert not gradient_check(f, W, -dW, name=name).passed

    @pytest.mark.parametrize("delta", [0.0, 0.5, 2.0])
    def test_svm_margin_keyword(self, delta):
        W, X, y = problem(N=7, D=4, K=5, seed=11)
        assume_ok = min_hinge_distance(W, X, y, delta) > 1e-3
        assert assume_ok
        for fn in (svm_loss, svm_loss_naive):
            loss, dW = fn(W, X, y, 0.2, delta=delta)
            assert loss == pytest.approx(independent_svm(W, X, y, 0.2, delta), rel=1e-12)
            assert gradient_check(lambda w, fn=fn: fn(w, X, y, 0.2, delta=delta)[0], W, dW).passed

    @PROPERTY
    @given(
        N=st.integers(1, 7),
        D=st.integers(1, 6),
        K=st.integers(1, 6),
        seed=st.integers(0, 2**16),
        reg=st.sampled_from([0.0, 0.05, 1.0]),
    )
    def test_every_loss_at_random_shapes(self, N, D, K, seed, reg):
        W, X, y = problem(N, D, K, seed)
        assume(min_hinge_distance(W, X, y) > 1e-4)  # a finite difference is meaningless at a kink
        for name, fn in LINEAR_LOSSES.items():
            loss, dW = fn(W, X, y, reg)
            assert dW.shape == W.shape and dW.dtype == W.dtype
            numeric = numerical_gradient(lambda w, fn=fn: fn(w, X, y, reg)[0], W)
            assert np.allclose(dW, numeric, rtol=1e-6, atol=1e-7), name
        assert svm_loss(W, X, y, reg)[0] == pytest.approx(independent_svm(W, X, y, reg), rel=1e-12)
        assert softmax_loss(W, X, y, reg)[0] == pytest.approx(
            independent_softmax(W, X, y, reg), rel=1e-12
        )

    @PROPERTY
    @given(N=st.integers(1, 7), K=st.integers(1, 6), seed=st.integers(0, 2**16))
    def test_score_level_losses(self, N, K, seed):
        rng = np.random.default_rng(seed)
        S = 2 * rng.standard_normal((N, K))
        y = rng.integers(0, K, N)
        margins = S - S[np.arange(N), y][:, None] + 1.0
        margins[np.arange(N), y] = np.inf
        assume(np.min(np.abs(margins)) > 1e-4)
        for fn in (multiclass_hinge, softmax_cross_entropy):
            loss, dS = fn(S, y)
            assert dS.shape == S.shape
            numeric = numerical_gradient(lambda s, fn=fn: fn(s, y)[0], S)
            assert np.allclose(dS, numeric, rtol=1e-6, atol=1e-7), fn.__name__
        _, dS = softmax_cross_entropy(S, y)
        onehot = np.eye(K)[y]
        assert np.allclose(dS, (softmax(S) - onehot) / N, rtol=1e-12, atol=1e-15)

    @PROPERTY
    @given(
        N=st.integers(1, 6),
        D=st.integers(1, 5),
        K=st.integers(1, 5),
        seed=st.integers(0, 2**16),
        loss=st.sampled_from(["svm", "softmax"]),
    )
    def test_linear_classifier_with_bias(self, N, D, K, seed, loss):
        W, X, y = problem(N, D, K, seed)
        b = np.random.default_rng(seed + 1).standard_normal((1, K))
        S = X @ W + b
        margins = S - S[np.arange(N), y][:, None] + 1.0
        margins[np.arange(N), y] = np.inf
        assume(np.min(np.abs(margins)) > 1e-4)
        value, dW, db = linear_classifier_loss(W, b, X, y, loss=loss, reg=0.1)
        assert db.shape == (1, K)
        fW = lambda w: linear_classifier_loss(w, b, X, y, loss=loss, reg=0.1)[0]  # noqa: E731
        fb = lambda c: linear_classifier_loss(W, c, X, y, loss=loss, reg=0.1)[0]  # noqa: E731
        assert np.allclose(dW, numerical_gradient(fW, W), rtol=1e-6, atol=1e-7)
        assert np.allclose(db, numerical_gradient(fb, b), rtol=1e-6, atol=1e-7)
        # db is the column sum of dL/dS: a row of ones times dS
        score_fn = softmax_cross_entropy if loss == "softmax" else multiclass_hinge
        _, dS = score_fn(S, y)
        assert np.allclose(db, np.ones((1, N)) @ dS, rtol=1e-12, atol=1e-15)
        if b.any():
            assert value == pytest.approx(score_fn(S, y)[0] + 0.1 * float(np.sum(W * W)))


class TestNaiveEqualsVectorised:
    @PROPERTY
    @given(
        N=st.integers(1, 12),
        D=st.integers(1, 12),
        K=st.integers(1, 8),
        seed=st.integers(0, 2**16),
        reg=st.sampled_from([0.0, 1e-3, 0.5]),
        scale=st.sampled_from([0.01, 1.0, 30.0]),
    )
    def test_equal_to_1e12_in_float64(self, N, D, K, seed, reg, scale):
        W, X, y = problem(N, D, K, seed, scale=scale)
        for naive, fast in PAIRS:
            l1, g1 = naive(W, X, y, reg)
            l2, g2 = fast(W, X, y, reg)
            assert abs(l1 - l2) <= 1e-12 * max(1.0, abs(l1))
            assert np.max(np.abs(g1 - g2)) <= 1e-12 * max(1.0, float(np.max(np.abs(g1))))

    def test_equal_at_a_larger_size(self):
        W, X, y = problem(N=40, D=30, K=10, seed=5, scale=0.1)
        for naive, fast in PAIRS:
            l1, g1 = naive(W, X, y, 0.01)
            l2, g2 = fast(W, X, y, 0.01)
            assert abs(l1 - l2) <= 1e-12 and np.max(np.abs(g1 - g2)) <= 1e-12

    def test_both_branches_of_the_mean_agree(self):
        """dW = X^T dS / N divides dS when D >= N and dW when D < N; both give one answer."""
        for N, D in [(3, 9), (9, 3)]:
            W, X, y = problem(N=N, D=D, K=4, seed=2)
            assert np.allclose(svm_loss(W, X, y)[1], svm_loss_naive(W, X, y)[1], rtol=0, atol=1e-14)


class TestConventionsAndStability:
    def test_the_kink_counts_only_when_the_margin_is_positive(self):
        # s = (1, 0): for label 0, the margin of class 1 is 0 - 1 + 1 = 0 exactly: not counted
        W = np.eye(2)
        X = np.array([[1.0, 0.0]])
        y = np.array([0])
        for fn in (svm_loss, svm_loss_naive):
            loss, dW = fn(W, X, y)
            assert loss == 0.0 and not dW.any()
        # a hair above the kink the margin counts
        X2 = np.array([[1.0, 1e-9]])
        for fn in (svm_loss, svm_loss_naive):
            loss, dW = fn(W, X2, y)
            assert loss == pytest.approx(1e-9) and dW[0, 0] == -1.0 and dW[0, 1] == 1.0

    def test_softmax_is_stable_at_huge_scores(self):
        W, X, y = problem(N=5, D=3, K=4, seed=1, scale=1.0)
        big = 2000.0 * W  # scores in the thousands: exp would overflow without the shift
        for fn in (softmax_loss, softmax_loss_naive):
            with np.errstate(over="raise"):
                loss, dW = fn(big, X, y)
            assert np.isfinite(loss) and np.all(np.isfinite(dW))
            assert loss == pytest.approx(independent_softmax(big, X, y, 0.0), rel=1e-12)
        with np.errstate(over="ignore", invalid="ignore"):
            S = X @ big
            unshifted = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
        assert not np.all(np.isfinite(unshifted)), "the unshifted softmax should overflow here"

    @pytest.mark.parametrize("naive, fast", PAIRS)
    def test_float32_stays_float32_and_agrees_with_float64(self, naive, fast):
        W, X, y = problem(N=20, D=10, K=5, seed=4, scale=0.1)
        l64, g64 = fast(W, X, y, 0.1)
        for fn in (naive, fast):
            l32, g32 = fn(W.astype(np.float32), X.astype(np.float32), y, 0.1)
            assert g32.dtype == np.float32
            assert l32 == pytest.approx(l64, rel=1e-5)
            assert np.allclose(g32, g64, rtol=1e-4, atol=1e-5)

    def test_inputs_are_not_modified(self):
        W, X, y = problem()
        S = X @ W
        copies = [a.copy() for a in (W, X, y, S)]
        for fn in LINEAR_LOSSES.values():
            fn(W, X, y, 0.1)
        multiclass_hinge(S, y)
        softmax_cross_entropy(S, y)
        for a, c in zip((W, X, y, S), copies, strict=True):
            assert np.array_equal(a, c)


class TestSoftmaxJacobian:
    @PROPERTY
    @given(K=st.integers(1, 7), seed=st.integers(0, 2**16), scale=st.sampled_from([0.1, 1.0, 5.0]))
    def test_matches_the_numeric_jacobian(self, K, seed, scale):
        s = scale * np.random.default_rng(seed).standard_normal(K)
        p = softmax(s[None, :])[0]
        J = softmax_jacobian(p)
        numeric = numerical_jacobian(lambda v: softmax(v[None, :])[0], s)
        assert J.shape == (K, K)
        assert np.allclose(J, numeric, rtol=1e-6, atol=1e-9)
        assert np.allclose(J, J.T) and np.allclose(J.sum(axis=1), 0.0, atol=1e-15)

    def test_chain_rule_through_it_gives_p_minus_onehot(self):
        s = np.array([0.3, -1.2, 2.0, 0.5])
        p = softmax(s[None, :])[0]
        y = 2
        dL_dp = np.zeros(4)
        dL_dp[y] = -1.0 / p[y]  # L = -log p_y
        assert np.allclose(softmax_jacobian(p).T @ dL_dp, p - np.eye(4)[y], rtol=1e-13)

    @pytest.mark.parametrize(
        "p, error, message",
        [
            (np.array([0.5, 0.6]), ValueError, "p must be a probability vector"),
            (np.array([1.5, -0.5]), ValueError, "entries >= 0"),
            (np.ones((2, 2)) / 4, ShapeError, "p must be a 1-D array"),
            (np.array([1, 0]), TypeError, "p must be a floating-point array"),
            (np.array([np.nan, 1.0]), ValueError, "p must be finite"),
        ],
    )
    def test_bad_input(self, p, error, message):
        with pytest.raises(error, match=message):
            softmax_jacobian(p)


def _bad(**changes):
    W, X, y = problem(N=4, D=3, K=5)
    args = {"W": W, "X": X, "y": y, "reg": 0.1}
    args.update(changes)
    return args


W0, X0, Y0 = problem(N=4, D=3, K=5)
BAD_INPUTS = [
    (_bad(W=W0.T.copy()), ShapeError, r"W must have one row per feature of X.*\(3, K\).*\(5, 3\)"),
    (_bad(W=np.ones((4, 5))), ShapeError, r"W must have one row per feature of X"),
    (_bad(X=X0[0]), ShapeError, r"X must be a 2-D array.*got 1-D"),
    (_bad(W=W0[:, 0]), ShapeError, r"W must be a 2-D array"),
    (_bad(y=Y0.astype(float)), ValueError, r"y must hold integer class labels.*astype\(int\)"),
    (_bad(y=np.array([0, 1, 5, 2])), ValueError, r"labels in \[0, 5\).*got 5"),
    (_bad(y=np.array([0, -1, 1, 2])), ValueError, r"labels in \[0, 5\).*got -1"),
    (_bad(y=Y0[:3]), ShapeError, r"one label per row of X: expected 4 labels, got 3"),
    (_bad(y=Y0[:, None]), ShapeError, r"y must be a 1-D array of 4 labels"),
    (_bad(y=[0, 1, 2, 3]), TypeError, r"y must be a NumPy array"),
    (_bad(X=X0[:0]), ValueError, r"X must hold at least one of its rows"),
    (_bad(W=W0[:, :0], y=np.zeros(4, int)), ValueError, r"W must hold at least one of its columns"),
    (_bad(reg=-0.1), ValueError, r"reg must be a finite number >= 0.*-0.1"),
    (_bad(reg=np.inf), ValueError, r"reg must be a finite number >= 0"),
    (_bad(reg="0.1"), TypeError, r"reg must be a real number >= 0.*str"),
    (_bad(W=W0.astype(int)), TypeError, r"W must be a floating-point array.*int"),
    (
        _bad(X=X0.astype(np.float32)),
        TypeError,
        r"W and X must have the same dtype.*float64.*float32",
    ),
    (_bad(W=np.where(np.eye(3, 5) > 0, np.nan, W0)), ValueError, r"W must be finite"),
]


@pytest.mark.parametrize("name", sorted(LINEAR_LOSSES))
@pytest.mark.parametrize("args, error, message", BAD_INPUTS)
def test_bad_input_gets_a_clear_error(name, args, error, message):
    with pytest.raises(error, match=message):
        LINEAR_LOSSES[name](**args)


@pytest.mark.parametrize("name", sorted(LINEAR_LOSSES))
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_X_is_named_even_when_W_is_zero(name, bad):
    W, X, y = problem(N=4, D=3, K=5)
    X[2, 1] = bad
    with pytest.raises(ValueError, match=r"X must be finite.*index \(2, 1\)"):
        LINEAR_LOSSES[name](np.zeros_like(W), X, y)


@pytest.mark.parametrize("name", sorted(LINEAR_LOSSES))
def test_overflowing_scores_are_reported(name):
    W, X, y = problem(N=4, D=3, K=5)
    with pytest.raises(ValueError, match="overflowed"), np.errstate(over="ignore"):
        LINEAR_LOSSES[name](W * 1e200, X * 1e200, y)


@pytest.mark.parametrize("fn", [svm_loss, svm_loss_naive, multiclass_hinge])
def test_negative_margin_is_refused(fn):
    W, X, y = problem()
    args = (X @ W, y) if fn is multiclass_hinge else (W, X, y)
    with pytest.raises(ValueError, match=r"delta must be a finite number >= 0 \(the margin\)"):
        fn(*args, delta=-1.0)


@pytest.mark.parametrize("fn", [multiclass_hinge, softmax_cross_entropy])
@pytest.mark.parametrize(
    "S, y, error, message",
    [
        (np.ones(3), np.array([0]), ShapeError, r"S must be a 2-D array"),
        (np.ones((0, 3)), np.zeros(0, int), ValueError, r"S must hold at least one of its rows"),
        (np.ones((2, 3)), np.array([0, 3]), ValueError, r"labels in \[0, 3\)"),
        (np.array([[1.0, np.inf]]), np.array([0]), ValueError, r"S must be finite"),
        (np.ones((2, 3), dtype=int), np.array([0, 1]), TypeError, r"S must be a floating-point"),
    ],
)
def test_score_losses_refuse_bad_input(fn, S, y, error, message):
    with pytest.raises(error, match=message):
        fn(S, y)


class TestLinearClassifier:
    def test_bias_errors(self):
        W, X, y = problem(N=4, D=3, K=5)
        with pytest.raises(ShapeError, match=r"b must have shape \(1, 5\).*got \(5,\)"):
            linear_classifier_loss(W, np.zeros(5), X, y)
        with pytest.raises(TypeError, match="b must have W's dtype float64; got float32"):
            linear_classifier_loss(W, np.zeros((1, 5), np.float32), X, y)
        with pytest.raises(ValueError, match=r"loss must be one of 'svm', 'softmax'; got 'mse'"):
            linear_classifier_loss(W, np.zeros((1, 5)), X, y, loss="mse")

    @pytest.mark.parametrize("loss", ["svm", "softmax"])
    def test_training_lowers_the_loss_and_separates_blobs(self, loss):
        X, y = blobs(n=150, k=3, std=0.5, seed=1)
        model = train_linear_classifier(X, y, loss=loss, steps=150)
        assert model.W.shape == (2, 3) and model.b.shape == (1, 3)
        assert model.losses[-1] < 0.5 * model.losses[0]
        assert model.accuracy(X, y) > 0.95
        again = train_linear_classifier(X, y, loss=loss, steps=150)
        assert np.array_equal(model.W, again.W), "training must be deterministic"

    def test_training_errors(self):
        X, y = blobs(n=30)
        with pytest.raises(ValueError, match="steps must be a positive integer; got 0"):
            train_linear_classifier(X, y, steps=0)
        with pytest.raises(ValueError, match="lr must be a finite number >= 0"):
            train_linear_classifier(X, y, lr=-1.0)
        with pytest.raises(ValueError, match="y must hold integer class labels"):
            train_linear_classifier(X, y.astype(float))
        with pytest.raises(ValueError, match=r"labels in \[0, 2\)"):
            train_linear_classifier(X, y, n_classes=2)


def test_docstring_examples_run():
    result = doctest.testmod(losses_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
