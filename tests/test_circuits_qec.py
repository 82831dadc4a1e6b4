"""Textbook QEC circuits checked by state-vector simulation against the stabilizers."""

from __future__ import annotations

import itertools

import cirq
import numpy as np
import pytest
import stim

from qnetlab.qec import small_code
from qnetlab.qec.textbook import (
    TEXTBOOK_CODES,
    encoder_circuit,
    surface_code_round,
    surface_code_stabilizers,
    syndrome_circuit,
    syndrome_table,
)


def _code(name: str):
    return small_code("bit_flip" if name == "repetition" else name)


def _expectation(pauli: str, psi: np.ndarray, qubits: list) -> float:
    op = cirq.DensePauliString(pauli).on(*qubits)
    index = {q: i for i, q in enumerate(qubits)}
    return float(np.real(op.expectation_from_state_vector(psi, index)))


@pytest.mark.parametrize("name", TEXTBOOK_CODES)
@pytest.mark.parametrize(
    ("prep", "logical", "value"),
    [((), "z", 1.0), ((cirq.X,), "z", -1.0), ((cirq.H,), "x", 1.0), ((cirq.X, cirq.H), "x", -1.0)],
)
def test_encoded_states_are_eigenstates_of_stabilizers_and_logicals(name, prep, logical, value):
    # |0_L>, |1_L>, |+_L>, |-_L>: +1 eigenstates of every generator, ±1 of Z_L or X_L.
    sc = _code(name)
    qubits = cirq.LineQubit.range(sc.n)
    circuit = cirq.Circuit(g(qubits[0]) for g in prep) + encoder_circuit(name)
    psi = cirq.final_state_vector(circuit, qubit_order=qubits, dtype=np.complex128)
    for stab in sc.stabilizers:
        assert _expectation(stab, psi, qubits) == pytest.approx(1.0, abs=1e-9)
    assert _expectation(sc.logical_operator(logical), psi, qubits) == pytest.approx(value, abs=1e-9)


def test_textbook_encoders_have_the_textbook_gate_counts():
    # Nielsen & Chuang Fig. 10.2 (two CNOTs) and Fig. 10.4 (Shor: eight CNOTs, three H).
    def count(c, k):
        return sum(1 for op in c.all_operations() if len(op.qubits) == k)

    assert count(encoder_circuit("repetition"), 2) == 2
    assert count(encoder_circuit("repetition"), 1) == 0
    assert count(encoder_circuit("shor"), 2) == 8
    assert count(encoder_circuit("shor"), 1) == 3
    assert count(encoder_circuit("phase_flip"), 1) == 3


@pytest.mark.parametrize("name", TEXTBOOK_CODES)
def test_syndrome_table_matches_symplectic_syndromes(name):
    # The simulated ancilla bits equal the anticommutation pattern of the error with each
    # generator, computed independently from the Pauli strings.
    sc = _code(name)
    table = syndrome_table(name)
    assert table["none"] == (0,) * len(sc.stabilizers)
    for j, p in itertools.product(range(sc.n), "XYZ"):
        err = stim.PauliString("I" * j + p + "I" * (sc.n - j - 1))
        expected = tuple(int(not err.commutes(stim.PauliString(s))) for s in sc.stabilizers)
        assert table[f"{p}{j}"] == expected


def _in_stabilizer_group(pauli: stim.PauliString, stabilizers: tuple[str, ...]) -> bool:
    gens = [stim.PauliString(s) for s in stabilizers]
    for bits in itertools.product((0, 1), repeat=len(gens)):
        prod = stim.PauliString(len(pauli))
        for b, g in zip(bits, gens):
            if b:
                prod *= g
        if abs(prod.sign) == 1 and all(a == b for a, b in zip(str(prod)[1:], str(pauli)[1:])):
            return True
    return False


