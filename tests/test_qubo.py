"""QUBO layer (qnetlab.qnn.qubo, qaoa_ising, qubo_apps).

Formulas: the QUBO → Ising map x = (1 − z)/2 and the penalty constructions of Lucas,
"Ising formulations of many NP problems", Front. Phys. 2, 5 (2014), section 2; QAOA of Farhi,
Goldstone & Gutmann, arXiv:1411.4028 (2014), whose p = 1 ratio on the ring is 3/4. Every
energy is compared with a value computed independently here, by explicit loops.
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from qnetlab.qnn import qaoa_ising as qa
from qnetlab.qnn import qubo as qb
from qnetlab.qnn import qubo_apps as apps
from qnetlab.qnn import vqa


def _loop_energy(q: np.ndarray, x: tuple[int, ...], c: float = 0.0) -> float:
    n = len(x)
    return sum(q[i, j] * x[i] * x[j] for i in range(n) for j in range(n)) + c


def _states(n: int) -> list[tuple[int, ...]]:
    return list(itertools.product((0, 1), repeat=n))  # variable 0 most significant


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_qubo_energies_and_ising_match_explicit_loops(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 5
    q = rng.normal(size=(n, n))  # not symmetric on purpose
    c = float(rng.normal())
    loops = np.array([_loop_energy(q, x, c) for x in _states(n)])
    assert np.allclose(qb.qubo_energies(q, c), loops)
    model = qb.qubo_to_ising(q, c)
    # Ising energy by an explicit loop over spins z = 1 − 2x
    ising = []
    for x in _states(n):
        z = [1 - 2 * b for b in x]
        e = sum(model.h[i] * z[i] for i in range(n)) + model.offset
        e += sum(model.j[i, k] * z[i] * z[k] for i in range(n) for k in range(i + 1, n))
        ising.append(e)
    assert np.allclose(ising, loops)
    assert np.allclose(model.energies(), loops)
    assert qb.qubo_energy(q, _states(n)[7], c) == pytest.approx(loops[7])
    assert np.allclose(qb.qubo_energy(q, np.array(_states(n)), c), loops)


def test_brute_force_returns_every_minimiser() -> None:
    q = np.array([[-1.0, 2.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 1.0]])
    best, opt = qb.brute_force_qubo(q, 0.5)
    loops = {"".join(map(str, x)): _loop_energy(q, x, 0.5) for x in _states(3)}
    low = min(loops.values())
    assert best == low
    assert opt == sorted(k for k, v in loops.items() if v == low) == ["010", "100"]


def test_one_hot_and_at_most_one_penalties() -> None:
    n, w = 5, 2.5
    groups = [[0, 1, 2], [3, 4]]
    q1, c1 = qb.one_hot_penalty(n, groups, w)
    q2, c2 = qb.at_most_one_penalty(n, groups, w)
    for k, x in enumerate(_states(n)):
        hot = sum((sum(x[i] for i in g) - 1) ** 2 for g in groups)
        pairs = sum(x[i] * x[j] for g in groups for i, j in itertools.combinations(g, 2))
        assert qb.qubo_energies(q1, c1)[k] == pytest.approx(w * hot)
        assert qb.qubo_energies(q2, c2)[k] == pytest.approx(w * pairs)


@pytest.mark.parametrize("seed", range(6))
def test_penalty_weight_makes_every_infeasible_worse_than_the_best_feasible(seed: int) -> None:
    """Lucas 2014, section 2.1: A > (range of the objective) separates the two sets."""
    rng = np.random.default_rng(seed)
    n = 8
    obj = rng.normal(size=(n, n)) * rng.integers(1, 5)
    hot = [[0, 1, 2], [3, 4, 5]]
    amo = [[0, 3, 6], [1, 4, 7]]
    w = qb.penalty_weight(obj)
    q1, c1 = qb.one_hot_penalty(n, hot, w)
    q2, _ = qb.at_most_one_penalty(n, amo, w)
    e = qb.qubo_energies(obj + q1 + q2, c1)
    feasible = np.array(
        [
            all(sum(x[i] for i in g) == 1 for g in hot)
            and all(sum(x[i] for i in g) <= 1 for g in amo)
            for x in _states(n)
        ]
    )
    assert feasible.any() and (~feasible).any()
    assert e[~feasible].min() > e[feasible].min()
    # and a weight far too small does not: the objective's minimum is then infeasible
    q1s, c1s = qb.one_hot_penalty(n, hot, 1e-3)
    q2s, _ = qb.at_most_one_penalty(n, amo, 1e-3)
    es = qb.qubo_energies(obj + q1s + q2s, c1s)
    assert es[~feasible].min() < es[feasible].min()


def test_samples_to_target_formula() -> None:
    # runs r with 1 − (1 − s)^r = target, independently: r = log(0.01)/log(0.75)
    r = np.log(0.01) / np.log(0.75)
    assert qb.samples_to_target(0.25, 40) == pytest.approx(40 * r)
    assert qb.samples_to_target(0.25, 40, fixed_cost=1000) == pytest.approx(1000 + 40 * r)
    assert qb.samples_to_target(1.0, 40) == 40
    assert qb.samples_to_target(0.0, 40) == np.inf


@pytest.mark.parametrize("seed", range(4))
def test_heuristics_on_small_random_qubos(seed: int) -> None:
    rng = np.random.default_rng(seed)
    q = rng.integers(-5, 6, size=(8, 8)).astype(float)
    best, _ = qb.brute_force_qubo(q)
    hits = [qb.anneal_qubo(q, n_evaluations=400, seed=rng) for _ in range(10)]
    assert all(h.n_evaluations <= 400 for h in hits)
    assert all(h.energy == pytest.approx(qb.qubo_energy(q, [int(b) for b in h.bits])) for h in hits)
    assert sum(h.energy == best for h in hits) >= 6  # 256 states, 400 evaluations
    ls = qb.local_search_qubo(q, n_starts=3, seed=rng)
    x = np.array([int(b) for b in ls.bits])
    for i in range(8):  # a local minimum: no single flip lowers the energy
        y = x.copy()
        y[i] ^= 1
        assert qb.qubo_energy(q, y) >= ls.energy - 1e-12
    assert ls.n_evaluations >= 3 * 9


@pytest.mark.parametrize("seed", range(5))
def test_min_cut_is_exact_on_submodular_qubos(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 9
    q = np.diag(rng.normal(size=n) * 3)
    for i, j in itertools.combinations(range(n), 2):
        if rng.random() < 0.4:
            q[i, j] = -rng.random() * 2
    best, opt = qb.brute_force_qubo(q, 1.5)
    sol = qb.min_cut_qubo(q, 1.5)
    assert sol.energy == pytest.approx(best)
    assert sol.bits in opt


def test_qaoa_fast_path_matches_cirq_state_vector() -> None:
    """The optimised angles, run as the Cirq circuit, give the fast path's distribution."""
    import cirq

    rng = np.random.default_rng(3)
    q = rng.integers(-3, 4, size=(5, 5)).astype(float)
    model = qb.qubo_to_ising(q, 2.0)
    res = qa.run_qaoa_ising(model, p=2, restarts=2, seed=4)
    circuit = qa.ising_qaoa_circuit(model, res.gammas, res.betas)
    psi = cirq.Simulator(dtype=np.complex128).simulate(circuit).final_state_vector
    assert np.allclose(np.abs(psi) ** 2, res.probabilities, atol=1e-8)
    assert float(np.abs(psi) ** 2 @ model.energies()) == pytest.approx(res.expected_energy)
    # sampled: Cirq's measurement counts agree with the probabilities (chi-square-free bound)
    circuit.append(cirq.measure(*cirq.LineQubit.range(5), key="m"))
    bits = cirq.Simulator(seed=5).run(circuit, repetitions=4000).measurements["m"]
    idx = bits @ (1 << np.arange(4, -1, -1))
    freq = np.bincount(idx, minlength=32) / 4000
    assert np.max(np.abs(freq - res.probabilities)) < 4 * np.sqrt(0.25 / 4000)


