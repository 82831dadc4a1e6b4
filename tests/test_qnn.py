"""Tests for qnetlab.qnn: bounds, datasets, VQAs and generative models (no TensorFlow).

The TensorFlow Quantum models are tested in tests/test_qnn_models.py.
"""

from __future__ import annotations

import subprocess
import sys

import cirq
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab.qnn import bounds, datasets, generative, vqa, vqe
from qnetlab.qnn._sim import (
    energy_and_gradient,
    layered_ops,
    random_layers_batch,
    rotation_batch,
    simulate,
    to_cirq,
)
from qnetlab.states import bell_state, fidelity, state_from_bloch

# --- import hygiene -------------------------------------------------------------------------


def test_pure_parts_do_not_import_tensorflow():
    code = (
        "import sys, qnetlab, qnetlab.qnn\n"
        "from qnetlab.qnn import helstrom_bound, two_state_dataset, run_qaoa, train_born_machine\n"
        "helstrom_bound([1, 0], [0, 1]); two_state_dataset(4, seed=0)\n"
        "assert 'tensorflow' not in sys.modules, 'tensorflow imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- Helstrom bound ---------------------------------------------------------------------------


def test_helstrom_pure_states_formula():
    # Helstrom (1976): for pure states P = ½(1 + sqrt(1 − 4 p0 p1 |<ψ0|ψ1>|²)).
    a = np.array([1.0, 0.0])
    t = 0.7
    b = np.array([np.cos(t / 2), np.sin(t / 2)])
    for p0 in (0.5, 0.3):
        want = 0.5 * (1 + np.sqrt(1 - 4 * p0 * (1 - p0) * abs(a @ b) ** 2))
        assert bounds.helstrom_bound(a, b, p0) == pytest.approx(want, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-1, 1), min_size=3, max_size=3),
    st.lists(st.floats(-1, 1), min_size=3, max_size=3),
)
def test_helstrom_qubits_bloch_formula(r0, r1):
    # Equal priors on qubits: P = ½(1 + |r0 − r1|/2) (Nielsen & Chuang eq. 9.20 for T).
    r0, r1 = np.array(r0), np.array(r1)
    for r in (r0, r1):
        if np.linalg.norm(r) > 1:
            r /= np.linalg.norm(r)
    p = bounds.helstrom_bound(state_from_bloch(r0), state_from_bloch(r1))
    assert p == pytest.approx(0.5 * (1 + np.linalg.norm(r0 - r1) / 2), abs=1e-9)
    assert 0.5 - 1e-12 <= p <= 1 + 1e-12


def test_helstrom_measurement_reaches_bound():
    ds = datasets.two_state_dataset(2, seed=0)
    r0, r1 = ds.info["rho0"], ds.info["rho1"]
    pi0 = bounds.helstrom_measurement(r0, r1, 0.4)
    succ = 0.4 * np.trace(pi0 @ r0).real + 0.6 * np.trace((np.eye(2) - pi0) @ r1).real
    assert succ == pytest.approx(bounds.helstrom_bound(r0, r1, 0.4), abs=1e-12)


def test_helstrom_extreme_priors_and_identical_states():
    assert bounds.helstrom_bound([1, 0], [0, 1], prior0=1.0) == pytest.approx(1.0)
    assert bounds.helstrom_bound([1, 0], [1, 0], prior0=0.7) == pytest.approx(0.7)
    assert bounds.trace_distance(bell_state("phi+"), bell_state("psi-")) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("rho0", "rho1", "prior", "exc", "match"),
    [
        ([[1, 1], [0, 0]], [1, 0], 0.5, ValueError, "Hermitian"),
        ([[0.6, 0], [0, 0.6]], [1, 0], 0.5, ValueError, "unit trace"),
        ([1, 1], [1, 0], 0.5, ValueError, "normalised"),
        ([[1.5, 0], [0, -0.5]], [1, 0], 0.5, ValueError, "positive semidefinite"),
        ([1, 0], [0, 1], 1.2, ValueError, r"prior0 must be a probability in \[0, 1\]"),
        ([1, 0], [0, 1], -0.1, ValueError, "prior0"),
        ([1, 0], [0, 1], "a", TypeError, "prior0"),
        ([1, 0], [1, 0, 0, 0], 0.5, ValueError, "same number of qubits"),
        ([1, 0, 0], [1, 0], 0.5, ValueError, "power-of-2"),
    ],
)
def test_helstrom_bad_input(rho0, rho1, prior, exc, match):
    with pytest.raises(exc, match=match):
        bounds.helstrom_bound(rho0, rho1, prior)


