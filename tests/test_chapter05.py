"""Chapter 5's final check goes red when svm_loss or softmax_loss returns a wrong dW."""

from __future__ import annotations

import pytest
from notebook_tools import ROOT, code_cells, final_cell_error, read, run_notebook

NOTEBOOK = ROOT / "notebooks" / "05-svm-softmax.ipynb"

# Wrap one gradlab loss so that it returns a gradient with one entry off by 1e-3: a small,
# local mistake (a forgotten 1/N or a sign flip would be caught by far more).
BREAK = """
import numpy as _np
import gradlab.losses as _losses

_right = getattr(_losses, "{name}")


def {name}(W, X, y, reg=0.0, **kw):
    value, dW = _right(W, X, y, reg, **kw)
    dW = dW.copy()
    dW[0, 0] += 1e-3
    return value, dW


_losses.{name} = {name}
"""


def check_output(nb) -> str:
    last = code_cells(nb)[-1]
    return "".join(o.get("text", "") for o in last.outputs if o.get("output_type") == "stream")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["svm_loss", "softmax_loss"])
def test_check_cell_fails_when_a_loss_gradient_is_wrong(name):
    nb = run_notebook(read(NOTEBOOK), prelude=BREAK.format(name=name))
    error = final_cell_error(nb)
    assert error is not None and error.startswith("GradientCheckError"), error
    output = check_output(nb)
    assert f"{name} dW: FAIL" in output, output
    assert f"{name}_naive dW: PASS" in output, "only the broken function may fail"