def test_qaoa_ising_reproduces_farhi_ring_and_vqa_maxcut() -> None:
    """Farhi et al. 2014: p = 1 on a ring (2-regular) reaches ⟨C⟩/C_max = 3/4."""
    g = nx.cycle_graph(8)
    model = qb.qubo_to_ising(vqa.maxcut_qubo(g))
    res = qa.run_qaoa_ising(model, p=1, restarts=4, seed=0)
    assert res.approximation_ratio == pytest.approx(0.75, abs=1e-4)
    old = vqa.run_qaoa(g, p=2, restarts=4, seed=0)
    new = qa.run_qaoa_ising(model, p=2, restarts=4, seed=0)
    assert -new.expected_energy == pytest.approx(old.expected_cut, abs=1e-4)
    assert new.two_qubit_gates == 2 * 8 * 2
    assert new.n_circuits > 0


def test_qaoa_with_fields_beats_uniform_and_improves_with_depth() -> None:
    inst = apps.traffic_signals(2, 3, seed=1)
    model = qb.qubo_to_ising(*inst.qubo())
    r1, _, r3 = qa.qaoa_ising_depth_sweep(model, 3, restarts=3, seed=2)
    k = len(qb.brute_force_qubo(*inst.qubo())[1])
    assert r1.probability_optimal > 2 * k / 2**6
    assert r3.approximation_ratio > r1.approximation_ratio


