"""Measure how far every hidden check is from failing, over many seeds.

``scripts/seed_margins.py`` says whether a hidden check passed at a seed. A check that passed
at ten seeds can still fail at the eleventh when its bound sits two standard deviations from
the quantity's mean. This script measures the distance. It rewrites every ``assert`` in the
hidden cells whose test is a comparison (``a < b``, ``lo < x < hi``, ``abs(d) <= tol``) so
that the compared values are recorded before the check runs, executes each reseeded notebook,
and keeps for every comparison its *slack* at each seed: ``b - a`` for ``a < b`` or
``a <= b``, ``a - b`` for ``>`` and ``>=``, the smallest one when the assert runs in a loop or
compares arrays. The slack is positive when the check holds.

Over the seeds, ``z = mean(slack) / sd(slack)`` says how many standard deviations separate
the typical run from failure. Checks with a small ``z`` are where the next failure at a
fresh seed will come from, whether or not they failed at the seeds run; a deterministic
check has ``sd = 0`` and is not listed.

Usage::

    python scripts/assert_slack.py --seeds 11 12 13 14 15 16 book/02_*/a1_*.ipynb
    python scripts/assert_slack.py --jobs 2 --seeds 11 12 13 --out slack.json --below 4 NB...

The table of checks below ``--below`` (``z``, default 4) is printed, weakest first; the
last line is a JSON list with, per notebook, every comparison's slack at every seed.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reseed import ROOT, reseed_source
from seed_margins import assert_cells, execute_allowing_errors, parse_seed_runs

__all__ = ["instrument", "main", "recorder_source", "run_slack", "summarise"]

_OPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}

RECORDER = """
def _qn_rec(key, values, ops):
    import numpy as _np
    for j, op in enumerate(ops):
        if op not in ("<", "<=", ">", ">="):
            continue
        a, b = values[j], values[j + 1]
        try:
            a = _np.asarray(a, dtype=float)
            b = _np.asarray(b, dtype=float)
            s = float(_np.min(b - a if op in ("<", "<=") else a - b))
        except Exception:
            continue
        if s != s:
            continue
        k = f"{key}:{j}"
        _QN_SLACK[k] = min(_QN_SLACK.get(k, s), s)
_QN_SLACK = {}
"""


def recorder_source() -> str:
    """Source of the cell that defines the recorder the rewritten asserts call.

    >>> ns = {}
    >>> exec(recorder_source(), ns)
    >>> ns["_qn_rec"]("3:1", [0.2, 0.5, 0.9], ["<", "<"])
    >>> ns["_qn_rec"]("3:1", [0.2, 0.3, 0.9], ["<", "<"])   # a loop: the smallest slack
    >>> {k: round(v, 3) for k, v in ns["_QN_SLACK"].items()}
    {'3:1:0': 0.1, '3:1:1': 0.4}
    """
    return RECORDER


class _Rewrite(ast.NodeTransformer):
    def __init__(self, cell: int):
        self.cell = cell

    def visit_Assert(self, node: ast.Assert):
        test = node.test
        if not isinstance(test, ast.Compare):
            return node
        ops = [_OPS.get(type(op), "other") for op in test.ops]
        if all(op == "other" for op in ops):
            return node
        name = f"_qn_v{node.lineno}"
        values = ast.List(elts=[test.left, *test.comparators], ctx=ast.Load())
        store = ast.Assign(targets=[ast.Name(name, ast.Store())], value=values)
        key = ast.Constant(f"{self.cell}:{node.lineno}")
        call = ast.Expr(
            ast.Call(
                ast.Name("_qn_rec", ast.Load()),
                [key, ast.Name(name, ast.Load()), ast.Constant(ops)],
                [],
            )
        )
        items = [
            ast.Subscript(ast.Name(name, ast.Load()), ast.Constant(i), ast.Load())
            for i in range(len(ops) + 1)
        ]
        check = ast.Assert(ast.Compare(items[0], test.ops, items[1:]), node.msg)
        out = [store, call, check]
        for n in out:
            ast.copy_location(n, node)
        return out


def instrument(source: str, cell: int) -> tuple[str, dict[str, str]]:
    """Rewrite the comparison asserts of ``source`` to record their operands first.

    Returns the new source and, for every recorded comparison ``"cell:line:j"``, the text of
    the assert it belongs to. Each operand is evaluated once, as in the original (a chained
    comparison is evaluated whole rather than short-circuited). A cell that does not parse
    (IPython magics) is returned unchanged.

    >>> src, lines = instrument("x = 0.4\\nassert 0.1 < x < 0.5, 'x'", 7)
    >>> ns = {}
    >>> exec(recorder_source(), ns); exec(src, ns)
    >>> {k: round(v, 3) for k, v in ns["_QN_SLACK"].items()}
    {'7:2:0': 0.3, '7:2:1': 0.1}
    >>> lines["7:2:1"]
    "assert 0.1 < x < 0.5, 'x'"
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source, {}
    text = source.splitlines()
    lines: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare):
            for j in range(len(node.test.ops)):
                first = text[node.lineno - 1].strip()
                lines[f"{cell}:{node.lineno}:{j}"] = first
    tree = ast.fix_missing_locations(_Rewrite(cell).visit(tree))
    return ast.unparse(tree), lines


