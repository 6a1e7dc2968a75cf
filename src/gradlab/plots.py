"""Pure plotting and data functions behind the chapters' figures and widgets.

Each function returns data or a matplotlib Figure and never calls ``plt.show()``; the notebooks
show them, the widgets in ``gradlab.widgets`` redraw them, the tests call them directly.
Sections follow the chapters that use them.
"""

from __future__ import annotations

__all__: list[str] = []


def _grid_axes(X, count, pad, *, count_name, pad_name):
    """The x and y coordinates of a count x count grid over 2-D points X, padded by pad.

    Shared by the decision-region plots of chapters 5 and 6; validates all three arguments
    under the caller's own argument names.
    """
    import numbers

    import numpy as np

    from gradlab._validate import require_finite, require_float, require_nonempty, require_shape

    require_float("X", X)
    require_shape("X", X, (None, 2), "2-D points, one per row")
    require_nonempty("X", X, axis=0, what="rows (points): the grid covers them")
    require_finite("X", X)
    if isinstance(count, bool) or not isinstance(count, numbers.Integral):
        raise TypeError(
            f"{count_name} must be an integer >= 2 (grid points per axis); got {type(count).__name__}"
        )
    if count < 2:
        raise ValueError(f"{count_name} must be an integer >= 2; got {count!r}")
    if isinstance(pad, bool) or not isinstance(pad, numbers.Real):
        raise TypeError(f"{pad_name} must be a real number >= 0; got {type(pad).__name__}")
    if not (np.isfinite(pad) and pad >= 0):
        raise ValueError(f"{pad_name} must be a finite number >= 0; got {pad!r}")
    lo = X.min(axis=0) - pad
    hi = X.max(axis=0) + pad
    return np.linspace(lo[0], hi[0], count), np.linspace(lo[1], hi[1], count)


# ---- Chapter 1: checking gradients numerically --------------------------------------------


def _exp(x):
    import numpy as np

    return np.exp(x)


def _sin(x):
    import numpy as np

    return np.sin(x)


def _cos(x):
    import numpy as np

    return np.cos(x)


def _tanh_steep(x):
    import numpy as np

    return np.tanh(10 * x)


def _tanh_steep_prime(x):
    import numpy as np

    return 10 * (1 - np.tanh(10 * x) ** 2)


def _offset_sin(x):
    import numpy as np

    return 1e8 + np.sin(x)


#: Scalar test functions for the finite-difference experiments of chapter 1:
#: name -> (f, exact derivative f', point x0). Each works in float64 and in float32.
DIFFERENCE_EXAMPLES = {
    "exp(x) at x = 1": (_exp, _exp, 1.0),
    "sin(x) at x = 1": (_sin, _cos, 1.0),
    "tanh(10x) at x = 0.1 (steep)": (_tanh_steep, _tanh_steep_prime, 0.1),
    "1e8 + sin(x) at x = 1 (large value)": (_offset_sin, _cos, 1.0),
}


def _difference_dtype(dtype):
    """np.float64 or np.float32 from a dtype or its name, else a TypeError naming both."""
    import numpy as np

    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.name not in ("float64", "float32"):
        raise TypeError(f'dtype must be "float64" or "float32"; got {dtype!r}')
    return dt.type


def _finite_real(name, value):
    """A finite real number (not a bool), returned as a float."""
    import numbers

    import numpy as np

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}")
    return value


