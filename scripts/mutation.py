"""Mutation testing of qnetlab: does any test fail when a formula is changed?

A small driver of our own. For one module of the package it builds seeded AST mutants:

==============  =====================================================================
kind            change
==============  =====================================================================
compare         flip one comparison (``<`` → ``<=``, ``>=`` → ``>``, ``==`` → ``!=``, …)
arith           swap one arithmetic operator (``+`` ↔ ``-``, ``*`` ↔ ``/``, ``^`` → ``|``, …)
constant        change one number (an int ``k`` → ``k + 1``, a float ``x`` → ``2x``)
exponent        change one exponent (``x**2`` → ``x**3``, ``x**y`` → ``x**(y + 1)``)
raise           drop one ``raise`` statement
negate_if       negate the test of one ``if`` (statement or expression)
early_return    return ``None`` before the first statement of one function
boolop          swap ``and`` ↔ ``or``
unary           drop a unary minus or a ``not``
==============  =====================================================================

Docstrings, annotations, f-strings, the messages of ``raise`` statements, ``__all__``,
decorators and ``__repr__``/``__str__`` are never mutated. Each mutant runs in a forked
worker against only the tests that execute the mutated line: a first run of the module's
tests under coverage with per-test contexts maps every line to the test ids that reach it
(cached by the hash of the module and its test files). A mutant is *killed* when one of
those tests fails or errors, or when it exceeds the per-mutant timeout; it *survives*
when they all pass or when no test executes its line. Property tests run with the
Hypothesis ``mutation`` profile of ``tests/conftest.py`` (derandomized like ``ci``, and no
shrinking: a failure is all a mutant needs), so a result is reproducible.

Mutants that change nothing observable (equivalent mutants) are listed with a one-line
reason in ``tests/MUTATION.md``; the script reads the ids in backquotes there and leaves
them out of the score: ``score = killed / (mutants - equivalent)``.

Usage::

    python scripts/mutation.py --module qkd/theory --sample 60 --seed 0
    make mutation MODULE=qkd/theory SAMPLE=60

Prints each module's score and its survivors (``file:line [kind] change  id``), and one
JSON object on the last line. Not part of ``make test``.

>>> sites = collect_sites("def f(x):\\n    '''doc'''\\n    return x ** 2 + 1\\n", "m.py")
>>> sorted({s.kind for s in sites})
['arith', 'constant', 'early_return', 'exponent']
>>> src = "def f(x):\\n    return x < 1\\n"
>>> [(s.kind, s.description) for s in collect_sites(src, "m.py")]
[('early_return', 'return None first'), ('compare', '< -> <='), ('constant', '1 -> 2')]
>>> print(apply_site(src, "m.py", 1))
def f(x):
    return x <= 1
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "qnetlab"
EQUIVALENT_FILE = ROOT / "tests" / "MUTATION.md"

# The tests that exercise each target module (the 12 of issue 21). Any other module falls
# back to the test files that mention its dotted name or one of its public names.
MODULE_TESTS: dict[str, list[str]] = {
    "qkd/theory": ["test_qkd_theory.py", "test_qkd_bounds.py", "test_pinned_qkd_theory.py"],
    "qkd/secret_fractions": [
        "test_qkd_theory.py",
        "test_qkd_bounds.py",
        "test_pinned_qkd_theory.py",
    ],
    "qkd/decoy": ["test_qkd_protocols.py", "test_pinned_qkd_decoy.py"],
    "states": ["test_states.py", "test_pinned_states.py"],
    "qkd/postprocessing": ["test_qkd_postprocessing.py", "test_pinned_qkd_postprocessing.py"],
    "qec/experiments": ["test_qec.py", "test_pinned_qec_experiments.py"],
    "qec/decoder_metrics": ["test_qec.py", "test_pinned_qec_experiments.py"],
    "repeaters/chain": [
        "test_repeaters_chain.py",
        "test_pinned_repeaters_chain.py",
        "test_repeaters_dark_counts.py",
    ],
    "repeaters/waiting_times": [
        "test_repeaters_chain.py",
        "test_pinned_repeaters_chain.py",
        "test_repeaters_dark_counts.py",
    ],
    "qec/small_codes": ["test_qec_small_codes.py", "test_pinned_qec_small_codes.py"],
    "ai/optimizers": ["test_ai_optimizers.py", "test_pinned_ai_optimizers.py"],
    "channels": ["test_channels.py", "test_pinned_channels.py"],
    "repeaters/purification": ["test_repeaters.py", "test_pinned_repeaters_purification.py"],
    "_validation": ["test_validation.py", "test_pinned_validation.py", "test_raises_core.py"],
    "network/routing": [
        "test_network_routing.py",
        "test_pinned_network_routing.py",
        "test_network_segments.py",
    ],
    "network/paths": [
        "test_network_routing.py",
        "test_pinned_network_routing.py",
        "test_network_segments.py",
    ],
}
TARGETS = list(MODULE_TESTS)

_CMP_FLIP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_ARITH_SWAP = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
    ast.BitXor: ast.BitOr,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
    ast.LShift: ast.RShift,
    ast.RShift: ast.LShift,
    ast.MatMult: ast.Mult,
}
_SYMBOL = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.BitXor: "^",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.MatMult: "@",
    ast.And: "and",
    ast.Or: "or",
}
_SKIP_FUNCS = {"__repr__", "__str__"}
# Plugins a mutant run does not need (their start-up would double its cost).
_NO_PLUGINS = [
    f"-pno:{p}"
    for p in ("cacheprovider", "nbval", "xdist", "xdist.looponfail", "anyio", "pytest_cov")
]


@dataclass
class Site:
    """One mutation: where it is, what it does, and a stable id."""

    index: int
    kind: str
    line: int
    description: str
    qualname: str
    ident: str = ""
    _apply: object = field(default=None, repr=False)


class _Collector:
    """Walks a module in a fixed order and records every mutation site."""

    def __init__(self, source: str, relpath: str) -> None:
        self.lines = source.splitlines()
        self.relpath = relpath
        self.sites: list[Site] = []
        self._seen: dict[str, int] = {}

    def add(self, node: ast.AST, kind: str, desc: str, qual: str, apply) -> None:
        line = getattr(node, "lineno", 0)
        text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        key = f"{self.relpath}|{qual}|{kind}|{desc}|{text}"
        nth = self._seen.get(key, 0)
        self._seen[key] = nth + 1
        ident = hashlib.sha1(f"{key}|{nth}".encode()).hexdigest()[:10]
        site = Site(len(self.sites), kind, line, desc, qual, ident, apply)
        self.sites.append(site)

    # -- traversal ---------------------------------------------------------------------

    def body(self, stmts: list[ast.stmt], qual: str) -> None:
        for i, st in enumerate(stmts):
            if i == 0 and _is_docstring(st):
                continue
            self.stmt(st, qual)

    def stmt(self, st: ast.stmt, qual: str) -> None:
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if st.name in _SKIP_FUNCS:
                return
            q = f"{qual}.{st.name}" if qual else st.name
            for d in st.args.defaults + [d for d in st.args.kw_defaults if d is not None]:
                self.expr(d, q)
            body = st.body
            first = 1 if body and _is_docstring(body[0]) else 0
            if first < len(body):

                def early(first=first, body=body):
                    body.insert(first, ast.Return(value=ast.Constant(None)))

                self.add(body[first], "early_return", "return None first", q, early)
            self.body(body, q)
            return
        if isinstance(st, ast.ClassDef):
            q = f"{qual}.{st.name}" if qual else st.name
            self.body(st.body, q)
            return
        if isinstance(st, ast.Raise):
            holder = _Holder.of_stmt(st)
            if holder is not None:
                self.add(st, "raise", "drop raise", qual, holder.replace_with_pass)
            return
        if isinstance(st, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in st.targets
        ):
            return
        if isinstance(st, ast.AnnAssign):
            if st.value is not None:
                self.expr(st.value, qual)
            return
        if isinstance(st, ast.If) and _is_type_checking(st.test):
            return
        if isinstance(st, ast.If):
            node = st

            def neg(node=node):
                node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)

            self.add(st, "negate_if", "negate if", qual, neg)
        if isinstance(st, ast.AugAssign) and type(st.op) in _ARITH_SWAP:
            node, new = st, _ARITH_SWAP[type(st.op)]
            desc = f"{_SYMBOL[type(st.op)]}= -> {_SYMBOL[new]}="

            def swap(node=node, new=new):
                node.op = new()

            self.add(st, "arith", desc, qual, swap)
        for _name, value in ast.iter_fields(st):
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    for s in value:
                        self.stmt(s, qual)
                else:
                    for v in value:
                        if isinstance(v, ast.expr):
                            self.expr(v, qual)
                        elif isinstance(v, ast.AST):
                            self.generic(v, qual)
            elif isinstance(value, ast.expr):
                self.expr(value, qual)
            elif isinstance(value, ast.AST):
                self.generic(value, qual)

    def generic(self, node: ast.AST, qual: str) -> None:
        for value in ast.iter_fields(node):
            v = value[1]
            items = v if isinstance(v, list) else [v]
            for it in items:
                if isinstance(it, ast.stmt):
                    self.stmt(it, qual)
                elif isinstance(it, ast.expr):
                    self.expr(it, qual)
                elif isinstance(it, ast.AST):
                    self.generic(it, qual)

    def expr(self, e: ast.expr, qual: str) -> None:
        if isinstance(e, ast.JoinedStr):
            return
        if isinstance(e, ast.Compare):
            for j, op in enumerate(e.ops):
                new = _CMP_FLIP.get(type(op))
                if new is None:
                    continue
                desc = f"{_SYMBOL[type(op)]} -> {_SYMBOL[new]}"

                def flip(e=e, j=j, new=new):
                    e.ops[j] = new()

                self.add(e, "compare", desc, qual, flip)
        elif isinstance(e, ast.BinOp):
            new = _ARITH_SWAP.get(type(e.op))
            if isinstance(e.op, ast.BitOr) and not qual:
                new = None  # a module-level `A | B` is a type alias, not arithmetic
            if new is not None:
                desc = f"{_SYMBOL[type(e.op)]} -> {_SYMBOL[new]}"

                def swap(e=e, new=new):
                    e.op = new()

                self.add(e, "arith", desc, qual, swap)
            if isinstance(e.op, ast.Pow):
                r = e.right
                if isinstance(r, ast.Constant) and _is_number(r.value):
                    desc = f"**{r.value!r} -> **{r.value + 1!r}"

                    def expo(e=e):
                        e.right = ast.Constant(e.right.value + 1)

                else:
                    desc = "**y -> **(y + 1)"

                    def expo(e=e):
                        e.right = ast.BinOp(left=e.right, op=ast.Add(), right=ast.Constant(1))

                self.add(e, "exponent", desc, qual, expo)
                self.expr(e.left, qual)
                if not (isinstance(r, ast.Constant) and _is_number(r.value)):
                    self.expr(r, qual)
                return
        elif isinstance(e, ast.BoolOp):
            new = ast.Or if isinstance(e.op, ast.And) else ast.And
            desc = f"{_SYMBOL[type(e.op)]} -> {_SYMBOL[new]}"

            def swapb(e=e, new=new):
                e.op = new()

            self.add(e, "boolop", desc, qual, swapb)
        elif isinstance(e, ast.UnaryOp) and isinstance(e.op, (ast.USub, ast.Not)):
            holder = _Holder.find(e)
            if holder is not None:
                desc = "drop unary -" if isinstance(e.op, ast.USub) else "drop not"
                self.add(e, "unary", desc, qual, holder.unwrap)
            if isinstance(e.op, ast.USub) and isinstance(e.operand, ast.Constant):
                return  # -1.0 is one literal: the constant mutation below would double it
        elif isinstance(e, ast.IfExp):

            def negx(e=e):
                e.test = ast.UnaryOp(op=ast.Not(), operand=e.test)

            self.add(e, "negate_if", "negate conditional expression", qual, negx)
        elif isinstance(e, ast.Constant) and _is_number(e.value):
            v = e.value
            if isinstance(v, bool):
                new_v: object = not v
            elif isinstance(v, int):
                new_v = v + 1
            elif isinstance(v, float):
                new_v = 2.0 * v if v != 0.0 else 1.0
            else:
                return
            desc = f"{v!r} -> {new_v!r}"

            def const(e=e, new_v=new_v):
                e.value = new_v

            self.add(e, "constant", desc, qual, const)
            return
        elif isinstance(e, ast.Call):
            self.expr(e.func, qual)
            for a in e.args:
                self.expr(a, qual)
            for kw in e.keywords:
                if kw.arg != "stacklevel":
                    self.expr(kw.value, qual)
            return
        for _, value in ast.iter_fields(e):
            items = value if isinstance(value, list) else [value]
            for it in items:
                if isinstance(it, ast.expr):
                    self.expr(it, qual)
                elif isinstance(it, ast.AST):
                    self.generic(it, qual)


class _Holder:
    """Finds the parent slot of a node so a mutation can replace it."""

    parents: ClassVar[dict[int, tuple[ast.AST, str, int | None]]] = {}

    def __init__(self, parent: ast.AST, fname: str, idx: int | None, node: ast.AST) -> None:
        self.parent, self.fname, self.idx, self.node = parent, fname, idx, node

    @classmethod
    def index(cls, tree: ast.AST) -> None:
        cls.parents = {}
        for parent in ast.walk(tree):
            for fname, value in ast.iter_fields(parent):
                if isinstance(value, list):
                    for i, v in enumerate(value):
                        if isinstance(v, ast.AST):
                            cls.parents[id(v)] = (parent, fname, i)
                elif isinstance(value, ast.AST):
                    cls.parents[id(value)] = (parent, fname, None)

    @classmethod
    def find(cls, node: ast.AST) -> _Holder | None:
        entry = cls.parents.get(id(node))
        return None if entry is None else cls(*entry, node)

    @classmethod
    def of_stmt(cls, node: ast.stmt) -> _Holder | None:
        return cls.find(node)

    def _set(self, new: ast.AST) -> None:
        if self.idx is None:
            setattr(self.parent, self.fname, new)
        else:
            getattr(self.parent, self.fname)[self.idx] = new

    def replace_with_pass(self) -> None:
        self._set(ast.Pass())

    def unwrap(self) -> None:
        self._set(self.node.operand)


def _is_docstring(st: ast.stmt) -> bool:
    return (
        isinstance(st, ast.Expr)
        and isinstance(st.value, ast.Constant)
        and isinstance(st.value.value, str)
    )


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _is_number(v: object) -> bool:
    return isinstance(v, (bool, int, float)) and not isinstance(v, complex)


def _sites_of(tree: ast.Module, source: str, relpath: str) -> list[Site]:
    _Holder.index(tree)
    col = _Collector(source, relpath)
    col.body(tree.body, "")
    return col.sites


def collect_sites(source: str, relpath: str) -> list[Site]:
    """Every mutation site of ``source``, in a fixed order (see the module docstring)."""
    return _sites_of(ast.parse(source), source, relpath)


def apply_site(source: str, relpath: str, index: int) -> str | None:
    """The source of mutant ``index``; None when the mutant does not compile."""
    tree = ast.parse(source)
    sites = _sites_of(tree, source, relpath)
    sites[index]._apply()
    ast.fix_missing_locations(tree)
    text = ast.unparse(tree)
    try:
        compile(text, relpath, "exec")
    except SyntaxError:
        return None
    return text


# --- which tests run each line -----------------------------------------------------------


def module_path(module: str) -> Path:
    """``qkd/theory``, ``qnetlab.qkd.theory`` or ``qnetlab/qkd/theory.py`` → the file."""
    m = module.strip().removesuffix(".py").replace(".", "/")
    m = m.removeprefix("qnetlab/")
    path = PACKAGE / f"{m}.py"
    if not path.is_file():
        raise SystemExit(f"module {module!r}: no file {path}")
    return path


def module_key(path: Path) -> str:
    return path.relative_to(PACKAGE).with_suffix("").as_posix()


def module_test_files(key: str) -> list[Path]:
    """The test files of a module: the explicit map, else those naming it (grep)."""
    tests = ROOT / "tests"
    if key in MODULE_TESTS:
        files = [tests / f for f in MODULE_TESTS[key]]
        return [f for f in files if f.is_file()]
    dotted = "qnetlab." + key.replace("/", ".")
    src = (PACKAGE / f"{key}.py").read_text()
    names = re.findall(r"['\"](\w+)['\"]", _all_block(src))
    found = []
    for f in sorted(tests.glob("test_*.py")):
        text = f.read_text()
        if dotted in text or any(re.search(rf"\b{re.escape(n)}\(", text) for n in names):
            found.append(f)
    return found


def _all_block(src: str) -> str:
    m = re.search(r"__all__\s*=\s*\[(.*?)\]", src, re.S)
    return m.group(1) if m else ""


def coverage_map(path: Path, tests: list[Path], env: dict[str, str]) -> dict[int, set[str]]:
    """Line → ids of the tests that execute it (pytest-cov per-test contexts), cached."""
    h = hashlib.sha1(path.read_bytes())
    for t in tests:
        h.update(t.read_bytes())
    cache_dir = Path(tempfile.gettempdir()) / "qnetlab-mutation"
    cache_dir.mkdir(exist_ok=True)
    cache = cache_dir / f"{module_key(path).replace('/', '_')}-{h.hexdigest()[:16]}.json"
    if cache.is_file():
        raw = json.loads(cache.read_text())
        return {int(k): set(v) for k, v in raw.items()}
    data_file = cache_dir / f"cov-{os.getpid()}"
    dotted = "qnetlab." + module_key(path).replace("/", ".")
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        f"--cov={dotted}",
        "--cov-context=test",
        "--cov-report=",
        *map(str, tests),
    ]
    cenv = dict(env, COVERAGE_FILE=str(data_file))
    proc = subprocess.run(cmd, cwd=ROOT, env=cenv, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"the tests of {module_key(path)} fail before any mutation")
    import coverage

    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    fname = next((f for f in data.measured_files() if Path(f).resolve() == path), None)
    lines: dict[int, set[str]] = {}
    if fname is not None:
        for line, ctxs in data.contexts_by_lineno(fname).items():
            ids = {c.split("|")[0] for c in ctxs}
            lines[line] = {i for i in ids if i} or {""}
    data_file.unlink(missing_ok=True)
    cache.write_text(json.dumps({k: sorted(v) for k, v in lines.items()}))
    return lines


def ids_for_line(line: int, node_line_end: int, cmap: dict[int, set[str]]) -> set[str]:
    ids: set[str] = set()
    for ln in range(line, node_line_end + 1):
        ids |= cmap.get(ln, set())
    return ids


# --- running mutants ----------------------------------------------------------------------


def _preload() -> None:
    """Import the heavy dependencies once, before forking (never qnetlab itself)."""
    import pytest  # noqa: F401

    for mod in ("numpy", "scipy", "scipy.stats", "scipy.optimize", "scipy.linalg", "networkx"):
        try:
            __import__(mod)
        except ImportError:
            pass
    for mod in (
        "cirq",
        "stim",
        "pymatching",
        "sklearn",
        "hypothesis",
        "joblib",
        "_hypothesis_pytestplugin",
        "networkx.algorithms",
    ):
        try:
            __import__(mod)
        except ImportError:
            pass


def _child(workdir: Path, args: list[str]) -> None:
    os.setpgid(0, 0)
    sys.dont_write_bytecode = True
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.path = [str(workdir)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT]
    os.chdir(ROOT)
    import pytest

    rc = pytest.main(args)
    os._exit(int(rc))


@dataclass
class Result:
    site: Site
    status: str  # killed, survived, uncovered, timeout, invalid
    seconds: float


def run_mutants(
    path: Path,
    sites: list[Site],
    cmap: dict[int, set[str]],
    tests: list[Path],
    *,
    jobs: int,
    timeout: float,
    verbose: bool,
) -> list[Result]:
    source = path.read_text()
    relpath = path.relative_to(ROOT).as_posix()
    key_rel = path.relative_to(PACKAGE)
    tree = ast.parse(source)
    end_of = {}
    for node in ast.walk(tree):
        if hasattr(node, "lineno"):
            end_of.setdefault(node.lineno, node.lineno)
    workdirs = []
    for _ in range(jobs):
        d = Path(tempfile.mkdtemp(prefix="qnetlab-mutant-"))
        shutil.copytree(PACKAGE, d / "qnetlab", ignore=shutil.ignore_patterns("__pycache__"))
        workdirs.append(d)
    results: list[Result] = []
    pending = list(sites)
    running: dict[int, tuple[Site, Path, float]] = {}
    free = list(workdirs)
    try:
        while pending or running:
            while pending and free:
                site = pending.pop(0)
                mutant = apply_site(source, relpath, site.index)
                if mutant is None:
                    results.append(Result(site, "invalid", 0.0))
                    continue
                ids = ids_for_line(site.line, site.line, cmap)
                if not ids:
                    results.append(Result(site, "uncovered", 0.0))
                    _report(results[-1], relpath, verbose)
                    continue
                if "" in ids:  # module-level line: every test of the module
                    targets = [str(t) for t in tests]
                else:
                    targets = sorted(ids)
                wd = free.pop()
                (wd / "qnetlab" / key_rel).write_text(mutant)
                args = ["-x", "-q", "--tb=no", "-o", "addopts=", *_NO_PLUGINS, *targets]
                pid = os.fork()
                if pid == 0:
                    try:
                        _child(wd, args)
                    finally:
                        os._exit(99)
                running[pid] = (site, wd, time.monotonic())
            time.sleep(0.02)
            for pid, (site, wd, t0) in list(running.items()):
                done, status = os.waitpid(pid, os.WNOHANG)
                elapsed = time.monotonic() - t0
                if done == 0 and elapsed < timeout:
                    continue
                if done == 0:
                    _kill_group(pid)
                    os.waitpid(pid, 0)
                    outcome = "timeout"
                else:
                    rc = os.waitstatus_to_exitcode(status)
                    outcome = "survived" if rc == 0 else "killed"
                _kill_group(pid)
                (wd / "qnetlab" / key_rel).write_text(source)
                del running[pid]
                free.append(wd)
                results.append(Result(site, outcome, elapsed))
                _report(results[-1], relpath, verbose)
    finally:
        for pid in running:
            _kill_group(pid)
        for d in workdirs:
            shutil.rmtree(d, ignore_errors=True)
    results.sort(key=lambda r: r.site.index)
    return results


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _report(r: Result, relpath: str, verbose: bool) -> None:
    if verbose:
        print(
            f"  {r.status:9s} {relpath}:{r.site.line} [{r.site.kind}] {r.site.description}"
            f"  {r.site.ident}  {r.seconds:.1f}s",
            flush=True,
        )


def equivalent_ids() -> dict[str, str]:
    """Ids listed in tests/MUTATION.md (backquoted 10-hex ids opening a list item) → line."""
    if not EQUIVALENT_FILE.is_file():
        return {}
    out = {}
    for line in EQUIVALENT_FILE.read_text().splitlines():
        if re.match(r"\s*[-*]\s+`[0-9a-f]{10}`", line):
            for ident in re.findall(r"`([0-9a-f]{10})`", line):
                out[ident] = line
    return out


def _show(ident: str, modules: list[str]) -> int:
    """Print the unparsed lines a mutant changes (original, then mutant)."""
    import difflib

    for mod in modules:
        path = module_path(mod)
        relpath = path.relative_to(ROOT).as_posix()
        source = path.read_text()
        for site in collect_sites(source, relpath):
            if site.ident == ident:
                before = ast.unparse(ast.parse(source)).splitlines()
                after = (apply_site(source, relpath, site.index) or "").splitlines()
                print(f"{relpath}:{site.line} [{site.kind}] {site.description} in {site.qualname}")
                for line in difflib.unified_diff(before, after, lineterm="", n=0):
                    if not line.startswith(("---", "+++", "@@")):
                        print(line)
                return 0
    print(f"no mutant {ident} in {', '.join(modules)}")
    return 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--module",
        action="append",
        help="module under qnetlab, e.g. qkd/theory (repeatable; default: the 12 targets)",
    )
    p.add_argument("--sample", type=int, default=0, help="mutants per module (0: all)")
    p.add_argument("--seed", type=int, default=0, help="seed of the sample")
    p.add_argument("--jobs", type=int, default=1, help="mutants run at once")
    p.add_argument("--timeout", type=float, default=0.0, help="seconds per mutant (0: auto)")
    p.add_argument("--kinds", default="", help="comma-separated kinds to keep")
    p.add_argument("--ids", default="", help="comma-separated mutant ids to run (e.g. survivors)")
    p.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    p.add_argument("--show", metavar="ID", help="print the change a mutant id makes, run nothing")
    p.add_argument(
        "--baseline",
        action="store_true",
        help="leave out tests/test_pinned_*.py (the score before issue 21's tests)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="print every outcome")
    a = p.parse_args(argv)

    env = dict(os.environ, HYPOTHESIS_PROFILE="mutation", PYTHONDONTWRITEBYTECODE="1")
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    os.environ.update(env)
    modules = a.module or TARGETS
    if a.show:
        return _show(a.show, modules)
    equiv = equivalent_ids()
    summary: dict[str, dict] = {}
    if not a.list:
        _preload()
    for mod in modules:
        path = module_path(mod)
        key = module_key(path)
        relpath = path.relative_to(ROOT).as_posix()
        source = path.read_text()
        sites = collect_sites(source, relpath)
        if a.kinds:
            keep = set(a.kinds.split(","))
            sites = [s for s in sites if s.kind in keep]
        if a.ids:
            wanted = set(a.ids.split(","))
            sites = [s for s in sites if s.ident in wanted]
        if a.sample and a.sample < len(sites):
            sites = sorted(random.Random(a.seed).sample(sites, a.sample), key=lambda s: s.index)
        if a.list:
            for s in sites:
                print(f"{relpath}:{s.line} [{s.kind}] {s.description}  {s.ident}  {s.qualname}")
            continue
        tests = module_test_files(key)
        if a.baseline:
            tests = [t for t in tests if not t.name.startswith("test_pinned_")]
        if not tests:
            raise SystemExit(f"no test file for {key}")
        t0 = time.monotonic()
        cmap = coverage_map(path, tests, env)
        t_cov = time.monotonic() - t0
        timeout = a.timeout or max(45.0, t_cov)
        print(f"== {relpath}: {len(sites)} mutants, tests: {' '.join(t.name for t in tests)}")
        results = run_mutants(
            path, sites, cmap, tests, jobs=a.jobs, timeout=timeout, verbose=a.verbose
        )
        valid = [r for r in results if r.status != "invalid"]
        eq = [r for r in valid if r.site.ident in equiv]
        killed = [r for r in valid if r.status in ("killed", "timeout")]
        surv = [r for r in valid if r.status in ("survived", "uncovered") and r not in eq]
        denom = len(valid) - len(eq)
        score = len([r for r in killed if r not in eq]) / denom if denom else 1.0
        raw = len(killed) / len(valid) if valid else 1.0
        print(
            f"   {key}: caught {score:.1%} of non-equivalent ({len(killed)} killed, "
            f"{len(surv)} survived, {len(eq)} equivalent; {raw:.1%} of all)"
        )
        for r in surv:
            tag = " (no test runs this line)" if r.status == "uncovered" else ""
            print(
                f"   survivor {relpath}:{r.site.line} [{r.site.kind}] {r.site.description}"
                f"  {r.site.ident}  in {r.site.qualname}{tag}"
            )
        summary[key] = {
            "mutants": len(valid),
            "killed": len(killed),
            "survived": len(surv),
            "equivalent": len(eq),
            "score": round(score, 4),
            "raw_score": round(raw, 4),
            "survivors": [f"{relpath}:{r.site.line}:{r.site.kind}:{r.site.ident}" for r in surv],
        }
    if not a.list:
        print(json.dumps({"seed": a.seed, "sample": a.sample, "modules": summary}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
