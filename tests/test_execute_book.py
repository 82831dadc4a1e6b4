"""scripts/execute_book.py: the parallel pre-execution of ``make book`` (issue 18, goal 6)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import execute_book  # noqa: E402


def test_every_notebook_of_the_toc_and_only_those():
    listed = execute_book.book_notebooks()
    chapters = sorted(ROOT.glob("book/0*/*.ipynb"))
    students = sorted(ROOT.glob("assignments/student/*/*.ipynb"))
    assert sorted(listed) == sorted(chapters + students)
    assert len(set(listed)) == len(listed)


def test_settings_follow_config():
    cfg = execute_book.settings()
    assert cfg["timeout"] == 300 and cfg["allow_errors"] is False
    assert cfg["cache"] == str(ROOT / "_build" / ".jupyter_cache")


def test_bad_jobs_is_refused(capsys):
    with pytest.raises(SystemExit):
        execute_book.main(["--jobs", "0"])
    assert "--jobs must be >= 1" in capsys.readouterr().err


def test_executes_once_then_reads_the_cache(tmp_path, capsys):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    cache = str(tmp_path / "cache")

    assert execute_book.main(["--jobs", "1", "--cache", cache, str(path)]) == 0
    first = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (first["executed"], first["cached"], first["failed"]) == (1, 0, [])

    from jupyter_cache import get_cache

    record = get_cache(cache).match_cache_notebook(nbformat.read(path, as_version=4))
    bundle = get_cache(cache).get_cache_bundle(record.pk)
    assert bundle.nb.cells[0].outputs[0]["text"] == "42\n"

    assert execute_book.main(["--jobs", "1", "--cache", cache, str(path)]) == 0
    second = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (second["executed"], second["cached"]) == (0, 1)


def test_a_failing_notebook_is_reported(tmp_path, capsys):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell("assert 1 == 2, 'broken'")]
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    assert execute_book.main(["--jobs", "1", "--cache", str(tmp_path / "c"), str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "broken" in out
    assert json.loads(out.strip().splitlines()[-1])["failed"] == [str(path)]
