"""`gradlab student`: student copies hold the exercises and nothing of their solutions."""

from __future__ import annotations

import base64
import copy
import json
import pathlib
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from gradlab.assign import (
    NotebookConventionError,
    find_leaks,
    make_student_notebook,
    strip_solution_directives,
    stub_solution_code,
)
from gradlab.cli import main

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "90-tiny-chapter.ipynb"
INLINE_SOLUTION = "Use the transpose of the data matrix on the left of G, as the shapes demand."


def instructor():
    return nbformat.read(str(FIXTURE), as_version=4)


# ------------------------------------------------------------------ the leak scan (independent)


def secret_lines(nb) -> set[str]:
    """Every solution line, found the plain way (not with gradlab.assign's own code)."""
    lines: list[str] = []
    in_block = False
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        text = cell.source
        if "{solution-start}" in text:
            in_block = True
            continue
        if "{solution-end}" in text:
            in_block = False
            continue
        if "solution" in tags or "hidden-check" in tags or (in_block and cell.cell_type == "markdown"):
            lines += text.splitlines()
            continue
        inside = False
        for line in text.splitlines():
            stripped = line.strip()
            if stripped in ("# BEGIN SOLUTION", "```{solution} ex-90-shapes"):
                inside = True
            elif stripped in ("# END SOLUTION", "```") and inside:
                inside = False
            elif inside:
                lines.append(line)
    return {line.strip() for line in lines if len(line.strip()) >= 8}


def strings_in(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from strings_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings_in(value)


def leaked(path: pathlib.Path, secrets: set[str]) -> set[str]:
    """The secrets found in a file: as raw text, JSON-escaped, or in any parsed string."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    found = {s for s in secrets if s in raw or json.dumps(s)[1:-1] in raw}
    try:
        every = "\n".join(strings_in(json.loads(raw)))
    except ValueError:
        return found
    return found | {s for s in secrets if s in every}


def dirty_instructor_notebook():
    """The fixture as an instructor's working copy looks: run, with solutions all over it."""
    nb = instructor()
    client = NotebookClient(nb, timeout=60, kernel_name="python3")
    client.execute()
    solution_cell = next(c for c in nb.cells if "def linreg_gradient(" in c.source)
    bias_cell = next(c for c in nb.cells if "def bias_gradient(" in c.source)
    check_cell = next(c for c in nb.cells if "Check ex-90-linreg" in c.source)
    secret = "return X.T @ residual / X.shape[0]"
    # an output and a traceback that quote the solution
    solution_cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=secret + "\n")]
    check_cell.outputs.append(
        nbformat.v4.new_output("error", ename="Err", evalue=secret, traceback=[secret])
    )
    # tool metadata (nbgrader keeps solution state in cell metadata) and widget state
    bias_cell.metadata["nbgrader"] = {"solution": True, "source": bias_cell.source}
    bias_cell.metadata["jupyter"] = {"source_hidden": True}
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": {"m": {"value": secret}}}
    }
    nb.metadata["otter"] = {"note": "return X.T @ G"}
    # attachments on a kept cell and on a solution cell
    prompt = next(c for c in nb.cells if ":label: ex-90-shapes" in c.source)
    prompt.source += f"\n\n```{{solution}} ex-90-shapes\n{INLINE_SOLUTION}\n```"
    prompt["attachments"] = {"a.txt": {"text/plain": secret}}
    explained = next(c for c in nb.cells if "solution" in c.metadata.get("tags", []))
    explained["attachments"] = {
        "b.png": {"image/png": base64.b64encode(b"png").decode()},
        "b.txt": {"text/plain": "return G.sum(axis=0, keepdims=True)"},
    }
    nbformat.validate(nb)
    return nb


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("student")
    src = root / "src"
    src.mkdir()
    dirty = dirty_instructor_notebook()
    nbformat.write(dirty, str(src / FIXTURE.name))
    out = root / "student"
    status = main(["student", str(src), "-o", str(out)])
    return {"dirty": dirty, "src": src / FIXTURE.name, "out": out, "status": status}


