"""Small generated data sets for the chapters: blobs, spirals and XOR. Seeded; no downloads.

Each function returns ``(X, y)``: ``X`` a float64 array of shape (n, 2), one point per row
(the course's row-batch layout), and ``y`` an int64 array of shape (n,) with the class of
each point in ``[0, k)``. The same arguments give the same arrays on every machine.

Arguments are checked: a count that is not an integer (``n=2.5``, ``n=True``) or a seed that
is not one (``seed=None``) is a ``TypeError``; ``n=0``, ``k=0``, a negative seed, a negative or
non-finite spread is a ``ValueError``. Each message names the argument and what it got.

Chapter 5 trains linear classifiers on blobs (separable by lines) and spirals (not);
chapter 6 trains a small MLP on XOR.
"""

from __future__ import annotations

import numbers

import numpy as np

from gradlab._validate import require_seed

__all__ = ["blobs", "spirals", "xor"]


def _count(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer >= {minimum}; got {type(value).__name__} {value!r}"
        )
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    return int(value)


def _spread(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number >= 0; got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
    return value


def _generator(seed) -> np.random.Generator:
    """The data sets are always seeded: None (fresh entropy) is refused like any non-integer."""
    return np.random.default_rng(require_seed("seed", seed))


def _classes_in_turn(n: int, k: int) -> np.ndarray:
    """Labels 0, 1, ..., k-1, 0, 1, ...: classes as balanced as n allows."""
    return np.arange(n, dtype=np.int64) % k


def blobs(n=300, k=3, std=0.5, seed=0):
    """``k`` round Gaussian clouds whose centres sit on a circle of radius 2.

    A linear classifier separates them well when ``std`` is small: the easy case.

    Parameters
    ----------
    n : int, default 300
        Number of points (>= 1); classes take turns, so their sizes differ by at most one.
    k : int, default 3
        Number of classes (>= 1).
    std : float, default 0.5
        Standard deviation of each cloud (>= 0).
    seed : int, default 0

    Returns
    -------
    X : ndarray of float64, shape (n, 2)
    y : ndarray of int64, shape (n,)

    Examples
    --------
    >>> X, y = blobs(n=6, k=3, std=0.0)
    >>> X.shape, y.tolist()
    ((6, 2), [0, 1, 2, 0, 1, 2])
    >>> bool(np.allclose(X[0], [2.0, 0.0]))
    True
    """
    n = _count("n", n, 1)
    k = _count("k", k, 1)
    std = _spread("std", std)
    rng = _generator(seed)
    y = _classes_in_turn(n, k)
    angles = 2 * np.pi * np.arange(k) / k
    centres = 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    X = centres[y] + std * rng.standard_normal((n, 2))
    return X, y


def spirals(n=300, k=3, noise=0.2, turns=0.75, seed=0):
    """``k`` interleaved spiral arms, one per class: no straight line separates them.

    Arm ``c`` is the curve ``r (cos(a), sin(a))`` for ``r`` in [0, 1] and
    ``a = 2 pi (c / k + turns * r)``, with Gaussian noise of std ``noise`` added to the angle.

    Parameters
    ----------
    n : int, default 300
        Number of points (>= 1).
    k : int, default 3
        Number of arms (classes, >= 1).
    noise : float, default 0.2
        Standard deviation of the angle noise, in radians (>= 0).
    turns : float, default 0.75
        How many turns each arm makes (>= 0).
    seed : int, default 0

    Returns
    -------
    X : ndarray of float64, shape (n, 2), inside the unit disc
    y : ndarray of int64, shape (n,)

    Examples
    --------
    >>> X, y = spirals(n=300, k=3)
    >>> X.shape, bool(np.all(np.hypot(X[:, 0], X[:, 1]) <= 1.0))
    ((300, 2), True)
    """
    n = _count("n", n, 1)
    k = _count("k", k, 1)
    noise = _spread("noise", noise)
    turns = _spread("turns", turns)
    rng = _generator(seed)
    y = _classes_in_turn(n, k)
    # The radius of each point walks evenly from 0 to 1 along its own arm.
    position = np.arange(n) // k
    per_arm = np.bincount(y, minlength=k)
    radius = position / np.maximum(per_arm[y] - 1, 1)
    angle = 2 * np.pi * (y / k + turns * radius) + noise * rng.standard_normal(n)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return X, y


def xor(n=200, noise=0.1, seed=0):
    """The XOR problem: points near the four corners (+-1, +-1), labelled 1 where the signs differ.

    Corner ``i % 4`` for point ``i``, in the order (-1, -1), (-1, 1), (1, -1), (1, 1), so their
    labels are 0, 1, 1, 0; then Gaussian noise of std ``noise``. ``xor(4, noise=0)`` is the
    classic four-point table. No line separates the classes: chapter 6's MLP needs a hidden
    layer for it.

    Parameters
    ----------
    n : int, default 200
        Number of points (>= 1).
    noise : float, default 0.1
        Standard deviation of the noise around each corner (>= 0).
    seed : int, default 0

    Returns
    -------
    X : ndarray of float64, shape (n, 2)
    y : ndarray of int64, shape (n,), values 0 and 1

    Examples
    --------
    >>> X, y = xor(4, noise=0.0)
    >>> X.tolist(), y.tolist()
    ([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    n = _count("n", n, 1)
    noise = _spread("noise", noise)
    rng = _generator(seed)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    which = np.arange(n) % 4
    y = np.array([0, 1, 1, 0], dtype=np.int64)[which]
    X = corners[which] + noise * rng.standard_normal((n, 2))
    return X, y
