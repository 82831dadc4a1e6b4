"""A small vectorised state-vector simulator: the fast path for the VQA and generative code.

Circuits are lists of ``(gate, qubits, parameter_index)`` with gates ``"h"``, ``"x"``,
``"rx"``, ``"ry"``, ``"rz"``, ``"cz"``, ``"cnot"`` and ``"rzz"`` (Cirq's conventions:
``rx(θ) = exp(−iθX/2)``, ``rzz(θ) = exp(−iθ Z⊗Z/2)``). The same list converts to a Cirq
circuit (:func:`to_cirq`, the ground truth), and the tests check that both agree.
Qubit 0 is the most significant bit, as in Cirq.

>>> ops = [("h", (0,), None), ("cnot", (0, 1), None)]
>>> np.round(np.abs(simulate(ops, [], 2)) ** 2, 6).tolist()
[0.5, 0.0, 0.0, 0.5]
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["Op", "energy_and_gradient", "expectation", "simulate", "to_cirq"]

Op = tuple[str, tuple[int, ...], int | None]

_H = np.array([[1, 1], [1, -1]], dtype=complex) / np.sqrt(2)
_X = np.array([[0, 1], [1, 0]], dtype=complex)


def _rot(name: str, t: float) -> np.ndarray:
    c, s = np.cos(t / 2), np.sin(t / 2)
    if name == "rx":
        return np.array([[c, -1j * s], [-1j * s, c]], dtype=complex)
    if name == "ry":
        return np.array([[c, -s], [s, c]], dtype=complex)
    return np.array([[np.exp(-1j * t / 2), 0], [0, np.exp(1j * t / 2)]], dtype=complex)


@lru_cache(maxsize=256)
def _zsign(n: int, q: int) -> np.ndarray:
    """±1 eigenvalues of Z on qubit ``q`` over the 2**n basis states (flat)."""
    return 1.0 - 2.0 * ((np.arange(2**n) >> (n - 1 - q)) & 1)


@lru_cache(maxsize=256)
def _cnot_perm(n: int, c: int, t: int) -> np.ndarray:
    idx = np.arange(2**n)
    ctrl = (idx >> (n - 1 - c)) & 1
    return idx ^ (ctrl << (n - 1 - t))


@lru_cache(maxsize=256)
def _cz_sign(n: int, a: int, b: int) -> np.ndarray:
    return np.where((_zsign(n, a) < 0) & (_zsign(n, b) < 0), -1.0, 1.0)


def _apply1(psi: np.ndarray, u: np.ndarray, q: int, n: int) -> np.ndarray:
    t = psi.reshape(2**q, 2, -1)
    a0, a1 = t[:, 0, :], t[:, 1, :]
    out = np.empty_like(t)
    out[:, 0, :] = u[0, 0] * a0 + u[0, 1] * a1
    out[:, 1, :] = u[1, 0] * a0 + u[1, 1] * a1
    return out.reshape(-1)


def _apply(psi: np.ndarray, op: Op, p: np.ndarray, n: int, sign: float = 1.0) -> np.ndarray:
    name, qs, k = op
    if name in ("rx", "ry", "rz"):
        return _apply1(psi, _rot(name, sign * p[k]), qs[0], n)
    if name == "h":
        return _apply1(psi, _H, qs[0], n)
    if name == "x":
        return _apply1(psi, _X, qs[0], n)
    if name == "cz":
        return psi * _cz_sign(n, qs[0], qs[1])
    if name == "cnot":
        return psi[_cnot_perm(n, qs[0], qs[1])]
    if name == "rzz":
        return psi * np.exp(-0.5j * sign * p[k] * _zsign(n, qs[0]) * _zsign(n, qs[1]))
    raise ValueError(f"unknown gate {name!r}")


def simulate(ops: Sequence[Op], params: Sequence[float], n: int, psi0: Any = None) -> np.ndarray:
    """Return the final state vector of ``ops`` with ``params`` on ``n`` qubits from |0…0⟩.

    >>> np.round(simulate([("ry", (0,), 0)], [np.pi], 1).real, 6).tolist()
    [0.0, 1.0]
    """
    p = np.asarray(params, dtype=float)
    if psi0 is None:
        psi = np.zeros(2**n, dtype=complex)
        psi[0] = 1.0
    else:
        psi = np.asarray(psi0, dtype=complex).reshape(-1)
    for op in ops:
        psi = _apply(psi, op, p, n)
    return psi


_Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
_Z = np.array([[1, 0], [0, -1]], dtype=complex)
_GEN = {"rx": _X, "ry": _Y, "rz": _Z}


def energy_and_gradient(
    ops: Sequence[Op], params: Sequence[float], n: int, matrix: np.ndarray, psi0: Any = None
) -> tuple[float, np.ndarray]:
    """Return ⟨ψ(θ)|M|ψ(θ)⟩ and its exact gradient by adjoint differentiation.

    ``matrix`` is a Hermitian matrix (dense or ``scipy.sparse``), or a 1-D array holding the
    diagonal of a diagonal one.

    One forward and one backward sweep (Jones & Gacon 2020), instead of the 2P circuit runs
    of the parameter-shift rule; parameters may be shared between gates.

    >>> e, g = energy_and_gradient([("ry", (0,), 0)], [0.3], 1, np.diag([1.0, -1.0]))
    >>> bool(np.isclose(e, np.cos(0.3))), bool(np.isclose(g[0], -np.sin(0.3)))
    (True, True)
    """
    p = np.asarray(params, dtype=float)
    psi = simulate(ops, p, n, psi0)
    if isinstance(matrix, np.ndarray) and matrix.ndim == 1:
        lam = matrix * psi
    else:  # a dense ndarray or a scipy.sparse matrix
        lam = matrix @ psi
    energy = float(np.real(np.vdot(psi, lam)))
    grad = np.zeros_like(p)
    for op in reversed(list(ops)):
        name, qs, k = op
        if name in _GEN:
            g_psi = _apply1(psi, _GEN[name], qs[0], n)
            grad[k] += float(np.imag(np.vdot(lam, g_psi)))
        elif name == "rzz":
            g_psi = psi * _zsign(n, qs[0]) * _zsign(n, qs[1])
            grad[k] += float(np.imag(np.vdot(lam, g_psi)))
        psi = _apply(psi, op, p, n, sign=-1.0)
        lam = _apply(lam, op, p, n, sign=-1.0)
    return energy, grad


def expectation(psi: np.ndarray, matrix: np.ndarray) -> float:
    """Return ⟨ψ|M|ψ⟩ for a Hermitian matrix ``M``.

    >>> expectation(np.array([1, 0]), np.diag([1.0, -1.0]))
    1.0
    """
    return float(np.real(np.vdot(psi, matrix @ psi)))


def to_cirq(ops: Sequence[Op], params: Sequence[Any], qubits: Sequence[Any]) -> Any:
    """Build the Cirq circuit of ``ops``; ``params`` may be numbers or sympy symbols.

    >>> import cirq
    >>> q = cirq.GridQubit.rect(1, 2)
    >>> print(to_cirq([("h", (0,), None), ("cnot", (0, 1), None)], [], q))
    (0, 0): ───H───@───
                   │
    (0, 1): ───────X───
    """
    import cirq

    c = cirq.Circuit()
    for name, qs, k in ops:
        qq = [qubits[i] for i in qs]
        if name == "rx":
            c.append(cirq.rx(params[k])(*qq))
        elif name == "ry":
            c.append(cirq.ry(params[k])(*qq))
        elif name == "rz":
            c.append(cirq.rz(params[k])(*qq))
        elif name == "h":
            c.append(cirq.H(*qq))
        elif name == "x":
            c.append(cirq.X(*qq))
        elif name == "cz":
            c.append(cirq.CZ(*qq))
        elif name == "cnot":
            c.append(cirq.CNOT(*qq))
        elif name == "rzz":
            c.append(cirq.ZZPowGate(exponent=params[k] / np.pi, global_shift=-0.5)(*qq))
        else:
            raise ValueError(f"unknown gate {name!r}")
    return c
