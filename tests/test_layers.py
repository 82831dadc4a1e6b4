"""The package's layering, read from the source: every import of every module of qnetlab.

The rules (README, "Architecture"; issue 17), with no exceptions list:

(a) a physics package (states, channels, protocols, qkd, repeaters, qec, tomography) never
    imports ``ai``, ``network`` or ``qnn`` (the AI and network layers sit on top);
(b) no private name (``_x``: a module or an attribute) is imported from another subpackage;
    ``qnetlab._validation`` at the package root is the one shared internal module;
(c) no import of a qnetlab module inside a function: the package's own modules are imported
    at the top, so a module's dependencies are visible in its first lines (function-level
    imports are for heavy optional libraries only: cirq, TensorFlow, sklearn, scipy, tqdm);
(d) no file of the package is over 800 lines.

Every import statement is read from the AST, including those inside functions and methods,
``from . import x`` and ``from .. import x`` forms, and imports under ``if TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "qnetlab"
PHYSICS = ("states", "channels", "protocols", "qkd", "repeaters", "qec", "tomography", "sensing")
UPPER = ("ai", "network", "qnn")
SHARED_INTERNAL = "qnetlab._validation"
MAX_LINES = 800


@dataclass(frozen=True)
class Import:
    """One imported name: ``module`` (absolute), the ``attribute`` taken from it, if any."""

    importer: str
    module: str
    attribute: str | None
    line: int
    in_function: bool

    def where(self) -> str:
        what = self.module + (f".{self.attribute}" if self.attribute else "")
        return f"{self.importer}:{self.line} imports {what}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(importer: str, is_package: bool, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def imports_of(source: str, importer: str, *, is_package: bool, known: set[str]) -> list[Import]:
    """Every import of ``source`` into qnetlab, as (module, attribute) pairs.

    ``from X import a`` is an import of the module ``X.a`` when that is a module of the
    package (``from . import bb84``), else of the attribute ``a`` of ``X``.
    """
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node

    def in_function(node: ast.AST) -> bool:
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                return True
        return False

    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                out.append(Import(importer, alias.name, None, node.lineno, in_function(node)))
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(importer, is_package, node.module, node.level)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:
                    out.append(Import(importer, sub, None, node.lineno, in_function(node)))
                else:
                    out.append(Import(importer, base, alias.name, node.lineno, in_function(node)))
    return [i for i in out if i.module == "qnetlab" or i.module.startswith("qnetlab.")]


def layer(module: str) -> str:
    """The subpackage (or root module) a qnetlab module belongs to: ``qkd``, ``tomography``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def target_layer(imp: Import) -> str:
    if imp.module == "qnetlab" and imp.attribute:
        return imp.attribute
    return layer(imp.module)


def is_private(imp: Import) -> bool:
    if imp.module == SHARED_INTERNAL:
        return bool(imp.attribute and imp.attribute.startswith("_"))
    names = imp.module.split(".")[1:] + ([imp.attribute] if imp.attribute else [])
    return any(n.startswith("_") and not n.startswith("__") for n in names)


def scan() -> list[Import]:
    modules = all_modules()
    known = set(modules)
    out = []
    for name, path in modules.items():
        is_pkg = path.name == "__init__.py"
        out += imports_of(path.read_text(), name, is_package=is_pkg, known=known)
    return out


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return scan()


def physics_violations(imports: list[Import]) -> list[str]:
    return [i.where() for i in imports if layer(i.importer) in PHYSICS and target_layer(i) in UPPER]


def private_violations(imports: list[Import]) -> list[str]:
    return [i.where() for i in imports if is_private(i) and target_layer(i) != layer(i.importer)]


def function_level_violations(imports: list[Import]) -> list[str]:
    return [i.where() for i in imports if i.in_function]


def test_the_scanner_reads_every_form_of_import() -> None:
    # The rules below can only fail if the scanner sees what they look for.
    src = (
        "from __future__ import annotations\n"
        "import qnetlab.ai.rl\n"
        "from .. import ai\n"
        "from . import _engine, bb84\n"
        "from ..repeaters.memory import _decay\n"
        "from .._validation import check_integer\n"
        "def f():\n"
        "    from ..network import routing\n"
        "    import cirq\n"
        "class C:\n"
        "    def m(self):\n"
        "        from .theory import binary_entropy\n"
    )
    known = {
        "qnetlab.ai",
        "qnetlab.ai.rl",
        "qnetlab.qkd",
        "qnetlab.qkd._engine",
        "qnetlab.qkd.bb84",
        "qnetlab.qkd.theory",
        "qnetlab.network",
        "qnetlab.network.routing",
        "qnetlab.repeaters.memory",
    }
    got = imports_of(src, "qnetlab.qkd.fake", is_package=False, known=known)
    assert [i.where().split(" imports ")[1] for i in got] == [
        "qnetlab.ai.rl",
        "qnetlab.ai",
        "qnetlab.qkd._engine",
        "qnetlab.qkd.bb84",
        "qnetlab.repeaters.memory._decay",
        "qnetlab._validation.check_integer",
        "qnetlab.network.routing",
        "qnetlab.qkd.theory.binary_entropy",
    ]
    assert physics_violations(got) == [
        "qnetlab.qkd.fake:2 imports qnetlab.ai.rl",
        "qnetlab.qkd.fake:3 imports qnetlab.ai",
        "qnetlab.qkd.fake:8 imports qnetlab.network.routing",
    ]
    # _engine is private but inside qkd; _decay crosses from repeaters; _validation is shared.
    assert private_violations(got) == ["qnetlab.qkd.fake:5 imports qnetlab.repeaters.memory._decay"]
    assert function_level_violations(got) == [
        "qnetlab.qkd.fake:8 imports qnetlab.network.routing",
        "qnetlab.qkd.fake:12 imports qnetlab.qkd.theory.binary_entropy",
    ]
    # A package's relative imports resolve from the package itself.
    pkg = imports_of("from .bb84 import x\n", "qnetlab.qkd", is_package=True, known=known)
    assert pkg[0].module == "qnetlab.qkd.bb84"


def test_the_scan_covers_the_whole_package(imports: list[Import]) -> None:
    modules = all_modules()
    assert {"qnetlab", "qnetlab.qkd", "qnetlab.ai", "qnetlab.tomography"} <= set(modules)
    assert len(modules) > 40 and len(imports) > 200


def test_physics_never_imports_ai_network_or_qnn(imports: list[Import]) -> None:
    bad = physics_violations(imports)
    assert not bad, "physics imports the layers above it:\n" + "\n".join(bad)


def test_no_private_name_crosses_subpackages(imports: list[Import]) -> None:
    bad = private_violations(imports)
    assert not bad, "private names imported from another subpackage:\n" + "\n".join(bad)


def test_own_modules_are_imported_at_the_top(imports: list[Import]) -> None:
    bad = function_level_violations(imports)
    assert not bad, "qnetlab modules imported inside functions:\n" + "\n".join(bad)


def test_no_file_over_800_lines() -> None:
    sizes = {name: len(p.read_text().splitlines()) for name, p in all_modules().items()}
    bad = [f"{name}: {n} lines" for name, n in sorted(sizes.items()) if n > MAX_LINES]
    assert not bad, f"files over {MAX_LINES} lines:\n" + "\n".join(bad)
