"""Numeric gradient checks: the tool every chapter of the course ends with.

Chapter 1 ("Checking gradients numerically") derives everything here: why central
differences, why float64, how to read a relative error, and what the sparse and directional
modes cost.

The verdict rule
----------------
An analytic gradient ``a`` passes against the numeric one ``n`` when every checked entry obeys

    |a_i - n_i| <= tol * (|a_i| + |n_i|) + tol * scale + resolution,

    scale = max_j max(|a_j|, |n_j|),    resolution = 100 * eps * max|f(x +- h e)| / h

that is, a relative tolerance plus an absolute floor tied to the gradient's largest entry (the
form ``torch.autograd.gradcheck`` uses, with its ``atol`` made scale-free). The floor matters:
an entry that is truly 1e-6 of the largest has a numeric error close to its own size, so its
entry-wise relative error can be 1e-2 while the gradient is right. The floor never hides a
real mistake: a dropped transpose, a wrong sign, a forgotten 1/N or a 1% scale error moves
entries by far more than ``tol`` times the largest entry.

The last term is what finite differences can resolve at all: each value of ``f`` carries a
rounding error of a few eps * |f|, so a difference quotient cannot tell derivatives apart
that differ by less than about eps * |f| / h (100 times that, for losses summed over many
terms). It only matters when the whole gradient is tiny next to the loss (a saturated
softmax, a vanishing gradient deep in a network): the report then says the check is weak
there, instead of failing a right gradient.

Reading the numbers (float64, h = 1e-5):

* normwise relative error ``||a - n|| / (||a|| + ||n||)`` <= 1e-7: right;
* 1e-7 to 1e-4: suspicious, or a kink (ReLU, hinge) near the point, or large third derivatives;
* > 1e-2: wrong.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np

from gradlab._validate import (
    require_callable,
    require_finite,
    require_float64,
    require_positive,
    require_positive_int,
    require_real,
    require_seed,
    require_shape,
    shape_text,
)

__all__ = [
    "GradientCheckError",
    "GradientCheckResult",
    "assert_all_passed",
    "default_tolerance",
    "gradient_check",
    "numerical_gradient",
    "numerical_jacobian",
    "rel_error",
]

_FLOAT64_WHY = "finite differences in float32 keep too few digits to check anything: see chapter 1"
MODES = ("full", "sparse", "directional")


class GradientCheckError(AssertionError):
    """A gradient check failed; the message is the check's text report."""


def _scalar_value(f, x, name="f") -> float:
    value = f(x)
    arr = np.asarray(value)
    if arr.size != 1:
        raise ValueError(
            f"{name} must return a scalar (the loss); got an array of shape {shape_text(arr.shape)}. "
            "For a vector-valued function use numerical_jacobian."
        )
    if not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must return a number; got {type(value).__name__}")
    out = float(arr.reshape(()))
    if not np.isfinite(out):
        raise ValueError(f"{name} returned {out} at the point being checked; it must be finite")
    return out


