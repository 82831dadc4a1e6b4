"""qnetlab.repeaters.purification pinned: BBPSSW, DEJMPS and the noisy circuit (issue 21).

Bennett et al., PRL 76, 722 (1996); Deutsch et al., PRL 77, 2818 (1996). The noisy-circuit
values are derived here from how depolarising noise acts on Φ+ (Dür & Briegel, Rep. Prog.
Phys. 70, 1381 (2007), Sec. 4): no call into the package computes them.
"""

from __future__ import annotations

import numpy as np
import pytest

from qnetlab import repeaters as rp
from qnetlab.repeaters import purification as pu
from qnetlab.states import bell_diagonal_state, bell_state, fidelity


@pytest.mark.parametrize("f", [0.25, 0.5, 0.6, 0.8, 0.95, 1.0])
def test_bbpssw_pinned(f):
    e = (1 - f) / 3
    n = f * f + 2 * f * e + 5 * e * e
    assert pu.bbpssw(f) == pytest.approx(((f * f + e * e) / n, n), rel=1e-12)


def test_bbpssw_range():
    for bad in (0.2499, 1.01):
        with pytest.raises(ValueError, match="fidelity"):
            pu.bbpssw(bad)


COEFFS = [(0.7, 0.1, 0.15, 0.05), (0.55, 0.3, 0.05, 0.1), (0.4, 0.2, 0.25, 0.15)]


@pytest.mark.parametrize("c", COEFFS)
def test_bilateral_cnot_and_dejmps_pinned(c):
    a, b, cc, d = c  # (Φ+, Ψ−, Ψ+, Φ−)
    # Bilateral CNOT: kept when both pairs have a bit error or neither (Φ± vs Ψ±); phase
    # errors of the two pairs add.
    n = (a + d) ** 2 + (b + cc) ** 2
    ref = np.array([a * a + d * d, 2 * b * cc, b * b + cc * cc, 2 * a * d]) / n
    out, p = pu.bbpssw_bell_diagonal(c)
    np.testing.assert_allclose(out, ref, rtol=1e-12)
    assert p == pytest.approx(n, rel=1e-12)
    # DEJMPS, Deutsch et al. (1996): A' = (A² + B²)/N, B' = 2CD/N, C' = (C² + D²)/N,
    # D' = 2AB/N, N = (A + B)² + (C + D)².
    n = (a + b) ** 2 + (cc + d) ** 2
    ref = np.array([a * a + b * b, 2 * cc * d, cc * cc + d * d, 2 * a * b]) / n
    out, p = pu.dejmps(c)
    np.testing.assert_allclose(out, ref, rtol=1e-12)
    assert p == pytest.approx(n, rel=1e-12)


@pytest.mark.parametrize("c", COEFFS)
@pytest.mark.parametrize("protocol", ["bbpssw", "dejmps"])
def test_cirq_circuit_matches_the_maps(c, protocol):
    rho = bell_diagonal_state(c)
    out, p = pu.purify_cirq(rho, protocol=protocol)
    ref, p_ref = pu.dejmps(c) if protocol == "dejmps" else pu.bbpssw_bell_diagonal(c)
    np.testing.assert_allclose(out, bell_diagonal_state(ref), atol=1e-10)
    assert p == pytest.approx(p_ref, rel=1e-10)


@pytest.mark.parametrize("protocol", ["bbpssw", "dejmps"])
@pytest.mark.parametrize(("p", "q"), [(0.05, 0.0), (0.2, 0.0), (0.0, 0.1), (0.1, 0.03)])
def test_noisy_circuit_on_perfect_pairs(protocol, p, q):
    # Two perfect Φ+ pairs: the bilateral CNOT leaves both as Φ+ (DEJMPS's rotations
    # U ⊗ U* too). Depolarising p then hits each qubit independently:
    # - the kept pair stays Φ+ when both its qubits are untouched or get the same Pauli
    #   (XX, YY, ZZ fix Φ+): F = (1 − p)² + 3 (p/3)²;
    # - a₂ and b₂ agree unless exactly one of them is flipped, by X or Y (2p/3) or by the
    #   measurement bit flip q: with s = 2p/3 + q − 2 (2p/3) q per qubit,
    #   P(success) = (1 − s)² + s².
    phi = bell_state("phi+", density=True)
    out, p_success = pu.purify_cirq(phi, protocol=protocol, gate_noise=p, measurement_noise=q)
    assert fidelity(out, phi) == pytest.approx((1 - p) ** 2 + p * p / 3, abs=1e-9)
    flip = 2 * p / 3
    s = flip + q - 2 * flip * q
    assert p_success == pytest.approx((1 - s) ** 2 + s * s, abs=1e-9)
    assert out.shape == (4, 4) and np.allclose(out, out.conj().T)


