"""The ``gradlab`` command: hand out the exercises, grade the submissions, build a book copy.

    gradlab student notebooks/ -o student/
    gradlab grade submissions/ --source notebooks/ -o grades.csv
    gradlab strip-solutions . -o _build/nosolutions-src

``book/instructors.md`` walks through each command; ``gradlab COMMAND --help`` lists the
options.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]


class UsageError(Exception):
    """A bad argument: the message names it, what was expected and what was given."""


def _notebooks_in(paths, *, recursive: bool, what: str) -> list[Path]:
    """The notebooks named by ``paths``: files as given, folders searched for ``*.ipynb``."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            pattern = "**/*.ipynb" if recursive else "*.ipynb"
            inside = sorted(
                p for p in path.glob(pattern) if ".ipynb_checkpoints" not in p.parts and p.is_file()
            )
            if not inside:
                raise UsageError(f"{what} {name}: the folder holds no .ipynb file")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{what} {name}: no such file or folder")
    return found


# --------------------------------------------------------------------------- student


def _cmd_student(args) -> int:
    import nbformat

    from gradlab.assign import NotebookConventionError, find_leaks, make_student_notebook

    sources = _notebooks_in(args.sources, recursive=False, what="SRC")
    out_dir = Path(args.output)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"-o/--output must be a folder; {out_dir} is a file")
    names = {}
    for src in sources:
        if src.name in names:
            raise UsageError(
                f"two sources share the file name {src.name} ({names[src.name]} and {src}); "
                "a student folder holds one notebook of each name"
            )
        names[src.name] = src
        if (out_dir / src.name).resolve() == src.resolve():
            raise UsageError(
                f"-o/--output {out_dir} would overwrite the instructor notebook {src}; "
                "write the student copies to another folder"
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    status = 0
    for src in sources:
        try:
            nb = nbformat.read(str(src), as_version=4)
            copy = make_student_notebook(nb, src.name)
        except NotebookConventionError as err:
            print(f"{src}: not written: {err}", file=sys.stderr)
            status = 1
            continue
        except Exception as err:  # noqa: BLE001 - report an unreadable file and go on
            print(f"{src}: not written: cannot read it as a notebook ({err})", file=sys.stderr)
            status = 1
            continue
        leaks = find_leaks(nb, copy.notebook)
        if leaks:
            print(
                f"{src}: not written: solution lines would leak into the student copy: {leaks[:3]}",
                file=sys.stderr,
            )
            status = 1
            continue
        target = out_dir / src.name
        nbformat.write(copy.notebook, str(target))
        labels = ", ".join(copy.exercises) if copy.exercises else "no exercise found"
        print(
            f"{target}: {len(copy.exercises)} exercise(s) ({labels}); "
            f"{copy.stubbed_cells} solution cell(s) stubbed, {copy.removed_cells} cell(s) removed"
        )
        for note in copy.notes:
            print(f"  note: {note}")
    return status


# --------------------------------------------------------------------------- grade


def _student_id(path: Path, how: str) -> str:
    return path.parent.name if how == "folder" else path.stem


def _match_source(path: Path, nb, sources: dict):
    from gradlab.grade import submission_source_name

    if nb is not None:
        named = submission_source_name(nb)
        if named in sources:
            return sources[named]
    if path.name in sources:
        return sources[path.name]
    if len(sources) == 1:
        return next(iter(sources.values()))
    return None


def _cmd_grade(args) -> int:
    from gradlab.grade import (
        Job,
        Malformed,
        grade_many,
        load_source,
        read_submission,
        summary_table,
        write_csv,
    )

    if not args.time_limit > 0:
        raise UsageError(f"--time-limit must be a number of seconds > 0; got {args.time_limit:g}")
    if args.workers < 1:
        raise UsageError(f"--workers must be at least 1; got {args.workers}")
    _require_kernel(args.kernel)
    output = Path(args.output)
    if output.is_dir():
        raise UsageError(f"-o/--output must be a CSV file name; {output} is a folder")

    sources = {}
    for path in _notebooks_in(args.source, recursive=False, what="--source"):
        try:
            source = load_source(path)
        except ValueError as err:
            if Path(path).name in [Path(s).name for s in args.source]:
                raise UsageError(str(err)) from None
            print(f"note: {err}; skipped", file=sys.stderr)
            continue
        if source.name in sources:
            raise UsageError(f"two --source notebooks share the file name {source.name}")
        sources[source.name] = source
    if not sources:
        raise UsageError("--source names no notebook with a check cell: nothing to grade against")

    jobs = []
    seen: dict = {}
    for path in _notebooks_in(args.submissions, recursive=True, what="SUBMISSION"):
        if any(path.resolve() == s.path.resolve() for s in sources.values()) and not args.allow_source:
            # grading the instructor notebooks themselves is a useful dry run, but only on request
            raise UsageError(
                f"SUBMISSION {path} is a --source notebook; pass --allow-source to grade it anyway"
            )
        nb = read_submission(path)
        malformed = nb.reason if isinstance(nb, Malformed) else None
        source = _match_source(path, None if malformed else nb, sources)
        student = _student_id(path, args.student_id)
        if source is None:
            malformed = malformed or (
                f"no --source notebook matches this submission (its file name is {path.name}; "
                f"sources: {', '.join(sources)})"
            )
        key = (student, source.name if source else path.name)
        if key in seen:
            raise UsageError(
                f"two submissions belong to student {student!r} for {key[1]}: {seen[key]} and {path}; "
                "use --student-id stem when the files sit in one folder"
            )
        seen[key] = path
        jobs.append(Job(student, path, source, malformed))

    rows = grade_many(
        jobs,
        time_limit=args.time_limit,
        kernel_name=args.kernel,
        workers=args.workers,
        progress=not args.no_progress,
    )
    rows.sort(key=lambda r: (r["student"], r["notebook"]))
    output.parent.mkdir(parents=True, exist_ok=True)
    write_csv(rows, output)
    print(summary_table(rows))
    print(f"\nwrote {output}: {len(rows)} row(s), {len(jobs)} submission(s)")
    return 0


def _require_kernel(name: str) -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        known = ", ".join(sorted(KernelSpecManager().find_kernel_specs())) or "none"
        raise UsageError(f"--kernel {name}: no such Jupyter kernel (installed: {known})") from None


# --------------------------------------------------------------------------- book copy


def _cmd_strip_solutions(args) -> int:
    from gradlab.nosolutions import make_book_copy

    try:
        report = make_book_copy(
            Path(args.book),
            Path(args.output),
            execute=not args.no_execute,
            time_limit=args.time_limit,
            kernel_name=args.kernel,
        )
    except (FileNotFoundError, FileExistsError) as err:
        raise UsageError(str(err)) from None
    except ValueError as err:  # a notebook failed: nothing was written
        print(f"gradlab strip-solutions: {err}; nothing written", file=sys.stderr)
        return 1
    for line in report:
        print(line)
    print(f"\nbuild it with: jupyter-book build {args.output}")
    return 0


# --------------------------------------------------------------------------- main


def _positive_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds; got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradlab",
        description="Hand out gradlab's exercises and grade them (see book/instructors.md).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    student = sub.add_parser(
        "student",
        help="write student notebooks: solutions stubbed, hidden checks and outputs removed",
        description="Write a student copy of each instructor notebook into DIR.",
    )
    student.add_argument("sources", nargs="+", metavar="SRC", help="notebooks, or folders of them")
    student.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write to")
    student.set_defaults(run=_cmd_student)

    grade = sub.add_parser(
        "grade",
        help="run submitted notebooks with the instructor's checks; write a CSV of scores",
        description=(
            "Run each submission in its own kernel with the instructor's check cells, and write "
            "one CSV row per student and exercise."
        ),
    )
    grade.add_argument(
        "submissions", nargs="+", metavar="SUBMISSION",
        help="submitted notebooks, or folders searched recursively for them",
    )
    grade.add_argument(
        "-s", "--source", required=True, action="append", metavar="SRC",
        help="instructor notebook(s) or a folder of them (repeatable)",
    )
    grade.add_argument("-o", "--output", required=True, metavar="CSV", help="the grades file")
    grade.add_argument(
        "--student-id", choices=("folder", "stem"), default="folder",
        help="name each student by the submission's folder (default: submissions/alice/01-x.ipynb "
        "is alice) or by its file name without .ipynb (submissions/alice.ipynb is alice)",
    )
    grade.add_argument(
        "-t", "--time-limit", type=_positive_float, default=120.0, metavar="SECONDS",
        help="time limit for running one whole notebook (default 120)",
    )
    grade.add_argument(
        "-j", "--workers", type=int, default=2, metavar="N",
        help="notebooks graded at once, one kernel each (default 2)",
    )
    grade.add_argument("--kernel", default="python3", help="Jupyter kernel to run (default python3)")
    grade.add_argument("--no-progress", action="store_true", help="no progress bar")
    grade.add_argument(
        "--allow-source", action="store_true",
        help="allow grading the --source notebooks themselves (a dry run: full marks expected)",
    )
    grade.set_defaults(run=_cmd_grade)

    strip = sub.add_parser(
        "strip-solutions",
        help="copy the book's sources without solutions (for a book with solutions left out)",
        description=(
            "Copy the book in BOOK (its _config.yml, _toc.yml and the files they use) to DIR "
            "with every solution removed; each notebook is executed first, with its solutions, "
            "so the copy keeps every output. Then build DIR with jupyter-book."
        ),
    )
    strip.add_argument("book", metavar="BOOK", help="the book's folder (holds _config.yml)")
    strip.add_argument("-o", "--output", required=True, metavar="DIR", help="new folder to write")
    strip.add_argument(
        "--no-execute", action="store_true",
        help="do not execute the notebooks (a quick preview: only the stored outputs)",
    )
    strip.add_argument(
        "-t", "--time-limit", type=_positive_float, default=600.0, metavar="SECONDS",
        help="time limit for executing one notebook (default 600)",
    )
    strip.add_argument("--kernel", default="python3", help="Jupyter kernel to run (default python3)")
    strip.set_defaults(run=_cmd_strip_solutions)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``gradlab`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UsageError as err:
        print(f"gradlab {args.command}: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
