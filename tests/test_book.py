"""Structural checks of the book: every chapter listed, clean, checked, cited and linked."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
TOC = (ROOT / "_toc.yml").read_text()
LISTED = set(re.findall(r"file:\s*([^\s#]+)", TOC))
NOTEBOOKS = sorted(
    p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)
BIB_KEYS = set(re.findall(r"^@\w+\{([^,\s]+),", (ROOT / "book/references.bib").read_text(), re.M))


def _ids(paths):
    return [p.relative_to(ROOT).as_posix() for p in paths]


def test_every_toc_entry_exists():
    for entry in LISTED:
        assert any((ROOT / (entry + ext)).exists() for ext in ("", ".ipynb", ".md")), entry


def test_bibliography_has_the_survey_and_its_references():
    text = (ROOT / "book/references.bib").read_text()
    assert "alshaer2025" in BIB_KEYS
    numbers = sorted(int(n) for n in re.findall(r"Reference \[(\d+)\] of the survey", text))
    assert numbers == list(range(1, 41))
    keys = re.findall(r"^@\w+\{([^,\s]+),", text, re.M)
    assert len(keys) == len(set(keys)), "duplicate BibTeX keys"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_conventions(path):
    rel = path.relative_to(ROOT).with_suffix("").as_posix()
    assert rel in LISTED, f"{rel} is not in _toc.yml"
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "outputs committed"
    assert "colab.research.google.com" in nb.cells[0].source
    assert "hide-cell" in nb.cells[1].metadata.get("tags", [])
    hidden = [c for c in code if "remove-cell" in c.metadata.get("tags", [])]
    assert any("assert" in c.source for c in hidden), "no hidden check"
    assert any("SEED" in c.source for c in code), "no SEED"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "{exercise}" in text and ("{solution}" in text or "{solution-start}" in text)
    cited = set()
    for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text):
        cited.update(k.strip() for k in group.split(","))
    assert cited, "a chapter cites its sources"
    assert cited <= BIB_KEYS, f"unknown citation keys: {sorted(cited - BIB_KEYS)}"
    assert "{bibliography}" not in text, "chapters use the global bibliography page"


def test_links_follow_config():
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts/sync_links.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout


def test_readme_lists_every_chapter():
    readme = (ROOT / "README.md").read_text()
    for path in NOTEBOOKS:
        assert path.relative_to(ROOT).as_posix() in readme, f"{path.name} missing from README"
