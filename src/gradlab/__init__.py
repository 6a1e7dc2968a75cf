"""gradlab: derive machine-learning gradients in matrix form, and prove them right.

The companion package of the gradlab course. Each function's docstring names the chapter
that derives it. Modules:

* ``gradlab.check``: numeric gradients, Jacobians and gradient checks (chapter 1).
* ``gradlab.shapes``: ``ShapeError`` and the dimension-matching trick as a tool (chapter 2).
* ``gradlab.regression``: the linear-regression loss and its gradient (chapter 2).
* ``gradlab.jacobians``: the Jacobian rules in numerator layout (chapter 3).
* ``gradlab.activations``: sigmoid, tanh, ReLU and their derivatives; stable softmax
  (chapters 3, 5, 6).
* ``gradlab.losses``: SVM and softmax losses, naive and vectorised; the softmax Jacobian
  (chapters 4 and 5).
* ``gradlab.datasets``: small generated data sets: blobs, spirals, xor (no downloads).
* ``gradlab.mlp``: an L-layer MLP with matrix-form backprop (chapter 6).
* ``gradlab.vec``: vec, unvec and the Kronecker-form Jacobians (chapter 6).
* ``gradlab.plots``, ``gradlab.widgets``: the chapters' figures and widgets.
* ``gradlab.cli``: the ``gradlab`` command for instructors (student copies, grading).
"""

from gradlab.check import (
    GradientCheckError,
    GradientCheckResult,
    assert_all_passed,
    gradient_check,
    numerical_gradient,
    numerical_jacobian,
    rel_error,
)
from gradlab.shapes import ShapeError

__version__ = "0.1.0"

__all__ = [
    "GradientCheckError",
    "GradientCheckResult",
    "ShapeError",
    "assert_all_passed",
    "gradient_check",
    "numerical_gradient",
    "numerical_jacobian",
    "rel_error",
]
