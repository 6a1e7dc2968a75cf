"""Pure plotting and data functions behind the chapters' figures and widgets.

Each function returns data or a matplotlib Figure and never calls ``plt.show()``; the notebooks
show them, the widgets in ``gradlab.widgets`` redraw them, the tests call them directly.
Sections follow the chapters that use them.
"""

from __future__ import annotations

__all__: list[str] = []


# ---- Chapter 1: checking gradients numerically --------------------------------------------


# ---- Chapter 2: the dimension-matching trick ----------------------------------------------


# ---- Chapter 3: Jacobian rules and layouts ------------------------------------------------


# ---- Chapter 4: indicator-function tricks -------------------------------------------------


# ---- Chapter 5: SVM and softmax gradients -------------------------------------------------


# ---- Chapter 6: matrix-form backprop ------------------------------------------------------
#
# Figures: the bytes an MLP's forward pass keeps, the structure of a Kronecker Jacobian, the
# time and memory of the two routes to the gradients, and the XOR decision boundary.

__all__ += [
    "decision_scores",
    "fit_loglog_slope",
    "measure_route_costs",
    "mlp_cache_bytes",
    "plot_cache_bytes",
    "plot_decision_boundary",
    "plot_jacobian_structure",
    "plot_route_costs",
    "plot_xor_run",
    "route_cost_slopes",
    "train_xor_run",
]


def mlp_cache_bytes(depths, batches, *, n_in=784, width=128, n_out=10, dtype="float64"):
    """Bytes an MLP's forward pass keeps for backward, measured, for each depth and batch size.

    For each depth L (number of weight matrices) the network is
    ``MLP([n_in] + [width] * (L - 1) + [n_out])``; a forward pass on N random rows fills
    ``net.cache``, whose bytes are summed. Chapter 6 compares the result with the formula
    ``itemsize * N * (n_0 + n_1 + ... + n_L)``.

    Parameters
    ----------
    depths : sequence of int >= 1
    batches : sequence of int >= 1
    n_in, width, n_out : int
    dtype : {"float64", "float32"}

    Returns
    -------
    dict
        ``"depths"`` and ``"batches"`` (int arrays), ``"bytes"`` (int array of shape
        (len(depths), len(batches))), ``"n_in"``, ``"width"``, ``"n_out"``, ``"dtype"``.

    Examples
    --------
    >>> data = mlp_cache_bytes([1, 2], [4], n_in=3, width=5, n_out=2)
    >>> data["bytes"].tolist()     # 8 bytes x 4 rows x (3 + 2) and x (3 + 5 + 2)
    [[160], [320]]
    """
    import numpy as np

    from gradlab._validate import require_positive_int
    from gradlab.mlp import MLP

    depths = [require_positive_int("depths[i]", d) for d in depths]
    batches = [require_positive_int("batches[i]", b) for b in batches]
    if not depths or not batches:
        raise ValueError("depths and batches must each hold at least one value")
    dt = np.dtype(dtype)
    rng = np.random.default_rng(0)
    out = np.zeros((len(depths), len(batches)), dtype=np.int64)
    for i, depth in enumerate(depths):
        net = MLP([n_in] + [width] * (depth - 1) + [n_out], activation="relu", dtype=dt)
        for j, n in enumerate(batches):
            net.forward(rng.standard_normal((n, n_in)).astype(dt))
            out[i, j] = net.cache_nbytes()
            net.cache = None
    return {
        "depths": np.array(depths),
        "batches": np.array(batches),
        "bytes": out,
        "n_in": n_in,
        "width": width,
        "n_out": n_out,
        "dtype": dt.name,
    }


