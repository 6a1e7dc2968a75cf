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
