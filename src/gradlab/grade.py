"""Grade submitted notebooks: run each in its own kernel with the instructor's checks.

``gradlab grade`` (``book/instructors.md``) is built from the pieces here:

1. :func:`read_submission` reads a file without running anything; a file that is not a
   nbformat-4 notebook becomes a clear :class:`Malformed` verdict.
2. :func:`build_graded_notebook` removes every check cell of the submission and puts the
   instructor's checks (hidden ones included) in their places, so editing or deleting a check
   gains nothing.
3. :func:`run_notebook` executes that notebook in a fresh kernel (nbclient) with a time limit
   for the whole notebook; a cell that raises does not stop the others, a time-out or a dead
   kernel stops the run and every check not reached fails.
4. :func:`exercise_results` reads which checks ran without an error, and turns each error into
   feedback that teaches (:func:`feedback_from_error`).

:func:`grade_many` runs step 2 to 4 for each submission in a separate worker process
(``python -m gradlab.grade``), several at once: the grader's own process never imports or
executes a line of a submission, and a submission that crashes its worker costs only its own
points.
"""

from __future__ import annotations

import copy
import csv
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat

from gradlab.assign import check_label, is_check_cell, is_hidden_check

__all__ = [
    "CSV_COLUMNS",
    "Malformed",
    "SourceNotebook",
    "build_graded_notebook",
    "exercise_results",
    "feedback_from_error",
    "grade_many",
    "load_source",
    "read_submission",
    "run_notebook",
    "summary_table",
    "write_csv",
]

CSV_COLUMNS = (
    "student",
    "notebook",
    "exercise",
    "points",
    "max_points",
    "passed",
    "feedback",
    "submission",
)
GRADED_KEY = "gradlab_graded_check"  # cell metadata marking a check the grader inserted
STARTUP_ALLOWANCE = 120  # seconds a worker may spend outside the notebook's own time limit
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_SHAPE = r"\((?:\s*(?:\d+|any)\s*,?)*\)"


# --------------------------------------------------------------------------- the source


@dataclass
class Check:
    """One graded cell of the instructor notebook."""

    label: str
    points: float
    hidden: bool
    index: int
    cell: nbformat.NotebookNode = field(repr=False)


@dataclass
class SourceNotebook:
    """An instructor notebook and its graded checks, in notebook order."""

    path: Path
    notebook: nbformat.NotebookNode = field(repr=False)
    checks: list[Check]

    @property
    def name(self) -> str:
        return self.path.name

    def max_points(self) -> OrderedDict:
        """Exercise label -> points available, in notebook order."""
        out: OrderedDict = OrderedDict()
        for check in self.checks:
            out[check.label] = out.get(check.label, 0) + check.points
        return out


def _points(cell) -> float:
    value = cell.metadata.get("gradlab", {}).get("points", 1)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"points must be a number >= 0; got {value!r}")
    return value


def load_source(path) -> SourceNotebook:
    """Read an instructor notebook and list its checks.

    A check is a code cell tagged ``exercise-check`` or ``hidden-check`` (or carrying
    ``metadata.gradlab.exercise``). Its label is ``metadata.gradlab.exercise``; a check without
    one is named after its position (``check-3``), so it still counts. Points come from
    ``metadata.gradlab.points`` (default 1); an exercise's checks add up.

    Raises
    ------
    ValueError
        The notebook cannot be read, or it has no check cell (nothing to grade).
    """
    path = Path(path)
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as err:  # noqa: BLE001 - any reading error is reported the same way
        raise ValueError(f"source notebook {path}: cannot read it ({err})") from None
    checks = []
    for index, cell in enumerate(nb.cells):
        if not (is_check_cell(cell) or is_hidden_check(cell)):
            continue
        try:
            points = _points(cell)
        except ValueError as err:
            raise ValueError(f"source notebook {path}, cell {index}: {err}") from None
        label = check_label(cell) or f"check-{len(checks) + 1}"
        checks.append(Check(label, points, is_hidden_check(cell), index, cell))
    if not checks:
        raise ValueError(
            f"source notebook {path} has no check cell (tag exercise-check or hidden-check): "
            "nothing to grade"
        )
    return SourceNotebook(path, nb, checks)


