"""Issue 16: safe on any input.

Two parts:

1. every example listed in the issue, as a regression test (a clean ``ValueError`` or
   ``TypeError`` naming the public argument, or a physical value where the input is valid);
2. hypothesis properties over the public API: valid inputs give physical outputs
   (probabilities in [0, 1], states positive semidefinite with unit trace, key rates >= 0
   and monotone where the physics is), invalid ones a clean error naming the argument.

Hypothesis runs derandomised (``derandomize=True``) so that CI is reproducible.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab import channels, protocols, qec, qkd, repeaters, states, tomography

PROPS = settings(max_examples=40, deadline=None, derandomize=True)
HUGE = 10**12


def _rep_circuit():
    return qec.memory_circuit("repetition", 3, 0.05, "code_capacity")


# ------------------------------------------------------------------------------------------
# 1. The examples
# ------------------------------------------------------------------------------------------


def test_sample_detectors_refuses_1e12_shots_instead_of_crashing():
    with pytest.raises(ValueError, match=r"shots=1000000000000 would need .* GB.*split"):
        qec.sample_detectors(_rep_circuit(), HUGE)


@pytest.mark.parametrize(
    "call",
    [
        lambda: qec.logical_error_rate(
            code="repetition", distance=3, p=0.05, noise="code_capacity", decoder="mwpm", shots=HUGE
        ),
        lambda: qec.logical_error_curves(
            code="repetition", distances=[3], ps=[0.05], noise="code_capacity", shots=HUGE
        ),
        lambda: qec.train_neural_decoder(_rep_circuit(), shots=HUGE),
    ],
)
def test_qec_huge_shot_counts_are_refused_up_front(call):
    with pytest.raises(ValueError, match="shots"):
        call()


def test_sample_detectors_needs_a_stim_circuit():
    with pytest.raises(TypeError, match=r"circuit must be a stim\.Circuit, got str"):
        qec.sample_detectors("abc", 10)


def test_secure_key_length_rejects_negative_leakage_and_never_exceeds_its_input():
    with pytest.raises(ValueError, match="leak_ec must be non-negative"):
        qkd.secure_key_length(100_000, 0.05, leak_ec=-1_000_000, leak_verification=40)
    with pytest.raises(ValueError, match="e_upper must be a probability"):
        qkd.secure_key_length(100_000, 1.5, leak_ec=0, leak_verification=0)
    assert qkd.secure_key_length(100_000, 0.0, 0, 0) <= 100_000


def test_elementary_link_validates_in_post_init():
    with pytest.raises(ValueError, match="coefficients must be non-negative probabilities"):
        repeaters.ElementaryLink("x", 10.0, 0.3, np.array([2.0, -1, 0, 0]), 1e-4)
    with pytest.raises(ValueError, match="success_probability must be a probability"):
        repeaters.ElementaryLink("x", 10.0, 1.3, np.array([1.0, 0, 0, 0]), 1e-4)
    with pytest.raises(ValueError, match="length_km must be finite"):
        repeaters.ElementaryLink("x", float("nan"), 0.3, np.array([1.0, 0, 0, 0]), 1e-4)
    with pytest.raises(ValueError, match="attempt_time must be non-negative"):
        repeaters.ElementaryLink("x", 1.0, 0.3, np.array([1.0, 0, 0, 0]), -1.0)


def test_maximum_distance_tolerance_is_checked():
    for bad in (-1.0, 0.0):
        with pytest.raises(ValueError, match="tol must be positive"):
            qkd.maximum_distance(qkd.gllp_key_rate, tol=bad)
    with pytest.raises(ValueError, match="tol must be finite"):
        qkd.maximum_distance(qkd.gllp_key_rate, tol=float("nan"))


def test_vacuum_weak_bounds_checks_its_inputs():
    with pytest.raises(ValueError, match="q_mu must be a probability"):
        qkd.vacuum_weak_bounds(q_mu=-1.0, q_nu=0.002, en_q_nu=1e-4, y0=1e-5, mu=0.48, nu=0.05)
    with pytest.raises(ValueError, match=r"mu must be in \(0, 100\]"):
        qkd.vacuum_weak_bounds(0.01, 0.002, 1e-4, 1e-5, mu=1e300, nu=0.05)


def test_key_rates_are_zero_above_threshold_and_do_not_underflow():
    # Shor & Preskill, PRL 85, 441 (2000): r = 1 - 2 h(e), zero from e ~ 11 %.
    for e in (0.12, 0.5, 0.95, 1.0):
        assert qkd.shor_preskill_rate(e) == 0.0
    assert qkd.six_state_rate(0.2) == 0.0
    assert qkd.six_state_rate(5e-324) > 0.999


def test_postprocess_rejects_unknown_protocol_and_names_its_arguments():
    a = np.random.default_rng(1).integers(0, 2, 5000)
    with pytest.raises(ValueError, match="protocol must be one of"):
        qkd.postprocess(a, a.copy(), threshold=0.11, protocol="bogus")
    with pytest.raises(ValueError, match="epsilon_pe must be in"):
        qkd.postprocess(a, a.copy(), threshold=0.11, epsilon_pe=-1.0)
    with pytest.raises(ValueError, match="cascade_passes must be an integer"):
        qkd.postprocess(a, a.copy(), threshold=0.11, cascade_passes=HUGE)


def test_bloch_vectors_and_kraus_lists_are_physical():
    with pytest.raises(ValueError, match=r"r must have length \|r\| <= 1"):
        channels.bloch_after_amplitude_damping([1, 1, 1], 0.1)
    with pytest.raises(ValueError, match="kraus must hold at least one operator"):
        channels.apply_kraus(np.eye(2) / 2, [])
    with pytest.raises(ValueError, match="kraus must be complete"):
        channels.apply_kraus(np.eye(2) / 2, [0.5 * np.eye(2)])


def test_chsh_correlation_rejects_nan_angles():
    bell = states.bell_state("phi+", density=True)
    with pytest.raises(ValueError, match="theta_a must be finite"):
        protocols.chsh_correlation(bell, float("nan"), 0.0)
    with pytest.raises(TypeError, match="theta_b must be a real number"):
        protocols.chsh_correlation(bell, 0.0, "abc")


def test_kl_divergence_is_never_negative():
    pytest.importorskip("tensorflow_quantum")
    from qnetlab import qnn

    with pytest.raises(ValueError, match="q must be non-negative and sum to 1"):
        qnn.kl_divergence([0.5, 0.5], [0.9, 0.9])
    assert qnn.kl_divergence([0.5, 0.5], [0.5, 0.5]) == 0.0


def test_maximum_likelihood_with_huge_dilution_stays_a_state():
    data = tomography.measure_pauli(states.werner_state(0.9), 100, backend="numpy", seed=1)
    rho = tomography.maximum_likelihood(data, dilution=1e300)
    assert np.all(np.isfinite(rho))
    assert abs(np.trace(rho).real - 1) < 1e-9
    assert np.linalg.eigvalsh(rho).min() > -1e-9


def test_nan_data_is_rejected_by_threshold_and_crossover_estimates():
    with pytest.raises(ValueError, match="ps must contain only finite numbers"):
        qec.estimate_threshold([0.01, 0.02, np.nan], [0.1, 0.2, 0.3], [0.05, 0.2, 0.4])
    with pytest.raises(ValueError, match="distance_km must contain only finite numbers"):
        repeaters.crossover_distance([1, 2, np.nan], [1, 1, 1], [2, 1, 0.5])
    with pytest.raises(ValueError, match="rate must contain only finite numbers"):
        repeaters.crossover_distance([1, 2, 3], [1, np.nan, 1], [2, 1, 0.5])


def test_routing_rejects_nan_thresholds_alike():
    from qnetlab import network

    g = network.metro_ring(6, seed=1)
    for call in (network.multipath_routes, network.optimal_path):
        with pytest.raises(ValueError, match="fidelity_threshold must be finite"):
            call(g, 0, 3, fidelity_threshold=float("nan"))


def test_decoy_bounds_are_physical_at_zero_length_and_full_depolarisation():
    r = qkd.run_decoy_bb84(20_000, seed=1)
    assert r.y1_lower >= 0.0 and 0.0 <= r.e1_upper <= 0.5
    for run in (qkd.run_bb84, qkd.run_six_state, qkd.run_bbm92):
        res = run(20_000, depolarization=1.0, seed=2)
        assert res.qber_upper >= res.qber_estimate


def test_wrong_types_get_type_errors_naming_the_argument():
    with pytest.raises(TypeError, match="bits must be a string or a sequence of 0s and 1s"):
        states.ket(3)
    from qnetlab import ai

    with pytest.raises(TypeError, match="data must be"):
        ai.window_features("abc")


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: qkd.cascade([0, 1] * 8, [0, 1] * 8, 0.05, n_passes=HUGE), "n_passes"),
        (
            lambda: qec.decoding_throughput(
                qec.MWPMDecoder.from_circuit(_rep_circuit()),
                qec.sample_detectors(_rep_circuit(), 10, seed=1)[0],
                repeats=HUGE,
            ),
            "repeats",
        ),
        (lambda: repeaters.sample_waiting_times(3, 0.5, HUGE), "n_samples"),
        (lambda: qkd.run_bb84(HUGE), "n_pulses"),
        (lambda: protocols.chsh_experiment(states.werner_state(0.9), HUGE), "shots_per_setting"),
        (lambda: tomography.random_states(HUGE), "n_states"),
    ],
)
def test_unbounded_work_is_refused_up_front(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_training_loops_have_documented_bounds():
    from qnetlab import ai

    with pytest.raises(ValueError, match="n_iterations"):
        ai.particle_swarm(lambda x: float(x @ x), [(-1, 1)], n_iterations=HUGE)
    with pytest.raises(ValueError, match="n_generations"):
        ai.genetic_algorithm(lambda x: float(x.sum()), 4, n_generations=HUGE)


# ------------------------------------------------------------------------------------------
# 2. Properties: valid inputs give physical outputs
# ------------------------------------------------------------------------------------------

probs = st.floats(0.0, 1.0, allow_nan=False)
bad_probs = st.one_of(
    st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False),
    st.floats(min_value=1.0 + 1e-9, allow_nan=False, allow_infinity=False),
    st.just(float("nan")),
    st.just(float("inf")),
)


def _is_state(rho: np.ndarray, atol: float = 1e-9) -> bool:
    return (
        np.allclose(rho, rho.conj().T, atol=atol)
        and abs(np.trace(rho).real - 1.0) < 1e-9
        and np.linalg.eigvalsh((rho + rho.conj().T) / 2).min() > -atol
    )


@PROPS
@given(e1=probs, e2=probs)
def test_key_rates_are_in_unit_interval_and_non_increasing(e1, e2):
    lo, hi = sorted((e1, e2))
    for rate in (qkd.shor_preskill_rate, qkd.six_state_rate):
        if rate is qkd.six_state_rate and hi > 2 / 3:
            continue
        r_lo, r_hi = rate(lo), rate(hi)
        assert 0.0 <= r_hi <= r_lo <= 1.0
    assert 0.0 <= qkd.binary_entropy(e1) <= 1.0


@PROPS
@given(d1=st.floats(0.0, 300.0), d2=st.floats(0.0, 300.0))
def test_decoy_rate_is_non_negative_and_falls_with_distance(d1, d2):
    near, far = sorted((d1, d2))
    r_near = qkd.decoy_bb84_key_rate(near)
    r_far = qkd.decoy_bb84_key_rate(far)
    assert r_near >= r_far >= 0.0
    assert qkd.plob_bound(channels.fiber_transmissivity(far)) >= 0.0


@PROPS
@given(f=st.floats(0.25, 1.0), p=probs)
def test_werner_states_through_channels_stay_states(f, p):
    rho = states.werner_state(f)
    assert _is_state(rho)
    assert 0.0 <= states.fidelity(rho, states.bell_state("phi+")) <= 1.0 + 1e-12
    assert 0.0 <= states.concurrence(rho) <= 1.0 + 1e-12
    k = [np.kron(a, np.eye(2)) for a in channels.kraus_operators(channels.depolarize(p))]
    assert _is_state(channels.apply_kraus(rho, k))


@PROPS
@given(
    r=st.tuples(st.floats(-1, 1), st.floats(-1, 1), st.floats(-1, 1)).filter(
        lambda v: math.hypot(*v) <= 1.0
    ),
    p=probs,
)
def test_bloch_channels_keep_vectors_in_the_ball(r, p):
    for channel in (
        channels.bloch_after_depolarizing,
        channels.bloch_after_dephasing,
        channels.bloch_after_amplitude_damping,
    ):
        out = channel(list(r), p)
        assert np.linalg.norm(out) <= 1.0 + 1e-9
        assert _is_state(
            states.state_from_bloch(np.clip(out / max(1.0, np.linalg.norm(out)), -1, 1))
        )


@PROPS
@given(
    n=st.integers(0, 10**6),
    e=probs,
    leak=st.integers(0, 10**6),
    ver=st.integers(0, 100),
)
def test_secure_key_length_is_between_zero_and_n(n, e, leak, ver):
    ell = qkd.secure_key_length(n, e, leak, ver)
    assert 0 <= ell <= n


@PROPS
@given(f1=st.floats(0.25, 1.0), f2=st.floats(0.25, 1.0), g=probs)
def test_swapped_werner_fidelity_is_a_fidelity(f1, f2, g):
    f = repeaters.swap_werner(f1, f2, gate_noise=g)
    assert -1e-12 <= f <= 1.0 + 1e-12


# ------------------------------------------------------------------------------------------
# 2b. Properties: invalid inputs get a clean error naming the argument
# ------------------------------------------------------------------------------------------


@PROPS
@given(bad=bad_probs)
def test_bad_probabilities_are_rejected_by_name(bad):
    cases = [
        (lambda: channels.depolarize(bad), "p"),
        (lambda: channels.bloch_after_dephasing([0, 0, 1], bad), "p"),
        (lambda: qkd.shor_preskill_rate(bad), "qber"),
        (lambda: qkd.binary_entropy(bad), "p"),
        (lambda: states.werner_state(bad), "fidelity"),
        (lambda: repeaters.elementary_link(bad), "success_probability"),
        (lambda: qkd.secure_key_length(1000, bad, 0, 0), "e_upper"),
        (
            lambda: protocols.teleportation_fidelity(states.werner_state(0.9), gate_noise=bad),
            "gate_noise",
        ),
    ]
    for call, name in cases:
        with pytest.raises(ValueError, match=rf"\b{name}\b"):
            call()


@PROPS
@given(bad=st.one_of(st.text(max_size=3), st.none(), st.lists(st.integers(), max_size=2)))
def test_wrong_scalar_types_are_type_errors_naming_the_argument(bad):
    for call, name in [
        (lambda: channels.fiber_transmissivity(10.0, bad), "attenuation_db_per_km"),
        (lambda: qkd.maximum_distance(qkd.gllp_key_rate, tol=bad), "tol"),
        (lambda: protocols.chsh_correlation(states.werner_state(0.9), bad, 0.0), "theta_a"),
    ]:
        with pytest.raises((TypeError, ValueError), match=name):
            call()


@PROPS
@given(
    vec=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=0, max_size=5),
)
def test_state_from_bloch_accepts_only_physical_vectors(vec):
    a = np.asarray(vec, dtype=float)
    if a.shape == (3,) and np.all(np.isfinite(a)) and np.linalg.norm(a) <= 1.0:
        assert _is_state(states.state_from_bloch(a))
    else:
        with pytest.raises(ValueError, match="vector"):
            states.state_from_bloch(a)


@PROPS
@given(n=st.integers(min_value=-5, max_value=10**15))
def test_size_arguments_are_bounded(n):
    ok = 1 <= n <= 64
    if ok:
        a = np.zeros(40, dtype=np.int8)
        assert qkd.cascade(a, a.copy(), 0.05, n_passes=n, seed=1).n_passes == n
    else:
        with pytest.raises(ValueError, match="n_passes must be an integer"):
            qkd.cascade(np.zeros(40), np.zeros(40), 0.05, n_passes=n)


def test_repeaterless_bound_keeps_precision_at_both_ends():
    # PLOB (Pirandola et al., Nat. Commun. 8, 15043 (2017)): -log2(1 - eta), eta = 10^(-a L / 10)
    for length in (1.0, 100.0, 1000.0):
        eta = 10 ** (-0.2 * length / 10)
        assert qkd.repeaterless_bound(length) == pytest.approx(-math.log1p(-eta) / math.log(2))
    # 1 - eta ~ a L ln(10) / 10 for a nearly lossless link: finite, not a rounding inf
    tiny = qkd.repeaterless_bound(1e-300)
    assert tiny == pytest.approx(-math.log2(0.2e-300 * math.log(10) / 10))
    assert qkd.repeaterless_bound(0.0) == math.inf  # a lossless channel: unbounded


def test_simulate_chain_refuses_hopeless_swap_probabilities_at_once():
    with pytest.raises(ValueError, match="swap_probability must be >= 1/"):
        repeaters.simulate_chain(4, repeaters.elementary_link(0.3), swap_probability=1e-300)