# --- datasets ---------------------------------------------------------------------------------


def test_two_state_dataset_class_average_matches_cirq_density_matrix():
    # The ensemble of depolarising trajectories must average to the channel output state.
    ds = datasets.two_state_dataset(4000, depolarization=0.3, seed=3)
    q = ds.qubits
    for y in (0, 1):
        states = [
            c.final_state_vector(qubit_order=q)
            for c, lab in zip(ds.circuits, ds.labels, strict=True)
            if lab == y
        ]
        rho = np.mean([np.outer(s, s.conj()) for s in states], axis=0)
        # 2000 samples: each entry has standard error <= 1/sqrt(2000) ≈ 0.022; allow 4 SE.
        assert np.abs(rho - ds.info[f"rho{y}"]).max() < 0.09
    want = 0.5 * (1 + (1 - 4 * 0.3 / 3) * np.sin(np.pi / 3))
    got = bounds.helstrom_bound(ds.info["rho0"], ds.info["rho1"])
    assert got == pytest.approx(want, abs=1e-6)
    assert got < 0.95  # non-orthogonal: the bound is meaningful


def test_channel_dataset_bloch_vectors_follow_channel_formulas():
    from qnetlab.channels import (
        bloch_after_amplitude_damping,
        bloch_after_dephasing,
        bloch_after_depolarizing,
    )

    ds = datasets.channel_dataset(5, seed=4)
    r = np.ones(3) / np.sqrt(3)
    f = (bloch_after_depolarizing, bloch_after_dephasing, bloch_after_amplitude_damping)
    for y, s, b in zip(ds.labels, ds.info["strength"], ds.info["bloch"], strict=True):
        assert np.allclose(b, f[y](r, s), atol=1e-5)
    with pytest.raises(ValueError, match="strength_range"):
        datasets.channel_dataset(2, strength_range=(0.5, 0.1))


def test_bb84_dataset_qber_intercept_resend():
    ds = datasets.bb84_dataset(400, n_qubits=4, depolarization=0.0, seed=5)
    clean = ds.info["qber"][ds.labels == 0]
    eve = ds.info["qber"][ds.labels == 1]
    assert np.all(clean == 0)
    # Intercept-resend QBER 1/4 (Bennett & Brassard 1984); 800 qubits, SE ≈ 0.015, 4 SE.
    assert eve.mean() == pytest.approx(0.25, abs=0.06)


def test_entanglement_and_cluster_datasets():
    ds = datasets.entanglement_dataset(20, seed=6)
    assert np.allclose(ds.info["concurrence"], ds.labels, atol=1e-5)
    cl = datasets.cluster_state_dataset(50, 4, seed=7)
    assert np.array_equal(cl.labels, (np.abs(cl.info["theta"]) <= np.pi / 2).astype(int))
    assert all(isinstance(q, cirq.GridQubit) for q in cl.qubits)
    tr, te = datasets.train_test_split(cl, 0.2, seed=0)
    assert len(tr) == 40 and len(te) == 10
    with pytest.raises(ValueError, match="test_fraction"):
        datasets.train_test_split(cl, 1.0)
    with pytest.raises(TypeError, match="dataset"):
        datasets.train_test_split([1, 2], 0.5)


def test_cluster_dataset_features_match_stabilizer_formula_and_cirq():
    cl = datasets.cluster_state_dataset(12, 6, seed=5)
    th, w = cl.info["theta"], cl.info["where"]
    # Cluster stabilisers K_i = Z_{i-1} X_i Z_{i+1} (Briegel & Raussendorf 2001): Rx(θ) on
    # qubit w anticommutes with the Z_w in K_{w±1}, so <K_{w±1}> = cos θ, all others stay 1.
    want = np.ones((12, 6))
    want[np.arange(12), (w - 1) % 6] = np.cos(th)
    want[np.arange(12), (w + 1) % 6] = np.cos(th)
    assert np.allclose(cl.info["stabilizers"], want, atol=1e-6)
    assert np.allclose(cl.info["local_paulis"], 0.0, atol=1e-6)
    # One sample against Cirq's own Pauli-string expectation.
    qs = list(cl.qubits)
    psi = cirq.final_state_vector(cl.circuits[0], qubit_order=qs)
    k1 = cirq.Z(qs[0]) * cirq.X(qs[1]) * cirq.Z(qs[2])
    val = k1.expectation_from_state_vector(psi, {q: i for i, q in enumerate(qs)}).real
    assert cl.info["stabilizers"][0, 1] == pytest.approx(val, abs=1e-5)
    assert np.array_equal(cl.labels, (cl.info["stabilizers"].min(axis=1) >= 0).astype(int))


