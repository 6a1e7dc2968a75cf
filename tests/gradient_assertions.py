"""One assertion for the property tests: an analytic gradient agrees with the numeric one.

``gradient_check``'s default verdict (tol 1e-6 at h = 1e-5: ``gradlab.check``'s docstring) is
relative, with an absolute floor tied to the gradient's largest entry. It assumes, as
``default_tolerance`` says, values and derivatives of order one. A right gradient whose
entries are *all* small next to the loss breaks that premise: the numeric gradient carries a
rounding error of about eps * |f| / h (chapter 1), 2e-11 for |f| of order one, and once that
is more than a millionth of the largest entry the verdict is FAIL although nothing is wrong.
Random shapes meet such gradients: hinge terms that cancel (exactly 0), a saturated softmax
(1e-9), the first layer of a sigmoid network behind a one-unit layer (2e-5, relative error
3.8e-6, found by hypothesis in tests/test_mlp.py).

So a gradient whose largest entry is below ``SMALL * max(1, |f|)`` is compared entry by entry
with an absolute bound at the level of that rounding error instead. Nothing is lost: a
mistake that matters (a sign, a transpose, a factor) moves entries by their own size, far
above 1e-8, and a mistake that makes a gradient small or large fails one branch or the other.
"""

from __future__ import annotations

import numpy as np

from gradlab.check import gradient_check, numerical_gradient

H = 1e-5
SMALL = 1e-3  # below SMALL * max(1, |f|), the relative verdict cannot resolve rounding noise


def assert_gradient_matches(f, x, grad, name="x"):
    """``grad`` is the gradient of ``f`` at ``x``, within the documented tolerance (see above)."""
    scale = max(1.0, abs(f(x)))
    if float(np.max(np.abs(grad), initial=0.0)) >= SMALL * scale:
        result = gradient_check(f, x, grad, h=H, name=name)
        assert result.passed, str(result)
        return
    numeric = numerical_gradient(f, x, H)
    bound = max(1e-8, 100 * np.finfo(np.float64).eps * scale / H)
    worst = float(np.max(np.abs(numeric - grad), initial=0.0))
    assert worst <= bound, f"{name}: small gradient off by {worst:.1e} > {bound:.1e}"
