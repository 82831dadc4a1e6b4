"""Tests of qnetlab.repeaters: links, swapping, purification and memories.

Every closed form is compared with a value computed independently here and with the
Cirq circuit it summarises.
"""

from __future__ import annotations

import cirq
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab.channels import C_FIBER_KM_PER_S, memory_decoherence
from qnetlab.repeaters import (
    bbpssw,
    bbpssw_bell_diagonal,
    bsm_error_probabilities,
    cutoff_for_fidelity,
    decay_coefficients,
    dejmps,
    double_click_link,
    elementary_link,
    heralded_link,
    memory_fidelity,
    multiplexed_probability,
    purification_circuit,
    purify_cirq,
    purify_recurrence,
    single_click_link,
    swap_bell_diagonal,
    swap_circuit,
    swap_cirq,
    swap_werner,
)
from qnetlab.states import (
    bell_diagonal_coefficients,
    bell_diagonal_state,
    bell_state,
    fidelity,
    partial_trace,
    werner_state,
)

PHI = bell_state("phi+")
RNG_SEED = 2026


def _random_coefficients(rng: np.random.Generator, n: int) -> list[np.ndarray]:
    return [rng.dirichlet(np.ones(4)) for _ in range(n)]


# --- Swapping ------------------------------------------------------------------------------


@pytest.mark.parametrize("f1, f2", [(1.0, 1.0), (0.9, 0.8), (0.7, 0.95), (0.25, 0.6), (0.5, 0.5)])
def test_swap_werner_matches_briegel_1998(f1: float, f2: float) -> None:
    # Briegel et al., PRL 81, 5932 (1998): Werner parameters w = (4F - 1)/3 multiply.
    w = (4 * f1 - 1) / 3 * (4 * f2 - 1) / 3
    assert swap_werner(f1, f2) == pytest.approx((3 * w + 1) / 4, abs=1e-12)


@pytest.mark.parametrize("f1, f2", [(0.9, 0.8), (0.6, 0.99), (0.3, 0.4)])
def test_swap_werner_matches_cirq_bell_measurement(f1: float, f2: float) -> None:
    rho = swap_cirq(werner_state(f1), werner_state(f2))
    assert fidelity(rho, PHI) == pytest.approx(swap_werner(f1, f2), abs=1e-9)
    # The output of swapping two Werner states is again a Werner state.
    assert np.allclose(rho, werner_state(swap_werner(f1, f2)), atol=1e-9)


@pytest.mark.parametrize(
    "gate_noise, measurement_noise", [(0.0, 0.0), (0.05, 0.0), (0.0, 0.03), (0.1, 0.02)]
)
def test_swap_bell_diagonal_matches_noisy_cirq_circuit(
    gate_noise: float, measurement_noise: float
) -> None:
    rng = np.random.default_rng(RNG_SEED)
    for _ in range(3):
        c1, c2 = _random_coefficients(rng, 2)
        rho = swap_cirq(
            bell_diagonal_state(c1),
            bell_diagonal_state(c2),
            gate_noise=gate_noise,
            measurement_noise=measurement_noise,
        )
        expected = swap_bell_diagonal(
            c1, c2, gate_noise=gate_noise, measurement_noise=measurement_noise
        )
        assert np.allclose(rho, bell_diagonal_state(expected), atol=1e-9)


def test_swap_werner_with_noise_matches_cirq() -> None:
    rho = swap_cirq(werner_state(0.9), werner_state(0.85), gate_noise=0.06, measurement_noise=0.01)
    f = swap_werner(0.9, 0.85, gate_noise=0.06, measurement_noise=0.01)
    assert fidelity(rho, PHI) == pytest.approx(f, abs=1e-9)
    assert f < swap_werner(0.9, 0.85)


