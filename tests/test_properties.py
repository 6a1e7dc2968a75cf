"""Property tests that fill the gaps the per-module tests leave: every analytic gradient of
gradlab against a numeric one, over random shapes and values.

What the other test files already cover (and this file does not repeat): the four linear
losses at reg in {0, 0.05, 1} with the default margin, the score-level losses at delta = 1,
the linear classifier with a bias at reg = 0.1, naive = vectorised in float64, the softmax
Jacobian, the regression gradient, each Jacobian rule but ReLU's, the MLP on random
(activation, loss) pairs, vec's round trip and vec(AXB), the Kronecker route = backprop.

Here, in addition:

* activations: sigmoid', tanh', relu' against central differences; the derivative from the
  output equals the derivative at the pre-activation; log_softmax's gradient;
* losses: random margins and regularisation strengths (continuous, not three values), the
  bias gradient at random reg and delta, the bias-free classifier equals svm_loss/softmax_loss,
  naive = vectorised in float32 too, the softmax Jacobian's chain rule;
* regression: naive = vectorised at random shapes;
* jacobians: ReLU's rule 4, and rule 1 chained with rule 4 (the Jacobian of sigma(Wx));
* mlp: every activation x loss pair, each with its own examples;
* vec: the Kronecker identities (mixed product, transpose, vec(AB) both ways, the layout of
  ``numerical_jacobian`` in both orders), the Hadamard, element-wise and bias Jacobians, the
  chain's every factor and the Kronecker route against the numeric gradient;
* check: the verdict itself (a right gradient passes, a 1% scale, a sign flip or a transpose
  fails) in all three modes.

"Within the documented tolerance" means ``gradient_check``'s default verdict (tol 1e-6 at
h = 1e-5, relative plus a floor tied to the largest entry: ``gradlab.check``'s docstring),
except for a gradient too small for that verdict to resolve, which is held to the level of
the numeric gradient's rounding error instead (``gradient_assertions.py`` says why).

Kinks. A central difference across a kink measures neither side's slope, so no point may sit
within 1e-4 of one. Where the kink is in a value the test draws directly (a pre-activation Z,
a score matrix S) the entries within 1e-4 of it are *nudged* 1e-3 away; where it depends on
drawn weights (the SVM margins of X W, the ReLU network's pre-activations) the example is
*rejected* with ``assume``. 1e-4 is safe for the step h = 1e-5: a perturbed weight moves a
score by h times an entry of X (|X| < 10 here), below 1e-4.

Budget: ``max_examples`` at most 25, fewer for the slow ones; examples are derandomized, so
every run checks the same points (a property test that fails only sometimes would be a
flaky test, which the course cannot afford).
"""

from __future__ import annotations

import numpy as np
import pytest
from gradient_assertions import assert_gradient_matches as passes
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gradlab.activations import ACTIVATIONS, log_softmax, softmax
from gradlab.check import gradient_check, numerical_gradient, numerical_jacobian
from gradlab.jacobians import jacobian_elementwise, jacobian_Wx_wrt_x
from gradlab.losses import (
    linear_classifier_loss,
    multiclass_hinge,
    softmax_cross_entropy,
    softmax_jacobian,
    softmax_loss,
    softmax_loss_naive,
    svm_loss,
    svm_loss_naive,
)
from gradlab.mlp import LOSSES, MLP, derivative_from_output
from gradlab.plots import kink_derivatives
from gradlab.regression import linear_regression_loss, linear_regression_loss_naive
from gradlab.vec import (
    jacobian_bias,
    jacobian_hadamard,
    two_layer_chain,
    two_layer_kron_grads,
    unvec,
    vec,
)
from gradlab.vec import (
    jacobian_elementwise as vec_jacobian_elementwise,
)

PROPERTY = settings(max_examples=25, deadline=None, derandomize=True)
SLOW = settings(max_examples=15, deadline=None, derandomize=True)
KINK = 1e-4  # no point closer than this to a kink (see the module docstring)
NUDGE = 1e-3

