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


def xor_training_widget(width=4, activation="tanh", lr=0.5, steps=300):
    """Sliders for the hidden width, the activation and the learning rate; retrains on change.

    Each change calls ``gradlab.plots.train_xor_run`` (pure, tested) and draws
    ``gradlab.plots.plot_xor_run``. The returned ``ipywidgets.interactive`` keeps the last run
    in ``.result``.

    Returns
    -------
    ipywidgets.interactive
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    from gradlab.activations import ACTIVATIONS
    from gradlab.plots import plot_xor_run, train_xor_run

    def retrain(width, activation, lr):
        run = train_xor_run(width=width, activation=activation, lr=lr, steps=steps)
        fig = plot_xor_run(run)
        display(fig)
        plt.close(fig)
        return run

    style = {"description_width": "initial"}
    return widgets.interactive(
        retrain,
        width=widgets.IntSlider(
            value=width,
            min=1,
            max=16,
            description="hidden width",
            continuous_update=False,
            style=style,
        ),
        activation=widgets.Dropdown(
            options=list(ACTIVATIONS), value=activation, description="activation", style=style
        ),
        lr=widgets.FloatLogSlider(
            value=lr,
            base=10,
            min=-2,
            max=1,
            step=0.1,
            description="learning rate",
            continuous_update=False,
            style=style,
        ),
    )