def test_datasets_reproducible_from_seed():
    a = datasets.two_state_dataset(50, seed=9)
    b = datasets.two_state_dataset(50, seed=9)
    assert [str(c) for c in a.circuits] == [str(c) for c in b.circuits]


# --- fast path against Cirq -------------------------------------------------------------------


def test_numpy_simulator_matches_cirq():
    rng = np.random.default_rng(1)
    n = 4
    ops = [("h", (0,), None), ("ry", (1,), 0), ("rx", (2,), 1), ("rz", (3,), 2)]
    ops += [("cnot", (0, 2), None), ("cz", (1, 3), None), ("rzz", (0, 3), 3), ("x", (2,), None)]
    ops += [("cnot", (3, 1), None), ("ry", (0,), 4)]
    params = rng.uniform(0, 2 * np.pi, 5)
    q = cirq.GridQubit.rect(1, n)
    want = cirq.final_state_vector(to_cirq(ops, params, q), qubit_order=q)
    assert abs(np.vdot(want, simulate(ops, params, n))) == pytest.approx(1.0, abs=1e-6)


def _param_shift_grad(f, x):
    # Parameter-shift rule (Mitarai et al. 2018, eq. 12): ∂f = [f(θ + π/2) − f(θ − π/2)] / 2.
    g = np.empty_like(x)
    for k in range(x.size):
        e = np.zeros_like(x)
        e[k] = np.pi / 2
        g[k] = 0.5 * (f(x + e) - f(x - e))
    return g


def test_batched_layers_match_cirq():
    rng = np.random.default_rng(4)
    n, layers, b = 3, 4, 3
    axes = rng.integers(0, 3, size=(b, layers, n))
    angles = rng.uniform(0, 2 * np.pi, size=(b, layers, n))
    psi0 = simulate([("ry", (i,), 0) for i in range(n)], [np.pi / 4], n)
    got = random_layers_batch(psi0, axes, angles)
    q = cirq.LineQubit.range(n)
    for k in range(b):
        circ = cirq.Circuit(cirq.ry(np.pi / 4).on_each(*q))
        circ += to_cirq(layered_ops(axes[k], angles[k]), np.ravel(angles[k]), q)
        want = cirq.final_state_vector(circ, qubit_order=q)
        assert abs(np.vdot(want, got[k])) == pytest.approx(1.0, abs=1e-6)
    # the rotations are Cirq's matrices
    for a, gate in enumerate((cirq.rx, cirq.ry, cirq.rz)):
        assert np.allclose(rotation_batch([a], [0.7])[0], cirq.unitary(gate(0.7)))
    with pytest.raises(ValueError, match="axes"):
        rotation_batch([3], [0.1])
    with pytest.raises(ValueError, match="shape"):
        random_layers_batch(psi0, axes[0], angles[0])


def test_adjoint_gradient_equals_parameter_shift():
    rng = np.random.default_rng(2)
    ops = vqe._hea_ops(3, 2)
    m = np.asarray(vqa.heisenberg_hamiltonian(3).matrix(cirq.GridQubit.rect(1, 3)))
    x = rng.uniform(0, 2 * np.pi, 9)
    _, g = energy_and_gradient(ops, x, 3, m)

    def energy(y):
        psi = simulate(ops, y, 3)
        return float(np.real(np.vdot(psi, m @ psi)))

    assert np.allclose(g, _param_shift_grad(energy, x), atol=1e-9)


# --- VQE --------------------------------------------------------------------------------------


def test_exact_tfim_energy_free_fermions():
    # Open TFIM chain: Jordan-Wigner free fermions (Lieb, Schultz & Mattis 1961; Pfeuty
    # 1970): E0 = −½ Σ_k ε_k with ε_k² the eigenvalues of (A − B)(A + B).
    n, h, j = 5, 0.7, 1.0
    a_mat = np.zeros((n, n))
    b_mat = np.zeros((n, n))
    for i in range(n):
        a_mat[i, i] = -2 * h
    for i in range(n - 1):
        a_mat[i, i + 1] = a_mat[i + 1, i] = -j
        b_mat[i, i + 1] = -j
        b_mat[i + 1, i] = j
    eps = np.sqrt(np.clip(np.linalg.eigvalsh((a_mat - b_mat) @ (a_mat + b_mat)), 0, None))
    want = -0.5 * eps.sum()
    got = vqa.exact_ground_energy(vqa.tfim_hamiltonian(n, j=j, h=h))
    assert got == pytest.approx(want, abs=1e-9)


