"""gradlab.mlp: backprop equals the numeric gradient for every activation, loss and shape."""

from __future__ import annotations

import numpy as np
import pytest
from gradient_assertions import assert_gradient_matches
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gradlab.activations import ACTIVATIONS, log_softmax, sigmoid_prime
from gradlab.check import numerical_gradient
from gradlab.mlp import LOSSES, MLP, derivative_from_output, train
from gradlab.shapes import ShapeError

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def reference_forward(net, X):
    """An independent forward pass: the pre-activations S^1..S^L and outputs A^0..A^L."""
    act = ACTIVATIONS[net.activation][0]
    A, pre, outs = X, [], [X]
    for l, (W, b) in enumerate(zip(net.weights, net.biases, strict=True), start=1):
        S = A @ W + np.ones((X.shape[0], 1)) @ b
        pre.append(S)
        A = S if (l == net.n_layers and net.loss == "softmax") else act(S)
        outs.append(A)
    return pre, outs


def reference_loss(net, X, Y):
    """The loss from its definition: ||A^L - Y||^2 / (2N), or the mean of -log softmax[y]."""
    _, outs = reference_forward(net, X)
    n = X.shape[0]
    if net.loss == "mse":
        return float(np.sum((outs[-1] - Y) ** 2)) / (2 * n)
    return -float(np.mean(log_softmax(outs[-1])[np.arange(n), Y]))


def make_problem(sizes, activation, loss, n, seed):
    rng = np.random.default_rng(seed)
    net = MLP(sizes, activation=activation, loss=loss, seed=seed)
    for b in net.biases:  # non-zero biases, so a wrong bias gradient cannot hide
        b[...] = 0.3 * rng.standard_normal(b.shape)
    X = rng.standard_normal((n, sizes[0]))
    if loss == "mse":
        Y = rng.standard_normal((n, sizes[-1]))
    else:
        Y = rng.integers(0, sizes[-1], n)
    return net, X, Y


def assert_grads_match_numeric(net, X, Y):
    loss, dWs, dbs = net.loss_and_grads(X, Y)
    assert loss == pytest.approx(reference_loss(net, X, Y), rel=1e-12, abs=1e-14)
    f = lambda _: reference_loss(net, X, Y)  # noqa: E731  (reads the perturbed parameters)
    # gradient_check's verdict, except for a gradient too small for it to resolve (behind a
    # one-unit sigmoid layer dW1 can be 2e-5): see gradient_assertions.py
    for l, (W, dW) in enumerate(zip(net.weights, dWs, strict=True), start=1):
        assert_gradient_matches(f, W, dW, name=f"dW{l}")
    for l, (b, db) in enumerate(zip(net.biases, dbs, strict=True), start=1):
        assert_gradient_matches(f, b, db, name=f"db{l}")


layer_sizes = st.lists(st.integers(1, 5), min_size=2, max_size=5)