def test_the_command_writes_the_copy(generated):
    assert generated["status"] == 0, "gradlab student refused the fixture (its leak guard?)"


def test_the_scan_sees_every_solution_line_in_the_instructor_notebook(generated):
    secrets = secret_lines(generated["dirty"])
    # the scan can fail: it finds every secret in the notebook they come from
    assert leaked(generated["src"], secrets) == secrets
    for line in (
        "return X.T @ residual / X.shape[0]",
        "residual = X @ w - y",
        "return G.sum(axis=0, keepdims=True)",
        "return X.T @ G",
        INLINE_SOLUTION,
        "db_hidden = bias_gradient(G_hidden)",
    ):
        assert line in secrets


def test_no_solution_line_leaks_into_any_generated_file(generated):
    secrets = secret_lines(generated["dirty"])
    files = [p for p in generated["out"].rglob("*") if p.is_file()]
    assert [p.name for p in files] == [FIXTURE.name]
    for path in files:
        assert leaked(path, secrets) == set()
        assert find_leaks(generated["dirty"], nbformat.read(str(path), as_version=4)) == []


def test_make_student_notebook_alone_leaks_nothing(generated, tmp_path):
    # the same scan without the command's own leak guard in the way
    path = tmp_path / FIXTURE.name
    nbformat.write(make_student_notebook(generated["dirty"], FIXTURE.name).notebook, str(path))
    assert leaked(path, secret_lines(generated["dirty"])) == set()


def test_find_leaks_sees_a_solution_left_in_a_student_copy():
    nb = instructor()
    student = make_student_notebook(nb, FIXTURE.name).notebook
    student.cells[-1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="return X.T @ G\n")
    ]
    assert find_leaks(nb, student) == ["return X.T @ G"]


def test_the_student_copy_keeps_the_exercises_and_drops_the_rest(generated):
    nb = nbformat.read(str(generated["out"] / FIXTURE.name), as_version=4)
    text = [c.source for c in nb.cells]
    assert not any("{solution-start}" in s or "{solution-end}" in s or "{solution}" in s for s in text)
    assert sum("```{exercise}" in s for s in text) == 3
    checks = [c for c in nb.cells if "exercise-check" in c.metadata.get("tags", [])]
    assert [c.metadata["gradlab"]["exercise"] for c in checks] == [
        "ex-90-linreg", "ex-90-bias", "ex-90-shapes"
    ]
    assert not any("hidden-check" in c.metadata.get("tags", []) for c in nb.cells)
    stubs = [c for c in nb.cells if "raise NotImplementedError()" in c.source]
    assert len(stubs) == 3
    assert stubs[0].source.splitlines() == [
        "def linreg_gradient(X, y, w):",
        '    """dL/dw for L(w) = ||Xw - y||^2 / (2N): X (N, D), y (N, 1), w (D, 1); returns (D, 1)."""',
        "    # YOUR CODE HERE",
        "    raise NotImplementedError()",
    ]
    for cell in nb.cells:
        if cell in checks:
            assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False
            assert set(cell.metadata) == {"tags", "gradlab", "editable", "deletable"}
        else:
            assert set(cell.metadata) <= {"tags", "gradlab"}
        assert "attachments" not in cell or not cell["attachments"]
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert set(nb.metadata) == {"kernelspec", "language_info", "gradlab"}
    assert nb.metadata["gradlab"]["source"] == FIXTURE.name
    # ids survive, so the grader can put a deleted check back after its exercise
    assert {c.id for c in nb.cells} <= {c.id for c in instructor().cells}


def test_a_student_notebook_runs_up_to_its_first_stub(generated):
    nb = nbformat.read(str(generated["out"] / FIXTURE.name), as_version=4)
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [
        (i, o["ename"]) for i, c in enumerate(code) for o in c.outputs if o["output_type"] == "error"
    ]
    first_check = next(i for i, c in enumerate(code) if "exercise-check" in c.metadata.get("tags", []))
    assert errors, "a stub must raise when its check calls it"
    assert errors[0] == (first_check, "NotImplementedError")
    assert {name for _, name in errors} == {"NotImplementedError"}
    assert "dL/dy: PASS" in "".join(o.get("text", "") for o in code[-1].outputs)


