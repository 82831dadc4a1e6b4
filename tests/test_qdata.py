"""Quantum kernels and Grover search (qnetlab.qdata), checked against independent values."""

from __future__ import annotations

import cirq
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab import qdata, qsearch


def test_numpy_feature_states_match_cirq_reference():
    X = np.random.default_rng(1).uniform(0, 2 * np.pi, (6, 3))
    for reps in (1, 2):
        fast = qdata.feature_states(X, reps=reps)
        ref = qdata.feature_states(X, reps=reps, method="cirq")
        np.testing.assert_allclose(fast, ref, atol=1e-10)


def test_feature_map_matches_havlicek_unitary():
    # Havlicek et al. 2019, Eq. (3): U = U_phi(x) H^n; U_phi = exp(i sum_S phi_S prod Z_i)
    # up to a global phase; here built independently from the Pauli-Z products.
    x = np.array([0.4, 1.3])
    z = np.diag([1.0, -1.0])
    eye = np.eye(2)
    z0, z1 = np.kron(z, eye), np.kron(eye, z)
    # Our diagonal: x_i * b_i + phi_01 * (b_0 xor b_1), with b = (1 - Z)/2.
    phi = (np.pi - x[0]) * (np.pi - x[1])
    gen = x[0] * (np.eye(4) - z0) / 2 + x[1] * (np.eye(4) - z1) / 2
    gen = gen + phi * (np.eye(4) - z0 @ z1) / 2
    h = np.kron(*[np.array([[1, 1], [1, -1]]) / np.sqrt(2)] * 2)
    u = np.diag(np.exp(1j * np.diag(gen))) @ h
    psi = u @ u @ np.array([1, 0, 0, 0])
    got = qdata.feature_states(x[None, :])[0]
    assert abs(abs(np.vdot(psi, got)) - 1.0) < 1e-12


def test_fidelity_kernel_is_psd_with_unit_diagonal():
    s = qdata.feature_states(np.random.default_rng(2).uniform(0, 3, (15, 3)))
    k = qdata.fidelity_kernel(s)
    np.testing.assert_allclose(np.diag(k), 1.0, atol=1e-12)
    np.testing.assert_allclose(k, k.T, atol=1e-12)
    assert np.linalg.eigvalsh(k).min() > -1e-10
    assert np.all((k >= -1e-12) & (k <= 1 + 1e-12))


def test_one_qubit_rdms_match_cirq_partial_trace():
    s = qdata.feature_states(np.random.default_rng(3).uniform(0, 3, (4, 3)))
    r = qdata.one_qubit_rdms(s)
    for i in range(4):
        for k in range(3):
            ref = cirq.partial_trace_of_state_vector_as_mixture(s[i], [k])
            rho = sum(p * np.outer(v, v.conj()) for p, v in ref)
            np.testing.assert_allclose(r[i, k], rho, atol=1e-10)


def test_projected_kernel_is_rbf_on_reduced_states():
    # Huang et al. 2021, Eq. (9): exp(-gamma sum_k ||rho_k(x) - rho_k(x')||_F^2)
    s = qdata.feature_states(np.random.default_rng(4).uniform(0, 3, (3, 2)))
    r = qdata.one_qubit_rdms(s)
    d = sum(np.linalg.norm(r[0, k] - r[1, k]) ** 2 for k in range(2))
    k = qdata.projected_kernel(s, gamma=0.7)
    assert abs(k[0, 1] - np.exp(-0.7 * d)) < 1e-12


def test_kernel_concentration_falls_with_qubits():
    v = qdata.kernel_concentration([2, 4, 6, 8], n_points=30, seed=5)
    assert np.all(np.diff(v) < 0)
    assert v[-1] < v[0] / 50


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 5), k=st.integers(0, 6), m=st.integers(1, 3))
def test_grover_success_matches_boyer_formula(n, k, m):
    # Boyer, Brassard, Hoyer, Tapp 1998: P_k = sin^2((2k+1) theta), sin theta = sqrt(M/N)
    marked = list(range(1, 1 + m))
    theta = np.arcsin(np.sqrt(m / 2**n))
    want = np.sin((2 * k + 1) * theta) ** 2
    assert abs(qsearch.grover_success_probability(n, marked, k) - want) < 1e-9
    assert abs(qsearch.grover_theory(2**n, m, k) - want) < 1e-12


