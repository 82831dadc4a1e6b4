"""qnetlab.qec.small_codes pinned: closed-form logical error rates and the decoder tables.

Issue 21. Nielsen & Chuang (2010), Sec. 10.1: the three-qubit codes fail with
3p²(1 − p) + p³; an undetected error class fails with the probability of an odd number of
flips, (1 − (1 − 2p)ⁿ)/2. Distance-3 codes correct every single-qubit Pauli (Steane 1996;
Laflamme et al. 1996; Shor 1995).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from qnetlab.qec import small_codes as sc

P = [0.0, 0.01, 0.1, 0.3, 0.5, 1.0]


@pytest.mark.parametrize("p", P)
def test_three_qubit_codes_closed_forms(p):
    two_or_three = 3 * p * p * (1 - p) + p**3
    odd = (1 - (1 - 2 * p) ** 3) / 2
    bit, phase = sc.small_code("bit_flip"), sc.small_code("phase_flip")
    assert bit.exact_logical_error_rate("bit_flip", p) == pytest.approx(two_or_three)
    assert phase.exact_logical_error_rate("phase_flip", p) == pytest.approx(two_or_three)
    # Z errors commute with the bit-flip code's Z read-out ...
    assert bit.exact_logical_error_rate("phase_flip", p, "z") == 0.0
    # ... and flip its X read-out whenever an odd number of them occurs (no syndrome).
    assert bit.exact_logical_error_rate("phase_flip", p, "x") == pytest.approx(odd)
    # the phase-flip code reads Z_L = XXX in basis z and X_L = ZZZ in basis x
    assert phase.exact_logical_error_rate("bit_flip", p, "z") == 0.0
    assert phase.exact_logical_error_rate("bit_flip", p, "x") == pytest.approx(odd)
    # depolarising p: X or Y (2p/3) flips a bit; three independent qubits
    q = 2 * p / 3
    assert bit.exact_logical_error_rate("depolarize", p) == pytest.approx(
        3 * q * q * (1 - q) + q**3
    )


@pytest.mark.parametrize("name", ["shor", "steane", "five_qubit"])
def test_distance_three_rates_are_quadratic(name):
    code = sc.small_code(name)
    for channel in sc.CHANNELS:
        for basis in ("z", "x"):
            a = code.exact_logical_error_rate(channel, 1e-3, basis)
            b = code.exact_logical_error_rate(channel, 1e-4, basis)
            assert code.exact_logical_error_rate(channel, 0.0, basis) == 0.0
            assert b == pytest.approx(a / 100, rel=0.02)  # p_L ∝ p² as p → 0
            assert 0 <= b < 1e-6
            if channel == "depolarize":  # both error types reach the read-out
                assert b > 0


def product(p1: str, p2: str) -> str:
    """Product of two Pauli strings up to a phase (X·Z = Y, X·Y = Z, ...)."""
    bits = {"I": (0, 0), "X": (1, 0), "Z": (0, 1), "Y": (1, 1)}
    back = {v: k for k, v in bits.items()}
    return "".join(back[(bits[a][0] ^ bits[b][0], bits[a][1] ^ bits[b][1])] for a, b in zip(p1, p2))


@pytest.mark.parametrize("name", sc.SMALL_CODES)
def test_lookup_table_corrects_single_errors(name):
    code = sc.small_code(name)
    letters = {"bit_flip": "X", "phase_flip": "Z"}.get(name, "XYZ")
    assert code.lookup_table[0] == "I" * code.n
    for q, c in itertools.product(range(code.n), letters):
        err = "".join(c if i == q else "I" for i in range(code.n))
        corr = code.lookup_table[code.syndrome(err)]
        # the correction equals the error up to a stabilizer: same syndrome and the
        # residual commutes with both logical operators
        assert code.syndrome(corr) == code.syndrome(err)
        residual = product(err, corr)
        for logical in (code.logical_x, code.logical_z):
            anti = sum(a != "I" and b != "I" and a != b for a, b in zip(residual, logical))
            assert anti % 2 == 0


def test_syndromes_and_structure():
    five = sc.small_code("five_qubit")
    assert not five.is_css and sc.small_code("steane").is_css and sc.small_code("shor").is_css
    # the perfect code: 1 + 3·5 = 16 single-error syndromes, all distinct
    syn = {
        five.syndrome(e)
        for e in ["IIIII"]
        + ["".join(c if i == q else "I" for i in range(5)) for q in range(5) for c in "XYZ"]
    }
    assert len(syn) == 16
    assert five.syndrome("XIIII") == 0b1000  # anticommutes with ZXIXZ only (bit 3)
    bit = sc.small_code("bit_flip")
    assert [bit.syndrome(e) for e in ("XII", "IXI", "IIX", "ZZZ")] == [1, 3, 2, 0]
    for bad in ("XX", "XXXX", "XAX"):
        with pytest.raises(ValueError, match="pauli must be a string of 3 letters"):
            bit.syndrome(bad)
    assert bit.logical_operator("z") == "ZZZ" and bit.logical_operator("x") == "XXX"
    with pytest.raises(ValueError, match="basis"):
        bit.logical_operator("y")
    with pytest.raises(ValueError, match="must be one of"):
        sc.small_code("surface")
    with pytest.raises(ValueError, match="channel"):
        bit.exact_logical_error_rate("erasure", 0.1)
    with pytest.raises(ValueError, match="p"):
        bit.exact_logical_error_rate("bit_flip", 1.1)


@pytest.mark.parametrize("name", ["bit_flip", "steane", "five_qubit"])
@pytest.mark.parametrize("basis", ["z", "x"])
def test_circuit_structure(name, basis):
    import cirq

    code = sc.small_code(name)
    c = sc.small_code_circuit(name, "depolarize", 0.1, basis=basis)
    keys = sorted(cirq.measurement_key_names(c))
    assert keys == sorted(["data", *(f"s{k}" for k in range(len(code.stabilizers)))])
    first = next(iter(c.all_operations()))
    assert (first.gate == cirq.H and first.qubits == (cirq.LineQubit(0),)) == (basis == "x")
    noise = [op for op in c.all_operations() if "depolarize(p=0.1)" in str(op.gate)]
    assert len(noise) == code.n
    last = c[-1].operations
    assert len(last) == 1 and cirq.is_measurement(last[0])
    assert cirq.num_qubits(c) == code.n + 1


@pytest.mark.parametrize("backend", ["cirq", "stim"])
def test_sampled_rates_at_the_extremes(backend):
    # p = 0 never fails; p = 1 bit flips on all three qubits is an undetected logical X.
    r0 = sc.small_code_logical_error_rate(
        "bit_flip", "bit_flip", 0.0, shots=50, backend=backend, seed=1
    )
    assert r0.errors == 0 and r0.rate == 0.0 and r0.ci_low == 0.0 and r0.ci_high > 0
    r1 = sc.small_code_logical_error_rate(
        "bit_flip", "bit_flip", 1.0, shots=50, backend=backend, seed=1
    )
    assert r1.errors == 50 and r1.rate == 1.0 and r1.ci_high == 1.0
    # basis x: Z errors on all three qubits flip the X read-out of the phase-flip code?
    # No: Z errors are what it corrects only one of; three of them fail.
    r2 = sc.small_code_logical_error_rate(
        "phase_flip", "phase_flip", 1.0, shots=20, basis="z", backend=backend, seed=2
    )
    assert r2.rate == 1.0
    r3 = sc.small_code_logical_error_rate(
        "bit_flip", "phase_flip", 1.0, shots=20, basis="x", backend=backend, seed=3
    )
    assert r3.rate == 1.0  # three Z flips: odd, undetected
    assert (r3.code, r3.channel, r3.p, r3.basis, r3.backend, r3.shots) == (
        "bit_flip",
        "phase_flip",
        1.0,
        "x",
        backend,
        20,
    )


def test_sampled_rate_matches_exact_for_steane():
    code = sc.small_code("steane")
    p = 0.15
    exact = code.exact_logical_error_rate("depolarize", p, "x")
    r = sc.small_code_logical_error_rate(
        "steane", "depolarize", p, shots=20_000, basis="x", backend="stim", seed=4
    )
    se = np.sqrt(exact * (1 - exact) / 20_000)
    assert abs(r.rate - exact) < 4 * se


def test_bad_input():
    with pytest.raises(ValueError, match="shots"):
        sc.small_code_logical_error_rate("steane", "depolarize", 0.1, shots=0)
    with pytest.raises(ValueError, match="backend"):
        sc.small_code_logical_error_rate("steane", "depolarize", 0.1, shots=1, backend="qiskit")
    with pytest.raises(ValueError, match="p"):
        sc.small_code_circuit("steane", "depolarize", -0.1)
    with pytest.raises(ValueError, match="channel"):
        sc.small_code_circuit("steane", "erasure", 0.1)


@pytest.mark.parametrize("code", ["bit_flip", "steane", "five_qubit", "shor"])
def test_memory_refusal_counts_every_recorded_bit(code):
    # A shot records one bit per stabilizer measurement and one per data qubit (8 bytes
    # each as numbers): a run far too large is refused up front with that figure.
    code_ = sc.small_code(code)
    shots = 10**10
    with pytest.raises(ValueError, match="shots") as err:
        sc.small_code_logical_error_rate(code, "depolarizing", 0.01, shots=shots)
    gb = float(err.value.args[0].split("about ")[1].split(" GB")[0])
    assert gb == pytest.approx(8 * shots * (len(code_.stabilizers) + code_.n) / 2**30, rel=5e-3)
