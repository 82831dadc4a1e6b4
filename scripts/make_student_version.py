"""Write the student version of an assignment notebook (book/assignments/).

In an assignment, the reference solution of each graded task sits between two comment lines
``# BEGIN SOLUTION`` and ``# END SOLUTION`` in a code cell. The student version

- replaces each such block (markers included) by ``raise NotImplementedError("your code here")``
  at the indentation of the ``# BEGIN SOLUTION`` line,
- removes the hidden check cells (tag ``remove-cell``), which would reveal the answers,
- clears every output and execution count.

The visible autograder cells (tag ``autograder``) stay, so a student sees which checks the
answer must pass.

Usage::

    python scripts/make_student_version.py book/assignments/X.ipynb -o OUT.ipynb
    python scripts/make_student_version.py book/assignments/*.ipynb -o student/   # a folder
    python scripts/make_student_version.py --check book/assignments/*.ipynb

``--check`` writes nothing: it verifies that every solution block is well formed (markers on
their own lines, in code cells, balanced, not nested, not empty, at least one per notebook) and
exits 1 otherwise. Without paths, it acts on every notebook in ``book/assignments/``.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ROOT / "book" / "assignments"
BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
STUB = 'raise NotImplementedError("your code here")'
HIDDEN_TAG = "remove-cell"


class MarkerError(ValueError):
    """A solution block is malformed."""


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def strip_solutions(source: str) -> tuple[str, int]:
    """Replace each solution block of a cell's ``source``; return (new source, block count).

    Raises :class:`MarkerError` for an unbalanced, nested or empty block.

    >>> src = "def f(x):\\n    # BEGIN SOLUTION\\n    return 2 * x\\n    # END SOLUTION\\n"
    >>> print(strip_solutions(src)[0])
    def f(x):
        raise NotImplementedError("your code here")
    <BLANKLINE>
    """
    out: list[str] = []
    blocks = 0
    inside = False
    body = 0
    for number, line in enumerate(source.split("\n"), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise MarkerError(f"line {number}: nested {BEGIN!r}")
            inside, body = True, 0
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + STUB)
        elif stripped == END:
            if not inside:
                raise MarkerError(f"line {number}: {END!r} without {BEGIN!r}")
            if body == 0:
                raise MarkerError(f"line {number}: empty solution block")
            inside = False
            blocks += 1
        elif BEGIN in line or END in line:
            raise MarkerError(f"line {number}: a solution marker must be alone on its line")
        elif inside:
            body += bool(stripped)
        else:
            out.append(line)
    if inside:
        raise MarkerError(f"{BEGIN!r} without {END!r}")
    return "\n".join(out), blocks


def check_notebook(nb: nbformat.NotebookNode) -> int:
    """Validate every solution block of ``nb``; return the number of blocks."""
    total = 0
    for index, cell in enumerate(nb.cells):
        src = _source(cell)
        if cell.cell_type != "code":
            if BEGIN in src or END in src:
                raise MarkerError(f"cell {index}: solution marker outside a code cell")
            continue
        try:
            total += strip_solutions(src)[1]
        except MarkerError as err:
            raise MarkerError(f"cell {index}: {err}") from None
    if total == 0:
        raise MarkerError("no solution block")
    return total


def student_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a student copy of ``nb`` (solutions stubbed, hidden checks removed, no outputs)."""
    check_notebook(nb)
    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        if HIDDEN_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.source = strip_solutions(_source(cell))[0]
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    out.cells = cells
    return out


def _targets(paths: list[Path], output: Path | None) -> list[tuple[Path, Path]]:
    if output is None:
        raise SystemExit("give -o OUT.ipynb (one notebook) or -o FOLDER")
    if output.suffix == ".ipynb":
        if len(paths) != 1:
            raise SystemExit("-o names one notebook; use a folder for several")
        return [(paths[0], output)]
    return [(p, output / p.name) for p in paths]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="assignment notebooks")
    parser.add_argument("-o", "--output", type=Path, help="output notebook or folder")
    parser.add_argument("--check", action="store_true", help="only validate the markers")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(ASSIGNMENTS.glob("*.ipynb"))
    if not paths:
        print("no assignment notebooks found")
        return 1
    if args.check:
        bad = 0
        for path in paths:
            try:
                n = check_notebook(nbformat.read(path, as_version=4))
                print(f"{path}: {n} solution blocks, well formed")
            except MarkerError as err:
                bad += 1
                print(f"{path}: {err}")
        return 1 if bad else 0
    for src, dst in _targets(paths, args.output):
        try:
            student = student_version(nbformat.read(src, as_version=4))
        except MarkerError as err:
            print(f"{src}: {err}")
            return 1
        dst.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(student, dst)
        print(f"{src} -> {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