def plot_cache_bytes(data):
    """Two panels from ``mlp_cache_bytes``: cached MiB against depth, and against batch size.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    mib = data["bytes"] / 2**20
    fig, (ax_depth, ax_batch) = plt.subplots(1, 2, figsize=(10, 3.8))
    for j, n in enumerate(data["batches"]):
        ax_depth.plot(data["depths"], mib[:, j], marker="o", label=f"N = {n}")
    ax_depth.set_xlabel("depth L (weight matrices)")
    ax_depth.set_ylabel("cached MiB")
    ax_depth.set_title("grows linearly with depth")
    ax_depth.legend(fontsize=8)
    for i, depth in enumerate(data["depths"]):
        ax_batch.plot(data["batches"], mib[i, :], marker="o", label=f"L = {depth}")
    ax_batch.set_xlabel("batch size N")
    ax_batch.set_ylabel("cached MiB")
    ax_batch.set_title("and linearly with the batch")
    ax_batch.legend(fontsize=8)
    fig.suptitle(
        f"Activations kept for backward ({data['dtype']}, input {data['n_in']}, "
        f"hidden width {data['width']}, output {data['n_out']})",
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def plot_jacobian_structure(J, *, block_rows=None, block_cols=None, title="", ax=None):
    """Heatmap of a Jacobian: zeros white, positive red, negative blue, blocks outlined.

    Parameters
    ----------
    J : ndarray, 2-D
    block_rows, block_cols : int, optional
        Draw grid lines every ``block_rows`` rows and ``block_cols`` columns (the blocks of a
        Kronecker product: ``A kron B`` has blocks of B's shape).
    title : str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from gradlab._validate import require_array, require_ndim

    require_array("J", J)
    require_ndim("J", J, 2, "a Jacobian")
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 5 * J.shape[0] / max(J.shape[1], 1) + 0.6))
    else:
        fig = ax.figure
    limit = float(np.max(np.abs(J))) or 1.0
    masked = np.ma.masked_where(J == 0, J)
    cmap = plt.get_cmap("RdBu_r").with_extremes(bad="white")
    image = ax.imshow(masked, cmap=cmap, vmin=-limit, vmax=limit, interpolation="nearest")
    for edge in range(block_rows or J.shape[0], J.shape[0], block_rows or 1):
        ax.axhline(edge - 0.5, color="0.6", linewidth=0.6)
    for edge in range(block_cols or J.shape[1], J.shape[1], block_cols or 1):
        ax.axvline(edge - 0.5, color="0.6", linewidth=0.6)
    ax.set_title(title or f"{J.shape[0]} x {J.shape[1]} Jacobian")
    ax.set_xlabel("column: entry of vec(input)")
    ax.set_ylabel("row: entry of vec(output)")
    fig.colorbar(image, ax=ax, shrink=0.7)
    fig.tight_layout()
    return fig


def fit_loglog_slope(x, y):
    """The slope p of the least-squares line log y = p log x + c: the growth exponent.

    Examples
    --------
    >>> round(fit_loglog_slope([1, 2, 4, 8], [3, 12, 48, 192]), 6)
    2.0
    """
    import numpy as np

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1 or x.size < 2:
        raise ValueError(
            f"x and y must be 1-D with the same length >= 2; got shapes {x.shape} and {y.shape}"
        )
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x and y must be positive to fit a line on a log-log scale")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def _time_and_peak(call, repeats):
    """Best wall time of ``repeats`` calls, and the peak bytes allocated during one call."""
    import time
    import tracemalloc

    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        call()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return best, peak


def measure_route_costs(
    batches=(8, 16, 32, 64),
    widths=(2, 4, 8, 16),
    *,
    width_for_batches=4,
    batch_for_widths=8,
    n_in=2,
    n_out=1,
    activation="sigmoid",
    repeats=3,
    seed=0,
    max_bytes=None,
):
    """Time and peak memory of the two routes to a two-layer network's gradients.

    The Kronecker route is ``gradlab.vec.two_layer_kron_grads`` (every Jacobian built and
    multiplied); backprop is ``gradlab.mlp.MLP.loss_and_grads`` on ``MLP([n_in, H, n_out],
    activation, "mse")`` with the same parameters. Two sweeps: the batch N grows at width
    ``width_for_batches``, then the hidden width H grows at batch ``batch_for_widths``. Time is
    the best of ``repeats`` calls; memory is the peak NumPy allocation during one call
    (``tracemalloc``). Nothing here is asserted: it returns numbers to plot and fit.

    Returns
    -------
    dict
        ``{"batch": sweep, "width": sweep, "activation": ...}``, each sweep a dict of arrays
        ``"x"`` (the growing size), ``"kron_seconds"``, ``"backprop_seconds"``,
        ``"kron_bytes"``, ``"backprop_bytes"``, and ``"fixed"`` (the other size).
    """
    import numpy as np

    from gradlab.mlp import MLP
    from gradlab.vec import DEFAULT_MAX_BYTES, two_layer_kron_grads

    max_bytes = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    rng = np.random.default_rng(seed)

    def one(n, h):
        net = MLP([n_in, h, n_out], activation=activation, loss="mse", seed=seed)
        for b in net.biases:
            b[...] = 0.1 * rng.standard_normal(b.shape)
        X = rng.standard_normal((n, n_in))
        Y = rng.random((n, n_out))
        W1, W2 = net.weights
        b1, b2 = net.biases
        kron = _time_and_peak(
            lambda: two_layer_kron_grads(X, Y, W1, b1, W2, b2, activation, max_bytes=max_bytes),
            repeats,
        )
        back = _time_and_peak(lambda: net.loss_and_grads(X, Y), repeats)
        return kron, back

    def sweep(sizes, make):
        rows = [one(*make(s)) for s in sizes]
        return {
            "x": np.array(sizes),
            "kron_seconds": np.array([r[0][0] for r in rows]),
            "kron_bytes": np.array([r[0][1] for r in rows]),
            "backprop_seconds": np.array([r[1][0] for r in rows]),
            "backprop_bytes": np.array([r[1][1] for r in rows]),
        }

    by_batch = sweep(list(batches), lambda n: (n, width_for_batches))
    by_batch["fixed"] = width_for_batches
    by_width = sweep(list(widths), lambda h: (batch_for_widths, h))
    by_width["fixed"] = batch_for_widths
    return {"batch": by_batch, "width": by_width, "activation": activation}


