"""``scripts/assert_slack.py``: rewriting hidden asserts to record their slack (no kernel)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("assert_slack", ROOT / "scripts/assert_slack.py")
sl = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sl)


def _run(source: str, cell: int = 4) -> dict:
    """Execute the instrumented ``source`` with the recorder; return the namespace."""
    new, _ = sl.instrument(source, cell)
    ns: dict = {}
    exec(sl.recorder_source(), ns)
    exec(new, ns)
    return ns


def test_a_failing_assert_still_fails_with_its_message():
    with pytest.raises(AssertionError, match="too big: 3"):
        _run("x = 3\nassert x < 2, f'too big: {x}'")


def test_the_slack_of_each_direction_is_positive_when_the_check_holds():
    ns = _run("a = 0.25\nassert a > 0.2\nassert a <= 0.5\nassert -a >= -1")
    slack = ns["_QN_SLACK"]
    assert slack["4:2:0"] == pytest.approx(0.05)
    assert slack["4:3:0"] == pytest.approx(0.25)
    assert slack["4:4:0"] == pytest.approx(0.75)


def test_a_loop_records_the_smallest_slack():
    ns = _run(
        "import numpy as np\nfor v in (0.9, 0.6, 0.8):\n    assert v > 0.5\n"
        "assert np.array([0.35]) < 0.4"
    )
    assert ns["_QN_SLACK"]["4:3:0"] == pytest.approx(0.1)
    assert ns["_QN_SLACK"]["4:4:0"] == pytest.approx(0.05)


def test_each_operand_is_evaluated_once():
    ns = _run("calls = []\ndef f():\n    calls.append(1)\n    return 1.0\nassert 0 < f() < 2")
    assert ns["calls"] == [1]
    assert ns["_QN_SLACK"]["4:5:0"] == pytest.approx(1.0)


def test_asserts_in_functions_and_other_tests_are_kept():
    ns = _run(
        "def g(x):\n    assert x >= 1, x\n    return x\ny = g(3)\nassert y == 3\n"
        "assert isinstance(y, int)"
    )
    assert ns["_QN_SLACK"] == {"4:2:0": 2.0}  # '==' and calls are checked, not recorded


def test_non_numeric_comparisons_and_magics_are_skipped():
    ns = _run("assert 'a' < 'b'\nassert {1} <= {1, 2}")
    assert ns["_QN_SLACK"] == {}
    assert sl.instrument("%time x = 1\nassert x > 0", 2) == ("%time x = 1\nassert x > 0", {})


def test_summary_ranks_by_z_and_drops_deterministic_checks():
    def run(seed, a, b):
        return {
            "notebook": "n",
            "seed": seed,
            "slack": {"1:1:0": a, "1:2:0": b, "1:3:0": 0.5},
            "texts": {"1:1:0": "first", "1:2:0": "second"},
        }

    rows = sl.summarise([run(1, 0.1, 1.0), run(2, 0.3, 1.2), run(3, -0.1, 1.1)], below=100)
    assert [r["key"] for r in rows] == ["1:1:0", "1:2:0"]  # the constant 1:3:0 is left out
    assert rows[0]["z"] == pytest.approx(0.5)
    assert rows[0]["min"] == -0.1 and rows[0]["text"] == "first"
    assert sl.summarise([run(1, 0.1, 1.0), run(2, 0.3, 1.2)], below=1) == []


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--seeds", "3", "nb.ipynb"], "at least 2"),
        (["--seeds", "3", "4"], "notebook"),
        (["--seeds", "3", "4", "--jobs", "0", "nb.ipynb"], "--jobs"),
    ],
)
def test_bad_arguments_are_refused(argv, message, capsys):
    with pytest.raises(SystemExit):
        sl.main(argv)
    assert message in capsys.readouterr().err