seeds = st.integers(0, 2**16)
dims = st.integers(1, 5)
small = st.integers(1, 3)
activations = st.sampled_from(sorted(ACTIVATIONS))


def away_from_zero(Z):
    """Nudge the entries of Z within KINK of ReLU's kink at 0 to +NUDGE."""
    return np.where(np.abs(Z) < KINK, NUDGE, Z)


def margins(S, y, delta):
    """S_ij - S_iy + delta for j != y_i (inf on the label: no hinge term there)."""
    rows = np.arange(S.shape[0])
    m = S - S[rows, y][:, None] + delta
    m[rows, y] = np.inf
    return m


def hinge_value(S, y, delta):
    """The mean multiclass hinge loss from its definition (no code shared with gradlab)."""
    m = margins(S, y, delta)
    return float(np.sum(np.maximum(0.0, m[np.isfinite(m)]))) / S.shape[0]


def cross_entropy_value(S, y):
    """The mean softmax cross-entropy as mean(log sum exp(S) - S_y), by np.logaddexp."""
    return float(np.mean(np.logaddexp.reduce(S, axis=1) - S[np.arange(S.shape[0]), y]))


def nudge_margins(S, y, delta):
    """Move every score whose hinge margin is within KINK of 0 by NUDGE (only that margin moves)."""
    near = np.abs(margins(S, y, delta)) < KINK
    return S + NUDGE * near


# ---- activations ---------------------------------------------------------------------------


@PROPERTY
@given(
    shape=st.tuples(dims, dims),
    seed=seeds,
    name=activations,
    scale=st.sampled_from([0.1, 1.0, 4.0]),
)
def test_activation_derivatives_are_the_numeric_ones(shape, seed, name, scale):
    act, prime = ACTIVATIONS[name]
    rng = np.random.default_rng(seed)
    Z = away_from_zero(scale * rng.standard_normal(shape))  # ReLU: nudged off the kink
    C = rng.standard_normal(shape)
    # f(Z) = sum(C * act(Z)) has gradient C * act'(Z): act' is diagonal (chapter 3)
    passes(lambda V: float(np.sum(C * act(V))), Z, C * prime(Z), name=f"{name}'")
    # and the derivative read off the output is the derivative at the pre-activation
    np.testing.assert_allclose(derivative_from_output(name, act(Z)), prime(Z), atol=1e-15)


@PROPERTY
@given(N=dims, K=st.integers(2, 6), seed=seeds, scale=st.sampled_from([0.5, 5.0, 50.0]))
def test_log_softmax_gradient(N, K, seed, scale):
    rng = np.random.default_rng(seed)
    S = scale * rng.standard_normal((N, K))
    G = rng.standard_normal((N, K))
    # d/dS sum(G * log_softmax(S)) = G - softmax(S) * rowsum(G): its Jacobian is I - 1 p^T
    analytic = G - softmax(S) * G.sum(axis=1, keepdims=True)
    passes(lambda V: float(np.sum(G * log_softmax(V))), S, analytic, name="log_softmax")
    np.testing.assert_allclose(np.exp(log_softmax(S)), softmax(S), rtol=1e-12, atol=1e-300)


def test_kink_derivatives_match_outside_the_band_and_ramp_inside():
    """The central difference of max(0, x) is the derivative outside (-h, h), a ramp inside."""
    x = np.linspace(-2.0, 2.0, 401)
    for h in (0.05, 0.25, 1.0):
        d = kink_derivatives(x, h)
        outside = np.abs(x) >= h
        np.testing.assert_allclose(d["central_difference"][outside], d["derivative"][outside])
        inside = ~outside
        np.testing.assert_allclose(d["central_difference"][inside], (x[inside] + h) / (2 * h))


# ---- the linear losses -----------------------------------------------------------------------


