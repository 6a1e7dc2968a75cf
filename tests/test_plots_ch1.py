"""Chapter 1's pure functions behind the finite-difference plot and widget (gradlab.plots)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gradlab.check import gradient_check  # noqa: E402
from gradlab.plots import (  # noqa: E402
    DIFFERENCE_EXAMPLES,
    difference_error_figure,
    difference_errors,
    difference_slopes,
    loglog_slope,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def exp_errors(x0=1.0, **kwargs):
    return difference_errors(np.exp, np.exp, x0, **kwargs)


class TestDifferenceErrors:
    def test_errors_are_relative_to_the_exact_derivative(self):
        # f(x) = x^2 at 3: forward gives 6 + h exactly, central gives 6 (no truncation error).
        data = difference_errors(lambda x: x * x, lambda x: 2 * x, 3.0, steps=[0.5, 0.25])
        assert np.allclose(data["forward"], [0.5 / 6, 0.25 / 6])
        assert np.allclose(data["central"], 0.0, atol=1e-15)
        assert data["exact"] == 6.0 and data["x0"] == 3.0

    def test_forward_is_first_order_and_central_second_order(self):
        data = exp_errors(steps=[1e-2, 1e-3])
        assert 8 < data["forward"][0] / data["forward"][1] < 12
        assert 80 < data["central"][0] / data["central"][1] < 120

    @settings(max_examples=25, deadline=None)
    @given(x0=st.floats(-2.0, 2.0), scale=st.floats(0.5, 3.0))
    def test_measured_orders_at_random_points(self, x0, scale):
        # f(x) = exp(scale * x): the fitted slopes are the orders 1 and 2, and -1 where
        # rounding dominates.
        data = difference_errors(
            lambda x: np.exp(scale * x), lambda x: scale * np.exp(scale * x), x0
        )
        slopes = difference_slopes(data)
        assert abs(slopes["forward"] - 1) < 0.1
        assert abs(slopes["central"] - 2) < 0.15
        assert slopes["rounding_forward"] < -0.5
        assert slopes["rounding_central"] < -0.5

    def test_rounding_makes_tiny_steps_worse(self):
        data = exp_errors()

        def at(step):
            return int(np.argmin(np.abs(np.log10(data["h"] / step))))

        assert data["central"][at(1e-12)] > 100 * data["central"][at(1e-5)]
        assert data["forward"][at(1e-12)] > 10 * data["forward"][at(1e-8)]

    def test_central_beats_forward_at_their_best_steps(self):
        data = exp_errors()
        assert data["central"].min() < 1e-10 < 1e-9 < data["forward"].min()

    def test_float32_cannot_get_close(self):
        f64, f32 = exp_errors(), exp_errors(dtype="float32")
        assert f32["dtype"] == "float32" and f32["eps"] == float(np.finfo(np.float32).eps)
        assert f32["central"].min() > 1e-7 > 1e-10 > f64["central"].min()

    def test_a_wrong_exact_derivative_shows_at_every_step(self):
        data = difference_errors(np.exp, lambda x: 2 * np.exp(x), 1.0)
        assert np.all(data["central"] > 0.4)

    def test_steps_default_and_are_not_modified(self):
        steps = np.array([1e-3, 1e-2])
        before = steps.copy()
        exp_errors(steps=steps)
        assert np.array_equal(steps, before)
        assert np.allclose(exp_errors()["h"], np.logspace(-13, -1, 49))

    @pytest.mark.parametrize(
        ("kwargs", "error", "words"),
        [
            ({"f": 3.0}, TypeError, "f must be a callable"),
            ({"dfdx": None}, TypeError, "dfdx must be a callable"),
            ({"x0": float("nan")}, ValueError, "x0 must be finite; got nan"),
            ({"x0": "1"}, TypeError, "x0 must be a real number; got str"),
            ({"x0": True}, TypeError, "x0 must be a real number; got bool"),
            (
                {"dtype": "float16"},
                TypeError,
                'dtype must be "float64" or "float32"; got \'float16\'',
            ),
            ({"dtype": "complex"}, TypeError, "dtype must be"),
            ({"steps": []}, ValueError, "steps must be a non-empty 1-D array"),
            ({"steps": [[1e-3]]}, ValueError, "got shape (1, 1)"),
            ({"steps": [1e-3, -1e-3]}, ValueError, "steps must all be finite and > 0"),
            ({"dfdx": lambda x: 0.0}, ValueError, "dfdx(x0) must be finite and nonzero"),
        ],
    )
    def test_bad_input_is_refused_clearly(self, kwargs, error, words):
        args = {"f": np.exp, "dfdx": np.exp, "x0": 1.0} | kwargs
        with pytest.raises(error) as info:
            difference_errors(**args)
        assert words in str(info.value)


class TestExamples:
    @pytest.mark.parametrize("name", list(DIFFERENCE_EXAMPLES))
    def test_each_derivative_is_right(self, name):
        f, dfdx, x0 = DIFFERENCE_EXAMPLES[name]
        x = np.array(x0)
        result = gradient_check(lambda v: f(v), x, np.array(dfdx(x0)), h=1e-3, name=name)
        assert result.passed, str(result)

    @pytest.mark.parametrize("name", list(DIFFERENCE_EXAMPLES))
    def test_each_keeps_float32(self, name):
        f, dfdx, x0 = DIFFERENCE_EXAMPLES[name]
        assert f(np.float32(x0)).dtype == np.float32

    def test_large_value_breaks_the_default_step(self):
        f, dfdx, x0 = DIFFERENCE_EXAMPLES["1e8 + sin(x) at x = 1 (large value)"]
        data = difference_errors(f, dfdx, x0, steps=[1e-5, 4e-3])
        assert data["central"][0] > 1e-4 > 1e-5 > data["central"][1]


class TestLoglogSlope:
    @settings(max_examples=25, deadline=None)
    @given(p=st.floats(-2.0, 3.0), c=st.floats(1e-3, 1e3))
    def test_recovers_a_power_law(self, p, c):
        h = np.logspace(-6, -1, 11)
        assert abs(loglog_slope(h, c * h**p, 1e-6, 1e-1) - p) < 1e-8

    def test_fits_only_inside_the_window_and_skips_zeros(self):
        h = np.logspace(-8, 0, 9)
        err = np.where(h < 1e-4, 1e-12 / h, h**2)
        err[-1] = 0.0
        assert loglog_slope(h, err, 1e-4, 1.0) == pytest.approx(2.0)
        assert loglog_slope(h, err, 1e-8, 1e-5) == pytest.approx(-1.0)

    def test_too_few_points_give_nan(self):
        h = np.logspace(-3, -1, 3)
        assert np.isnan(loglog_slope(h, h, 1e-2, 1e-1))

    @pytest.mark.parametrize(
        ("args", "error", "words"),
        [
            (([1.0, 2.0], [1.0], 0.1, 1.0), ValueError, "shapes (2,) and (1,)"),
            (([1.0], [1.0], 1.0, 0.1), ValueError, "h_min must be below h_max"),
            (([1.0], [1.0], -1.0, 0.1), ValueError, "h_min must be a finite number > 0"),
        ],
    )
    def test_bad_input(self, args, error, words):
        with pytest.raises(error) as info:
            loglog_slope(*args)
        assert words in str(info.value)


class TestFigure:
    def test_two_log_log_curves_and_a_marker(self):
        data = exp_errors(label="exp")
        fig = difference_error_figure(data, h=1e-5)
        ax = fig.axes[0]
        assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
        lines = {line.get_label(): line for line in ax.get_lines()}
        assert np.array_equal(lines["forward difference"].get_ydata(), data["forward"])
        assert np.array_equal(lines["central difference"].get_ydata(), data["central"])
        assert any(np.allclose(line.get_xdata(), 1e-5) for line in ax.get_lines())
        assert "exp" in ax.get_title() and "float64" in ax.get_title()

    def test_zero_errors_are_left_out_not_drawn_at_zero(self):
        data = difference_errors(lambda x: x * x, lambda x: 2 * x, 3.0, steps=[0.5, 0.25, 0.125])
        fig = difference_error_figure(data)
        central = [ln for ln in fig.axes[0].get_lines() if ln.get_label() == "central difference"]
        assert np.all(np.isnan(central[0].get_ydata()))

    def test_draws_into_given_axes(self):
        fig, (left, right) = plt.subplots(1, 2)
        assert difference_error_figure(exp_errors(), ax=right) is fig
        assert len(right.get_lines()) >= 2 and not left.get_lines()

    def test_bad_input(self):
        with pytest.raises(ValueError, match="no 'central' key"):
            difference_error_figure({"h": [], "forward": [], "eps": 1.0, "dtype": "float64"})
        with pytest.raises(ValueError, match="h must be a finite number > 0"):
            difference_error_figure(exp_errors(), h=0.0)


class TestWidget:
    def test_slider_redraws_from_the_pure_function(self):
        from gradlab.widgets import difference_error_explorer

        box = difference_error_explorer(h=1e-5)
        choose, precision, step = box.children[0].children
        readout = box.children[1]

        def expected(h, dtype):
            f, dfdx, x0 = DIFFERENCE_EXAMPLES[choose.value]
            d = difference_errors(f, dfdx, x0, steps=[h], dtype=dtype)
            return f"forward error {d['forward'][0]:.1e}, central error {d['central'][0]:.1e}"

        assert readout.value.endswith(expected(1e-5, "float64"))
        step.value = 1e-3
        assert readout.value.endswith(expected(1e-3, "float64"))
        precision.value = "float32"
        assert readout.value.endswith(expected(1e-3, "float32"))
        choose.value = "sin(x) at x = 1"
        assert readout.value.endswith(expected(1e-3, "float32"))

    @pytest.mark.parametrize(
        ("kwargs", "words"),
        [
            ({"example": "cos"}, "example must be one of"),
            ({"h": 1.0}, "h must lie between 1e-13 and 1e-1"),
            ({"dtype": "float16"}, 'dtype must be "float64" or "float32"'),
        ],
    )
    def test_bad_input(self, kwargs, words):
        from gradlab.widgets import difference_error_explorer

        with pytest.raises(ValueError) as info:
            difference_error_explorer(**kwargs)
        assert words in str(info.value)
