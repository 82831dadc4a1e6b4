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
- MathJax is served by the book itself, so the maths renders offline (classrooms, trains):
  when the pinned ``django-static-mathjax`` package (MathJax 3.2.2, Apache-2.0; it has no
  Django dependency) is installed, ``mathjax_path`` points to ``_static/mathjax/`` and the
  files MathJax's ``tex-mml-chtml`` component loads (TeX and MathML input, CHTML output with
  its fonts, menu, accessibility) are copied there after the build. Without the package the
  book falls back to the CDN and says so in the build log.
- Figures drawn by code cells get their number, caption and label from myst-nb cell metadata
  (``mystnb.figure.name``); they exist only when the notebook is executed. In the build
  without execution (``scripts/book_build.py``), a ``{numref}`` to such a declared figure
  renders as "Fig. ?" instead of failing as an undefined label; a reference to a name no
  cell declares still fails.
- MyST parses an ``{eval-rst}`` block (every API page is one ``automodule`` in such a block)
  into a nested docutils document, and the nodes it makes keep a reference to that nested
  document, whose settings hold the whole build environment. Sphinx pickles each page's
  doctree, so every API page's pickle carried the environment (4-7 MB a page, 96 MB in all)
  and Sphinx's figure numbering spent about 18 s unpickling them. After a page is read, its
  nodes are given back to the page's own document (:func:`own_document`), which is what
  docutils means them to point to: 20 MB in all, and the same HTML.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path
from typing import Any

__all__ = [
    "MATHJAX_PARTS",
    "copy_mathjax",
    "declared_figures",
    "dedupe_scripts",
    "display_math",
    "escape_bars",
    "local_mathjax",
    "mathjax_source",
    "own_document",
    "setup",
    "unexecuted_figure_refs",
]

#: The MathJax 3 files the book serves: the combined component and what it loads lazily.
MATHJAX_PARTS = ("tex-mml-chtml.js", "input", "output/chtml", "ui", "a11y", "adaptors")
#: Where the files go, relative to the HTML's ``_static`` directory.
MATHJAX_DIR = "mathjax"

_LITERAL = re.compile(r"(``.+?``|`[^`]+`)")


def escape_bars(
    app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
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
        table = stripped.startswith(("+-", "+=")) or (
            stripped[:1] == stripped[-1:] == "|"
        )
        if "|" not in line or table:  # leave RST grid tables alone
            continue
        parts = _LITERAL.split(line)
        lines[i] = "".join(
            p if k % 2 else p.replace("|", "\\|") for k, p in enumerate(parts)
        )


def dedupe_scripts(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Drop repeated ``<script>`` entries (same source and attributes, any priority)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, str]] = set()
    unique = []
    for script in scripts:
        attributes = getattr(script, "attributes", {})
        key = (
            str(getattr(script, "filename", script) or ""),
            str(sorted(attributes.items())),
        )
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    # In place, and last (priority 900): Sphinx keeps one list per page that later listeners
    # (sphinx.ext.mathjax adds MathJax here) append to; a new list would drop their scripts.
    scripts[:] = unique


def display_math(
    app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
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


def mathjax_source() -> Path | None:
    """The ``es5`` directory of the installed MathJax 3 package, or None if it is missing.

    >>> src = mathjax_source()
    >>> src is None or (src / "tex-mml-chtml.js").is_file()
    True
    """
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        es5 = Path(location) / "static" / "mathjax" / "es5"
        if (es5 / MATHJAX_PARTS[0]).is_file():
            return es5
    return None


def local_mathjax(app: Any, config: Any) -> None:
    """Point ``mathjax_path`` at the book's own copy of MathJax when one is available."""
    from sphinx.ext.mathjax import MATHJAX_URL
    from sphinx.util import logging

    if config.mathjax_path != MATHJAX_URL:
        return  # the book's configuration chose a MathJax: keep it
    if mathjax_source() is None:
        logging.getLogger(__name__).info(
            "MathJax is loaded from its CDN: pip install django-static-mathjax==3.2.2.1 "
            "to serve it from the book (offline reading)"
        )
        return
    config.mathjax_path = f"{MATHJAX_DIR}/{MATHJAX_PARTS[0]}"


def copy_mathjax(app: Any, exception: Exception | None) -> None:
    """Copy MathJax's files into ``_static/mathjax`` of an HTML build that uses them."""
    src = mathjax_source()
    if (
        exception is not None
        or src is None
        or getattr(app.builder, "format", "") != "html"
    ):
        return
    if not str(app.config.mathjax_path).startswith(f"{MATHJAX_DIR}/"):
        return
    out = Path(app.outdir) / "_static" / MATHJAX_DIR
    for part in MATHJAX_PARTS:
        source, target = src / part, out / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)


def declared_figures(env: Any) -> set[str]:
    """Names of the figures that notebook cells declare (``mystnb.figure.name``)."""
    names: set[str] = set()
    for docname in env.found_docs:
        path = Path(env.doc2path(docname))
        if path.suffix != ".ipynb":
            continue
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
            if isinstance(figure, dict) and figure.get("name"):
                names.add(str(figure["name"]))
    return names


def unexecuted_figure_refs(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve a ``numref`` to a declared code-cell figure when notebooks are not executed."""
    from docutils import nodes

    if node.get("reftype") != "numref" or app.config.nb_execution_mode != "off":
        return None
    if not hasattr(env, "_qnetlab_figures"):
        env._qnetlab_figures = declared_figures(env)
    if node.get("reftarget") not in env._qnetlab_figures:
        return None
    return nodes.inline("", "Fig. ?")


def own_document(app: Any, doctree: Any) -> int:
    """Point every node of ``doctree`` that names another document at ``doctree`` itself.

    Returns how many nodes were changed (connected to ``doctree-read``, see above).

    >>> from docutils.utils import new_document
    >>> from docutils import nodes
    >>> page, nested = new_document("page"), new_document("nested")
    >>> para = nodes.paragraph()
    >>> nested += para
    >>> para += nodes.Text("made in the nested document")
    >>> page += para.deepcopy()
    >>> page[0][0].document is nested  # the copied text still names the nested document
    True
    >>> own_document(None, page), page[0][0].document is page
    (1, True)
    """
    changed = 0
    for node in doctree.findall():
        doc = getattr(node, "_document", None)
        if doc is not None and doc is not doctree:
            node._document = doctree
            changed += 1
    return changed


def setup(app: Any) -> dict[str, Any]:
    app.connect("doctree-read", own_document)
    app.connect("config-inited", local_mathjax)
    app.connect("build-finished", copy_mathjax)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    app.connect("autodoc-process-docstring", display_math)
    app.connect("autodoc-process-docstring", escape_bars)
    app.connect("missing-reference", unexecuted_figure_refs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
