"""A copy of the book's sources with every solution left out (``gradlab strip-solutions``).

sphinx-exercise's ``hide_solutions`` option removes only ``{solution}`` directives; the gated
``{solution-start}`` / ``{solution-end}`` form the chapters use stays visible. So the book
without solutions is built from a copy of its sources in which:

* each chapter notebook is first executed *with* its solutions (so every plot and printed
  result of the chapter is there), then its solution cells are stubbed as in a student copy,
  its solution blocks, solution-tagged cells and hidden checks removed, and the outputs of the
  stubbed cells and of the exercise checks cleared;
* every ``{solution}`` block in a markdown page is removed;
* ``_config.yml`` turns notebook execution off (the outputs are already there: executing the
  stubs would fail) and drops the launch and edit buttons, which lead to the repository's
  notebooks, solutions included.

``make book-nosolutions`` runs this, then ``jupyter-book build`` on the copy.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import nbformat

from gradlab.assign import (
    TAG_SOLUTION,
    has_solution_markers,
    is_check_cell,
    is_hidden_check,
    solution_block_cells,
    strip_solution_directives,
    stub_solution_code,
    text_outside_block,
)

__all__ = ["book_notebook_without_solutions", "make_book_copy"]

MARKER = ".gradlab-nosolutions"
# Never copied: version control, environments, caches and build outputs.
_SKIP = {
    ".git", ".venv", "venv", "_build", "__pycache__", ".ipynb_checkpoints", ".jupyter_cache",
    ".pytest_cache", ".hypothesis", ".ruff_cache", "student",
}


def book_notebook_without_solutions(nb):
    """An executed chapter notebook as the book without solutions shows it.

    Solution code becomes the student stub (its outputs cleared); solution blocks, cells
    tagged ``solution`` and hidden checks are removed; exercise checks keep their code and
    lose their outputs (a PASS under a stub would mislead); every other cell keeps its outputs.
    """
    block = solution_block_cells(nb)
    cells = []
    for index, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if is_hidden_check(cell):
            continue
        if cell.cell_type == "code" and has_solution_markers(cell.source):
            cell.source = stub_solution_code(cell.source)
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("nbgrader", None)
        elif index in block or TAG_SOLUTION in tags:
            kept = "" if TAG_SOLUTION in tags else text_outside_block(cell)
            if not kept:
                continue
            cell.source = kept
        elif cell.cell_type == "markdown":
            cell.source = strip_solution_directives(cell.source)
        elif is_check_cell(cell):
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    nb.cells = cells
    return nb


def _toc_files(book: Path) -> list[Path]:
    import yaml

    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8")) or {}
    names: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if isinstance(node.get(key), str):
                    names.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    found = []
    for name in dict.fromkeys(names):
        for suffix in ("", ".ipynb", ".md"):
            path = book / f"{name}{suffix}"
            if path.is_file():
                found.append(path)
                break
    return found


def _check_output(out: Path) -> None:
    if out.exists() and not (out / MARKER).exists():
        raise FileExistsError(
            f"-o/--output {out} exists and was not written by gradlab strip-solutions; "
            "name a new folder"
        )


def _copy_book(book: Path, target: Path, *avoid: Path) -> None:
    avoided = {p.resolve() for p in avoid}

    def ignore(folder, names):
        skipped = {n for n in names if n in _SKIP}
        skipped |= {n for n in names if (Path(folder) / n).resolve() in avoided}
        return skipped

    shutil.copytree(book, target, ignore=ignore, symlinks=True)
    (target / MARKER).write_text("written by gradlab strip-solutions; safe to delete\n")


def _rewrite_config(out: Path) -> None:
    import yaml

    path = out / "_config.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    if config.get("title"):
        config["title"] = f"{config['title']} (without solutions)"
    # The launch and edit buttons open the repository's notebooks, which hold the solutions.
    config["launch_buttons"] = {
        "binderhub_url": "", "jupyterhub_url": "", "colab_url": "", "thebe": False,
    }
    html = config.setdefault("html", {})
    html["use_edit_page_button"] = False
    header = "# Written by gradlab strip-solutions: the book's _config.yml, solutions left out.\n"
    path.write_text(header + yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def make_book_copy(book: Path, out: Path, *, execute=True, time_limit=600.0, kernel_name="python3"):
    """Copy the book in ``book`` to ``out`` with every solution left out.

    Parameters
    ----------
    book : Path
        The book's root (holds ``_config.yml`` and ``_toc.yml``).
    out : Path
        A new folder (or one this function wrote before; it is replaced).
    execute : bool
        Execute each chapter notebook with its solutions first, so the built book has every
        output; ``False`` keeps only the outputs stored in the notebooks (a quick preview).
    time_limit : float
        Seconds allowed to execute one notebook.

    Returns
    -------
    list of str
        One line per file changed.

    Raises
    ------
    FileNotFoundError
        ``book`` has no ``_config.yml`` or ``_toc.yml``.
    FileExistsError
        ``out`` exists and was not written by this function.
    ValueError
        A notebook breaks the exercise convention, or a cell raised while executing; nothing
        is written then.
    """
    for name in ("_config.yml", "_toc.yml"):
        if not (book / name).is_file():
            raise FileNotFoundError(f"BOOK {book} has no {name}: give the book's root folder")
    _check_output(out)
    # Work in a side folder and put it in place only when every file is done: a copy left
    # half-way (a notebook that fails) would still hold solutions.
    partial = out.with_name(out.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    _copy_book(book, partial, out, partial)
    try:
        report = _strip_copy(partial, execute, time_limit, kernel_name)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if out.exists():
        shutil.rmtree(out)
    partial.rename(out)
    return report


def _strip_copy(out: Path, execute: bool, time_limit: float, kernel_name: str) -> list[str]:
    from gradlab.assign import NotebookConventionError
    from gradlab.grade import run_notebook

    report = []
    for path in _toc_files(out):
        rel = path.relative_to(out)
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            try:
                stripped = strip_solution_directives(text)
            except NotebookConventionError as err:
                raise ValueError(f"{rel}: {err}") from None
            if stripped != text:
                path.write_text(stripped, encoding="utf-8")
                report.append(f"{rel}: solution blocks removed")
            continue
        if path.suffix != ".ipynb":
            continue
        nb = nbformat.read(str(path), as_version=4)
        if execute:
            fresh = nb
            for _attempt in range(2):  # a stalled client (see run_notebook) gets one more run
                nb = copy.deepcopy(fresh)
                stop = run_notebook(
                    nb, time_limit=time_limit, kernel_name=kernel_name, cwd=path.parent,
                    store_widget_state=True,
                )
                if stop is None or stop.kind != "stalled":
                    break
            errors = [
                (i, o) for i, c in enumerate(nb.cells) if c.cell_type == "code"
                for o in c.outputs if o.get("output_type") == "error"
            ]
            if stop is not None:
                raise ValueError(f"{rel}: execution stopped ({stop.kind}) in cell {stop.cell_index}")
            if errors:
                i, err = errors[0]
                raise ValueError(f"{rel}: cell {i} raised {err['ename']}: {err['evalue'][:200]}")
        try:
            book_notebook_without_solutions(nb)
        except NotebookConventionError as err:
            raise ValueError(f"{rel}: {err}") from None
        nbformat.write(nb, str(path))
        report.append(f"{rel}: solutions removed" + (" (executed first)" if execute else ""))
    _rewrite_config(out)
    report.append("_config.yml: notebook execution off, launch and edit buttons removed")
    return report
