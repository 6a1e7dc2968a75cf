"""gradlab: derive machine-learning gradients in matrix form, and prove them right.

The companion package of the gradlab course. Each function's docstring names the chapter
that derives it. Modules:

* ``gradlab.check``: numeric gradients, Jacobians and gradient checks (chapter 1).
* ``gradlab.shapes``: ``ShapeError`` and the dimension-matching trick as a tool (chapter 2).
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
