"""The coursework (issue 11): Otter-Grader assignments that a teacher can hand out and grade.

Masters live in ``assignments/source/``; ``scripts/build_assignments.py`` (``make
assignments``) runs ``otter assign`` on them. These tests build every assignment once, then

- grade the solution notebook with the autograder bundle (``otter run``): full points;
- grade the student notebook as handed out (blanks): zero points;
- grade a "one-line bypass" (every task answered by a call to the package's reference):
  at most a quarter of the points;
- check that the student version holds no solution, no hidden test and no book-only markup,
  that it runs with blanks without killing the kernel, and that the committed copy in
  ``assignments/student/`` (what the book shows, Colab and Binder open) is up to date.

The masters themselves (solutions and every test, run as cells) are executed by
``scripts/reseed.py`` at other seeds in ``make test``.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load(ROOT / "scripts" / "build_assignments.py", "build_assignments")
grading = _load(ROOT / "assignments" / "source" / "qnetlab_grading.py", "qnetlab_grading")
NAMES = [m.stem for m in build.masters()]
OTTER = Path(sys.executable).with_name("otter")

# Each graded function answered by a call to the package's nearest reference (plus its import).
BYPASS = {
    "teleport_circuit": [
        "from qnetlab.protocols import teleportation_circuit",
        "return teleportation_circuit()[0]",
    ],
    "six_state_fidelities": [
        "from qnetlab.protocols import teleportation_fidelity",
        "from qnetlab.states import werner_state",
        "return np.full(6, teleportation_fidelity(werner_state(1.0)))",
    ],
    "bb84_rounds": [
        "from qnetlab.qkd import InterceptResend, run_bb84",
        "return run_bb84(n, eve=InterceptResend(eve_fraction) if eve_fraction else None,"
        " seed=rng, postprocess=False)",
    ],
    "sifted_qber": ["return rounds.qber, rounds.sifted_length"],
    "swap_chain": [
        "from qnetlab.network import path_fidelity",
        "return [path_fidelity(list(fidelities[: k + 1])) for k in range(len(fidelities))]",
    ],
    "waiting_time_samples": [
        "from qnetlab.repeaters import sample_waiting_times",
        "return sample_waiting_times(n_links, p, n_samples, seed=rng)",
    ],
    "waiting_time_mean": [
        "from qnetlab.repeaters import expected_waiting_time",
        "return float(expected_waiting_time(n_links, p))",
    ],
    "best_path": [
        "from qnetlab.network import optimal_path",
        "return list(optimal_path(graph, source, destination,"
        " fidelity_threshold=fidelity_threshold).path)",
    ],
    "q_update": [
        "from qnetlab.ai import QLearningAgent",
        "return QLearningAgent.update(Q, state, action, reward, next_state, done)",
    ],
    "choose_action": [
        "from qnetlab.ai import QLearningAgent",
        "return QLearningAgent.act(Q, state)",
    ],
    "train_agent": [
        "from qnetlab.ai import train_q_learning",
        "return train_q_learning(env, n_episodes, seed=rng)",
    ],
    "greedy_route": [
        "from qnetlab.network import shortest_path",
        "return list(shortest_path(GRAPH, source, destination))",
    ],
    "syndromes": [
        "from qnetlab.qec import sample_detectors",
        "return sample_detectors(errors)",
    ],
    "lookup_decode": [
        "from qnetlab.qec import LookupDecoder",
        "return LookupDecoder(synd).decode(synd)",
    ],
    "train_decoder": [
        "from qnetlab.qec import train_neural_decoder",
        "return train_neural_decoder(synd, errors)",
    ],
    "learned_decode": ["return table.decode(synd)"],
    "held_out_failures": [
        "from qnetlab.qec import small_code_logical_error_rate",
        "return small_code_logical_error_rate(n_test, seed=rng)",
    ],
    "ansatz": [
        "from qnetlab.qnn.vqa import vqe_circuit",
        "return vqe_circuit(N_QUBITS, LAYERS - 1, params.ravel())",
    ],
    "energy": [
        "from qnetlab.qnn.vqa import exact_ground_energy, heisenberg_hamiltonian",
        "return float(exact_ground_energy(heisenberg_hamiltonian(N_QUBITS)))",
    ],
    "gradient": [
        "from qnetlab.qnn._sim import energy_and_gradient",
        "return energy_and_gradient(ansatz(params), params, N_QUBITS, None)[1]",
    ],
}
BOOK_ROLES = re.compile(
    r"\{(?:cite|doc|eq|ref|numref|glue|term|download|prf|exercise|solution|math)[^}]*\}"
)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Every assignment built by Otter Assign (without Otter's own test run) into a temp dir."""
    base = tmp_path_factory.mktemp("assignments")
    return {
        name: build.assign(build.SOURCE / f"{name}.ipynb", base / name, False) for name in NAMES
    }


