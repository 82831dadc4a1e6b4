"""Small Sphinx fixes for the book's HTML (loaded through ``sphinx.local_extensions``).

- sphinx-thebe and sphinx-togglebutton register their inline configuration scripts twice
  (once with ``filename=None``, once with ``""``), so every page declared ``THEBE_JS_URL`` twice
  and the browser raised "Identifier 'THEBE_JS_URL' has already been declared". Each page now
  gets every script once.
- Docstrings write bra-kets such as ``|Φ+⟩⟨Φ+|`` and absolute values ``|x|``, which
  reStructuredText reads as substitution references: the API pages escape those bars (outside
  inline literals) before autodoc renders them.
- Module docstrings write display maths as ``$$ ... $$`` (as the chapters do); the API pages
  turn each such block into a ``.. math::`` directive.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["dedupe_scripts", "display_math", "escape_bars", "setup"]

_LITERAL = re.compile(r"(``.+?``|`[^`]+`)")


def escape_bars(app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]) -> None:
    r"""Escape ``|`` outside inline literals in a docstring (in place), so it renders as text.

    >>> doc = ["Fidelity with |Φ+⟩, not ``a | b``."]
    >>> escape_bars(None, "function", "f", None, None, doc)
    >>> doc[0]
    'Fidelity with \\|Φ+⟩, not ``a | b``.'
    """
    in_math = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(".. math::"):
            in_math = True
            continue
        if in_math and (not stripped or line.startswith("   ")):
            continue  # display maths: | is LaTeX there
        in_math = False
        table = stripped.startswith(("+-", "+=")) or (stripped[:1] == stripped[-1:] == "|")
        if "|" not in line or table:  # leave RST grid tables alone
            continue
        parts = _LITERAL.split(line)
        lines[i] = "".join(p if k % 2 else p.replace("|", "\\|") for k, p in enumerate(parts))


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


def display_math(app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]) -> None:
    r"""Turn ``$$ ... $$`` blocks of a docstring into ``.. math::`` directives (in place).

    >>> doc = ["Rate", "", "$$ R = 1/T, $$", "", "done"]
    >>> display_math(None, "module", "m", None, None, doc)
    >>> doc
    ['Rate', '', '.. math::', '', '   R = 1/T,', '', '', 'done']
    """
    out: list[str] = []
    block: list[str] | None = None
    for line in lines:
        text = line.strip()
        if block is None and text.startswith("$$"):
            block = []
            text = text[2:]
        if block is None:
            out.append(line)
            continue
        closed = text.endswith("$$")
        block.append(text[:-2].strip() if closed else text)
        if closed:
            out += [".. math::", ""] + [f"   {b}" for b in block if b] + [""]
            block = None
    if block is not None:  # unterminated: leave the text as it was
        out += ["$$ " + " ".join(block)]
    lines[:] = out


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", dedupe_scripts, priority=100)
    app.connect("autodoc-process-docstring", display_math)
    app.connect("autodoc-process-docstring", escape_bars)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
