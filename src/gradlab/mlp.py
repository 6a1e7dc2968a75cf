"""A multilayer perceptron whose backward pass is the matrix-form backprop of chapter 6.

Chapter 6 ("Matrix-form backprop") derives every line of ``MLP.backward``. The notation, in
the course's row-batch convention (one example per row):

=================================  ===============  =========================================
quantity                           shape            meaning
=================================  ===============  =========================================
``A^0 = X``                        N x n_0          the batch
``S^l = A^{l-1} W^l + 1 b^l``      N x n_l          pre-activation of layer l (l = 1..L)
``A^l = sigma(S^l)``               N x n_l          output of layer l
``G^l = dJ/dA^l``                  N x n_l          what backprop carries from layer to layer
``dJ/dW^l = (A^{l-1})^T Delta^l``  n_{l-1} x n_l    with ``Delta^l = G^l * sigma'(S^l)``
``dJ/db^l = 1^T Delta^l``          1 x n_l          a sum over the batch
=================================  ===============  =========================================

and the recursion ``G^{l-1} = Delta^l (W^l)^T``: it runs from the top down, which is why it is
called *back*-propagation. With ``loss="softmax"`` the last layer applies no activation: its
pre-activation ``S^L`` is the score matrix, and the fused softmax cross-entropy gives
``Delta^L = (softmax(S^L) - onehot(y)) / N`` directly.

What the forward pass keeps
---------------------------
Backward reads ``A^{l-1}`` (for ``dW^l``) and ``sigma'(S^l)`` (for ``Delta^l``). For the three
activations here the derivative at the pre-activation is a function of the output:
``sigmoid'(S) = A (1 - A)``, ``tanh'(S) = 1 - A^2``, ``relu'(S) = 1{A > 0}``. So the forward
pass keeps one array per layer, the outputs ``A^0 .. A^{L-1}`` and the top (``A^L`` for mse,
``S^L`` for softmax), and nothing else: L + 1 arrays of N x n_l entries.
"""

from __future__ import annotations

import numbers

import numpy as np

from gradlab._validate import (
    require_array,
    require_choice,
    require_finite,
    require_float,
    require_labels,
    require_ndim,
    require_nonempty,
    require_positive,
    require_positive_int,
    require_seed,
    require_shape,
    shape_text,
)
from gradlab.activations import ACTIVATIONS, softmax
from gradlab.losses import softmax_cross_entropy
from gradlab.shapes import ShapeError

__all__ = [
    "LOSSES",
    "MLP",
    "derivative_from_output",
    "train",
]

#: the losses an MLP can end with
LOSSES = ("mse", "softmax")
_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def derivative_from_output(activation, A):
    """sigma'(S) computed from the layer's output A = sigma(S), for the course's activations.

    The derivative belongs at the pre-activation S. For sigmoid, tanh and ReLU it can be
    written through the output, which is why a forward pass needs to keep only A (chapter 6):

    * sigmoid: ``sigmoid'(S) = A * (1 - A)``
    * tanh: ``tanh'(S) = 1 - A**2``
    * relu: ``relu'(S) = 1{A > 0}`` (ReLU'(0) = 0, as everywhere in the course)

    This is *not* ``sigmoid_prime(A)``, the derivative function applied to the output: that is
    the slip in the source note that chapter 6 corrects with a failing gradient check.

    Parameters
    ----------
    activation : {"sigmoid", "tanh", "relu"}
    A : ndarray of float, any shape
        The activation's output.

    Returns
    -------
    ndarray, the shape and dtype of A

    Examples
    --------
    >>> import numpy as np
    >>> from gradlab.activations import sigmoid, sigmoid_prime
    >>> S = np.array([[-2.0, 0.5, 3.0]])
    >>> np.allclose(derivative_from_output("sigmoid", sigmoid(S)), sigmoid_prime(S))
    True
    """
    _check_activation(activation)
    require_float("A", A)
    require_finite("A", A)
    if activation == "sigmoid":
        return A * (1 - A)
    if activation == "tanh":
        return 1 - A * A
    return (A > 0).astype(A.dtype)


