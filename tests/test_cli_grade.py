"""`gradlab grade`: every kind of submission gets the grade and the feedback it deserves.

One module-scoped run grades a folder of submissions made from the fixture chapter (a few
kernels, two at a time); the tests read the CSV it wrote. The 50-submission run is marked slow.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import time

import nbformat
import pytest

from gradlab.assign import is_check_cell, is_hidden_check, make_student_notebook
from gradlab.cli import main
from gradlab.grade import (
    CSV_COLUMNS,
    build_graded_notebook,
    exercise_results,
    feedback_from_error,
    grade_one,
    load_source,
    read_submission,
)

FIXTURE = __import__("pathlib").Path(__file__).parent / "fixtures" / "90-tiny-chapter.ipynb"
NAME = FIXTURE.name
STUB = "    # YOUR CODE HERE\n    raise NotImplementedError()"
RIGHT = {
    "linreg_gradient": "    return X.T @ (X @ w - y) / X.shape[0]",
    "bias_gradient": "    return G.sum(axis=0, keepdims=True)",
    "weight_gradient": "    return X.T @ G",
}
WRONG = {
    "linreg_gradient": "    return X.T @ (X @ w - y)",  # forgot the 1/N of the mean
    "bias_gradient": "    return G.sum(axis=0)",  # dropped the kept dimension
    "weight_gradient": "    return G.T @ X",  # the transpose of the answer
}
TIME_LIMIT = 8  # seconds per notebook: the fixture runs in about one


def student_copy():
    return make_student_notebook(nbformat.read(str(FIXTURE), as_version=4), NAME).notebook


def fill(nb, answers):
    """Write answers into the stubs of a student copy (what a student does)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for func, body in answers.items():
            if f"def {func}(" in cell.source:
                assert STUB in cell.source
                cell.source = cell.source.replace(STUB, body)
    return nb


def insert_after(nb, func, source):
    """A new code cell right after the cell that defines ``func``."""
    nb = copy.deepcopy(nb)
    pos = next(i for i, c in enumerate(nb.cells) if f"def {func}(" in c.source)
    nb.cells.insert(pos + 1, nbformat.v4.new_code_cell(source))
    return nb


def insert_after_check(nb, label, source):
    nb = copy.deepcopy(nb)
    pos = next(
        i for i, c in enumerate(nb.cells) if c.metadata.get("gradlab", {}).get("exercise") == label
    )
    nb.cells.insert(pos + 1, nbformat.v4.new_code_cell(source))
    return nb


