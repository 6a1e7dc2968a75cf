"""Interactive widgets for the chapters (ipywidgets).

Each widget is a thin wrapper: it reads its controls, calls a pure, unit-tested function of
``gradlab.plots`` (or another module) and shows the result. Widgets are live locally, on Binder
and on Colab; in the rendered book they show the state saved when the book was built.
Sections follow the chapters that use them.
"""

from __future__ import annotations

__all__: list[str] = []


# ---- Chapter 1: checking gradients numerically --------------------------------------------


# ---- Chapter 2: the dimension-matching trick ----------------------------------------------


# ---- Chapter 3: Jacobian rules and layouts ------------------------------------------------


# ---- Chapter 4: indicator-function tricks -------------------------------------------------


# ---- Chapter 5: SVM and softmax gradients -------------------------------------------------


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

    Returns
    -------
    ipywidgets.VBox
        The controls above the picture; ``.result`` holds the last run (a dict).
    """
    import ipywidgets as widgets
    from IPython.display import Image

    from gradlab.activations import ACTIVATIONS
    from gradlab.plots import plot_xor_run, train_xor_run

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
