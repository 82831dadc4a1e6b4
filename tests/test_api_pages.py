"""The API reference (book/api) documents every public module of the package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_api_pages_are_up_to_date():
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts/api_pages.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_public_module_has_a_page_section():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import api_pages
    finally:
        sys.path.pop(0)
    for name, subs in api_pages.public_modules().items():
        text = (ROOT / "book/api" / f"{name}.md").read_text()
        assert f".. automodule:: qnetlab.{name}" in text
        for sub in subs:
            assert f".. automodule:: qnetlab.{name}.{sub}\n   :members:" in text