def test_best_of_shots_statistics_match_sampling() -> None:
    model = qb.qubo_to_ising(apps.traffic_signals(2, 2, seed=3).qubo()[0])
    res = qa.run_qaoa_ising(model, p=1, restarts=2, seed=1)
    rng = np.random.default_rng(9)
    draws = rng.choice(res.energies.size, size=(4000, 5), p=res.probabilities)
    best = res.energies[draws].min(axis=1)
    se = best.std() / np.sqrt(4000)
    assert abs(best.mean() - res.expected_best_energy(5)) < 4 * se
    hit = np.mean(np.isclose(best, res.ground_energy))
    assert abs(hit - res.success_probability(5)) < 4 * np.sqrt(0.25 / 4000)
    # warm start in the model's units reproduces the optimum it came from
    again = qa.run_qaoa_ising(model, p=1, restarts=0, init=(res.gammas, res.betas))
    assert again.expected_energy == pytest.approx(res.expected_energy, abs=1e-6)


def test_robot_assignment_qubo_matches_hungarian_and_decodes() -> None:
    for seed in range(3):
        inst = apps.robot_assignment(3, 3, seed=seed)
        q, c = inst.qubo()
        best, opt = qb.brute_force_qubo(q, c)
        _, cost = inst.exact()
        assert best == pytest.approx(cost)
        decoded = inst.decode(opt[0])
        assert decoded is not None
        assert sum(inst.cost[r, t] for r, t in decoded.items()) == pytest.approx(cost)
        assert inst.greedy()[1] >= cost
        # independent cost: Dijkstra on the roads
        r0, t0 = inst.robots[0], inst.tasks[0]
        assert inst.cost[0, 0] == nx.dijkstra_path_length(inst.roads, r0, t0)
    assert inst.decode("110000000") is None


def test_traffic_qubo_counts_served_vehicles_and_green_waves() -> None:
    inst = apps.traffic_signals(2, 3, seed=4)
    q, c = inst.qubo()
    for k, x in enumerate(_states(6)):
        served = sum(inst.queue_ns[i] if x[i] else inst.queue_ew[i] for i in range(6))
        waves = 0.0
        for (i, j), f in inst.platoons.items():
            vertical = j - i == inst.cols
            waves += f * (x[i] and x[j]) if vertical else f * (not x[i] and not x[j])
        assert qb.qubo_energies(q, c)[k] == pytest.approx(-(served + waves))
    assert qb.min_cut_qubo(q, c).energy == pytest.approx(qb.brute_force_qubo(q, c)[0])