def difference_errors(f, dfdx, x0, steps=None, dtype="float64", label=""):
    """Relative errors of the forward and central differences of ``f`` at ``x0``, for each step.

    Forward ``(f(x0 + h) - f(x0)) / h`` has a truncation error of order h; central
    ``(f(x0 + h) - f(x0 - h)) / 2h`` of order h^2. Both suffer a rounding error of order
    eps * |f(x0)| / h, which takes over at small h. Chapter 1 plots these errors on log-log axes.

    Parameters
    ----------
    f, dfdx : callable
        A scalar function of one variable and its exact derivative (both take and return
        scalars; ``f`` must keep the dtype it is given, as NumPy's ufuncs do).
    x0 : float
        The point.
    steps : array_like of float, shape (M,), optional
        The steps h, each > 0. Default ``np.logspace(-13, -1, 49)`` (four per decade).
    dtype : {"float64", "float32"}, default "float64"
        The precision the differences are computed in; the exact derivative is always float64.
    label : str, optional
        A name for the function, kept in the result (figure titles use it).

    Returns
    -------
    dict
        ``"h"``: the steps, shape (M,); ``"forward"`` and ``"central"``: relative errors
        ``|approx - exact| / |exact|``, shape (M,), float64; ``"exact"``: f'(x0);
        ``"x0"``, ``"dtype"`` (a name), ``"eps"`` (machine epsilon of that dtype), ``"label"``.

    Raises
    ------
    TypeError
        ``f`` or ``dfdx`` not callable, ``dtype`` not float64/float32, ``x0`` not a real number,
        ``steps`` not real numbers.
    ShapeError
        ``steps`` empty or not 1-D.
    ValueError
        ``x0`` not finite, ``steps`` not all finite and > 0, or ``f'(x0)`` zero or not finite
        (a relative error needs a nonzero derivative).

    Examples
    --------
    >>> import numpy as np
    >>> data = difference_errors(np.exp, np.exp, 1.0, steps=[1e-2, 1e-3])
    >>> bool(data["forward"][0] > 10 * data["forward"][1])   # error of order h
    True
    >>> bool(data["central"][0] > 50 * data["central"][1])   # error of order h^2
    True
    """
    import numpy as np

    from gradlab._validate import require_callable

    require_callable("f", f)
    require_callable("dfdx", dfdx)
    x0 = _finite_real("x0", x0)
    dt = _difference_dtype(dtype)
    if steps is None:
        steps = np.logspace(-13, -1, 49)
    from gradlab._validate import require_real
    from gradlab.shapes import ShapeError

    steps = require_real("steps", steps).astype(np.float64)
    if steps.ndim != 1 or steps.size == 0:
        raise ShapeError(
            f"steps must be a non-empty 1-D array of step sizes; got shape {steps.shape}"
        )
    if not np.all(np.isfinite(steps) & (steps > 0)):
        raise ValueError(f"steps must all be finite and > 0; got min {steps.min()!r}")
    exact = float(dfdx(x0))
    if not np.isfinite(exact) or exact == 0.0:
        raise ValueError(
            f"dfdx(x0) must be finite and nonzero to measure relative errors; got {exact!r}"
        )
    x = dt(x0)
    f0 = f(x)
    forward = np.empty(steps.size)
    central = np.empty(steps.size)
    for i, step in enumerate(steps):
        h = dt(step)
        forward[i] = float((f(x + h) - f0) / h)
        central[i] = float((f(x + h) - f(x - h)) / (dt(2) * h))
    return {
        "h": steps,
        "forward": np.abs(forward - exact) / abs(exact),
        "central": np.abs(central - exact) / abs(exact),
        "exact": exact,
        "x0": x0,
        "dtype": np.dtype(dt).name,
        "eps": float(np.finfo(dt).eps),
        "label": str(label),
    }


def loglog_slope(steps, errors, h_min, h_max):
    """Slope of log10(error) against log10(h), fitted over the steps in [h_min, h_max].

    A method with error C h^p shows slope p; rounding error (of order eps / h) shows slope -1.
    Zero errors (exact by luck) are left out. Returns NaN when fewer than three points remain.

    Parameters
    ----------
    steps, errors : array_like, shape (M,)
    h_min, h_max : float
        The window of steps to fit, ``0 < h_min < h_max``.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> h = np.logspace(-4, -1, 7)
    >>> round(loglog_slope(h, 3 * h**2, 1e-4, 1e-1), 6)
    2.0
    """
    import numpy as np

    from gradlab._validate import require_positive, require_real
    from gradlab.shapes import ShapeError

    steps = require_real("steps", steps).astype(np.float64)
    errors = require_real("errors", errors).astype(np.float64)
    if steps.shape != errors.shape or steps.ndim != 1:
        raise ShapeError(
            "steps and errors must be 1-D arrays of the same length; "
            f"got shapes {steps.shape} and {errors.shape}"
        )
    h_min = require_positive("h_min", h_min)
    h_max = require_positive("h_max", h_max)
    if h_min >= h_max:
        raise ValueError(f"h_min must be below h_max; got {h_min!r} and {h_max!r}")
    keep = (steps >= h_min) & (steps <= h_max) & (errors > 0) & np.isfinite(errors)
    if np.count_nonzero(keep) < 3:
        return float("nan")
    slope, _ = np.polyfit(np.log10(steps[keep]), np.log10(errors[keep]), 1)
    return float(slope)


