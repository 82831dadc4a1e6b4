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

__all__ = [
    "Op",
    "energy_and_gradient",
    "expectation",
    "layered_ops",
    "random_layers_batch",
    "rotation_batch",
    "simulate",
    "to_cirq",
]

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


_AXES = ("rx", "ry", "rz")


def rotation_batch(axes: Any, angles: Any) -> np.ndarray:
    """Stack of single-qubit rotations: ``axes`` 0, 1, 2 for rx, ry, rz; shape (B, 2, 2).

    The same matrices as the scalar path (Cirq's convention ``rx(θ) = exp(−iθX/2)``).

    >>> u = rotation_batch([0, 1, 2], [0.3, 0.3, 0.3])
    >>> all(np.allclose(u[i], _rot(a, 0.3)) for i, a in enumerate(("rx", "ry", "rz")))
    True
    """
    a = np.asarray(axes)
    t = np.asarray(angles, dtype=float)
    if a.shape != t.shape or a.ndim != 1:
        raise ValueError(f"axes and angles must be 1-D of equal length, got {a.shape}, {t.shape}")
    if np.any((a < 0) | (a > 2)):
        raise ValueError("axes must hold 0 (rx), 1 (ry) or 2 (rz)")
    c, s = np.cos(t / 2), np.sin(t / 2)
    u = np.zeros((a.size, 2, 2), dtype=complex)
    x, y, z = a == 0, a == 1, a == 2
    u[x] = np.stack([c[x], -1j * s[x], -1j * s[x], c[x]], axis=-1).reshape(-1, 2, 2)
    u[y] = np.stack([c[y], -s[y], s[y], c[y]], axis=-1).reshape(-1, 2, 2)
    ez = np.exp(-0.5j * t[z])
    u[z, 0, 0], u[z, 1, 1] = ez, ez.conj()
    return u


def layered_ops(axes: Any, angles: Any) -> list[Op]:
    """The op list of one circuit of :func:`random_layers_batch` (for Cirq and :func:`simulate`).

    ``axes``/``angles`` have shape (L, n); parameter ``k`` is layer ``k // n``, qubit ``k % n``,
    so the parameters are ``np.ravel(angles)``.

    >>> layered_ops(np.array([[0, 2]]), np.zeros((1, 2)))
    [('rx', (0,), 0), ('rz', (1,), 1), ('cz', (0, 1), None)]
    """
    ax = np.asarray(axes)
    if ax.ndim != 2 or np.shape(angles) != ax.shape:
        raise ValueError(f"axes and angles must both have shape (L, n), got {ax.shape}")
    layers, n = ax.shape
    ops: list[Op] = []
    for layer in range(layers):
        ops += [(_AXES[int(ax[layer, i])], (i,), layer * n + i) for i in range(n)]
        ops += [("cz", (i, i + 1), None) for i in range(n - 1)]
    return ops


def random_layers_batch(psi0: Any, axes: Any, angles: Any) -> np.ndarray:
    """Run B layered circuits at once: per layer a rotation on every qubit, then a CZ ladder.

    ``axes`` (B, L, n) holds 0/1/2 for rx/ry/rz and ``angles`` (B, L, n) their angles; layer
    ``l`` applies ``axes[b, l, i]`` with ``angles[b, l, i]`` on qubit ``i``, then CZ(i, i+1)
    for i = 0 … n−2. ``psi0`` is one start state (2**n,) or one per circuit (B, 2**n).
    Returns the (B, 2**n) final states; the same circuits as the op lists
    ``[(gate, (i,), k), …, ("cz", (i, i+1), None), …]`` run by :func:`simulate`.

    >>> ax = np.array([[[0, 1]]]); th = np.array([[[0.4, 1.1]]])
    >>> ops = [("rx", (0,), 0), ("ry", (1,), 1), ("cz", (0, 1), None)]
    >>> bool(np.allclose(random_layers_batch([1, 0, 0, 0], ax, th)[0],
    ...                  simulate(ops, [0.4, 1.1], 2)))
    True
    """
    ax = np.asarray(axes)
    th = np.asarray(angles, dtype=float)
    if ax.shape != th.shape or ax.ndim != 3:
        raise ValueError(f"axes and angles must both have shape (B, L, n), got {ax.shape}")
    b, layers, n = ax.shape
    psi = np.asarray(psi0, dtype=complex)
    psi = np.broadcast_to(psi.reshape(-1, 2**n), (b, 2**n)).copy()
    u = rotation_batch(ax.reshape(-1), th.reshape(-1)).reshape(b, layers, n, 2, 2)
    ladder = np.ones(2**n)
    for i in range(n - 1):
        ladder = ladder * _cz_sign(n, i, i + 1)
    for layer in range(layers):
        for q in range(n):
            # The leading qubit is q: one batched 2x2 matmul, then rotate it to the end, so
            # that after n steps the qubit order is restored (2 passes over memory per gate).
            t = np.matmul(u[:, layer, q], psi.reshape(b, 2, -1))
            psi = t.transpose(0, 2, 1).reshape(b, -1)
        psi *= ladder
    return psi


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