def test_bsm_error_probabilities_independent_flips() -> None:
    # Z or Y (2p/3) on the first qubit flips m1, X or Y on the second flips m2; a readout
    # flip q adds to each: e = a(1-q) + (1-a)q with a = 2p/3.
    p, q = 0.09, 0.04
    a = 2 * p / 3
    e = a * (1 - q) + (1 - a) * q
    expected = [(1 - e) ** 2, e * e, e * (1 - e), e * (1 - e)]
    assert np.allclose(bsm_error_probabilities(p, q), expected)
    assert bsm_error_probabilities(p, q).sum() == pytest.approx(1.0)


def test_measured_swap_circuit_gives_same_state_for_every_outcome() -> None:
    # With mid-circuit measurements and classically controlled corrections every outcome
    # leaves A and C in the same (closed-form) state.
    c1, c2 = [0.85, 0.05, 0.06, 0.04], [0.9, 0.02, 0.03, 0.05]
    expected = bell_diagonal_state(swap_bell_diagonal(c1, c2))
    circuit, qubits = swap_circuit(deferred=False)
    seen = set()
    for seed in range(8):
        sim = cirq.DensityMatrixSimulator(dtype=np.complex128, seed=seed)
        res = sim.simulate(
            circuit,
            qubit_order=list(qubits),
            initial_state=np.kron(bell_diagonal_state(c1), bell_diagonal_state(c2)),
        )
        seen.add((int(res.measurements["m1"][0]), int(res.measurements["m2"][0])))
        rho = partial_trace(np.asarray(res.final_density_matrix), [0, 3])
        assert np.allclose(rho, expected, atol=1e-6)
    assert len(seen) >= 3  # several outcomes were exercised


@settings(max_examples=40, deadline=None)
@given(st.floats(0.25, 1.0), st.floats(0.25, 1.0), st.floats(0.25, 1.0))
def test_swap_werner_properties(f1: float, f2: float, f3: float) -> None:
    assert swap_werner(f1, f2) == pytest.approx(swap_werner(f2, f1), abs=1e-12)
    # Associative (the chain's fidelity does not depend on the order of swaps).
    a = swap_werner(swap_werner(f1, f2), f3)
    b = swap_werner(f1, swap_werner(f2, f3))
    assert a == pytest.approx(b, abs=1e-12)
    assert 0.25 - 1e-12 <= swap_werner(f1, f2) <= min(f1, f2) + 1e-12


# --- Purification ---------------------------------------------------------------------------


@pytest.mark.parametrize("f", [0.3, 0.5, 0.6, 0.75, 0.9, 0.99, 1.0])
def test_bbpssw_matches_bennett_1996(f: float) -> None:
    # Bennett et al., PRL 76, 722 (1996), recurrence for Werner states.
    num = f**2 + ((1 - f) / 3) ** 2
    den = f**2 + 2 * f * (1 - f) / 3 + 5 * ((1 - f) / 3) ** 2
    out, p = bbpssw(f)
    assert out == pytest.approx(num / den, abs=1e-12)
    assert p == pytest.approx(den, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.5001, 0.9999))
def test_bbpssw_improves_entangled_werner_states(f: float) -> None:
    out, p = bbpssw(f)
    assert out > f
    assert 0 < p <= 1


@pytest.mark.parametrize("f", [0.55, 0.75, 0.92])
def test_bbpssw_matches_cirq_circuit(f: float) -> None:
    rho, p = purify_cirq(werner_state(f), protocol="bbpssw")
    f_out, p_out = bbpssw(f)
    assert fidelity(rho, PHI) == pytest.approx(f_out, abs=1e-9)
    assert p == pytest.approx(p_out, abs=1e-9)


def test_bbpssw_bell_diagonal_matches_cirq_circuit() -> None:
    rng = np.random.default_rng(RNG_SEED + 1)
    for c in _random_coefficients(rng, 4):
        rho, p = purify_cirq(bell_diagonal_state(c), protocol="bbpssw")
        out, p_map = bbpssw_bell_diagonal(c)
        assert np.allclose(bell_diagonal_coefficients(rho), out, atol=1e-9)
        assert np.allclose(rho, bell_diagonal_state(out), atol=1e-9)
        assert p == pytest.approx(p_map, abs=1e-9)