def _scale_by_derivative(activation, G, A):
    """G * sigma'(S), in place in G (the backward pass's hot loop; same maths as above)."""
    if activation == "sigmoid":
        G *= A
        G *= 1 - A
    elif activation == "tanh":
        G *= 1 - A * A
    else:
        G *= A > 0
    return G


def _check_activation(activation):
    require_choice("activation", activation, ACTIVATIONS)


def _check_sizes(sizes):
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (list, tuple)):
        raise TypeError(
            "sizes must be a list of layer widths [n_0, n_1, ..., n_L] (positive integers); "
            f"got {type(sizes).__name__}"
        )
    if len(sizes) < 2:
        raise ValueError(
            "sizes must list at least two widths, the input n_0 and the output n_L; "
            f"got {len(sizes)}: {list(sizes)}"
        )
    out = []
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(
                f"sizes[{i}] must be a positive integer (a layer width); got {type(n).__name__} {n!r}"
            )
        if n < 1:
            raise ValueError(f"sizes[{i}] must be a positive integer (a layer width); got {n}")
        out.append(int(n))
    return tuple(out)


class MLP:
    """A fully connected network, A^l = sigma(A^{l-1} W^l + b^l), trained with matrix backprop.

    Chapter 6 ("Matrix-form backprop") derives the backward pass; see this module's
    docstring for the notation and for what the forward pass keeps.

    Parameters
    ----------
    sizes : list of int, length L + 1 >= 2
        Layer widths ``[n_0, n_1, ..., n_L]``: ``n_0`` input features, ``n_L`` outputs.
    activation : {"sigmoid", "tanh", "relu"}, default "sigmoid"
        Applied by every layer, except the last one when ``loss="softmax"``.
    loss : {"mse", "softmax"}, default "mse"
        ``"mse"``: ``J = ||A^L - Y||_F^2 / (2N)`` with Y of shape N x n_L.
        ``"softmax"``: mean cross-entropy of ``softmax(S^L)`` on integer labels in
        ``[0, n_L)``; the last layer's pre-activation ``S^L`` is the score matrix.
    seed : int, default 0
        Seeds the initial weights (normal, variance 1/n_{l-1}, or 2/n_{l-1} for ReLU);
        biases start at zero.
    dtype : {np.float64, np.float32}, default np.float64
        The dtype of every parameter, and the dtype the inputs must have: nothing is cast
        silently, so a float32 network computes in float32 throughout.

    Attributes
    ----------
    weights : list of ndarray
        ``weights[l - 1]`` is W^l, shape ``(n_{l-1}, n_l)``.
    biases : list of ndarray
        ``biases[l - 1]`` is b^l, shape ``(1, n_l)``. Parameters replaced by hand are checked
        at every pass: a 1-D ``(n_l,)`` bias, a transposed weight, another dtype or a NaN is
        an error that names the entry (``biases[0]``), never broadcast.
    cache : list of ndarray or None
        Set by ``forward``, read and released by ``backward``: ``cache[l]`` is A^l for
        l = 0..L-1, and ``cache[L]`` is A^L (mse) or S^L (softmax).

    Examples
    --------
    >>> import numpy as np
    >>> net = MLP([3, 4, 2], activation="tanh", loss="softmax", seed=0)
    >>> [W.shape for W in net.weights], [b.shape for b in net.biases]
    ([(3, 4), (4, 2)], [(1, 4), (1, 2)])
    >>> X = np.random.default_rng(0).standard_normal((5, 3))
    >>> loss, dWs, dbs = net.loss_and_grads(X, np.array([0, 1, 1, 0, 1]))
    >>> [dW.shape for dW in dWs], [db.shape for db in dbs]
    ([(3, 4), (4, 2)], [(1, 4), (1, 2)])
    """

    def __init__(self, sizes, activation="sigmoid", loss="mse", seed=0, dtype=np.float64):
        self.sizes = _check_sizes(sizes)
        _check_activation(activation)
        require_choice("loss", loss, LOSSES)
        if loss == "softmax" and self.sizes[-1] < 2:
            raise ValueError(
                "a softmax network needs at least two outputs (classes): sizes[-1] must be >= 2; "
                f"got {self.sizes[-1]}"
            )
        seed = require_seed("seed", seed)
        try:
            dt = np.dtype(dtype)
        except TypeError:
            dt = None
        if dt not in _DTYPES:
            raise TypeError(f"dtype must be np.float64 or np.float32; got {dtype!r}")
        self.activation = activation
        self.loss = loss
        self.dtype = dt
        rng = np.random.default_rng(seed)
        gain = 2.0 if activation == "relu" else 1.0
        self.weights = [
            (rng.standard_normal((n_in, n_out)) * np.sqrt(gain / n_in)).astype(dt)
            for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:], strict=True)
        ]
        self.biases = [np.zeros((1, n_out), dtype=dt) for n_out in self.sizes[1:]]
        self.cache = None

    def __repr__(self) -> str:
        return (
            f"MLP(sizes={list(self.sizes)}, activation={self.activation!r}, "
            f"loss={self.loss!r}, dtype={self.dtype.name})"
        )

    @property
    def n_layers(self) -> int:
        """L, the number of weight matrices."""
        return len(self.sizes) - 1

    # -- validation --------------------------------------------------------------------------

    def _check_parameters(self):
        if len(self.weights) != self.n_layers or len(self.biases) != self.n_layers:
            raise ValueError(
                f"weights and biases must each hold {self.n_layers} arrays (one per layer); "
                f"got {len(self.weights)} and {len(self.biases)}"
            )
        for l in range(1, self.n_layers + 1):
            n_in, n_out = self.sizes[l - 1], self.sizes[l]
            for name, arr, shape, meaning in (
                (
                    f"weights[{l - 1}]",
                    self.weights[l - 1],
                    (n_in, n_out),
                    f"W^{l} is n_{l - 1} x n_{l}",
                ),
                (f"biases[{l - 1}]", self.biases[l - 1], (1, n_out), f"b^{l} is 1 x n_{l}"),
            ):
                require_float(name, arr)
                require_shape(name, arr, shape, meaning)
                if arr.dtype != self.dtype:
                    raise TypeError(
                        f"{name} must have the network's dtype {self.dtype.name}; got {arr.dtype}"
                    )
                # Parameters are small next to a batch: checking them costs little, and a NaN
                # weight (a diverged step, a bad assignment) is named here instead of turning
                # every output into NaN.
                require_finite(name, arr)

    def _check_X(self, X):
        require_float("X", X)
        require_ndim("X", X, 2, "N examples x n_0 features, one example per row")
        require_shape(
            "X", X, (None, self.sizes[0]), f"N x n_0 with n_0 = sizes[0] = {self.sizes[0]}"
        )
        require_nonempty("X", X, 0, "rows (examples)")
        if X.dtype != self.dtype:
            raise TypeError(
                f"X must have the network's dtype {self.dtype.name}; got {X.dtype}. Convert it "
                f"with X.astype(np.{self.dtype.name}), or build the network with dtype=np.{X.dtype.name}"
            )
        # min and max are NaN or infinite exactly when some entry is; unlike isfinite(X) they
        # allocate nothing the size of the batch. The full check then names the entry.
        if not (np.isfinite(X.min()) and np.isfinite(X.max())):
            require_finite("X", X)
        return X

    def _check_Y(self, Y, n):
        n_out = self.sizes[-1]
        if self.loss == "softmax":
            if (
                isinstance(Y, np.ndarray)
                and Y.ndim == 2
                and Y.shape == (n, n_out)
                and not np.issubdtype(Y.dtype, np.integer)
            ):
                raise ValueError(
                    f"Y must hold integer class labels, shape ({n},), for loss='softmax'; got a "
                    f"{shape_text(Y.shape)} {Y.dtype} array. One-hot rows? Use Y.argmax(axis=1)."
                )
            return require_labels("Y", Y, n, n_out)
        require_float("Y", Y)
        require_ndim("Y", Y, 2, "N x n_L targets, one row per example")
        require_shape("Y", Y, (n, n_out), f"N x n_L = {n} x {n_out}, one row per row of X")
        if Y.dtype != self.dtype:
            raise TypeError(
                f"Y must have the network's dtype {self.dtype.name}; got {Y.dtype}. "
                f"Convert it with Y.astype(np.{self.dtype.name})"
            )
        require_finite("Y", Y)
        return Y

    # -- the two passes ----------------------------------------------------------------------

    def _forward(self, X):
        """Run the layers; return the list [A^0, ..., A^{L-1}, top] (see ``cache``)."""
        act = ACTIVATIONS[self.activation][0]
        kept = [X]
        A = X
        for l, (W, b) in enumerate(zip(self.weights, self.biases, strict=True), start=1):
            S = A @ W
            S += b  # b is 1 x n_l: added to every row, the "1 b^l" of the notation
            if l == self.n_layers and self.loss == "softmax":
                A = S  # the scores; softmax happens inside the loss
            elif self.activation == "relu":
                A = np.maximum(S, 0, out=S)  # in place: S is not kept (sigma' comes from A)
            elif self.activation == "tanh":
                A = np.tanh(S, out=S)
            else:
                A = act(S)
            kept.append(A)
        return kept

    def forward(self, X):
        """Run the network on a batch and keep what ``backward`` needs.

        Parameters
        ----------
        X : ndarray, shape (N, n_0), the network's dtype
            One example per row.

        Returns
        -------
        ndarray, shape (N, n_L)
            ``A^L`` for mse; the scores ``S^L`` for softmax (``softmax`` them for
            probabilities, or call ``predict``).

        Notes
        -----
        Sets ``cache`` to L + 1 arrays: the layer inputs ``A^0 .. A^{L-1}`` and the top. That is
        all backward reads (``sigma'(S^l)`` is recomputed from ``A^l``). Its size is
        ``itemsize * N * (n_0 + n_1 + ... + n_L)`` bytes; ``cache_nbytes`` reports it.

        Examples
        --------
        >>> import numpy as np
        >>> net = MLP([2, 3, 1])
        >>> out = net.forward(np.zeros((4, 2)))
        >>> out.shape, len(net.cache), net.cache_nbytes()
        ((4, 1), 3, 192)
        """
        self._check_parameters()
        self._check_X(X)
        self.cache = self._forward(X)
        return self.cache[-1]

    def cache_nbytes(self) -> int:
        """Bytes held by ``cache`` (0 when nothing is cached)."""
        return 0 if self.cache is None else int(sum(a.nbytes for a in self.cache))

    def backward(self, Y):
        """Gradients of the loss from the cached forward pass; releases the cache.

        Runs the recursion of chapter 6 from the top layer down:
        ``Delta^l = G^l * sigma'(S^l)``, ``dW^l = (A^{l-1})^T Delta^l``,
        ``db^l = 1^T Delta^l`` (column sums), ``G^{l-1} = Delta^l (W^l)^T``; for softmax,
        ``Delta^L = (softmax(S^L) - onehot(y)) / N``. ``G^0`` (the gradient w.r.t. X) is
        never formed: nothing needs it.

        Parameters
        ----------
        Y : ndarray
            mse: targets, shape (N, n_L), the network's dtype. softmax: integer labels,
            shape (N,), values in [0, n_L).

        Returns
        -------
        loss : float
        dWs : list of ndarray, ``dWs[l - 1]`` of shape (n_{l-1}, n_l)
        dbs : list of ndarray, ``dbs[l - 1]`` of shape (1, n_l)
        """
        if self.cache is None:
            raise RuntimeError(
                "backward needs a forward pass first: call forward(X) (or loss_and_grads(X, Y))"
            )
        cache = self.cache
        n = cache[0].shape[0]
        self._check_Y(Y, n)
        self.cache = None  # backward consumes the cache, as deep-learning frameworks do
        top = cache.pop()
        if self.loss == "softmax":
            loss, delta = softmax_cross_entropy(top, Y)
        else:
            residual = top - Y
            loss = 0.5 * float(np.vdot(residual, residual)) / n
            residual /= n  # G^L = dJ/dA^L = (A^L - Y) / N
            delta = _scale_by_derivative(self.activation, residual, top)
        del top
        dWs = [None] * self.n_layers
        dbs = [None] * self.n_layers
        for l in range(self.n_layers, 0, -1):
            A_prev = cache.pop()  # A^{l-1}: its last two uses are here
            dWs[l - 1] = A_prev.T @ delta
            dbs[l - 1] = delta.sum(axis=0, keepdims=True)
            if l > 1:
                G = delta @ self.weights[l - 1].T  # G^{l-1} = Delta^l (W^l)^T
                del delta
                delta = _scale_by_derivative(self.activation, G, A_prev)
            # Each array is released as soon as it is used: the peak memory of backward stays
            # near the gradients' own size, and freed memory is reused by the next call.
            del A_prev
        return loss, dWs, dbs

    def loss_and_grads(self, X, Y):
        """The loss and its gradient w.r.t. every weight and bias: ``forward`` then ``backward``.

        Parameters
        ----------
        X : ndarray, shape (N, n_0), the network's dtype
        Y : ndarray
            mse: targets (N, n_L) of the network's dtype; softmax: integer labels (N,).

        Returns
        -------
        loss : float
        dWs : list of ndarray
            ``dWs[l - 1] = dJ/dW^l``, shape (n_{l-1}, n_l): the shape of W^l.
        dbs : list of ndarray
            ``dbs[l - 1] = dJ/db^l``, shape (1, n_l).

        Examples
        --------
        >>> import numpy as np
        >>> from gradlab.check import gradient_check
        >>> rng = np.random.default_rng(0)
        >>> net = MLP([3, 5, 2], activation="tanh")
        >>> X, Y = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
        >>> loss, dWs, dbs = net.loss_and_grads(X, Y)
        >>> gradient_check(lambda W: net.loss_value(X, Y), net.weights[0], dWs[0]).passed
        True
        """
        self._check_parameters()
        self._check_X(X)
        self._check_Y(Y, X.shape[0])
        self.cache = self._forward(X)
        return self.backward(Y)

    def loss_value(self, X, Y) -> float:
        """The loss alone (a forward pass that keeps nothing): the f of a gradient check."""
        self._check_parameters()
        self._check_X(X)
        self._check_Y(Y, X.shape[0])
        top = self._forward(X)[-1]
        if self.loss == "softmax":
            return softmax_cross_entropy(top, Y)[0]
        residual = top - Y
        return 0.5 * float(np.vdot(residual, residual)) / X.shape[0]

    def predict(self, X):
        """mse: the output A^L, shape (N, n_L). softmax: the class with the largest score, (N,)."""
        self._check_parameters()
        self._check_X(X)
        top = self._forward(X)[-1]
        return top.argmax(axis=1) if self.loss == "softmax" else top

    def predict_proba(self, X):
        """softmax networks only: class probabilities softmax(S^L), shape (N, n_L)."""
        if self.loss != "softmax":
            raise ValueError("predict_proba needs loss='softmax'; this network's loss is 'mse'")
        self._check_parameters()
        self._check_X(X)
        return softmax(self._forward(X)[-1])


