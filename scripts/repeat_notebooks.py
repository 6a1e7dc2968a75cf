"""Run the notebook suite several times in a row and show that every run gives the same result.

    python scripts/repeat_notebooks.py --runs 3

Each run is the README's notebook test (`pytest --nbval-lax --nbval-current-env notebooks`) in
a fresh process, so fresh kernels; the outcome of every cell (passed, failed, skipped) is read
from a JUnit XML report. The script prints one line per run and exits non-zero when a run fails
or when two runs differ in any cell's outcome.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parents[1]


def outcomes(report: pathlib.Path) -> dict[str, str]:
    result = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            result[name] = "failed"
        elif case.find("skipped") is not None:
            result[name] = "skipped"
        else:
            result[name] = "passed"
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if args.runs < 2:
        parser.error(f"--runs must be at least 2 to compare runs; got {args.runs}")
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(1, args.runs + 1):
            report = pathlib.Path(tmp) / f"run{i}.xml"
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
                 "--nbval-current-env", "notebooks", f"--junitxml={report}"],
                cwd=ROOT, env=env, capture_output=True, text=True,
            )
            seconds = time.perf_counter() - start
            result = outcomes(report)
            counts = {k: sum(v == k for v in result.values()) for k in ("passed", "failed", "skipped")}
            print(f"run {i}: exit {proc.returncode}, {counts['passed']} passed, "
                  f"{counts['failed']} failed, {counts['skipped']} skipped, {seconds:.0f} s", flush=True)
            if proc.returncode != 0:
                print(proc.stdout[-4000:], file=sys.stderr)
            runs.append((proc.returncode, result))
    status = 0 if all(code == 0 for code, _ in runs) else 1
    first = runs[0][1]
    for i, (_, result) in enumerate(runs[1:], start=2):
        differing = sorted(k for k in first.keys() | result.keys() if first.get(k) != result.get(k))
        if differing:
            status = 1
            print(f"run {i} differs from run 1 in {len(differing)} cell(s):")
            for name in differing[:20]:
                print(f"  {name}: {first.get(name)} -> {result.get(name)}")
    if status == 0:
        print(f"{args.runs} runs, identical outcomes for all {len(first)} notebook cells")
    return status


if __name__ == "__main__":
    sys.exit(main())
