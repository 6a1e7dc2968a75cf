"""Chapter 6's final check cell goes red when MLP.loss_and_grads returns a wrong gradient."""

from __future__ import annotations

import pytest
from notebook_tools import ROOT, code_cells, final_cell_error, read, run_notebook

NOTEBOOK = ROOT / "notebooks" / "06-matrix-backprop.ipynb"

# Each prelude runs right after the set-up cell and breaks the gradients the chapter checks.
SCALED_FIRST_LAYER = """
import gradlab.mlp as _mlp
_right = _mlp.MLP.loss_and_grads
def _scaled(self, X, Y):
    loss, dWs, dbs = _right(self, X, Y)
    return loss, [dWs[0] * 1.02] + dWs[1:], dbs       # dW1 off by 2%
_mlp.MLP.loss_and_grads = _scaled
"""

SIGMA_PRIME_OF_THE_OUTPUT = """
import gradlab.mlp as _mlp
from gradlab.activations import ACTIVATIONS as _ACTS
def _slip(activation, G, A):                           # the source note's sigma'(output)
    G *= _ACTS[activation][1](A)
    return G
_mlp._scale_by_derivative = _slip
"""


def final_output(nb) -> str:
    last = code_cells(nb)[-1]
    return "".join(o.get("text", "") for o in last.outputs if o.get("output_type") == "stream")


@pytest.mark.slow
@pytest.mark.parametrize(
    "prelude, broken, intact",
    [
        (SCALED_FIRST_LAYER, "sigmoid/mse dW1: FAIL", "sigmoid/mse dW2: PASS"),
        (SIGMA_PRIME_OF_THE_OUTPUT, "tanh/softmax dW1: FAIL", "Kronecker route dW1: PASS"),
    ],
    ids=["dW1-scaled", "sigma-prime-of-output"],
)
def test_the_final_check_fails_on_a_wrong_gradient(prelude, broken, intact):
    nb = run_notebook(read(NOTEBOOK), prelude=prelude)
    error = final_cell_error(nb)
    assert error is not None and error.startswith("GradientCheckError"), error
    text = final_output(nb)
    assert broken in text, text
    assert intact in text, text  # the check names what broke, not everything
