"""Student copies of the chapter notebooks: the exercises without their solutions.

The instructor workflow (``gradlab student``, ``book/instructors.md``) starts here. A chapter
notebook follows the exercise convention of CONTRIBUTING.md; this module reads that convention
and writes the copy a student receives:

* code between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` becomes ``# YOUR CODE HERE`` /
  ``raise NotImplementedError()`` at the marker's indentation (the form otter-grader and
  nbgrader write); code outside the markers stays;
* the ``{solution-start}`` ... ``{solution-end}`` block is dropped, with every markdown cell in
  it (a student copy has no solution to show), but its code cells are kept as stubs;
* cells tagged ``solution`` or ``hidden-check`` are dropped, and so is any ``{solution}``
  directive written inside a markdown cell;
* every output, execution count, attachment and piece of metadata that is not needed is
  dropped (only ``kernelspec``, ``language_info`` and a ``gradlab`` entry naming the source
  stay in the notebook metadata; only ``tags`` and ``gradlab`` in a cell's, and check cells
  are marked read-only), so widget state and tool metadata cannot carry a solution out.

Nothing here executes a notebook.
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass, field

import nbformat
from nbformat.corpus.words import generate_corpus_id

__all__ = [
    "NotebookConventionError",
    "StudentCopy",
    "check_label",
    "find_leaks",
    "is_check_cell",
    "is_hidden_check",
    "make_student_notebook",
    "solution_lines",
    "strip_solution_directives",
    "stub_solution_code",
]

TAG_SOLUTION = "solution"
TAG_CHECK = "exercise-check"
TAG_HIDDEN_CHECK = "hidden-check"
STUB_LINES = ("# YOUR CODE HERE", "raise NotImplementedError()")
MARKDOWN_STUB = "YOUR ANSWER HERE"

# otter writes "# BEGIN SOLUTION" exactly; nbgrader accepts any line containing it
# ("### BEGIN SOLUTION"). Accept one or more "#" so both tools' notebooks convert.
_BEGIN = re.compile(r"^(?P<indent>[ \t]*)#+[ \t]*BEGIN SOLUTION\b.*$")
_END = re.compile(r"^[ \t]*#+[ \t]*END SOLUTION\b.*$")
_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}(?P<rest>.*)$")
_SOLUTION_START = re.compile(r"^[ \t]*(`{3,}|:{3,})\{solution-start\}", re.MULTILINE)
_SOLUTION_END = re.compile(r"^[ \t]*(`{3,}|:{3,})\{solution-end\}", re.MULTILINE)

# Notebook and cell metadata a student copy keeps; everything else (widget state, nbgrader or
# otter metadata, execution timings, collapsed/scrolled flags) is dropped.
_KEEP_NOTEBOOK_METADATA = ("kernelspec", "language_info")
_KEEP_CELL_METADATA = ("tags", "gradlab")


class NotebookConventionError(ValueError):
    """A notebook breaks the exercise convention in a way that would leak or lose a solution."""


@dataclass
class StudentCopy:
    """The student notebook and what was done to make it (for the command's report)."""

    notebook: nbformat.NotebookNode
    exercises: list[str] = field(default_factory=list)
    stubbed_cells: int = 0
    removed_cells: int = 0
    notes: list[str] = field(default_factory=list)


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []) or [])


def check_label(cell) -> str | None:
    """The exercise label a check cell grades (``metadata.gradlab.exercise``), or None."""
    meta = cell.get("metadata", {}).get("gradlab", {})
    label = meta.get("exercise") if isinstance(meta, dict) else None
    return label if isinstance(label, str) and label else None


def is_hidden_check(cell) -> bool:
    """A check that is graded but never handed out (tag ``hidden-check``)."""
    return cell.get("cell_type") == "code" and TAG_HIDDEN_CHECK in _tags(cell)


def is_check_cell(cell) -> bool:
    """A visible exercise check: tag ``exercise-check`` or an exercise label in its metadata."""
    if cell.get("cell_type") != "code" or is_hidden_check(cell):
        return False
    return TAG_CHECK in _tags(cell) or check_label(cell) is not None


def has_solution_markers(source: str) -> bool:
    return any(_BEGIN.match(line) for line in source.splitlines())


