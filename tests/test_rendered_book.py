"""The rendered book as a reader uses it: links, images, scripts, the sidebar, the solutions.

These tests read ``_build/html`` (built by ``scripts/book_build.py`` when it is missing; ``make
test`` builds it before running pytest). The static checks parse the HTML; the browser checks
drive a real Chromium through Playwright (the distribution's ``/usr/bin/chromium``; Playwright
cannot download its own browser here). Without a browser the browser tests **fail** with a
message saying how to install one, unless ``QNETLAB_NO_BROWSER=1`` is set, in which case they
are skipped with that reason printed in the summary: never a silent pass.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHROMIUM = next(
    (
        p
        for p in (os.environ.get("QNETLAB_CHROMIUM"), "/usr/bin/chromium")
        if p and Path(p).exists()
    ),
    shutil.which("chromium") or shutil.which("chromium-browser"),
)


@pytest.fixture(scope="module")
def html_root() -> Path:
    if not (HTML / "index.html").exists():
        subprocess.run([sys.executable, str(ROOT / "scripts/book_build.py")], check=True, cwd=ROOT)
    return HTML


def _pages(root: Path) -> list[Path]:
    return sorted((root / "book").rglob("*.html"))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[dict[str, str]] = []
        self.ids: set[str] = set()
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "img":
            self.images.append(a)
        self._in_script = tag == "script" and "src" not in a

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts.append(data.strip())


def _parse(path: Path) -> _Collector:
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def test_internal_links_resolve(html_root):
    parsed = {p: _parse(p) for p in html_root.rglob("*.html")}
    broken = []
    for page, c in parsed.items():
        for href in c.links:
            url = urlsplit(href)
            if url.scheme or href.startswith(("mailto:", "#", "javascript:")):
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(html_root)} -> {href}")
            elif url.fragment and target in parsed and url.fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(html_root)} -> {href} (no such anchor)")
    assert not broken, "\n".join(broken[:30])


def test_api_doctrees_do_not_carry_the_environment(html_root):
    """book/_ext's own_document: API doctrees were 4-7 MB each, pickling the environment."""
    import pickle

    doctrees = sorted((ROOT / "_build" / ".doctrees" / "book" / "api").glob("*.doctree"))
    assert len(doctrees) > 10
    for path in doctrees:
        with path.open("rb") as f:
            doctree = pickle.load(f)  # Sphinx's own pickles, written by this build
        foreign = [n for n in doctree.findall() if n.document is not doctree]
        assert not foreign, f"{path.name}: {len(foreign)} nodes name another document"


def test_images_have_descriptive_alt_text(html_root):
    bad = []
    for page in _pages(html_root):
        for img in _parse(page).images:
            alt = img.get("alt", "").strip()
            if not alt or re.search(r"[/\\]|\.(png|svg|jpe?g)$", alt):
                bad.append(f"{page.relative_to(html_root)}: {img.get('src')} alt={alt!r}")
    assert not bad, "\n".join(bad[:30])


def test_each_inline_script_once_and_no_tracebacks(html_root):
    for page in _pages(html_root):
        c = _parse(page)
        repeated = {s for s in c.inline_scripts if c.inline_scripts.count(s) > 1}
        assert not repeated, f"{page.name}: inline script emitted twice: {sorted(repeated)[:1]}"
        text = page.read_text(encoding="utf-8")
        # cell outputs only: doctests on the API pages show tracebacks on purpose
        assert "output traceback" not in text, f"{page.name} shows a traceback"
        assert "output stderr" not in text, f"{page.name} shows stderr output"


