"""The set-up picks a Python that TensorFlow Quantum 0.7.6 supports, or says how to get one.

``scripts/find_python.sh`` is what ``make`` calls before it creates ``.venv``; these tests run it
against fake interpreters that report a chosen version.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "find_python.sh"


def fake_python(folder: Path, name: str, version: str) -> Path:
    """An executable that answers ``-c ...`` with ``version``, like ``python -c`` would."""
    path = folder / name
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return path


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin"}
    return subprocess.run(
        ["sh", str(SCRIPT), *args], env=base | env, capture_output=True, text=True, timeout=30
    )


def test_python_313_is_refused_with_the_reason_and_the_ways_out(tmp_path):
    py = fake_python(tmp_path, "python3.13", "3.13")
    out = run(env={"PYTHON": str(py)})
    assert out.returncode == 1 and out.stdout == ""
    msg = out.stderr
    assert "3.10 to 3.12" in msg and "TensorFlow Quantum 0.7.6" in msg
    assert "Python 3.13" in msg  # the version it found
    assert "uv python install 3.12" in msg and "pyenv" in msg and "apt" in msg


@pytest.mark.parametrize("version", ["3.10", "3.11", "3.12"])
def test_supported_versions_are_accepted(tmp_path, version):
    py = fake_python(tmp_path, f"python{version}", version)
    out = run(env={"PYTHON": str(py)})
    assert out.returncode == 0 and out.stdout.strip() == str(py)


def test_search_skips_unsupported_and_takes_the_first_supported(tmp_path):
    old = fake_python(tmp_path, "py39", "3.9")
    new = fake_python(tmp_path, "py313", "3.13")
    good = fake_python(tmp_path, "py312", "3.12")
    out = run(env={"QNETLAB_PYTHON_CANDIDATES": f"{old} {new} {good}"})
    assert out.returncode == 0 and out.stdout.strip() == str(good)


def test_search_with_only_python_313_fails_and_names_it(tmp_path):
    new = fake_python(tmp_path, "python3", "3.13")
    out = run(env={"QNETLAB_PYTHON_CANDIDATES": f"{tmp_path / 'missing'} {new}"})
    assert out.returncode == 1
    assert f"{new} (Python 3.13)" in out.stderr


def test_a_venv_with_an_unsupported_python_is_rebuilt(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake_python(venv / "bin", "python", "3.13")
    out = run("--venv", str(venv), env={})
    assert out.stdout.startswith("rebuild:") and "3.13" in out.stdout


def test_a_venv_is_rebuilt_for_another_requested_python_and_kept_otherwise(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake_python(venv / "bin", "python", "3.11")
    assert run("--venv", str(venv), env={}).stdout.strip() == "keep"
    py312 = fake_python(tmp_path, "python3.12", "3.12")
    assert run("--venv", str(venv), env={"PYTHON": str(py312)}).stdout.startswith("rebuild:")
    py311 = fake_python(tmp_path, "python3.11", "3.11")
    assert run("--venv", str(venv), env={"PYTHON": str(py311)}).stdout.strip() == "keep"
    # an unusable PYTHON never deletes a working venv: the interpreter check reports it instead
    py313 = fake_python(tmp_path, "python3.13", "3.13")
    assert run("--venv", str(venv), env={"PYTHON": str(py313)}).stdout.strip() == "keep"
