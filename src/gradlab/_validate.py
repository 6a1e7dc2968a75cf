"""Argument checks shared by every gradlab module.

Each check raises an error that names the argument, what was expected and what was given:
shape mistakes are the subject of this course, so the errors are written to teach.
"""

from __future__ import annotations

import difflib
import numbers

import numpy as np

from gradlab.shapes import ShapeError, describe_mismatch


def shape_text(shape) -> str:
    """``(3, 2)`` for a shape; ``None`` entries print as ``any``."""
    inner = ", ".join("any" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def require_callable(name: str, f) -> None:
    if not callable(f):
        raise TypeError(f"{name} must be a callable (a function); got {type(f).__name__}")


def choice_hint(value: str, choices) -> str:
    """`` (did you mean 'sigmoid'? ...)`` for a wrong case or a close typo, else ``""``."""
    same_case = [c for c in choices if c.lower() == value.strip().lower()]
    if same_case:
        return f" (did you mean {same_case[0]!r}? names are lower case)"
    near = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.8)
    return f" (did you mean {near[0]!r}?)" if near else ""


def require_choice(name: str, value, choices) -> str:
    """One of the strings ``choices``, else an error that lists them and suggests the nearest.

    A wrong case (``"Sigmoid"``) or a typo (``"softmx"``) gets a "did you mean" hint; a value
    that is not a string at all is a ``TypeError`` (it could never match).
    """
    choices = tuple(choices)
    listed = ", ".join(repr(c) for c in choices)
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be one of {listed} (a string); got {type(value).__name__} {value!r}"
        )
    if value not in choices:
        raise ValueError(
            f"{name} must be one of {listed}; got {value!r}{choice_hint(value, choices)}"
        )
    return value


def require_seed(name: str, seed) -> int:
    """A seed for ``np.random.default_rng``: an integer >= 0 (not a bool)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"{name} must be a non-negative integer (a random seed); got {type(seed).__name__} {seed!r}"
        )
    if seed < 0:
        raise ValueError(f"{name} must be a non-negative integer (a random seed); got {seed}")
    return int(seed)


def require_real(name: str, x):
    """Real numbers (an ndarray, a list or a scalar of ints or floats; not bool, complex or objects).

    Returns ``np.asarray(x)``; an error names the dtype that was given.
    """
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as err:  # ragged lists
        raise TypeError(
            f"{name} must be an array of real numbers; got {type(x).__name__} ({err})"
        ) from None
    if arr.dtype == bool or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise TypeError(
            f"{name} must hold real numbers (float or int); got dtype {arr.dtype}. "
            f"Convert it with np.asarray({name}, dtype=np.float64)."
        )
    return arr


def require_positive(name: str, value) -> float:
    """A finite real number > 0, returned as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive real number; got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value!r}")
    return value


def require_positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer; got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value}")
    return int(value)


def require_array(name: str, x) -> np.ndarray:
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"{name} must be a NumPy array; got {type(x).__name__}. "
            f"Wrap it with np.asarray({name}, dtype=np.float64)."
        )
    return x


def require_float64(name: str, x, *, why: str = "") -> np.ndarray:
    """An ndarray of dtype float64, else a TypeError that says how to convert it."""
    require_array(name, x)
    if x.dtype != np.float64:
        reason = f" ({why})" if why else ""
        raise TypeError(
            f"{name} must be a float64 array{reason}; got dtype {x.dtype}. "
            f"Convert it with {name}.astype(np.float64)."
        )
    return x


def require_float(name: str, x) -> np.ndarray:
    """An ndarray of a floating dtype (float32 or float64)."""
    require_array(name, x)
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"{name} must be a floating-point array (float64 or float32); got dtype {x.dtype}. "
            f"Convert it with {name}.astype(np.float64)."
        )
    return x


def require_finite(name: str, x: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(x)):
        bad = np.argwhere(~np.isfinite(np.atleast_1d(x)))
        where = tuple(int(i) for i in bad[0])
        raise ValueError(
            f"{name} must be finite; it holds {len(bad)} NaN or inf value(s), "
            f"the first at index {where if x.ndim else ()}"
        )
    return x


def require_ndim(name: str, x: np.ndarray, ndim: int, meaning: str = "") -> np.ndarray:
    if x.ndim != ndim:
        extra = f" ({meaning})" if meaning else ""
        hint = ""
        if x.ndim == 1 and ndim == 2:
            hint = f"; a 1-D array of length {x.shape[0]} is not a matrix: reshape it to (1, n) or (n, 1)"
        raise ShapeError(
            f"{name} must be a {ndim}-D array{extra}; got {x.ndim}-D with shape {shape_text(x.shape)}{hint}"
        )
    return x


def require_shape(name: str, x: np.ndarray, expected: tuple, meaning: str = "") -> np.ndarray:
    """Exact shape, ``None`` meaning any size; the message says which dimensions disagree."""
    expected = tuple(expected)
    if len(x.shape) != len(expected) or any(
        e is not None and e != g for e, g in zip(expected, x.shape, strict=False)
    ):
        extra = f" ({meaning})" if meaning else ""
        raise ShapeError(
            f"{name} must have shape {shape_text(expected)}{extra}; got {shape_text(x.shape)}: "
            f"{describe_mismatch(expected, x.shape)}"
        )
    return x


def require_nonempty(name: str, x: np.ndarray, axis: int = 0, what: str = "rows") -> np.ndarray:
    if x.ndim == 0 or x.shape[axis] == 0:
        raise ValueError(
            f"{name} must hold at least one of its {what}; got shape {shape_text(x.shape)}"
        )
    return x


def require_labels(name: str, y, n: int, k: int) -> np.ndarray:
    """Integer class labels: a 1-D array of length ``n`` with values in [0, k)."""
    require_array(name, y)
    if y.dtype == bool or not np.issubdtype(y.dtype, np.integer):
        if (
            np.issubdtype(y.dtype, np.floating)
            and np.all(np.isfinite(y))
            and np.all(y == np.round(y))
        ):
            hint = f" Its values are whole numbers: use {name}.astype(int)."
        else:
            hint = ""
        raise ValueError(f"{name} must hold integer class labels; got dtype {y.dtype}.{hint}")
    if y.ndim != 1:
        raise ShapeError(
            f"{name} must be a 1-D array of {n} labels, one per row of X; got shape {shape_text(y.shape)}"
        )
    if y.shape[0] != n:
        raise ShapeError(
            f"{name} must hold one label per row of X: expected {n} labels, got {y.shape[0]}"
        )
    if n and (y.min() < 0 or y.max() >= k):
        bad = y[(y < 0) | (y >= k)]
        raise ValueError(
            f"{name} must hold labels in [0, {k}) for {k} classes; got {int(bad[0])} "
            f"({len(bad)} label(s) out of range)"
        )
    return y