def test_dejmps_matches_deutsch_1996() -> None:
    # Deutsch et al., PRL 77, 2818 (1996): A' = (A²+B²)/N, B' = 2CD/N, C' = (C²+D²)/N,
    # D' = 2AB/N, N = (A+B)² + (C+D)², coefficients ordered (Φ+, Ψ−, Ψ+, Φ−).
    a, b, c, d = 0.7, 0.15, 0.1, 0.05
    n = (a + b) ** 2 + (c + d) ** 2
    out, p = dejmps([a, b, c, d])
    assert p == pytest.approx(n)
    assert np.allclose(
        out, [(a * a + b * b) / n, 2 * c * d / n, (c * c + d * d) / n, 2 * a * b / n]
    )


def test_dejmps_matches_cirq_circuit() -> None:
    rng = np.random.default_rng(RNG_SEED + 2)
    for c in _random_coefficients(rng, 4):
        rho, p = purify_cirq(bell_diagonal_state(c), protocol="dejmps")
        out, p_map = dejmps(c)
        assert np.allclose(rho, bell_diagonal_state(out), atol=1e-9)
        assert p == pytest.approx(p_map, abs=1e-9)


def test_dejmps_two_different_pairs_matches_cirq() -> None:
    from qnetlab.repeaters.bell_diagonal import purify_rows

    c1, c2 = np.array([0.8, 0.1, 0.06, 0.04]), np.array([0.7, 0.05, 0.2, 0.05])
    rho, p = purify_cirq(bell_diagonal_state(c1), bell_diagonal_state(c2), "dejmps")
    out, p_map = purify_rows(c1, c2, "dejmps")
    assert np.allclose(bell_diagonal_coefficients(rho), out, atol=1e-9)
    assert p == pytest.approx(p_map, abs=1e-9)


@pytest.mark.parametrize("protocol", ["dejmps", "bbpssw"])
def test_recurrence_over_rounds_matches_repeated_cirq_circuit(protocol: str) -> None:
    # Three rounds: feed the Cirq output of each round into the next (BBPSSW twirls to a
    # Werner state in between, which keeps the fidelity).
    res = purify_recurrence([0.75, 0.1, 0.1, 0.05], 3, protocol)
    rho = bell_diagonal_state([0.75, 0.1, 0.1, 0.05])
    for k in range(1, 4):
        rho, p = purify_cirq(rho, protocol=protocol)
        if protocol == "bbpssw":
            rho = werner_state(fidelity(rho, PHI))
        assert np.allclose(bell_diagonal_coefficients(rho), res.coefficients[k], atol=1e-9)
        assert p == pytest.approx(res.success_probabilities[k - 1], abs=1e-9)


def test_noisy_purification_circuit_lowers_fidelity() -> None:
    clean, _ = purify_cirq(werner_state(0.9), protocol="dejmps")
    noisy, _ = purify_cirq(
        werner_state(0.9), protocol="dejmps", gate_noise=0.02, measurement_noise=0.01
    )
    assert fidelity(noisy, PHI) < fidelity(clean, PHI) - 1e-3


def test_purification_circuit_structure() -> None:
    c, _ = purification_circuit("dejmps")
    ops = [type(op.gate).__name__ for op in c.all_operations()]
    assert ops.count("CXPowGate") == 2  # the bilateral CNOT
    assert ops.count("Rx") == 4  # DEJMPS rotations on all four qubits
    assert sorted(c.all_measurement_key_names()) == ["a2", "b2"]


def test_recurrence_dejmps_converges_faster_than_bbpssw() -> None:
    d = purify_recurrence(0.7, 5, "dejmps")
    b = purify_recurrence(0.7, 5, "bbpssw")
    assert d.fidelities[0] == b.fidelities[0] == pytest.approx(0.7)
    assert d.fidelities[1] == pytest.approx(b.fidelities[1])  # same first round on Werner input
    assert np.all(np.diff(d.fidelities) > 0) and np.all(np.diff(b.fidelities) > 0)
    assert d.fidelities[-1] > 0.99 > 0.9 > b.fidelities[-1]
    # Expected pairs consumed: 2/p per round.
    assert np.allclose(
        d.pairs_per_output[1:], 2 * d.pairs_per_output[:-1] / d.success_probabilities
    )
    # Werner fixed points of BBPSSW: F = 1/2 stays.
    assert purify_recurrence(0.5, 3, "bbpssw").fidelities == pytest.approx([0.5] * 4)


