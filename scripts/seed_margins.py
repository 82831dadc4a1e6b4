"""Tabulate every hidden check of a notebook over many seeds, not just the first failure.

``scripts/reseed.py`` stops a run at its first failing cell. This script executes each
reseeded notebook in memory with errors allowed (later cells still run, so every hidden
check is reached even when an earlier one failed) and records, for every hidden assert cell
(a code cell tagged ``remove-cell`` whose source contains ``assert``), whether it passed at
each seed and, when it failed, the error's last line. Other code cells that raise are
recorded too (a failing setup cell explains the asserts after it).

Usage::

    python scripts/seed_margins.py --seeds 101 202 303 book/02_*/a1_*.ipynb
    python scripts/seed_margins.py --jobs 2 --seeds 101 202 --out margins.json NB...

Printed per notebook and seed while running; the last line is a JSON list with one table
per notebook::

    {"notebook": ..., "seeds": [...], "seconds": {seed: s},
     "cells": [{"cell": index, "kind": "assert" | "code", "passed": n,
                "failing_seeds": [...], "messages": {seed: message}}]}

Only cells that failed at some seed are listed with ``kind: "code"``; every hidden assert
cell is listed. Exit status 0 when every cell passed at every seed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reseed import ROOT, reseed_source

__all__ = [
    "assert_cells",
    "cell_error",
    "execute_allowing_errors",
    "main",
    "outcomes",
    "parse_seed_runs",
    "run_margins",
    "tabulate",
]

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def assert_cells(nb) -> list[int]:
    """Indices of the hidden assert cells of ``nb`` (tagged ``remove-cell``, with ``assert``).

    >>> import nbformat
    >>> v4 = nbformat.v4
    >>> c = v4.new_code_cell("assert x > 0", metadata={"tags": ["remove-cell"]})
    >>> nb = v4.new_notebook(cells=[v4.new_code_cell("x = 1"), c])
    >>> assert_cells(nb)
    [1]
    """
    return [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and "remove-cell" in _tags(c) and "assert" in c.source
    ]


def cell_error(cell) -> str | None:
    """The last line of the error a executed code cell raised, or ``None`` if it ran.

    >>> import nbformat
    >>> c = nbformat.v4.new_code_cell("assert False, 'x'")
    >>> c.outputs = [nbformat.v4.new_output("error", ename="AssertionError",
    ...                                     evalue="x", traceback=[])]
    >>> cell_error(c)
    'AssertionError: x'
    """
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            evalue = ANSI.sub("", str(out.get("evalue", ""))).strip()
            last = evalue.splitlines()[-1] if evalue else ""
            if not last:  # a bare assert: name the failing line of the cell instead
                lines = ANSI.sub("", "\n".join(out.get("traceback", []))).splitlines()
                arrows = [ln for ln in lines if ln.lstrip().startswith("---->")]
                last = arrows[-1].split("---->", 1)[1].strip() if arrows else ""
            return f"{out.get('ename', 'Error')}: {last}"[:300]
    return None


def outcomes(nb) -> dict:
    """Per-cell outcome of an executed notebook: ``{index: (kind, error_or_None)}``.

    Every hidden assert cell is present; other code cells only when they raised.

    >>> import nbformat
    >>> v4 = nbformat.v4
    >>> bad = v4.new_code_cell("1/0")
    >>> bad.outputs = [v4.new_output("error", ename="ZeroDivisionError",
    ...                              evalue="division by zero", traceback=[])]
    >>> ok = v4.new_code_cell("assert True", metadata={"tags": ["remove-cell"]})
    >>> outcomes(v4.new_notebook(cells=[bad, ok]))
    {0: ('code', 'ZeroDivisionError: division by zero'), 1: ('assert', None)}
    """
    hidden = set(assert_cells(nb))
    out = {}
    for i, c in enumerate(nb.cells):
        if c.cell_type != "code":
            continue
        err = cell_error(c)
        if i in hidden:
            out[i] = ("assert", err)
        elif err is not None:
            out[i] = ("code", err)
    return out


def tabulate(notebook: str, runs: list[dict]) -> dict:
    """One notebook's table from runs ``{"seed", "seconds", "outcomes", "error"}``.

    >>> runs = [{"seed": 1, "seconds": 2.0, "error": "", "outcomes": {3: ("assert", None)}},
    ...         {"seed": 2, "seconds": 3.0, "error": "",
    ...          "outcomes": {3: ("assert", "AssertionError: 0.4")}}]
    >>> t = tabulate("nb.ipynb", runs)
    >>> t["cells"][0]["passed"], t["cells"][0]["failing_seeds"], t["cells"][0]["messages"]
    (1, [2], {'2': 'AssertionError: 0.4'})
    """
    cells: dict[int, dict] = {}
    for r in runs:
        for i, (kind, err) in r["outcomes"].items():
            row = cells.setdefault(
                int(i),
                {"cell": int(i), "kind": kind, "passed": 0, "failing_seeds": [], "messages": {}},
            )
            if err is None:
                row["passed"] += 1
            else:
                row["failing_seeds"].append(r["seed"])
                row["messages"][str(r["seed"])] = err
    for row in cells.values():
        if row["kind"] != "assert":  # a code cell is listed only where it raised
            row["passed"] = len(runs) - len(row["failing_seeds"])
            continue
        # an assert cell that a run never reached (kernel died, timeout) fails there
        for r in runs:
            if int(row["cell"]) not in {int(k) for k in r["outcomes"]}:
                row["failing_seeds"].append(r["seed"])
                row["messages"][str(r["seed"])] = r["error"] or "not reached"
    return {
        "notebook": notebook,
        "seeds": [r["seed"] for r in runs],
        "seconds": {str(r["seed"]): r["seconds"] for r in runs},
        "run_errors": {str(r["seed"]): r["error"] for r in runs if r["error"]},
        "cells": [cells[k] for k in sorted(cells)],
    }


def execute_allowing_errors(nb, path: str, timeout: int) -> tuple[float, str]:
    """Execute ``nb`` in place, in the folder of ``path``, with errors allowed.

    Returns the seconds it took and the error that stopped the run (a timeout, a dead
    kernel), or ``""``: the cells reached before it still hold their outputs.
    """
    from nbclient import NotebookClient

    os.environ.setdefault("MPLBACKEND", "Agg")
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    start = time.perf_counter()
    error = ""
    try:
        client.execute()
    except Exception as exc:  # timeouts, dead kernels: the cells reached so far still count
        error = f"{type(exc).__name__}: {str(exc)[:300]}"
    return round(time.perf_counter() - start, 1), error


def run_margins(path: str, seed: int, timeout: int) -> dict:
    """Execute ``path`` with ``SEED = seed``, errors allowed; return every cell's outcome."""
    import nbformat

    nb = reseed_source(nbformat.read(path, as_version=4), seed)
    seconds, error = execute_allowing_errors(nb, path, timeout)
    return {
        "notebook": Path(path).resolve().relative_to(ROOT).as_posix(),
        "seed": seed,
        "seconds": seconds,
        "error": error,
        "outcomes": outcomes(nb),
    }


