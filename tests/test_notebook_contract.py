"""Every chapter notebook keeps the contract of DESIGN.md and CONTRIBUTING.md."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re

import pytest
import yaml
from notebook_tools import ROOT, code_cells, read, toc_notebooks

import gradlab

NOTEBOOKS = toc_notebooks()
IDS = [p.stem for p in NOTEBOOKS]
EXERCISE = re.compile(r"```\{exercise\}[^\n]*\n:label:\s*(\S+)")
SOLUTION_START = re.compile(r"```\{solution-start\}\s+(\S+)")


def test_every_notebook_is_in_the_toc():
    on_disk = {p.resolve() for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")}
    assert on_disk == {p.resolve() for p in NOTEBOOKS}, (
        "a chapter notebook is missing from _toc.yml"
    )
    assert NOTEBOOKS, "the TOC names no chapter notebook"


def _exported_functions() -> set[str]:
    names = set()
    for mod in pkgutil.iter_modules(gradlab.__path__):
        if mod.name.startswith("_") or mod.name == "cli":
            continue
        module = importlib.import_module(f"gradlab.{mod.name}")
        names.update(getattr(module, "__all__", []))
    return names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
class TestChapterNotebook:
    def test_kernelspec_is_python3(self, path):
        assert read(path).metadata.kernelspec.name == "python3"

    def test_first_cell_installs_gradlab_when_missing_and_seeds(self, path):
        first = code_cells(read(path))[0].source
        assert 'find_spec("gradlab")' in first, "Colab opens a lone notebook: install gradlab first"
        url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
        assert f"git+{url}" in first, (
            f"the install cell must name the repository in _config.yml ({url})"
        )
        assert "import gradlab" in first or "from gradlab" in first
        assert "np.random.default_rng(" in first, "seed a np.random.default_rng in the first cell"

    def test_last_cell_is_the_tagged_gradient_check(self, path):
        last = code_cells(read(path))[-1]
        tags = last.metadata.get("tags", [])
        assert "nbval-check-output" in tags and "keep_output" in tags
        text = "".join(o.get("text", "") for o in last.outputs if o.get("output_type") == "stream")
        assert "PASS" in text and "FAIL" not in text, (
            "commit the final check cell's output (all PASS)"
        )
        assert not re.search(r"\d\.\d{4,}", text), "no raw float digits in a compared output"
        assert "raise" in last.source or "assert_all_passed" in last.source, "the check must raise"

    def test_no_other_outputs_are_committed(self, path):
        for cell in code_cells(read(path))[:-1]:
            assert not cell.outputs, (
                f"committed output in a cell that is not the check:\n{cell.source[:200]}"
            )
            assert cell.execution_count is None
        for cell in read(path).cells:
            assert "execution" not in cell.metadata, "execution timestamps are machine noise"

    def test_plot_cells_end_with_show_and_widgets_ignore_output(self, path):
        for cell in code_cells(read(path)):
            src = cell.source
            if re.search(r"plt\.(subplots|figure|plot)\(", src) and "def " not in src:
                assert "plt.show()" in src, f"end plot cells with plt.show():\n{src[:200]}"
            if re.search(r"\binteract(ive)?\(|widgets\.\w+\(|\bshow_\w*widget", src):
                assert "nbval-ignore-output" in cell.metadata.get("tags", []), src[:200]

    def test_never_redefines_a_gradlab_function(self, path):
        exported = _exported_functions()
        for cell in code_cells(read(path)):
            source = "\n".join(
                line
                for line in cell.source.splitlines()
                if not line.lstrip().startswith(("%", "!"))
            )
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.FunctionDef):
                    if node.name in exported:
                        assert "BEGIN SOLUTION" in cell.source, f"{node.name} redefines gradlab's"

    def test_exercises_follow_the_convention(self, path):
        nb = read(path)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        labels = EXERCISE.findall(text)
        assert len(labels) >= 3, "each chapter has at least three exercises"
        assert len(set(labels)) == len(labels)
        stem = path.stem[:2]
        checks = {}
        for c in code_cells(nb):
            ex = c.metadata.get("gradlab", {}).get("exercise")
            if ex:
                checks[ex] = c
        for label in labels:
            assert label.startswith(f"ex-{stem}-"), f"{label}: labels are ex-{stem}-<name>"
            assert label in SOLUTION_START.findall(text), f"{label}: no solution-start block"
            assert label in checks, f"{label}: no check cell with metadata gradlab.exercise"
            assert "exercise-check" in checks[label].metadata.get("tags", [])
        solutions = [c for c in code_cells(nb) if "# BEGIN SOLUTION" in c.source]
        assert len(solutions) >= len(labels), "every exercise has a solution code cell"
        for c in solutions:
            assert c.source.count("# BEGIN SOLUTION") == c.source.count("# END SOLUTION")