def submissions() -> dict:
    """Student folder name -> notebook (or raw text for broken files)."""
    student = student_copy()
    edited = fill(student, WRONG)
    for cell in edited.cells:
        if is_check_cell(cell):
            label = cell.metadata["gradlab"]["exercise"]
            cell.source = f'print("{label}: PASS")'
    forged = nbformat.v4.new_code_cell('print("ex-90-bias (hidden): PASS")')
    forged.metadata = {"tags": ["hidden-check"], "gradlab": {"exercise": "ex-90-bias"}}
    edited.cells.append(forged)

    deleted_right = fill(student, RIGHT)
    deleted_right.cells = [c for c in deleted_right.cells if not is_check_cell(c)]
    deleted_wrong = fill(student, WRONG)
    deleted_wrong.cells = [c for c in deleted_wrong.cells if not is_check_cell(c)]

    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}
    return {
        "instructor": nbformat.read(str(FIXTURE), as_version=4),
        "untouched": student,
        "right": fill(student, RIGHT),
        "wrong": fill(student, WRONG),
        "crash": insert_after(
            fill(student, {k: RIGHT[k] for k in ("linreg_gradient", "bias_gradient")}),
            "linreg_gradient",
            'raise RuntimeError("my own experiment went wrong")',
        ),
        "widgets": insert_after(
            fill(student, RIGHT),
            "linreg_gradient",
            "import ipywidgets\nipywidgets.interact(lambda a: print(a), a=(0, 5))",
        ),
        "loops": insert_after_check(
            fill(student, RIGHT), "ex-90-linreg", "while True:\n    pass"
        ),
        "slow": insert_after_check(
            insert_after_check(fill(student, RIGHT), "ex-90-linreg", "import time\ntime.sleep(5)"),
            "ex-90-linreg",
            "import time\ntime.sleep(5)",
        ),
        "dies": insert_after_check(
            fill(student, RIGHT), "ex-90-linreg", "import os\nos._exit(1)"
        ),
        "edited": edited,
        "deleted-right": deleted_right,
        "deleted-wrong": deleted_wrong,
        "not-json": "this is { not a notebook",
        "old-format": json.dumps(v3),
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    subs = root / "submissions"
    for student, nb in submissions().items():
        folder = subs / student
        folder.mkdir(parents=True)
        if isinstance(nb, str):
            (folder / NAME).write_text(nb)
        else:
            nbformat.write(nb, str(folder / NAME))
    out = root / "grades.csv"
    started = time.monotonic()
    status = main(
        [
            "grade", str(subs), "--source", str(FIXTURE), "-o", str(out),
            "--time-limit", str(TIME_LIMIT), "--workers", "2", "--no-progress",
        ]
    )
    seconds = time.monotonic() - started
    assert status == 0
    with open(out, newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = {(r["student"], r["exercise"]): r for r in rows}
    return {"rows": rows, "table": table, "seconds": seconds, "csv": out}


def score(graded, student):
    return sum(float(r["points"]) for r in graded["rows"] if r["student"] == student)


def test_the_csv_has_one_row_per_student_and_exercise(graded):
    header = graded["csv"].read_text().splitlines()[0].split(",")
    assert tuple(header) == CSV_COLUMNS
    students = {r["student"] for r in graded["rows"]}
    assert students == set(submissions())
    for student in students:
        exercises = [r["exercise"] for r in graded["rows"] if r["student"] == student]
        assert exercises == ["ex-90-linreg", "ex-90-bias", "ex-90-shapes"]
    # the hidden check adds its point to the exercise it belongs to
    assert {r["max_points"] for r in graded["rows"] if r["exercise"] == "ex-90-bias"} == {"2"}


def test_the_instructor_notebook_scores_full_marks(graded):
    assert score(graded, "instructor") == 4
    assert all(r["passed"] == "true" and r["feedback"] == "" for r in graded["rows"]
               if r["student"] == "instructor")


def test_right_answers_in_a_student_copy_score_full_marks(graded):
    assert score(graded, "right") == 4


def test_a_notebook_with_an_interactive_widget_is_graded(graded):
    # nbclient 0.11 fails on an Output widget unless it keeps widget state: the chapters use them
    assert score(graded, "widgets") == 4


def test_the_untouched_student_copy_scores_zero_not_attempted(graded):
    assert score(graded, "untouched") == 0
    for r in graded["rows"]:
        if r["student"] == "untouched":
            assert r["passed"] == "false"
            assert r["feedback"].startswith("not attempted"), r["feedback"]


def test_a_wrong_value_reports_the_relative_error_and_the_worst_entry(graded):
    fb = graded["table"][("wrong", "ex-90-linreg")]["feedback"]
    assert fb.startswith("wrong value of dL/dw: relative error ")
    assert "(tolerance 1e-06)" in fb
    assert "worst entry (" in fb and "analytic" in fb and "numeric" in fb
    assert "(1/N, 2, the regularisation)" in fb  # the checker's hint: off by a factor N


def test_a_wrong_shape_names_both_shapes_and_the_transpose(graded):
    fb = graded["table"][("wrong", "ex-90-shapes")]["feedback"]
    assert fb.startswith("wrong shape: expected (3, 4), got (4, 3)"), fb
    assert "transpose" in fb and ".T" in fb
    fb = graded["table"][("wrong", "ex-90-bias")]["feedback"]
    assert fb.startswith("wrong shape: expected (1, 4), got (4,)"), fb
    assert "keepdims=True" in fb
    assert score(graded, "wrong") == 0


def test_a_cell_that_raises_costs_nothing_else(graded):
    t = graded["table"]
    assert t[("crash", "ex-90-linreg")]["passed"] == "true"
    assert t[("crash", "ex-90-bias")]["points"] == "2"
    assert t[("crash", "ex-90-shapes")]["feedback"].startswith("not attempted")


def test_a_notebook_that_loops_forever_keeps_what_ran_before(graded):
    t = graded["table"]
    assert t[("loops", "ex-90-linreg")]["passed"] == "true"
    for label in ("ex-90-bias", "ex-90-shapes"):
        assert t[("loops", label)]["points"] == "0"
        assert "time limit" in t[("loops", label)]["feedback"]
        assert "while True" in t[("loops", label)]["feedback"]  # names the cell


def test_the_time_limit_is_for_the_whole_notebook_not_each_cell(graded):
    # two cells of 5 s each: neither passes the 8 s limit alone, together they do
    t = graded["table"]
    assert t[("slow", "ex-90-linreg")]["passed"] == "true"
    assert "time limit" in t[("slow", "ex-90-bias")]["feedback"]
    assert score(graded, "slow") == 1


def test_a_kernel_that_dies_costs_only_the_checks_not_reached(graded):
    t = graded["table"]
    assert t[("dies", "ex-90-linreg")]["passed"] == "true"
    assert "kernel died" in t[("dies", "ex-90-bias")]["feedback"]
    assert score(graded, "dies") == 1


def test_edited_check_cells_gain_nothing(graded):
    assert score(graded, "edited") == 0
    fb = graded["table"][("edited", "ex-90-shapes")]["feedback"]
    assert fb.startswith("wrong shape"), "the instructor's check ran, not the edited one"


def test_deleted_check_cells_are_put_back(graded):
    assert score(graded, "deleted-wrong") == 0
    assert score(graded, "deleted-right") == 4


def test_malformed_files_get_a_clear_row(graded):
    t = graded["table"]
    for label in ("ex-90-linreg", "ex-90-bias", "ex-90-shapes"):
        assert t[("not-json", label)]["feedback"].startswith(
            "not a notebook: the file is not valid JSON"
        )
        assert t[("old-format", label)]["feedback"].startswith(
            "wrong notebook format: nbformat 3"
        )
        assert t[("not-json", label)]["points"] == "0"


def test_the_summary_table_is_printed(tmp_path, capsys):
    folder = tmp_path / "subs" / "ada"
    folder.mkdir(parents=True)
    nbformat.write(fill(student_copy(), RIGHT), str(folder / NAME))
    status = main(["grade", str(tmp_path / "subs"), "-s", str(FIXTURE),
                   "-o", str(tmp_path / "g.csv"), "--no-progress"])
    out = capsys.readouterr().out
    assert status == 0
    assert re.search(r"^ada\s+4 / 4$", out, re.MULTILINE), out
    assert re.search(r"^ex-90-bias\s+1 / 1\s+100%$", out, re.MULTILINE), out


# ---------------------------------------------------------------- pieces, without a kernel


def test_the_graded_notebook_holds_exactly_the_instructor_checks():
    source = load_source(FIXTURE)
    edited = submissions()["edited"]
    nb, inserted = build_graded_notebook(edited, source)
    checks = [c for c in nb.cells if is_check_cell(c) or is_hidden_check(c)]
    assert [c.source for c in checks] == [c.cell.source for c in source.checks]
    assert not any('print("ex-90' in c.source and "PASS" in c.source and "gradient_check" not in c.source
                   for c in nb.cells if c.cell_type == "code" and "hidden" not in c.source)
    assert len(inserted) == 4


def test_a_deleted_check_goes_back_after_its_exercise():
    source = load_source(FIXTURE)
    nb, _ = build_graded_notebook(submissions()["deleted-right"], source)
    sources = [c.source for c in nb.cells]
    defining = next(i for i, s in enumerate(sources) if "def bias_gradient(" in s)
    assert "Check ex-90-bias" in sources[defining + 1]
    assert "Hidden check of ex-90-bias" in sources[defining + 2]


def test_checks_keep_the_instructor_order_when_only_some_were_deleted():
    source = load_source(FIXTURE)
    student = fill(student_copy(), RIGHT)
    first_check = next(c for c in student.cells if is_check_cell(c))
    student.cells.remove(first_check)
    nb, _ = build_graded_notebook(student, source)
    order = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "code"][2:]
    assert order == [
        "def linreg_gradient(X, y, w):",
        "# Check ex-90-linreg: your gradient against the numeric one.",
        "def bias_gradient(G):",
        "# Check ex-90-bias: the bias gradient of S = XW + b for a quadratic loss.",
        "# Hidden check of ex-90-bias: another batch size, and G left unchanged.",
        "def weight_gradient(X, G):",
        "# Check ex-90-shapes: L(W) = sum(G * XW) has gradient dL/dW.",
        "# Chapter check: the gradient of the loss with respect to the targets.",
    ]


def test_a_stub_at_the_top_level_of_a_cell_is_not_attempted():
    # A solution written at a cell's top level (no def) stubs to a bare raise: that cell
    # raises, and the check after it fails on a missing name. Both mean "not attempted".
    source = load_source(FIXTURE)
    nb, inserted = build_graded_notebook(student_copy(), source)
    stub = next(c for c in nb.cells if "def linreg_gradient(" in c.source)
    stub.outputs = [nbformat.v4.new_output("error", ename="NotImplementedError", evalue="",
                                           traceback=[])]
    check = inserted[0][1]
    check.outputs = [nbformat.v4.new_output("error", ename="NameError",
                                            evalue="name 'linreg_gradient' is not defined",
                                            traceback=[])]
    for other in (cell for _, cell in inserted[1:]):
        other.outputs = [nbformat.v4.new_output("error", ename="NameError",
                                                evalue="name 'W9' is not defined", traceback=[])]
    results = {r["exercise"]: r for r in exercise_results(source, nb, inserted, None)}
    assert results["ex-90-linreg"]["feedback"].startswith("not attempted")
    fb = results["ex-90-shapes"]["feedback"]
    assert fb.startswith("NameError: name 'W9' is not defined")
    assert "before it, a cell of yours raised NotImplementedError" in fb


def _stall_at(monkeypatch, cell_index, times):
    """Make nbclient lose the reply of one cell ``times`` times (nbclient issue 312)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError

    original = NotebookClient.execute_cell
    calls = {"stalled": 0}

    def execute_cell(self, cell, index, **kwargs):
        if index == cell_index and calls["stalled"] < times:
            calls["stalled"] += 1
            raise CellTimeoutError("Cell execution timed out")  # the kernel stays idle
        return original(self, cell, index, **kwargs)

    monkeypatch.setattr(NotebookClient, "execute_cell", execute_cell)
    return calls


def test_a_stalled_client_is_given_a_second_run(tmp_path, monkeypatch):
    path = tmp_path / NAME
    nbformat.write(fill(student_copy(), RIGHT), str(path))
    calls = _stall_at(monkeypatch, 3, times=1)
    results = grade_one(path, FIXTURE, time_limit=TIME_LIMIT, kernel_name="python3")
    assert calls["stalled"] == 1
    assert [r["points"] for r in results] == [1, 2, 1]


def test_a_client_that_stalls_twice_is_reported_not_blamed_on_the_student(tmp_path, monkeypatch):
    path = tmp_path / NAME
    nbformat.write(fill(student_copy(), RIGHT), str(path))
    calls = _stall_at(monkeypatch, 3, times=2)
    results = grade_one(path, FIXTURE, time_limit=TIME_LIMIT, kernel_name="python3")
    assert calls["stalled"] == 2
    for r in results:
        assert r["points"] == 0
        assert "lost the kernel's reply" in r["feedback"] and "grade this one again" in r["feedback"]


def test_read_submission_explains_what_is_wrong(tmp_path):
    bad = tmp_path / "x.ipynb"
    bad.write_bytes(b"\xff\xfe\x00")
    assert read_submission(bad).reason == "not a notebook: the file is not UTF-8 text"
    bad.write_text("[1, 2]")
    assert read_submission(bad).reason == "not a notebook: the JSON has no cells"
    bad.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                               "cells": [{"cell_type": "code"}]}))
    assert read_submission(bad).reason.startswith("not a valid nbformat 4 notebook")
    assert read_submission(tmp_path / "missing.ipynb").reason.startswith("cannot read the file")


def test_feedback_from_other_errors():
    assert feedback_from_error("AssertionError", "bias_gradient must not change G") == (
        "bias_gradient must not change G"
    )
    fb = feedback_from_error("NameError", "name 'bias_gradient' is not defined")
    assert "NameError: name 'bias_gradient' is not defined" in fb and "renamed" in fb
    fb = feedback_from_error(
        "ValueError", "matmul: Input operand 1 has a mismatch in its core dimension 0"
    )
    assert fb.startswith("wrong shape inside your code: ValueError: matmul")


# ---------------------------------------------------------------- bad arguments


def run_cli(capsys, *argv):
    status = main(list(argv))
    return status, capsys.readouterr().err


def test_bad_arguments_get_clear_errors(tmp_path, capsys):
    out = str(tmp_path / "g.csv")
    status, err = run_cli(capsys, "grade", str(tmp_path / "nope"), "-s", str(FIXTURE), "-o", out)
    assert status == 2 and "SUBMISSION" in err and "no such file or folder" in err
    status, err = run_cli(capsys, "grade", str(FIXTURE), "-s", str(FIXTURE), "-o", out)
    assert status == 2 and "is a --source notebook; pass --allow-source" in err
    status, err = run_cli(capsys, "grade", str(FIXTURE), "-s", str(FIXTURE), "-o", out,
                          "--time-limit", "0")
    assert status == 2 and "--time-limit must be a number of seconds > 0; got 0" in err
    status, err = run_cli(capsys, "grade", str(FIXTURE), "-s", str(FIXTURE), "-o", out,
                          "--workers", "0")
    assert status == 2 and "--workers must be at least 1; got 0" in err
    status, err = run_cli(capsys, "grade", str(FIXTURE), "-s", str(FIXTURE), "-o", out,
                          "--kernel", "no-such-kernel")
    assert status == 2 and "--kernel no-such-kernel: no such Jupyter kernel" in err
    status, err = run_cli(capsys, "grade", str(FIXTURE), "-s", str(FIXTURE), "-o", str(tmp_path))
    assert status == 2 and "must be a CSV file name" in err

    plain = tmp_path / "plain.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), str(plain))
    status, err = run_cli(capsys, "grade", str(FIXTURE), "-s", str(plain), "-o", out)
    assert status == 2 and "has no check cell" in err and "nothing to grade" in err


def test_two_files_of_one_student_are_refused(tmp_path, capsys):
    subs = tmp_path / "flat"
    subs.mkdir()
    for who in ("ada", "bob"):
        nbformat.write(student_copy(), str(subs / f"{who}.ipynb"))
    status, err = run_cli(capsys, "grade", str(subs), "-s", str(FIXTURE), "-o",
                          str(tmp_path / "g.csv"))
    assert status == 2 and "two submissions belong to student 'flat'" in err
    assert "--student-id stem" in err


def test_missing_required_options_are_named(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["grade", "x.ipynb", "-o", "g.csv"])
    assert exit_info.value.code == 2
    assert "the following arguments are required: -s/--source" in capsys.readouterr().err


# ---------------------------------------------------------------- 50 submissions


@pytest.mark.slow
def test_fifty_submissions_finish(tmp_path, capsys):
    subs = tmp_path / "subs"
    variants = [fill(student_copy(), RIGHT), student_copy(), fill(student_copy(), WRONG)]
    for number in range(50):
        folder = subs / f"student{number:02d}"
        folder.mkdir(parents=True)
        nbformat.write(variants[number % 3], str(folder / NAME))
    started = time.monotonic()
    status = main(["grade", str(subs), "-s", str(FIXTURE), "-o", str(tmp_path / "g.csv"),
                   "--no-progress"])
    seconds = time.monotonic() - started
    assert status == 0
    with open(tmp_path / "g.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 150
    totals = {}
    for r in rows:
        totals[r["student"]] = totals.get(r["student"], 0) + float(r["points"])
    assert sorted(set(totals.values())) == [0, 4]
    assert sum(v == 4 for v in totals.values()) == 17
    with capsys.disabled():
        print(f"\n50 submissions graded in {seconds:.1f} s (2 workers)")