# ------------------------------------------------------------------------------------ browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        reason = (
            "NO BROWSER: the rendered-book browser tests need Chromium "
            "(apt-get install chromium; .ci/run installs it) or QNETLAB_CHROMIUM=/path"
        )
        if os.environ.get("QNETLAB_NO_BROWSER") == "1":
            pytest.skip(reason)
        pytest.fail(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def _open(browser, path: Path, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The machine is offline; the book must work without its CDNs (MathJax, thebe).
    page.route(re.compile(r"^https?://"), lambda route: route.abort())
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(200)
    return page, errors


def test_every_page_loads_without_javascript_errors(html_root, browser):
    failures = []
    for path in _pages(html_root):
        page, errors = _open(browser, path, 1280, 900)
        page.close()
        if errors:
            failures.append(f"{path.relative_to(html_root)}: {errors[:2]}")
    assert not failures, "\n".join(failures)


def test_phone_drawer_opens_and_desktop_sidebar_collapses(html_root, browser):
    chapter = html_root / "book/01_introduction/quantum_networks_for_6g.html"
    page, _ = _open(browser, chapter, 390, 844)
    links = page.locator("#pst-primary-sidebar-modal a.reference.internal")
    assert not page.locator("#pst-primary-sidebar-modal").is_visible()
    page.locator("button.primary-toggle").first.click()
    page.wait_for_timeout(300)
    assert page.locator("#pst-primary-sidebar-modal").is_visible(), "phone drawer did not open"
    assert links.count() > 10 and links.first.is_visible()
    page.close()

    page, _ = _open(browser, chapter, 1280, 900)
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    page.locator("button.primary-toggle").first.click()
    page.wait_for_timeout(500)
    assert not sidebar.is_visible(), "desktop sidebar did not collapse"
    page.close()


def test_solution_dropdowns_open(html_root, browser):
    chapter = html_root / "book/01_introduction/quantum_networks_for_6g.html"
    page, _ = _open(browser, chapter, 1280, 900)
    solutions = page.locator("details.solution, div.solution.dropdown")
    assert solutions.count() >= 4
    first = solutions.first
    first.scroll_into_view_if_needed()
    body = first.locator("section p").first
    assert not body.is_visible(), "solutions must start folded"
    # sphinx-togglebutton's button (the title itself holds a link to the exercise)
    first.locator("button.toggle-button").first.click()
    page.wait_for_timeout(300)
    assert body.is_visible(), "a solution dropdown did not open"
    page.close()


def test_maths_renders_offline(html_root, browser):
    """MathJax comes from the book's own _static (no CDN): equations typeset with the web cut."""
    chapter = html_root / "book/03_benefits_and_applications/a1_quantum_key_distribution.html"
    assert (html_root / "_static/mathjax/tex-mml-chtml.js").is_file()
    assert 'src="../../_static/mathjax/tex-mml-chtml.js' in chapter.read_text(encoding="utf-8")
    page, errors = _open(browser, chapter, 1280, 900)
    page.wait_for_selector("mjx-container", timeout=20_000)
    typeset = page.locator("mjx-container").count()
    raw = page.locator("div.math:not(:has(mjx-container))").count()
    page.close()
    assert typeset > 10 and raw == 0, f"{typeset} typeset, {raw} display equations left raw"
    assert not errors


def _chapter_pages(root: Path) -> list[Path]:
    """The HTML page of every chapter notebook (``book/**/*.ipynb``)."""
    return [
        root / nb.relative_to(ROOT).with_suffix(".html")
        for nb in sorted((ROOT / "book").rglob("*.ipynb"))
        if ".ipynb_checkpoints" not in nb.parts
    ]


def test_no_code_block_wider_than_the_content_column(html_root, browser):
    """At 1280x900 no cell source (``div.highlight pre``) scrolls sideways (issue 15 item 3)."""
    pages = _chapter_pages(html_root)
    assert pages and all(p.exists() for p in pages), "chapter pages missing from _build/html"
    offenders = []
    for path in pages:
        page, _ = _open(browser, path, 1280, 900)
        wide = page.eval_on_selector_all(
            "div.highlight pre",
            """els => els.filter(e => e.scrollWidth > e.clientWidth + 2)
                        .map(e => [e.scrollWidth - e.clientWidth,
                                   Math.max(...e.textContent.split('\\n').map(l => l.length)),
                                   (e.textContent.split('\\n').find(l => l.trim()) || '')])""",
        )
        page.close()
        offenders += [
            f"{path.relative_to(html_root)}: +{px}px (longest line {n} chars) {line.strip()[:60]!r}"
            for px, n, line in wide
        ]
    assert not offenders, f"{len(offenders)} code blocks scroll sideways:\n" + "\n".join(offenders)