def stub_solution_code(source: str, *, replacement=STUB_LINES) -> str:
    """Replace every ``# BEGIN SOLUTION`` ... ``# END SOLUTION`` region by a stub.

    The stub takes the indentation of the ``BEGIN`` line, so a region inside a function body
    stays inside it. Lines outside the markers are kept as they are.

    Parameters
    ----------
    source : str
        A cell's source.
    replacement : sequence of str
        The stub's lines; default ``# YOUR CODE HERE`` and ``raise NotImplementedError()``.

    Raises
    ------
    NotebookConventionError
        A marker without its partner, or a ``BEGIN`` inside an open region: converting such a
        cell would hand out part of a solution or drop code the student needs.

    Examples
    --------
    >>> print(stub_solution_code('''def f(x):
    ...     # BEGIN SOLUTION
    ...     return 2 * x
    ...     # END SOLUTION'''))
    def f(x):
        # YOUR CODE HERE
        raise NotImplementedError()
    """
    out: list[str] = []
    open_line = 0
    for lineno, line in enumerate(source.splitlines(), start=1):
        begin = _BEGIN.match(line)
        if begin:
            if open_line:
                raise NotebookConventionError(
                    f"line {lineno}: BEGIN SOLUTION inside the region opened on line {open_line}; "
                    "close it with # END SOLUTION first"
                )
            open_line = lineno
            out.extend(begin["indent"] + stub for stub in replacement)
        elif _END.match(line):
            if not open_line:
                raise NotebookConventionError(
                    f"line {lineno}: END SOLUTION without a BEGIN SOLUTION before it"
                )
            open_line = 0
        elif not open_line:
            out.append(line)
    if open_line:
        raise NotebookConventionError(
            f"line {open_line}: BEGIN SOLUTION is never closed by # END SOLUTION"
        )
    text = "\n".join(out)
    return text + "\n" if source.endswith("\n") else text


def strip_solution_directives(markdown: str) -> str:
    """Remove every ``{solution}``, ``{solution-start}`` ... ``{solution-end}`` block from MyST text.

    Used for markdown cells that write a solution directive inline and for the book's ``.md``
    pages. A gated block (``solution-start``) is removed with everything up to the end of its
    ``solution-end`` directive.

    Raises
    ------
    NotebookConventionError
        A directive whose fence never closes, or a ``solution-start`` without ``solution-end``.

    Examples
    --------
    >>> text = "Prompt.\\n\\n```{solution} ex-01-a\\nThe answer is 42.\\n```\\n\\nAfter."
    >>> strip_solution_directives(text)
    'Prompt.\\n\\n\\nAfter.'
    """
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        opening = _FENCE_OPEN.match(lines[i])
        if not opening or opening["name"] not in ("solution", "solution-start"):
            out.append(lines[i])
            i += 1
            continue
        close = _closing_fence(lines, i, opening["fence"])
        if opening["name"] == "solution-start":
            close = _gated_block_end(lines, close + 1, start=i)
        i = close + 1
    return "\n".join(out)


