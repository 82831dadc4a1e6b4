"""Keep every link to the canonical repository in step with ``_config.yml``.

The repository URL and branch are set once, in ``_config.yml`` (``repository.url`` and
``repository.branch``). From them follow:

- each notebook's Colab badge (first cell) and its install cell (second cell, tag
  ``hide-cell``), which pip-installs qnetlab from the repository when it is missing;
- the Colab and Binder links in ``README.md``.

``python scripts/sync_links.py`` rewrites what is out of date; ``--check`` only reports it
and exits 1 (the test suite runs the check).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

BADGE_RE = re.compile(
    r"\[!\[Open In Colab\]\(https://colab\.research\.google\.com/assets/colab-badge\.svg\)\]"
    r"\(https://colab\.research\.google\.com/github/[^)\s]+\)"
)
INSTALL_MARK = "# qnetlab install cell"
QNN_MARK = "qnetlab[qnn]"


def repository() -> tuple[str, str]:
    """Return (owner/name, branch) from _config.yml without needing PyYAML."""
    text = (ROOT / "_config.yml").read_text()
    block = text.split("\nrepository:", 1)[1]
    url = re.search(r"^\s+url:\s*(\S+)", block, re.M).group(1)
    branch = re.search(r"^\s+branch:\s*(\S+)", block, re.M).group(1)
    slug = url.rstrip("/").removeprefix("https://github.com/")
    return slug, branch


def badge(slug: str, branch: str, rel: str) -> str:
    return (
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"(https://colab.research.google.com/github/{slug}/blob/{branch}/{rel})"
    )


def install_source(slug: str, qnn: bool) -> str:
    spec = (
        f"qnetlab[qnn] @ git+https://github.com/{slug}"
        if qnn
        else (f"qnetlab @ git+https://github.com/{slug}")
    )
    if qnn:  # the base package without TFQ is not enough here (Colab has TensorFlow, not TFQ)
        return (
            f"{INSTALL_MARK}: installs qnetlab with TensorFlow Quantum when TFQ is missing\n"
            "# (Colab: this replaces the preinstalled TensorFlow by 2.18; restart the runtime if\n"
            "# Colab asks). Does nothing in Binder, CI or a local checkout.\n"
            "import importlib.util\n"
            "import subprocess\n"
            "import sys\n"
            "\n"
            'if importlib.util.find_spec("tensorflow_quantum") is None:\n'
            f'    package = "{spec}"\n'
            '    subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], check=True)'
        )
    return (
        f"{INSTALL_MARK}: installs qnetlab when it is missing (Colab); does nothing in\n"
        "# Binder, CI or a local checkout, where it is already installed.\n"
        "import importlib.util\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        'if importlib.util.find_spec("qnetlab") is None:\n'
        f'    package = "{spec}"\n'
        '    subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], check=True)'
    )


def notebooks() -> list[Path]:
    return sorted(
        p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def sync_notebook(path: Path, slug: str, branch: str, fix: bool) -> list[str]:
    problems: list[str] = []
    nb = nbformat.read(path, as_version=4)
    cells = nb.cells
    rel = path.relative_to(ROOT).as_posix()
    want_badge = badge(slug, branch, rel)
    if not cells or cells[0]["cell_type"] != "markdown":
        return [f"{rel}: the first cell must be a markdown cell with the title and Colab badge"]
    first = _source(cells[0])
    if want_badge not in first:
        problems.append(f"{rel}: Colab badge missing or out of date")
        new = (
            BADGE_RE.sub(want_badge, first)
            if BADGE_RE.search(first)
            else first.rstrip() + "\n\n" + want_badge
        )
        cells[0]["source"] = new
    if len(cells) < 2 or cells[1]["cell_type"] != "code" or INSTALL_MARK not in _source(cells[1]):
        problems.append(f"{rel}: the second cell must be the install cell")
    else:
        qnn = QNN_MARK in _source(cells[1])
        want = install_source(slug, qnn)
        if _source(cells[1]) != want:
            problems.append(f"{rel}: install cell out of date")
            cells[1]["source"] = want
        tags = cells[1].setdefault("metadata", {}).setdefault("tags", [])
        if "hide-cell" not in tags:
            problems.append(f"{rel}: install cell must be tagged hide-cell")
            tags.append("hide-cell")
    if problems and fix:
        nbformat.write(nb, path)
    return problems


def sync_readme(slug: str, branch: str, fix: bool) -> list[str]:
    path = ROOT / "README.md"
    if not path.exists():
        return ["README.md is missing"]
    text = path.read_text()
    new = re.sub(
        r"https://colab\.research\.google\.com/github/[^/]+/[^/]+/blob/[^/]+/",
        f"https://colab.research.google.com/github/{slug}/blob/{branch}/",
        text,
    )
    new = re.sub(
        r"https://mybinder\.org/v2/gh/[^/]+/[^/]+/[^?\s)]+",
        f"https://mybinder.org/v2/gh/{slug}/{branch}",
        new,
    )
    new = re.sub(
        r"https://github\.com/[\w.-]+/[\w.-]+(?=[)\s\"/#]|$)", f"https://github.com/{slug}", new
    )
    if new != text:
        if fix:
            path.write_text(new)
        return ["README.md: repository links out of date"]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report only; exit 1 if out of date")
    args = parser.parse_args(argv)
    slug, branch = repository()
    problems = sync_readme(slug, branch, not args.check)
    for nb in notebooks():
        problems += sync_notebook(nb, slug, branch, not args.check)
    for p in problems:
        print(p)
    if args.check and problems:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
