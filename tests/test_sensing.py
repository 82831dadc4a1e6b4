"""Distributed quantum sensing (qnetlab.sensing): Fisher information, GHZ noise, estimators.

Closed forms: Giovannetti, Lloyd & Maccone, Science 306, 1330 (2004) and Nature Photon. 5,
222 (2011) (F_Q = N² for the GHZ state, N for N independent qubits); Braunstein & Caves,
PRL 72, 3439 (1994) (QFI of a mixed state); Komar et al., Nature Phys. 10, 582 (2014)
(GHZ coherence e^{-Nγt} under independent dephasing).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import lambertw

from qnetlab import sensing


@pytest.mark.parametrize("n", [1, 2, 3, 5, 7])
def test_qfi_of_pure_ghz_is_n_squared_and_of_product_is_n(n):
    ghz = np.zeros(2**n)
    ghz[0] = ghz[-1] = 1 / np.sqrt(2)
    plus = np.ones(2**n) / np.sqrt(2**n)
    assert sensing.quantum_fisher_information(ghz, n) == pytest.approx(n**2, abs=1e-9)
    assert sensing.quantum_fisher_information(plus, n) == pytest.approx(n, abs=1e-9)
    assert sensing.ghz_quantum_fisher(n) == n**2
    assert sensing.ghz_quantum_fisher(n, kind="product") == n


@pytest.mark.parametrize("n,gt", [(2, 0.05), (4, 0.1), (6, 0.02)])
def test_qfi_of_dephased_ghz_matches_n2_exp_minus_2n_gamma_t(n, gt):
    rho = sensing.dephased_ghz_state(n, 0.37, gt)
    expected = n**2 * np.exp(-2 * n * gt)  # two-level system with Bloch length e^{-Nγt}
    assert sensing.quantum_fisher_information(rho, n) == pytest.approx(expected, rel=1e-9)
    assert sensing.ghz_quantum_fisher(n, gt) == pytest.approx(expected, rel=1e-12)
    assert np.trace(rho).real == pytest.approx(1.0)
    assert sensing.ghz_fidelity(n, gt) == pytest.approx((1 + np.exp(-n * gt)) / 2)


def test_classical_fisher_of_parity_reaches_qfi_at_the_working_point():
    for n in (1, 3, 8):
        phi = np.pi / (2 * n)
        assert sensing.classical_fisher(n, phi) == pytest.approx(n**2)
        # V < 1: F = N²V² at Nφ = π/2, never above the QFI N²V²
        f = sensing.classical_fisher(n, np.linspace(0.01, 3, 50) / n, visibility=0.7)
        assert f.max() <= n**2 * 0.49 + 1e-9
        assert sensing.classical_fisher(n, phi, visibility=0.7) == pytest.approx(n**2 * 0.49)
    # independent sensors: N single-qubit shots
    assert sensing.classical_fisher(5, np.pi / 2, kind="product") == pytest.approx(5.0)


def test_parity_probability_formula():
    assert sensing.parity_probability(3, 0.2, visibility=0.5) == pytest.approx(
        0.5 * (1 + 0.5 * np.cos(0.6))
    )
    assert sensing.parity_probability(3, 0.2, kind="product") == pytest.approx(
        0.5 * (1 + np.cos(0.2))
    )


def test_cirq_circuit_and_numpy_agree_statistically():
    n, phi, p = 3, 0.2, 0.1
    shots = 20_000
    x = sensing.sample_parity_cirq(n, phi, shots, dephasing=p, seed=11)
    v = (1 - 2 * p) ** n
    expected = v * np.cos(n * phi)
    se = np.sqrt((1 - expected**2) / shots)
    assert abs(x.mean() - expected) < 4 * se
    assert set(np.unique(x)) <= {-1, 1}


def test_cirq_noiseless_parity_follows_cos_n_phi():
    x = sensing.sample_parity_cirq(4, np.pi / 4, 2000, seed=2)  # cos(π) = -1
    assert (x == -1).all()


@pytest.mark.parametrize("kind,n,phi", [("ghz", 4, np.pi / 8), ("product", 4, np.pi / 2)])
def test_estimator_variance_approaches_cramer_rao(kind, n, phi):
    est = sensing.estimate_phase(n, phi, 2000, kind=kind, repetitions=4000, seed=5)
    # sample variance of 4000 estimates: relative standard error sqrt(2/3999) ≈ 2.2 %
    assert est.variance / est.cramer_rao == pytest.approx(1.0, abs=0.1)
    assert abs(est.estimates.mean() - phi) < 4 * np.sqrt(est.variance / 4000) + 1e-4


def test_heisenberg_scaling_of_ghz_against_sql_of_product():
    ns = np.array([2, 4, 8, 16])
    sd_ghz = [
        np.std(sensing.estimate_phase(n, np.pi / (2 * n), 1000, repetitions=2000, seed=n).estimates)
        for n in ns
    ]
    sd_prod = [
        np.std(
            sensing.estimate_phase(
                n, np.pi / 2, 1000, kind="product", repetitions=2000, seed=n
            ).estimates
        )
        for n in ns
    ]
    slope_ghz = np.polyfit(np.log(ns), np.log(sd_ghz), 1)[0]
    slope_prod = np.polyfit(np.log(ns), np.log(sd_prod), 1)[0]
    assert slope_ghz == pytest.approx(-1.0, abs=0.06)
    assert slope_prod == pytest.approx(-0.5, abs=0.06)


def test_advantage_and_crossover_match_lambert_w():
    # A(N) = N e^{-aN} with a = -ln η (no dephasing) equals 1 at N = -W_{-1}(-a)/a
    eta = 0.95
    a = -np.log(eta)
    n_star = float(np.real(-lambertw(-a, -1) / a))
    assert sensing.crossover_nodes(eta) == int(np.floor(n_star)) + 1
    assert sensing.ghz_advantage(10, 1.0, 0.0) == pytest.approx(10.0)
    assert sensing.ghz_advantage(3, 0.9, 0.01) == pytest.approx(0.9**3 * 3 * np.exp(-0.04))
    # dephasing alone: a = 2γt, A(N) = N e^{-2(N-1)γt} = e^{2γt} N e^{-2γt N}
    gt = 0.01
    ns = np.arange(2, 2000)
    adv = ns * np.exp(-2 * (ns - 1) * gt)
    first = ns[np.argmax(adv) :][adv[np.argmax(adv) :] < 1][0]
    assert sensing.crossover_nodes(1.0, gt) == first


def test_crossover_edge_cases():
    assert sensing.crossover_nodes(0.4) == 2  # A(2) = 2η² < 1: never helps
    assert sensing.crossover_nodes(0.69) == 2  # peak at N = 3 but A(3) = 3η³ < 1
    assert sensing.crossover_nodes(1.0, 0.0, n_max=50) == 51


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: sensing.ghz_visibility(0), "n_nodes"),
        (lambda: sensing.ghz_visibility(3, -0.1), "gamma_t"),
        (lambda: sensing.ghz_quantum_fisher(3, kind="noon"), "kind"),
        (lambda: sensing.parity_probability(3, 0.1, visibility=1.5), "visibility"),
        (lambda: sensing.estimate_phase(4, 1.0, 10), "phi"),
        (lambda: sensing.estimate_phase(4, 0.1, 0), "shots"),
        (lambda: sensing.estimate_phase(4, 0.1, 10, visibility=0.0), "visibility"),
        (lambda: sensing.ghz_advantage(0, 0.9), "n_nodes"),
        (lambda: sensing.ghz_advantage(3, 0.0), "eta"),
        (lambda: sensing.quantum_fisher_information(np.ones(3), 2), "rho"),
        (lambda: sensing.ghz_circuit(3, 0.1, dephasing=2.0), "dephasing"),
        (lambda: sensing.crossover_nodes(0.9, n_max=1), "n_max"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_repr_shows_bound():
    est = sensing.estimate_phase(2, 0.5, 10, repetitions=20, seed=1)
    assert "cramer_rao" in repr(est) and "shots=10" in repr(est)


@pytest.mark.parametrize("n,p", [(2, 0.1), (4, 0.05)])
def test_ghz_fidelity_matches_cirq_density_matrix(n, p):
    """(1 + e^{-Nγt})/2 with e^{-γt} = 1 - 2p, from Cirq's phase-flip channel (Komar 2014)."""
    import cirq

    circuit = sensing.ghz_circuit(n, 0.0, dephasing=p)
    ops = [op for op in circuit.all_operations() if not cirq.is_measurement(op)]
    kept, dropped = [], set()
    for op in reversed(ops):  # drop the readout Hadamard, the last gate on each qubit
        q = op.qubits[0]
        if op.gate == cirq.H and q not in dropped:
            dropped.add(q)
            continue
        kept.append(op)
    ops = kept[::-1]
    assert len(dropped) == n
    rho = cirq.DensityMatrixSimulator().simulate(cirq.Circuit(ops)).final_density_matrix
    ghz = np.zeros(2**n)
    ghz[0] = ghz[-1] = 1 / np.sqrt(2)
    fid = float(np.real(ghz @ rho @ ghz))
    gamma_t = -np.log(1 - 2 * p)
    assert fid == pytest.approx(sensing.ghz_fidelity(n, gamma_t), abs=1e-6)
    assert np.allclose(rho, sensing.dephased_ghz_state(n, 0.0, gamma_t), atol=1e-6)