@settings(max_examples=25, deadline=None)
@given(
    sizes=layer_sizes,
    activation=st.sampled_from(sorted(ACTIVATIONS)),
    loss=st.sampled_from(LOSSES),
    n=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_loss_and_grads_equal_the_numeric_gradient(sizes, activation, loss, n, seed):
    if loss == "softmax":
        sizes = sizes[:-1] + [max(2, sizes[-1])]
    net, X, Y = make_problem(sizes, activation, loss, n, seed)
    if activation == "relu":
        pre, _ = reference_forward(net, X)
        hidden = pre if loss == "mse" else pre[:-1]
        # a central difference across ReLU's kink measures neither side's slope
        assume(all(np.min(np.abs(S)) > 1e-3 for S in hidden))
    assert_grads_match_numeric(net, X, Y)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("loss", LOSSES)
def test_every_activation_and_loss_on_a_deep_net(activation, loss):
    net, X, Y = make_problem([4, 6, 5, 4, 3], activation, loss, n=7, seed=3)
    assert_grads_match_numeric(net, X, Y)


class TestForwardAndCache:
    def test_output_and_cache_hold_the_layers_and_nothing_else(self):
        net, X, Y = make_problem([3, 5, 4, 2], "sigmoid", "mse", n=6, seed=0)
        out = net.forward(X)
        pre, outs = reference_forward(net, X)
        assert len(net.cache) == net.n_layers + 1
        assert net.cache[0] is X, "the input is kept by reference, not copied"
        for kept, expected in zip(net.cache, outs, strict=True):
            np.testing.assert_allclose(kept, expected, rtol=1e-14)
        np.testing.assert_allclose(out, outs[-1], rtol=1e-14)
        assert net.cache_nbytes() == 8 * 6 * (3 + 5 + 4 + 2)

    def test_softmax_keeps_the_scores_on_top(self):
        net, X, y = make_problem([3, 4, 3], "tanh", "softmax", n=5, seed=1)
        scores = net.forward(X)
        pre, _ = reference_forward(net, X)
        np.testing.assert_allclose(scores, pre[-1], rtol=1e-14)
        np.testing.assert_allclose(net.predict_proba(X).sum(axis=1), 1.0)
        assert np.array_equal(net.predict(X), pre[-1].argmax(axis=1))

    def test_backward_releases_the_cache_and_needs_a_forward_pass(self):
        net, X, Y = make_problem([2, 3, 1], "tanh", "mse", n=4, seed=0)
        net.forward(X)
        net.backward(Y)
        assert net.cache is None and net.cache_nbytes() == 0
        with pytest.raises(RuntimeError, match="needs a forward pass first"):
            net.backward(Y)

    def test_forward_then_backward_equals_loss_and_grads(self):
        net, X, Y = make_problem([3, 4, 2], "relu", "mse", n=5, seed=2)
        net.forward(X)
        loss, dWs, dbs = net.backward(Y)
        loss2, dWs2, dbs2 = net.loss_and_grads(X, Y)
        assert loss == loss2
        for a, b in zip(dWs + dbs, dWs2 + dbs2, strict=True):
            assert np.array_equal(a, b)

    def test_gradient_shapes_are_the_parameter_shapes(self):
        net, X, Y = make_problem([5, 7, 3, 2], "sigmoid", "mse", n=4, seed=0)
        _, dWs, dbs = net.loss_and_grads(X, Y)
        assert [d.shape for d in dWs] == [(5, 7), (7, 3), (3, 2)]  # n_{l-1} x n_l
        assert [d.shape for d in dbs] == [(1, 7), (1, 3), (1, 2)]


class TestDerivativeAtThePreActivation:
    @pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
    def test_from_output_equals_the_derivative_at_the_pre_activation(self, activation):
        act, prime = ACTIVATIONS[activation]
        S = np.random.default_rng(0).standard_normal((6, 5)) * 3
        S[0, 0] = 0.0  # ReLU'(0) = 0 here too
        np.testing.assert_allclose(derivative_from_output(activation, act(S)), prime(S))

    def test_the_source_notes_slip_is_different(self):
        S = np.linspace(-3, 3, 7).reshape(1, 7)
        A = 1 / (1 + np.exp(-S))
        assert not np.allclose(sigmoid_prime(A), sigmoid_prime(S))

    def test_relu_derivative_at_zero_is_zero(self):
        net = MLP([2, 3, 1], activation="relu", loss="mse")
        X = np.zeros((4, 2))  # S^1 = 0 exactly (zero biases): every hidden unit sits on the kink
        _, dWs, dbs = net.loss_and_grads(X, np.ones((4, 1)))
        assert not np.any(dbs[0]) and not np.any(dWs[0])
        assert not np.any(dWs[1]), "A^1 = relu(0) = 0, so nothing flows into dW2 either"


class TestFloat32:
    def test_a_float32_network_computes_in_float32(self):
        net = MLP([4, 6, 3], activation="relu", loss="softmax", dtype=np.float32)
        rng = np.random.default_rng(0)
        X = rng.standard_normal((5, 4)).astype(np.float32)
        loss, dWs, dbs = net.loss_and_grads(X, np.array([0, 1, 2, 1, 0]))
        assert isinstance(loss, float)
        assert all(g.dtype == np.float32 for g in dWs + dbs)
        assert net.forward(X).dtype == np.float32

    @pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
    def test_float32_gradients_agree_with_float64(self, activation):
        net64, X, Y = make_problem([4, 5, 3], activation, "mse", n=6, seed=4)
        net32 = MLP([4, 5, 3], activation=activation, dtype=np.float32)
        net32.weights = [W.astype(np.float32) for W in net64.weights]
        net32.biases = [b.astype(np.float32) for b in net64.biases]
        _, d64, _ = net64.loss_and_grads(X, Y)
        _, d32, _ = net32.loss_and_grads(X.astype(np.float32), Y.astype(np.float32))
        for a, b in zip(d64, d32, strict=True):
            np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-6)


