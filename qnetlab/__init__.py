"""qnetlab: AI-driven quantum networks for 6G.

The package behind the executable book *AI-Driven Quantum Networks for 6G*. Each
subpackage wraps a Cirq simulation (the ground truth at the qubit level) and, where a
chapter needs statistics at scale, a vectorised NumPy or stim fast path that is tested
against it.

Submodules are imported on first use, so ``import qnetlab`` stays fast and never imports
TensorFlow (only :mod:`qnetlab.qnn` does).

>>> import qnetlab
>>> round(qnetlab.channels.fiber_transmissivity(50.0), 4)
0.1
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

try:  # one source for the version: pyproject.toml, as installed
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _version

    __version__ = _version("qnetlab")
except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
    __version__ = "0+unknown"

_SUBMODULES = (
    "ai",
    "blind",
    "channels",
    "network",
    "plotting",
    "protocols",
    "qdata",
    "qsearch",
    "qec",
    "qkd",
    "qnn",
    "repeaters",
    "results",
    "secret_sharing",
    "secure_sum",
    "sensing",
    "states",
    "sweep",
    "tomography",
)

__all__ = ["__version__", *_SUBMODULES]

if TYPE_CHECKING:  # pragma: no cover - for static analysers only
    from . import channels, plotting, protocols, qkd, states, sweep  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SUBMODULES))