# --------------------------------------------------------------------------- a submission


@dataclass
class Malformed:
    """Why a submitted file cannot be graded."""

    reason: str


def read_submission(path) -> nbformat.NotebookNode | Malformed:
    """Read a submitted notebook without running it; a broken file gives a ``Malformed``."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        return Malformed(f"cannot read the file ({err.strerror})")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Malformed("not a notebook: the file is not UTF-8 text")
    except json.JSONDecodeError as err:
        return Malformed(
            f"not a notebook: the file is not valid JSON ({err.msg} at line {err.lineno})"
        )
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        return Malformed("not a notebook: the JSON has no cells")
    version = data.get("nbformat")
    if version != 4:
        return Malformed(
            f"wrong notebook format: nbformat {version!r}, the grader reads nbformat 4 "
            "(open the file in Jupyter and save it again)"
        )
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)  # joins multi-line sources
        nbformat.validate(nb)
    except Exception as err:  # noqa: BLE001 - the validator raises several types
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return Malformed(f"not a valid nbformat 4 notebook ({first[:200]})")
    return nb


def submission_source_name(nb) -> str | None:
    """The source notebook a student copy came from (``metadata.gradlab.source``), if any."""
    meta = nb.get("metadata", {}).get("gradlab", {})
    name = meta.get("source") if isinstance(meta, dict) else None
    return name if isinstance(name, str) else None


# --------------------------------------------------------------------------- grading one


def build_graded_notebook(submission, source: SourceNotebook):
    """The submission with its check cells replaced by the instructor's.

    Every check cell of the submission (tag ``exercise-check``/``hidden-check`` or an exercise
    label in its metadata) is removed. Each instructor check then goes

    * where the submission had its check of the same exercise, else
    * right after the submission's copy of the cell that precedes the check in the instructor
      notebook (student copies keep cell ids), else
    * at the end.

    Returns
    -------
    (NotebookNode, list of (Check, cell))
        The notebook to run, and each inserted cell with the check it stands for.
    """
    slots: dict[str, _Slot] = {}
    cells: list = []
    for cell in submission.cells:
        if is_check_cell(cell) or is_hidden_check(cell):
            label = check_label(cell)
            if is_check_cell(cell) and label and label not in slots:
                slots[label] = _Slot()  # the place this exercise's check had
                cells.append(slots[label])
            continue
        cells.append(copy.deepcopy(cell))

    placed_by_source_id: dict[str, object] = {}
    inserted = []
    for number, check in enumerate(source.checks):
        new = copy.deepcopy(check.cell)
        new["id"] = f"gradlab-check-{number}"
        new.outputs, new.execution_count = [], None
        new.metadata[GRADED_KEY] = number
        slot = None if check.hidden else slots.pop(check.label, None)
        if slot is not None:
            cells[next(i for i, c in enumerate(cells) if c is slot)] = new
        else:
            cells.insert(_insertion_point(cells, source, check, placed_by_source_id), new)
        if "id" in check.cell:
            placed_by_source_id[check.cell["id"]] = new
        inserted.append((check, new))

    nb = nbformat.v4.new_notebook()
    nb.metadata = copy.deepcopy(submission.get("metadata", {}))
    nb.cells = [c for c in cells if not isinstance(c, _Slot)]
    return nb, inserted


class _Slot:
    """Where a submission had a check cell that no instructor check has taken yet."""


def _is_graded(cell) -> bool:
    return not isinstance(cell, _Slot) and GRADED_KEY in cell.metadata


def _insertion_point(cells, source, check, placed_by_source_id) -> int:
    positions = {}
    for pos, cell in enumerate(cells):
        if not isinstance(cell, _Slot) and "id" in cell:
            positions.setdefault(cell["id"], pos)
    for j in range(check.index - 1, -1, -1):
        earlier = source.notebook.cells[j]
        anchor = None
        if earlier.get("id") in placed_by_source_id:
            anchor = next(
                pos for pos, c in enumerate(cells) if c is placed_by_source_id[earlier["id"]]
            )
        elif earlier.get("id") in positions:
            anchor = positions[earlier["id"]]
        if anchor is not None:
            pos = anchor + 1
            # after any checks already placed there, so they keep the instructor's order
            while pos < len(cells) and _is_graded(cells[pos]):
                pos += 1
            return pos
    return len(cells)


@dataclass
class RunStop:
    """Why a run stopped before the last cell.

    ``kind`` is "timeout" (the notebook used up its time), "dead" (the kernel died) or
    "stalled" (the client lost a reply from an idle kernel: not the submission's fault).
    """

    kind: str
    cell_index: int


def run_notebook(
    nb, *, time_limit: float, kernel_name: str = "python3", cwd=None, store_widget_state=False
):
    """Execute ``nb`` in place in a fresh kernel; stop when ``time_limit`` seconds are used.

    Cells that raise are recorded and the run goes on. Returns None when every cell ran, or a
    :class:`RunStop` saying where and why it stopped (a time-out, a dead kernel).
    ``store_widget_state`` saves the widgets' state in the notebook metadata (for a book).

    An error of the client itself while it reads a cell's output (not an error of the cell's
    code) is recorded in that cell as a ``GraderError`` output, and the run goes on.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    client = NotebookClient(
        nb,
        timeout=max(1, math.ceil(time_limit)),
        kernel_name=kernel_name,
        allow_errors=True,
        interrupt_on_timeout=False,
        shutdown_kernel="immediate",
        # nbclient 0.11 raises KeyError on an ipywidgets Output widget unless it keeps widget
        # state (interact() makes one), so the state is always kept; it is dropped below.
        store_widget_state=True,
        record_timing=False,
        startup_timeout=STARTUP_ALLOWANCE,
        resources={"metadata": {"path": str(cwd or os.getcwd())}},
    )
    client.reset_execution_trackers()
    with client.setup_kernel():
        deadline = time.monotonic() + time_limit
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return RunStop("timeout", index)
            client.timeout = max(1, math.ceil(remaining))
            try:
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            except CellTimeoutError:
                # nbclient can miss a cell's reply after widget messages (nbclient issue 312)
                # and wait until the time-out: that is not the submission's fault.
                lost = _reply_was_lost(client, datetime.now(timezone.utc))
                return RunStop("stalled" if lost else "timeout", index)
            except DeadKernelError:
                return RunStop("dead", index)
            except Exception as err:  # noqa: BLE001 - the client's error, not the cell's
                cell.outputs.append(
                    nbformat.v4.new_output(
                        "error",
                        ename="GraderError",
                        evalue=f"the grader could not read this cell's output "
                        f"({type(err).__name__}: {err})",
                        traceback=[],
                    )
                )
        if store_widget_state:
            client.set_widgets_metadata()
    return None