def linear_problem(N, D, K, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((D, K))
    X = rng.standard_normal((N, D))  # |X| < 10: a step of h moves a score by less than KINK
    y = rng.integers(0, K, N)
    return W.astype(dtype), X.astype(dtype), y


@PROPERTY
@given(
    N=st.integers(1, 7),
    D=st.integers(1, 6),
    K=st.integers(1, 6),
    seed=seeds,
    reg=st.floats(0.0, 2.0),
    delta=st.floats(0.0, 3.0),
)
def test_svm_at_random_margin_and_reg(N, D, K, seed, reg, delta):
    W, X, y = linear_problem(N, D, K, seed)
    assume(np.min(np.abs(margins(X @ W, y, delta))) > KINK)  # rejected near a hinge kink
    results = []
    for fn in (svm_loss_naive, svm_loss):
        loss, dW = fn(W, X, y, reg, delta=delta)
        passes(lambda w, fn=fn: fn(w, X, y, reg, delta=delta)[0], W, dW, name=fn.__name__)
        results.append((loss, dW))
    (l1, g1), (l2, g2) = results
    assert abs(l1 - l2) <= 1e-12 * max(1.0, abs(l1))
    np.testing.assert_allclose(g1, g2, rtol=0, atol=1e-12 * max(1.0, float(np.abs(g1).max())))
    # and the value is the definition's: a gradient consistent with a wrong loss proves nothing
    assert l2 == pytest.approx(
        hinge_value(X @ W, y, delta) + reg * np.sum(W * W), rel=1e-12, abs=1e-14
    )


@PROPERTY
@given(
    N=st.integers(1, 7),
    D=st.integers(1, 6),
    K=st.integers(1, 6),
    seed=seeds,
    reg=st.floats(0.0, 2.0),
    scale=st.sampled_from([0.01, 0.3, 1.0, 3.0]),
)
def test_softmax_at_random_reg_and_scale(N, D, K, seed, reg, scale):
    W, X, y = linear_problem(N, D, K, seed)
    W = scale * W  # scores of order one to ten: the premise of the default tolerance
    results = []
    for fn in (softmax_loss_naive, softmax_loss):
        loss, dW = fn(W, X, y, reg)
        passes(lambda w, fn=fn: fn(w, X, y, reg)[0], W, dW, name=fn.__name__)
        results.append((loss, dW))
    (l1, g1), (l2, g2) = results
    assert abs(l1 - l2) <= 1e-12 * max(1.0, abs(l1))
    np.testing.assert_allclose(g1, g2, rtol=0, atol=1e-12 * max(1.0, float(np.abs(g1).max())))
    assert l2 == pytest.approx(
        cross_entropy_value(X @ W, y) + reg * np.sum(W * W), rel=1e-12, abs=1e-14
    )


@PROPERTY
@given(N=st.integers(1, 12), D=st.integers(1, 10), K=st.integers(1, 8), seed=seeds)
def test_naive_equals_vectorised_in_float32(N, D, K, seed):
    W, X, y = linear_problem(N, D, K, seed, dtype=np.float32)
    reg = 0.1
    for naive, fast in ((svm_loss_naive, svm_loss), (softmax_loss_naive, softmax_loss)):
        l1, g1 = naive(W, X, y, reg)
        l2, g2 = fast(W, X, y, reg)
        assert g1.dtype == g2.dtype == np.float32
        # float32 keeps ~7 digits; sums of at most N * K terms of order one
        assert abs(l1 - l2) <= 1e-5 * max(1.0, abs(l1))
        np.testing.assert_allclose(g1, g2, rtol=0, atol=1e-5 * max(1.0, float(np.abs(g1).max())))


@PROPERTY
@given(
    N=st.integers(1, 7),
    K=st.integers(1, 6),
    seed=seeds,
    delta=st.floats(0.0, 3.0),
    scale=st.sampled_from([0.5, 2.0, 5.0]),
)
def test_score_level_losses_at_random_margin_and_scale(N, K, seed, delta, scale):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, K, N)
    S = nudge_margins(scale * rng.standard_normal((N, K)), y, delta)  # off the hinge kinks
    assert np.min(np.abs(margins(S, y, delta))) >= KINK or K == 1
    loss, dS = multiclass_hinge(S, y, delta=delta)
    assert loss == pytest.approx(hinge_value(S, y, delta), rel=1e-12, abs=1e-15)
    passes(lambda V: multiclass_hinge(V, y, delta=delta)[0], S, dS, name="multiclass_hinge")
    loss, dS = softmax_cross_entropy(S, y)
    assert loss == pytest.approx(cross_entropy_value(S, y), rel=1e-12, abs=1e-15)
    passes(lambda V: softmax_cross_entropy(V, y)[0], S, dS, name="softmax_cross_entropy")
    # each row of dS sums to zero: adding a constant to a row's scores changes nothing
    np.testing.assert_allclose(dS.sum(axis=1), 0.0, atol=1e-15)


