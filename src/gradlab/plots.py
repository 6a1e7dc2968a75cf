"""Pure plotting and data functions behind the chapters' figures and widgets.

Each function returns data or a matplotlib Figure and never calls ``plt.show()``; the notebooks
show them, the widgets in ``gradlab.widgets`` redraw them, the tests call them directly.
Sections follow the chapters that use them.
"""

from __future__ import annotations

__all__: list[str] = []


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
        ``f`` or ``dfdx`` not callable, ``dtype`` not float64/float32, ``x0`` not a real number.
    ValueError
        ``x0`` not finite, ``steps`` empty, not 1-D, or not all finite and > 0, or
        ``f'(x0)`` zero or not finite (a relative error needs a nonzero derivative).

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
    steps = np.asarray(steps, dtype=np.float64)
    if steps.ndim != 1 or steps.size == 0:
        raise ValueError(
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

    from gradlab._validate import require_positive

    steps = np.asarray(steps, dtype=np.float64)
    errors = np.asarray(errors, dtype=np.float64)
    if steps.shape != errors.shape or steps.ndim != 1:
        raise ValueError(
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


# ---- Chapter 3: Jacobian rules and layouts ------------------------------------------------


# ---- Chapter 4: indicator-function tricks -------------------------------------------------


# ---- Chapter 5: SVM and softmax gradients -------------------------------------------------


# ---- Chapter 6: matrix-form backprop ------------------------------------------------------
