"""List every ``raise`` statement of the package that the tests never executed.

Reads the JSON report of coverage.py (``make test`` writes ``coverage.json``; any run
with ``--cov=qnetlab --cov-report=json:coverage.json`` does) and the AST of every module
under ``qnetlab/``: a ``raise`` whose line is not among the file's executed lines was
never reached, so nothing checks that the error it promises is raised. Lines coverage
excludes (``# pragma: no cover``) and files coverage did not measure at all are reported
separately.

Usage::

    python scripts/check_raises.py                     # coverage.json in the repo root
    python scripts/check_raises.py --json cov.json --module qkd/theory --fail

Prints ``file:line  raise <exception>  in <function>`` per uncovered raise, a summary
per module, and one JSON object on the last line. ``--fail`` exits with 1 if any raise is
uncovered.

>>> src = "def f(x):\\n    if x:\\n        raise ValueError('x')\\n    return 1\\n"
>>> [(r.line, r.exception, r.function) for r in raises_in(src)]
[(3, 'ValueError', 'f')]
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "qnetlab"


@dataclass(frozen=True)
class Raise:
    """One ``raise`` statement: its line, the exception it raises, the enclosing function."""

    line: int
    exception: str
    function: str


def raises_in(source: str) -> list[Raise]:
    """Every ``raise`` statement of ``source`` with its line and enclosing function."""
    out: list[Raise] = []

    def visit(node: ast.AST, func: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                visit(child, f"{func}.{child.name}" if func else child.name)
                continue
            if isinstance(child, ast.Raise):
                exc = child.exc
                if isinstance(exc, ast.Call):
                    exc = exc.func
                name = ast.unparse(exc) if exc is not None else "(re-raise)"
                out.append(Raise(child.lineno, name, func or "<module>"))
            visit(child, func)

    visit(ast.parse(source), "")
    return sorted(out, key=lambda r: r.line)


def _measured(report: dict) -> dict[Path, dict]:
    files = {}
    for name, data in report.get("files", {}).items():
        path = Path(name)
        if not path.is_absolute():
            path = ROOT / path
        files[path.resolve()] = data
    return files


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--json", default=str(ROOT / "coverage.json"), help="coverage JSON report")
    p.add_argument("--module", action="append", help="only these modules, e.g. qkd/theory")
    p.add_argument("--fail", action="store_true", help="exit 1 if a raise is uncovered")
    a = p.parse_args(argv)

    report_path = Path(a.json)
    if not report_path.is_file():
        raise SystemExit(
            f"no coverage report at {report_path}: run make test (or pytest with "
            "--cov=qnetlab --cov-report=json:coverage.json) first"
        )
    measured = _measured(json.loads(report_path.read_text()))
    files = sorted(PACKAGE.rglob("*.py"))
    if a.module:
        keep = {
            m.strip().removesuffix(".py").replace(".", "/").removeprefix("qnetlab/")
            for m in a.module
        }
        files = [f for f in files if f.relative_to(PACKAGE).with_suffix("").as_posix() in keep]
    total = uncovered = excluded = 0
    unmeasured: list[str] = []
    per_module: dict[str, dict[str, int]] = {}
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        found = raises_in(path.read_text())
        if not found:
            continue
        data = measured.get(path.resolve())
        if data is None:
            unmeasured.append(rel)
            continue
        executed = set(data.get("executed_lines", []))
        skipped = set(data.get("excluded_lines", []))
        miss = 0
        for r in found:
            total += 1
            if r.line in skipped:
                excluded += 1
            elif r.line not in executed:
                miss += 1
                print(f"{rel}:{r.line}  raise {r.exception}  in {r.function}")
        uncovered += miss
        per_module[rel] = {"raises": len(found), "uncovered": miss}
    print(f"-- {uncovered} of {total} raise statements never executed ({excluded} excluded)")
    for rel in unmeasured:
        print(f"-- not measured: {rel}")
    print(
        json.dumps(
            {
                "raises": total,
                "uncovered": uncovered,
                "excluded": excluded,
                "unmeasured_files": unmeasured,
                "modules": per_module,
            }
        )
    )
    return 1 if a.fail and uncovered else 0


if __name__ == "__main__":
    sys.exit(main())