def _check_point(f, x, h, fname="f"):
    require_callable(fname, f)
    require_float64("x", x, why=_FLOAT64_WHY)
    require_finite("x", x)
    return require_positive("h", h)


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of a scalar function, entry by entry.

    ``(f(x + h e_i) - f(x - h e_i)) / 2h`` for every entry ``i`` of ``x``: 2 * x.size calls of
    ``f``, an error of order h^2 (plus rounding of order eps * |f| / h).

    Parameters
    ----------
    f : callable
        ``f(x) -> float``. It may ignore its argument and read ``x`` from a closure: ``x`` is
        perturbed in place, one entry at a time, and each entry is restored to its exact value.
    x : ndarray of float64, any shape
        The point. Left unchanged afterwards (also when ``f`` raises).
    h : float, default 1e-5
        The step. 1e-5 balances truncation (h^2) and rounding (1e-16 / h) in float64.

    Returns
    -------
    ndarray of float64, shape ``x.shape``
        The gradient, in the shape of ``x`` (the course's layout for a scalar's gradient).

    Raises
    ------
    TypeError
        ``f`` not callable, or ``x`` not a float64 array.
    ValueError
        ``x`` holds NaN or inf, ``h <= 0``, or ``f`` does not return a finite scalar.

    See Also
    --------
    numerical_jacobian : the same for a vector-valued function.
    gradient_check : compare an analytic gradient with this one.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[2.0, 1.0], [0.0, 3.0]])
    >>> x = np.array([1.0, -1.0])
    >>> g = numerical_gradient(lambda v: v @ A @ v, x)
    >>> np.allclose(g, (A + A.T) @ x)
    True
    """
    h = _check_point(f, x, h)
    grad = np.zeros(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        grad[idx] = _central_difference(f, x, idx, h)[0]
    return grad


def _central_difference(f, x, idx, h) -> tuple[float, float]:
    """(f(x + h e_idx) - f(x - h e_idx)) / 2h, and the larger |f| of the two evaluations.

    x[idx] is restored exactly, even when f raises.
    """
    old = x[idx]
    try:
        x[idx] = old + h
        f_plus = _scalar_value(f, x)
        x[idx] = old - h
        f_minus = _scalar_value(f, x)
    finally:
        x[idx] = old
    return (f_plus - f_minus) / (2 * h), max(abs(f_plus), abs(f_minus))


def _vector_value(F, x, name="F") -> np.ndarray:
    value = np.asarray(F(x))
    if not np.issubdtype(value.dtype, np.number):
        raise TypeError(f"{name} must return a numeric array; got dtype {value.dtype}")
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{name} returned NaN or inf at the point being checked")
    return value


def numerical_jacobian(F, x, h=1e-5, order="F"):
    """Central-difference Jacobian of an array-valued function, in numerator layout.

    Row ``i`` is output entry ``i``, column ``j`` is input entry ``j``: the shape is
    ``(F(x).size, x.size)``, m x n for ``F: R^n -> R^m``, as in the cs224n notes (chapter 3).

    Parameters
    ----------
    F : callable
        ``F(x) -> array`` of any shape.
    x : ndarray of float64, any shape
        The point; left unchanged afterwards.
    h : float, default 1e-5
        The step.
    order : {"F", "C"}, default "F"
        How matrices are flattened into vectors, for both input and output. ``"F"`` stacks
        columns, the course's ``vec`` (chapter 6), so that the Jacobian of ``X -> A @ X @ B``
        is ``np.kron(B.T, A)``. ``"C"`` stacks rows, NumPy's default ``ravel``. For 1-D
        arrays both are the same.

    Returns
    -------
    ndarray of float64, shape ``(F(x).size, x.size)``

    Examples
    --------
    >>> import numpy as np
    >>> W = np.arange(6.0).reshape(2, 3)
    >>> J = numerical_jacobian(lambda v: W @ v, np.ones(3))
    >>> J.shape, np.allclose(J, W)
    ((2, 3), True)
    """
    if order not in ("F", "C"):
        raise ValueError(
            f'order must be "F" (stack columns, vec) or "C" (stack rows); got {order!r}'
        )
    require_callable("F", F)
    require_float64("x", x, why=_FLOAT64_WHY)
    require_finite("x", x)
    h = require_positive("h", h)
    m = _vector_value(F, x).size
    jac = np.zeros((m, x.size), dtype=np.float64)
    # Walk the input entries in the chosen stacking order so column j is vec(x)[j].
    flat_positions = (
        np.arange(x.size).reshape(x.shape, order=order) if x.ndim else np.zeros((), int)
    )
    for idx in np.ndindex(x.shape):
        j = int(flat_positions[idx])
        old = x[idx]
        try:
            x[idx] = old + h
            plus = _vector_value(F, x).reshape(-1, order=order)
            x[idx] = old - h
            minus = _vector_value(F, x).reshape(-1, order=order)
        finally:
            x[idx] = old
        if plus.size != m or minus.size != m:
            raise ValueError("F must return arrays of one size at every point")
        jac[:, j] = (plus - minus) / (2 * h)
    return jac


def rel_error(a, b, eps=1e-8):
    """The largest entry-wise relative error ``|a - b| / max(eps, |a| + |b|)``.

    Zero where both are zero (never NaN). It is a strict, entry-by-entry measure: an entry
    whose true value is tiny can show a large relative error from rounding alone, which is why
    ``gradient_check`` judges with a floor as well (see this module's docstring).

    Parameters
    ----------
    a, b : array_like of real numbers, the same shape
        Never broadcast: shapes that differ are a ``ShapeError``.
    eps : float, default 1e-8
        The denominator's floor.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        ``a`` or ``b`` does not hold real numbers (bool, complex, strings, objects).
    ShapeError
        Their shapes differ.
    ValueError
        NaN or inf in ``a`` or ``b`` (a NaN would make the error NaN, which no comparison
        catches), or ``eps <= 0``.

    Examples
    --------
    >>> rel_error(np.array([1.0, 0.0]), np.array([1.0 + 1e-9, 0.0])) < 1e-9
    True
    """
    a_arr = require_finite("a", require_real("a", a)).astype(np.float64, copy=False)
    b_arr = require_finite("b", require_real("b", b)).astype(np.float64, copy=False)
    if a_arr.shape != b_arr.shape:
        from gradlab.shapes import ShapeError

        raise ShapeError(
            f"a and b must have the same shape to compare them; got {shape_text(a_arr.shape)} "
            f"and {shape_text(b_arr.shape)}"
        )
    eps = require_positive("eps", eps)
    if a_arr.size == 0:
        return 0.0
    return float(np.max(np.abs(a_arr - b_arr) / np.maximum(eps, np.abs(a_arr) + np.abs(b_arr))))


def default_tolerance(h=1e-5, dtype=np.float64) -> float:
    """The default ``tol`` of ``gradient_check`` for step ``h``.

    A right gradient differs from the central difference by truncation (about h^2) plus
    rounding (about eps / h) for a function whose value and derivatives are of order one.
    The default allows a hundred times that, and never less than 1e-6:
    1e-6 at h = 1e-5, 1e-4 at h = 1e-3.

    Examples
    --------
    >>> default_tolerance(1e-5)
    1e-06
    >>> round(default_tolerance(1e-3), 6)
    0.0001
    """
    h = require_positive("h", h)
    try:
        floating = np.issubdtype(np.dtype(dtype), np.floating)
    except TypeError:
        floating = False
    if not floating:
        raise TypeError(f"dtype must be a floating-point dtype such as np.float64; got {dtype!r}")
    eps = float(np.finfo(dtype).eps)
    return max(1e-6, 100.0 * (h * h + eps / h))


@dataclass
class GradientCheckResult:
    """What ``gradient_check`` found. Print it, or show it in a notebook (HTML).

    Attributes
    ----------
    passed : bool
        The verdict (rule in the module docstring).
    tol : float
        The tolerance used.
    max_rel_error : float
        The worst entry-wise relative error over the checked entries (or directions).
    normwise_rel_error : float
        ``||a - n|| / (||a|| + ||n||)`` over the checked entries (or directions).
    worst_index : tuple
        Index of the worst entry in the parameter (``(k,)`` = direction k in directional mode).
    worst_analytic, worst_numeric : float
        The two values at that index.
    mode : str
        ``"full"``, ``"sparse"`` or ``"directional"``.
    n_checked : int
        Entries (or directions) compared.
    n_evaluations : int
        Calls of ``f`` the check made: its cost.
    resolution : float
        ``100 eps max|f| / h``: derivative errors below this cannot be told from rounding.
    scale : float
        The largest entry (or, in directional mode, ``||grad||``) the floor is tied to.
    """

    @property
    def weak(self) -> bool:
        """True when the gradient is too small, next to ``f``, for finite differences to
        check it well (its largest entry is within 100 x the resolution)."""
        return self.n_checked > 0 and self.scale < 100 * self.resolution

    name: str
    mode: str
    passed: bool
    tol: float
    h: float
    max_rel_error: float
    normwise_rel_error: float
    worst_index: tuple
    worst_analytic: float
    worst_numeric: float
    n_checked: int
    n_total: int
    n_evaluations: int
    shape: tuple
    failing: int = 0
    resolution: float = 0.0
    scale: float = 0.0
    analytic: np.ndarray | None = field(default=None, repr=False)
    numeric: np.ndarray | None = field(default=None, repr=False)

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "FAIL"

    def summary(self) -> str:
        """One line with no raw digits, the same on every machine (for nbval check cells)."""
        what = {
            "full": f"all {self.n_checked} entries",
            "sparse": f"{self.n_checked} of {self.n_total} entries",
            "directional": f"{self.n_checked} random directions",
        }[self.mode]
        relation = "below" if self.passed else "ABOVE"
        return f"{self.name}: {self.verdict} ({what}, error {relation} tol {self.tol:.0e})"

    def _lines(self) -> list[str]:
        where = "direction" if self.mode == "directional" else "entry"
        lines = [
            f"gradient check of {self.name} {shape_text(self.shape)}: {self.verdict}",
            f"  mode {self.mode}: {self.n_checked} of {self.n_total} "
            f"{'directions' if self.mode == 'directional' else 'entries'} checked, "
            f"{self.n_evaluations} calls of f, h = {self.h:.0e}",
            f"  normwise relative error  {self.normwise_rel_error:.2e}",
            f"  worst {where} relative error {self.max_rel_error:.2e} at {where} {self.worst_index}: "
            f"analytic {self.worst_analytic:.6g}, numeric {self.worst_numeric:.6g}",
            f"  tolerance {self.tol:.0e} (relative, plus a floor of tol x the largest entry)",
        ]
        if self.weak:
            lines.append(
                f"  warning: the gradient (largest entry {self.scale:.1e}) is close to what "
                f"finite differences resolve next to |f| (about {self.resolution:.0e} at this h): "
                "this check is weak; rescale the loss or try a larger h"
            )
        if self.passed and self.max_rel_error > self.tol:
            lines.append(
                "  note: the worst entry is tiny next to the largest one; its relative error is "
                "rounding noise and the floor accepts it"
            )
        if not self.passed:
            lines.append(f"  {self.failing} {where}(s) outside the tolerance")
            if (
                self.mode != "directional"
                and self.analytic is not None
                and self.numeric is not None
            ):
                lines.extend("  " + hint for hint in _diagnose(self.analytic, self.numeric))
        return lines

    def __str__(self) -> str:
        return "\n".join(self._lines())

    def _repr_html_(self) -> str:
        color = "#1a7f37" if self.passed else "#cf222e"
        rows = "".join(
            f"<tr><td style='text-align:left'>{html.escape(line.strip())}</td></tr>"
            for line in self._lines()[1:]
        )
        title = html.escape(f"gradient check of {self.name} {shape_text(self.shape)}")
        return (
            f"<div class='gradlab-check'><strong>{title}: "
            f"<span style='color:{color}'>{self.verdict}</span></strong>"
            f"<table>{rows}</table></div>"
        )

    def __bool__(self) -> bool:
        return self.passed

    def raise_if_failed(self) -> GradientCheckResult:
        """Raise ``GradientCheckError`` (with the text report) unless the check passed."""
        if not self.passed:
            raise GradientCheckError(str(self))
        return self


def _diagnose(a: np.ndarray, n: np.ndarray) -> list[str]:
    """Name the common mistakes the difference looks like (a hint, not a proof)."""
    hints = []
    na, nn = float(np.linalg.norm(a)), float(np.linalg.norm(n))
    if nn > 0 and na > 0:
        ratio = float(np.vdot(a, n)) / (nn * nn)
        aligned = abs(float(np.vdot(a, n))) / (na * nn) > 1 - 1e-6
        if aligned and ratio < 0:
            hints.append(f"hint: analytic is about {ratio:.3g} x numeric: a sign error?")
        elif aligned and abs(ratio - 1) > 1e-6:
            hints.append(
                f"hint: analytic is about {ratio:.4g} x numeric: a missing or extra factor "
                "(1/N, 2, the regularisation)?"
            )
    if (
        a.ndim == 2
        and a.shape[0] == a.shape[1]
        and np.allclose(a.T, n, rtol=1e-5, atol=1e-8 * (nn + 1e-300))
    ):
        hints.append(
            "hint: analytic equals the numeric gradient transposed: a dropped or extra .T?"
        )
    if na == 0 and nn > 0:
        hints.append("hint: the analytic gradient is all zeros")
    return hints


def _resolution(f_max, h) -> float:
    """The smallest derivative error a central difference resolves: 100 eps max|f| / h."""
    return 100.0 * float(np.finfo(np.float64).eps) * f_max / h


def _judge(a, n, tol, scale, resolution):
    err = np.abs(a - n)
    bound = tol * (np.abs(a) + np.abs(n)) + tol * scale + resolution
    ok = err <= bound
    denom = np.maximum(1e-300, np.abs(a) + np.abs(n))
    rel = np.where(err == 0, 0.0, err / denom)
    return ok, rel


def gradient_check(
    f,
    x,
    grad,
    *,
    mode="full",
    h=1e-5,
    tol=None,
    k=20,
    n_directions=5,
    seed=0,
    name="x",
):
    """Compare an analytic gradient with a numeric one, and say whether it is right.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``, the loss as a function of the parameter (it may read ``x`` from a
        closure: ``x`` is perturbed in place and restored exactly).
    x : ndarray of float64, any shape
        The parameter, at the point where ``grad`` was computed. Left unchanged.
    grad : ndarray, shape ``x.shape``
        The analytic gradient to test. Never broadcast: a wrong shape is a ``ShapeError``.
    mode : {"full", "sparse", "directional"}
        ``"full"``: every entry, ``2 * x.size`` calls of ``f``. ``"sparse"``: ``k`` entries
        drawn at random, ``2k`` calls. ``"directional"``: for ``n_directions`` random unit
        directions ``v``, compare ``<grad, v>`` with ``(f(x + h v) - f(x - h v)) / 2h``,
        two calls each, whatever the size of ``x``; it sees every entry at once.
    h : float, default 1e-5
        Finite-difference step.
    tol : float, optional
        Tolerance; default ``default_tolerance(h)`` (1e-6 at h = 1e-5).
    k : int, default 20
        Entries checked in sparse mode (all of them if ``x`` has fewer).
    n_directions : int, default 5
        Directions in directional mode.
    seed : int, default 0
        Seed for the random entries or directions, so a check is repeatable.
    name : str, default "x"
        What to call the parameter in reports.

    Returns
    -------
    GradientCheckResult
        ``.passed``, ``.max_rel_error``, ``.normwise_rel_error``, ``.tol``, ``.worst_index``;
        prints as text, shows as HTML in a notebook.

    Raises
    ------
    ShapeError
        ``grad`` does not have the shape of ``x``.
    TypeError, ValueError
        Bad ``f``, ``x``, ``h``, ``tol``, ``mode``, ``k`` or ``n_directions`` (the message
        says which and why).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(5, 3)), rng.normal(size=5)
    >>> loss = lambda w: 0.5 * np.mean((X @ w - y) ** 2)
    >>> w = rng.normal(size=3)
    >>> gradient_check(loss, w, X.T @ (X @ w - y) / 5, name="w").passed
    True
    >>> gradient_check(loss, w, X.T @ (X @ w - y), name="w").passed   # forgot 1/N
    False
    """
    h = _check_point(f, x, h)
    if not isinstance(grad, np.ndarray):
        raise TypeError(
            f"grad must be a NumPy array of shape {shape_text(x.shape)}; got {type(grad).__name__}"
        )
    if not np.issubdtype(grad.dtype, np.floating):
        raise TypeError(f"grad must be a floating-point array; got dtype {grad.dtype}")
    require_shape("grad", grad, x.shape, meaning=f"the shape of {name}")
    require_finite("grad", grad)
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(repr(m) for m in MODES)}; got {mode!r}")
    tol = default_tolerance(h) if tol is None else require_positive("tol", tol)
    if not isinstance(name, str):
        raise TypeError(f"name must be a string; got {type(name).__name__}")
    a_full = np.asarray(grad, dtype=np.float64)
    rng = np.random.default_rng(require_seed("seed", seed))

    if mode == "directional":
        n_directions = require_positive_int("n_directions", n_directions)
        analytic = np.empty(n_directions)
        numeric = np.empty(n_directions)
        f_max = 0.0
        for d in range(n_directions):
            v = rng.standard_normal(x.shape)
            v /= max(np.linalg.norm(v), 1e-300)
            analytic[d] = float(np.vdot(a_full, v))
            x0 = x.copy()
            try:
                x += h * v
                f_plus = _scalar_value(f, x)
                x[...] = x0 - h * v
                f_minus = _scalar_value(f, x)
            finally:
                x[...] = x0
            numeric[d] = (f_plus - f_minus) / (2 * h)
            f_max = max(f_max, abs(f_plus), abs(f_minus))
        # |<a, v>| <= ||a|| for a unit v: the floor is tol times that bound.
        scale = max(float(np.linalg.norm(a_full)), float(np.max(np.abs(numeric))))
        resolution = _resolution(f_max, h)
        ok, rel = _judge(analytic, numeric, tol, scale, resolution)
        worst = _worst(ok, rel)
        return _result(
            name,
            mode,
            ok,
            rel,
            analytic,
            numeric,
            (worst,),
            analytic[worst],
            numeric[worst],
            tol,
            h,
            n_directions,
            n_directions,
            2 * n_directions,
            x.shape,
            keep=False,
            resolution=resolution,
            scale=scale,
        )

    if mode == "sparse":
        k = require_positive_int("k", k)
        count = min(k, x.size)
        flat = np.sort(rng.choice(x.size, size=count, replace=False))
        indices = [np.unravel_index(i, x.shape) for i in flat] if x.ndim else [()]
        numeric = np.empty(count)
        f_max = 0.0
        for j, idx in enumerate(indices):
            numeric[j], f_j = _central_difference(f, x, idx, h)
            f_max = max(f_max, f_j)
        resolution = _resolution(f_max, h)
        analytic = np.array([a_full[idx] for idx in indices])
        scale = max(
            float(np.max(np.abs(a_full))) if a_full.size else 0.0, float(np.max(np.abs(numeric)))
        )
        ok, rel = _judge(analytic, numeric, tol, scale, resolution)
        worst = _worst(ok, rel)
        widx = tuple(int(i) for i in indices[worst])
        return _result(
            name,
            mode,
            ok,
            rel,
            analytic,
            numeric,
            widx,
            analytic[worst],
            numeric[worst],
            tol,
            h,
            count,
            x.size,
            2 * count,
            x.shape,
            keep=False,
            resolution=resolution,
            scale=scale,
        )

    numeric_full = np.zeros(x.shape, dtype=np.float64)
    f_max = 0.0
    for idx in np.ndindex(x.shape):
        numeric_full[idx], f_i = _central_difference(f, x, idx, h)
        f_max = max(f_max, f_i)
    resolution = _resolution(f_max, h)
    if x.size == 0:
        return _result(
            name,
            mode,
            np.ones(0, bool),
            np.zeros(0),
            a_full,
            numeric_full,
            (),
            0.0,
            0.0,
            tol,
            h,
            0,
            0,
            0,
            x.shape,
            keep=True,
            resolution=0.0,
            scale=0.0,
        )
    scale = float(max(np.max(np.abs(a_full)), np.max(np.abs(numeric_full))))
    ok, rel = _judge(a_full, numeric_full, tol, scale, resolution)
    worst_flat = _worst(ok.ravel(), rel.ravel())
    widx = tuple(int(i) for i in np.unravel_index(worst_flat, x.shape))
    return _result(
        name,
        mode,
        ok,
        rel,
        a_full,
        numeric_full,
        widx,
        a_full[widx],
        numeric_full[widx],
        tol,
        h,
        x.size,
        x.size,
        2 * x.size,
        x.shape,
        keep=True,
        resolution=resolution,
        scale=scale,
    )


def _worst(ok, rel) -> int:
    """The failing entry with the largest relative error, else the largest relative error."""
    if ok.all():
        return int(np.argmax(rel))
    return int(np.argmax(np.where(ok, -1.0, rel)))


def _result(
    name,
    mode,
    ok,
    rel,
    analytic,
    numeric,
    widx,
    wa,
    wn,
    tol,
    h,
    n_checked,
    n_total,
    n_evals,
    shape,
    keep,
    resolution,
    scale,
):
    diff = float(np.linalg.norm(analytic - numeric))
    denom = float(np.linalg.norm(analytic) + np.linalg.norm(numeric))
    normwise = 0.0 if diff == 0 else diff / max(denom, 1e-300)
    return GradientCheckResult(
        name=name,
        mode=mode,
        passed=bool(np.all(ok)),
        tol=float(tol),
        h=float(h),
        max_rel_error=float(np.max(rel)) if np.size(rel) else 0.0,
        normwise_rel_error=normwise,
        worst_index=tuple(widx),
        worst_analytic=float(wa),
        worst_numeric=float(wn),
        n_checked=int(n_checked),
        n_total=int(n_total),
        n_evaluations=int(n_evals),
        shape=tuple(shape),
        failing=int(np.size(ok) - np.count_nonzero(ok)),
        analytic=np.array(analytic, copy=True) if keep else None,
        numeric=np.array(numeric, copy=True) if keep else None,
        resolution=float(resolution),
        scale=float(scale),
    )


def assert_all_passed(results) -> None:
    """Print one machine-independent line per check, then raise if any failed.

    The chapters' final cells call this, so nbval sees the same text on every machine and
    the cell goes red when a gradient is wrong.

    Parameters
    ----------
    results : iterable of GradientCheckResult

    Raises
    ------
    GradientCheckError
        With the full text report of every failed check.
    """
    if isinstance(results, GradientCheckResult) or not hasattr(results, "__iter__"):
        raise TypeError(
            "results must be a list of GradientCheckResult objects (wrap a single one in a "
            f"list); got {type(results).__name__}"
        )
    results = list(results)
    if not results:
        raise ValueError("results must hold at least one GradientCheckResult; got none")
    for r in results:
        if not isinstance(r, GradientCheckResult):
            raise TypeError(
                f"results must hold GradientCheckResult objects; got {type(r).__name__}"
            )
        print(r.summary())
    failed = [r for r in results if not r.passed]
    if failed:
        raise GradientCheckError("\n\n".join(str(r) for r in failed))
