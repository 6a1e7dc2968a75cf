"""Chapter 6's plot, data and widget functions (gradlab.plots / gradlab.widgets, chapter 6)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gradlab.datasets import xor  # noqa: E402
from gradlab.mlp import MLP  # noqa: E402
from gradlab.plots import (  # noqa: E402
    decision_scores,
    fit_loglog_slope,
    measure_route_costs,
    mlp_cache_bytes,
    plot_cache_bytes,
    plot_decision_boundary,
    plot_jacobian_structure,
    plot_route_costs,
    plot_xor_run,
    route_cost_slopes,
    train_xor_run,
)
from gradlab.vec import jacobian_xw_wrt_x  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


class TestCacheBytes:
    def test_measured_bytes_follow_the_formula(self):
        data = mlp_cache_bytes([1, 2, 4], [3, 10], n_in=5, width=7, n_out=2, dtype="float32")
        for i, depth in enumerate(data["depths"]):
            for j, n in enumerate(data["batches"]):
                widths = 5 + 7 * (depth - 1) + 2
                assert data["bytes"][i, j] == 4 * n * widths

    def test_plot_draws_one_line_per_batch_and_per_depth(self):
        data = mlp_cache_bytes([1, 3], [2, 4, 8], n_in=4, width=4, n_out=2)
        fig = plot_cache_bytes(data)
        by_depth, by_batch = fig.axes[:2]
        assert len(by_depth.lines) == 3 and len(by_batch.lines) == 2
        np.testing.assert_allclose(by_depth.lines[0].get_ydata(), data["bytes"][:, 0] / 2**20)

    def test_bad_sizes(self):
        with pytest.raises(ValueError, match="depths\\[i\\] must be a positive integer; got 0"):
            mlp_cache_bytes([0], [4])


class TestJacobianHeatmap:
    def test_shows_the_matrix_with_zeros_blank_and_kron_blocks(self):
        W = np.arange(1.0, 7.0).reshape(2, 3)
        J = jacobian_xw_wrt_x(W, 4)  # W^T kron I_4: 12 x 8, blocks of 4 x 4
        fig = plot_jacobian_structure(J, block_rows=4, block_cols=4, title="W^T kron I")
        ax = fig.axes[0]
        shown = ax.images[0].get_array()
        np.testing.assert_array_equal(shown.data[~shown.mask], J[J != 0])
        assert shown.mask.sum() == np.count_nonzero(J == 0)
        assert len(ax.lines) == 2 + 1  # two horizontal edges (at 4, 8), one vertical (at 4)
        assert ax.get_title() == "W^T kron I"

    def test_refuses_a_vector(self):
        with pytest.raises(Exception, match="J must be a 2-D array"):
            plot_jacobian_structure(np.ones(3))


class TestRouteCosts:
    def test_fit_recovers_a_power_law(self):
        x = np.array([2.0, 4.0, 8.0, 16.0])
        assert fit_loglog_slope(x, 5 * x**3) == pytest.approx(3.0)
        assert fit_loglog_slope(x, 7 * x**0.5) == pytest.approx(0.5)
        with pytest.raises(ValueError, match="must be positive"):
            fit_loglog_slope([1, 2], [0, 1])
        with pytest.raises(ValueError, match="same length >= 2"):
            fit_loglog_slope([1], [1])

    def test_slopes_of_every_curve(self):
        x = np.array([1.0, 2.0, 4.0])
        sweep = {
            "x": x,
            "kron_seconds": x**3,
            "backprop_seconds": x,
            "kron_bytes": x**2,
            "backprop_bytes": 3 * x,
            "fixed": 4,
        }
        slopes = route_cost_slopes({"batch": sweep, "width": sweep})
        assert slopes["batch"] == pytest.approx(
            {"kron_seconds": 3, "backprop_seconds": 1, "kron_bytes": 2, "backprop_bytes": 1}
        )
        fig = plot_route_costs({"batch": sweep, "width": sweep})
        legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert legend == ["Kronecker route: slope 3.0", "backprop: slope 1.0"]

    def test_measures_both_routes_and_the_kron_route_holds_its_diagonals(self):
        costs = measure_route_costs(
            batches=(4, 8), widths=(2, 4), width_for_batches=3, batch_for_widths=4, repeats=1
        )
        for sweep, fixed in (("batch", 3), ("width", 4)):
            data = costs[sweep]
            assert data["fixed"] == fixed
            assert np.all(data["kron_seconds"] > 0) and np.all(data["backprop_seconds"] > 0)
        # The route builds diag(vec sigma'(S1)), (N H) x (N H) float64, so its peak is at least that.
        n, h = costs["batch"]["x"], 3
        assert np.all(costs["batch"]["kron_bytes"] >= 8 * (n * h) ** 2)
        assert np.all(costs["batch"]["kron_bytes"] > costs["batch"]["backprop_bytes"])


class TestXor:
    def test_data_labels_follow_the_quadrants(self):
        X, y = xor(n=40, noise=0.05, seed=1)
        assert X.shape == (40, 2) and y.dtype.kind == "i"
        assert np.array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
        assert y.sum() == 20

    def test_training_run_is_pure_and_learns(self):
        a = train_xor_run(width=4, activation="tanh", lr=0.5, steps=200)
        b = train_xor_run(width=4, activation="tanh", lr=0.5, steps=200)
        assert np.array_equal(a["losses"], b["losses"])
        assert a["accuracy"] == 1.0 and not a["diverged"]
        assert a["losses"][-1] < a["losses"][0] / 10
        assert a["net"].sizes == (2, 4, 2)

    def test_scores_are_the_networks_on_the_grid(self):
        run = train_xor_run(width=3, activation="relu", lr=0.5, steps=50)
        xs, ys, scores = decision_scores(run["net"], run["X"], resolution=7)
        assert scores.shape == (7, 7)
        point = np.array([[xs[2], ys[5]]])
        assert scores[5, 2] == pytest.approx(run["net"].predict_proba(point)[0, 1])
        mse_net = MLP([2, 3, 1])
        _, _, mse_scores = decision_scores(mse_net, run["X"], resolution=5)
        assert mse_scores.shape == (5, 5)

    def test_scores_need_a_binary_two_input_network(self):
        X = np.zeros((3, 2))
        with pytest.raises(ValueError, match="net must take two inputs"):
            decision_scores(MLP([3, 2], loss="softmax"), X)
        with pytest.raises(ValueError, match="binary classifier.*3 softmax outputs"):
            decision_scores(MLP([2, 3], loss="softmax"), X)

    def test_figures(self):
        run = train_xor_run(width=2, activation="sigmoid", lr=1.0, steps=20)
        fig = plot_xor_run(run)
        assert "accuracy" in fig.axes[0].get_title()
        np.testing.assert_allclose(fig.axes[1].lines[0].get_ydata(), run["losses"])
        diverged = dict(run, diverged=True, losses=np.array([]))
        text = [t.get_text() for t in plot_xor_run(diverged).axes[0].texts]
        assert text == ["training diverged:\nlower the learning rate"]
        fig = plot_decision_boundary(run["net"], run["X"], run["y"], resolution=20)
        assert len(fig.axes[0].collections) >= 2


class TestWidget:
    def test_controls_retrain_through_the_pure_function(self):
        import ipywidgets

        from gradlab.widgets import xor_training_widget

        w = xor_training_widget(width=3, activation="tanh", lr=0.5, steps=30)
        assert isinstance(w, ipywidgets.VBox)
        controls = {c.description: c for c in w.children[0].children}
        assert set(controls) == {"hidden width", "activation", "learning rate"}
        expected = train_xor_run(width=3, activation="tanh", lr=0.5, steps=30)
        np.testing.assert_array_equal(w.result["losses"], expected["losses"])
        picture = w.children[1]
        assert len(picture.outputs) == 1 and "image/png" in picture.outputs[0]["data"]
        controls["hidden width"].value = 5
        controls["activation"].value = "relu"
        assert w.result["net"].sizes == (2, 5, 2) and w.result["activation"] == "relu"
        assert len(picture.outputs) == 1, "each run replaces the picture"