def _checked_gradients(net, result):
    """grad_fn's ``(loss, dWs, dbs)``, with every gradient of its parameter's exact shape.

    ``W -= lr * dW`` would broadcast a (1, n) or (n,) gradient over every row of W without a
    word, so a shape that differs is a ShapeError naming the entry.
    """
    if not (isinstance(result, tuple) and len(result) == 3):
        raise TypeError(
            "grad_fn must return a tuple (loss, dWs, dbs); got "
            f"{type(result).__name__}{f' of length {len(result)}' if isinstance(result, tuple) else ''}"
        )
    loss, dWs, dbs = result
    if isinstance(loss, bool) or not isinstance(loss, (numbers.Real, np.floating)):
        raise TypeError(f"grad_fn's loss must be a real number; got {type(loss).__name__}")
    for what, grads, params in (("dWs", dWs, net.weights), ("dbs", dbs, net.biases)):
        if not isinstance(grads, (list, tuple)) or len(grads) != len(params):
            raise ValueError(
                f"grad_fn's {what} must be a list of {len(params)} arrays (one per layer); got "
                f"{type(grads).__name__}"
                + (f" of length {len(grads)}" if isinstance(grads, (list, tuple)) else "")
            )
        for l, (g, p) in enumerate(zip(grads, params, strict=True)):
            require_array(f"grad_fn's {what}[{l}]", g)
            if g.shape != p.shape:
                raise ShapeError(
                    f"grad_fn's {what}[{l}] must have the shape of its parameter "
                    f"{shape_text(p.shape)}; got {shape_text(g.shape)} (it would be broadcast "
                    "into the update)"
                )
    return float(loss), dWs, dbs


