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
    ipywidgets.interactive
        Display it (a notebook shows it when it is a cell's last value).

    Notes
    -----
    Chapter 5.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from gradlab.plots import regularisation_regions_figure

    def draw(loss, log10_reg, delta):
        regularisation_regions_figure(
            X, y, loss=loss, reg=10.0**log10_reg, delta=delta, steps=steps
        )
        plt.show()

    return widgets.interactive(
        draw,
        loss=widgets.Dropdown(options=["svm", "softmax"], value="svm", description="loss"),
        log10_reg=widgets.FloatSlider(
            value=-3.0,
            min=-4.0,
            max=0.0,
            step=0.25,
            description="log10 reg",
            continuous_update=False,
        ),
        delta=widgets.FloatSlider(
            value=1.0, min=0.0, max=5.0, step=0.25, description="margin", continuous_update=False
        ),
    )


# ---- Chapter 6: matrix-form backprop ------------------------------------------------------
