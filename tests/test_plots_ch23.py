"""The pure functions behind chapter 2's widget and chapter 3's heatmap."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gradlab.check import numerical_jacobian  # noqa: E402
from gradlab.plots import (  # noqa: E402
    TRICK_PROBLEMS,
    jacobian_sparsity,
    plot_jacobian_sparsity,
    trick_report,
)
from gradlab.widgets import dimension_matching_widget  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


class TestTrickReport:
    @pytest.mark.parametrize(
        "problem, truth",
        [
            ("layer-dW", "X.T @ G"),
            ("layer-db", "ones.T @ G"),
            ("layer-dX", "G @ W.T"),
            ("regression", "1/N * X.T @ r"),
        ],
    )
    def test_distinct_sizes_leave_one_arrangement_and_it_is_right(self, problem, truth):
        report = trick_report(problem, N=5, D=3, K=2)
        assert report.arrangements == [truth]
        assert report.right == [truth]
        assert (
            report.target
            == {"layer-dW": (3, 2), "layer-db": (1, 2), "layer-dX": (5, 3), "regression": (3, 1)}[
                problem
            ]
        )

    def test_square_sizes_let_twelve_fit_and_one_pass(self):
        report = trick_report("layer-dW", N=3, D=3, K=3)
        assert len(report.arrangements) == 12
        assert report.right == ["X.T @ G"]
        assert report.headline().startswith(
            "12 arrangements fit the shape (3, 3); 1 of them passes"
        )

    def test_quadratic_the_truth_is_not_an_arrangement(self):
        report = trick_report("quadratic", D=4)
        assert report.arrangements == ["2 * A @ x", "2 * A.T @ x"]
        assert report.right == ["(A + A.T) @ x"]
        assert "0 of them pass" in report.headline()
        assert "is not an arrangement at all" in report.headline()

    def test_text_and_html(self):
        report = trick_report("layer-db", N=4, D=3, K=2)
        assert TRICK_PROBLEMS["layer-db"] in str(report)
        html = report._repr_html_()
        assert "<table" in html and "ones.T @ G" in html and "PASS" in html

    def test_bad_arguments(self):
        with pytest.raises(ValueError, match="problem must be one of 'layer-dW'.*got 'svm'"):
            trick_report("svm")
        with pytest.raises(ValueError, match="N must be a positive integer; got 0"):
            trick_report("layer-dW", N=0)
        with pytest.raises(TypeError, match="K must be a positive integer; got float"):
            trick_report("layer-dW", K=2.0)


class TestDimensionMatchingWidget:
    def test_redraws_when_a_control_changes(self):
        box = dimension_matching_widget("layer-dW", N=4, D=3, K=2)
        choose, sliders, report = box.children
        assert "1 arrangement fit" in report.value
        sliders.children[1].value = 4  # D = N = 4: X @ G fits too
        assert "2 arrangements fit the shape (4, 2)" in report.value
        choose.value = "quadratic"
        assert "(A + A.T) @ x" in report.value

    def test_validates_before_drawing(self):
        with pytest.raises(ValueError, match="problem must be one of"):
            dimension_matching_widget("nope")


class TestJacobianSparsity:
    @pytest.mark.parametrize("m, n", [(1, 1), (3, 2), (4, 5)])
    @pytest.mark.parametrize("order", ["F", "C"])
    def test_pattern_is_where_the_numeric_jacobian_is_non_zero(self, m, n, order):
        rng = np.random.default_rng(m * 10 + n)
        W, x = rng.standard_normal((m, n)), rng.uniform(0.5, 2.0, n)  # x has no zero entry
        numeric = numerical_jacobian(lambda M: M @ x, W, order=order)
        info = jacobian_sparsity(m, n, order)
        assert np.array_equal(info["pattern"], np.abs(numeric) > 1e-8)

    def test_counts_and_bytes(self):
        info = jacobian_sparsity(4, 5)
        assert info["nonzeros"] == 20 and info["entries"] == 80
        assert info["fraction"] == pytest.approx(1 / 4)
        assert info["jacobian_bytes"] == 8 * 80 and info["weight_bytes"] == 8 * 20

    def test_bad_sizes(self):
        with pytest.raises(ValueError, match="m must be a positive integer; got 0"):
            jacobian_sparsity(0, 2)
        with pytest.raises(ValueError, match='order must be "F"'):
            jacobian_sparsity(2, 2, order="A")
        with pytest.raises(
            ValueError, match=r"has m\*m\*n = 1000000000 entries, too many.*1000000 non-zeros"
        ):
            jacobian_sparsity(1000, 1000)


class TestPlotJacobianSparsity:
    def test_image_is_the_pattern_and_title_counts(self):
        fig = plot_jacobian_sparsity(3, 2, order="F")
        ax = fig.axes[0]
        assert np.array_equal(ax.images[0].get_array(), jacobian_sparsity(3, 2)["pattern"])
        assert "(3 x 6): 6 of 18 entries non-zero" in ax.get_title()
        assert "vec(W)" in ax.get_xlabel()

    @pytest.mark.parametrize(
        "order, first_labels", [("F", ["W11", "W21", "W31"]), ("C", ["W11", "W12", "W21"])]
    )
    def test_column_labels_follow_the_flattening_order(self, order, first_labels):
        fig = plot_jacobian_sparsity(3, 2, order=order)
        labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
        assert labels[:3] == first_labels and len(labels) == 6

    def test_large_sizes_drop_the_labels(self):
        fig = plot_jacobian_sparsity(6, 6)
        assert len(fig.axes[0].get_xticks()) == 0
