"""AI methods for quantum networks: optimisers (GA, SA, PSO, exhaustive search),
reinforcement learning (tabular Q-learning, a NumPy deep Q-network) and bandits.

>>> import numpy as np
>>> from qnetlab import ai
>>> res = ai.particle_swarm(lambda x: float(np.sum(x**2)), [(-1, 1), (-1, 1)], seed=0)
>>> res.fun < 1e-6
True
"""

from __future__ import annotations

from .bandits import (
    UCB1,
    Bandit,
    BanditResult,
    EpsilonGreedy,
    ThompsonSampling,
    make_bandit,
    run_bandit,
)
from .optimizers import (
    OptimizeResult,
    box_neighbour,
    exhaustive_search,
    genetic_algorithm,
    particle_swarm,
    simulated_annealing,
)
from .rl import (
    MLP,
    DQNAgent,
    QLearningAgent,
    ReplayBuffer,
    TrainingHistory,
    evaluate_policy,
    train_dqn,
    train_q_learning,
)

__all__ = [
    "MLP",
    "UCB1",
    "Bandit",
    "BanditResult",
    "DQNAgent",
    "EpsilonGreedy",
    "OptimizeResult",
    "QLearningAgent",
    "ReplayBuffer",
    "ThompsonSampling",
    "TrainingHistory",
    "box_neighbour",
    "evaluate_policy",
    "exhaustive_search",
    "genetic_algorithm",
    "make_bandit",
    "particle_swarm",
    "run_bandit",
    "simulated_annealing",
    "train_dqn",
    "train_q_learning",
]
