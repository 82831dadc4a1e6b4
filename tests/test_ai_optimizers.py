"""Tests of qnetlab.ai.optimizers: known optima, reproducibility, bookkeeping, bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab.ai.optimizers import (
    OptimizeResult,
    box_neighbour,
    exhaustive_search,
    genetic_algorithm,
    particle_swarm,
    random_search,
    simulated_annealing,
)


def sphere(x: np.ndarray) -> float:
    return float(np.sum(np.asarray(x, dtype=float) ** 2))


def rastrigin(x: np.ndarray) -> float:
    """Rastrigin function (Rastrigin 1974; Mühlenbein et al. 1991): global minimum 0 at 0."""
    x = np.asarray(x, dtype=float)
    return float(10.0 * x.size + np.sum(x**2 - 10.0 * np.cos(2.0 * np.pi * x)))


def flip_one(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    y = x.copy()
    i = rng.integers(y.size)
    y[i] = 1 - y[i]
    return y


@pytest.fixture(scope="module")
def knapsack():
    """A 14-item 0/1 knapsack; its optimum is enumerated here independently (all 2^14)."""
    rng = np.random.default_rng(3)
    w = rng.integers(5, 40, 14)
    v = rng.integers(5, 40, 14)
    cap = int(w.sum() * 0.4)

    def objective(b: np.ndarray) -> float:  # minimise -value, penalise overweight
        b = np.asarray(b)
        load = int(w @ b)
        return -float(v @ b) if load <= cap else float(load - cap)

    all_bits = np.array(list(itertools.product((0, 1), repeat=14)))
    feasible = all_bits @ w <= cap
    best_value = int((all_bits @ v)[feasible].max())
    return objective, best_value


# --- known optima ------------------------------------------------------------------------


def test_pso_sphere_and_rastrigin_reach_zero():
    res = particle_swarm(sphere, [(-5.0, 5.0)] * 5, seed=1)
    assert res.fun < 1e-6
    assert np.allclose(res.x, 0.0, atol=1e-3)
    res = particle_swarm(rastrigin, [(-5.12, 5.12)] * 2, seed=0)
    assert res.fun < 1e-4  # global minimum 0 among ~120 local minima in the box
    assert np.allclose(res.x, 0.0, atol=1e-3)


def test_ga_real_sphere_and_rastrigin():
    res = genetic_algorithm(sphere, [(-5.0, 5.0)] * 5, gene_type="real", seed=1)
    assert res.fun < 1e-2
    res = genetic_algorithm(
        rastrigin, [(-5.12, 5.12)] * 2, gene_type="real", n_generations=150, seed=0
    )
    assert res.fun < 1e-2


def test_sa_box_sphere_and_rastrigin():
    res = simulated_annealing(sphere, np.full(5, 4.0), bounds=[(-5.0, 5.0)] * 5, step=0.05, seed=0)
    assert res.fun < 1e-2
    res = simulated_annealing(
        rastrigin, np.array([3.0, 3.0]), bounds=[(-5.12, 5.12)] * 2, n_iterations=4000, seed=0
    )
    assert res.fun < 1e-2


def test_exhaustive_matches_independent_enumeration(knapsack):
    objective, best_value = knapsack
    res = exhaustive_search(objective, itertools.product((0, 1), repeat=14))
    assert res.fun == -best_value
    assert res.n_evaluations == 2**14
    assert len(res.history) == 2**14
    assert objective(res.x) == -best_value


def test_heuristics_within_one_percent_on_knapsack(knapsack):
    objective, best_value = knapsack
    ga = genetic_algorithm(objective, 14, seed=0)
    sa = simulated_annealing(
        objective, np.zeros(14, dtype=int), neighbour=flip_one, n_iterations=3000, seed=1
    )
    pso = particle_swarm(lambda z: objective((z > 0.5).astype(int)), [(0.0, 1.0)] * 14, seed=1)
    for res in (ga, sa, pso):
        assert -res.fun >= 0.99 * best_value, res
    assert -ga.fun == best_value


def test_integer_ga_and_exhaustive_integer_box():
    target = np.array([3, -2, 7, 0])

    def objective(z: np.ndarray) -> float:
        return float(np.sum(np.abs(np.asarray(z) - target)))

    bounds = [(-5, 8)] * 4
    ex = exhaustive_search(objective, bounds, integer_bounds=True)
    assert ex.fun == 0.0 and ex.x.tolist() == target.tolist()
    assert ex.n_evaluations == 14**4
    ga = genetic_algorithm(objective, bounds, gene_type="integer", n_generations=80, seed=2)
    assert ga.fun == 0.0
    assert ga.x.dtype.kind == "i"


@settings(max_examples=15, deadline=None)
@given(
    centre=st.lists(st.floats(-3.0, 3.0), min_size=1, max_size=4),
    seed=st.integers(0, 2**16),
)
def test_pso_finds_shifted_quadratic(centre, seed):
    c = np.asarray(centre)
    res = particle_swarm(
        lambda x: float(np.sum((x - c) ** 2)), [(-4.0, 4.0)] * c.size, n_iterations=80, seed=seed
    )
    assert np.allclose(res.x, c, atol=1e-2)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16), n_genes=st.integers(1, 6))
def test_integer_ga_stays_in_bounds(seed, n_genes):
    seen = []

    def objective(z: np.ndarray) -> float:
        seen.append(z.copy())
        return float(np.sum(z))

    genetic_algorithm(
        objective,
        [(-2, 3)] * n_genes,
        gene_type="integer",
        population_size=10,
        n_generations=5,
        mutation_rate=0.5,
        seed=seed,
    )
    z = np.array(seen)
    assert z.min() >= -2 and z.max() <= 3
    assert np.all(z == np.round(z))


# --- bookkeeping and reproducibility ------------------------------------------------------


def test_history_and_evaluation_counts():
    pso = particle_swarm(sphere, [(-1, 1)] * 3, n_particles=7, n_iterations=11, seed=0)
    assert len(pso.history) == 11
    assert pso.n_evaluations == 7 * 12
    assert np.all(np.diff(pso.history) <= 0)
    assert pso.history[-1] == pso.fun

    ga = genetic_algorithm(
        sphere,
        [(-1, 1)] * 3,
        gene_type="real",
        population_size=9,
        n_generations=6,
        elitism=2,
        seed=0,
    )
    assert len(ga.history) == 6
    assert ga.n_evaluations == 9 + 6 * (9 - 2)
    assert np.all(np.diff(ga.history) <= 0)

    sa = simulated_annealing(
        sphere, np.ones(3), bounds=[(-1, 1)] * 3, n_iterations=50, initial_temperature=1.0, seed=0
    )
    assert len(sa.history) == 50 and sa.n_evaluations == 51
    assert np.all(np.diff(sa.history) <= 0)
    assert sa.fun == pytest.approx(sphere(sa.x))


@pytest.mark.parametrize(
    "run",
    [
        lambda s: particle_swarm(rastrigin, [(-5, 5)] * 3, n_iterations=20, seed=s),
        lambda s: genetic_algorithm(
            rastrigin, [(-5, 5)] * 3, gene_type="real", n_generations=20, seed=s
        ),
        lambda s: simulated_annealing(
            rastrigin, np.full(3, 2.5), bounds=[(-5, 5)] * 3, n_iterations=300, seed=s
        ),
    ],
)
def test_reproducible_from_seed(run):
    a, b, c = run(5), run(5), run(6)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.history, b.history)
    assert a.fun == b.fun and a.n_evaluations == b.n_evaluations
    assert not np.array_equal(a.history, c.history)
    g1, g2 = np.random.default_rng(9), np.random.default_rng(9)
    assert np.array_equal(run(g1).history, run(g2).history)


def test_result_is_frozen_and_readable():
    res = particle_swarm(sphere, [(-1, 1)] * 2, n_iterations=5, seed=0)
    assert isinstance(res, OptimizeResult)
    with pytest.raises(AttributeError):
        res.fun = 0.0  # type: ignore[misc]
    text = repr(res)
    assert "particle_swarm" in text and "fun=" in text and "n_evaluations=180" in text


def test_box_neighbour_stays_inside():
    nb = box_neighbour([(0.0, 1.0)] * 3, step=2.0)
    rng = np.random.default_rng(0)
    for _ in range(50):
        y = nb(np.full(3, 0.5), rng)
        assert np.all((y >= 0.0) & (y <= 1.0))


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: particle_swarm("f", [(0, 1)]), TypeError, "objective must be callable"),
        (lambda: particle_swarm(sphere, []), ValueError, "bounds"),
        (lambda: particle_swarm(sphere, [(1, 0)]), ValueError, r"bounds\[0\]"),
        (lambda: particle_swarm(sphere, [(0, np.inf)]), ValueError, "finite"),
        (lambda: particle_swarm(sphere, [(0, 1)], n_particles=0), ValueError, "n_particles"),
        (lambda: particle_swarm(sphere, [(0, 1)], n_iterations=2.5), TypeError, "n_iterations"),
        (lambda: particle_swarm(sphere, [(0, 1)], inertia=1.5), ValueError, "inertia"),
        (lambda: particle_swarm(sphere, [(0, 1)], social=-1), ValueError, "social"),
        (lambda: particle_swarm(sphere, [(0, 1)], seed=-3), ValueError, "seed"),
        (lambda: particle_swarm(lambda x: np.nan, [(0, 1)]), ValueError, "NaN"),
        (lambda: particle_swarm(lambda x: "a", [(0, 1)]), TypeError, "real number"),
        (lambda: simulated_annealing(sphere, [1.0]), ValueError, "neighbour"),
        (lambda: simulated_annealing(sphere, [1.0], neighbour=3), TypeError, "neighbour"),
        (lambda: simulated_annealing(sphere, [], bounds=[(0, 1)]), ValueError, "x0"),
        (lambda: simulated_annealing(sphere, [1.0, 2.0], bounds=[(0, 1)]), ValueError, "x0"),
        (
            lambda: simulated_annealing(sphere, [0.5], bounds=[(0, 1)], cooling=1.2),
            ValueError,
            "cooling",
        ),
        (
            lambda: simulated_annealing(sphere, [0.5], bounds=[(0, 1)], initial_temperature=0),
            ValueError,
            "initial_temperature",
        ),
        (lambda: genetic_algorithm(sphere, 4, gene_type="bits"), ValueError, "gene_type"),
        (lambda: genetic_algorithm(sphere, 4, gene_type="real"), ValueError, "genes"),
        (lambda: genetic_algorithm(sphere, 0), ValueError, "genes"),
        (lambda: genetic_algorithm(sphere, [(0, 2)]), ValueError, "binary"),
        (
            lambda: genetic_algorithm(sphere, [(0, 2.5)], gene_type="integer"),
            ValueError,
            "integer bounds",
        ),
        (lambda: genetic_algorithm(sphere, 4, population_size=1), ValueError, "population_size"),
        (lambda: genetic_algorithm(sphere, 4, elitism=50), ValueError, "elitism"),
        (lambda: genetic_algorithm(sphere, 4, mutation_rate=2), ValueError, "mutation_rate"),
        (lambda: genetic_algorithm(sphere, 4, crossover_rate=-0.1), ValueError, "crossover"),
        (
            lambda: genetic_algorithm(
                sphere, 4, population_size=4, initial_population=np.ones((3, 4))
            ),
            ValueError,
            "initial_population",
        ),
        (lambda: exhaustive_search(sphere, []), ValueError, "empty"),
        (lambda: exhaustive_search(sphere, 5), TypeError, "iterable"),
        (
            lambda: exhaustive_search(
                sphere, [(0, 99)] * 5, integer_bounds=True, max_candidates=10
            ),
            ValueError,
            "max_candidates",
        ),
        (
            lambda: exhaustive_search(sphere, itertools.count(), max_candidates=10),
            ValueError,
            "max_candidates",
        ),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_random_search_matches_the_formula_for_a_unique_optimum():
    # one optimum among 16 bit strings of length 4: P(found in n draws) = 1 - (15/16)^n
    target = np.array([1, 0, 1, 1])
    n, runs = 10, 400
    rng = np.random.default_rng(3)
    hits = [
        random_search(
            lambda b: float(np.sum(b != target)), lambda r: r.integers(0, 2, 4), n, seed=rng
        ).fun
        == 0.0
        for _ in range(runs)
    ]
    p = 1 - (15 / 16) ** n
    assert abs(np.mean(hits) - p) < 4 * np.sqrt(p * (1 - p) / runs)
    res = random_search(lambda b: float(b.sum()), lambda r: r.integers(0, 2, 4), 25, seed=0)
    assert res.n_evaluations == 25 and len(res.trace) == 25 and res.trace[-1] == res.fun
    assert np.all(np.diff(res.trace) <= 0)
    with pytest.raises(TypeError, match="sample"):
        random_search(sphere, 3, 5)
    with pytest.raises(ValueError, match="n_evaluations"):
        random_search(sphere, lambda r: r.random(2), 0)


@pytest.mark.parametrize("budget", [1, 7, 50, 333])
def test_max_evaluations_stops_every_optimiser_exactly(budget):
    box = [(-3.0, 3.0)] * 3
    runs = [
        particle_swarm(
            sphere, box, n_particles=10, n_iterations=100, max_evaluations=budget, seed=1
        ),
        genetic_algorithm(
            sphere,
            box,
            gene_type="real",
            population_size=10,
            n_generations=100,
            max_evaluations=budget,
            seed=1,
        ),
        simulated_annealing(
            sphere, np.ones(3), bounds=box, n_iterations=1000, max_evaluations=budget, seed=1
        ),
    ]
    for res in runs:
        assert res.n_evaluations == budget == len(res.trace)
        assert res.fun == res.trace[-1] == min(res.trace)
        assert sphere(res.x) == res.fun  # the best point is the one evaluated
        assert np.all(np.diff(res.trace) <= 0)


def test_trace_without_budget_ends_at_the_optimisers_best():
    res = particle_swarm(sphere, [(-2, 2)] * 2, n_particles=5, n_iterations=10, seed=2)
    assert len(res.trace) == res.n_evaluations == 55 and res.trace[-1] == res.fun
    with pytest.raises(ValueError, match="max_evaluations"):
        particle_swarm(sphere, [(-2, 2)] * 2, max_evaluations=0)
