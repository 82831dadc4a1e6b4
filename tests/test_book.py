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


# ---------------------------------------------------------------------------------------------
# Claims are measurements (issue 10) and hold for any seed (issue 22).
#
# The mechanism: every number in a chapter's prose is either glued from the computation
# ({glue:text}`name`) or appears as a literal in the chapter's code (a parameter the text
# describes, or a hidden assertion at the precision the sentence states). Exercise solutions
# are executed code cells, each checked by a hidden assertion. Every random draw derives from
# the one line ``SEED = 2026`` so that ``make seeds`` can re-run the chapter with other seeds.
# ---------------------------------------------------------------------------------------------

PROSE_NUMBER = re.compile(r"(?<![\w.\-])(\d+\.\d+|\d+(?:\.\d+)?(?=\s?%))")
FENCED_CODE = re.compile(r"^\s*(```+|~~~+)\s*(python|py|ipython|ipython3|pycon)\b", re.M)
POWER_OF_TEN = re.compile(r"\s*(?:\\times|\\cdot|×)\s*10\^\{?\s*([-+−]?\d+)\s*\}?")
SEED_LITERAL = re.compile(
    r"(?:\bseed|random_state|default_rng|set_seed|RandomState)\s*[=(]\s*\d", re.I
)


def _strip_links_and_roles(text: str) -> str:
    text = re.sub(r"\{(?:cite|doc|ref|eq|numref|glue)[^}]*\}`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"^:label:.*$", "", text, flags=re.M)
    text = re.sub(r"\bPython \d+\.\d+(?:\s*[–-]\s*\d+\.\d+)?", " ", text)  # versions
    text = re.sub(r"(?<!`)`[^`\n]+`(?!`)", " ", text)  # inline code names an API call
    return text


def prose_numbers(markdown: str) -> list[str]:
    """The decimal numbers and percentages a piece of Markdown states.

    >>> prose_numbers("QBER 0.25, about 11 % and {cite:p}`x2.5` 3 links")
    ['0.25', '11']
    """
    return PROSE_NUMBER.findall(_strip_links_and_roles(markdown))


def code_numbers(source: str) -> set[float]:
    """The numeric literals of Python source (comments and strings excluded)."""
    import io
    import tokenize

    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    values = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if tok.type == tokenize.NUMBER:
                try:
                    values.add(float(tok.string.replace("_", "")))
                except ValueError:
                    pass
    except (tokenize.TokenError, IndentationError):
        pass
    return values


def _number_is_measured(number: str, values: set[float], percent: bool) -> bool:
    x = float(number)
    cands = {x} | ({x / 100} if percent else set())
    return any(abs(c - v) <= 1e-12 * max(1.0, abs(c)) for c in cands for v in values)


def _unmeasured(markdown: str, values: set[float]) -> list[str]:
    text = _strip_links_and_roles(markdown)
    missing = []
    for m in PROSE_NUMBER.finditer(text):
        percent = text[m.end() : m.end() + 2].lstrip().startswith("%")
        number = m.group(1)
        power = POWER_OF_TEN.match(text, m.end())
        if power:  # 6.93\times10^{-4}
            number = f"{number}e{power.group(1).replace('−', '-')}"
        if not _number_is_measured(number, values, percent):
            missing.append(m.group(1) + ("%" if percent else ""))
    return missing


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _all_code_values(nb) -> set[float]:
    values: set[float] = set()
    for c in _code_cells(nb):
        values |= code_numbers(c.source)
    return values


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_prose_numbers_are_measured(path):
    """Every number in the prose is glued or stated in the code (parameter or hidden assert)."""
    nb = nbformat.read(path, as_version=4)
    values = _all_code_values(nb)
    missing = []
    for c in nb.cells:
        if c.cell_type == "markdown":
            missing += _unmeasured(c.source, values)
    assert not missing, f"numbers in prose neither glued nor in code: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_solutions_are_executed_and_checked(path):
    """No unexecuted code in Markdown; every computing solution is followed by a hidden check."""
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        if c.cell_type == "markdown":
            assert not FENCED_CODE.search(c.source), (
                "a fenced Python block in Markdown is never executed: make it a code cell "
                f"between {{solution-start}} and {{solution-end}}:\n{c.source[:200]}"
            )
    inside, code_seen, label, awaiting = False, False, None, None
    for c in nb.cells:
        is_check = c.cell_type == "code" and "remove-cell" in c.metadata.get("tags", [])
        is_check = is_check and "assert" in c.source
        if awaiting and c.cell_type == "code":
            assert is_check, f"solution {awaiting} runs code but no hidden check follows it"
            awaiting = None
        if c.cell_type == "markdown" and "{solution-start}" in c.source:
            assert not awaiting, f"solution {awaiting} runs code but checks nothing"
            inside, code_seen, label = True, False, c.source.split("{solution-start}")[1].split()[0]
        if inside and c.cell_type == "code":
            code_seen = True
            if is_check:
                label = None
        if c.cell_type == "markdown" and "{solution-end}" in c.source:
            inside = False
            awaiting = label if code_seen else None
    assert not awaiting, f"solution {awaiting} runs code but checks nothing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_one_seed_line_drives_all_randomness(path):
    """``SEED = <int>`` once; no other integer seed literal that reseeding would miss."""
    nb = nbformat.read(path, as_version=4)
    code = _code_cells(nb)
    seed_lines = [ln for c in code for ln in c.source.splitlines() if re.match(r"SEED = \d+$", ln)]
    assert len(seed_lines) == 1, "exactly one line 'SEED = <int>'"
    for c in code:
        for ln in c.source.splitlines():
            if re.match(r"SEED = \d+$", ln) or ln.lstrip().startswith("#"):
                continue
            assert not SEED_LITERAL.search(ln), f"seed literal bypasses SEED: {ln.strip()}"


BOOK_PAGES = sorted((ROOT / "book").rglob("*.md"))


@pytest.mark.parametrize("path", BOOK_PAGES, ids=_ids(BOOK_PAGES))
def test_page_numbers_come_from_the_chapters(path):
    """Numbers on Markdown pages (intro, part indexes, conclusion) are measured in a chapter."""
    values: set[float] = set()
    for nb_path in NOTEBOOKS:
        values |= _all_code_values(nbformat.read(nb_path, as_version=4))
    text = re.sub(r"```.*?```", " ", path.read_text(), flags=re.S)
    missing = _unmeasured(text, values)
    assert not missing, f"numbers not measured in any chapter: {missing}"