def _reply_was_lost(client, timed_out_at: datetime, seconds: float = 3.0) -> bool:
    """After a cell time-out: did the kernel finish in time and the client miss its reply?

    Asks the kernel for its info and reads the shell channel. A kernel still running the cell
    answers nothing within ``seconds`` (a real time-out). An ``execute_reply`` sent at or after
    the deadline is a cell that finished late (a real time-out too). An ``execute_reply`` sent
    before the deadline, or an info reply with no execute reply before it, means the client
    lost a reply it should have had (nbclient issue 312).
    """
    from jupyter_core.utils import ensure_async, run_sync

    async def next_message(timeout):
        return await ensure_async(client.kc.shell_channel.get_msg(timeout=timeout))

    try:
        info_id = client.kc.kernel_info()
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            msg = run_sync(next_message)(left)
            if msg.get("msg_type") == "execute_reply":
                sent = msg["header"]["date"]
                if isinstance(sent, str):
                    sent = datetime.fromisoformat(sent.replace("Z", "+00:00"))
                return sent < timed_out_at - timedelta(seconds=1)
            if msg.get("parent_header", {}).get("msg_id") == info_id:
                return True
    except Exception:  # noqa: BLE001 - no answer (queue.Empty) or a broken channel
        return False
    return False


def _cell_error(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename", "Error"), _ANSI.sub("", out.get("evalue", ""))
    return None


def _first_line(text: str, limit: int = 300) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _shape_feedback(text: str) -> str:
    expected = re.search(rf"(?:must have shape|expected(?: shape)?)\s*({_SHAPE})", text)
    given = re.search(rf"got\s*({_SHAPE})", text)
    if not (expected and given):
        return f"wrong shape: {_first_line(text)}"
    e, g = expected.group(1), given.group(1)
    e_dims = re.findall(r"\d+|any", e)
    g_dims = re.findall(r"\d+|any", g)
    out = f"wrong shape: expected {e}, got {g}"
    if len(e_dims) == 2 and g_dims == e_dims[::-1] and e_dims != g_dims:
        out += "; that is the transpose: a missing .T, or the factors in the wrong order?"
    elif len(g_dims) < len(e_dims):
        out += "; a dimension is missing: keep it (keepdims=True) or reshape the result"
    elif len(g_dims) > len(e_dims):
        out += "; an extra dimension: sum or reshape it away"
    else:
        out += "; write each factor's shape next to the product and match the dimensions"
    return out


def _gradient_feedback(text: str) -> str:
    report = text.split("\n\n")[0]
    name = re.search(r"gradient check of (.+?) \(", report)
    normwise = re.search(r"normwise relative error\s+(\S+)", report)
    worst = re.search(
        r"worst (entry|direction) relative error (\S+) at \w+ (\([^)]*\)): "
        r"analytic (\S+), numeric (\S+)",
        report,
    )
    tol = re.search(r"tolerance (\S+)", report)
    if not (normwise and worst):
        return f"wrong value: {_first_line(text)}"
    what = f" of {name.group(1)}" if name else ""
    out = f"wrong value{what}: relative error {normwise.group(1)}"
    if tol:
        out += f" (tolerance {tol.group(1)})"
    out += (
        f"; worst {worst.group(1)} {worst.group(3)}: analytic {worst.group(4)}, "
        f"numeric {worst.group(5)} (relative error {worst.group(2)})"
    )
    hints = [ln.strip()[len("hint: ") :] for ln in report.splitlines() if ln.strip().startswith("hint:")]
    if hints:
        out += "; " + "; ".join(hints)
    return out


def feedback_from_error(ename: str, evalue: str) -> str:
    """One line of feedback that teaches, from the error a check cell raised.

    * ``NotImplementedError``: the stub is still there, "not attempted";
    * ``ShapeError``: the expected and given shapes, and the transpose hint when one is the
      other reversed;
    * ``GradientCheckError``: the normwise relative error, the tolerance, the worst entry with
      both values, and the checker's hints (a sign, a factor, a transpose);
    * ``AssertionError``: the check's own message;
    * anything else: the error's name and first line, with a hint for NumPy's shape errors.

    Examples
    --------
    >>> feedback_from_error("ShapeError", "grad must have shape (3, 2); got (2, 3)")
    'wrong shape: expected (3, 2), got (2, 3); that is the transpose: a missing .T, or the factors in the wrong order?'
    >>> feedback_from_error("NotImplementedError", "")
    'not attempted: the solution is still the stub (raise NotImplementedError())'
    """
    text = _ANSI.sub("", evalue or "").strip()
    if ename == "NotImplementedError":
        return "not attempted: the solution is still the stub (raise NotImplementedError())"
    if ename == "ShapeError":
        return _shape_feedback(text)
    if ename == "GradientCheckError":
        return _gradient_feedback(text)
    if ename == "AssertionError":
        return _first_line(text) or "an assertion of the check failed"
    first = f"{ename}: {_first_line(text)}" if text else ename
    if ename == "ValueError" and ("matmul" in text or "broadcast" in text or "shapes" in text):
        return f"wrong shape inside your code: {first}; write each factor's shape next to the product"
    if ename == "NameError":
        return f"{first} (was a function renamed or its cell deleted?)"
    return first


def exercise_results(source: SourceNotebook, nb, inserted, stop: RunStop | None) -> list[dict]:
    """One result per exercise: points, max_points, passed, feedback (after a run)."""
    position = {id(cell): pos for pos, cell in enumerate(nb.cells)}
    student_errors = [
        (pos, err)
        for pos, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        and GRADED_KEY not in cell.metadata
        and (err := _cell_error(cell)) is not None
    ]
    per_check = []
    for check, cell in inserted:
        pos = position[id(cell)]
        error = _cell_error(cell)
        if stop is not None and pos >= stop.cell_index:
            passed, feedback = False, _stop_feedback(stop, nb)
        elif error is not None:
            passed, feedback = False, feedback_from_error(*error)
            earlier = [e for p, e in student_errors if p < pos]
            just_before = _last_student_code_cell(nb, pos)
            if just_before is not None and (_cell_error(just_before) or ("",))[0] == "NotImplementedError":
                # a stub at the top level of a cell raised there; the check then misses its names
                feedback = feedback_from_error("NotImplementedError", "")
            elif earlier and error[0] != "NotImplementedError":
                feedback += (
                    f" (before it, a cell of yours raised {earlier[0][0]}: "
                    f"{_first_line(earlier[0][1], 120)})"
                )
        else:
            passed, feedback = True, ""
        per_check.append((check, passed, feedback))

    results: OrderedDict = OrderedDict()
    for check, passed, feedback in per_check:
        row = results.setdefault(
            check.label,
            {"exercise": check.label, "points": 0, "max_points": 0, "passed": True, "feedback": ""},
        )
        row["max_points"] += check.points
        if passed:
            row["points"] += check.points
        else:
            row["passed"] = False
            if not row["feedback"]:
                row["feedback"] = ("hidden check: " if check.hidden else "") + feedback
    return list(results.values())


def _last_student_code_cell(nb, pos: int):
    for cell in reversed(nb.cells[:pos]):
        if cell.cell_type == "code" and GRADED_KEY not in cell.metadata:
            return cell
    return None


def _stop_feedback(stop: RunStop, nb) -> str:
    cell = nb.cells[stop.cell_index]
    where = f"cell {stop.cell_index} ({_first_line(cell.source, 60)!r})"
    if stop.kind == "timeout":
        return f"not graded: the notebook ran past its time limit in {where}"
    if stop.kind == "dead":
        return f"not graded: the kernel died in {where} (out of memory, or an exit call?)"
    return (
        f"not graded: the grader lost the kernel's reply in {where}, twice "
        "(a fault of the notebook client, not of the submission): grade this one again"
    )


def grade_one(submission_path, source_path, *, time_limit: float, kernel_name: str) -> list[dict]:
    """Grade one readable submission against one source notebook (runs a kernel)."""
    source = load_source(source_path)
    submission = read_submission(submission_path)
    if isinstance(submission, Malformed):
        return _all_failed(source, submission.reason)
    for _attempt in range(2):  # a stalled client gets one more run in a fresh kernel
        nb, inserted = build_graded_notebook(submission, source)
        with tempfile.TemporaryDirectory(prefix="gradlab-grade-") as cwd:
            stop = run_notebook(nb, time_limit=time_limit, kernel_name=kernel_name, cwd=cwd)
        if stop is None or stop.kind != "stalled":
            break
    return exercise_results(source, nb, inserted, stop)


def _all_failed(source: SourceNotebook | None, reason: str) -> list[dict]:
    if source is None:
        return [{"exercise": "", "points": 0, "max_points": 0, "passed": False, "feedback": reason}]
    return [
        {"exercise": label, "points": 0, "max_points": pts, "passed": False, "feedback": reason}
        for label, pts in source.max_points().items()
    ]


# --------------------------------------------------------------------------- grading many


@dataclass
class Job:
    """One submission to grade: who, which file, against which source."""

    student: str
    submission: Path
    source: SourceNotebook | None
    malformed: str | None = None


def _worker_env() -> dict:
    env = dict(os.environ)
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # Several kernels share the cores: one BLAS thread each keeps them from fighting.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    # Grading is offline: a submission's install cell must fail at once, not wait on a network.
    env["PIP_NO_INDEX"] = "1"
    return env


def _run_worker(job: Job, time_limit: float, kernel_name: str) -> list[dict]:
    if job.source is None:
        return _all_failed(None, job.malformed or "no source notebook matches this submission")
    if job.malformed:
        return _all_failed(job.source, job.malformed)
    request = json.dumps(
        {
            "submission": str(job.submission),
            "source": str(job.source.path),
            "time_limit": time_limit,
            "kernel": kernel_name,
        }
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "gradlab.grade"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_worker_env(),
        start_new_session=True,  # so a time-out can end the worker and what it started
    )
    try:
        out, err = proc.communicate(request, timeout=time_limit + STARTUP_ALLOWANCE)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return _all_failed(
            job.source, f"not graded: the grader was stopped after {time_limit + STARTUP_ALLOWANCE:g} s"
        )
    try:
        return json.loads(out.strip().splitlines()[-1])["results"]
    except (IndexError, KeyError, ValueError):
        last = _first_line("\n".join(err.strip().splitlines()[-1:]), 200) or f"exit code {proc.returncode}"
        return _all_failed(job.source, f"grader error: {last}")


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.communicate()


def grade_many(jobs: list[Job], *, time_limit=120.0, kernel_name="python3", workers=2, progress=True):
    """Grade every job, ``workers`` at a time; returns the CSV rows in job order.

    Each job runs in its own worker process and kernel; a job that fails in any way gives
    rows with zero points and the reason, and the others go on.
    """
    from tqdm import tqdm

    rows_by_job: dict[int, list[dict]] = {}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool, tqdm(
        total=len(jobs), desc="grading", unit="notebook", disable=not progress, file=sys.stderr
    ) as bar:
        futures = {
            pool.submit(_run_worker, job, time_limit, kernel_name): number
            for number, job in enumerate(jobs)
        }
        for future in as_completed(futures):
            number = futures[future]
            job = jobs[number]
            try:
                results = future.result()
            except Exception as err:  # noqa: BLE001 - one job's failure must not stop the rest
                results = _all_failed(job.source, f"grader error: {type(err).__name__}: {err}")
            rows_by_job[number] = [
                {
                    "student": job.student,
                    "notebook": job.source.name if job.source else "",
                    **result,
                    "submission": str(job.submission),
                }
                for result in results
            ]
            bar.update(1)
    return [row for number in range(len(jobs)) for row in rows_by_job[number]]


def _number(x) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def write_csv(rows: list[dict], path) -> None:
    """Write the grade rows (columns ``CSV_COLUMNS``)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    **row,
                    "points": _number(row["points"]),
                    "max_points": _number(row["max_points"]),
                    "passed": "true" if row["passed"] else "false",
                }
            )


def summary_table(rows: list[dict]) -> str:
    """Two plain-text tables: each student's total, and each exercise's pass rate."""
    students: OrderedDict = OrderedDict()
    exercises: OrderedDict = OrderedDict()
    for row in rows:
        got, most = students.get(row["student"], (0, 0))
        students[row["student"]] = (got + row["points"], most + row["max_points"])
        if row["exercise"]:
            key = (row["notebook"], row["exercise"])
            passed, total = exercises.get(key, (0, 0))
            exercises[key] = (passed + bool(row["passed"]), total + 1)
    width = max([len("student")] + [len(s) for s in students])
    lines = [f"{'student':<{width}}  points", f"{'-' * width}  ------"]
    for student in sorted(students):
        got, most = students[student]
        lines.append(f"{student:<{width}}  {_number(got)} / {_number(most)}")
    if exercises:
        width = max([len("exercise")] + [len(e) for _, e in exercises])
        lines += ["", f"{'exercise':<{width}}  passed  rate", f"{'-' * width}  ------  ----"]
        for (_, label), (passed, total) in exercises.items():
            lines.append(f"{label:<{width}}  {passed:>2} / {total:<2} {100 * passed / total:4.0f}%")
    return "\n".join(lines)


def _worker_main() -> int:
    """``python -m gradlab.grade``: grade one job read as JSON from stdin; print JSON results."""
    request = json.loads(sys.stdin.read())
    results = grade_one(
        request["submission"],
        request["source"],
        time_limit=float(request["time_limit"]),
        kernel_name=request["kernel"],
    )
    print(json.dumps({"results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(_worker_main())