def train(net, X, Y, *, lr=0.5, steps=1000, batch_size=None, seed=0, grad_fn=None):
    """Plain gradient descent on an MLP, in place: W^l <- W^l - lr dJ/dW^l, the same for b^l.

    Parameters
    ----------
    net : MLP
        Updated in place (the arrays in ``net.weights`` and ``net.biases`` are modified, not
        replaced).
    X, Y : ndarray
        The training set, as for ``MLP.loss_and_grads``.
    lr : float, default 0.5
        The learning rate, > 0.
    steps : int, default 1000
        Number of updates.
    batch_size : int, optional
        None (default) uses the whole batch at every step: deterministic. An integer draws
        that many rows without replacement at each step, from a generator seeded by ``seed``.
    seed : int, default 0
        Seed of the mini-batch draws.
    grad_fn : callable, optional
        ``grad_fn(net, X, Y) -> (loss, dWs, dbs)``; default ``MLP.loss_and_grads``. Chapter 6
        passes the Kronecker route here to show both routes make the same updates.
        Each returned gradient must have its parameter's exact shape (a ``ShapeError``
        otherwise: the in-place update would broadcast it).

    Returns
    -------
    ndarray of float64, shape (steps,)
        The loss before each update (on that step's batch).

    Raises
    ------
    FloatingPointError
        When the loss stops being finite (the learning rate is too large).
    TypeError, ValueError, ShapeError
        Bad arguments (each message names it), or ``grad_fn`` returned gradients of the wrong
        number or shape.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> y = np.array([0, 1, 1, 0])
    >>> net = MLP([2, 8, 2], activation="tanh", loss="softmax", seed=0)
    >>> losses = train(net, X, y, lr=0.5, steps=500)
    >>> bool(losses[-1] < 0.1 * losses[0]), net.predict(X).tolist()
    (True, [0, 1, 1, 0])
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a gradlab.mlp.MLP; got {type(net).__name__}")
    lr = require_positive("lr", lr)
    steps = require_positive_int("steps", steps)
    if grad_fn is None:
        grad_fn = MLP.loss_and_grads
    elif not callable(grad_fn):
        raise TypeError(
            f"grad_fn must be callable, grad_fn(net, X, Y); got {type(grad_fn).__name__}"
        )
    net._check_X(X)
    net._check_Y(Y, X.shape[0])
    n = X.shape[0]
    if batch_size is not None:
        batch_size = require_positive_int("batch_size", batch_size)
        if batch_size > n:
            raise ValueError(
                f"batch_size must be at most the number of rows of X ({n}); got {batch_size}"
            )
    rng = np.random.default_rng(require_seed("seed", seed))
    losses = np.empty(steps)
    for step in range(steps):
        if batch_size is None:
            Xb, Yb = X, Y
        else:
            rows = rng.choice(n, size=batch_size, replace=False)
            Xb, Yb = X[rows], Y[rows]
        loss, dWs, dbs = _checked_gradients(net, grad_fn(net, Xb, Yb))
        if not np.isfinite(loss):
            raise FloatingPointError(
                f"the loss became {loss} at step {step}: training diverged; lower lr (now {lr})"
            )
        losses[step] = loss
        for W, dW in zip(net.weights, dWs, strict=True):
            W -= lr * dW
        for b, db in zip(net.biases, dbs, strict=True):
            b -= lr * db
    return losses
