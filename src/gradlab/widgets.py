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


# ---- Chapter 6: matrix-form backprop ------------------------------------------------------