# ------------------------------------------------------------------ the stub and strip rules


def test_stub_keeps_indentation_and_the_code_around_the_markers():
    source = (
        "def f(x, flag):\n"
        "    y = 2 * x\n"
        "    if flag:\n"
        "        # BEGIN SOLUTION\n"
        "        y = y + 1\n"
        "        # END SOLUTION\n"
        "    return y\n"
    )
    assert stub_solution_code(source) == (
        "def f(x, flag):\n"
        "    y = 2 * x\n"
        "    if flag:\n"
        "        # YOUR CODE HERE\n"
        "        raise NotImplementedError()\n"
        "    return y\n"
    )


def test_stub_accepts_nbgrader_markers_and_several_regions():
    source = "### BEGIN SOLUTION\na = 1\n### END SOLUTION\nb = 2\n# BEGIN SOLUTION\nc = 3\n# END SOLUTION"
    assert stub_solution_code(source).splitlines() == [
        "# YOUR CODE HERE", "raise NotImplementedError()", "b = 2",
        "# YOUR CODE HERE", "raise NotImplementedError()",
    ]


@pytest.mark.parametrize(
    "source, message",
    [
        ("# BEGIN SOLUTION\nx = 1", "line 1: BEGIN SOLUTION is never closed by # END SOLUTION"),
        ("x = 1\n# END SOLUTION", "line 2: END SOLUTION without a BEGIN SOLUTION before it"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION",
         "line 2: BEGIN SOLUTION inside the region opened on line 1"),
    ],
)
def test_unbalanced_markers_are_refused(source, message):
    with pytest.raises(NotebookConventionError, match=message):
        stub_solution_code(source)


def test_strip_solution_directives_handles_fences_and_gated_blocks():
    text = (
        "Before.\n"
        ":::{solution} ex-01-a\n:class: dropdown\nSecret one.\n:::\n"
        "Middle.\n"
        "````{solution-start} ex-01-b\n:class: dropdown\n````\n"
        "Secret two.\n"
        "```python\nsecret_three = 3\n```\n"
        "```{solution-end}\n```\n"
        "After."
    )
    assert strip_solution_directives(text) == "Before.\nMiddle.\nAfter."
    with pytest.raises(NotebookConventionError, match="solution-start has no solution-end"):
        strip_solution_directives("```{solution-start} ex\n```\nSecret.")
    with pytest.raises(NotebookConventionError, match="is never closed by ```"):
        strip_solution_directives("```{solution} ex\nSecret.")


def test_chapter_text_sharing_a_cell_with_a_block_boundary_is_kept():
    nb = instructor()
    start = next(c for c in nb.cells if "{solution-start} ex-90-bias" in c.source)
    prompt = nb.cells[nb.cells.index(start) - 1]
    start.source = prompt.source + "\n\n" + start.source  # prompt and block opening in one cell
    nb.cells.remove(prompt)
    end = next(c for c in nb.cells[nb.cells.index(start):] if "{solution-end}" in c.source)
    end.source += "\n\nA paragraph of the chapter after the block."
    student = make_student_notebook(nb, FIXTURE.name).notebook
    text = "\n".join(c.source for c in student.cells)
    assert "```{exercise} Bias gradient" in text
    assert "A paragraph of the chapter after the block." in text
    assert "solution-start" not in text and "solution-end" not in text and ":class: dropdown" not in text
    assert find_leaks(nb, student) == []


def test_a_solution_cell_without_markers_is_removed_whole():
    nb = instructor()
    cell = next(c for c in nb.cells if "def weight_gradient(" in c.source)
    cell.source = "def weight_gradient(X, G):\n    return X.T @ G"
    copy_ = make_student_notebook(nb, FIXTURE.name)
    assert not any("def weight_gradient" in c.source for c in copy_.notebook.cells)
    assert any("without # BEGIN SOLUTION markers was removed whole" in n for n in copy_.notes)


