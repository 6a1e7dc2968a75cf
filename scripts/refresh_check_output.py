"""Run chapter notebooks and keep only what the repository stores: the final check's output.

    python scripts/refresh_check_output.py notebooks/01-checking-gradients.ipynb [...]

Every code cell's output and execution count is cleared, except the last cell's output (the
chapter check nbval compares), which keeps execution count 1: nbval rejects a cell that has
outputs but no count. Saved widget state is dropped. Exits non-zero, writing nothing, when a
cell raises.
"""

from __future__ import annotations

import os
import pathlib
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def refresh(path: pathlib.Path) -> None:
    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code:
        cell.execution_count = None
        for out in cell.get("outputs", []):
            out.pop("execution_count", None)
    for cell in code[:-1]:
        cell.outputs = []
    # nbval refuses a cell with outputs but no execution count ("Unrun reference cell has
    # outputs"), so the compared cell keeps one: a fixed 1, so re-running changes nothing.
    if code:
        code[-1].execution_count = 1
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps: machine noise in every diff
    nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    nbformat.write(nb, str(path))


def main(argv: list[str]) -> int:
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    if not argv:
        print(__doc__)
        return 2
    status = 0
    for name in argv:
        path = pathlib.Path(name)
        try:
            refresh(path)
        except CellExecutionError as err:
            print(f"{path}: a cell raised, nothing written\n{err}", file=sys.stderr)
            status = 1
            continue
        print(f"{path}: refreshed")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
