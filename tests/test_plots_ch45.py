"""The pure functions behind chapter 4's and chapter 5's figures and widget."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gradlab.datasets import blobs  # noqa: E402
from gradlab.losses import LinearClassifier, train_linear_classifier  # noqa: E402
from gradlab.plots import (  # noqa: E402
    decision_grid,
    decision_regions_figure,
    kink_derivatives,
    regularisation_regions_figure,
    relu_kink_figure,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


class TestKink:
    def test_away_from_the_kink_the_difference_is_the_derivative(self):
        x = np.array([-2.0, -0.3, 0.3, 2.0])
        d = kink_derivatives(x, h=0.25)
        assert np.array_equal(d["central_difference"], d["derivative"])
        assert np.array_equal(d["value"], np.maximum(x, 0))

    @pytest.mark.parametrize("h", [1e-6, 1e-3, 0.5])
    def test_at_the_kink_it_reports_one_half_whatever_h(self, h):
        d = kink_derivatives(np.array([0.0]), h=h)
        assert d["central_difference"][0] == pytest.approx(0.5)
        assert d["derivative"][0] == 0.0, "the course's convention: ReLU'(0) = 0"

    def test_inside_the_band_it_ramps(self):
        h = 0.5
        x = np.array([-0.25, 0.25])
        assert np.allclose(kink_derivatives(x, h)["central_difference"], (x + h) / (2 * h))

    def test_bad_arguments(self):
        with pytest.raises(ValueError, match="h must be a finite number > 0; got 0"):
            kink_derivatives([0.0], h=0)
        with pytest.raises(ValueError, match="x must be finite"):
            kink_derivatives([np.nan])

    def test_figure_draws_the_difference_it_computes(self):
        fig = relu_kink_figure(h=0.25)
        assert len(fig.axes) == 2
        right = fig.axes[1]
        labels = [line.get_label() for line in right.get_lines()]
        assert "central difference, h = 0.25" in labels
        marker = next(
            ln for ln in right.get_lines() if ln.get_label() == "at the kink it reports 0.5"
        )
        assert marker.get_ydata()[0] == 0.5


class TestDecisionRegions:
    def test_grid_labels_are_the_model_predictions(self):
        W = np.array([[1.0, -1.0], [0.0, 0.0]])
        model = LinearClassifier(W, np.zeros((1, 2)), np.zeros(1))
        X = np.array([[-1.0, -1.0], [1.0, 1.0]])
        xx, yy, labels = decision_grid(model, X, n=5, pad=0.0)
        assert xx.shape == yy.shape == labels.shape == (5, 5)
        assert np.array_equal(labels, np.where(xx >= 0, 0, 1))  # a tie goes to class 0 (argmax)

    def test_bad_grid_arguments(self):
        model = LinearClassifier(np.zeros((2, 2)), np.zeros((1, 2)), np.zeros(1))
        from gradlab.shapes import ShapeError

        with pytest.raises(ShapeError, match=r"X must have shape \(any, 2\)"):
            decision_grid(model, np.zeros((3, 3)))
        with pytest.raises(ValueError, match="n must be an integer >= 2"):
            decision_grid(model, np.zeros((3, 2)), n=1)

    def test_regions_figure_one_panel_per_model(self):
        X, y = blobs(n=60)
        models = {
            name: train_linear_classifier(X, y, loss=name, steps=20) for name in ("svm", "softmax")
        }
        fig = decision_regions_figure(models, X, y, n=20)
        assert len(fig.axes) == 2
        assert fig.axes[0].get_title().startswith("svm\ntraining accuracy")
        with pytest.raises(ValueError, match="models must hold at least one"):
            decision_regions_figure({}, X, y)

    def test_regularisation_figure_reports_the_weight_norm(self):
        X, y = blobs(n=60)
        small = regularisation_regions_figure(X, y, loss="softmax", reg=1e-4, steps=50, n=20)
        large = regularisation_regions_figure(X, y, loss="softmax", reg=1.0, steps=50, n=20)

        def norm(fig):
            return float(fig.axes[0].get_title().split("||W|| = ")[1].split("\n")[0])

        assert norm(large) < norm(small)
        assert len(small.axes[1].get_lines()[0].get_ydata()) == 50

    def test_widget_builds_on_the_pure_function(self):
        from gradlab.widgets import linear_classifier_widget

        X, y = blobs(n=40)
        w = linear_classifier_widget(X, y, steps=10)
        names = {child.description for child in w.children if hasattr(child, "description")}
        assert {"loss", "log10 reg", "margin"} <= names