class TestTrain:
    def test_one_step_is_w_minus_lr_times_the_gradient(self):
        net, X, Y = make_problem([2, 3, 1], "sigmoid", "mse", n=4, seed=0)
        before = [W.copy() for W in net.weights] + [b.copy() for b in net.biases]
        _, dWs, dbs = net.loss_and_grads(X, Y)
        train(net, X, Y, lr=0.3, steps=1)
        for p, p0, g in zip(net.weights + net.biases, before, dWs + dbs, strict=True):
            np.testing.assert_allclose(p, p0 - 0.3 * g, rtol=1e-14)

    def test_learns_xor(self):
        net = MLP([2, 4, 1], activation="sigmoid", loss="mse", seed=0)
        losses = train(net, XOR_X, XOR_Y, lr=2.0, steps=2000)
        assert losses[-1] < 0.05 * losses[0]
        assert np.array_equal(net.predict(XOR_X).round(), XOR_Y)

    def test_grad_fn_is_what_moves_the_weights(self):
        net, X, Y = make_problem([2, 3, 1], "tanh", "mse", n=4, seed=0)
        before = [W.copy() for W in net.weights]

        def no_gradient(net, X, Y):
            return (
                1.0,
                [np.zeros_like(W) for W in net.weights],
                [np.zeros_like(b) for b in net.biases],
            )

        train(net, X, Y, steps=5, grad_fn=no_gradient)
        assert all(np.array_equal(W, W0) for W, W0 in zip(net.weights, before, strict=True))

    def test_minibatches_are_seeded(self):
        def run(seed):
            net, X, Y = make_problem([3, 4, 2], "tanh", "softmax", n=20, seed=0)
            return train(net, X, Y, lr=0.5, steps=10, batch_size=5, seed=seed)

        assert np.array_equal(run(1), run(1))
        assert not np.array_equal(run(1), run(2))

    def test_a_diverging_loss_stops_training(self):
        net, X, Y = make_problem([2, 3, 1], "tanh", "mse", n=4, seed=0)

        def exploding(net, X, Y):
            return (
                float("inf"),
                [np.zeros_like(W) for W in net.weights],
                [np.zeros_like(b) for b in net.biases],
            )

        with pytest.raises(FloatingPointError, match="diverged; lower lr"):
            train(net, X, Y, grad_fn=exploding)