# --- Memories -------------------------------------------------------------------------------


def test_memory_fidelity_formula() -> None:
    f0, t, tc = 0.92, 0.3, 1.7
    assert memory_fidelity(f0, t, tc) == pytest.approx(0.25 + (f0 - 0.25) * np.exp(-t / tc))
    assert memory_fidelity(f0, t, np.inf) == pytest.approx(f0)
    assert memory_fidelity(1.0, 1e6, 1.0) == pytest.approx(0.25)


def test_depolarising_memory_matches_cirq_channel() -> None:
    # A depolarising channel of strength p on one qubit multiplies the Werner parameter
    # by 1 - 4p/3; p = 3/4 (1 - e^{-t/T}) reproduces the memory's decay.
    f0, t, tc = 0.95, 0.4, 1.0
    p = 0.75 * (1 - np.exp(-t / tc))
    a, b = cirq.LineQubit.range(2)
    res = cirq.DensityMatrixSimulator(dtype=np.complex128).simulate(
        cirq.Circuit(cirq.depolarize(p).on(a)), qubit_order=[a, b], initial_state=werner_state(f0)
    )
    assert fidelity(np.asarray(res.final_density_matrix), PHI) == pytest.approx(
        memory_fidelity(f0, t, tc), abs=1e-9
    )


def test_dephasing_memory_matches_cirq_t2_channel() -> None:
    # Both qubits dephase with T2; the pair's coherence decays as e^{-2t/T2}: T = T2/2.
    c = np.array([0.9, 0.04, 0.03, 0.03])
    t, t2 = 0.3, 1.2
    a, b = cirq.LineQubit.range(2)
    gate = memory_decoherence(t, np.inf, t2)
    res = cirq.DensityMatrixSimulator(dtype=np.complex128).simulate(
        cirq.Circuit(gate.on(a), gate.on(b)),
        qubit_order=[a, b],
        initial_state=bell_diagonal_state(c),
    )
    expected = decay_coefficients(c, t, t2 / 2, "dephasing")
    assert np.allclose(
        bell_diagonal_coefficients(np.asarray(res.final_density_matrix)), expected, atol=1e-9
    )
    assert expected[0] == pytest.approx(
        0.9 * (1 + np.exp(-2 * t / t2)) / 2 + 0.03 * (1 - np.exp(-2 * t / t2)) / 2
    )


@settings(max_examples=40, deadline=None)
@given(st.floats(0.3, 1.0), st.floats(0.01, 0.99), st.floats(0.01, 100.0))
def test_cutoff_for_fidelity_inverts_memory_decay(f0: float, frac: float, tc: float) -> None:
    f_min = 0.25 + frac * (f0 - 0.25)
    t = cutoff_for_fidelity(f0, f_min, tc)
    assert t >= 0
    assert memory_fidelity(f0, t, tc) == pytest.approx(f_min, rel=1e-9, abs=1e-12)


# --- Links ---------------------------------------------------------------------------------


def test_double_click_barrett_kok_probability_and_time() -> None:
    # Barrett & Kok, PRA 71, 060310 (2005): p = η²/2 with η per arm (midpoint station).
    length, eta_d = 60.0, 0.8
    eta = 10 ** (-0.2 * (length / 2) / 10) * eta_d
    link = double_click_link(length, detector_efficiency=eta_d)
    assert link.success_probability == pytest.approx(eta**2 / 2)
    assert link.fidelity == pytest.approx(1.0)
    # Photon to the midpoint and herald back: L / (c / n).
    assert link.attempt_time == pytest.approx(length / (299_792.458 / 1.47))
    assert link.attempt_time == pytest.approx(length / C_FIBER_KM_PER_S)
    assert link.rate == pytest.approx(link.success_probability / link.attempt_time)
    assert double_click_link(0.0, visibility=0.9).fidelity == pytest.approx(0.95)