def atol_of(S):
    """Both sides carry the rounding of S - max(S): about eps * |S|, in absolute terms."""
    return 16 * np.finfo(np.float64).eps * (1.0 + float(np.max(np.abs(S))))


@PROPERTY
@given(N=st.integers(1, 7), K=st.integers(1, 6), seed=seeds, scale=st.sampled_from([30.0, 1e3]))
def test_softmax_cross_entropy_at_huge_scores_is_the_closed_form(N, K, seed, scale):
    """Scores in the hundreds: no finite difference resolves them (rounding ~ eps |S| / h), so
    the value and gradient are compared with the closed form, computed another way."""
    rng = np.random.default_rng(seed)
    S = scale * rng.standard_normal((N, K))
    y = rng.integers(0, K, N)
    lse = np.logaddexp.reduce(S, axis=1)  # log sum exp, by pairwise logaddexp
    loss, dS = softmax_cross_entropy(S, y)
    assert loss == pytest.approx(cross_entropy_value(S, y), rel=1e-12, abs=atol_of(S))
    expected = (np.exp(S - lse[:, None]) - np.eye(K)[y]) / N
    np.testing.assert_allclose(dS, expected, rtol=0, atol=atol_of(S))


@PROPERTY
@given(
    N=st.integers(1, 6),
    D=st.integers(1, 5),
    K=st.integers(1, 5),
    seed=seeds,
    loss=st.sampled_from(["svm", "softmax"]),
    reg=st.floats(0.0, 1.0),
    delta=st.floats(0.0, 2.0),
)
def test_linear_classifier_bias_at_random_reg_and_margin(N, D, K, seed, loss, reg, delta):
    W, X, y = linear_problem(N, D, K, seed)
    b = np.random.default_rng(seed + 1).standard_normal((1, K))
    if loss == "svm":
        assume(np.min(np.abs(margins(X @ W + b, y, delta))) > KINK)  # rejected near a kink

    def value(W_, b_):
        return linear_classifier_loss(W_, b_, X, y, loss=loss, reg=reg, delta=delta)[0]

    total, dW, db = linear_classifier_loss(W, b, X, y, loss=loss, reg=reg, delta=delta)
    assert dW.shape == W.shape and db.shape == (1, K)
    S = X @ W + b
    data = hinge_value(S, y, delta) if loss == "svm" else cross_entropy_value(S, y)
    assert total == pytest.approx(data + reg * np.sum(W * W), rel=1e-12, abs=1e-14)
    passes(lambda w: value(w, b), W, dW, name="dW")
    passes(lambda c: value(W, c), b, db, name="db")
    # with b = 0 it is the bias-free loss of the same name, value and gradient
    plain = svm_loss(W, X, y, reg, delta=delta) if loss == "svm" else softmax_loss(W, X, y, reg)
    if loss == "softmax" or np.min(np.abs(margins(X @ W, y, delta))) > KINK:
        value0, dW0, _ = linear_classifier_loss(W, 0 * b, X, y, loss=loss, reg=reg, delta=delta)
        assert value0 == pytest.approx(plain[0], rel=1e-12, abs=1e-15)
        np.testing.assert_allclose(dW0, plain[1], rtol=1e-12, atol=1e-15)


