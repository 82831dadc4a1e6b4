"""Tests of qnetlab.qec.small_codes: Cirq circuits of the 3-, 5-, 7- and 9-qubit codes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from qnetlab import qec
from qnetlab.qec import small_codes


def _pauli_matrix(pauli: str) -> np.ndarray:
    mats = {
        "I": np.eye(2),
        "X": np.array([[0, 1], [1, 0]]),
        "Y": np.array([[0, -1j], [1j, 0]]),
        "Z": np.diag([1, -1]),
    }
    out = np.array([[1.0 + 0j]])
    for c in pauli:
        out = np.kron(out, mats[c])
    return out


@pytest.mark.parametrize("name", qec.SMALL_CODES)
def test_encoder_prepares_the_code_states(name):
    """Encoder(|0>) is +1 for every stabilizer and Z_L; encoder(|+>) is +1 for X_L."""
    import cirq

    code = qec.small_code(name)
    qubits = cirq.LineQubit.range(code.n)
    sim = cirq.Simulator()
    for prep, logical in (([], code.logical_z), ([cirq.H(qubits[0])], code.logical_x)):
        circuit = cirq.Circuit(prep) + code.encoder()
        psi = sim.simulate(circuit, qubit_order=qubits).final_state_vector
        for op in (*code.stabilizers, logical):
            assert np.vdot(psi, _pauli_matrix(op) @ psi).real == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("name", qec.SMALL_CODES)
def test_code_structure(name):
    code = qec.small_code(name)
    ops = [*code.stabilizers, code.logical_x, code.logical_z]
    mats = [_pauli_matrix(o) for o in ops]
    # stabilizers commute with each other and with the logicals; X_L and Z_L anticommute
    for a, b in itertools.combinations(range(len(ops)), 2):
        comm = mats[a] @ mats[b] - mats[b] @ mats[a]
        should_anticommute = {ops[a], ops[b]} == {code.logical_x, code.logical_z}
        assert np.allclose(comm, 0) != should_anticommute
    assert len(code.stabilizers) == code.n - 1  # one logical qubit


def test_bit_flip_code_exact_formula():
    # Nielsen & Chuang (2010), Sec. 10.1.1: the 3-qubit code fails with 3p^2 - 2p^3
    code = qec.small_code("bit_flip")
    for p in (0.01, 0.1, 0.3):
        assert code.exact_logical_error_rate("bit_flip", p) == pytest.approx(3 * p**2 - 2 * p**3)
    # phase flips do not disturb a Z-basis memory, but an X-basis memory of the bit-flip
    # code fails on any odd number of phase flips: 3p(1-p)^2 + p^3
    p = 0.1
    assert code.exact_logical_error_rate("phase_flip", p) == 0.0
    assert code.exact_logical_error_rate("phase_flip", p, basis="x") == pytest.approx(
        3 * p * (1 - p) ** 2 + p**3
    )


def _steane_exact_z_memory(p: float) -> float:
    """Steane code, Z memory, depolarising p: each qubit has an X component w.p. 2p/3.

    The X part is decoded by the Hamming [7,4] syndrome (Steane 1996); the memory fails
    when the residual X pattern has odd weight (anticommutes with Z^7).
    """
    H = np.array([[0, 0, 0, 1, 1, 1, 1], [0, 1, 1, 0, 0, 1, 1], [1, 0, 1, 0, 1, 0, 1]])
    q = 2 * p / 3
    total = 0.0
    for e in itertools.product((0, 1), repeat=7):
        e = np.array(e)
        s = H @ e % 2
        pos = int(s[0] * 4 + s[1] * 2 + s[2])  # column index (1-based) of the flipped bit
        r = e.copy()
        if pos:
            r[pos - 1] ^= 1
        if r.sum() % 2:
            total += q ** e.sum() * (1 - q) ** (7 - e.sum())
    return total


def _five_qubit_exact_z_memory(p: float) -> float:
    """Five-qubit code (Laflamme et al. 1996), enumeration over all 4^5 Paulis."""
    stabs = ["XZZXI", "IXZZX", "XIXZZ", "ZXIXZ"]

    def anti(a: str, b: str) -> int:
        return sum(x != "I" and y != "I" and x != y for x, y in zip(a, b)) % 2

    table = {}
    for q in range(5):
        for c in "XYZ":
            e = "I" * q + c + "I" * (4 - q)
            table[tuple(anti(e, s) for s in stabs)] = e
    table[(0, 0, 0, 0)] = "IIIII"
    assert len(table) == 16  # a perfect code: 1 + 15 single-qubit errors fill all syndromes
    total = 0.0
    for e in itertools.product("IXYZ", repeat=5):
        e = "".join(e)
        corr = table[tuple(anti(e, s) for s in stabs)]
        if anti(e, "ZZZZZ") ^ anti(corr, "ZZZZZ"):
            w = sum(c != "I" for c in e)
            total += (p / 3) ** w * (1 - p) ** (5 - w)
    return total


@pytest.mark.parametrize("p", [0.05, 0.15])
def test_exact_rates_against_independent_enumeration(p):
    assert qec.small_code("steane").exact_logical_error_rate("depolarize", p) == pytest.approx(
        _steane_exact_z_memory(p), rel=1e-9
    )
    assert qec.small_code("five_qubit").exact_logical_error_rate("depolarize", p) == pytest.approx(
        _five_qubit_exact_z_memory(p), rel=1e-9
    )


def test_distance_three_codes_correct_every_single_error():
    # leading order p^2: the rate divided by p^2 stays bounded as p -> 0
    for name in ("shor", "steane", "five_qubit"):
        code = qec.small_code(name)
        r1 = code.exact_logical_error_rate("depolarize", 1e-3)
        r2 = code.exact_logical_error_rate("depolarize", 2e-3)
        assert r2 / r1 == pytest.approx(4.0, rel=0.02)


@pytest.mark.parametrize("name", qec.SMALL_CODES)
def test_stim_fast_path_matches_exact(name):
    channel = {"bit_flip": "bit_flip", "phase_flip": "phase_flip"}.get(name, "depolarize")
    basis = "x" if name == "phase_flip" else "z"
    p = 0.1
    exact = qec.small_code(name).exact_logical_error_rate(channel, p, basis=basis)
    r = qec.small_code_logical_error_rate(
        name, channel, p, shots=40_000, basis=basis, backend="stim", seed=1
    )
    assert r.ci_low <= exact <= r.ci_high


@pytest.mark.parametrize(
    ("name", "channel", "basis"),
    [
        ("bit_flip", "bit_flip", "z"),
        ("steane", "depolarize", "z"),
        ("five_qubit", "depolarize", "x"),
    ],
)
def test_cirq_ground_truth_matches_exact(name, channel, basis):
    """Cirq's simulator (mid-circuit measurement and reset of the ancilla) vs the exact rate."""
    p = 0.15
    exact = qec.small_code(name).exact_logical_error_rate(channel, p, basis=basis)
    r = qec.small_code_logical_error_rate(
        name, channel, p, shots=400, basis=basis, backend="cirq", seed=2
    )
    # 4 standard errors of the exact binomial
    assert abs(r.rate - exact) < 4 * np.sqrt(exact * (1 - exact) / r.shots)
    assert r.backend == "cirq" and r.shots == 400


def test_code_beats_bare_qubit_below_pseudo_threshold():
    # a bare qubit under depolarize(p) flips its Z value with probability 2p/3
    p = 0.03
    for name in ("shor", "steane", "five_qubit"):
        assert qec.small_code(name).exact_logical_error_rate("depolarize", p) < 2 * p / 3


def test_small_code_bad_input():
    with pytest.raises(ValueError, match="name must be one of"):
        qec.small_code("toric")
    with pytest.raises(ValueError, match="channel must be one of"):
        qec.small_code_circuit("steane", "amplitude_damp", 0.1)
    with pytest.raises(ValueError, match=r"p must be a probability in \[0, 1\]"):
        qec.small_code_logical_error_rate("steane", "depolarize", 1.2, shots=10)
    with pytest.raises(ValueError, match="backend must be one of"):
        qec.small_code_logical_error_rate("steane", "depolarize", 0.1, shots=10, backend="qiskit")
    with pytest.raises(ValueError, match="basis must be one of"):
        qec.small_code("steane").logical_operator("y")
    with pytest.raises(ValueError, match="pauli must be a string of 7"):
        qec.small_code("steane").syndrome("XX")
    assert small_codes.small_code("steane").syndrome("IIIIIIZ") == 7 << 3