def test_a_stub_that_breaks_python_is_refused():
    nb = instructor()
    cell = next(c for c in nb.cells if "def weight_gradient(" in c.source)
    cell.source = "x = (1 +\n# BEGIN SOLUTION\n2\n# END SOLUTION\n)"
    with pytest.raises(NotebookConventionError, match="the student version is not valid Python"):
        make_student_notebook(nb, FIXTURE.name)


# ------------------------------------------------------------------ the command's errors


def run_cli(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_bad_arguments_get_clear_errors(tmp_path, capsys):
    status, _, err = run_cli(capsys, "student", str(tmp_path / "nope"), "-o", str(tmp_path / "o"))
    assert status == 2 and "SRC" in err and "no such file or folder" in err
    (tmp_path / "empty").mkdir()
    status, _, err = run_cli(capsys, "student", str(tmp_path / "empty"), "-o", str(tmp_path / "o"))
    assert status == 2 and "the folder holds no .ipynb file" in err
    (tmp_path / "file").write_text("x")
    status, _, err = run_cli(capsys, "student", str(FIXTURE), "-o", str(tmp_path / "file"))
    assert status == 2 and "-o/--output must be a folder" in err
    status, _, err = run_cli(capsys, "student", str(FIXTURE), "-o", str(FIXTURE.parent))
    assert status == 2 and "would overwrite the instructor notebook" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["student", str(FIXTURE)])
    assert exit_info.value.code == 2
    assert "the following arguments are required: -o/--output" in capsys.readouterr().err


