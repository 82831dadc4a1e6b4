"""Build the coursework with Otter-Grader: student notebooks, autograder bundles, solutions.

The source of each assignment is an Otter Assign master notebook in ``assignments/source/``
(solutions between ``# BEGIN SOLUTION`` / ``# END SOLUTION``, public and hidden tests with
points in ``# BEGIN TESTS`` blocks). For every master, ``otter assign`` writes into
``_build/assignments/<name>/``:

- ``student/``: the notebook students get (no solution, no hidden test) and its public tests;
- ``autograder/``: the autograder bundle ``<name>-autograder_*.zip`` (all tests, for
  ``otter run`` / ``otter grade`` / Gradescope) next to the solution notebook;
- ``solutions/<name>.ipynb``: a copy of the solution notebook, for the teacher.

The student folder is then copied to ``assignments/student/<name>/``, the committed copy that
the book renders and that Colab and Binder open (cell ids are made deterministic so that a
rebuild of unchanged masters changes nothing). ``--check`` builds into a temporary folder and
exits 1 when a committed student copy is out of date.

Usage::

    python scripts/build_assignments.py                   # every assignment (make assignments)
    python scripts/build_assignments.py --check           # committed copies up to date?
    python scripts/build_assignments.py --no-run-tests a1_teleportation_and_bb84
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "assignments" / "source"
STUDENT = ROOT / "assignments" / "student"
BUILD = ROOT / "_build" / "assignments"

__all__ = ["assign", "main", "masters", "normalise_student", "student_files"]


def masters() -> list[Path]:
    """The master notebooks, sorted by name."""
    return sorted(SOURCE.glob("a*.ipynb"))


def normalise_student(path: Path) -> None:
    """Give the cells of a built student notebook deterministic ids (in place)."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    nbformat.write(nb, path)


def assign(master: Path, out: Path, run_tests: bool = True) -> Path:
    """Run ``otter assign`` on ``master`` into ``out``; add ``solutions/``; return ``out``."""
    if out.exists():
        shutil.rmtree(out)
    cmd = [str(Path(sys.executable).with_name("otter")), "assign", "--no-pdfs"]
    if not run_tests:
        cmd.append("--no-run-tests")
    done = subprocess.run(
        [*cmd, master.name, str(out)], cwd=master.parent, capture_output=True, text=True
    )
    # with its test run, otter assign reports a solution that fails a test but exits 0
    if done.returncode != 0 or "Test case failed" in done.stdout + done.stderr:
        raise RuntimeError(f"otter assign {master.name} failed:\n{done.stdout}\n{done.stderr}")
    normalise_student(out / "student" / master.name)
    solutions = out / "solutions"
    solutions.mkdir()
    shutil.copy(out / "autograder" / master.name, solutions / master.name)
    return out


def student_files(folder: Path) -> list[str]:
    """Relative paths of the files in a student folder (logs, caches and checkpoints aside)."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith((".", "__")) for part in p.relative_to(folder).parts)
    )


def _same(built: Path, committed: Path) -> bool:
    if not committed.is_dir() or student_files(built) != student_files(committed):
        return False
    return all(filecmp.cmp(built / f, committed / f, shallow=False) for f in student_files(built))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="assignment names (default: all)")
    parser.add_argument("--check", action="store_true", help="only compare committed copies")
    parser.add_argument("--no-run-tests", action="store_true", help="skip Otter's own test run")
    args = parser.parse_args(argv)
    chosen = [m for m in masters() if not args.names or m.stem in args.names]
    if not chosen:
        print("no assignment matches", args.names)
        return 1
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) if args.check else BUILD
        for master in chosen:
            out = assign(master, base / master.stem, run_tests=not args.no_run_tests)
            committed = STUDENT / master.stem
            if args.check:
                if not _same(out / "student", committed):
                    stale.append(master.stem)
                continue
            if committed.exists():
                shutil.rmtree(committed)
            shutil.copytree(out / "student", committed)
            print(f"{master.stem}: {out.relative_to(ROOT)} (student, autograder, solutions)")
    if known := {m.stem for m in masters()}:
        extra = sorted(p.name for p in STUDENT.glob("*") if p.is_dir() and p.name not in known)
        stale += [f"{name} (no master)" for name in extra]
    for name in stale:
        print(f"out of date: assignments/student/{name}; run `make assignments`")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