def test_reprs() -> None:
    m = qb.qubo_to_ising([[-1, 2], [0, -1]])
    assert repr(m) == "IsingModel(n=2, fields=0, couplings=1, offset=-0.5)"
    assert "robots=" in repr(apps.robot_assignment(2, 2, seed=0))
    assert "rows=2" in repr(apps.traffic_signals(2, 2, seed=0))
    assert "p=1" in repr(qa.run_qaoa_ising(m, seed=0))


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: qb.qubo_energies([[1, 2]]), ValueError, "q must be a non-empty square"),
        (lambda: qb.qubo_energies([["a"]]), TypeError, "q must be a real square"),
        (lambda: qb.qubo_energies([[np.nan]]), ValueError, "finite"),
        (lambda: qb.qubo_energies(np.zeros((21, 21))), ValueError, "n <= 20"),
        (lambda: qb.qubo_energy([[1]], [2]), ValueError, "x must hold bits"),
        (lambda: qb.qubo_energy([[1]], [1, 0]), ValueError, "x must have shape"),
        (lambda: qb.one_hot_penalty(3, [[0, 5]], 1.0), ValueError, "groups index"),
        (lambda: qb.one_hot_penalty(3, [[0, 0]], 1.0), ValueError, "without repeats"),
        (lambda: qb.at_most_one_penalty(3, [[0, 1]], 0.0), ValueError, "weight must be > 0"),
        (lambda: qb.penalty_weight([[1]], margin=0), ValueError, "margin must be > 0"),
        (lambda: qb.anneal_qubo([[1]], n_evaluations=10), ValueError, "n_evaluations"),
        (lambda: qb.local_search_qubo([[1]], n_starts=0), ValueError, "n_starts"),
        (lambda: qb.min_cut_qubo([[0, 1], [0, 0]]), ValueError, "submodular"),
        (lambda: qb.samples_to_target(1.5, 1), ValueError, "success"),
        (lambda: qb.samples_to_target(0.5, 0), ValueError, "cost"),
        (lambda: qb.IsingModel(np.zeros(2), np.ones((2, 2))), ValueError, "upper triangular"),
        (lambda: qb.IsingModel(np.zeros(2), np.zeros((3, 3))), ValueError, "shape"),
        (lambda: qb.IsingModel(np.array([np.inf]), np.zeros((1, 1))), ValueError, "finite"),
        (lambda: qa.run_qaoa_ising("h", p=1), TypeError, "model must be an IsingModel"),
        (lambda: qa.ising_qaoa_circuit([1]), TypeError, "model must be an IsingModel"),
        (
            lambda: qa.ising_qaoa_circuit(qb.qubo_to_ising([[1]]), [0.1], []),
            ValueError,
            "gammas and betas",
        ),
        (lambda: qa.run_qaoa_ising(qb.qubo_to_ising([[1]]), p=0), ValueError, "p must be"),
        (
            lambda: qa.run_qaoa_ising(qb.qubo_to_ising([[1]]), restarts=0),
            ValueError,
            "restarts must be >= 1",
        ),
        (
            lambda: qa.run_qaoa_ising(qb.qubo_to_ising([[1]]), p=2, init=([0.1], [0.1])),
            ValueError,
            "init must hold two arrays of length p=2",
        ),
        (lambda: qa.qaoa_ising_depth_sweep(qb.qubo_to_ising([[1]]), 0), ValueError, "p_max"),
        (lambda: apps.robot_assignment(4, 3), ValueError, "n_tasks"),
        (lambda: apps.robot_assignment(4, 6), ValueError, "<= 20 variables"),
        (lambda: apps.traffic_signals(5, 5), ValueError, "rows \\* cols"),
    ],
)
def test_bad_input_names_the_argument(call, exc, match) -> None:
    with pytest.raises(exc, match=match):
        call()


def test_symbolic_circuit_has_cost_and_mixer_layers() -> None:
    import cirq

    model = qb.qubo_to_ising(apps.robot_assignment(2, 2, seed=0).qubo()[0])
    c = qa.ising_qaoa_circuit(model)
    ops = list(c.all_operations())
    assert sum(isinstance(o.gate, cirq.ZZPowGate) for o in ops) == len(model.couplings)
    assert sum(isinstance(o.gate, cirq.Rx) for o in ops) == model.n
    assert cirq.is_parameterized(c)
