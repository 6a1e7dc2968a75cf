"""Pure plotting and data functions behind the chapters' figures and widgets.

Each function returns data or a matplotlib Figure and never calls ``plt.show()``; the notebooks
show them, the widgets in ``gradlab.widgets`` redraw them, the tests call them directly.
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