def _closing_fence(lines: list[str], start: int, fence: str) -> int:
    char = fence[0]
    for j in range(start + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped and set(stripped) == {char} and len(stripped) >= len(fence):
            return j
    raise NotebookConventionError(
        f"line {start + 1}: the directive {lines[start].strip()!r} is never closed by {fence}"
    )


def _gated_block_end(lines: list[str], j: int, start: int) -> int:
    while j < len(lines):
        opening = _FENCE_OPEN.match(lines[j])
        if opening and opening["name"] == "solution-end":
            return _closing_fence(lines, j, opening["fence"])
        j += 1
    raise NotebookConventionError(f"line {start + 1}: solution-start has no solution-end after it")


def _opens_block(cell) -> bool:
    return cell.get("cell_type") == "markdown" and bool(_SOLUTION_START.search(cell.source))


def _closes_block(cell) -> bool:
    return cell.get("cell_type") == "markdown" and bool(_SOLUTION_END.search(cell.source))


def text_outside_block(cell) -> str:
    """The part of a block's first or last markdown cell that lies outside the block.

    The convention gives ``{solution-start}`` and ``{solution-end}`` cells of their own; when
    one shares its cell with chapter text (the exercise prompt above it, a paragraph below),
    that text is kept. Returns ``""`` for any other cell inside a block.
    """
    if cell.get("cell_type") != "markdown":
        return ""
    starts, ends = _opens_block(cell), _closes_block(cell)
    lines = cell.source.split("\n")
    if starts and ends:
        return strip_solution_directives(cell.source).strip()
    if starts:
        first = next(i for i, line in enumerate(lines) if _SOLUTION_START.match(line))
        return strip_solution_directives("\n".join(lines[:first])).strip()
    if ends:
        for i, line in enumerate(lines):
            opening = _FENCE_OPEN.match(line)
            if opening and opening["name"] == "solution-end":
                close = _closing_fence(lines, i, opening["fence"])
                return strip_solution_directives("\n".join(lines[close + 1 :])).strip()
    return ""


def solution_block_cells(nb) -> set[int]:
    """Indices of the cells from each ``{solution-start}`` cell to its ``{solution-end}`` cell.

    Raises
    ------
    NotebookConventionError
        A block that never closes, a nested block, or an end without a start.
    """
    inside: set[int] = set()
    opened = None
    for index, cell in enumerate(nb.cells):
        starts, ends = _opens_block(cell), _closes_block(cell)
        if starts and ends:
            inside.add(index)  # a whole gated block written in one markdown cell
            continue
        if starts:
            if opened is not None:
                raise NotebookConventionError(
                    f"cell {opened}: solution-start is not closed before the next one in cell {index}"
                )
            opened = index
        if opened is not None:
            inside.add(index)
        if ends:
            if opened is None:
                raise NotebookConventionError(f"cell {index}: solution-end without solution-start")
            opened = None
    if opened is not None:
        raise NotebookConventionError(
            f"cell {opened}: solution-start has no solution-end cell after it; "
            "everything below it would count as solution"
        )
    return inside


def _clean_cell(cell, source: str):
    """A copy of ``cell`` with ``source`` and nothing a student should not get."""
    new = nbformat.from_dict(
        {
            "cell_type": cell.cell_type,
            "metadata": {
                key: copy.deepcopy(cell.metadata[key])
                for key in _KEEP_CELL_METADATA
                if key in cell.get("metadata", {})
            },
            "source": source,
        }
    )
    if "id" in cell:
        new["id"] = cell["id"]  # the grader finds a student's cell again by its id
    if "tags" in new.metadata:
        new.metadata["tags"] = [t for t in new.metadata["tags"] if t != TAG_SOLUTION]
        if not new.metadata["tags"]:
            del new.metadata["tags"]
    if cell.cell_type == "code":
        new["outputs"] = []
        new["execution_count"] = None
    return new


def make_student_notebook(nb, source_name: str) -> StudentCopy:
    """The student copy of an instructor notebook (see the module docstring for the rules).

    Parameters
    ----------
    nb : NotebookNode
        The instructor notebook (nbformat 4), left unchanged.
    source_name : str
        The instructor notebook's file name; stored as ``metadata.gradlab.source`` so the
        grader can match a renamed submission to its source.

    Returns
    -------
    StudentCopy
        ``.notebook`` and a report: the exercise labels, how many cells were stubbed and
        removed, and notes about anything unusual.

    Raises
    ------
    NotebookConventionError
        Unbalanced markers or solution blocks, or a stub that is not valid Python; the message
        names the cell.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_code_cell("def f(x):\\n    # BEGIN SOLUTION\\n    return x\\n    # END SOLUTION"),
    ... ])
    >>> print(make_student_notebook(nb, "01.ipynb").notebook.cells[0].source)
    def f(x):
        # YOUR CODE HERE
        raise NotImplementedError()
    """
    block = solution_block_cells(nb)
    report = StudentCopy(notebook=nbformat.v4.new_notebook())
    cells = []
    for index, cell in enumerate(nb.cells):
        where = f"cell {index}"
        tags = _tags(cell)
        if TAG_HIDDEN_CHECK in tags:
            report.removed_cells += 1
            continue
        source = cell.source
        if cell.cell_type == "code":
            if has_solution_markers(source):
                try:
                    stubbed = stub_solution_code(source)
                except NotebookConventionError as err:
                    raise NotebookConventionError(f"{where}: {err}") from None
                _require_same_syntax(source, stubbed, where)
                cells.append(_clean_cell(cell, stubbed))
                report.stubbed_cells += 1
                continue
            if index in block or TAG_SOLUTION in tags:
                report.removed_cells += 1
                report.notes.append(
                    f"{where}: a code cell inside a solution block (or tagged solution) without "
                    "# BEGIN SOLUTION markers was removed whole"
                )
                continue
            new = _clean_cell(cell, source)
            if is_check_cell(cell):
                if check_label(cell):
                    report.exercises.append(check_label(cell))
                # Jupyter keeps a check from being edited or deleted by accident; the grader
                # runs the instructor's checks whatever a submission holds.
                new.metadata["editable"] = False
                new.metadata["deletable"] = False
            cells.append(new)
            continue
        if index in block or TAG_SOLUTION in tags:
            kept = "" if TAG_SOLUTION in tags else _outside(cell, where)
            if kept:
                cells.append(_clean_cell(cell, kept))
            else:
                report.removed_cells += 1
            continue
        if cell.cell_type == "markdown":
            try:
                source = strip_solution_directives(source)
                if has_solution_markers(source):
                    source = stub_solution_code(source, replacement=(MARKDOWN_STUB,))
            except NotebookConventionError as err:
                raise NotebookConventionError(f"{where}: {err}") from None
            if cell.get("attachments"):
                report.notes.append(f"{where}: attachments dropped (put images in files)")
        cells.append(_clean_cell(cell, source))
    student = report.notebook
    student.cells = cells
    student.metadata = {
        key: copy.deepcopy(nb.metadata[key]) for key in _KEEP_NOTEBOOK_METADATA if key in nb.metadata
    }
    student.metadata["gradlab"] = {"source": source_name, "student_copy": True}
    student.nbformat, student.nbformat_minor = 4, max(5, int(nb.get("nbformat_minor", 5)))
    for cell in student.cells:
        if "id" not in cell:
            cell["id"] = generate_corpus_id()
    nbformat.validate(student)
    return report


def _outside(cell, where: str) -> str:
    try:
        return text_outside_block(cell)
    except NotebookConventionError as err:
        raise NotebookConventionError(f"{where}: {err}") from None


def _require_same_syntax(original: str, stubbed: str, where: str) -> None:
    try:
        ast.parse(original)
    except SyntaxError:
        return  # magics or shell lines: nothing to compare against
    try:
        ast.parse(stubbed)
    except SyntaxError as err:
        raise NotebookConventionError(
            f"{where}: the student version is not valid Python ({err.msg}, line {err.lineno}); "
            "put # BEGIN SOLUTION / # END SOLUTION around whole statements"
        ) from None


def _meaningful(line: str) -> bool:
    text = line.strip()
    if len(text) < 8 or _BEGIN.match(text) or _END.match(text):
        return False
    if set(text) <= set("`:~#-=*_ ") or re.match(r":[\w-]+:", text):
        return False  # fences, rules and directive options (":class: dropdown") are structure
    return not _FENCE_OPEN.match(text)


def solution_lines(nb) -> set[str]:
    """Every line of solution text in an instructor notebook that appears nowhere else in it.

    Solution text: code between the markers, markdown inside solution blocks or tagged
    ``solution``, ``{solution}`` directives, and hidden checks. Lines shorter than 8
    characters, fences and marker lines are left out, and so is a line that also occurs in
    the notebook's handed-out text, whole or inside a longer line (a solution may repeat a
    line of the chapter).
    """
    block = solution_block_cells(nb)
    secret: list[str] = []
    public: list[str] = []
    for index, cell in enumerate(nb.cells):
        lines = cell.source.splitlines()
        if TAG_HIDDEN_CHECK in _tags(cell) or (
            cell.cell_type != "code" and (index in block or TAG_SOLUTION in _tags(cell))
        ):
            outside = "" if TAG_SOLUTION in _tags(cell) else text_outside_block(cell)
            public.extend(outside.splitlines())
            secret.extend(line for line in lines if line not in outside.splitlines())
            continue
        if cell.cell_type == "code" and not has_solution_markers(cell.source):
            (secret if index in block or TAG_SOLUTION in _tags(cell) else public).extend(lines)
            continue
        kept = set(
            (strip_solution_directives(cell.source) if cell.cell_type == "markdown" else cell.source)
            .splitlines()
        )
        inside = False
        for line in lines:
            if _BEGIN.match(line):
                inside = True
            elif _END.match(line):
                inside = False
            elif inside or line not in kept:
                secret.append(line)
            else:
                public.append(line)
    # A solution line that the handed-out text also holds (whole, or inside a longer line, as
    # "wrong = sorted(" sits in "truly_wrong = sorted(") gives nothing away.
    public_text = "\n".join(line.strip() for line in public)
    return {line.strip() for line in secret if _meaningful(line)
            if line.strip() not in public_text}


def _strings(node):
    """Every string in a JSON-like structure, keys included."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _strings(value)


def find_leaks(instructor_nb, student_nb) -> list[str]:
    """The solution lines of ``instructor_nb`` found anywhere in ``student_nb``.

    Searches every string of the student notebook: sources, outputs, attachments, cell and
    notebook metadata (widget state included). An empty list means no leak was found.
    """
    haystack = "\n".join(_strings(dict(student_nb)))
    return sorted(line for line in solution_lines(instructor_nb) if line in haystack)