def test_purification_circuit_structure():
    import cirq

    noisy, qubits = pu.purification_circuit("bbpssw", gate_noise=0.1, measurement_noise=0.2)
    assert len(qubits) == 4
    ops = list(noisy.all_operations())
    gates = [str(op.gate) for op in ops]
    assert sum("depolarize(p=0.1)" in g for g in gates) == 4
    assert sum("bit_flip(p=0.2)" in g for g in gates) == 2
    assert sorted(cirq.measurement_key_names(noisy)) == ["a2", "b2"]
    clean, _ = pu.purification_circuit("bbpssw", measure=False)
    assert len(list(clean.all_operations())) == 2  # the two CNOTs, nothing else
    assert not cirq.measurement_key_names(clean)
    dej, _ = pu.purification_circuit("dejmps", measure=False)
    assert len(list(dej.all_operations())) == 6  # 4 rotations + 2 CNOTs
    for kwargs in ({"gate_noise": 1.5}, {"measurement_noise": -0.1}):
        with pytest.raises(ValueError):
            pu.purification_circuit(**kwargs)
    with pytest.raises(ValueError, match="protocol"):
        pu.purification_circuit("pumping")


def test_purify_cirq_two_different_pairs():
    c1, c2 = COEFFS[0], COEFFS[1]
    out, p = pu.purify_cirq(bell_diagonal_state(c1), bell_diagonal_state(c2), "bbpssw")
    a1, b1, x1, d1 = c1
    a2, b2, x2, d2 = c2
    ref = np.array([a1 * a2 + d1 * d2, b1 * x2 + x1 * b2, b1 * b2 + x1 * x2, a1 * d2 + d1 * a2])
    np.testing.assert_allclose(out, bell_diagonal_state(ref / ref.sum()), atol=1e-10)
    assert p == pytest.approx(ref.sum(), rel=1e-10)


def test_purify_recurrence_pinned():
    f = 0.7
    res = pu.purify_recurrence(f, 3, "bbpssw")
    fs, cost = [f], [1.0]
    for _ in range(3):
        f2, p = pu.bbpssw(fs[-1])
        fs.append(f2)
        cost.append(2 * cost[-1] / p)
    np.testing.assert_allclose(res.fidelities, fs, rtol=1e-12)
    np.testing.assert_allclose(res.pairs_per_output, cost, rtol=1e-12)
    assert res.rounds == 3 and res.protocol == "bbpssw"
    assert res.coefficients.shape == (4, 4)
    np.testing.assert_allclose(res.coefficients[2, 1:], (1 - fs[2]) / 3)  # twirled
    # DEJMPS from coefficients: no twirl, the map applied three times
    c = np.array(COEFFS[0])
    res = pu.purify_recurrence(c, 2)
    c1, p1 = pu.dejmps(c)
    c2, p2 = pu.dejmps(c1)
    np.testing.assert_allclose(res.coefficients, [c, c1, c2], rtol=1e-12)
    np.testing.assert_allclose(res.success_probabilities, [p1, p2], rtol=1e-12)
    np.testing.assert_allclose(res.pairs_per_output, [1, 2 / p1, 4 / (p1 * p2)], rtol=1e-12)
    zero = pu.purify_recurrence(0.9, 0)
    assert zero.rounds == 0 and zero.pairs_per_output.tolist() == [1.0]
    np.testing.assert_allclose(zero.coefficients[0], [0.9, 0.1 / 3, 0.1 / 3, 0.1 / 3])
    assert repr(zero) == "PurificationResult(protocol='dejmps', rounds=0, fidelities=[0.9000])"
    with pytest.raises(ValueError, match="rounds"):
        pu.purify_recurrence(0.9, -1)
    with pytest.raises(ValueError, match="initial"):
        pu.purify_recurrence(0.2, 1)
    with pytest.raises(ValueError, match="protocol"):
        pu.purify_recurrence(0.9, 1, "pumping")
    assert rp.PURIFICATION_PROTOCOLS == ("bbpssw", "dejmps")


@pytest.mark.parametrize("f", [0.25, 0.3, 0.45])
def test_purify_recurrence_accepts_every_werner_fidelity_below_one_half(f):
    # Werner states exist for F in [1/4, 1]; below 1/2 a BBPSSW round does not help
    # (Bennett et al., PRL 76, 722 (1996)): F' = (F² + g²)/(F² + 2Fg + 5g²), g = (1 − F)/3,
    # lies below F, and F = 1/4 (the maximally mixed state) is a fixed point.
    g = (1 - f) / 3
    ref = (f * f + g * g) / (f * f + 2 * f * g + 5 * g * g)
    res = pu.purify_recurrence(f, 1, "bbpssw")
    assert res.fidelities[1] == pytest.approx(ref, rel=1e-12)
    assert res.fidelities[1] <= f + 1e-15
    assert res.success_probabilities[0] == pytest.approx(f * f + 2 * f * g + 5 * g * g)
