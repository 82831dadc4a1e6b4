"""Execute the book's notebooks in parallel into Jupyter Book's cache (``make book``, issue 18).

Jupyter Book 1.x (MyST-NB, ``execute_notebooks: cache``) executes the notebooks one after the
other while Sphinx reads them. This script fills the same jupyter-cache first, with ``--jobs``
notebooks at a time (longest first, from the times the cache recorded in an earlier build),
so that the build that follows only reads cached outputs. The cache, the timeout and the
error policy are read from ``_config.yml``; the notebooks are those ``_toc.yml`` lists. A
notebook whose code is already cached is not run again; a notebook that fails is reported
and left to the build (which then shows the error as it always does).

Usage::

    python scripts/execute_book.py            # every notebook of the book, 2 at a time
    python scripts/execute_book.py --jobs 1 book/01_introduction/quantum_networks_for_6g.ipynb

Prints one line per notebook and a JSON summary (wall seconds, notebook seconds summed,
executed, cached, failed) on the last line; exits 1 when a notebook failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["book_notebooks", "main", "settings"]


def settings(config: Path = ROOT / "_config.yml") -> dict[str, Any]:
    """The execution settings of ``_config.yml``: cache path, timeout, allow_errors.

    >>> s = settings()
    >>> sorted(s), s["cache"].endswith(".jupyter_cache")
    (['allow_errors', 'cache', 'timeout'], True)
    """
    import yaml

    execute = (yaml.safe_load(config.read_text()) or {}).get("execute", {})
    return {
        "cache": str(ROOT / execute.get("cache", ".jupyter_cache")),
        "timeout": int(execute.get("timeout", 30)),
        "allow_errors": bool(execute.get("allow_errors", False)),
    }


def book_notebooks(toc: Path = ROOT / "_toc.yml") -> list[Path]:
    """Every notebook ``_toc.yml`` lists, in the order of the table of contents.

    >>> nbs = book_notebooks()
    >>> all(p.suffix == ".ipynb" and p.exists() for p in nbs), len(nbs) > 20
    (True, True)
    """
    import yaml

    found: list[Path] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "file" in node:
                path = ROOT / f"{node['file']}.ipynb"
                if path.exists():
                    found.append(path)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(toc.read_text()))
    return found


def _execute(path: str, timeout: int, allow_errors: bool) -> tuple[str, float, str | None, Any]:
    """Run one notebook where it lives (as MyST-NB's local mode does); return it executed."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    nb = nbformat.read(path, as_version=4)
    result = single_nb_execution(
        nb,
        cwd=str(Path(path).parent),
        timeout=timeout,
        allow_errors=allow_errors,
        meta_override=True,
    )
    return path, float(result.time), result.exc_string if result.err else None, nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="default: every notebook in _toc.yml")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at once (>= 1)")
    parser.add_argument("--cache", help="jupyter-cache directory (default: _config.yml's)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be >= 1, got {args.jobs}")

    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cfg = settings()
    cache = get_cache(args.cache or cfg["cache"])
    paths = [Path(p).resolve() for p in args.notebooks] or book_notebooks()
    # longest first (times recorded by an earlier build), unknown ones first of all
    todo: list[tuple[float, str]] = []
    cached = 0
    for path in paths:
        try:  # what MyST-NB asks the cache when it builds the page
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
            cached += 1
            continue
        except KeyError:
            pass
        previous = [
            r.data.get("execution_seconds", 0.0)
            for r in cache.list_cache_records()
            if r.uri == str(path)
        ]
        todo.append((max(previous) if previous else float("inf"), str(path)))
    todo.sort(reverse=True)

    start = time.perf_counter()
    seconds = 0.0
    failed: list[str] = []
    env_jobs = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"} if args.jobs > 1 else {}
    os.environ.update({k: v for k, v in env_jobs.items() if k not in os.environ})
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(_execute, p, cfg["timeout"], cfg["allow_errors"]) for _, p in todo]
        for future in as_completed(futures):
            path, took, error, nb = future.result()
            seconds += took
            name = os.path.relpath(path, ROOT) if path.startswith(str(ROOT)) else path
            if error is None:
                cache.cache_notebook_bundle(
                    CacheBundleIn(nb, path, data={"execution_seconds": took}),
                    check_validity=False,
                    overwrite=True,
                )
                print(f"{took:7.1f} s  {name}", flush=True)
            else:
                failed.append(str(name))
                print(f"{took:7.1f} s  {name}  FAILED\n{error[-2000:]}", flush=True)
    summary = {
        "wall_seconds": round(time.perf_counter() - start, 1),
        "notebook_seconds": round(seconds, 1),
        "executed": len(todo),
        "cached": cached,
        "failed": failed,
        "jobs": args.jobs,
    }
    print(json.dumps(summary))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