@PROPERTY
@given(K=st.integers(2, 8), seed=seeds, scale=st.sampled_from([0.1, 1.0, 6.0]))
def test_softmax_jacobian_chain_rule(K, seed, scale):
    """J^T dL/dp through the softmax Jacobian is the score gradient of any loss of p."""
    rng = np.random.default_rng(seed)
    s = scale * rng.standard_normal(K)
    c = rng.standard_normal(K)
    p = softmax(s[None, :])[0]
    J = softmax_jacobian(p)

    def loss(v):  # L = sum(c * p^2): dL/dp = 2 c p
        q = softmax(v[None, :])[0]
        return float(np.sum(c * q * q))

    passes(loss, s, J.T @ (2 * c * p), name="softmax_jacobian chain")


# ---- regression ------------------------------------------------------------------------------


@PROPERTY
@given(N=st.integers(1, 8), D=st.integers(1, 6), K=st.one_of(st.none(), small), seed=seeds)
def test_regression_naive_equals_vectorised(N, D, K, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    theta = rng.standard_normal(D if K is None else (D, K))
    y = rng.standard_normal(N if K is None else (N, K))
    l1, g1 = linear_regression_loss_naive(theta, X, y)
    l2, g2 = linear_regression_loss(theta, X, y)
    assert g1.shape == g2.shape == theta.shape
    assert l1 == pytest.approx(l2, rel=1e-12, abs=1e-15)
    assert l2 == pytest.approx(float(np.sum((X @ theta - y) ** 2)) / (2 * N), rel=1e-12)
    np.testing.assert_allclose(g1, g2, rtol=1e-12, atol=1e-14)


# ---- jacobians ---------------------------------------------------------------------------------


@PROPERTY
@given(n=dims, seed=seeds)
def test_rule4_relu_off_the_kink(n, seed):
    x = away_from_zero(np.random.default_rng(seed).standard_normal(n))
    J = jacobian_elementwise(x, "relu")
    np.testing.assert_allclose(J, numerical_jacobian(ACTIVATIONS["relu"][0], x), atol=1e-9)


@PROPERTY
@given(m=dims, n=dims, seed=seeds, name=activations)
def test_rule1_chained_with_rule4(m, n, seed, name):
    """The Jacobian of z = sigma(W x) is diag(sigma'(W x)) W: rule 4 times rule 1."""
    act, prime = ACTIVATIONS[name]
    rng = np.random.default_rng(seed)
    W, x = rng.standard_normal((m, n)), rng.standard_normal(n)
    s = W @ x
    assume(name != "relu" or np.min(np.abs(s)) > KINK)  # rejected near ReLU's kink
    J = jacobian_elementwise(s, name) @ jacobian_Wx_wrt_x(W, x)
    np.testing.assert_allclose(J, numerical_jacobian(lambda v: act(W @ v), x), atol=1e-8)


# ---- the MLP: every activation with every loss ---------------------------------------------


def reference_loss(net, X, Y):
    """The loss from the definitions, with no code shared with gradlab.mlp's passes."""
    act = ACTIVATIONS[net.activation][0]
    A = X
    for l, (W, b) in enumerate(zip(net.weights, net.biases, strict=True), start=1):
        S = A @ W + np.ones((X.shape[0], 1)) @ b
        A = S if (l == net.n_layers and net.loss == "softmax") else act(S)
    if net.loss == "mse":
        return float(np.sum((A - Y) ** 2)) / (2 * X.shape[0])
    shifted = A - A.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -float(np.mean(logp[np.arange(X.shape[0]), Y]))


def relu_pre_activations_off_the_kink(net, X):
    """Every ReLU pre-activation at least KINK from 0 (the softmax layer applies none)."""
    A = X
    for l, (W, b) in enumerate(zip(net.weights, net.biases, strict=True), start=1):
        S = A @ W + b
        if l == net.n_layers and net.loss == "softmax":
            return True
        if np.min(np.abs(S)) <= KINK:
            return False
        A = np.maximum(S, 0)
    return True


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@settings(max_examples=12, deadline=None, derandomize=True)
@given(hidden=st.lists(st.integers(1, 4), min_size=0, max_size=2), n=st.integers(1, 5), seed=seeds)
def test_mlp_every_activation_and_loss(activation, loss, hidden, n, seed):
    rng = np.random.default_rng(seed)
    n_in, n_out = int(rng.integers(1, 4)), int(rng.integers(2, 4))
    net = MLP([n_in, *hidden, n_out], activation=activation, loss=loss, seed=seed)
    for c in net.biases:  # non-zero biases, so a wrong bias gradient cannot hide
        c[...] = 0.3 * rng.standard_normal(c.shape)
    X = rng.standard_normal((n, n_in))
    Y = rng.standard_normal((n, n_out)) if loss == "mse" else rng.integers(0, n_out, n)
    if activation == "relu":
        assume(relu_pre_activations_off_the_kink(net, X))  # rejected near a kink
    value, dWs, dbs = net.loss_and_grads(X, Y)
    assert value == pytest.approx(reference_loss(net, X, Y), rel=1e-12, abs=1e-15)
    f = lambda _: reference_loss(net, X, Y)  # noqa: E731  (reads the perturbed parameter)
    for l, (W, dW) in enumerate(zip(net.weights, dWs, strict=True), start=1):
        passes(f, W, dW, name=f"dW{l}")
    for l, (c, db) in enumerate(zip(net.biases, dbs, strict=True), start=1):
        passes(f, c, db, name=f"db{l}")


# ---- vec and the Kronecker route -------------------------------------------------------------


@PROPERTY
@given(p=small, q=small, r=small, s=small, t=small, u=small, seed=seeds)
def test_kronecker_identities(p, q, r, s, t, u, seed):
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((p, q)), rng.standard_normal((r, s))
    C, E = rng.standard_normal((q, t)), rng.standard_normal((s, u))
    # mixed product: (A kron B)(C kron E) = (AC) kron (BE)
    np.testing.assert_allclose(np.kron(A, B) @ np.kron(C, E), np.kron(A @ C, B @ E), atol=1e-12)
    # transpose: (A kron B)^T = A^T kron B^T (no swap of the factors)
    np.testing.assert_array_equal(np.kron(A, B).T, np.kron(A.T, B.T))
    # vec(AC) = (I kron A) vec(C) = (C^T kron I) vec(A), the two special cases of vec(AXB)
    np.testing.assert_allclose(vec(A @ C), np.kron(np.eye(t), A) @ vec(C), atol=1e-12)
    np.testing.assert_allclose(vec(A @ C), np.kron(C.T, np.eye(p)) @ vec(A), atol=1e-12)
    # unvec inverts vec, for any dtype
    for M in (A, A.astype(np.float32), (10 * A).astype(np.int64)):
        back = unvec(vec(M), M.shape)
        assert back.dtype == M.dtype
        np.testing.assert_array_equal(back, M)


@PROPERTY
@given(p=small, m=small, n=small, q=small, seed=seeds)
def test_numerical_jacobian_layout_is_the_kronecker_one(p, m, n, q, seed):
    """order="F" stacks columns (vec): kron(B^T, A); order="C" stacks rows: kron(A, B^T)."""
    rng = np.random.default_rng(seed)
    A, X, B = rng.standard_normal((p, m)), rng.standard_normal((m, n)), rng.standard_normal((n, q))
    F = lambda V: A @ V @ B  # noqa: E731
    np.testing.assert_allclose(numerical_jacobian(F, X, order="F"), np.kron(B.T, A), atol=1e-8)
    np.testing.assert_allclose(numerical_jacobian(F, X, order="C"), np.kron(A, B.T), atol=1e-8)


@PROPERTY
@given(n=small, k=small, seed=seeds, name=activations)
def test_hadamard_elementwise_and_bias_jacobians(n, k, seed, name):
    act, prime = ACTIVATIONS[name]
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((n, k)), rng.standard_normal((n, k))
    S = away_from_zero(rng.standard_normal((n, k)))  # ReLU: nudged off the kink
    b = rng.standard_normal((1, k))
    np.testing.assert_allclose(
        jacobian_hadamard(B), numerical_jacobian(lambda V: V * B, A), atol=1e-9
    )
    np.testing.assert_allclose(
        vec_jacobian_elementwise(prime(S)), numerical_jacobian(act, S), atol=1e-8
    )
    np.testing.assert_allclose(
        jacobian_bias(n, k), numerical_jacobian(lambda v: np.ones((n, 1)) @ v, b), atol=1e-9
    )


def two_layer_problem(n, d, h, k, seed):
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((n, d)),
        rng.random((n, k)),
        rng.standard_normal((d, h)),
        0.5 * rng.standard_normal((1, h)),
        rng.standard_normal((h, k)),
        0.5 * rng.standard_normal((1, k)),
    )