def test_a_broken_notebook_is_not_written_and_the_others_are(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    broken = instructor()
    cell = next(c for c in broken.cells if "def bias_gradient(" in c.source)
    cell.source = cell.source.replace("    # END SOLUTION", "")
    nbformat.write(broken, str(src / "01-broken.ipynb"))
    nbformat.write(instructor(), str(src / FIXTURE.name))
    unclosed = copy.deepcopy(instructor())
    unclosed.cells = [c for c in unclosed.cells if "{solution-end}" not in c.source]
    nbformat.write(unclosed, str(src / "02-unclosed.ipynb"))
    status, out, err = run_cli(capsys, "student", str(src), "-o", str(tmp_path / "out"))
    assert status == 1
    index = broken.cells.index(cell)
    assert f"01-broken.ipynb: not written: cell {index}: line " in err
    assert "BEGIN SOLUTION is never closed" in err
    assert "02-unclosed.ipynb: not written: cell " in err and "solution-start" in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [FIXTURE.name]
    assert "3 exercise(s) (ex-90-linreg, ex-90-bias, ex-90-shapes)" in out


# ------------------------------------------------------------------ the book without solutions

INTRO = """# Intro

```{exercise} Warm-up
:label: ex-00-warm

What is the shape of the gradient of a scalar with respect to a 3 x 2 matrix?
```

```{solution} ex-00-warm
:class: dropdown

The gradient has the shape of the matrix, 3 x 2: the warm-up's secret answer.
```

The end.
"""


def tiny_book(root: pathlib.Path) -> pathlib.Path:
    book = root / "book-src"
    (book / "notebooks").mkdir(parents=True)
    (book / "pages").mkdir()
    nbformat.write(instructor(), str(book / "notebooks" / FIXTURE.name))
    (book / "pages" / "intro.md").write_text(INTRO)
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: pages/intro\nchapters:\n  - file: notebooks/90-tiny-chapter\n"
    )
    repo = pathlib.Path(__file__).parents[1]
    (book / "_config.yml").write_text((repo / "_config.yml").read_text())
    # What the real _config.yml points at: the site's extension, assets and bibliography, and
    # the vendored-JS folder (empty here: `make vendor` fills it, and the unit tests run first).
    shutil.copytree(repo / "book" / "_ext", book / "book" / "_ext",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(repo / "book" / "_assets", book / "book" / "_assets")
    shutil.copy(repo / "book" / "references.bib", book / "book" / "references.bib")
    (book / "_vendor" / "static").mkdir(parents=True)
    (book / "_build" / "old").mkdir(parents=True)  # build outputs are never copied
    return book


@pytest.fixture(scope="module")
def stripped(tmp_path_factory):
    book = tiny_book(tmp_path_factory.mktemp("book"))
    out = book / "_build" / "nosolutions"
    status = main(["strip-solutions", str(book), "-o", str(out)])
    return {"book": book, "out": out, "status": status}


def test_strip_solutions_copies_the_book_without_any_solution(stripped):
    import yaml

    assert stripped["status"] == 0
    out = stripped["out"]
    assert not (out / "_build").exists()
    secrets = secret_lines(instructor()) | {"the warm-up's secret answer."}
    secrets.add("The gradient has the shape of the matrix, 3 x 2: the warm-up's secret answer.")
    for path in out.rglob("*"):
        if path.is_file():
            assert leaked(path, secrets) == set(), path
    assert "```{exercise} Warm-up" in (out / "pages" / "intro.md").read_text()
    config = yaml.safe_load((out / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["launch_buttons"]["binderhub_url"] == ""
    assert config["launch_buttons"]["colab_url"] == ""


def test_strip_solutions_keeps_the_outputs_of_the_chapter(stripped):
    nb = nbformat.read(str(stripped["out"] / "notebooks" / FIXTURE.name), as_version=4)
    text = {c.source.splitlines()[0]: c for c in nb.cells if c.cell_type == "code"}
    shapes = "".join(o.get("text", "") for o in text["N, D, K = 6, 3, 4"].outputs)
    assert shapes == "(6, 3) (6, 1) (3, 1)\n"  # executed, with the solutions, before stripping
    stubs = [c for c in nb.cells if "raise NotImplementedError()" in c.source]
    assert len(stubs) == 3 and all(c.outputs == [] for c in stubs)
    checks = [c for c in nb.cells if "exercise-check" in c.metadata.get("tags", [])]
    assert len(checks) == 3 and all(c.outputs == [] for c in checks)


def test_strip_solutions_refuses_a_folder_it_did_not_write(stripped, capsys):
    status = main(["strip-solutions", str(stripped["book"]), "-o", str(stripped["book"] / "pages")])
    assert status == 2
    assert "exists and was not written by gradlab strip-solutions" in capsys.readouterr().err
    status = main(["strip-solutions", str(stripped["book"] / "pages"), "-o", "x"])
    assert status == 2
    assert "has no _config.yml: give the book's root folder" in capsys.readouterr().err


def test_strip_solutions_writes_nothing_when_a_notebook_fails(tmp_path, capsys):
    book = tiny_book(tmp_path)
    nb = instructor()
    nb.cells.insert(2, nbformat.v4.new_code_cell('raise RuntimeError("this chapter is broken")'))
    nbformat.write(nb, str(book / "notebooks" / FIXTURE.name))
    out = tmp_path / "nosolutions"
    status = main(["strip-solutions", str(book), "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert "cell 2 raised RuntimeError: this chapter is broken" in err and "nothing written" in err
    assert not out.exists() and not (tmp_path / "nosolutions.partial").exists()


@pytest.mark.slow
def test_the_book_without_solutions_builds_and_shows_no_solution(stripped):
    import subprocess
    import sys

    out = stripped["out"]
    jb = pathlib.Path(sys.executable).parent / "jupyter-book"
    subprocess.run([str(jb), "build", str(out), "-W", "--keep-going"], check=True,
                   capture_output=True, text=True)
    html = out / "_build" / "html"
    chapter = (html / "notebooks" / "90-tiny-chapter.html").read_text()
    assert "YOUR CODE HERE" in chapter and "Bias gradient" in chapter
    secrets = secret_lines(instructor())
    for path in html.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".ipynb", ".js", ".txt", ".md"):
            text = path.read_text(errors="replace")
            assert not [s for s in secrets if s in text], path
            assert "secret answer" not in text, path


def test_the_docstring_examples_of_the_instructor_modules_hold():
    import doctest

    import gradlab.assign
    import gradlab.grade

    for module in (gradlab.assign, gradlab.grade):
        failed, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert tried > 0 and failed == 0, module.__name__
