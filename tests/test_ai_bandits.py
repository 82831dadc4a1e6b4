"""Tests of qnetlab.ai.bandits: index formulas, regret bounds, reproducibility, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab.ai.bandits import (
    UCB1,
    Bandit,
    BanditResult,
    EpsilonGreedy,
    ThompsonSampling,
    make_bandit,
    run_bandit,
)

P = [0.2, 0.5, 0.8]


def test_ucb1_index_matches_auer_formula():
    """Auer, Cesa-Bianchi & Fischer (2002), UCB1: x̄_j + sqrt(2 ln n / n_j)."""
    b = UCB1(3, seed=0)
    rewards = {0: [1, 0, 1], 1: [0, 0], 2: [1]}
    for arm, rs in rewards.items():
        for r in rs:
            b.update(arm, r)
    n = 6
    expected = [np.mean(rs) + math.sqrt(2 * math.log(n) / len(rs)) for rs in rewards.values()]
    assert np.allclose(b.scores(), expected)


def test_untried_arms_first():
    for cls in (UCB1, EpsilonGreedy):
        b = cls(4, seed=1)
        seen = set()
        for _ in range(4):
            a = b.select()
            seen.add(a)
            b.update(a, 0.0)
        assert seen == {0, 1, 2, 3}


def test_thompson_posterior_is_beta_counts():
    b = ThompsonSampling(2, seed=0)
    for r in (1, 1, 0, 1):
        b.update(0, r)
    alpha, beta = b.posterior()
    assert alpha.tolist() == [4.0, 1.0] and beta.tolist() == [2.0, 1.0]
    draws = np.array([b.scores()[0] for _ in range(4000)])
    assert abs(draws.mean() - 4 / 6) < 4 * math.sqrt((4 * 2) / (6**2 * 7) / 4000)


def test_ucb1_regret_below_auer_bound():
    """Auer et al. (2002), Theorem 1: E[regret] <= Σ 8 ln n / Δ_j + (1 + π²/3) Σ Δ_j."""
    n = 3000
    gaps = [0.8 - p for p in P if p < 0.8]
    bound = sum(8 * math.log(n) / d for d in gaps) + (1 + math.pi**2 / 3) * sum(gaps)
    regrets = [run_bandit(UCB1(3, seed=s), P, n, seed=100 + s).regret[-1] for s in range(3)]
    assert np.mean(regrets) < bound
    assert np.mean(regrets) < 0.1 * n * np.mean(gaps)  # far below uniform play


def test_thompson_and_epsilon_learn_best_arm():
    n = 3000
    ts = run_bandit(ThompsonSampling(3, seed=1), P, n, seed=2)
    eg = run_bandit(EpsilonGreedy(3, epsilon=0.1, seed=1), P, n, seed=2)
    for r in (ts, eg):
        assert int(np.argmax(r.counts)) == 2
        assert r.counts.sum() == n
        assert np.all(np.diff(r.regret) >= 0)
    # ε-greedy keeps exploring: about ε·(2/3) of the rounds on a worse arm
    worse = eg.counts[:2].sum() / n
    assert 0.03 < worse < 0.2
    assert ts.regret[-1] < eg.regret[-1]


def test_epsilon_one_is_uniform():
    r = run_bandit(EpsilonGreedy(3, epsilon=1.0, seed=0), P, 3000, seed=0)
    # after the first pulls every round is uniform: each arm ~1/3 within 4 standard errors
    se = math.sqrt((1 / 3) * (2 / 3) / 3000)
    assert np.all(np.abs(r.counts / 3000 - 1 / 3) < 4 * se + 1e-3)


def test_reproducible_and_repr():
    a = run_bandit(ThompsonSampling(3, seed=4), P, 300, seed=5)
    b = run_bandit(ThompsonSampling(3, seed=4), P, 300, seed=5)
    c = run_bandit(ThompsonSampling(3, seed=6), P, 300, seed=5)
    assert np.array_equal(a.arms, b.arms) and not np.array_equal(a.arms, c.arms)
    assert isinstance(a, BanditResult)
    assert "Thompson" in repr(a) and "final_regret" in repr(a)
    assert "pulls=" in repr(ThompsonSampling(2, seed=0))


@settings(max_examples=20, deadline=None)
@given(
    kind=st.sampled_from(["ucb", "thompson", "epsilon"]),
    n_arms=st.integers(1, 6),
    seed=st.integers(0, 1000),
)
def test_bandit_bookkeeping(kind, n_arms, seed):
    b = make_bandit(kind, n_arms, seed=seed)
    assert isinstance(b, Bandit)
    rng = np.random.default_rng(seed)
    for _ in range(30):
        a = b.select()
        assert 0 <= a < n_arms
        b.update(a, float(rng.random()))
    assert b.counts.sum() == 30 and b.t == 30
    assert b.scores().shape == (n_arms,)
    assert np.all((b.means >= 0) & (b.means <= 1))
    b.reset()
    assert b.counts.sum() == 0


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: UCB1(0), ValueError, "n_arms"),
        (lambda: UCB1(2.5), TypeError, "n_arms"),
        (lambda: UCB1(2, exploration=-1), ValueError, "exploration"),
        (lambda: EpsilonGreedy(2, epsilon=1.5), ValueError, "epsilon"),
        (lambda: ThompsonSampling(2, prior_successes=0), ValueError, "prior_successes"),
        (lambda: UCB1(2).update(2, 1.0), ValueError, "arm"),
        (lambda: UCB1(2).update(0, 1.5), ValueError, "reward"),
        (lambda: make_bandit("exp3", 2), ValueError, "kind"),
        (lambda: run_bandit(UCB1(2), [0.5], 10), ValueError, "one entry per arm"),
        (lambda: run_bandit(UCB1(2), [0.5, 1.2], 10), ValueError, "probabilities"),
        (lambda: run_bandit(UCB1(2), [0.5, 0.2], 0), ValueError, "n_rounds"),
        (lambda: run_bandit("ucb", [0.5, 0.2], 5), TypeError, "Bandit"),
        (lambda: UCB1(2, seed="x"), TypeError, "seed"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
