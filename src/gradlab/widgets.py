"""Interactive widgets for the chapters (ipywidgets).

Each widget is a thin wrapper: it reads its controls, calls a pure, unit-tested function of
``gradlab.plots`` (or another module) and shows the result. Widgets are live locally, on Binder
and on Colab; in the rendered book they show the state saved when the book was built.
Sections follow the chapters that use them.
"""

from __future__ import annotations

__all__: list[str] = []


# ---- Chapter 1: checking gradients numerically --------------------------------------------


def difference_error_explorer(example="exp(x) at x = 1", h=1e-5, dtype="float64"):
    """A slider for the step h over the finite-difference error curves of chapter 1.

    Choose a function of ``gradlab.plots.DIFFERENCE_EXAMPLES`` and a precision; the plot of
    ``gradlab.plots.difference_error_figure`` is redrawn with a line at h, and a label reads
    the forward and central errors at that h (from ``gradlab.plots.difference_errors``).

    Parameters
    ----------
    example : str, default "exp(x) at x = 1"
        A key of ``DIFFERENCE_EXAMPLES``.
    h : float, default 1e-5
        The starting step, between 1e-13 and 1e-1.
    dtype : {"float64", "float32"}
        The starting precision.

    Returns
    -------
    ipywidgets.VBox
        The controls (``.children[0]``: example, precision, step) above the readout label
        and the plot.

    Examples
    --------
    >>> box = difference_error_explorer(h=1e-3)   # doctest: +SKIP
    >>> box                                         # doctest: +SKIP
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    from gradlab._validate import require_choice, require_positive
    from gradlab.plots import DIFFERENCE_EXAMPLES, difference_error_figure, difference_errors

    require_choice("example", example, DIFFERENCE_EXAMPLES)
    h = require_positive("h", h)
    if not 1e-13 <= h <= 1e-1:
        raise ValueError(f"h must lie between 1e-13 and 1e-1 (the slider's range); got {h!r}")
    if dtype not in ("float64", "float32"):
        raise ValueError(f'dtype must be "float64" or "float32"; got {dtype!r}')

    choose = widgets.Dropdown(options=list(DIFFERENCE_EXAMPLES), value=example, description="f")
    precision = widgets.ToggleButtons(
        options=["float64", "float32"], value=dtype, description="precision"
    )
    step = widgets.FloatLogSlider(
        value=h,
        base=10,
        min=-13,
        max=-1,
        step=0.25,
        description="h",
        readout_format=".0e",
        continuous_update=False,
    )
    readout = widgets.Label()
    plot = widgets.Output()

    def redraw(_change=None):
        f, dfdx, x0 = DIFFERENCE_EXAMPLES[choose.value]
        curve = difference_errors(f, dfdx, x0, dtype=precision.value, label=choose.value)
        here = difference_errors(f, dfdx, x0, steps=[step.value], dtype=precision.value)
        readout.value = (
            f"at h = {step.value:.1e}: forward error {here['forward'][0]:.1e}, "
            f"central error {here['central'][0]:.1e}"
        )
        plot.clear_output(wait=True)
        fig = difference_error_figure(curve, h=step.value)
        with plot:
            display(fig)
        plt.close(fig)

    for control in (choose, precision, step):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.VBox([choose, precision, step]), readout, plot])


__all__ += ["difference_error_explorer"]


# ---- Chapter 2: the dimension-matching trick ----------------------------------------------

__all__ += ["dimension_matching_widget"]


def dimension_matching_widget(problem="layer-dW", N=4, D=3, K=2, seed=0, max_size=6):
    """Pick a problem and the sizes N, D, K; see which arrangements fit and which are right.

    A thin wrapper around ``gradlab.plots.trick_report`` (chapter 2): a drop-down of the
    preset problems, one slider per size, and the report as an HTML table that is redrawn
    whenever a control changes. Make two sizes equal to watch more arrangements fit the
    shapes while the numeric check still accepts one.

    Parameters
    ----------
    problem : str, default "layer-dW"
        A key of ``gradlab.plots.TRICK_PROBLEMS``.
    N, D, K : int, default 4, 3, 2
        The starting sizes.
    seed : int, default 0
        Seed of the random arrays.
    max_size : int, default 6
        The sliders' maximum.

    Returns
    -------
    ipywidgets.VBox
        Its ``.children`` are the drop-down, a box of the three sliders, and the HTML report.

    Examples
    --------
    >>> box = dimension_matching_widget()
    >>> "X.T @ G" in box.children[2].value
    True
    """
    import ipywidgets as widgets

    from gradlab._validate import require_positive_int
    from gradlab.plots import TRICK_PROBLEMS, trick_report

    max_size = require_positive_int("max_size", max_size)
    first = trick_report(problem, N, D, K, seed)  # validates every argument before drawing
    choose = widgets.Dropdown(
        options=[(title, key) for key, title in TRICK_PROBLEMS.items()],
        value=problem,
        description="problem",
        layout=widgets.Layout(width="95%"),
    )
    sliders = [
        widgets.IntSlider(
            value=first.sizes[name],
            min=1,
            max=max(max_size, first.sizes[name]),
            description=name,
            continuous_update=False,
        )
        for name in ("N", "D", "K")
    ]
    report = widgets.HTML(value=first._repr_html_())

    def redraw(_change=None):
        sizes = [s.value for s in sliders]
        report.value = trick_report(choose.value, *sizes, seed=seed)._repr_html_()

    for control in (choose, *sliders):
        control.observe(redraw, names="value")
    return widgets.VBox([choose, widgets.HBox(sliders), report])


# ---- Chapter 3: Jacobian rules and layouts ------------------------------------------------


# ---- Chapter 4: indicator-function tricks -------------------------------------------------


# ---- Chapter 5: SVM and softmax gradients -------------------------------------------------

__all__ += ["linear_classifier_widget"]


def linear_classifier_widget(X, y, steps=300):
    """Sliders for the loss, the regularisation strength and the SVM margin; redraws the regions.

    Each change retrains a linear classifier on ``(X, y)`` and shows
    ``gradlab.plots.regularisation_regions_figure`` (the pure, tested function).

    Parameters
    ----------
    X : ndarray, shape (N, 2)
    y : ndarray of int, shape (N,)
    steps : int, default 300
        Gradient steps per retraining.

    Returns
    -------
    ipywidgets.VBox
        The three controls and the picture; display it (a notebook shows it when it is a
        cell's last value).

    Raises
    ------
    TypeError, ShapeError, ValueError
        Bad X, y or steps, checked before any control is built (inside a widget callback an
        error would only print a traceback under the controls).

    Notes
    -----
    Chapter 5.
    """
    import ipywidgets as widgets
    import numpy as np

    from gradlab._validate import (
        require_array,
        require_finite,
        require_float,
        require_labels,
        require_nonempty,
        require_positive_int,
        require_shape,
    )
    from gradlab.plots import regularisation_regions_figure

    require_float("X", X)
    require_shape("X", X, (None, 2), "2-D points, one per row")
    require_nonempty("X", X, axis=0, what="rows (examples)")
    require_finite("X", X)
    require_array("y", y)
    n_classes = int(y.max()) + 1 if y.size and np.issubdtype(y.dtype, np.integer) else 1
    require_labels("y", y, X.shape[0], max(n_classes, 1))
    steps = require_positive_int("steps", steps)

    loss_menu = widgets.Dropdown(options=["svm", "softmax"], value="svm", description="loss")
    reg_slider = widgets.FloatSlider(
        value=-3.0, min=-4.0, max=0.0, step=0.25, description="log10 reg", continuous_update=False
    )
    margin_slider = widgets.FloatSlider(
        value=1.0, min=0.0, max=5.0, step=0.25, description="margin", continuous_update=False
    )
    picture = widgets.Output()
    box = widgets.VBox([loss_menu, reg_slider, margin_slider, picture])

    # The figure goes into the Output widget as a picture, not through ipywidgets.interactive:
    # interactive's output capture can stall nbclient for a whole cell timeout when the book
    # executes the notebook (jupyter/nbclient#312).
    def redraw(_change=None):
        from IPython.display import Image

        fig = regularisation_regions_figure(
            X, y, loss=loss_menu.value, reg=10.0**reg_slider.value, delta=margin_slider.value,
            steps=steps,
        )
        picture.outputs = ()
        picture.append_display_data(Image(data=_figure_png(fig), format="png"))

    for control in (loss_menu, reg_slider, margin_slider):
        control.observe(redraw, names="value")
    redraw()
    return box


# ---- Chapter 6: matrix-form backprop ------------------------------------------------------

__all__ += ["xor_training_widget"]


def _figure_png(fig):
    """A matplotlib figure as PNG bytes (closing it), for an Output widget's outputs."""
    import io

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def xor_training_widget(width=4, activation="tanh", lr=0.5, steps=300):
    """Controls for the hidden width, the activation and the learning rate; retrains on change.

    Each change calls ``gradlab.plots.train_xor_run`` (pure, tested) and shows
    ``gradlab.plots.plot_xor_run`` as a picture. The picture is placed in the Output widget's
    ``outputs`` directly rather than captured with ``with output:``, which keeps notebook
    executors (nbclient, the book build) from waiting on captured messages.

    Parameters
    ----------
    width : int, default 4
        Starting hidden width, 1 to 16 (the slider's range: a value outside it would be
        clamped silently, so it is refused).
    activation : {"sigmoid", "tanh", "relu"}, default "tanh"
    lr : float, default 0.5
        Starting learning rate, 0.01 to 10 (the slider's range).
    steps : int, default 300
        Gradient steps per retraining.

    Returns
    -------
    ipywidgets.VBox
        The controls above the picture; ``.result`` holds the last run (a dict).
    """
    import ipywidgets as widgets
    from IPython.display import Image

    from gradlab._validate import require_choice, require_positive, require_positive_int
    from gradlab.activations import ACTIVATIONS
    from gradlab.plots import plot_xor_run, train_xor_run

    width = require_positive_int("width", width)
    if not 1 <= width <= 16:
        raise ValueError(f"width must be between 1 and 16 (the slider's range); got {width}")
    require_choice("activation", activation, ACTIVATIONS)
    lr = require_positive("lr", lr)
    if not 1e-2 <= lr <= 10:
        raise ValueError(f"lr must be between 0.01 and 10 (the slider's range); got {lr!r}")
    steps = require_positive_int("steps", steps)

    style = {"description_width": "initial"}
    width_slider = widgets.IntSlider(
        value=width,
        min=1,
        max=16,
        description="hidden width",
        continuous_update=False,
        style=style,
    )
    activation_menu = widgets.Dropdown(
        options=list(ACTIVATIONS), value=activation, description="activation", style=style
    )
    lr_slider = widgets.FloatLogSlider(
        value=lr,
        base=10,
        min=-2,
        max=1,
        step=0.1,
        description="learning rate",
        continuous_update=False,
        style=style,
    )
    picture = widgets.Output()
    box = widgets.VBox([widgets.HBox([width_slider, activation_menu, lr_slider]), picture])

    def retrain(_change=None):
        run = train_xor_run(
            width=width_slider.value,
            activation=activation_menu.value,
            lr=lr_slider.value,
            steps=steps,
        )
        png = _figure_png(plot_xor_run(run))
        picture.outputs = ()
        picture.append_display_data(Image(data=png, format="png"))
        box.result = run

    for control in (width_slider, activation_menu, lr_slider):
        control.observe(retrain, names="value")
    retrain()
    return box