def test_vqe_reaches_exact_energy():
    res = vqa.run_vqe(vqa.tfim_hamiltonian(4), layers=3, restarts=2, seed=11)
    assert res.error < 1e-2
    assert res.energy >= res.exact_energy - 1e-9  # variational principle
    circ = vqa.vqe_circuit(4, 3, res.params)
    psi = cirq.final_state_vector(circ, qubit_order=cirq.GridQubit.rect(1, 4))
    m = vqa.tfim_hamiltonian(4).matrix(cirq.GridQubit.rect(1, 4))
    assert np.real(np.vdot(psi, m @ psi)) == pytest.approx(res.energy, abs=1e-5)


def test_vqe_heisenberg_and_bad_input():
    # Heisenberg dimer J Σσσ: singlet energy −3J.
    assert vqa.exact_ground_energy(vqa.heisenberg_hamiltonian(2)) == pytest.approx(-3.0)
    with pytest.raises(TypeError, match="hamiltonian"):
        vqa.run_vqe(np.eye(4))
    with pytest.raises(ValueError, match="optimizer"):
        vqa.run_vqe(vqa.tfim_hamiltonian(2), optimizer="SGD")
    with pytest.raises(ValueError, match="n_qubits"):
        vqa.tfim_hamiltonian(1)


# --- QAOA -------------------------------------------------------------------------------------


def test_maxcut_qubo_matches_brute_force():
    g = vqa.network_graph(8, seed=2026)
    q = vqa.maxcut_qubo(g)
    best, strings = vqa.brute_force_maxcut(g)
    x = np.array([int(b) for b in strings[0]])
    assert -x @ q @ x == pytest.approx(best)
    # Independent enumeration with networkx cut sizes.
    nodes = list(g.nodes)
    brute = max(
        nx.cut_size(g, [v for v in nodes if (s >> v) & 1], weight="weight")
        for s in range(2 ** len(nodes))
    )
    assert best == pytest.approx(brute)


def test_qaoa_p1_ring_known_value_and_cirq():
    # Farhi et al. (2014): on a ring (2-regular), p = 1 QAOA reaches ⟨C⟩/|E| = 3/4.
    g = nx.cycle_graph(8)
    r = vqa.run_qaoa(g, 1, restarts=5, seed=1)
    assert r.expected_cut / 8 == pytest.approx(0.75, abs=1e-6)
    # Cirq ground truth for the optimal angles.
    c = vqa.qaoa_circuit(g, r.gammas, r.betas)
    q = cirq.GridQubit.rect(1, 8)
    probs = np.abs(cirq.final_state_vector(c, qubit_order=q)) ** 2
    cut = vqa._cut_values(8, vqa._edges(g)[1])
    assert float(probs @ cut) == pytest.approx(r.expected_cut, abs=1e-4)


def test_qaoa_ratio_on_network_graph():
    g = vqa.network_graph(8, seed=2026)
    res = vqa.qaoa_depth_sweep(g, 3, restarts=3, seed=2026)
    ratios = [r.approximation_ratio for r in res]
    assert ratios[-1] >= 0.9
    assert ratios[0] < ratios[-1]
    with pytest.raises(ValueError, match="p must be"):
        vqa.run_qaoa(g, 0)
    with pytest.raises(TypeError, match="graph"):
        vqa.run_qaoa([[0, 1]], 1)


def test_barren_plateau_gradients_match_cirq_parameter_shift():
    # Same draws as the function (one generator, axes then angles), gradients by Cirq.
    n, layers, m = 3, 5, 4
    r = vqa.barren_plateau_depth_scan((n,), (layers,), n_circuits=m, seed=8)[0]
    rng = np.random.default_rng(8)
    axes = rng.integers(0, 3, size=(m, layers, n))
    angles = rng.uniform(0, 2 * np.pi, size=(m, layers, n))
    q = cirq.LineQubit.range(n)
    obs = cirq.Z(q[0]) * cirq.Z(q[1])
    for k in range(m):

        def energy(th, k=k):
            circ = cirq.Circuit(cirq.ry(np.pi / 4).on_each(*q))
            circ += to_cirq(layered_ops(axes[k], th.reshape(layers, n)), th, q)
            psi = cirq.final_state_vector(circ, qubit_order=q)
            return float(
                np.real(obs.expectation_from_state_vector(psi, {x: i for i, x in enumerate(q)}))
            )

        th = np.ravel(angles[k]).copy()
        e = np.zeros_like(th)
        e[0] = np.pi / 2
        want = 0.5 * (energy(th + e) - energy(th - e))
        assert r.gradients[0][k] == pytest.approx(want, abs=1e-6)


