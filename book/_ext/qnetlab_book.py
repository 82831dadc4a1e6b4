"""Small Sphinx fixes for the book's HTML (loaded through ``sphinx.local_extensions``).

- sphinx-thebe and sphinx-togglebutton register their inline configuration scripts twice
  (once with ``filename=None``, once with ``""``), so every page declared ``THEBE_JS_URL`` twice
  and the browser raised "Identifier 'THEBE_JS_URL' has already been declared". Each page now
  gets every script once.
"""

from __future__ import annotations

from typing import Any

__all__ = ["dedupe_scripts", "setup"]


def dedupe_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Drop repeated ``<script>`` entries (same source and attributes, any priority)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, str]] = set()
    unique = []
    for script in scripts:
        attributes = getattr(script, "attributes", {})
        key = (str(getattr(script, "filename", script) or ""), str(sorted(attributes.items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    context["script_files"] = unique


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