def two_layer_pre_activations(X, W1, b1, W2, b2, name):
    act = ACTIVATIONS[name][0]
    S1 = X @ W1 + b1
    return S1, act(S1) @ W2 + b2


@SLOW
@given(n=small, d=small, h=small, k=small, seed=seeds, name=activations)
def test_every_factor_of_the_chain_and_the_kron_gradients(n, d, h, k, seed, name):
    X, Y, W1, b1, W2, b2 = two_layer_problem(n, d, h, k, seed)
    S1, S2 = two_layer_pre_activations(X, W1, b1, W2, b2, name)
    if name == "relu":
        assume(min(np.min(np.abs(S1)), np.min(np.abs(S2))) > KINK)  # rejected near a kink
    act = ACTIVATIONS[name][0]
    A1 = act(S1)
    U = act(S2) - Y
    c = two_layer_chain(X, Y, W1, b1, W2, b2, name)
    assert c["J"] == pytest.approx(float(np.sum(U * U)) / (2 * n), rel=1e-12)
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
    # the product of the factors, summed and reshaped, is the numeric gradient of J
    _, (dW1, dW2), (db1, db2) = two_layer_kron_grads(X, Y, W1, b1, W2, b2, name)

    def J(_):
        return two_layer_chain(X, Y, W1, b1, W2, b2, name)["J"]

    for param, grad, label in (
        (W1, dW1, "dW1"),
        (W2, dW2, "dW2"),
        (b1, db1, "db1"),
        (b2, db2, "db2"),
    ):
        assert grad.shape == param.shape
        passes(J, param, grad, name=label)


