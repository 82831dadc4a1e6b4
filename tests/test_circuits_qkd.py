"""QKD round circuits checked by Cirq simulation: right bits, and intercept-resend QBERs."""

from __future__ import annotations

import itertools

import cirq
import numpy as np
import pytest

from qnetlab.qkd.circuits import (
    b92_round_circuit,
    bb84_round_circuit,
    bbm92_round_circuit,
    six_state_round_circuit,
)

REPS = 3000


def _run(circuit, reps, seed):
    # Eve's mid-circuit measurement is deferred to the end (an ancilla copies it): the
    # same statistics, and the state is simulated once instead of once per repetition.
    deferred = cirq.defer_measurements(circuit)
    return cirq.Simulator(seed=seed).run(deferred, repetitions=reps).measurements


@pytest.mark.parametrize(("bit", "basis"), list(itertools.product((0, 1), "ZX")))
def test_bb84_matching_bases_give_alices_bit(bit, basis):
    m = _run(bb84_round_circuit(bit, basis, basis), 50, 1)
    assert (m["bob"][:, 0] == bit).all()


@pytest.mark.parametrize(("bit", "basis"), list(itertools.product((0, 1), "ZXY")))
def test_six_state_matching_bases_give_alices_bit(bit, basis):
    m = _run(six_state_round_circuit(bit, basis, basis), 50, 2)
    assert (m["bob"][:, 0] == bit).all()


def test_mismatched_bases_give_random_bits():
    # Z against X (and X against Y): Bob's outcome is a fair coin, within 4 sigma.
    for circuit in (bb84_round_circuit(0, "Z", "X"), six_state_round_circuit(1, "X", "Y")):
        mean = _run(circuit, 2000, 3)["bob"].mean()
        assert abs(mean - 0.5) < 4 * np.sqrt(0.25 / 2000)


@pytest.mark.parametrize("basis", "ZX")
def test_bbm92_matching_bases_are_correlated(basis):
    m = _run(bbm92_round_circuit(basis, basis), 200, 4)
    np.testing.assert_array_equal(m["alice"], m["bob"])
    assert 0.3 < m["alice"].mean() < 0.7  # and random: the pair is entangled


def test_b92_conclusive_outcomes_are_never_wrong():
    # Bob's outcome 1 is conclusive: Z -> Alice sent |+> (bit 1), X -> |0> (bit 0).
    for bit, basis in itertools.product((0, 1), "ZX"):
        hits = _run(b92_round_circuit(bit, basis), 2000, 5)["bob"][:, 0]
        conclusive_bit_right = (basis == "Z" and bit == 1) or (basis == "X" and bit == 0)
        if conclusive_bit_right:
            assert abs(hits.mean() - 0.5) < 4 * np.sqrt(0.25 / 2000)  # |<1|+>|^2 = 1/2
        else:
            assert not hits.any()


def _qber(builder, combos, seed):
    errors = total = 0
    for k, (args, expected) in enumerate(combos):
        bob = _run(builder(*args[0], **args[1]), REPS, seed + k)["bob"][:, 0]
        errors += int((bob != expected).sum())
        total += bob.size
    return errors / total, total


def test_bb84_intercept_resend_gives_qber_one_quarter():
    # Eve guesses the basis wrong half the time and then randomises Bob's bit: 1/2 * 1/2.
    combos = [
        (((b, a, a), {"eve_basis": e}), b) for b, a, e in itertools.product((0, 1), "ZX", "ZX")
    ]
    qber, n = _qber(bb84_round_circuit, combos, 10)
    assert abs(qber - 0.25) < 4 * np.sqrt(0.25 * 0.75 / n)


def test_six_state_intercept_resend_gives_qber_one_third():
    # Eve's basis is wrong 2/3 of the time, then Bob's bit is random: 2/3 * 1/2 = 1/3.
    combos = [
        (((b, a, a), {"eve_basis": e}), b) for b, a, e in itertools.product((0, 1), "ZXY", "ZXY")
    ]
    qber, n = _qber(six_state_round_circuit, combos, 20)
    assert abs(qber - 1 / 3) < 4 * np.sqrt(2 / 9 / n)


def test_bbm92_intercept_resend_gives_qber_one_quarter():
    errors = total = 0
    for k, (a, e) in enumerate(itertools.product("ZX", "ZX")):
        m = _run(bbm92_round_circuit(a, a, eve_basis=e), REPS, 30 + k)
        errors += int((m["alice"] != m["bob"]).sum())
        total += REPS
    assert abs(errors / total - 0.25) < 4 * np.sqrt(0.25 * 0.75 / total)


def _b92_intercept_resend_qber() -> float:
    # Independent state-vector count: Alice |0> or |+>, Eve measures Z or X at random and
    # resends her outcome's state; Bob's outcome 1 in basis Z means key bit 1, in X bit 0.
    s = 1 / np.sqrt(2)
    states = {("Z", 0): [1, 0], ("Z", 1): [0, 1], ("X", 0): [s, s], ("X", 1): [s, -s]}
    alice = {0: states[("Z", 0)], 1: states[("X", 0)]}
    wrong = conclusive = 0.0
    for bit, eve, bob in itertools.product((0, 1), "ZX", "ZX"):
        for outcome in (0, 1):
            p_eve = abs(np.dot(states[(eve, outcome)], alice[bit])) ** 2
            p_click = abs(np.dot(states[(bob, 1)], states[(eve, outcome)])) ** 2
            weight = p_eve * p_click / 8
            conclusive += weight
            if (1 if bob == "Z" else 0) != bit:
                wrong += weight
    return wrong / conclusive


def test_b92_intercept_resend_matches_the_state_vector_count():
    expected = _b92_intercept_resend_qber()
    # by hand: Eve in Z resends |0> for |0>: only right clicks (weight 1/2); Eve in X
    # resends |+-> at random: wrong clicks 1/2, right clicks 1/2 -> 1/2 of 3/2 = 1/3
    assert expected == pytest.approx(1 / 3)
    errors = total = 0
    for k, (bit, eve, bob) in enumerate(itertools.product((0, 1), "ZX", "ZX")):
        out = _run(b92_round_circuit(bit, bob, eve_basis=eve), REPS, 40 + k)["bob"][:, 0]
        keep = out == 1
        errors += int(keep.sum()) if (1 if bob == "Z" else 0) != bit else 0
        total += int(keep.sum())
    assert abs(errors / total - expected) < 4 * np.sqrt(expected * (1 - expected) / total)


def test_depolarised_channel_gives_qber_two_thirds_p():
    # cirq.depolarize(p) flips a Z-basis bit with probability 2p/3.
    p = 0.3
    circuit = six_state_round_circuit(0, "Z", "Z", depolarization=p)
    bob = cirq.DensityMatrixSimulator(seed=50).run(circuit, repetitions=4000).measurements["bob"]
    assert abs(bob.mean() - 2 * p / 3) < 4 * np.sqrt(0.2 * 0.8 / 4000)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: six_state_round_circuit(0, "W", "Z"), "alice_basis"),
        (lambda: b92_round_circuit(2, "Z"), "bit"),
        (lambda: b92_round_circuit(0, "Y"), "bob_basis"),
        (lambda: bbm92_round_circuit("Z", "Z", eve_basis="Y"), "eve_basis"),
        (lambda: bbm92_round_circuit("Z", "Z", depolarization=1.5), "depolarization"),
    ],
)
def test_bad_arguments_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
