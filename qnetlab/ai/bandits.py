"""Multi-armed bandits for dynamic resource allocation: ε-greedy, UCB1, Thompson sampling.

A bandit repeatedly chooses one of ``n_arms`` actions and observes a reward; it must
balance *exploration* (trying arms to learn their mean reward) and *exploitation* (pulling
the arm that looks best). In a quantum network an arm can be a class of entanglement
requests (admit it or not), a memory-allocation rule, or a link to attempt; the reward is
a served request. Qureshi & Tekin (2019) use such online learners for fast dynamic
resource allocation in AI-enabled radio networks, the survey's reference [27].

- :class:`EpsilonGreedy`: the arm with the best sample mean, a uniformly random arm with
  probability ε (Sutton & Barto 2018, §2.2).
- :class:`UCB1` (Auer, Cesa-Bianchi & Fischer 2002): the arm maximising
  ``mean_a + c·sqrt(2 ln t / n_a)``; its regret grows as O(log t).
- :class:`ThompsonSampling` (Thompson 1933; Agrawal & Goyal 2012): a Beta(1 + successes,
  1 + failures) posterior per arm for rewards in [0, 1]; it pulls the arm whose posterior
  sample is largest (a reward r in [0, 1] counts as r successes and 1 − r failures).

Every bandit has the same interface: :meth:`~Bandit.scores` (one number per arm: the
index it ranks arms by), :meth:`~Bandit.select`, :meth:`~Bandit.update` and
:meth:`~Bandit.reset`. Allocation policies use ``scores`` to rank many arms at once.
:func:`run_bandit` plays a bandit against Bernoulli arms and records the regret.

>>> bandit = UCB1(3, seed=0)
>>> result = run_bandit(bandit, [0.2, 0.5, 0.8], n_rounds=2000, seed=1)
>>> int(np.argmax(result.counts))
2
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_non_negative,
    check_probability,
    check_size,
    make_rng,
)
from ..plotting_results import plot_curves
from ..results import ResultMixin

__all__ = [
    "BANDITS",
    "UCB1",
    "Bandit",
    "BanditResult",
    "EpsilonGreedy",
    "ThompsonSampling",
    "make_bandit",
    "run_bandit",
]


class Bandit:
    """Base class: sample counts and means per arm, and the common interface.

    Subclasses define :meth:`scores`. Rewards must lie in [0, 1].

    Parameters
    ----------
    n_arms : int
        Number of arms, at least 1.
    seed : int, numpy.random.Generator or None, optional
        Seed of the bandit's own randomness.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> b = UCB1(3, seed=0)
    >>> isinstance(b, Bandit), b.n_arms, b.counts.tolist()
    (True, 3, [0, 0, 0])
    """

    name = "bandit"

    def __init__(self, n_arms: int, *, seed: SeedLike = None) -> None:
        self.n_arms = check_size(n_arms, "n_arms", minimum=1, maximum=10**6)
        self.rng = make_rng(seed)
        self.reset()

    def reset(self) -> None:
        """Forget everything learned (counts, sums, time)."""
        self.counts = np.zeros(self.n_arms, dtype=np.int64)
        self.sums = np.zeros(self.n_arms)
        self.t = 0

    @property
    def means(self) -> np.ndarray:
        """Sample mean reward per arm (0 for arms never pulled)."""
        return np.divide(self.sums, np.maximum(self.counts, 1))

    def scores(self) -> np.ndarray:
        """One score per arm; the bandit pulls the arm with the highest score."""
        raise NotImplementedError

    def select(self) -> int:
        """The arm to pull now (ties broken at random)."""
        s = np.asarray(self.scores(), dtype=float)
        best = np.flatnonzero(s == s.max())
        return int(best[0] if best.size == 1 else self.rng.choice(best))

    def update(self, arm: int, reward: float) -> None:
        """Record ``reward`` in [0, 1] for ``arm``."""
        a = check_integer(arm, "arm", minimum=0, maximum=self.n_arms - 1)
        r = check_in_range(reward, "reward", 0.0, 1.0)
        self.counts[a] += 1
        self.sums[a] += r
        self.t += 1

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(n_arms={self.n_arms}, pulls={int(self.counts.sum())}, "
            f"means={np.round(self.means, 3).tolist()})"
        )


class EpsilonGreedy(Bandit):
    """ε-greedy: explore a random arm with probability ``epsilon``, else exploit.

    ``scores`` returns the sample means (untried arms score +inf, so each is tried once),
    or, with probability ε, uniformly random scores.

    Parameters
    ----------
    n_arms : int
        Number of arms, at least 1.
    epsilon : float, optional
        Exploration probability ε, in [0, 1].
    seed : int, numpy.random.Generator or None, optional
        Seed of the bandit's own randomness.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> b = EpsilonGreedy(2, epsilon=0.0, seed=0)
    >>> b.update(0, 1.0); b.update(1, 0.0)
    >>> b.select()
    0
    """

    name = "epsilon-greedy"

    def __init__(self, n_arms: int, *, epsilon: float = 0.1, seed: SeedLike = None) -> None:
        self.epsilon = check_probability(epsilon, "epsilon")
        super().__init__(n_arms, seed=seed)

    def scores(self) -> np.ndarray:
        if self.rng.random() < self.epsilon:
            return self.rng.random(self.n_arms)
        return np.where(self.counts == 0, np.inf, self.means)


class UCB1(Bandit):
    """UCB1 (Auer et al. 2002): index ``mean_a + c·sqrt(2 ln t / n_a)``.

    Untried arms have an infinite index, so every arm is pulled once first.

    Parameters
    ----------
    n_arms : int
        Number of arms, at least 1.
    exploration : float, optional
        The factor c, non-negative: ``c = 1`` is the original algorithm; smaller ``c``
        explores less.
    seed : int, numpy.random.Generator or None, optional
        Seed of the bandit's own randomness.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> b = UCB1(2, seed=0)
    >>> b.update(0, 1.0); b.update(1, 0.0); b.update(0, 1.0)
    >>> np.round(b.scores(), 4).tolist()  # t = 3: 1 + sqrt(2 ln 3 / 2), 0 + sqrt(2 ln 3)
    [2.0481, 1.4823]
    """

    name = "UCB1"

    def __init__(self, n_arms: int, *, exploration: float = 1.0, seed: SeedLike = None) -> None:
        self.exploration = check_non_negative(exploration, "exploration")
        super().__init__(n_arms, seed=seed)

    def scores(self) -> np.ndarray:
        t = max(self.t, 1)
        bonus = self.exploration * np.sqrt(2.0 * math.log(t) / np.maximum(self.counts, 1))
        return np.where(self.counts == 0, np.inf, self.means + bonus)


class ThompsonSampling(Bandit):
    """Beta–Bernoulli Thompson sampling: score = a sample of each arm's Beta posterior.

    Parameters
    ----------
    n_arms : int
        Number of arms, at least 1.
    prior_successes, prior_failures : float, optional
        The prior Beta(``prior_successes``, ``prior_failures``), both positive; uniform by
        default.
    seed : int, numpy.random.Generator or None, optional
        Seed of the bandit's own randomness.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> b = ThompsonSampling(2, seed=0)
    >>> for _ in range(20):
    ...     b.update(0, 1.0); b.update(1, 0.0)
    >>> b.select()
    0
    """

    name = "Thompson sampling"

    def __init__(
        self,
        n_arms: int,
        *,
        prior_successes: float = 1.0,
        prior_failures: float = 1.0,
        seed: SeedLike = None,
    ) -> None:
        self.prior = (
            check_in_range(prior_successes, "prior_successes", 0.0, low_inclusive=False),
            check_in_range(prior_failures, "prior_failures", 0.0, low_inclusive=False),
        )
        super().__init__(n_arms, seed=seed)

    def posterior(self) -> tuple[np.ndarray, np.ndarray]:
        """Beta parameters (alpha, beta) per arm."""
        return self.prior[0] + self.sums, self.prior[1] + self.counts - self.sums

    def scores(self) -> np.ndarray:
        a, b = self.posterior()
        return self.rng.beta(a, b)


#: The bandits :func:`make_bandit` builds, by name (read-only).
BANDITS: Mapping[str, type[Bandit]] = MappingProxyType(
    {"ucb": UCB1, "thompson": ThompsonSampling, "epsilon": EpsilonGreedy}
)


def make_bandit(kind: str, n_arms: int, *, seed: SeedLike = None, **options: float) -> Bandit:
    """Build a bandit by name: ``"ucb"``, ``"thompson"`` or ``"epsilon"``.

    Parameters
    ----------
    kind : str
        A key of :data:`BANDITS`.
    n_arms : int
        Number of arms.
    seed : int, numpy.random.Generator or None, optional
        Seed of the bandit's own randomness.
    **options : float
        Passed to the bandit (``epsilon=``, ``exploration=``, priors).

    Returns
    -------
    Bandit
        The new bandit.

    Raises
    ------
    ValueError
        If ``kind`` is unknown or an option is out of range.

    Examples
    --------
    >>> make_bandit("thompson", 4, seed=0).name
    'Thompson sampling'
    """
    check_choice(kind, "kind", tuple(BANDITS))
    return BANDITS[kind](n_arms, seed=seed, **options)


@dataclass(frozen=True, eq=False)
class BanditResult(ResultMixin):
    """A bandit run against Bernoulli arms.

    Parameters
    ----------
    arms : numpy.ndarray
        The arm pulled in each round.
    rewards : numpy.ndarray
        The reward of each round.
    regret : numpy.ndarray
        Cumulative pseudo-regret ``Σ_t (μ* − μ_{a_t})`` after each round.
    counts : numpy.ndarray
        Pulls per arm.
    name : str
        The bandit's name.

    Examples
    --------
    >>> r = run_bandit(UCB1(2, seed=0), [0.2, 0.8], 100, seed=0)
    >>> r.arms.shape, int(r.counts.sum())
    ((100,), 100)
    """

    arms: np.ndarray
    rewards: np.ndarray
    regret: np.ndarray
    counts: np.ndarray
    name: str

    def __repr__(self) -> str:
        return (
            f"BanditResult(name={self.name!r}, rounds={self.arms.size}, "
            f"mean_reward={self.rewards.mean():.4g}, final_regret={self.regret[-1]:.4g}, "
            f"counts={self.counts.tolist()})"
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Cumulative regret against round; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        labels = {"xlabel": "round", "ylabel": "cumulative regret (expected reward lost)"}
        return plot_curves({self.name: self.regret}, ax=ax, **labels, **kwargs)


def run_bandit(
    bandit: Bandit,
    probabilities: Sequence[float],
    n_rounds: int,
    *,
    seed: SeedLike = None,
    progress: bool = False,
) -> BanditResult:
    """Play ``bandit`` for ``n_rounds`` against Bernoulli arms with success ``probabilities``.

    The bandit is reset first. Rewards are drawn with ``seed`` (the bandit's own
    randomness comes from the seed it was built with).

    Parameters
    ----------
    bandit : Bandit
        The learner (reset before the run).
    probabilities : sequence of float
        Success probability of each arm, in [0, 1] (one per arm).
    n_rounds : int
        Number of rounds, at least 1.
    seed : int, numpy.random.Generator or None, optional
        Seed of the rewards.
    progress : bool, optional
        Show a tqdm bar.

    Returns
    -------
    BanditResult
        Arms, rewards, regret and counts of the run.

    Raises
    ------
    TypeError
        If ``bandit`` is not a :class:`Bandit`.
    ValueError
        If ``probabilities`` does not give one probability per arm or ``n_rounds`` < 1.

    Examples
    --------
    >>> r = run_bandit(ThompsonSampling(2, seed=0), [0.1, 0.9], 500, seed=0)
    >>> bool(r.regret[-1] < 0.8 * 50)  # far below the 0.4 per round of random pulls
    True
    """
    if not isinstance(bandit, Bandit):
        raise TypeError(f"bandit must be a qnetlab Bandit, got {type(bandit).__name__}")
    p = np.array([check_probability(x, "probabilities") for x in probabilities])
    if p.size != bandit.n_arms:
        raise ValueError(
            f"probabilities must have one entry per arm ({bandit.n_arms}), got {p.size}"
        )
    n_rounds = check_size(
        n_rounds, "n_rounds", minimum=1, maximum=10**7, hint="run the bandit in several calls"
    )
    rng = make_rng(seed)
    bandit.reset()
    arms = np.empty(n_rounds, dtype=np.int64)
    rewards = np.empty(n_rounds)
    rounds = range(n_rounds)
    if progress:
        from tqdm.auto import tqdm

        rounds = tqdm(rounds, desc=bandit.name)
    for t in rounds:
        a = bandit.select()
        r = float(rng.random() < p[a])
        bandit.update(a, r)
        arms[t], rewards[t] = a, r
    regret = np.cumsum(p.max() - p[arms])
    return BanditResult(
        arms=arms, rewards=rewards, regret=regret, counts=bandit.counts.copy(), name=bandit.name
    )
