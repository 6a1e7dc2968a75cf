"""Helpers for tests that read or run the chapter notebooks."""

from __future__ import annotations

import copy
import pathlib
import re

import nbformat
import yaml
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]


def toc_notebooks() -> list[pathlib.Path]:
    """Every chapter notebook named in _toc.yml, in book order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    return [ROOT / f"{f}.ipynb" for f in files if (ROOT / f"{f}.ipynb").exists()]


def read(path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def run_notebook(nb, *, prelude: str | None = None, replace: dict | None = None, timeout=120):
    """Execute a copy of ``nb`` in a fresh kernel, every cell even after an error.

    ``prelude`` is code run right after the set-up cell, e.g. a monkeypatch that makes a
    gradlab function return a wrong gradient. ``replace`` maps exact source text to new text
    in every code cell (a mutation of a derivation written in the notebook).
    Returns the executed notebook; ``cell_errors`` reads what went wrong where.
    """
    nb = copy.deepcopy(nb)
    if replace:
        for old, new in replace.items():
            hits = 0
            for cell in code_cells(nb):
                if old in cell.source:
                    cell.source = cell.source.replace(old, new)
                    hits += 1
            if not hits:
                raise AssertionError(f"{old!r} occurs in no code cell: the mutation is stale")
    if prelude:
        first = nb.cells.index(code_cells(nb)[0])
        nb.cells.insert(first + 1, nbformat.v4.new_code_cell(prelude))
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    )
    # nbclient's Output-widget capture can stall a run for a whole cell timeout after an
    # ipywidgets.interactive cell (jupyter/nbclient#312, seen here); these tests read only
    # the check cells, so the capture is switched off.
    client.widget_registry = {}
    client.execute()
    return nb


def cell_error(cell) -> str | None:
    """The error name and message a code cell raised, or None."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {strip_ansi(out.get('evalue', ''))}"
    return None


def final_cell_error(nb) -> str | None:
    """What the notebook's last code cell (the chapter check) raised, or None."""
    return cell_error(code_cells(nb)[-1])


def final_check_text(nb) -> str:
    """What the notebook's last code cell (the chapter check) printed."""
    last = code_cells(nb)[-1]
    return "".join(o.get("text", "") for o in last.outputs if o.get("output_type") == "stream")


# Wrap one gradlab loss so that it returns a gradient with one entry off by 1e-3: a small,
# local mistake (a forgotten 1/N or a sign flip would be caught by far more).
_BREAK_LOSS = """
import gradlab.losses as _losses

_right = getattr(_losses, "{name}")


def {name}(W, X, y, reg=0.0, **kw):
    value, dW = _right(W, X, y, reg, **kw)
    dW = dW.copy()
    dW[0, 0] += 1e-3
    return value, dW


_losses.{name} = {name}
"""


def break_loss_prelude(name: str) -> str:
    """A notebook prelude making ``gradlab.losses.<name>`` return a dW with one entry off."""
    return _BREAK_LOSS.format(name=name)


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