def route_cost_slopes(costs):
    """Fitted log-log slopes (growth exponents) of every curve of ``measure_route_costs``.

    Returns
    -------
    dict
        ``slopes[sweep][quantity]`` for sweep in ("batch", "width") and quantity in
        ("kron_seconds", "backprop_seconds", "kron_bytes", "backprop_bytes").
    """
    quantities = ("kron_seconds", "backprop_seconds", "kron_bytes", "backprop_bytes")
    return {
        sweep: {q: fit_loglog_slope(costs[sweep]["x"], costs[sweep][q]) for q in quantities}
        for sweep in ("batch", "width")
    }


def plot_route_costs(costs):
    """2 x 2 log-log panels: time and memory of both routes against batch and width.

    Each curve's legend shows its fitted slope (``route_cost_slopes``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    slopes = route_cost_slopes(costs)
    fig, axes = plt.subplots(2, 2, figsize=(10, 7))
    labels = {"batch": "batch size N", "width": "hidden width H"}
    fixed = {"batch": "H", "width": "N"}
    for col, sweep in enumerate(("batch", "width")):
        data = costs[sweep]
        for row, (unit, scale, what) in enumerate(
            (("seconds", 1e3, "time (ms)"), ("bytes", 2.0**-20, "peak memory (MiB)"))
        ):
            ax = axes[row, col]
            for route, style in (("kron", "o-"), ("backprop", "s--")):
                key = f"{route}_{unit}"
                name = "Kronecker route" if route == "kron" else "backprop"
                ax.loglog(
                    data["x"],
                    data[key] * scale,
                    style,
                    label=f"{name}: slope {slopes[sweep][key]:.1f}",
                )
            ax.set_xticks(data["x"], [str(v) for v in data["x"]])
            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.set_xlabel(f"{labels[sweep]} ({fixed[sweep]} = {data['fixed']})")
            ax.set_ylabel(what)
            ax.legend(fontsize=8)
    fig.suptitle("Both routes give the same gradients; their costs grow at different rates")
    fig.tight_layout()
    return fig


def _xor_dataset(n=200, noise=0.15, seed=0):
    """Noisy XOR: n points around the corners (+-1, +-1), label 1 where the signs differ.

    A private stand-in for a shared data-set module: (X float64 (n, 2), y int (n,)).
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    which = np.arange(n) % 4
    X = corners[which] + noise * rng.standard_normal((n, 2))
    y = (np.sign(corners[which, 0]) != np.sign(corners[which, 1])).astype(np.int64)
    return X, y