# ---- the checker's verdict ------------------------------------------------------------------


@PROPERTY
@given(m=dims, n=dims, seed=seeds, mode=st.sampled_from(["full", "sparse", "directional"]))
def test_the_verdict_passes_right_and_fails_wrong_gradients(m, n, seed, mode):
    """f(X) = sum(C * sin(X)) + sum(X^2) / 2 has gradient C * cos(X) + X."""
    rng = np.random.default_rng(seed)
    C, X = rng.standard_normal((m, n)), rng.standard_normal((m, n))
    f = lambda V: float(np.sum(C * np.sin(V)) + 0.5 * np.sum(V * V))  # noqa: E731
    grad = C * np.cos(X) + X
    assert gradient_check(f, X, grad, mode=mode, k=m * n).passed
    np.testing.assert_allclose(numerical_gradient(f, X), grad, rtol=1e-7, atol=1e-9)
    assume(np.linalg.norm(grad) > 1e-3)
    assert not gradient_check(f, X, 1.01 * grad, mode=mode, k=m * n).passed  # a 1% scale
    assert not gradient_check(f, X, -grad, mode=mode, k=m * n).passed  # a sign
    if m == n and mode != "directional" and not np.allclose(grad, grad.T, rtol=1e-3):
        assert not gradient_check(f, X, grad.T.copy(), mode=mode, k=m * n).passed  # a .T