def test_single_click_rate_fidelity_trade_off() -> None:
    eta_d, length = 0.9, 40.0
    eta = 10 ** (-0.2 * (length / 2) / 10) * eta_d
    alphas = [0.02, 0.05, 0.1, 0.2, 0.3]
    links = [
        single_click_link(length, bright_state_population=a, detector_efficiency=eta_d)
        for a in alphas
    ]
    for a, link in zip(alphas, links):
        # Exactly one detector clicks iff at least one photon is detected.
        assert link.success_probability == pytest.approx(1 - (1 - a * eta) ** 2)
        # Weight of Ψ: α(1−α)η per detector; of |11⟩: α²η(2−η)/2.
        good, bad = a * (1 - a) * eta, a * a * eta * (2 - eta) / 2
        assert link.fidelity == pytest.approx(good / (good + bad))
        assert link.coefficients.sum() == pytest.approx(1.0)
    assert np.all(np.diff([link.success_probability for link in links]) > 0)
    assert np.all(np.diff([link.fidelity for link in links]) < 0)
    # Long fibres: F -> 1 - α (the usual single-click estimate).
    far = single_click_link(1000.0, bright_state_population=0.1)
    assert far.fidelity == pytest.approx(0.9, abs=1e-6)


def test_single_click_beats_double_click_rate_at_long_distance() -> None:
    # Single-click scales as η, double-click as η²: the single-click rate wins far away.
    s = single_click_link(200.0, bright_state_population=0.1)
    d = double_click_link(200.0)
    assert s.success_probability > 10 * d.success_probability
    assert d.fidelity > s.fidelity


