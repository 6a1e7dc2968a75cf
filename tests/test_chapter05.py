"""Chapter 5's final check goes red when svm_loss or softmax_loss returns a wrong dW."""

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

NOTEBOOK = ROOT / "notebooks" / "05-svm-softmax.ipynb"

@pytest.mark.slow
@pytest.mark.parametrize("name", ["svm_loss", "softmax_loss"])
def test_check_cell_fails_when_a_loss_gradient_is_wrong(name):
    nb = run_notebook(read(NOTEBOOK), prelude=break_loss_prelude(name))
    error = final_cell_error(nb)
    assert error is not None and error.startswith("GradientCheckError"), error
    output = final_check_text(nb)
    assert f"{name} dW: FAIL" in output, output
    assert f"{name}_naive dW: PASS" in output, "only the broken function may fail"