class TestBadInput:
    @pytest.mark.parametrize(
        "sizes, error, message",
        [
            ("3,4", TypeError, "sizes must be a list of layer widths"),
            ([3], ValueError, "at least two widths"),
            ([3, 0], ValueError, r"sizes\[1\] must be a positive integer"),
            ([3, 2.5], TypeError, r"sizes\[1\] must be a positive integer.*float"),
            ([True, 2], TypeError, r"sizes\[0\] must be a positive integer.*bool"),
        ],
    )
    def test_sizes(self, sizes, error, message):
        with pytest.raises(error, match=message):
            MLP(sizes)

    def test_names_and_dtype(self):
        with pytest.raises(
            ValueError, match="activation must be one of 'sigmoid', 'tanh', 'relu'; got 'softplus'"
        ):
            MLP([2, 2], activation="softplus")
        with pytest.raises(ValueError, match="loss must be one of 'mse', 'softmax'; got 'hinge'"):
            MLP([2, 2], loss="hinge")
        with pytest.raises(ValueError, match="at least two outputs"):
            MLP([2, 1], loss="softmax")
        with pytest.raises(TypeError, match="dtype must be np.float64 or np.float32"):
            MLP([2, 2], dtype=np.int64)
        with pytest.raises(ValueError, match="seed must be a non-negative integer.*got -1"):
            MLP([2, 2], seed=-1)

    def test_X(self):
        net = MLP([3, 4, 2])
        Y = np.zeros((5, 2))
        with pytest.raises(ShapeError, match="X must be a 2-D array.*got 1-D"):
            net.loss_and_grads(np.zeros(3), Y)
        with pytest.raises(
            ShapeError, match=r"X must have shape \(any, 3\).*dimension 1 is 4, expected 3"
        ):
            net.loss_and_grads(np.zeros((5, 4)), Y)
        with pytest.raises(ValueError, match="X must hold at least one of its rows"):
            net.forward(np.zeros((0, 3)))
        with pytest.raises(TypeError, match="X must be a floating-point array.*int64"):
            net.forward(np.zeros((5, 3), dtype=np.int64))
        with pytest.raises(TypeError, match="X must have the network's dtype float64; got float32"):
            net.forward(np.zeros((5, 3), dtype=np.float32))
        bad = np.zeros((5, 3))
        bad[2, 1] = np.nan
        with pytest.raises(ValueError, match=r"X must be finite.*index \(2, 1\)"):
            net.loss_and_grads(bad, Y)
        with pytest.raises(TypeError, match="X must be a NumPy array"):
            net.forward([[0.0, 0.0, 0.0]])

    def test_Y_for_mse(self):
        net = MLP([3, 4, 2])
        X = np.zeros((5, 3))
        with pytest.raises(
            ShapeError, match=r"Y must have shape \(5, 2\).*dimension 0 is 4, expected 5"
        ):
            net.loss_and_grads(X, np.zeros((4, 2)))
        with pytest.raises(ShapeError, match="Y must be a 2-D array"):
            net.loss_and_grads(X, np.zeros(5))
        with pytest.raises(TypeError, match="Y must have the network's dtype float64; got float32"):
            net.loss_and_grads(X, np.zeros((5, 2), dtype=np.float32))
        with pytest.raises(ValueError, match="Y must be finite"):
            net.loss_and_grads(X, np.full((5, 2), np.inf))

    def test_labels_for_softmax(self):
        net = MLP([3, 4, 3], loss="softmax")
        X = np.zeros((4, 3))
        with pytest.raises(ValueError, match=r"labels in \[0, 3\) for 3 classes; got 3"):
            net.loss_and_grads(X, np.array([0, 1, 2, 3]))
        with pytest.raises(ValueError, match="integer class labels.*astype\\(int\\)"):
            net.loss_and_grads(X, np.array([0.0, 1.0, 2.0, 1.0]))
        with pytest.raises(ShapeError, match="expected 4 labels, got 3"):
            net.loss_and_grads(X, np.array([0, 1, 2]))
        with pytest.raises(ValueError, match=r"One-hot rows\? Use Y.argmax\(axis=1\)"):
            net.loss_and_grads(X, np.eye(3)[[0, 1, 2, 1]])
        with pytest.raises(ValueError, match="predict_proba needs loss='softmax'"):
            MLP([3, 2]).predict_proba(X)

    def test_replaced_parameters(self):
        net = MLP([3, 4, 2])
        net.weights[0] = np.zeros((4, 3))
        with pytest.raises(
            ShapeError,
            match=r"weights\[0\] must have shape \(3, 4\) \(W\^1 is n_0 x n_1\).*transpose",
        ):
            net.forward(np.zeros((2, 3)))
        net = MLP([3, 4, 2])
        net.biases[1] = np.zeros(2)
        with pytest.raises(ShapeError, match=r"biases\[1\] must have shape \(1, 2\)"):
            net.forward(np.zeros((2, 3)))
        net = MLP([3, 4, 2])
        net.weights[1] = net.weights[1].astype(np.float32)
        with pytest.raises(TypeError, match=r"weights\[1\] must have the network's dtype float64"):
            net.forward(np.zeros((2, 3)))

    def test_train_arguments(self):
        net = MLP([2, 3, 1])
        with pytest.raises(ValueError, match="lr must be a finite number > 0; got 0.0"):
            train(net, XOR_X, XOR_Y, lr=0.0)
        with pytest.raises(ValueError, match="steps must be a positive integer; got 0"):
            train(net, XOR_X, XOR_Y, steps=0)
        with pytest.raises(
            ValueError, match=r"batch_size must be at most the number of rows of X \(4\); got 5"
        ):
            train(net, XOR_X, XOR_Y, batch_size=5)
        with pytest.raises(TypeError, match="net must be a gradlab.mlp.MLP; got dict"):
            train({}, XOR_X, XOR_Y)
        with pytest.raises(TypeError, match="grad_fn must be callable"):
            train(net, XOR_X, XOR_Y, grad_fn=3)


def test_numeric_gradient_sees_a_broken_backward(monkeypatch):
    """The guard itself: with sigma' applied to the output (the source note's slip), it fails."""
    import gradlab.mlp as mlp

    def slip(activation, G, A):
        G *= sigmoid_prime(A)
        return G

    monkeypatch.setattr(mlp, "_scale_by_derivative", slip)
    net, X, Y = make_problem([3, 4, 2], "sigmoid", "mse", n=5, seed=0)
    _, dWs, _ = net.loss_and_grads(X, Y)
    numeric = numerical_gradient(lambda _: reference_loss(net, X, Y), net.weights[0])
    assert not np.allclose(dWs[0], numeric, rtol=1e-4)