def test_barren_plateau_exponent_deep_and_shallow():
    # McClean et al. (2018): Var ∝ 2^-n once the circuit is a 2-design (here ≥ 10 n layers);
    # a shallow circuit has no plateau for a local cost (Cerezo et al. 2021).
    scan = vqa.barren_plateau_depth_scan((2, 4, 6, 8), (2, 80), n_circuits=300, seed=3)
    shallow, deep = scan
    b, se, _ = deep.fit()
    assert abs(b - 1.0) < 0.15 and 0 < se < 0.1
    lo, hi = deep.decay_interval(0.99)
    assert lo < b < hi and lo < 1.0 < hi
    assert abs(shallow.decay_rate()) < 0.15
    single = vqa.barren_plateau_variance((2, 4, 6, 8), layers=80, n_circuits=300, seed=3)
    assert single.variance == deep.variance  # the same circuits
    with pytest.raises(ValueError, match="depths"):
        vqa.barren_plateau_depth_scan((2,), (5, 5))
    with pytest.raises(ValueError, match="n_qubits"):
        vqa.barren_plateau_variance((1, 2))


def test_barren_plateau_fit_is_weighted_least_squares():
    # Synthetic Gaussian gradients with known variances 2^-n: the standard error of a sample
    # variance is σ²·sqrt(2/(N−1)) for Gaussian data; the fit equals numpy's weighted polyfit.
    rng = np.random.default_rng(0)
    ns = (2, 4, 6, 8)
    grads = tuple(rng.normal(0, 2.0 ** (-n / 2), 4000) for n in ns)
    r = vqa.BarrenPlateauResult(ns, tuple(float(np.var(g)) for g in grads), 1, 4000, grads)
    se = r.variance_se()
    assert np.allclose(se, np.array(r.variance) * np.sqrt(2 / 3999), rtol=0.15)
    y = np.log2(r.variance)
    sig = se / (np.array(r.variance) * np.log(2))
    slope, icpt = np.polyfit(ns, y, 1, w=1 / sig)
    b, b_se, a = r.fit()
    assert b == pytest.approx(-slope, abs=1e-9) and a == pytest.approx(icpt, abs=1e-9)
    assert abs(b - 1.0) < 4 * b_se
    with pytest.raises(ValueError, match="level"):
        r.decay_interval(1.5)


# --- costs and classical baselines -----------------------------------------------------------


def test_vqe_counts_circuits_by_parameter_shift():
    ham = vqa.tfim_hamiltonian(4)
    assert vqa.measurement_settings(ham) == 2  # all-Z and all-X
    assert vqa.measurement_settings(vqa.heisenberg_hamiltonian(4)) == 3
    r = vqa.run_vqe(ham, layers=2, restarts=1, seed=5)
    n_par = 4 * 3
    assert r.n_circuits == r.n_evaluations * 2 * (1 + 2 * n_par)
    assert list(r.circuit_history) == sorted(r.circuit_history)
    c = vqa.run_vqe(ham, layers=2, restarts=1, optimizer="COBYLA", maxiter=50, seed=5)
    assert c.n_circuits == 2 * c.n_evaluations


def test_lanczos_matches_exact_diagonalisation():
    ham = vqa.tfim_hamiltonian(8, h=0.7)
    e, k = vqa.lanczos_ground_energy(ham, seed=1)
    assert e == pytest.approx(vqa.exact_ground_energy(ham), abs=1e-8)
    assert 0 < k < 200


def test_local_search_finds_max_cut_and_qaoa_counts_circuits():
    g = vqa.network_graph(8, seed=11)
    best, strings = vqa.brute_force_maxcut(g)
    cut, bits, evals = vqa.local_search_maxcut(g, 50, seed=1)
    assert cut == best and bits in strings and evals > 50
    x = np.array([int(v) for v in bits])
    assert -x @ vqa.maxcut_qubo(g) @ x == pytest.approx(cut)
    r = vqa.run_qaoa(g, 2, restarts=2, seed=1)
    assert r.n_circuits > 0 and r.n_circuits % (1 + 4 * 2) == 0


