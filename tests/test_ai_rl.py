"""Tests of qnetlab.ai.rl: tabular Q-learning, the NumPy MLP, replay, the DQN router."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab.ai.rl import (
    MLP,
    DQNAgent,
    QLearningAgent,
    ReplayBuffer,
    TrainingHistory,
    evaluate_policy,
    train_dqn,
    train_q_learning,
)
from qnetlab.network.envs import RoutingEnv
from qnetlab.network.routing import optimal_path
from qnetlab.network.topologies import metro_mesh, waxman_network

# --- tabular Q-learning -----------------------------------------------------------------


class ChainMDP:
    """States 0..n-1 on a line; action 1 moves right, 0 ends the episode with reward 0.

    Reaching state n-1 pays 1. Q*(s, 1) = gamma^(n-2-s) (Sutton & Barto 2018, Bellman
    optimality), Q*(s, 0) = 0.
    """

    def __init__(self, n: int = 5) -> None:
        self.n = n

    def reset(self, *, seed=None):
        self.s = 0
        return np.ones((2, 1)), {}

    def step(self, a):
        if a == 0:
            return np.ones((2, 1)), 0.0, True, False, {}
        self.s += 1
        done = self.s == self.n - 1
        return np.ones((2, 1)), 1.0 if done else 0.0, done, False, {}


def test_q_learning_converges_to_bellman_optimal_values():
    env, gamma = ChainMDP(5), 0.9
    agent = QLearningAgent(2, alpha=0.5, gamma=gamma, epsilon=0.3, seed=0)
    train_q_learning(env, agent, 600, state_fn=lambda e, info: e.s, seed=1)
    for s in range(4):
        assert agent.values(s)[1] == pytest.approx(gamma ** (3 - s), abs=1e-3)
        assert agent.values(s)[0] == pytest.approx(0.0, abs=1e-9)
        assert agent.act(s, greedy=True) == 1


def test_q_learning_update_is_the_watkins_rule():
    agent = QLearningAgent(3, alpha=0.25, gamma=0.5, epsilon=0.0, seed=0)
    agent.values("b")[:] = [1.0, 4.0, 2.0]
    td = agent.update("a", 2, 1.0, "b", False, next_mask=np.array([True, False, True]))
    # target = r + gamma * max over allowed next actions = 1 + 0.5 * 2
    assert td == pytest.approx(2.0)
    assert agent.values("a")[2] == pytest.approx(0.25 * 2.0)
    assert agent.act("b", mask=np.array([True, False, True]), greedy=True) == 2


def test_tabular_router_learns_one_topology_but_has_no_table_for_another():
    g = metro_mesh(8, seed=0)
    env = RoutingEnv([g], mode="next_hop", seed=0)
    agent = QLearningAgent(env.action_space.n, alpha=0.5, gamma=1.0, epsilon=0.3, seed=0)
    state = lambda e, info: (tuple(e.path), e.destination)  # noqa: E731
    train_q_learning(env, agent, 1500, state_fn=state, seed=0)
    table = lambda obs, info: agent.act(state(env, info), mask=obs[:, 0] > 0.5, greedy=True)  # noqa: E731
    trained = evaluate_policy(env, table, 60, seed=5)
    assert trained.mean() > 0.95
    unseen = RoutingEnv([waxman_network(14, seed=3)], mode="next_hop", seed=0)
    n_states = len(agent.q)
    evaluate_policy(
        unseen,
        lambda obs, info: agent.act(state(unseen, info), mask=obs[:, 0] > 0.5, greedy=True),
        5,
        seed=1,
    )
    assert len(agent.q) > n_states  # every state of the new network is new to the table


# --- MLP and replay ---------------------------------------------------------------------


def test_mlp_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    net = MLP([4, 6, 5, 1], lr=1e-3, seed=1)
    x, y = rng.normal(size=(7, 4)), rng.normal(size=(7, 1))

    def loss():  # Huber with delta large = half mean squared error
        return float(np.mean(0.5 * (net.predict(x) - y) ** 2))

    w = net.weights[1]
    i, j, eps = 2, 3, 1e-6
    w[i, j] += eps
    up = loss()
    w[i, j] -= 2 * eps
    down = loss()
    w[i, j] += eps
    numeric = (up - down) / (2 * eps)
    # one Adam step moves the weight against the sign of the gradient
    before = w[i, j]
    net.train_step(x, y, delta=1e6)
    assert np.sign(before - net.weights[1][i, j]) == np.sign(numeric)
    # and its first-moment estimate holds (1 - beta1) * gradient
    assert net._m[2][i, j] / 0.1 == pytest.approx(numeric, rel=1e-4)


def test_mlp_fits_a_nonlinear_function():
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, size=(256, 2))
    y = (np.abs(x[:, :1]) + x[:, 1:] ** 2).reshape(-1, 1)
    net = MLP([2, 32, 32, 1], lr=3e-3, seed=0)
    for _ in range(1500):
        net.train_step(x, y)
    assert np.mean((net.predict(x) - y) ** 2) < 2e-3


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 10), st.integers(1, 30))
def test_replay_buffer_keeps_the_latest_transitions(capacity, n_add):
    buf = ReplayBuffer(capacity, (2, 3), seed=0)
    for i in range(n_add):
        buf.add(np.full((2, 3), i), i % 2, float(i), np.zeros((2, 3)), i % 3 == 0)
    assert len(buf) == min(capacity, n_add)
    assert sorted(buf.rewards[: len(buf)].tolist()) == [
        float(i) for i in range(max(0, n_add - capacity), n_add)
    ]
    obs, _act, rew, _, _ = buf.sample(16)
    assert np.all(obs[:, 0, 0] == rew)


# --- DQN --------------------------------------------------------------------------------


class FeatureBandit:
    """One-step episodes: four rows of random features; the reward is row feature 1."""

    def __init__(self, seed=0):
        self.rng = np.random.default_rng(seed)

    def reset(self, *, seed=None):
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        self.obs = np.column_stack([np.ones(4), self.rng.uniform(size=(4, 2))]).astype(np.float32)
        self.obs[3, 0] = 0.0  # padding row, never valid
        self.obs[3, 1] = 5.0  # tempting but invalid
        return self.obs, {}

    def step(self, a):
        return self.obs, float(self.obs[a, 1]) if a < 3 else 0.0, True, False, {}


def test_dqn_learns_to_pick_the_best_valid_row():
    env = FeatureBandit()
    agent = DQNAgent(3, hidden=(16,), lr=3e-3, epsilon_decay_steps=300, learn_start=32, seed=0)
    train_dqn(env, agent, 800, seed=1)
    hits = 0
    for s in range(200):
        obs, _ = env.reset(seed=10_000 + s)
        a = agent.act(obs, greedy=True)
        assert a != 3
        hits += a == int(np.argmax(obs[:3, 1]))
    assert hits / 200 > 0.9
    assert agent.target_update > 0 and agent.learn_steps >= 700


def test_dqn_target_network_lags_and_is_copied():
    agent = DQNAgent(3, hidden=(8,), learn_start=4, batch_size=4, target_update=5, seed=0)
    obs = np.ones((2, 3), dtype=np.float32)
    for _ in range(10):
        agent.remember(obs, 0, 1.0, obs, True)
    for _ in range(4):
        agent.learn()
    assert not np.allclose(agent.online.weights[0], agent.target.weights[0])
    agent.learn()  # fifth step refreshes the target network
    assert all(np.array_equal(a, b) for a, b in zip(agent.online.params, agent.target.params))


def test_dqn_is_reproducible_from_a_seed():
    def run():
        env = FeatureBandit(seed=4)
        agent = DQNAgent(3, hidden=(8,), learn_start=8, batch_size=8, seed=7)
        return train_dqn(env, agent, 60, seed=2).returns

    assert np.array_equal(run(), run())


def test_dqn_router_generalises_to_unseen_topologies():
    rng = np.random.default_rng(2026)
    train = [waxman_network(int(rng.integers(12, 19)), seed=rng) for _ in range(15)]
    test = [waxman_network(int(rng.integers(12, 19)), seed=rng) for _ in range(8)]
    env = RoutingEnv(train, compute_optimal=False, seed=1)
    agent = DQNAgent(8, hidden=(32, 32), lr=2e-3, epsilon_decay_steps=300, learn_start=64, seed=2)
    hist = train_dqn(env, agent, 600, seed=3)
    assert isinstance(hist, TrainingHistory) and hist.returns.shape == (600,)
    test_env = RoutingEnv(test, seed=5)
    ratios = []
    rng2 = np.random.default_rng(9)
    for _ in range(60):
        obs, _info = test_env.reset(seed=int(rng2.integers(2**31 - 1)))
        _, _, _, _, out = test_env.step(agent.act(obs, greedy=True))
        opt = optimal_path(
            test_env.graph, test_env.source, test_env.destination, fidelity_threshold=0.8
        )
        ratios.append(out["delivered_rate"] / opt.delivered_rate)
    assert np.mean(ratios) >= 0.95


def test_rl_bad_input():
    with pytest.raises(ValueError, match="alpha"):
        QLearningAgent(2, alpha=0.0)
    with pytest.raises(ValueError, match="epsilon"):
        QLearningAgent(2, epsilon=2.0)
    with pytest.raises(ValueError, match="sizes"):
        MLP([3])
    agent = DQNAgent(3, seed=0)
    with pytest.raises(ValueError, match="obs must have shape"):
        agent.act(np.zeros((4, 5)))
    with pytest.raises(ValueError, match="n_episodes"):
        train_dqn(FeatureBandit(), agent, 0)
    with pytest.raises(TypeError, match="state_fn"):
        train_q_learning(ChainMDP(), QLearningAgent(2), 3, state_fn=None)
    with pytest.raises(ValueError, match="empty replay"):
        ReplayBuffer(3, (1,)).sample(2)
    with pytest.raises(ValueError, match="window"):
        TrainingHistory(np.zeros(3), np.zeros(0)).moving_average(0)