def _master(name: str) -> nbformat.NotebookNode:
    return nbformat.read(build.SOURCE / f"{name}.ipynb", as_version=4)


def _tests(name: str) -> dict[str, list[dict]]:
    """Question -> its test cases (points, hidden) from the master's BEGIN TESTS blocks."""
    out, question, inside = {}, None, False
    for cell in _master(name).cells:
        src = cell.source
        if cell.cell_type == "raw" and src.startswith("# BEGIN QUESTION"):
            question = re.search(r"name:\s*(\w+)", src).group(1)
            out[question] = []
        elif cell.cell_type == "raw" and src.startswith(("# BEGIN TESTS", "# END TESTS")):
            inside = src.startswith("# BEGIN")
        elif inside and cell.cell_type == "code":
            points = float(re.search(r"^points:\s*([\d.]+)", src, re.M).group(1))
            hidden = bool(re.search(r"^hidden:\s*true", src, re.M))
            out[question].append({"points": points, "hidden": hidden, "source": src})
    return out


def _grade(autograder_dir: Path, notebook: Path, out: Path) -> tuple[float, float]:
    zips = sorted(autograder_dir.glob("*-autograder_*.zip"))
    assert len(zips) == 1, zips
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [str(OTTER), "run", "--no-logo", "-a", str(zips[0]), "-o", str(out), str(notebook)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((out / "results.json").read_text())
    graded = [t for t in results["tests"] if "max_score" in t and t.get("name") != "Public Tests"]
    return sum(t["score"] or 0 for t in graded), sum(t["max_score"] for t in graded)


def _bypass(student: Path, dest: Path) -> Path:
    nb = nbformat.read(student, as_version=4)
    replaced = set()
    for cell in nb.cells:
        if "otter_answer_cell" not in cell.metadata.get("tags", []):
            continue
        lines, name = cell.source.split("\n"), None
        for i, line in enumerate(lines):
            found = re.match(r"def (\w+)\(", line)
            if found:
                name = found.group(1)
            elif name and line.strip() == "...":
                indent = line[: len(line) - len(line.lstrip())]
                lines[i] = "\n".join(indent + stmt for stmt in BYPASS[name])
                replaced.add(name)
                name = None
        cell.source = "\n".join(lines)
    assert replaced, "no function to bypass"
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    return dest


def test_five_assignments_with_partial_credit():
    assert len(NAMES) >= 5
    for name in NAMES:
        tests = _tests(name)
        assert len(tests) >= 3, f"{name}: at least three tasks"
        total = sum(t["points"] for cases in tests.values() for t in cases)
        assert 10 <= total <= 20, f"{name}: {total} points"
        for question, cases in tests.items():
            assert len(cases) >= 2, f"{name} {question}: partial credit needs several tests"
            assert any(t["hidden"] for t in cases), f"{name} {question}: no hidden test"
            for t in cases:
                assert "failure_message:" in t["source"], f"{name} {question}: no feedback"
                if t["hidden"]:
                    assert "forbidden(" in t["source"], f"{name} {question}: bypass not refused"
        public = sum(t["points"] for cases in tests.values() for t in cases if not t["hidden"])
        assert public <= 0.25 * total, f"{name}: public tests alone earn more than a quarter"
        text = "\n".join(c.source for c in _master(name).cells if c.cell_type == "markdown")
        assert "**Allowed**" in text and "**Not allowed**" in text
        assert re.search(r"^SEED = 2026$", "\n".join(c.source for c in _master(name).cells), re.M)


@pytest.mark.parametrize("name", NAMES)
def test_student_version_is_clean(name, built):
    student = built[name] / "student"
    nb = nbformat.read(student / f"{name}.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "SOLUTION" not in text and "TEST CONFIG" not in text and "forbidden" not in text
    assert not [c for c in nb.cells if c.cell_type == "raw"]
    # no line of any solution survives (short and generic lines aside)
    solution_lines = set()
    for cell in _master(name).cells:
        block = re.findall(r"# BEGIN SOLUTION\n(.*?)# END SOLUTION", cell.source, re.S)
        for body in block:
            solution_lines |= {ln.strip() for ln in body.splitlines() if len(ln.strip()) > 24}
    outside = "\n".join(
        re.sub(r"# BEGIN SOLUTION\n.*?# END SOLUTION", "", c.source, flags=re.S)
        for c in _master(name).cells
    )
    solution_lines = {ln for ln in solution_lines if ln not in outside}
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert solution_lines and not [ln for ln in solution_lines if ln in code]
    # public tests only, and none of the hidden tests' code
    for path in (student / "tests").glob("*.py"):
        content = path.read_text()
        assert "'hidden': True" not in content and "forbidden" not in content, path.name
    # plain Markdown: no MyST roles or directives that only the book understands
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert not BOOK_ROLES.search(markdown), BOOK_ROLES.search(markdown).group(0)
    assert "```{" not in markdown
    rel = f"assignments/student/{name}/{name}.ipynb"
    assert f"colab.research.google.com/github/qnetlab/qnetlab/blob/main/{rel}" in nb.cells[0].source
    checks = [c.source for c in nb.cells if c.source.startswith("grader.check(")]
    assert checks == [f'grader.check("{q}")' for q in _tests(name)]


@pytest.mark.parametrize("name", NAMES)
def test_committed_student_copy_is_current(name, built):
    assert build._same(built[name] / "student", build.STUDENT / name), (
        f"assignments/student/{name} is out of date: run `make assignments`"
    )


def test_toc_shows_the_student_versions():
    toc = (ROOT / "_toc.yml").read_text()
    for name in NAMES:
        assert f"assignments/student/{name}/{name}" in toc
    assert "file: assignments/source" not in toc
    assert "book/assignments/teachers_guide" in toc


@pytest.mark.parametrize("name", NAMES)
def test_solution_earns_full_points(name, built, tmp_path):
    out = built[name]
    score, total = _grade(out / "autograder", out / "solutions" / f"{name}.ipynb", tmp_path)
    assert total == sum(t["points"] for cases in _tests(name).values() for t in cases)
    assert score == total


@pytest.mark.parametrize("name", NAMES)
def test_blank_student_version_earns_nothing(name, built, tmp_path):
    out = built[name]
    score, total = _grade(out / "autograder", out / "student" / f"{name}.ipynb", tmp_path)
    assert total > 0 and score == 0


@pytest.mark.parametrize("name", NAMES)
def test_one_line_bypass_earns_at_most_a_quarter(name, built, tmp_path):
    out = built[name]
    bypass = _bypass(out / "student" / f"{name}.ipynb", tmp_path / "bypass" / f"{name}.ipynb")
    score, total = _grade(out / "autograder", bypass, tmp_path / "results")
    assert score <= 0.25 * total, f"{score}/{total}"


@pytest.mark.parametrize("name", NAMES)
def test_blank_student_notebook_runs(name, built, monkeypatch):
    """With every answer blank the notebook runs to the end; the kernel survives."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    folder = built[name] / "student"
    nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=300, allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )  # fmt: skip
    client.execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "a cell did not run"
    for cell in code:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"a cell of the blank notebook raised: {cell.source[:80]}"
    shown = "".join(o.get("text", "") + str(o.get("data", "")) for c in code for o in c.outputs)
    assert shown.count("results") >= len(_tests(name)), "the checks did not report"


def test_forbidden_follows_aliases_helpers_and_modules():
    env: dict = {}
    exec(
        "import math\nimport math as m\nfrom math import sqrt as root\n"
        "def helper(x):\n    return root(x)\n"
        "def uses_alias(x):\n    return helper(x) + 1\n"
        "def uses_module(x):\n    return m.sqrt(x)\n"
        "def clean(x):\n    return abs(x)\n",
        env,
    )
    assert grading.forbidden(env["uses_alias"], names=["sqrt"]) == ["root"]
    assert grading.forbidden(env["uses_module"], names=["sqrt"]) == ["sqrt"]
    assert grading.forbidden(env["uses_module"], modules=["math"]) == ["m"]
    assert grading.forbidden(env["clean"], names=["sqrt"], modules=["math"]) == []


def test_masters_are_valid_python_and_lint_clean_enough():
    """Every code cell of every master parses (solutions and tests included)."""
    for name in NAMES:
        for cell in _master(name).cells:
            if cell.cell_type == "code":
                ast.parse(cell.source)