def decision_scores(net, X, *, resolution=150, margin=0.5):
    """A grid over the box around X, and the network's score for class 1 on every grid point.

    The score is the output A^L (an mse network with one output) or the probability of class 1
    (a softmax network with two outputs); 0.5 is the decision boundary.

    Parameters
    ----------
    net : gradlab.mlp.MLP with two inputs
    X : ndarray, shape (N, 2)
    resolution : int
    margin : float

    Returns
    -------
    xs : ndarray (resolution,); ys : ndarray (resolution,)
    scores : ndarray (resolution, resolution), ``scores[i, j]`` at ``(xs[j], ys[i])``
    """
    import numpy as np

    if net.sizes[0] != 2:
        raise ValueError(f"net must take two inputs to draw a plane; sizes[0] = {net.sizes[0]}")
    if not (
        (net.loss == "mse" and net.sizes[-1] == 1) or (net.loss == "softmax" and net.sizes[-1] == 2)
    ):
        raise ValueError(
            "net must be a binary classifier: one mse output or two softmax outputs; got "
            f"{net.sizes[-1]} {net.loss} outputs"
        )
    lo = X.min(axis=0) - margin
    hi = X.max(axis=0) + margin
    xs = np.linspace(lo[0], hi[0], resolution)
    ys = np.linspace(lo[1], hi[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()]).astype(net.dtype)
    if net.loss == "softmax":
        score = net.predict_proba(grid)[:, 1]
    else:
        score = net.predict(grid)[:, 0]
    return xs, ys, score.reshape(gx.shape)


def plot_decision_boundary(net, X, y, *, ax=None, title="", resolution=150):
    """The network's score for class 1 over the plane, the 0.5 contour, and the points.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    xs, ys, scores = decision_scores(net, X, resolution=resolution)
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 4.4))
    else:
        fig = ax.figure
    filled = ax.contourf(xs, ys, scores, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
    ax.contour(xs, ys, scores, levels=[0.5], colors="k", linewidths=1.5)
    y = np.asarray(y).reshape(-1)
    for label, marker in ((0, "o"), (1, "^")):
        pts = X[y == label]
        ax.scatter(
            pts[:, 0],
            pts[:, 1],
            marker=marker,
            edgecolors="k",
            linewidths=0.5,
            c="tab:blue" if label == 0 else "tab:red",
            s=30,
            label=f"class {label}",
        )
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title or "decision boundary (black: score 0.5)")
    ax.legend(fontsize=8, loc="upper right")
    fig.colorbar(filled, ax=ax, shrink=0.8, label="score of class 1")
    fig.tight_layout()
    return fig


def train_xor_run(width=4, activation="tanh", lr=0.5, *, steps=300, n=200, noise=0.15, seed=0):
    """Train ``MLP([2, width, 2], activation, "softmax")`` on noisy XOR by gradient descent.

    The pure function behind chapter 6's widget: the same arguments give the same result.

    Parameters
    ----------
    width : int
        Hidden units.
    activation : {"sigmoid", "tanh", "relu"}
    lr : float
        Learning rate.
    steps : int
        Full-batch gradient-descent steps.
    n, noise, seed : data-set size, noise level, seed (of the data and the weights)

    Returns
    -------
    dict
        ``"net"`` (the trained MLP), ``"losses"`` (one per step), ``"accuracy"`` (on the
        training points), ``"X"``, ``"y"``, ``"diverged"`` (True when the loss stopped being
        finite: then ``losses`` holds the steps before that), and the arguments.
    """
    import numpy as np

    from gradlab.mlp import MLP, train

    X, y = _xor_dataset(n=n, noise=noise, seed=seed)
    net = MLP([2, width, 2], activation=activation, loss="softmax", seed=seed)
    diverged = False
    try:
        losses = train(net, X, y, lr=lr, steps=steps)
    except FloatingPointError:
        diverged = True
        losses = np.array([])
    accuracy = float(np.mean(net.predict(X) == y)) if not diverged else float("nan")
    return {
        "net": net,
        "losses": losses,
        "accuracy": accuracy,
        "X": X,
        "y": y,
        "diverged": diverged,
        "width": width,
        "activation": activation,
        "lr": lr,
        "steps": steps,
    }


def plot_xor_run(run):
    """The decision boundary and the loss curve of a ``train_xor_run`` result.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    fig, (ax_plane, ax_loss) = plt.subplots(1, 2, figsize=(10, 4))
    what = f"width {run['width']}, {run['activation']}, lr {run['lr']:.3g}"
    if run["diverged"]:
        ax_plane.text(
            0.5,
            0.5,
            "training diverged:\nlower the learning rate",
            ha="center",
            va="center",
            transform=ax_plane.transAxes,
        )
        ax_plane.set_title(what)
    else:
        plot_decision_boundary(
            run["net"],
            run["X"],
            run["y"],
            ax=ax_plane,
            title=f"{what}: accuracy {run['accuracy']:.0%}",
            resolution=80,
        )
    ax_loss.plot(run["losses"])
    ax_loss.set_xlabel("gradient-descent step")
    ax_loss.set_ylabel("mean cross-entropy")
    ax_loss.set_title("training loss")
    fig.tight_layout()
    return fig
