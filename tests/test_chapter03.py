"""Chapter 3's final check cell passes as written and goes red when a rule it checks breaks."""

from __future__ import annotations

import pytest
from notebook_tools import ROOT, final_cell_error, read, run_notebook

NOTEBOOK = ROOT / "notebooks" / "03-jacobian-rules.ipynb"

pytestmark = pytest.mark.slow

# Every rule of gradlab.jacobians, broken so that the shape stays right and the numbers do not.
BREAK_EVERY_RULE = """
import numpy as _np

import gradlab.jacobians as _jac

_right = {name: getattr(_jac, name) for name in _jac.__all__}
_jac.jacobian_Wx_wrt_x = lambda W, x: -_right["jacobian_Wx_wrt_x"](W, x)
_jac.jacobian_xW_wrt_x = lambda x, W: 1.01 * _right["jacobian_xW_wrt_x"](x, W)
_jac.jacobian_identity = lambda x: _np.ones((x.size, x.size))
_jac.jacobian_elementwise = lambda x, d: _np.diag(_np.tanh(x))
_jac.jacobian_Wx_wrt_W = lambda W, x, order="F": _right["jacobian_Wx_wrt_W"](W, x, order="C")
_jac.jacobian_xW_wrt_W = lambda x, W, order="F": _right["jacobian_xW_wrt_W"](x, W, order="C")
_jac.grad_W_for_Wx = lambda delta, x: _np.outer(delta, x[::-1])
_jac.grad_W_for_xW = lambda x, delta: _np.outer(x[::-1], delta)
"""

RULES = [
    "rule 1: d(Wx)/dx = W",
    "rule 2: d(xW)/dx = W^T",
    "rule 3: dx/dx = I",
    "rule 4: d tanh(x)/dx = diag(tanh'(x))",
    "dz/dvec(W) = x^T kron I for z = Wx",
    "dz/dvec(W) = I kron x for z = xW",
    "rule 5: dJ/dW = delta x^T",
    "rule 6: dJ/dW = x^T delta",
]


def test_the_check_passes_as_written():
    nb = run_notebook(read(NOTEBOOK))
    assert final_cell_error(nb) is None


def test_the_check_fails_for_every_broken_rule():
    nb = run_notebook(read(NOTEBOOK), prelude=BREAK_EVERY_RULE)
    error = final_cell_error(nb)
    assert error is not None and error.startswith("GradientCheckError")
    for name in RULES:
        assert f"gradient check of {name}" in error, name
    assert "gradient check of chain rule" not in error  # written inline, not patched


def test_the_check_fails_when_the_inline_chain_rule_drops_a_transpose():
    nb = run_notebook(
        read(NOTEBOOK),
        replace={"Wc.T @ (cm * tanh_prime(Wc @ xc))": "Wc.T @ (cm * np.tanh(Wc @ xc))"},
    )
    error = final_cell_error(nb)
    assert error is not None and "gradient check of chain rule: W^T (delta * f'(Wx))" in error
    assert "gradient check of rule" not in error