def parse_seed_runs(parser, argv: list[str] | None, min_seeds: int = 1, why: str = ""):
    """Add the notebooks, ``--seeds``, ``--jobs`` and ``--timeout`` to ``parser``; parse.

    Non-numeric words after ``--seeds`` are notebooks too. Exits through ``parser.error``
    with fewer than ``min_seeds`` seeds (``why`` says why), no notebook or ``--jobs < 1``.

    >>> args = parse_seed_runs(argparse.ArgumentParser(), ["--seeds", "3", "4", "nb.ipynb"])
    >>> args.seeds, args.notebooks, args.jobs
    ([3, 4], ['nb.ipynb'], 1)
    """
    parser.add_argument("notebooks", nargs="*", help="notebooks to run")
    parser.add_argument("--seeds", nargs="+", required=True)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    args.notebooks += [s for s in args.seeds if not s.isdigit()]
    args.seeds = [int(s) for s in args.seeds if s.isdigit()]
    if len(args.seeds) < min_seeds:
        count = (
            "one non-negative integer" if min_seeds == 1 else f"{min_seeds} non-negative integers"
        )
        parser.error(f"--seeds needs at least {count}{why}")
    if not args.notebooks:
        parser.error("give at least one notebook")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="also write the JSON tables to this file")
    args = parse_seed_runs(parser, argv)
    jobs = [(p, s) for p in args.notebooks for s in args.seeds]
    by_nb: dict[str, list[dict]] = {}
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_margins, p, s, args.timeout) for p, s in jobs]
        for fut in futures:
            r = fut.result()
            by_nb.setdefault(r["notebook"], []).append(r)
            bad = {i: e for i, (_, e) in r["outcomes"].items() if e is not None}
            mark = "ok  " if not bad and not r["error"] else "FAIL"
            print(f"{mark} seed {r['seed']:>6}  {r['seconds']:6.1f} s  {r['notebook']}", flush=True)
            for i, e in sorted(bad.items()):
                print(f"      cell {i}: {e}", flush=True)
            if r["error"]:
                print(f"      run: {r['error']}", flush=True)
    tables = [tabulate(nb, runs) for nb, runs in by_nb.items()]
    if args.out:
        Path(args.out).write_text(json.dumps(tables, indent=1) + "\n")
    failed = any(t["run_errors"] or any(c["failing_seeds"] for c in t["cells"]) for t in tables)
    print(json.dumps(tables))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