def test_multiplexing() -> None:
    p, m = 0.003, 50
    assert multiplexed_probability(p, m) == pytest.approx(1 - (1 - p) ** m)
    link1 = double_click_link(100.0)
    link_m = double_click_link(100.0, n_modes=m)
    assert link_m.success_probability == pytest.approx(1 - (1 - link1.success_probability) ** m)
    assert link_m.attempt_time == link1.attempt_time
    assert heralded_link("single_click", 10.0, n_modes=3).n_modes == 3


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: swap_werner(0.2, 0.9), r"f1 must be in \[0.25, 1\]"),
        (lambda: swap_werner(0.9, 1.2), r"f2 must be in \[0.25, 1\]"),
        (lambda: bbpssw(0.1), r"fidelity must be in \[0.25, 1\]"),
        (lambda: bbpssw(1.01), r"fidelity must be in \[0.25, 1\]"),
        (lambda: memory_fidelity(0.2, 1.0, 1.0), r"f0 must be in \[0.25, 1\]"),
        (lambda: memory_fidelity(0.9, -1.0, 1.0), "t must be non-negative"),
        (lambda: memory_fidelity(0.9, 1.0, 0.0), "coherence_time_s must be positive"),
        (lambda: decay_coefficients([1, 0, 0, 0], 1.0, 1.0, "amplitude"), "model must be one of"),
        (lambda: cutoff_for_fidelity(0.9, 0.95, 1.0), r"f_min must be in"),
        (lambda: dejmps([0.5, 0.5, 0.5, 0.5]), "coefficients must sum to 1"),
        (lambda: dejmps([0.5, 0.5]), "coefficients must have 4 entries"),
        (lambda: purify_recurrence(0.9, -1), "rounds must be an integer >= 0"),
        (lambda: purification_circuit("pumping"), "protocol must be one of"),
        (
            lambda: swap_bell_diagonal([1, 0, 0, 0], [1, 0, 0, 0], gate_noise=1.5),
            "gate_noise must be a probability",
        ),
        (lambda: double_click_link(-5.0), "length_km must be non-negative"),
        (
            lambda: double_click_link(5.0, detector_efficiency=1.2),
            "detector_efficiency must be a probability",
        ),
        (
            lambda: single_click_link(5.0, bright_state_population=0.0),
            r"bright_state_population must be in \(0, 1\)",
        ),
        (lambda: single_click_link(5.0, n_modes=0), "n_modes must be an integer >= 1"),
        (lambda: heralded_link("triple_click", 5.0), "scheme must be one of"),
        (lambda: elementary_link(0.0), r"success_probability must be in \(0, 1\]"),
        (lambda: elementary_link(0.5, fidelity=0.1), r"fidelity must be in \[0.25, 1\]"),
        (lambda: swap_cirq(np.eye(2) / 2, werner_state(0.9)), "rho1 must be a two-qubit state"),
    ],
)
def test_bad_input_raises_clear_errors(call, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_bad_types_raise_type_error() -> None:
    with pytest.raises(TypeError, match="f1 must be a real number"):
        swap_werner("0.9", 0.9)
    with pytest.raises(TypeError, match="n_modes must be an integer"):
        double_click_link(10.0, n_modes=2.5)


def test_bell_diagonal_kernels_refuse_non_finite_or_misshapen_rows() -> None:
    """Issue 16: the public kernels name the argument instead of returning NaN."""
    from qnetlab.repeaters.bell_diagonal import (
        bilateral_cnot_rows,
        convolve_rows,
        correlators,
        decay_rows,
        purify_rows,
    )

    good = np.array([[0.9, 0.0, 0.1, 0.0]])
    bad = np.array([[np.nan, 0.0, 0.1, 0.0]])
    for call, name in (
        (lambda: convolve_rows(bad, good), "c1"),
        (lambda: convolve_rows(good, bad), "c2"),
        (lambda: bilateral_cnot_rows(good, bad), "c2"),
        (lambda: purify_rows(bad, good, "dejmps"), "c1"),
        (lambda: purify_rows(good, good, "bogus"), "protocol"),
        (lambda: correlators(np.ones(3)), "c"),
        (lambda: decay_rows(bad, [1.0], 1.0, "dephasing"), "c"),
        (lambda: decay_rows(good, [np.inf], 1.0, "dephasing"), "t"),
        (lambda: decay_rows(good, [1.0], np.nan, "dephasing"), "coherence_time_s"),
        (lambda: decay_rows(good, [1.0], 1.0, "bogus"), "model"),
    ):
        with pytest.raises(ValueError, match=name):
            call()
    with pytest.raises(TypeError, match="c1"):
        convolve_rows("abc", good)
    # the checks change nothing for valid rows: two X errors cancel
    assert convolve_rows(good, good).round(6).tolist() == [[0.82, 0.0, 0.18, 0.0]]


def test_heralding_probability_asymmetric_closed_form():
    # Barrett & Kok, PRA 71, 060310 (2005): both photons must arrive and the right pair
    # of detectors click, p = eta_a eta_b / 2; m modes give 1 - (1 - p)^m.
    from qnetlab.channels import fiber_transmissivity
    from qnetlab.repeaters import double_click_probability, heralding_probability

    eta_a = 10 ** (-(0.2 * 10 + 3.0) / 10) * 0.9  # 10 km arm plus 3 dB extra loss
    eta_b = 10 ** (-0.2 * 10 / 10) * 0.9
    expected = eta_a * eta_b / 2
    assert abs(heralding_probability(eta_a, eta_b) - expected) < 1e-15
    assert abs(heralding_probability(eta_a, eta_b, 4) - (1 - (1 - expected) ** 4)) < 1e-15
    grid = heralding_probability(np.array([eta_a, 1.0]), eta_b)
    assert np.allclose(grid, [expected, eta_b / 2], rtol=0, atol=1e-15)
    eta = fiber_transmissivity(10.0) * 0.9
    assert heralding_probability(eta, eta) == double_click_probability(20.0)
    with pytest.raises(ValueError, match="eta_a"):
        heralding_probability(1.5, 0.5)
    with pytest.raises(ValueError, match="eta_b"):
        heralding_probability([0.5], [-0.1])