def run_slack(path: str, seed: int, timeout: int) -> dict:
    """Execute ``path`` at ``seed`` with instrumented hidden asserts; return the slacks."""
    import nbformat

    nb = reseed_source(nbformat.read(path, as_version=4), seed)
    texts: dict[str, str] = {}
    for i in assert_cells(nb):
        nb.cells[i].source, found = instrument(nb.cells[i].source, i)
        texts.update(found)
    fd, dump = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    v4 = nbformat.v4
    nb.cells.insert(0, v4.new_code_cell(recorder_source()))
    nb.cells.append(
        v4.new_code_cell(f"import json as _j\nopen({dump!r}, 'w').write(_j.dumps(_QN_SLACK))")
    )
    seconds, error = execute_allowing_errors(nb, path, timeout)  # recorded so far counts
    try:
        slack = json.loads(Path(dump).read_text() or "{}")
    finally:
        Path(dump).unlink(missing_ok=True)
    return {
        "notebook": Path(path).resolve().relative_to(ROOT).as_posix(),
        "seed": seed,
        "seconds": seconds,
        "error": error,
        "slack": slack,
        "texts": texts,
    }


def summarise(runs: list[dict], below: float = 4.0) -> list[dict]:
    """Comparisons whose ``z = mean / sd`` of the slack over seeds is below ``below``.

    A comparison missing at a seed (its cell failed before it) is summarised over the seeds
    that reached it. Sorted weakest first.

    >>> runs = [{"notebook": "a", "seed": s, "slack": {"3:2:0": v}, "texts": {"3:2:0": "t"}}
    ...         for s, v in [(1, 0.1), (2, 0.3), (3, 0.2)]]
    >>> row = summarise(runs)[0]
    >>> row["key"], row["z"], row["min"], row["n"]
    ('3:2:0', 2.0, 0.1, 3)
    """
    by: dict[tuple[str, str], dict] = {}
    for r in runs:
        for key, s in r["slack"].items():
            row = by.setdefault(
                (r["notebook"], key),
                {"notebook": r["notebook"], "key": key, "text": r["texts"].get(key, "")},
            )
            row.setdefault("values", []).append(s)
    rows = []
    for row in by.values():
        v = row["values"]
        n = len(v)
        mean = sum(v) / n
        sd = math.sqrt(sum((x - mean) ** 2 for x in v) / (n - 1)) if n > 1 else 0.0
        if sd <= 1e-12 * max(1.0, abs(mean)):
            continue
        z = round(mean / sd, 2)
        if z < below:
            rows.append({**row, "n": n, "mean": mean, "sd": sd, "z": z, "min": min(v)})
    return sorted(rows, key=lambda r: r["z"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--below", type=float, default=4.0, help="list checks with z below")
    parser.add_argument("--out", help="also write every run's slacks to this JSON file")
    args = parse_seed_runs(parser, argv, min_seeds=2, why=" (an sd needs two)")
    jobs = [(p, s) for p in args.notebooks for s in args.seeds]
    runs = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_slack, p, s, args.timeout) for p, s in jobs]
        for fut in futures:
            r = fut.result()
            runs.append(r)
            bad = sorted(k for k, s in r["slack"].items() if s < 0)
            mark = "ok  " if not bad and not r["error"] else "FAIL"
            print(f"{mark} seed {r['seed']:>6}  {r['seconds']:6.1f} s  {r['notebook']}", flush=True)
            for k in bad:
                print(f"      {k}: slack {r['slack'][k]:.4g}  {r['texts'].get(k, '')}", flush=True)
            if r["error"]:
                print(f"      run: {r['error']}", flush=True)
            if args.out:
                Path(args.out).write_text(json.dumps(runs, indent=1) + "\n")
    rows = summarise(runs, args.below)
    print(f"\n{len(rows)} comparisons with z < {args.below}, weakest first:")
    for row in rows:
        print(
            f"z {row['z']:6.2f}  min {row['min']:+.4g}  sd {row['sd']:.3g}  n {row['n']}  "
            f"{row['notebook']} {row['key']}  {row['text'][:90]}"
        )
    print(json.dumps(rows))
    return 1 if any(r["min"] < 0 for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