def difference_slopes(data):
    """The measured orders of a ``difference_errors`` result.

    Fits a line on log-log axes where each error is dominated by one cause: truncation for
    steps from 100x to 10^4 x the best step (eps^(1/2) forward, eps^(1/3) central), rounding
    for steps from 10^-6 x to 0.03 x the best step (rounding error is ragged, so it needs a
    wide window). The windows assume |f|, |f'| and the higher derivatives are of order one.

    Returns
    -------
    dict
        ``"forward"`` (about 1), ``"central"`` (about 2), ``"rounding_forward"`` and
        ``"rounding_central"`` (about -1). NaN where the steps do not cover the window.

    Examples
    --------
    >>> import numpy as np
    >>> slopes = difference_slopes(difference_errors(np.exp, np.exp, 1.0))
    >>> round(slopes["forward"]), round(slopes["central"]), round(slopes["rounding_central"])
    (1, 2, -1)
    """
    eps = data["eps"]
    best = {"forward": eps ** (1 / 2), "central": eps ** (1 / 3)}
    out = {}
    for method, h_best in best.items():
        out[method] = loglog_slope(data["h"], data[method], 100 * h_best, 1e4 * h_best)
        out[f"rounding_{method}"] = loglog_slope(
            data["h"], data[method], 1e-6 * h_best, 0.03 * h_best
        )
    return out


