"""Chapter 2's final check cell passes as written and goes red when a gradient it checks breaks."""

from __future__ import annotations

import pytest
from notebook_tools import ROOT, final_cell_error, read, run_notebook

NOTEBOOK = ROOT / "notebooks" / "02-dimension-matching.ipynb"

pytestmark = pytest.mark.slow

# gradlab's regression gradient, broken: the 1/N forgotten (the commonest slip of chapter 2).
BREAK_REGRESSION = """
import gradlab.regression as _regression

_right = _regression.linear_regression_loss


def _forgot_one_over_n(theta, X, y):
    loss, dtheta = _right(theta, X, y)
    return loss, dtheta * X.shape[0]


_regression.linear_regression_loss = _forgot_one_over_n
linear_regression_loss = _forgot_one_over_n
"""


def test_the_check_passes_as_written():
    nb = run_notebook(read(NOTEBOOK))
    assert final_cell_error(nb) is None


def test_the_check_fails_when_gradlab_regression_gradient_is_wrong():
    nb = run_notebook(read(NOTEBOOK), prelude=BREAK_REGRESSION)
    error = final_cell_error(nb)
    assert error is not None and error.startswith("GradientCheckError")
    assert "regression X^T r / N (batch)" in error
    # The per-sample loop is a separate function and is not broken by this patch.
    assert "r_i x_i (per sample): FAIL" not in error


def test_the_check_fails_when_each_inline_formula_is_wrong():
    # One mutation per formula the final cell writes out; each check must name its failure.
    mutations = {
        "Xc.T @ Gc": "Xc.T @ Gc * 1.01",  # a 1% scale error in dL/dW
        "np.ones((1, Nc)) @ Gc": "np.eye(1, Nc) @ Gc",  # source note 004's I_(1xN)
        "Gc @ Wc.T": "-Gc @ Wc.T",  # a sign error in dL/dX
        "(Ac + Ac.T) @ xc": "2 * Ac @ xc",  # the trick's answer for x^T A x
    }
    nb = run_notebook(read(NOTEBOOK), replace=mutations)
    error = final_cell_error(nb)
    assert error is not None and error.startswith("GradientCheckError")
    for name in [
        "layer dL/dW = X^T G",
        "layer dL/db = 1^T G",
        "layer dL/dX = G W^T",
        "quadratic form (A + A^T) x",
    ]:
        assert f"gradient check of {name}" in error, name
    assert "gradient check of regression" not in error
