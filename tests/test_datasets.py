"""gradlab.datasets: shapes, dtypes, seeds, the geometry each set promises, and clear errors."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gradlab.datasets as datasets_module
from gradlab.datasets import blobs, spirals, xor
from gradlab.losses import train_linear_classifier

MAKERS = {"blobs": blobs, "spirals": spirals, "xor": xor}


@pytest.mark.parametrize("name", sorted(MAKERS))
@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 60), seed=st.integers(0, 2**16))
def test_shapes_dtypes_and_labels(name, n, seed):
    X, y = MAKERS[name](n=n, seed=seed)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    k = 2 if name == "xor" else 3
    assert y.min() >= 0 and y.max() < k
    counts = np.bincount(y, minlength=k)
    assert counts.max() - counts.min() <= (2 if name == "xor" else 1), "classes are balanced"
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_seeded(name):
    make = MAKERS[name]
    X1, y1 = make(n=50, seed=3)
    X2, y2 = make(n=50, seed=3)
    X3, _ = make(n=50, seed=4)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_xor_labels_follow_the_signs():
    X, y = xor(n=400, noise=0.1, seed=1)
    assert np.array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    X4, y4 = xor(4, noise=0.0)
    assert X4.tolist() == [[-1, -1], [-1, 1], [1, -1], [1, 1]] and y4.tolist() == [0, 1, 1, 0]


def test_blobs_sit_around_their_centres():
    X, y = blobs(n=3000, k=4, std=0.3, seed=0)
    for c in range(4):
        angle = 2 * np.pi * c / 4
        assert np.allclose(
            X[y == c].mean(axis=0), [2 * np.cos(angle), 2 * np.sin(angle)], atol=0.05
        )
        assert np.allclose(X[y == c].std(axis=0), 0.3, atol=0.03)


def test_spirals_stay_in_the_unit_disc_and_wind():
    X, y = spirals(n=600, k=3, noise=0.0)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius.max() <= 1.0 + 1e-12
    arm = X[y == 0]
    angle = np.unwrap(np.arctan2(arm[1:, 1], arm[1:, 0]))  # skip the centre point
    assert angle[-1] - angle[0] == pytest.approx(2 * np.pi * 0.75, rel=0.02)


def test_a_line_separates_blobs_but_not_spirals_or_xor():
    X, y = blobs(n=300, std=0.5)
    assert train_linear_classifier(X, y, steps=200).accuracy(X, y) > 0.95
    X, y = spirals(n=300)
    assert train_linear_classifier(X, y, steps=200).accuracy(X, y) < 0.6
    X, y = xor(n=200)
    assert train_linear_classifier(X, y, steps=200, n_classes=2).accuracy(X, y) < 0.75


@pytest.mark.parametrize(
    "name, kwargs, error, message",
    [
        ("blobs", {"n": 0}, ValueError, "n must be an integer >= 1; got 0"),
        ("blobs", {"n": 2.5}, TypeError, "n must be an integer >= 1; got float 2.5"),
        ("blobs", {"k": 0}, ValueError, "k must be an integer >= 1; got 0"),
        ("blobs", {"std": -1.0}, ValueError, r"std must be a finite number >= 0; got -1.0"),
        ("spirals", {"noise": float("nan")}, ValueError, "noise must be a finite number >= 0"),
        ("spirals", {"turns": "2"}, TypeError, "turns must be a real number >= 0; got str"),
        ("xor", {"noise": -0.1}, ValueError, "noise must be a finite number >= 0"),
        ("xor", {"seed": None}, TypeError, "seed must be a non-negative integer"),
        ("xor", {"seed": -3}, ValueError, "seed must be a non-negative integer.*got -3"),
        ("xor", {"n": True}, TypeError, "n must be an integer >= 1; got bool"),
    ],
)
def test_bad_arguments(name, kwargs, error, message):
    with pytest.raises(error, match=message):
        MAKERS[name](**kwargs)


def test_docstring_examples_run():
    result = doctest.testmod(datasets_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
