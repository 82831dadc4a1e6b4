"""``scripts/seed_margins.py``: the parsing and tabulation of executed notebooks (no kernel)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("seed_margins", ROOT / "scripts/seed_margins.py")
sm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sm)
v4 = nbformat.v4


def _error(ename: str, evalue: str):
    return v4.new_output("error", ename=ename, evalue=evalue, traceback=["tb"])


def _executed_notebook(x_ok: bool):
    """A notebook as nbclient leaves it with allow_errors: an early failure, a later pass."""
    setup = v4.new_code_cell("SEED = 2026\nx = 1")
    first = v4.new_code_cell("assert x > 0.5, x", metadata={"tags": ["remove-cell"]})
    if not x_ok:
        first.outputs = [_error("AssertionError", "\x1b[0;31m0.26\x1b[0m")]
    crash = v4.new_code_cell("1/0")
    if not x_ok:
        crash.outputs = [_error("ZeroDivisionError", "division by zero")]
    hidden_plot = v4.new_code_cell("plt.plot()", metadata={"tags": ["remove-cell"]})
    shown = v4.new_code_cell("assert x < 10")  # not hidden: not a hidden check
    later = v4.new_code_cell("assert x < 10", metadata={"tags": ["remove-cell", "x"]})
    md = v4.new_markdown_cell("assert in prose", metadata={"tags": ["remove-cell"]})
    return v4.new_notebook(cells=[setup, first, crash, hidden_plot, shown, later, md])


def test_assert_cells_are_hidden_code_cells_with_assert():
    assert sm.assert_cells(_executed_notebook(True)) == [1, 5]


def test_cell_error_strips_colours_and_keeps_the_last_line():
    c = v4.new_code_cell("assert False")
    c.outputs = [
        v4.new_output("stream", name="stdout", text="hi"),
        _error("AssertionError", "first line\n\x1b[0;31mgap 0.012 < 0.02\x1b[0m"),
    ]
    assert sm.cell_error(c) == "AssertionError: gap 0.012 < 0.02"
    assert sm.cell_error(v4.new_code_cell("x = 1")) is None
    bare = v4.new_code_cell("assert a\nassert b")
    tb = ["Cell In[3], line 2", "      1 assert a\n\x1b[0;32m----> 2\x1b[0m assert b < 1\n"]
    bare.outputs = [v4.new_output("error", ename="AssertionError", evalue="", traceback=tb)]
    assert sm.cell_error(bare) == "AssertionError: 2 assert b < 1"


def test_outcomes_keep_every_assert_cell_and_only_failing_code_cells():
    got = sm.outcomes(_executed_notebook(False))
    assert got == {
        1: ("assert", "AssertionError: 0.26"),
        2: ("code", "ZeroDivisionError: division by zero"),
        5: ("assert", None),
    }


def test_tabulate_counts_passes_and_failing_seeds_per_cell():
    runs = [
        {"seed": s, "seconds": 1.0, "error": "", "outcomes": sm.outcomes(_executed_notebook(ok))}
        for s, ok in [(101, True), (202, False), (303, False)]
    ]
    # a run that died before cell 5: the unreached assert counts as failing at that seed
    runs.append({"seed": 404, "seconds": 9.0, "error": "DeadKernelError: x", "outcomes": {}})
    table = sm.tabulate("book/x.ipynb", runs)
    rows = {row["cell"]: row for row in table["cells"]}
    assert rows[1]["passed"] == 1
    assert rows[1]["failing_seeds"] == [202, 303, 404]
    assert rows[1]["messages"]["202"] == "AssertionError: 0.26"
    assert rows[2]["kind"] == "code" and rows[2]["failing_seeds"] == [202, 303]
    assert rows[2]["passed"] == 2  # seeds 101 and 404 did not raise there
    assert rows[5]["passed"] == 3 and rows[5]["failing_seeds"] == [404]
    assert table["run_errors"] == {"404": "DeadKernelError: x"}
    assert table["seeds"] == [101, 202, 303, 404]


@pytest.mark.parametrize("argv", [["--seeds", "1"], ["--seeds", "x.ipynb"], ["--jobs", "0"]])
def test_main_rejects_missing_notebooks_seeds_or_jobs(argv):
    if argv[0] == "--jobs":
        argv = [*argv, "--seeds", "1", "x.ipynb"]
    with pytest.raises(SystemExit):
        sm.main(argv)
