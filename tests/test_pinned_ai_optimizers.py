"""qnetlab.ai.optimizers pinned: each update rule replayed from the same random stream.

Issue 21. Kennedy & Eberhart (1995) with the inertia weight of Shi & Eberhart (1998) for
the swarm; the Metropolis rule of Kirkpatrick, Gelatt & Vecchi (1983) with geometric
cooling; tournament selection, uniform and BLX-0.5 crossover and per-gene mutation
(Goldberg 1989; Eshelman & Schaffer 1993). The references below are written from those
rules, drawing the documented random numbers in the documented order.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from qnetlab.ai import optimizers as op


def linear(x):
    return float(np.dot([1.0, -2.0, 0.5], x))


def test_particle_swarm_replays_the_update_rule():
    bounds = [(-1.0, 2.0), (0.0, 1.0), (-3.0, -1.0)]
    low = np.array([b[0] for b in bounds])
    high = np.array([b[1] for b in bounds])
    width = high - low
    n, iters, w, c1, c2 = 5, 7, 0.6, 1.3, 1.9
    res = op.particle_swarm(
        linear,
        bounds,
        n_particles=n,
        n_iterations=iters,
        inertia=w,
        cognitive=c1,
        social=c2,
        seed=11,
    )
    rng = np.random.default_rng(11)
    x = low + rng.random((n, 3)) * width
    v = (rng.random((n, 3)) * 2 - 1) * width * 0.1
    p = x.copy()
    pv = np.array([linear(xi) for xi in x])
    g = p[np.argmin(pv)].copy()
    gv = pv.min()
    history = []
    for _ in range(iters):
        r1, r2 = rng.random((n, 3)), rng.random((n, 3))
        v = np.clip(w * v + c1 * r1 * (p - x) + c2 * r2 * (g - x), -width, width)
        x = np.clip(x + v, low, high)
        vals = np.array([linear(xi) for xi in x])
        better = vals < pv
        p[better], pv[better] = x[better], vals[better]
        if pv.min() < gv:
            g, gv = p[np.argmin(pv)].copy(), pv.min()
        history.append(gv)
    np.testing.assert_allclose(res.history, history, rtol=1e-12)
    np.testing.assert_allclose(res.x, g, rtol=1e-12)
    assert res.fun == pytest.approx(gv) and res.n_evaluations == n * (iters + 1)
    assert res.trace.size == res.n_evaluations and res.trace[-1] == res.fun
    assert np.all(np.diff(res.trace) <= 0)
    assert res.method == "particle_swarm"


def test_particle_swarm_budget_mid_iteration():
    res = op.particle_swarm(
        linear, [(0, 1)] * 3, n_particles=4, n_iterations=10, max_evaluations=6, seed=0
    )
    assert res.n_evaluations == 6 and len(res.history) == 0 and res.trace.size == 6
    res = op.particle_swarm(
        linear, [(0, 1)] * 3, n_particles=4, n_iterations=10, max_evaluations=8, seed=0
    )
    assert res.n_evaluations == 8 and len(res.history) == 1


def test_simulated_annealing_replays_metropolis():
    # A deterministic neighbour (a cyclic step) on a rugged 1-D landscape: the only random
    # numbers are the Metropolis draws, one per uphill move.
    land = np.array([5.0, 3.0, 4.0, 1.0, 2.5, 0.5, 3.5, 0.0, 6.0, 2.0])

    def f(x):
        return float(land[int(x[0])])

    def step(x, rng):
        return np.array([(int(x[0]) + 1) % land.size])

    t0, alpha, iters = 2.0, 0.9, 40
    res = op.simulated_annealing(
        f, [0], neighbour=step, n_iterations=iters, initial_temperature=t0, cooling=alpha, seed=5
    )
    rng = np.random.default_rng(5)
    x, fx, t = 0, land[0], t0
    best, history = fx, []
    for _ in range(iters):
        y = (x + 1) % land.size
        delta = land[y] - fx
        if delta <= 0 or rng.random() < math.exp(-delta / t):
            x, fx = y, land[y]
            best = min(best, fx)
        history.append(best)
        t *= alpha
    np.testing.assert_array_equal(res.history, history)
    assert res.fun == min(history) and res.n_evaluations == iters + 1


def test_simulated_annealing_default_schedule():
    # cooling None: T falls to ratio · T0 at the last step, α = ratio^(1/(n − 1)); with a
    # huge T0 every move is accepted, so the walk visits every neighbour.
    seen = []

    def f(x):
        seen.append(float(x[0]))
        return float(x[0])

    res = op.simulated_annealing(
        f, [0.0], neighbour=lambda x, r: x + 1.0, n_iterations=30, initial_temperature=1e9, seed=0
    )
    assert seen == [float(k) for k in range(31)]  # uphill every time: all accepted
    assert res.fun == 0.0 and res.x.tolist() == [0.0]
    # T0 estimated from a 20-step walk (every move taken, x0 → 20): its evaluations count
    # and its best point is kept, while the annealing itself restarts from x0.
    res = op.simulated_annealing(
        lambda x: -float(x[0]), [0.0], neighbour=lambda x, r: x + 1.0, n_iterations=1, seed=0
    )
    assert res.n_evaluations == 1 + 20 + 1
    assert res.fun == -20.0 and res.x.tolist() == [20.0]
    # flat objective: no |Δ| sampled, T0 = 1
    flat = op.simulated_annealing(
        lambda x: 1.0, [0.0], neighbour=lambda x, r: x + 1.0, n_iterations=3, seed=0
    )
    assert flat.fun == 1.0 and flat.n_evaluations == 24
    for ratio in (0.0, 1.5):
        with pytest.raises(ValueError, match="final_temperature_ratio"):
            op.simulated_annealing(
                linear, [0.5] * 3, bounds=[(0, 1)] * 3, final_temperature_ratio=ratio
            )
    with pytest.raises(ValueError, match="step"):
        op.simulated_annealing(linear, [0.5] * 3, bounds=[(0, 1)] * 3, step=0.0)


def test_simulated_annealing_box_steps_shrink():
    # The box neighbour's step shrinks as sqrt(T_k/T0): late moves are much smaller.
    xs = []

    def f(x):
        xs.append(float(x[0]))
        return float((x[0] - 0.3) ** 2)

    op.simulated_annealing(
        f,
        [0.5],
        bounds=[(0.0, 1.0)],
        step=0.2,
        n_iterations=400,
        initial_temperature=1.0,
        final_temperature_ratio=1e-4,
        seed=2,
    )
    moves = np.abs(np.diff(xs))
    assert np.all((np.array(xs) >= 0) & (np.array(xs) <= 1))
    assert moves[:50].mean() > 10 * moves[-50:].mean()


def test_box_neighbour():
    nb = op.box_neighbour([(0.0, 10.0), (-1.0, 1.0)], step=0.05)
    rng = np.random.default_rng(0)
    steps = np.array([nb(np.array([5.0, 0.0]), rng) - [5.0, 0.0] for _ in range(4000)])
    np.testing.assert_allclose(steps.std(axis=0), [0.5, 0.1], rtol=0.05)
    edge = np.array([nb(np.array([10.0, 1.0]), rng) for _ in range(200)])
    assert edge[:, 0].max() == 10.0 and edge[:, 1].max() == 1.0
    with pytest.raises(ValueError, match="step"):
        op.box_neighbour([(0, 1)], step=0)


def record(fn):
    calls = []

    def g(x):
        calls.append(np.array(x, copy=True))
        return fn(x)

    return g, calls


def test_ga_pure_mutation_flips_every_bit():
    # crossover 0 and mutation 1, no elitism: every child is the complement of a tournament
    # winner, and a tournament of the whole population that happens to draw every member
    # returns the best one.
    init = np.array([[1, 0, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1]])
    f, calls = record(lambda x: float(x.sum()))
    res = op.genetic_algorithm(
        f,
        4,
        population_size=3,
        n_generations=1,
        crossover_rate=0.0,
        mutation_rate=1.0,
        elitism=0,
        tournament_size=1,
        initial_population=init,
        seed=0,
    )
    evaluated = np.array(calls)
    np.testing.assert_array_equal(evaluated[:3], init)
    complements = {tuple(1 - r) for r in init}
    assert all(tuple(c) in complements for c in evaluated[3:])
    assert res.n_evaluations == 6 and res.history.size == 1
    assert res.fun == min(float(c.sum()) for c in evaluated)


def test_ga_elitism_keeps_the_best_unevaluated():
    init = np.array([[0, 1], [1, 1], [1, 0], [0, 0]])
    f, calls = record(lambda x: float(x[0] + 2 * x[1]))
    res = op.genetic_algorithm(
        f,
        2,
        population_size=4,
        n_generations=3,
        elitism=2,
        crossover_rate=1.0,
        mutation_rate=0.5,
        initial_population=init,
        seed=1,
    )
    # each generation evaluates only the 4 − 2 new children
    assert res.n_evaluations == 4 + 3 * 2 == len(calls)
    assert res.fun == 0.0 and np.all(np.diff(res.history) <= 0)


def test_ga_without_variation_never_leaves_the_initial_population():
    init = np.array([[2, 7], [5, 1], [9, 9], [0, 3], [4, 4]])
    f, calls = record(lambda x: float(abs(x[0] - 3) + abs(x[1] - 3)))
    res = op.genetic_algorithm(
        f,
        [(0, 9), (0, 9)],
        gene_type="integer",
        population_size=5,
        n_generations=4,
        crossover_rate=0.0,
        mutation_rate=0.0,
        elitism=1,
        tournament_size=2,
        initial_population=init,
        seed=3,
    )
    rows = {tuple(r) for r in init}
    assert all(tuple(c) in rows for c in calls)
    assert res.fun == 2.0 and tuple(res.x) in {(4, 4), (2, 7)} - {(2, 7)}


def test_ga_integer_mutation_reaches_both_bounds():
    f, calls = record(lambda x: 0.0)
    op.genetic_algorithm(
        f,
        [(2, 4), (-1, 0)],
        gene_type="integer",
        population_size=10,
        n_generations=30,
        mutation_rate=1.0,
        seed=4,
    )
    vals = np.array(calls)
    assert set(vals[:, 0]) == {2, 3, 4} and set(vals[:, 1]) == {-1, 0}


def test_ga_real_blx_crossover_range():
    # Parents 0.4 and 0.6: BLX-0.5 children are uniform on [0.3, 0.7] (span 0.2 widened
    # by half a span each side); a parent paired with itself is copied.
    init = np.array([[0.4], [0.6]] * 100)
    f, calls = record(lambda x: 0.0)
    op.genetic_algorithm(
        f,
        [(0.0, 1.0)],
        gene_type="real",
        population_size=200,
        n_generations=1,
        crossover_rate=1.0,
        mutation_rate=0.0,
        elitism=0,
        tournament_size=1,
        initial_population=init,
        seed=5,
    )
    kids = np.array(calls[200:])[:, 0]
    assert kids.min() >= 0.3 - 1e-12 and kids.max() <= 0.7 + 1e-12
    assert kids.min() < 0.32 and kids.max() > 0.68
    # real mutation: Gaussian of mutation_scale × width, clipped to the box
    f, calls = record(lambda x: 0.0)
    op.genetic_algorithm(
        f,
        [(0.0, 10.0)],
        gene_type="real",
        population_size=400,
        n_generations=1,
        crossover_rate=0.0,
        mutation_rate=1.0,
        elitism=0,
        tournament_size=1,
        mutation_scale=0.02,
        initial_population=np.full((400, 1), 5.0),
        seed=6,
    )
    steps = np.array(calls[400:])[:, 0] - 5.0
    assert steps.std() == pytest.approx(0.2, rel=0.15)


def test_ga_validation():
    with pytest.raises(ValueError, match="initial_population must lie inside the gene bounds"):
        op.genetic_algorithm(
            linear,
            [(0, 1)] * 3,
            gene_type="real",
            population_size=2,
            elitism=0,
            tournament_size=2,
            initial_population=[[0, 0, 2], [0, 0, 0]],
        )
    with pytest.raises(ValueError, match="tournament_size"):
        op.genetic_algorithm(linear, 3, population_size=4, tournament_size=5)
    with pytest.raises(ValueError, match="tournament_size"):
        op.genetic_algorithm(linear, 3, population_size=4, tournament_size=0)
    with pytest.raises(ValueError, match="mutation_scale"):
        op.genetic_algorithm(linear, 3, mutation_scale=0.0)
    with pytest.raises(ValueError, match="n_generations"):
        op.genetic_algorithm(linear, 3, n_generations=0)
    res = op.genetic_algorithm(
        linear,
        [(0, 1)] * 3,
        population_size=2,
        elitism=1,
        tournament_size=2,
        n_generations=1,
        seed=0,
    )
    assert res.n_evaluations == 3
    assert op.genetic_algorithm(lambda x: 0.0, 2, seed=0).x.size == 2
    with pytest.raises(ValueError, match="genes"):
        op.genetic_algorithm(linear, [(0, 1), (0, 2)])


def test_bounds_and_counter_validation():
    with pytest.raises(TypeError, match="bounds must be a sequence of \\(low, high\\) pairs"):
        op.particle_swarm(linear, [("a", "b")])
    with pytest.raises(ValueError, match=r"got shape \(3,\)"):
        op.particle_swarm(linear, [0, 1, 2])
    with pytest.raises(ValueError, match=r"bounds\[1\] must satisfy low < high"):
        op.particle_swarm(linear, [(0, 1), (1, 1)])
    with pytest.raises(ValueError, match="bounds must be finite"):
        op.particle_swarm(linear, [(0, np.nan)])
    with pytest.raises(ValueError, match="max_evaluations"):
        op.particle_swarm(linear, [(0, 1)] * 3, max_evaluations=0)
    with pytest.raises(TypeError, match="objective must return a real number, got list"):
        op.random_search(lambda x: [1, 2], lambda r: r.random(), 3)
    with pytest.raises(ValueError, match="objective returned NaN"):
        op.random_search(lambda x: math.nan, lambda r: r.random(), 3)
    # +inf is a legitimate (infeasible) value, not an error
    res = op.random_search(lambda x: math.inf, lambda r: r.random(), 3, seed=0)
    assert res.fun == math.inf and res.x is not None


def test_exhaustive_search_edges():
    f, calls = record(lambda x: float(np.sum((np.asarray(x) - 1) ** 2)))
    res = op.exhaustive_search(f, [(0, 2), (-1, 1)], integer_bounds=True)
    assert len(calls) == 9 and res.x.tolist() == [1, 1] and res.fun == 0.0
    assert res.history.tolist() == res.trace.tolist() and len(res.history) == 9
    # ties keep the first candidate
    tie = op.exhaustive_search(lambda x: 0.0, [(1,), (2,), (3,)])
    assert tie.x.tolist() == [1] and tie.n_evaluations == 3
    # exactly max_candidates candidates is allowed
    ok = op.exhaustive_search(
        lambda x: float(x[0]), [(0, 9)], integer_bounds=True, max_candidates=10
    )
    assert ok.n_evaluations == 10 and ok.fun == 0.0
    ok = op.exhaustive_search(lambda x: float(x[0]), ((k,) for k in range(10)), max_candidates=10)
    assert ok.n_evaluations == 10
    with pytest.raises(ValueError, match="integer bounds"):
        op.exhaustive_search(linear, [(0, 1.5)], integer_bounds=True)
    with pytest.raises(TypeError, match="iterable of candidate states"):
        op.exhaustive_search(linear, "abc")
    with pytest.raises(ValueError, match="max_candidates"):
        op.exhaustive_search(linear, [(0,)], max_candidates=0)
    prod = op.exhaustive_search(lambda x: -float(np.sum(x)), itertools.product((0, 1), repeat=3))
    assert prod.x.tolist() == [1, 1, 1] and prod.fun == -3.0


def test_random_search_and_results():
    f, calls = record(lambda x: float(x))
    res = op.random_search(f, lambda r: r.integers(0, 100), 50, seed=9)
    vals = [float(c) for c in calls]
    assert res.fun == min(vals) and len(vals) == 50 == res.n_evaluations
    np.testing.assert_array_equal(res.history, np.minimum.accumulate(vals))
    with pytest.raises(TypeError, match="sample must be callable, got int"):
        op.random_search(linear, 3, 5)
    with pytest.raises(ValueError, match="n_evaluations"):
        op.random_search(linear, lambda r: r.random(3), 0)
    r = op.OptimizeResult(np.arange(12), 1.0, np.zeros(3), 5)
    assert "x=array of shape (12,)" in repr(r) and "method='OptimizeResult'" in repr(r)
    r = op.OptimizeResult(np.array([1.0, 2.0]), 0.5, np.zeros(2), 4, "pso")
    assert repr(r) == (
        "OptimizeResult(method='pso', fun=0.5, x=[1., 2.], n_iterations=2, n_evaluations=4)"
    )


def test_ga_documented_defaults():
    # elitism = 2 (so a generation of 3 evaluates one new child) and tournament_size = 3
    # (allowed with a population of 3, refused with 2 unless given).
    res = op.genetic_algorithm(
        lambda x: float(x.sum()), 4, population_size=3, n_generations=5, seed=0
    )
    assert res.n_evaluations == 3 + 5 * 1 and res.history.size == 5
    with pytest.raises(ValueError, match="elitism"):
        op.genetic_algorithm(lambda x: 0.0, 4, population_size=2)
    with pytest.raises(ValueError, match=r"tournament_size must be an integer in \[1, 2\], got 3"):
        op.genetic_algorithm(lambda x: 0.0, 4, population_size=2, elitism=0)


def test_particle_swarm_keeps_personal_bests_on_ties():
    # A staircase objective has plateaus: a particle's best moves only on a strict
    # improvement (replayed as in test_particle_swarm_replays_the_update_rule, comparing
    # every evaluated point).
    def stairs(x):
        return float(np.floor(3 * x).sum())

    low, high, n, iters = np.zeros(2), np.ones(2), 6, 8
    f, calls = record(stairs)
    res = op.particle_swarm(f, [(0, 1), (0, 1)], n_particles=n, n_iterations=iters, seed=3)
    seen = []
    rng = np.random.default_rng(3)
    x = low + rng.random((n, 2))
    v = (rng.random((n, 2)) * 2 - 1) * 0.1
    seen += list(x)
    p, pv = x.copy(), np.array([stairs(xi) for xi in x])
    g, gv = p[np.argmin(pv)].copy(), pv.min()
    for _ in range(iters):
        r1, r2 = rng.random((n, 2)), rng.random((n, 2))
        v = np.clip(0.7 * v + 1.5 * r1 * (p - x) + 1.5 * r2 * (g - x), -1.0, 1.0)
        x = np.clip(x + v, low, high)
        seen += list(x)
        vals = np.array([stairs(xi) for xi in x])
        better = vals < pv
        p[better], pv[better] = x[better], vals[better]
        if pv.min() < gv:
            g, gv = p[np.argmin(pv)].copy(), pv.min()
    np.testing.assert_allclose(np.array(calls), np.array(seen), rtol=1e-12)
    np.testing.assert_allclose(res.x, g, rtol=1e-12)
    assert res.fun == gv


def test_simulated_annealing_default_cooling_reaches_the_final_ratio():
    # cooling None: α = ratio^(1/(n − 1)), so the last proposal sees T0 · ratio. Short walks
    # (where α matters most) on a random cyclic landscape, each replayed exactly: every
    # proposed state depends on every acceptance before it.
    land = np.random.default_rng(0).random(37)
    for iters in (2, 3, 5, 40):
        for seed in range(25):
            f, calls = record(lambda x: float(land[int(x[0])]))
            res = op.simulated_annealing(
                f,
                [0],
                neighbour=lambda x, r: np.array([(int(x[0]) + 1) % 37]),
                n_iterations=iters,
                initial_temperature=10.0,
                final_temperature_ratio=1e-3,
                seed=seed,
            )
            alpha = 1e-3 ** (1 / (iters - 1))
            rng = np.random.default_rng(seed)
            x, fx, t, best, history, states = 0, land[0], 10.0, land[0], [], [0]
            for _ in range(iters):
                y = (x + 1) % 37
                states.append(y)
                delta = land[y] - fx
                if delta <= 0 or rng.random() < math.exp(-delta / t):
                    x, fx = y, land[y]
                    best = min(best, fx)
                history.append(best)
                t *= alpha
            np.testing.assert_array_equal(res.history, history)
            assert [int(c[0]) for c in calls] == states


def test_ga_default_mutation_scale_is_a_tenth_of_the_width():
    f, calls = record(lambda x: 0.0)
    op.genetic_algorithm(
        f,
        [(0.0, 10.0)],
        gene_type="real",
        population_size=400,
        n_generations=1,
        crossover_rate=0.0,
        mutation_rate=1.0,
        elitism=0,
        tournament_size=1,
        initial_population=np.full((400, 1), 5.0),
        seed=7,
    )
    steps = np.array(calls[400:])[:, 0] - 5.0
    assert steps.std() == pytest.approx(1.0, rel=0.15)


def test_exhaustive_box_size_is_the_product_of_the_ranges(capsys):
    # The box [2, 4] × [10, 12] holds 3 · 3 = 9 integer vectors: max_candidates = 9 is
    # enough, 8 is refused up front with that count.
    box = [(2, 4), (10, 12)]
    res = op.exhaustive_search(
        lambda x: float((x[0] - 3) ** 2 + (x[1] - 11) ** 2),
        box,
        integer_bounds=True,
        max_candidates=9,
    )
    assert res.x.tolist() == [3, 11] and res.fun == 0.0 and res.n_evaluations == 9
    with pytest.raises(ValueError, match="the box holds 9 candidates"):
        op.exhaustive_search(lambda x: 0.0, box, integer_bounds=True, max_candidates=8)
    # no progress bar unless asked for: the search writes nothing
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