def difference_error_figure(data, h=None, ax=None):
    """Log-log plot of a ``difference_errors`` result: error against step, both methods.

    Parameters
    ----------
    data : dict
        What ``difference_errors`` returned.
    h : float, optional
        A step to mark with a vertical line (the widget's slider).
    ax : matplotlib Axes, optional
        Draw into these axes; by default a new figure (made with pyplot, so ``plt.show()``
        shows it).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = difference_error_figure(difference_errors(np.exp, np.exp, 1.0), h=1e-5)
    >>> [line.get_label() for line in fig.axes[0].get_lines()][:2]
    ['forward difference', 'central difference']
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from gradlab._validate import require_positive

    if not isinstance(data, dict):
        raise TypeError(
            f"data must be the dict difference_errors returns; got {type(data).__name__}"
        )
    for key in ("h", "forward", "central", "eps", "dtype"):
        if key not in data:
            raise ValueError(f"data must be a difference_errors result; it has no {key!r} key")
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.5))
    else:
        fig = ax.figure
    steps = data["h"]
    for method, style in (("forward", "o-"), ("central", "s-")):
        err = np.where(data[method] > 0, data[method], np.nan)  # log axes cannot show 0
        ax.loglog(steps, err, style, markersize=3, label=f"{method} difference")
    ax.axhline(data["eps"], color="gray", linestyle=":", linewidth=1)
    ax.annotate(
        f"machine epsilon ({data['dtype']})",
        (steps.min(), data["eps"]),
        textcoords="offset points",
        xytext=(2, 3),
        fontsize=8,
        color="gray",
    )
    if h is not None:
        h = require_positive("h", h)
        ax.axvline(h, color="black", linewidth=1, alpha=0.6)
        ax.annotate(
            f"h = {h:.0e}",
            (h, 1.0),
            textcoords="offset points",
            xytext=(3, -12),
            fontsize=8,
        )
    ax.set_xlabel("step h")
    ax.set_ylabel("relative error of the derivative")
    title = data.get("label") or "finite differences"
    ax.set_title(f"{title} ({data['dtype']})")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="lower left")
    return fig


__all__ += [
    "DIFFERENCE_EXAMPLES",
    "difference_error_figure",
    "difference_errors",
    "difference_slopes",
    "loglog_slope",
]


# ---- Chapter 2: the dimension-matching trick ----------------------------------------------

__all__ += ["TRICK_PROBLEMS", "TrickReport", "trick_report"]

#: The preset problems of chapter 2's widget: key -> what is differentiated, from what.
TRICK_PROBLEMS = {
    "layer-dW": "S = XW + b, L = ||S - T||^2 / (2N): dL/dW from X and G = dL/dS",
    "layer-db": "S = XW + b, L = ||S - T||^2 / (2N): dL/db from a column of ones and G",
    "layer-dX": "S = XW + b, L = ||S - T||^2 / (2N): dL/dX from G and W",
    "regression": "J = ||X theta - y||^2 / (2N): dJ/dtheta from X and r = X theta - y",
    "quadratic": "f = x^T A x with A not symmetric (size D): df/dx from A and x",
}


def _trick_problem(problem, N, D, K, seed):
    """The shapes, arrays, loss and parameter of one preset problem, at a random point."""
    import numpy as np

    from gradlab.regression import linear_regression_loss

    rng = np.random.default_rng(seed)
    if problem.startswith("layer-"):
        X, W = rng.standard_normal((N, D)), rng.standard_normal((D, K))
        b, T = rng.standard_normal((1, K)), rng.standard_normal((N, K))

        def layer_loss(X_, W_, b_):
            R = X_ @ W_ + b_ - T  # b_ (1, K) is added to every row: the model's bias
            return float(np.sum(R * R)) / (2 * N)

        G = (X @ W + b - T) / N  # dL/dS, (N, K)
        if problem == "layer-dW":
            return dict(
                target=(D, K),
                factors={"X": (N, D), "G": (N, K)},
                coefficient=None,
                arrays={"X": X, "G": G},
                loss=lambda W_: layer_loss(X, W_, b),
                param=W,
                extra=[],
            )
        if problem == "layer-db":
            ones = np.ones((N, 1))
            return dict(
                target=(1, K),
                factors={"ones": (N, 1), "G": (N, K)},
                coefficient=None,
                arrays={"ones": ones, "G": G},
                loss=lambda b_: layer_loss(X, W, b_),
                param=b,
                extra=[],
            )
        return dict(
            target=(N, D),
            factors={"G": (N, K), "W": (D, K)},
            coefficient=None,
            arrays={"G": G, "W": W},
            loss=lambda X_: layer_loss(X_, W, b),
            param=X,
            extra=[],
        )
    if problem == "regression":
        X, y, theta = (
            rng.standard_normal((N, D)),
            rng.standard_normal((N, 1)),
            rng.standard_normal((D, 1)),
        )
        return dict(
            target=(D, 1),
            factors={"X": (N, D), "r": (N, 1)},
            coefficient="1/N",
            arrays={"X": X, "r": X @ theta - y, "N": N},
            loss=lambda t: linear_regression_loss(t, X, y)[0],
            param=theta,
            extra=[],
        )
    A, x = rng.standard_normal((D, D)), rng.standard_normal((D, 1))
    return dict(
        target=(D, 1),
        factors={"A": (D, D), "x": (D, 1)},
        coefficient=2,
        arrays={"A": A, "x": x},
        loss=lambda v: (v.T @ A @ v).item(),
        param=x,
        extra=["(A + A.T) @ x"],
    )


class TrickReport:
    """What the dimension-matching trick offers for one problem, and what the check says.

    Attributes
    ----------
    problem, title : str
        The key of ``TRICK_PROBLEMS`` and its description.
    sizes : dict
        ``{"N": N, "D": D, "K": K}``.
    target : tuple
        The parameter's shape, the shape the gradient must have.
    factors : dict
        ``{name: shape}`` of the factors the scalar derivative gives.
    arrangements : list of str
        Every arrangement of the factors that fits the target (``matching_arrangements``).
    extra : list of str
        Candidates the trick does not produce (the true gradient when it is not among the
        arrangements).
    ranking : gradlab.shapes.CandidateRanking
        All candidates checked numerically (``rank_candidates``).
    """

    def __init__(self, problem, sizes, target, factors, arrangements, extra, ranking):
        self.problem = problem
        self.title = TRICK_PROBLEMS[problem]
        self.sizes = dict(sizes)
        self.target = tuple(target)
        self.factors = dict(factors)
        self.arrangements = list(arrangements)
        self.extra = list(extra)
        self.ranking = ranking

    @property
    def right(self) -> list[str]:
        """The candidates that pass the numeric check."""
        return self.ranking.right

    def headline(self) -> str:
        """One sentence: how many arrangements fit, how many of them are right."""
        fit = len(self.arrangements)
        right = [e for e in self.right if e in self.arrangements]
        text = (
            f"{fit} arrangement{'s' if fit != 1 else ''} fit the shape {self.target}; "
            f"{len(right)} of them pass{'es' if len(right) == 1 else ''} the numeric check"
        )
        others = [e for e in self.right if e not in self.arrangements]
        if others:
            text += f"; the right answer, {', '.join(others)}, is not an arrangement at all"
        return text + "."

    def __str__(self) -> str:
        factors = ", ".join(f"{k} {v}" for k, v in self.factors.items())
        return (
            f"{self.title}\nfactors: {factors}; target {self.target}\n{self.headline()}\n\n"
            f"{self.ranking}"
        )

    def _repr_html_(self) -> str:
        import html

        factors = ", ".join(
            f"<code>{html.escape(k)}</code> {html.escape(str(v))}" for k, v in self.factors.items()
        )
        return (
            f"<div class='gradlab-trick'><p><strong>{html.escape(self.title)}</strong><br>"
            f"factors: {factors}; target shape {html.escape(str(self.target))}<br>"
            f"{html.escape(self.headline())}</p>{self.ranking._repr_html_()}</div>"
        )


def trick_report(problem="layer-dW", N=4, D=3, K=2, seed=0):
    """Run the dimension-matching trick on a preset problem and check every candidate.

    The pure function behind chapter 2's widget: it lists the arrangements of the factors
    that fit the parameter's shape (``gradlab.shapes.matching_arrangements``), adds the true
    gradient when the trick cannot produce it, and ranks all of them by the numeric check
    (``gradlab.shapes.rank_candidates``). With distinct sizes the shapes usually pin down
    one arrangement; when sizes coincide (N = D = K) several fit and only the check tells
    them apart.

    Parameters
    ----------
    problem : str, default "layer-dW"
        A key of ``TRICK_PROBLEMS``.
    N, D, K : int, default 4, 3, 2
        Batch size, input size, output size (the quadratic problem uses D only).
    seed : int, default 0
        Seed of the random arrays.

    Returns
    -------
    TrickReport

    Raises
    ------
    ValueError
        Unknown ``problem``, a size below 1, or a negative seed.
    TypeError
        A size or seed that is not an integer, or a ``problem`` that is not a string.

    Examples
    --------
    >>> trick_report("layer-dW", N=4, D=3, K=2).arrangements
    ['X.T @ G']
    >>> report = trick_report("layer-dW", N=3, D=3, K=3)
    >>> len(report.arrangements), report.right
    (12, ['X.T @ G'])
    """
    from gradlab._validate import require_choice, require_positive_int, require_seed
    from gradlab.shapes import matching_arrangements, rank_candidates

    require_choice("problem", problem, TRICK_PROBLEMS)
    sizes = {name: require_positive_int(name, v) for name, v in (("N", N), ("D", D), ("K", K))}
    seed = require_seed("seed", seed)
    spec = _trick_problem(problem, sizes["N"], sizes["D"], sizes["K"], seed)
    arrangements = [
        a.expression
        for a in matching_arrangements(
            spec["target"], spec["factors"], coefficient=spec["coefficient"]
        )
    ]
    ranking = rank_candidates(
        arrangements + spec["extra"], spec["arrays"], spec["loss"], spec["param"]
    )
    return TrickReport(
        problem, sizes, spec["target"], spec["factors"], arrangements, spec["extra"], ranking
    )


# ---- Chapter 3: Jacobian rules and layouts ------------------------------------------------

__all__ += ["MAX_PATTERN_ENTRIES", "jacobian_sparsity", "plot_jacobian_sparsity"]

#: The largest Jacobian ``jacobian_sparsity`` builds (it is a teaching picture, not a tool).
MAX_PATTERN_ENTRIES = 1_000_000


def jacobian_sparsity(m, n, order="F"):
    """Where the Jacobian of z = Wx with respect to W is non-zero, and what it would cost.

    For W of shape (m, n) the Jacobian is m x (m*n) (``gradlab.jacobians.jacobian_Wx_wrt_W``);
    output z_i depends on row i of W only, so row i of the Jacobian is zero outside the n
    columns that hold row i of W: m*n non-zeros among m*m*n entries, a fraction 1/m.

    Parameters
    ----------
    m, n : int
        W's shape.
    order : {"F", "C"}, default "F"
        How W is flattened (columns stacked, vec; or rows stacked).

    Returns
    -------
    dict
        ``pattern`` (bool ndarray, shape (m, m*n)), ``nonzeros``, ``entries``,
        ``fraction`` (nonzeros / entries), ``jacobian_bytes`` and ``weight_bytes`` (float64
        storage of the full Jacobian and of W itself).

    Raises
    ------
    TypeError, ValueError
        m or n not a positive integer, an unknown order, or a Jacobian of more than
        ``MAX_PATTERN_ENTRIES`` entries (the message gives its counts instead).

    Examples
    --------
    >>> s = jacobian_sparsity(3, 2)
    >>> s["pattern"].shape, s["nonzeros"], s["entries"]
    ((3, 6), 6, 18)
    """
    import numpy as np

    from gradlab._validate import require_positive_int
    from gradlab.jacobians import jacobian_Wx_wrt_W

    m = require_positive_int("m", m)
    n = require_positive_int("n", n)
    if m * m * n > MAX_PATTERN_ENTRIES:
        raise ValueError(
            f"the Jacobian of z = Wx for W of shape ({m}, {n}) has m*m*n = {m * m * n} entries, "
            f"too many to build here (at most {MAX_PATTERN_ENTRIES}); its counts need no "
            f"pattern: m*n = {m * n} non-zeros, {8 * m * m * n} bytes in float64"
        )
    # With x all ones, every structurally non-zero entry (an x_l) is non-zero.
    pattern = jacobian_Wx_wrt_W(np.zeros((m, n)), np.ones(n), order=order) != 0
    entries = m * m * n
    nonzeros = int(np.count_nonzero(pattern))
    return {
        "pattern": pattern,
        "nonzeros": nonzeros,
        "entries": entries,
        "fraction": nonzeros / entries,
        "jacobian_bytes": 8 * entries,
        "weight_bytes": 8 * m * n,
    }


def plot_jacobian_sparsity(m=4, n=3, order="F"):
    """Heatmap of the non-zero pattern of the Jacobian of z = Wx with respect to W.

    Rows are the outputs z_1..z_m, columns the entries of W in the chosen flattening order
    (labelled W[k,l] when there are few). Dark cells are non-zero. Chapter 3 shows it to
    explain why backprop never builds this matrix and uses delta x^T instead.

    Parameters
    ----------
    m, n : int, default 4, 3
        W's shape.
    order : {"F", "C"}, default "F"
        "F" stacks W's columns (vec, a block diagonal of x^T (x) I pattern: diagonal
        stripes); "C" stacks its rows (I (x) x^T: one dense block per output).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_jacobian_sparsity(3, 2)
    >>> fig.axes[0].images[0].get_array().shape
    (3, 6)
    """
    import matplotlib.pyplot as plt
    import numpy as np

    info = jacobian_sparsity(m, n, order)
    pattern = info["pattern"]
    width = min(11.0, 2.0 + 0.35 * m * n)
    height = min(6.0, 1.2 + 0.4 * m)
    fig, ax = plt.subplots(figsize=(width, height))
    ax.imshow(
        pattern.astype(float), cmap="Greys", vmin=0, vmax=1, aspect="equal", interpolation="nearest"
    )
    how = "columns of W stacked, vec(W)" if order == "F" else "rows of W stacked"
    ax.set_xlabel(f"entry of W ({how})")
    ax.set_ylabel("output")
    ax.set_title(
        f"Jacobian of z = Wx with respect to W ({m} x {m * n}): "
        f"{info['nonzeros']} of {info['entries']} entries non-zero"
    )
    ax.set_yticks(range(m), [f"z{i + 1}" for i in range(m)])
    if m * n <= 30:
        cells = np.arange(m * n).reshape((m, n), order=order)
        labels = [""] * (m * n)
        for k in range(m):
            for l in range(n):
                labels[cells[k, l]] = f"W{k + 1}{l + 1}"
        ax.set_xticks(range(m * n), labels, rotation=90)
    else:
        ax.set_xticks([])
    fig.tight_layout()
    return fig


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

    Raises
    ------
    TypeError
        x does not hold real numbers, or h is not a number.
    ValueError
        NaN or inf in x, or h not finite and > 0.

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

    from gradlab._validate import require_finite, require_positive, require_real

    x = require_real("x", x).astype(np.float64)
    h = require_positive("h", h)
    require_finite("x", x)
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

    from gradlab._validate import require_positive

    xmax = require_positive("xmax", xmax)
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

    Raises
    ------
    TypeError
        A model without ``predict``, X not a float array, n or pad not numbers.
    ShapeError
        X not of shape (N, 2).
    ValueError
        X empty or not finite, n < 2, pad negative or not finite.

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


    if not callable(getattr(model, "predict", None)):
        raise TypeError(
            f"model must have a predict(points) method (a LinearClassifier); got {type(model).__name__}"
        )
    xs, ys = _grid_axes(X, n, pad, count_name="n", pad_name="pad")
    xx, yy = np.meshgrid(xs, ys)
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

    if not isinstance(models, dict):
        raise TypeError(
            f"models must be a dict {{panel title: LinearClassifier}}; got {type(models).__name__}"
        )
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


def _require_result(data, keys, producer):
    """``data`` is the dict ``producer`` returns: a TypeError or a missing-key ValueError."""
    if not isinstance(data, dict):
        raise TypeError(
            f"the argument must be the dict {producer} returns; got {type(data).__name__}"
        )
    missing = [k for k in keys if k not in data]
    if missing:
        raise ValueError(f"the argument must be a {producer} result; it has no {missing[0]!r} key")


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
    n_in, width, n_out = (
        require_positive_int(name, v)
        for name, v in (("n_in", n_in), ("width", width), ("n_out", n_out))
    )
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.name not in ("float64", "float32"):
        raise TypeError(f'dtype must be "float64" or "float32"; got {dtype!r}')
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

    _require_result(data, ("bytes", "depths", "batches", "dtype", "n_in"), "mlp_cache_bytes")
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

    from gradlab._validate import require_finite, require_ndim, require_positive_int, require_real

    if not isinstance(J, np.ndarray):
        raise TypeError(f"J must be a NumPy array (a Jacobian); got {type(J).__name__}")
    require_real("J", J)
    require_ndim("J", J, 2, "a Jacobian")
    require_finite("J", J)
    block_rows = None if block_rows is None else require_positive_int("block_rows", block_rows)
    block_cols = None if block_cols is None else require_positive_int("block_cols", block_cols)
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

    from gradlab._validate import require_finite, require_real
    from gradlab.shapes import ShapeError

    x = require_real("x", x).astype(np.float64)
    y = require_real("y", y).astype(np.float64)
    if x.shape != y.shape or x.ndim != 1 or x.size < 2:
        raise ShapeError(
            f"x and y must be 1-D with the same length >= 2; got shapes {x.shape} and {y.shape}"
        )
    require_finite("x", x)
    require_finite("y", y)
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

    from gradlab._validate import require_positive_int, require_seed
    from gradlab.mlp import MLP
    from gradlab.vec import DEFAULT_MAX_BYTES, two_layer_kron_grads

    for name, sizes in (("batches", batches), ("widths", widths)):
        if isinstance(sizes, str) or not hasattr(sizes, "__iter__") or len(list(sizes)) == 0:
            raise ValueError(f"{name} must be a non-empty list of positive integers; got {sizes!r}")
    batches = [require_positive_int("batches[i]", n) for n in batches]
    widths = [require_positive_int("widths[i]", h) for h in widths]
    for name, v in (
        ("width_for_batches", width_for_batches),
        ("batch_for_widths", batch_for_widths),
        ("n_in", n_in),
        ("n_out", n_out),
        ("repeats", repeats),
    ):
        require_positive_int(name, v)
    seed = require_seed("seed", seed)
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
    _require_result(costs, ("batch", "width"), "measure_route_costs")
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

    from gradlab.mlp import MLP

    if not isinstance(net, MLP):
        raise TypeError(f"net must be a gradlab.mlp.MLP; got {type(net).__name__}")
    if net.sizes[0] != 2:
        raise ValueError(f"net must take two inputs to draw a plane; sizes[0] = {net.sizes[0]}")
    if not (
        (net.loss == "mse" and net.sizes[-1] == 1) or (net.loss == "softmax" and net.sizes[-1] == 2)
    ):
        raise ValueError(
            "net must be a binary classifier: one mse output or two softmax outputs; got "
            f"{net.sizes[-1]} {net.loss} outputs"
        )
    xs, ys = _grid_axes(X, resolution, margin, count_name="resolution", pad_name="margin")
    gx, gy = np.meshgrid(xs, ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()]).astype(net.dtype)
    if net.loss == "softmax":
        score = net.predict_proba(grid)[:, 1]
    else:
        score = net.predict(grid)[:, 0]
    return xs, ys, score.reshape(gx.shape)


def plot_decision_boundary(net, X, y, *, ax=None, title="", resolution=150):
    """The network's score for class 1 over the plane, the 0.5 contour, and the points.

    ``y`` holds one label per row of X, 0 or 1 (ints, or whole floats such as
    ``Y.ravel()`` of an mse network's (N, 1) targets); a (N, 1) column is refused with a hint
    rather than flattened silently.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from gradlab._validate import require_array
    from gradlab.shapes import ShapeError

    xs, ys, scores = decision_scores(net, X, resolution=resolution)
    require_array("y", y)
    if y.shape != (X.shape[0],):
        hint = " (a column: pass y.ravel())" if y.shape == (X.shape[0], 1) else ""
        raise ShapeError(
            f"y must hold one label per row of X, shape ({X.shape[0]},); got {y.shape}{hint}"
        )
    if y.dtype == bool or not np.isin(y, (0, 1)).all():
        raise ValueError(
            f"y must hold the binary labels 0 and 1 (int or float); got dtype {y.dtype} with "
            f"values {np.unique(y)[:5].tolist()}"
        )
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 4.4))
    else:
        fig = ax.figure
    filled = ax.contourf(xs, ys, scores, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
    ax.contour(xs, ys, scores, levels=[0.5], colors="k", linewidths=1.5)
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

    from gradlab._validate import require_positive_int
    from gradlab.datasets import xor
    from gradlab.mlp import MLP, train

    width = require_positive_int("width", width)  # named here, not as the MLP's sizes[1]
    X, y = xor(n=n, noise=noise, seed=seed)
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

    _require_result(
        run, ("net", "X", "y", "losses", "diverged", "width", "activation", "lr"), "train_xor_run"
    )
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
