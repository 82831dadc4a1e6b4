"""The physical layer shared by the qubit protocols, on two backends.

A *round* is one photon: Alice prepares an eigenstate of one of the protocol's
measurement axes (or, for entanglement-based protocols, holds one half of a Φ+ pair),
Eve may attack, the fibre depolarises (``cirq.depolarize(p)``), Bob's detector flips the
outcome with the misalignment probability and Bob measures along his axis. Eve's
register is read at the end (in the announced basis for a probe attack).

An axis is a one-qubit unitary R with R|0⟩, R|1⟩ the two eigenstates: Z = I, X = H,
Y = S·H, or a rotation Ry(θ) in the X–Z plane (for the CHSH settings).

- ``backend="cirq"``: every round is built as Cirq operations on its own qubits; rounds
  are batched into wide circuits of independent LineQubits and run on ``cirq.Simulator``
  (which keeps unentangled qubits in separate state factors). The ground truth.
- ``backend="numpy"``: the outcome distribution of every distinct round type (axes,
  bit, Eve's choice) is computed exactly with 2- and 4-dimensional density matrices, and
  all rounds are sampled at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .attacks import Attack

_SQ = 1.0 / np.sqrt(2.0)
_H = np.array([[_SQ, _SQ], [_SQ, -_SQ]], dtype=complex)
_S = np.array([[1, 0], [0, 1j]], dtype=complex)
_X = np.array([[0, 1], [1, 0]], dtype=complex)
_Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
_Z = np.array([[1, 0], [0, -1]], dtype=complex)

CIRQ_BATCH = 200  # rounds per wide circuit
_CHUNK = 1 << 20  # rounds per vectorised sampling step


@dataclass(frozen=True)
class Axis:
    """A measurement axis: its unitary R (R|v⟩ is the eigenstate for outcome v)."""

    name: str
    theta: float | None = None  # rotation angle in the X–Z plane (None for Z, X, Y)

    def matrix(self) -> np.ndarray:
        if self.name == "Z":
            return np.eye(2, dtype=complex)
        if self.name == "X":
            return _H.copy()
        if self.name == "Y":
            return _S @ _H
        c, s = np.cos(self.theta / 2), np.sin(self.theta / 2)  # type: ignore[operator]
        return np.array([[c, -s], [s, c]], dtype=complex)

    def cirq_gate(self) -> Any:
        """The Cirq gate R (None for the Z axis)."""
        import cirq

        if self.name == "Z":
            return None
        if self.name == "X":
            return cirq.H
        if self.name == "Y":
            return _SH_GATE()
        return cirq.ry(self.theta)


def _SH_GATE() -> Any:
    import cirq

    return cirq.MatrixGate(_S @ _H, name="SH")


Z_AXIS, X_AXIS, Y_AXIS = Axis("Z"), Axis("X"), Axis("Y")


def ry_axis(theta: float) -> Axis:
    return Axis(f"Ry({theta:.4g})", float(theta))


def _depolarize(rho4: np.ndarray, p: float) -> np.ndarray:
    if p == 0:
        return rho4
    out = (1.0 - p) * rho4
    for pauli in (_X, _Y, _Z):
        k = np.kron(pauli, np.eye(2))
        out = out + (p / 3.0) * k @ rho4 @ k.conj().T
    return out


@dataclass
class RoundOutcomes:
    """Per-round raw data of the physical layer."""

    alice_value: np.ndarray
    bob_value: np.ndarray
    eve_value: np.ndarray
    eve_choice: np.ndarray


def simulate_rounds(
    axes: list[Axis],
    alice_axis: np.ndarray,
    bob_axis: np.ndarray,
    alice_value: np.ndarray | None,
    *,
    depolarization: float,
    misalignment: float,
    eve: Attack | None,
    eve_axes: list[int],
    public_axis: np.ndarray,
    entangled: bool,
    backend: str,
    rng: np.random.Generator,
    choice: np.ndarray | None = None,
) -> RoundOutcomes:
    """Simulate ``len(alice_axis)`` rounds; see the module docstring.

    ``alice_value`` is Alice's prepared bit (prepare-and-measure) or None (entangled:
    Alice's bit is her measurement outcome). ``eve_axes`` are the axes Eve may measure
    in; ``public_axis`` is the axis in which Eve reads a probe register.
    """
    n = alice_axis.size
    eve_probs = (
        np.array([1.0])
        if eve is None
        else np.asarray(eve.choice_probabilities(len(eve_axes)), dtype=float)
    )
    if choice is None:
        choice = (
            rng.choice(eve_probs.size, size=n, p=eve_probs / eve_probs.sum())
            if eve is not None
            else np.zeros(n, dtype=np.int64)
        )
    if backend == "numpy":
        return _numpy_rounds(
            axes,
            alice_axis,
            bob_axis,
            alice_value,
            choice,
            depolarization,
            misalignment,
            eve,
            eve_axes,
            public_axis,
            entangled,
            rng,
        )
    return _cirq_rounds(
        axes,
        alice_axis,
        bob_axis,
        alice_value,
        choice,
        depolarization,
        misalignment,
        eve,
        eve_axes,
        public_axis,
        entangled,
        rng,
    )


def _numpy_rounds(
    axes,
    alice_axis,
    bob_axis,
    alice_value,
    choice,
    p,
    ed,
    eve,
    eve_axes,
    public_axis,
    entangled,
    rng,
):
    n = alice_axis.size
    mats = [a.matrix() for a in axes]
    eve_mats = [mats[k] for k in eve_axes]
    if entangled:
        # Measuring Alice's half of Φ+ along R_a with outcome a leaves Bob's half in
        # conj(R_a)|a⟩, each outcome with probability 1/2 (noise acts on Bob's side only).
        alice_value = rng.integers(0, 2, size=n)
    n_ax = len(axes)
    n_ch = int(choice.max()) + 1 if n else 1
    # Table of P(bob, eve) for every (alice axis, value, bob axis, choice, public axis).
    table = np.zeros((n_ax, 2, n_ax, n_ch, n_ax, 4))
    code = np.ravel_multi_index(
        (alice_axis, alice_value, bob_axis, choice, public_axis), table.shape[:5]
    )
    for flat in np.flatnonzero(np.bincount(code, minlength=1)):  # the round types present
        a, v, b, c, pa = (int(t) for t in np.unravel_index(flat, table.shape[:5]))
        ket = mats[a][:, v]
        if entangled:
            ket = ket.conj()
        rho = np.outer(ket, ket.conj())
        joint = _depolarize(
            eve.numpy_state(rho, c, eve_mats) if eve is not None else np.kron(rho, np.eye(2) / 2.0),
            p,
        )
        rb = mats[b]
        re = mats[pa] if (eve is not None and eve.probe_axis_is_public()) else np.eye(2)
        probs = np.zeros((2, 2))
        for ob in (0, 1):
            pb = np.outer(rb[:, ob], rb[:, ob].conj())
            for oe in (0, 1):
                pe = np.outer(re[:, oe], re[:, oe].conj())
                probs[ob, oe] = max(float(np.real(np.trace(np.kron(pb, pe) @ joint))), 0.0)
        probs = (1.0 - ed) * probs + ed * probs[::-1, :]
        table[a, v, b, c, pa] = (probs / probs.sum()).ravel()
    cdf = np.cumsum(table, axis=-1).reshape(-1, 4)
    c0, c1, c2 = cdf[:, 0].copy(), cdf[:, 1].copy(), cdf[:, 2].copy()
    idx = np.empty(n, dtype=np.int8)
    for start in range(0, n, _CHUNK):  # bounded memory for 10^7 rounds
        sl = slice(start, min(start + _CHUNK, n))
        k = code[sl]
        u = rng.random(k.size)
        idx[sl] = (u > c0[k]).view(np.int8) + (u > c1[k]).view(np.int8)
        idx[sl] += (u > c2[k]).view(np.int8)
    return RoundOutcomes(
        np.asarray(alice_value, dtype=np.int8),
        (idx // 2).astype(np.int8),
        (idx % 2).astype(np.int8),
        choice,
    )


def _cirq_rounds(
    axes,
    alice_axis,
    bob_axis,
    alice_value,
    choice,
    p,
    ed,
    eve,
    eve_axes,
    public_axis,
    entangled,
    rng,
):
    import cirq

    n = alice_axis.size
    gates = [a.cirq_gate() for a in axes]
    eve_gates = [gates[k] for k in eve_axes]
    sim = cirq.Simulator(seed=rng, split_untangled_states=True)
    a_out = (
        np.zeros(n, dtype=np.int8)
        if alice_value is None
        else np.asarray(alice_value, dtype=np.int8)
    )
    b_out = np.zeros(n, dtype=np.int8)
    e_out = rng.integers(0, 2, size=n).astype(np.int8)  # Eve guesses where she has no data
    for start in range(0, n, CIRQ_BATCH):
        stop = min(start + CIRQ_BATCH, n)
        ops: list[Any] = []
        eve_keys: dict[int, str] = {}
        for i in range(start, stop):
            j = i - start
            alice_q, sig, probe = cirq.LineQubit.range(3 * j, 3 * j + 3)
            ga, gb = gates[alice_axis[i]], gates[bob_axis[i]]
            if entangled:
                ops += [cirq.H(alice_q), cirq.CNOT(alice_q, sig)]
            else:
                if a_out[i]:
                    ops.append(cirq.X(sig))
                if ga is not None:
                    ops.append(ga.on(sig))
            if eve is not None and getattr(eve, "copies_source", False) and choice[i]:
                # Eve holds another photon of the same pulse (photon-number splitting).
                if a_out[i]:
                    ops.append(cirq.X(probe))
                if ga is not None:
                    ops.append(ga.on(probe))
            if eve is not None:
                key = f"e{i}"
                eops, measured = eve.cirq_ops(sig, probe, int(choice[i]), eve_gates, key)
                ops += eops
                if eops or (getattr(eve, "copies_source", False) and choice[i]):
                    if not measured:
                        gp = gates[public_axis[i]]
                        if gp is not None:
                            ops.append(cirq.inverse(gp).on(probe))
                        ops.append(cirq.measure(probe, key=key))
                    eve_keys[i] = key
            if p > 0:
                ops.append(cirq.depolarize(p).on(sig))
            if gb is not None:
                ops.append(cirq.inverse(gb).on(sig))
            if ed > 0:
                ops.append(cirq.bit_flip(ed).on(sig))
            ops.append(cirq.measure(sig, key=f"b{i}"))
            if entangled:
                if ga is not None:
                    ops.append(cirq.inverse(ga).on(alice_q))
                ops.append(cirq.measure(alice_q, key=f"a{i}"))
        # One measurement per qubit: a joint measurement would merge the independent
        # state factors of the simulator into one exponentially large state.
        result = sim.run(cirq.Circuit(ops), repetitions=1)
        meas = result.measurements
        for i in range(start, stop):
            b_out[i] = int(meas[f"b{i}"][0, 0])
            if entangled:
                a_out[i] = int(meas[f"a{i}"][0, 0])
        for i, key in eve_keys.items():
            e_out[i] = int(meas[key][0, 0])
    return RoundOutcomes(a_out, b_out, e_out, choice)


def mutual_information(secret: np.ndarray, data: np.ndarray, groups: np.ndarray) -> float:
    """Plug-in estimate of I(secret; data | groups) in bits (all arrays of small ints)."""
    secret = np.asarray(secret, dtype=np.int64)
    data = np.asarray(data, dtype=np.int64)
    groups = np.asarray(groups, dtype=np.int64)
    n = secret.size
    if n == 0:
        return 0.0
    total = 0.0
    for g in np.unique(groups):
        m = groups == g
        s, d = secret[m], data[m]
        joint = np.zeros((2, int(d.max()) + 1))
        np.add.at(joint, (s, d), 1.0)
        pj = joint / joint.sum()
        ps = pj.sum(axis=1, keepdims=True)
        pd = pj.sum(axis=0, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(pj > 0, pj * np.log2(pj / (ps * pd)), 0.0)
        total += m.sum() / n * float(terms.sum())
    return max(total, 0.0)
