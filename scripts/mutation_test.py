"""Break each gradient in gradlab once and show that the tests notice.

    python scripts/mutation_test.py            # every mutation
    python scripts/mutation_test.py -k softmax # those whose name contains "softmax"

For each mutation (flip a sign, drop a transpose, forget 1/N, ...) the script copies the
repository to a temporary folder, applies the one-line change there, and runs

1. the unit tests that guard the mutated module (they must fail), and
2. the chapter notebook that uses it, all cells, in a fresh kernel (its final check cell must
   raise).

It prints one row per mutation and exits non-zero when any mutation survives either stage. A
mutation whose original text is no longer in the source is reported as stale (also an error),
so this list cannot silently rot.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str  # file, relative to the repository
    old: str  # exact text that occurs once in the file
    new: str
    tests: tuple[str, ...]  # pytest node ids or files that must go red
    notebook: str | None  # chapter notebook whose final check cell must go red


MUTATIONS: list[Mutation] = [
    Mutation(
        "check: one-sided step in the central difference",
        "src/gradlab/check.py",
        "grad[idx] = (f_plus - f_minus) / (2 * h)",
        "grad[idx] = (f_plus - f_minus) / h",
        ("tests/test_check.py",),
        "notebooks/01-checking-gradients.ipynb",
    ),
]


def copy_repo(dest: pathlib.Path) -> None:
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "_build", "_vendor", "node_modules", ".hypothesis", ".pytest_cache",
        "__pycache__", ".ruff_cache", "student", ".jupyter_cache",
    )
    shutil.copytree(ROOT, dest, ignore=ignore, dirs_exist_ok=True)


def run_unit_tests(tree: pathlib.Path, tests: tuple[str, ...], env: dict) -> bool:
    """True when the tests fail (the mutation is killed)."""
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=900)
    return proc.returncode != 0


NOTEBOOK_PROBE = textwrap.dedent(
    """
    import sys, pathlib
    sys.path.insert(0, "tests")
    from notebook_tools import read, run_notebook, final_cell_error
    import gradlab
    assert pathlib.Path(gradlab.__file__).resolve().is_relative_to(pathlib.Path.cwd().resolve()), gradlab.__file__
    nb = run_notebook(read(sys.argv[1]), timeout=300)
    err = final_cell_error(nb)
    print("FINAL-CELL-ERROR" if err else "FINAL-CELL-OK", err or "")
    """
)


def run_notebook_check(tree: pathlib.Path, notebook: str, env: dict) -> bool:
    """True when the notebook's final check cell raises (the mutation is killed)."""
    proc = subprocess.run(
        [sys.executable, "-c", NOTEBOOK_PROBE, notebook],
        cwd=tree, env=env, capture_output=True, text=True, timeout=900,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"the notebook probe itself failed:\n{proc.stdout}\n{proc.stderr}")
    return "FINAL-CELL-ERROR" in proc.stdout


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only mutations whose name contains this text")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if args.k in m.name]
    if not chosen:
        print(f"no mutation matches {args.k!r}", file=sys.stderr)
        return 2
    failures = 0
    rows = []
    for m in chosen:
        with tempfile.TemporaryDirectory(prefix="gradlab-mutant-") as tmp:
            tree = pathlib.Path(tmp)
            copy_repo(tree)
            target = tree / m.path
            source = target.read_text()
            if source.count(m.old) != 1:
                rows.append((m.name, "STALE", "STALE"))
                failures += 1
                continue
            target.write_text(source.replace(m.old, m.new))
            env = dict(os.environ, PYTHONPATH=str(tree / "src"), JUPYTER_PLATFORM_DIRS="1")
            unit = run_unit_tests(tree, m.tests, env)
            nb = run_notebook_check(tree, m.notebook, env) if m.notebook else None
        unit_text = "killed" if unit else "SURVIVED"
        nb_text = "n/a" if nb is None else ("killed" if nb else "SURVIVED")
        failures += (not unit) + (nb is False)
        rows.append((m.name, unit_text, nb_text))
        print(f"{m.name:<60} unit tests: {unit_text:<8} final check cell: {nb_text}", flush=True)
    killed_unit = sum(r[1] == "killed" for r in rows)
    killed_nb = sum(r[2] == "killed" for r in rows)
    with_nb = sum(r[2] != "n/a" for r in rows)
    print(
        f"\n{len(rows)} mutations: unit tests killed {killed_unit}/{len(rows)}, "
        f"final check cells killed {killed_nb}/{with_nb}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
