"""Chapter 4's final check goes red when the SVM gradient it guards is wrong."""

from __future__ import annotations

import pytest
from notebook_tools import (
    ROOT,
    break_loss_prelude,
    final_cell_error,
    final_check_text,
    read,
    run_notebook,
)

NOTEBOOK = ROOT / "notebooks" / "04-indicator-tricks.ipynb"

@pytest.mark.slow
@pytest.mark.parametrize("name", ["svm_loss", "svm_loss_naive"])
def test_check_cell_fails_when_the_svm_gradient_is_wrong(name):
    nb = run_notebook(read(NOTEBOOK), prelude=break_loss_prelude(name))
    error = final_cell_error(nb)
    assert error is not None and error.startswith("GradientCheckError"), error
    output = final_check_text(nb)
    assert f"{name} dW: FAIL" in output, output
    other = "svm_loss_naive" if name == "svm_loss" else "svm_loss"
    assert f"{other} dW: PASS" in output, "only the broken function may fail"
