"""Package-level promises: fast import without TensorFlow, lazy submodules, __all__."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import qnetlab


def test_import_does_not_load_tensorflow_or_cirq():
    code = (
        "import sys, qnetlab; qnetlab.states; qnetlab.channels; qnetlab.qkd; "
        "print('tensorflow' in sys.modules, 'cirq' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        qnetlab.nonsense  # noqa: B018


@pytest.mark.parametrize(
    "name",
    [
        "_validation",
        "states",
        "channels",
        "protocols",
        "qkd",
        "qkd.theory",
        "sweep",
        "plotting",
        "repeaters",
        "ai",
        "network",
        "tomography",
        "qec",
        "qnn",
    ],
)
def test_modules_declare_all(name):
    module = importlib.import_module(f"qnetlab.{name}")
    assert hasattr(module, "__all__")
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.__all__ names missing {attr}"


def test_sweep_is_reproducible_and_ordered():
    from qnetlab.sweep import sweep

    def noisy(x, seed):
        import numpy as np

        return x + np.random.default_rng(seed).random()

    a = sweep(noisy, {"x": [0, 10, 20]}, seed=4)
    b = sweep(noisy, [{"x": 0}, {"x": 10}, {"x": 20}], seed=4, n_jobs=2)
    assert a.equals(b)
    assert a.index.tolist() == [0, 10, 20]
    assert [int(v // 10) for v in a["value"]] == [0, 1, 2]
    with pytest.raises(ValueError, match="n_jobs must be a non-zero integer"):
        sweep(noisy, {"x": [1]}, n_jobs=0)
    with pytest.raises(ValueError, match="must not be empty"):
        sweep(noisy, {"x": []})


ROOT = Path(__file__).resolve().parents[1]


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    return pins


def test_version_has_one_source():
    import re

    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)[1]
    assert qnetlab.__version__ == version
    assert f"\nversion: {version}\n" in (ROOT / "CITATION.cff").read_text()


def test_binder_reader_environment_follows_the_pins():
    """binder/requirements.txt = requirements.txt minus the build and test tools, same versions."""
    full, reader = _pins(ROOT / "requirements.txt"), _pins(ROOT / "binder/requirements.txt")
    tools = ("jupyter-book", "sphinx", "pydata-sphinx-theme", "myst-", "pytest", "nbval")
    tools += ("hypothesis", "ruff", "playwright", "django-static-mathjax")
    for name, version in full.items():
        if name.startswith(tools):
            assert name not in reader, f"{name} is a build/test tool: keep it out of Binder"
        else:
            assert reader.get(name) == version, f"binder/requirements.txt: {name}=={version}"
    assert set(reader) <= set(full)
    assert "-e ." in (ROOT / "binder/requirements.txt").read_text().splitlines()
    assert (ROOT / "binder/runtime.txt").read_text() == (ROOT / "runtime.txt").read_text()