@pytest.mark.parametrize("name", ["shor", "steane", "five_qubit"])
def test_distance_three_codes_tell_single_errors_apart(name):
    # Two different single-qubit errors share a syndrome only if they differ by a
    # stabilizer (Shor's code is degenerate: Z0 and Z1 act alike on the code space).
    sc = _code(name)
    table = syndrome_table(name)
    errors = [k for k in table if k != "none"]
    assert all(any(table[e]) for e in errors)
    for e1, e2 in itertools.combinations(errors, 2):
        if table[e1] == table[e2]:
            p1 = stim.PauliString("I" * int(e1[1:]) + e1[0] + "I" * (sc.n - int(e1[1:]) - 1))
            p2 = stim.PauliString("I" * int(e2[1:]) + e2[0] + "I" * (sc.n - int(e2[1:]) - 1))
            assert _in_stabilizer_group(p1 * p2, sc.stabilizers), (e1, e2)
    # Shor: 9 X, 9 Y and 3 classes of Z errors (one per block); the others are
    # non-degenerate: 3n distinct syndromes (the five-qubit code is perfect: 15 = 2^4 - 1).
    distinct = len({table[e] for e in errors})
    assert distinct == {"shor": 21, "steane": 21, "five_qubit": 15}[name]


def test_repetition_syndrome_circuit_is_the_textbook_one():
    c = syndrome_circuit("repetition", measure=False)
    pairs = [tuple(q.x for q in op.qubits) for op in c.all_operations()]
    assert pairs == [(0, 3), (1, 3), (1, 4), (2, 4)]


def test_unknown_code_is_refused():
    with pytest.raises(ValueError, match="code"):
        encoder_circuit("toric")


def _surface_checks_as_strings(d: int):
    checks = surface_code_stabilizers(d)
    data = sorted({q for _, _, s in checks for q in s})
    index = {q: i for i, q in enumerate(data)}
    out = []
    for basis, _, support in checks:
        chars = ["I"] * len(data)
        for q in support:
            chars[index[q]] = basis
        out.append(stim.PauliString("".join(chars)))
    return out, data


@pytest.mark.parametrize("d", [3, 5])
def test_surface_code_checks_commute_and_encode_one_qubit(d):
    paulis, data = _surface_checks_as_strings(d)
    assert len(data) == d * d and len(paulis) == d * d - 1
    for a, b in itertools.combinations(paulis, 2):
        assert a.commutes(b)
    # a Z string along the top row and an X string down the left column commute with
    # every check and anticommute with each other: one logical qubit; the checks and Z_L
    # are independent (stim builds a tableau from them).
    logical_z = stim.PauliString("".join("Z" if r == 1 else "I" for r, _ in data))
    logical_x = stim.PauliString("".join("X" if c == 1 else "I" for _, c in data))
    assert all(logical_z.commutes(p) and logical_x.commutes(p) for p in paulis)
    assert not logical_z.commutes(logical_x)
    stim.Tableau.from_stabilizers([*paulis, logical_z])


def test_surface_code_round_measures_the_stabilizers():
    # Start in |0...0> (a +1 eigenstate of every Z check): the Z checks read 0 in the first
    # round; the X checks are random but repeat exactly in the second round; an X error on
    # one data qubit between rounds flips exactly the Z checks that contain it.
    checks = surface_code_stabilizers(3)
    z_checks = [s for b, _, s in checks if b == "Z"]
    err_qubit = (3, 3)
    two = surface_code_round(3) + surface_code_round(3, round_index=1)
    err = surface_code_round(3) + cirq.Circuit(cirq.X(cirq.GridQubit(*err_qubit)))
    err += surface_code_round(3, round_index=1)
    for circuit, flipped in (
        (two, set()),
        (err, {i for i, s in enumerate(z_checks) if err_qubit in s}),
    ):
        res = cirq.Simulator(seed=3).run(circuit, repetitions=20)
        m = res.measurements
        assert not m["z0"].any()
        np.testing.assert_array_equal(m["x0"], m["x1"])
        expect = np.array([i in flipped for i in range(len(z_checks))], dtype=np.int8)
        assert (m["z1"] == expect).all()
        assert 0 < m["x0"].mean() < 1  # the X checks are not trivially 0: random outcomes
    assert len(flipped) == 2


def test_surface_code_round_layers_touch_each_qubit_once():
    c = surface_code_round(3)
    assert len(c) == 8
    for moment in c[2:6]:
        assert len(moment.operations) in (6, 7)
    # the readable form has the same gates on each qubit in the same order
    r = surface_code_round(3, parallel=False)
    for q in c.all_qubits():
        assert [str(op) for op in c.all_operations() if q in op.qubits] == [
            str(op) for op in r.all_operations() if q in op.qubits
        ]


@pytest.mark.parametrize("d", [4, 1, 2.5])
def test_surface_code_distance_is_checked(d):
    with pytest.raises((ValueError, TypeError), match="d"):
        surface_code_stabilizers(d)