# --- generative -------------------------------------------------------------------------------


def test_kl_and_mmd_against_direct_formulas():
    p = np.array([0.1, 0.2, 0.3, 0.4])
    q = np.array([0.25, 0.25, 0.25, 0.25])
    assert generative.kl_divergence(p, q) == pytest.approx(float(np.sum(p * np.log(p / q))))
    ham = np.array([[bin(i ^ j).count("1") for j in range(4)] for i in range(4)])
    k = np.mean([np.exp(-ham / (2 * s**2)) for s in (0.5, 1.0, 2.0)], axis=0)
    assert generative.mmd(p, q) == pytest.approx(float((p - q) @ k @ (p - q)))
    with pytest.raises(ValueError, match="sum to 1"):
        generative.kl_divergence([0.5, 0.6], [0.5, 0.5])
    with pytest.raises(ValueError, match="same length"):
        generative.mmd([0.5, 0.5], [0.25] * 4)


def test_smoothed_and_independent_distributions_against_direct_formulas():
    bits = generative.traffic_bitstrings(400, seed=3)
    counts = np.zeros(64)
    for row in bits:
        counts[int("".join(map(str, row)), 2)] += 1
    # Additive (Krichevsky-Trofimov for alpha = 1/2) smoothing: (n_x + a) / (N + 2**n a).
    smooth = generative.empirical_distribution(bits, pseudocount=0.5)
    assert np.allclose(smooth, (counts + 0.5) / (400 + 64 * 0.5))
    assert np.allclose(generative.empirical_distribution(bits), counts / 400)
    # Product of marginals, pattern by pattern.
    m = bits.mean(axis=0)
    q = generative.independent_distribution(bits)
    for x in (0, 5, 37, 63):
        b = [int(c) for c in format(x, "06b")]
        assert q[x] == pytest.approx(np.prod([m[i] if b[i] else 1 - m[i] for i in range(6)]))
    assert q.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="pseudocount"):
        generative.empirical_distribution(bits, pseudocount=-1)
    with pytest.raises(ValueError, match="only 0 and 1"):
        generative.independent_distribution([[0, 2]])


def test_traffic_model_is_correlated_and_reproducible():
    a = generative.traffic_bitstrings(3000, seed=1)
    assert np.array_equal(a, generative.traffic_bitstrings(3000, seed=1))
    c = np.corrcoef(a.T)
    assert np.nanmax(np.abs(c - np.eye(6))) > 0.1  # links are not independent


def test_born_machine_fits_traffic_and_matches_cirq():
    bits = generative.traffic_bitstrings(3000, seed=7)[:, :4]
    p = generative.empirical_distribution(bits)
    r = generative.train_born_machine(p, layers=2, seed=7)
    assert r.kl < 0.05
    circ = generative.born_machine_circuit(4, 2, r.params)
    probs = np.abs(cirq.final_state_vector(circ, qubit_order=cirq.GridQubit.rect(1, 4))) ** 2
    assert np.allclose(probs, r.probabilities, atol=1e-5)
    s = r.sample(500, seed=1)
    assert s.shape == (500, 4)
    with pytest.raises(ValueError, match="loss"):
        generative.train_born_machine(p, loss="js")


def test_qgan_learns_bell_pair():
    r = generative.train_qgan(bell_state("phi+"), steps=150, seed=3)
    assert fidelity(r.state, bell_state("phi+")) == pytest.approx(r.fidelity, abs=1e-9)
    assert r.fidelity > 0.95
    assert r.fidelity_history[0] < r.fidelity
    # Helstrom bound of two pure states (Helstrom 1976): 1/2 (1 + sqrt(1 - F)), against the
    # eigenvalue formula of qnetlab.qnn.bounds; the trained discriminator cannot beat it.
    assert r.helstrom == pytest.approx(bounds.helstrom_bound(bell_state("phi+"), r.state))
    assert r.helstrom_history[-1] == pytest.approx(r.helstrom)
    assert all(d <= h + 1e-9 for d, h in zip(r.success_history, r.helstrom_history, strict=True))
    with pytest.raises(ValueError, match="pure"):
        generative.train_qgan(np.eye(4) / 4)