def test_optimal_iterations_near_pi_over_4_sqrt_n():
    for n in (16, 64, 256, 1024):
        k = qsearch.optimal_grover_iterations(n, 1)
        assert abs(k - np.pi / 4 * np.sqrt(n)) < 1
        assert qsearch.grover_theory(n, 1, k) > 1 - 1 / n - 1e-12


def test_grover_resources_count_queries_and_gates():
    r = qsearch.grover_resources(3, [2, 5], 2)
    assert r.oracle_queries == 2 and r.multi_controlled_z == 6
    assert r.two_qubit_gates == 6 * r.cz_per_mcz and r.cz_per_mcz >= 6  # CCZ needs 6 CNOTs
    assert abs(r.success_probability - qsearch.grover_theory(8, 2, 2)) < 1e-9


def test_classical_search_mean_is_n_plus_1_over_m_plus_1():
    q = qsearch.classical_search_queries(64, [1, 9, 30], trials=20000, seed=6)
    want = 65 / 4
    assert abs(q.mean() - want) < 4 * q.std() / np.sqrt(q.size)
    assert q.min() >= 1 and q.max() <= 62


def test_dataset_labels_follow_key_rate():
    X, y = qdata.link_telemetry_dataset(3000, seed=7)
    assert X.shape == (3000, 4) and 0.3 < y.mean() < 0.9
    # longer links (higher loss) are usable less often
    assert y[X[:, 0] > 18].mean() < y[X[:, 0] < 6].mean() - 0.5


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: qdata.link_telemetry_dataset(1), ValueError, "n_samples"),
        (lambda: qdata.link_telemetry_dataset(10, rate_target=0.0), ValueError, "rate_target"),
        (lambda: qdata.feature_states(np.zeros(3)), ValueError, "X must"),
        (lambda: qdata.feature_states(np.zeros((2, 2)), method="gpu"), ValueError, "method"),
        (lambda: qdata.projected_kernel(np.ones((2, 4)), gamma=-1), ValueError, "gamma"),
        (lambda: qsearch.grover_circuit(3, [8], 1), ValueError, "marked"),
        (lambda: qsearch.grover_circuit(3, [1], -1), ValueError, "iterations"),
        (lambda: qsearch.grover_theory(4, 5, 1), ValueError, "n_marked"),
        (lambda: qdata.zz_feature_map([]), ValueError, "x must"),
        (lambda: qsearch.classical_search_queries(4, [4]), ValueError, "marked"),
    ],
)
def test_bad_input_names_the_argument(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize(("a", "k"), [(0.1, 0), (0.1, 3), (0.37, 2), (0.9, 5)])
def test_amplitude_amplification_matches_brassard_formula(a, k):
    # Brassard, Hoyer, Mosca, Tapp 2002: P(good after Q^k A) = sin^2((2k+1) theta_a)
    want = np.sin((2 * k + 1) * np.arcsin(np.sqrt(a))) ** 2
    assert abs(qsearch.amplitude_estimation_probability(a, k) - want) < 1e-10


def test_mlae_error_falls_as_one_over_queries_mc_as_one_over_sqrt():
    rng = np.random.default_rng(11)
    a, q, e_ae, e_mc = 0.08, [], [], []
    for m in range(1, 7):
        runs = [
            qsearch.ml_amplitude_estimation(a, max_power=m, shots=50, seed=rng) for _ in range(30)
        ]
        q.append(runs[0].oracle_queries)
        e_ae.append(np.sqrt(np.mean([(r.estimate - a) ** 2 for r in runs])))
        mc = rng.binomial(q[-1], a, 30) / q[-1]
        e_mc.append(np.sqrt(np.mean((mc - a) ** 2)))
    assert q[0] == 50 * (1 + 3)
    assert np.polyfit(np.log(q), np.log(e_ae), 1)[0] < -0.8
    assert -0.7 < np.polyfit(np.log(q), np.log(e_mc), 1)[0] < -0.3


def test_mlae_bad_input():
    with pytest.raises(ValueError, match="max_power"):
        qsearch.ml_amplitude_estimation(0.1, max_power=13)
    with pytest.raises(ValueError, match="a must"):
        qsearch.amplitude_estimation_probability(1.2, 1)
