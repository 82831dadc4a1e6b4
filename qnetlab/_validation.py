"""Argument checks shared by every qnetlab module.

Every public function validates its inputs here, so that bad input raises a
``ValueError`` or ``TypeError`` that names the argument and the allowed range instead of
producing a silent wrong number or a traceback from deep inside NumPy.

>>> check_probability(0.25, "p")
0.25
>>> check_probability(1.5, "p")
Traceback (most recent call last):
...
ValueError: p must be a probability in [0, 1], got 1.5
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "SeedLike",
    "check_choice",
    "check_density_matrix",
    "check_in_range",
    "check_integer",
    "check_non_negative",
    "check_positive",
    "check_probability",
    "check_square_matrix",
    "make_rng",
    "to_density_matrix",
]

SeedLike = int | np.integer | np.random.Generator | None


def _as_real(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.shape == () and np.isrealobj(value):
            value = value.item()
        else:
            raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    out = float(value)
    if not np.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


def check_in_range(
    value: Any,
    name: str,
    low: float = -np.inf,
    high: float = np.inf,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Return ``value`` as a float if it lies in the given interval, else raise.

    >>> check_in_range(0.5, "f", 0.25, 1.0)
    0.5
    >>> check_in_range(0.0, "p", 0.0, 1.0, low_inclusive=False)
    Traceback (most recent call last):
    ...
    ValueError: p must be in (0, 1], got 0.0
    """
    x = _as_real(value, name)
    ok_low = x >= low if low_inclusive else x > low
    ok_high = x <= high if high_inclusive else x < high
    if not (ok_low and ok_high):
        lo = "[" if low_inclusive else "("
        hi = "]" if high_inclusive else ")"
        raise ValueError(f"{name} must be in {lo}{_fmt(low)}, {_fmt(high)}{hi}, got {value}")
    return x


def _fmt(v: float) -> str:
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


def check_probability(value: Any, name: str) -> float:
    """Return ``value`` as a float in [0, 1], else raise ``ValueError``.

    >>> check_probability(0, "q")
    0.0
    """
    x = _as_real(value, name)
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value}")
    return x


def check_non_negative(value: Any, name: str) -> float:
    """Return ``value`` as a float >= 0, else raise ``ValueError``.

    >>> check_non_negative(3, "length_km")
    3.0
    """
    x = _as_real(value, name)
    if x < 0:
        raise ValueError(f"{name} must be non-negative (>= 0), got {value}")
    return x


def check_positive(value: Any, name: str) -> float:
    """Return ``value`` as a float > 0, else raise ``ValueError``.

    >>> check_positive(2.5, "coherence_time")
    2.5
    """
    x = _as_real(value, name)
    if x <= 0:
        raise ValueError(f"{name} must be positive (> 0), got {value}")
    return x


def check_integer(
    value: Any, name: str, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return ``value`` as an int in ``[minimum, maximum]``, else raise.

    >>> check_integer(4, "n_links", minimum=1)
    4
    >>> check_integer(2.5, "n_links")
    Traceback (most recent call last):
    ...
    TypeError: n_links must be an integer, got float
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    x = int(value)
    if minimum is not None and x < minimum:
        if maximum is None:
            raise ValueError(f"{name} must be an integer >= {minimum}, got {x}")
        raise ValueError(f"{name} must be an integer in [{minimum}, {maximum}], got {x}")
    if maximum is not None and x > maximum:
        raise ValueError(f"{name} must be an integer in [{minimum}, {maximum}], got {x}")
    return x


def check_choice(value: Any, name: str, choices: Sequence[Any]) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError``.

    >>> check_choice("numpy", "backend", ("numpy", "cirq"))
    'numpy'
    """
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def make_rng(seed: SeedLike = None) -> np.random.Generator:
    """Normalise ``seed`` (int, ``np.random.Generator`` or None) to a Generator.

    A Generator is returned as it is, so that a chapter can pass one ``rng`` through
    every call and get one reproducible stream.

    >>> make_rng(7).integers(0, 10, 3).tolist() == make_rng(7).integers(0, 10, 3).tolist()
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"seed must be an int, a numpy.random.Generator or None, got {type(seed).__name__}"
        )
    if int(seed) < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return np.random.default_rng(int(seed))


def check_square_matrix(matrix: Any, name: str) -> np.ndarray:
    """Return ``matrix`` as a complex square ndarray, else raise.

    >>> check_square_matrix([[1, 0], [0, 0]], "rho").shape
    (2, 2)
    """
    try:
        m = np.asarray(matrix, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a numeric matrix") from exc
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty square matrix, got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise ValueError(f"{name} must contain only finite numbers")
    return m


def check_density_matrix(rho: Any, name: str = "rho", *, atol: float = 1e-6) -> np.ndarray:
    """Return ``rho`` as a density matrix (Hermitian, trace one, positive semidefinite).

    >>> check_density_matrix([[0.5, 0.5], [0.5, 0.5]]).real.tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    >>> check_density_matrix([[1, 1], [0, 0]])
    Traceback (most recent call last):
    ...
    ValueError: rho must be Hermitian (rho == rho^dagger within 1e-06)
    """
    m = check_square_matrix(rho, name)
    d = m.shape[0]
    if d & (d - 1):
        raise ValueError(f"{name} must act on qubits (dimension a power of 2), got dimension {d}")
    if not np.allclose(m, m.conj().T, atol=atol):
        raise ValueError(f"{name} must be Hermitian ({name} == {name}^dagger within {atol:g})")
    tr = np.trace(m).real
    if abs(tr - 1.0) > atol:
        raise ValueError(f"{name} must have unit trace, got trace {tr:.6g}")
    min_eig = float(np.linalg.eigvalsh((m + m.conj().T) / 2).min())
    if min_eig < -atol:
        raise ValueError(
            f"{name} must be positive semidefinite, got smallest eigenvalue {min_eig:.3g}"
        )
    return m


def to_density_matrix(state: Any, name: str = "state", *, atol: float = 1e-6) -> np.ndarray:
    """Return a density matrix from a ket (1-D, normalised) or a density matrix (2-D).

    >>> to_density_matrix([1, 0]).real.tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    try:
        a = np.asarray(state, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a state vector or a density matrix") from exc
    if a.ndim == 1:
        if a.size == 0 or a.size & (a.size - 1):
            raise ValueError(f"{name} must have a power-of-2 length, got {a.size}")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name} must contain only finite numbers")
        norm = float(np.vdot(a, a).real)
        if abs(norm - 1.0) > atol:
            raise ValueError(f"{name} must be normalised (<psi|psi> = 1), got norm^2 {norm:.6g}")
        return np.outer(a, a.conj())
    if a.ndim == 2:
        return check_density_matrix(a, name, atol=atol)
    raise ValueError(f"{name} must be 1-D (ket) or 2-D (density matrix), got {a.ndim} dimensions")
