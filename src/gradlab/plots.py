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

__all__ += ["kink_derivatives", "relu_kink_figure"]


def kink_derivatives(x, h=0.25):
    """max(0, x), its derivative with the course's convention, and a central difference.

    Parameters
    ----------
    x : array_like of float
        Points.
    h : float, default 0.25
        The step of the central difference ``(f(x + h) - f(x - h)) / 2h``.

    Returns
    -------
    dict of ndarray, each of x's shape
        ``"value"``: max(0, x). ``"derivative"``: 1{x > 0}, the convention ReLU'(0) = 0.
        ``"central_difference"``: what a finite difference reports; exactly 0.5 at the kink
        for every h, and a ramp from 0 to 1 on (-h, h): inside that band it is no derivative.

    Notes
    -----
    Chapter 4 ("Indicator-function tricks").

    Examples
    --------
    >>> d = kink_derivatives([-1.0, 0.0, 1.0], h=0.25)
    >>> d["derivative"].tolist(), d["central_difference"].tolist()
    ([0.0, 0.0, 1.0], [0.0, 0.5, 1.0])
    """
    import numpy as np

    x = np.asarray(x, dtype=np.float64)
    if not (isinstance(h, (int, float)) and not isinstance(h, bool) and np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a finite number > 0; got {h!r}")
    if not np.all(np.isfinite(x)):
        raise ValueError("x must be finite; it holds NaN or inf")
    value = np.maximum(x, 0.0)
    derivative = (x > 0).astype(np.float64)
    central = (np.maximum(x + h, 0.0) - np.maximum(x - h, 0.0)) / (2 * h)
    return {"value": value, "derivative": derivative, "central_difference": central}


def relu_kink_figure(h=0.25, xmax=1.5):
    """Two panels: max(0, x) with supporting lines at the kink, and its derivative.

    Left: the function, and lines through the origin of slope 0, 1/4, ..., 1: each lies
    below the graph, so each slope is a subgradient at 0. Right: the derivative 1{x > 0}
    (the course's value 0 at the kink as a filled dot), the whole subdifferential [0, 1] at 0,
    and the central difference with step ``h``, which reports 0.5 at the kink and blurs the
    step over (-h, h).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Chapter 4.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    if not (isinstance(xmax, (int, float)) and np.isfinite(xmax) and xmax > 0):
        raise ValueError(f"xmax must be a finite number > 0; got {xmax!r}")
    x = np.linspace(-xmax, xmax, 601)
    d = kink_derivatives(x, h)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    left.plot(x, d["value"], color="C0", lw=2.5, label="max(0, x)")
    for slope in (0.0, 0.25, 0.5, 0.75, 1.0):
        left.plot(x, slope * x, color="C1", lw=0.9, ls="--", alpha=0.8)
    left.plot([], [], color="C1", ls="--", label="subgradient lines g x, g in [0, 1]")
    left.set_ylim(-0.6 * xmax, 1.05 * xmax)
    left.set_title("max(0, x) and its supporting lines at the kink")
    left.legend(loc="upper left", fontsize=9)

    neg, pos = x < 0, x > 0
    right.plot(x[neg], d["derivative"][neg], color="C0", lw=2.5, label="derivative 1{x > 0}")
    right.plot(x[pos], d["derivative"][pos], color="C0", lw=2.5)
    right.plot([0, 0], [0, 1], color="C1", lw=5, alpha=0.35, label="subdifferential [0, 1] at 0")
    right.plot([0], [0], "o", color="C0", ms=8, label="convention ReLU'(0) = 0")
    right.plot([0], [1], "o", mfc="white", mec="C0", ms=8)
    right.plot(
        x,
        d["central_difference"],
        color="C3",
        lw=1.5,
        ls="-.",
        label=f"central difference, h = {h:g}",
    )
    right.plot([0], [0.5], "s", color="C3", ms=8, label="at the kink it reports 0.5")
    right.axvspan(-h, h, color="C3", alpha=0.08)
    right.set_ylim(-0.15, 1.2)
    right.set_title("the derivative, and what a finite difference sees")
    right.legend(loc="upper left", fontsize=8)
    for ax in (left, right):
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set_xlabel("x")
    fig.tight_layout()
    return fig


# ---- Chapter 5: SVM and softmax gradients -------------------------------------------------

__all__ += ["decision_grid", "decision_regions_figure", "regularisation_regions_figure"]


def decision_grid(model, X, n=200, pad=0.5):
    """The class a linear model predicts at each point of a grid covering the data.

    Parameters
    ----------
    model : gradlab.losses.LinearClassifier
        Anything with ``predict(points) -> labels``.
    X : ndarray, shape (N, 2)
        The data; the grid covers its bounding box plus ``pad``.
    n : int, default 200
        Grid points along each axis.
    pad : float, default 0.5

    Returns
    -------
    xx, yy : ndarray, shape (n, n)
        Grid coordinates (``np.meshgrid`` layout).
    labels : ndarray of int, shape (n, n)

    Notes
    -----
    Chapter 5.

    Examples
    --------
    >>> import numpy as np
    >>> from gradlab.losses import LinearClassifier
    >>> m = LinearClassifier(np.array([[1.0, -1.0], [0.0, 0.0]]), np.zeros((1, 2)), np.zeros(1))
    >>> xx, yy, labels = decision_grid(m, np.array([[-1.0, 0.0], [1.0, 0.0]]), n=3, pad=0.0)
    >>> labels[0].tolist()     # predicted class 1 left of x = 0, class 0 right of it
    [1, 0, 0]
    """
    import numpy as np

    from gradlab._validate import require_float, require_shape

    require_float("X", X)
    require_shape("X", X, (None, 2), "2-D points, one per row")
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an integer >= 2; got {n!r}")
    lo = X.min(axis=0) - pad
    hi = X.max(axis=0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    points = np.column_stack([xx.ravel(), yy.ravel()])
    labels = model.predict(points).reshape(xx.shape)
    return xx, yy, labels


def _draw_regions(ax, model, X, y, title, n=200):
    import numpy as np
    from matplotlib.colors import ListedColormap

    k = int(model.W.shape[1])
    colours = [f"C{i % 10}" for i in range(k)]
    xx, yy, labels = decision_grid(model, X, n=n)
    ax.contourf(
        xx, yy, labels, levels=np.arange(k + 1) - 0.5, cmap=ListedColormap(colours), alpha=0.25
    )
    ax.scatter(
        X[:, 0], X[:, 1], c=[colours[int(c)] for c in y], s=14, edgecolors="k", linewidths=0.3
    )
    ax.set_title(f"{title}\ntraining accuracy {model.accuracy(X, y):.0%}", fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])


def decision_regions_figure(models, X, y, n=200):
    """One panel per trained model: its decision regions under the data points.

    Parameters
    ----------
    models : dict of str -> LinearClassifier
        Panel title -> model.
    X : ndarray, shape (N, 2)
    y : ndarray of int, shape (N,)
    n : int, default 200
        Grid resolution.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Chapter 5.
    """
    import matplotlib.pyplot as plt

    if not models:
        raise ValueError("models must hold at least one (title -> model) pair; got none")
    fig, axes = plt.subplots(1, len(models), figsize=(4.2 * len(models), 4.0), squeeze=False)
    for ax, (title, model) in zip(axes[0], models.items(), strict=True):
        _draw_regions(ax, model, X, y, title, n=n)
    fig.tight_layout()
    return fig


def regularisation_regions_figure(X, y, loss="svm", reg=1e-3, delta=1.0, steps=300, n=150):
    """Train a linear classifier with the given loss, reg and margin; draw its regions.

    Left: the decision regions. Right: the training loss per step. The title gives the
    weight norm ||W||_F, the quantity the regularisation pulls down.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    Chapter 5; ``gradlab.widgets.linear_classifier_widget`` redraws it.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from gradlab.losses import train_linear_classifier

    model = train_linear_classifier(X, y, loss=loss, reg=reg, delta=delta, steps=steps)
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(9.5, 4.0), gridspec_kw={"width_ratios": [1.2, 1]}
    )
    title = (
        f"{loss}, reg = {reg:.3g}"
        + (f", delta = {delta:.3g}" if loss == "svm" else "")
        + f"\n||W|| = {np.linalg.norm(model.W):.2f}"
    )
    _draw_regions(left, model, X, y, title, n=n)
    right.plot(model.losses, color="C0")
    right.set_xlabel("gradient step")
    right.set_ylabel("training loss (with reg)")
    right.set_title("training loss", fontsize=10)
    fig.tight_layout()
    return fig


# ---- Chapter 6: matrix-form backprop ------------------------------------------------------
