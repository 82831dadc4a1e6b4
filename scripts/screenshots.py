"""Screenshots of a rendered chapter at phone and desktop widths, for the README.

Reads ``_build/html`` (run ``make book`` first for pages with figures) and drives the system
Chromium through Playwright, with the web cut off as a reader offline would have it:

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png
    .venv/bin/python scripts/screenshots.py --page book/01_introduction/quantum_networks_for_6g

The last line printed is JSON: the files written and their sizes in pixels.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
DEFAULT_PAGE = "book/03_benefits_and_applications/a1_quantum_key_distribution"


def chromium() -> str:
    """The path of a Chromium executable (``QNETLAB_CHROMIUM``, /usr/bin/chromium or PATH)."""
    for candidate in (os.environ.get("QNETLAB_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SystemExit("no Chromium: apt-get install chromium, or set QNETLAB_CHROMIUM")
    return found


def main(argv: list[str] | None = None) -> dict[str, list[int]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default=DEFAULT_PAGE, help="page path without .html")
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    page_file = args.html / f"{args.page}.html"
    if not page_file.is_file():
        raise SystemExit(f"{page_file} is missing: run `make book` first")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    written: dict[str, list[int]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        for name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route(re.compile(r"^https?://"), lambda route: route.abort())
            page.goto(page_file.as_uri(), wait_until="load")
            page.wait_for_timeout(1500)  # MathJax typesets after load
            target = args.out / f"{Path(args.page).name}_{name}.png"
            page.screenshot(path=str(target))
            written[str(target.relative_to(ROOT))] = [width, height]
            page.close()
        browser.close()
    print(json.dumps(written))
    return written


if __name__ == "__main__":
    main()
