"""The coursework assignments (book/assignments/): structure, student versions, autograders.

The reference versions run under nbval in ``make test``; here the student versions run (every
autograder cell must fail: the solution is missing) and versions with plausible wrong answers
run (every autograder cell must raise ``AssertionError``: the autograder really grades).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = sorted((ROOT / "book" / "assignments").glob("*.ipynb"))
SCRIPT = ROOT / "scripts" / "make_student_version.py"

_spec = importlib.util.spec_from_file_location("make_student_version", SCRIPT)
msv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(msv)

# A plausible mistake for every graded function: each must make its autograder fail.
WRONG = {
    # small-eta approximation of the PLOB bound, -log2(1 - eta) ~ eta / ln 2
    "plob_distance": "return float(-10 * np.log10(target_bps * np.log(2) / clock_hz)"
    " / attenuation_db_per_km)",
    # averaging over the Z eigenstates only
    "average_teleportation_fidelity": "return float(np.mean([fidelity(teleport(psi, resource),"
    " psi) for psi in (np.array([1, 0]), np.array([0, 1]))]))",
    # adding the two error rates instead of combining independent flips
    "predicted_qber": "return 2 * depolarization / 3 + eve_fraction / 4",
    # ignoring the signal intensity
    "decoy_max_distance": "return maximum_distance(lambda d: decoy_bb84_key_rate(d, link=link))",
    # multiplying fidelities instead of Werner parameters
    "chain_fidelity": "return float(np.prod(fidelities))",
    # n links wait n times as long as one
    "waiting_time_exact": "return n_links / p",
    # off by one in the binomial tail
    "repetition_logical_error": "return float(sum(math.comb(d, k) * p**k * (1 - p) ** (d - k)"
    " for k in range(d // 2, d + 1)))",
    # Dijkstra on 1/rate, blind to fidelity
    "best_path": "return shortest_path(graph, source, destination)",
}


def _ids(paths):
    return [p.stem for p in paths]


def _tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def _run(nb: nbformat.NotebookNode, monkeypatch) -> nbformat.NotebookNode:
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=120,
        allow_errors=True,
        resources={"metadata": {"path": str(ROOT / "book" / "assignments")}},
    )
    return client.execute()


def _errors(cell) -> list[str]:
    return [o.ename for o in cell.get("outputs", []) if o.output_type == "error"]


def test_there_are_two_assignments():
    assert [p.name for p in ASSIGNMENTS] == [
        "assignment_1_links_and_keys.ipynb",
        "assignment_2_repeaters_routing_qec.ipynb",
    ]


@pytest.mark.parametrize("path", ASSIGNMENTS, ids=_ids(ASSIGNMENTS))
def test_structure(path):
    nb = nbformat.read(path, as_version=4)
    graded = [i for i, c in enumerate(nb.cells) if msv.BEGIN in c.source]
    assert len(graded) >= 3, "an assignment has at least three graded tasks"
    points = []
    for i in graded:
        cell = nb.cells[i]
        assert cell.cell_type == "code"
        assert cell.source.count(msv.BEGIN) == 1 and cell.source.count(msv.END) == 1
        assert re.search(r"^def (\w+)\(", cell.source, re.M), "a task defines a function"
        name = re.search(r"^def (\w+)\(", cell.source, re.M).group(1)
        assert name in WRONG, f"{name}: add a wrong answer to WRONG"
        following = next(c for c in nb.cells[i + 1 :] if c.cell_type == "code")
        assert "autograder" in _tags(following), f"{name} has no autograder cell after it"
        assert name in following.source and "assert" in following.source
        statement = next(c for c in reversed(nb.cells[:i]) if c.cell_type == "markdown")
        found = re.search(r"^## Task \d+: .*\((\d+) points?\)", statement.source, re.M)
        assert found, f"{name}: the statement before it names the points"
        points.append(int(found.group(1)))
    assert sum(points) == 10
    assert sum("autograder" in _tags(c) for c in nb.cells) == len(graded)
    hidden = [c for c in nb.cells if "remove-cell" in _tags(c)]
    assert any("assert" in c.source for c in hidden)


@pytest.mark.parametrize("path", ASSIGNMENTS, ids=_ids(ASSIGNMENTS))
def test_student_version_fails_every_autograder(path, monkeypatch):
    student = msv.student_version(nbformat.read(path, as_version=4))
    assert not any(msv.BEGIN in c.source for c in student.cells)
    assert not any("remove-cell" in _tags(c) for c in student.cells)
    done = _run(student, monkeypatch)
    graders = [c for c in done.cells if "autograder" in _tags(c)]
    assert len(graders) >= 3
    for cell in graders:
        assert _errors(cell) == ["NotImplementedError"], cell.source[:60]
    for cell in done.cells:
        if cell.cell_type == "code" and "autograder" not in _tags(cell):
            assert not _errors(cell), f"a non-graded cell failed: {cell.source[:60]}"


@pytest.mark.parametrize("path", ASSIGNMENTS, ids=_ids(ASSIGNMENTS))
def test_wrong_answers_fail_the_autograder(path, monkeypatch):
    student = msv.student_version(nbformat.read(path, as_version=4))
    for cell in student.cells:
        name = re.search(r"^def (\w+)\(", cell.source, re.M)
        if cell.cell_type == "code" and msv.STUB in cell.source and name:
            cell.source = cell.source.replace(msv.STUB, WRONG[name.group(1)])
    done = _run(student, monkeypatch)
    graders = [c for c in done.cells if "autograder" in _tags(c)]
    for cell in graders:
        assert _errors(cell) == ["AssertionError"], cell.source[:60]


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True
    )


def test_check_passes_on_the_assignments():
    out = _cli("--check", *ASSIGNMENTS)
    assert out.returncode == 0, out.stdout
    assert out.stdout.count("well formed") == len(ASSIGNMENTS)


@pytest.mark.parametrize(
    "source",
    [
        "def f():\n    # BEGIN SOLUTION\n    return 1\n",  # no END
        "def f():\n    return 1\n    # END SOLUTION\n",  # no BEGIN
        "# BEGIN SOLUTION\n# BEGIN SOLUTION\nx = 1\n# END SOLUTION\n# END SOLUTION\n",  # nested
        "def f():\n    # BEGIN SOLUTION\n    # END SOLUTION\n",  # empty
        "x = 1  # BEGIN SOLUTION\ny = 2\n# END SOLUTION\n",  # marker not alone
        "x = 1\n",  # no solution block at all
    ],
)
def test_check_rejects_malformed_notebooks(source, tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    out = _cli("--check", path)
    assert out.returncode == 1, out.stdout
    assert _cli(path, "-o", tmp_path / "student.ipynb").returncode == 1
    assert not (tmp_path / "student.ipynb").exists()


def test_check_rejects_a_marker_in_markdown(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# BEGIN SOLUTION"),
            nbformat.v4.new_code_cell("# BEGIN SOLUTION\nx = 1\n# END SOLUTION"),
        ]
    )
    with pytest.raises(msv.MarkerError, match="outside a code cell"):
        msv.check_notebook(nb)


def test_student_version_writes_files(tmp_path):
    out = _cli(*ASSIGNMENTS, "-o", tmp_path / "student")
    assert out.returncode == 0, out.stderr
    for path in ASSIGNMENTS:
        reference = nbformat.read(path, as_version=4)
        student = nbformat.read(tmp_path / "student" / path.name, as_version=4)
        kept = [c for c in reference.cells if "remove-cell" not in _tags(c)]
        assert len(student.cells) == len(kept)
        stubs = [c for c in student.cells if c.cell_type == "code" and msv.STUB in c.source]
        assert len(stubs) == sum(msv.BEGIN in c.source for c in reference.cells)
        assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")
        assert [c.source for c in student.cells if "autograder" in _tags(c)] == [
            c.source for c in reference.cells if "autograder" in _tags(c)
        ]
    single = tmp_path / "one.ipynb"
    assert _cli(ASSIGNMENTS[0], "-o", single).returncode == 0
    assert any(msv.STUB in c.source for c in nbformat.read(single, as_version=4).cells)


def test_strip_keeps_indentation_and_code_outside_blocks():
    src = "def f(x):\n    y = x\n    # BEGIN SOLUTION\n    return 2 * y\n    # END SOLUTION\n"
    out, blocks = msv.strip_solutions(src)
    assert blocks == 1
    assert out == f"def f(x):\n    y = x\n    {msv.STUB}\n"
