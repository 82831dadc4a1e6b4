"""Reinforcement learning in NumPy: tabular Q-learning and a small deep Q-network.

**Q-learning** (Watkins & Dayan 1992) keeps a table Q(s, a) and moves it towards the
one-step target after every transition,

$$ Q(s,a) \\leftarrow Q(s,a) + \\alpha\\,\\big(r + \\gamma \\max_{a'} Q(s',a') - Q(s,a)\\big). $$

**The deep Q-network** (Mnih et al. 2015) replaces the table by a multilayer perceptron
trained on minibatches drawn from an experience-replay buffer, towards targets computed by a
periodically copied *target network*. Here the network scores one action at a time: an
observation is a matrix with one row of features per action (column 0 flags valid rows), the
MLP maps a row to Q(s, a), and the greedy action is the best valid row. Because the weights
are shared between rows, the agent handles any number of candidate actions and, given
features that do not name nodes, transfers to networks it was not trained on.

The MLP (ReLU hidden layers, linear output, He initialisation, Adam, Huber loss) is written
out in NumPy so that every step can be read; nothing here imports TensorFlow.

>>> agent = QLearningAgent(2, alpha=0.5, gamma=0.0, epsilon=0.0, seed=0)
>>> for _ in range(20):
...     _ = agent.update("s", 1, 1.0, None, True)
>>> agent.act("s", greedy=True)
1
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_in_range,
    check_integer,
    check_memory,
    check_probability,
    check_size,
    make_rng,
)
from ..plotting_results import plot_curves
from ..results import ResultMixin

__all__ = [
    "MLP",
    "DQNAgent",
    "QLearningAgent",
    "ReplayBuffer",
    "TrainingHistory",
    "evaluate_policy",
    "train_dqn",
    "train_q_learning",
]


@dataclass(frozen=True)
class TrainingHistory(ResultMixin):
    """Return of every training episode and the mean loss of every learning step.

    Returned by the training loops of this module.

    Parameters
    ----------
    returns : numpy.ndarray
        Total reward of every episode.
    losses : numpy.ndarray
        Mean loss of every learning step (empty for tabular agents).

    Examples
    --------
    >>> h = TrainingHistory(np.array([0.0, 1.0, 2.0, 3.0]), np.zeros(0))
    >>> h
    TrainingHistory(episodes=4, last_mean_return=1.5000)
    >>> h.moving_average(2).tolist()
    [0.5, 1.5, 2.5]
    """

    returns: np.ndarray
    losses: np.ndarray

    def moving_average(self, window: int = 50) -> np.ndarray:
        """Running mean of the episode returns over ``window`` episodes.

        Examples
        --------
        >>> TrainingHistory(np.arange(4.0), np.zeros(0)).moving_average(2).tolist()
        [0.5, 1.5, 2.5]
        """
        w = check_size(window, "window", minimum=1, maximum=10**6)
        if self.returns.size < w:
            return np.array([self.returns.mean()]) if self.returns.size else np.zeros(0)
        c = np.cumsum(np.insert(self.returns, 0, 0.0))
        return (c[w:] - c[:-w]) / w

    def __repr__(self) -> str:
        tail = self.returns[-min(100, self.returns.size) :]
        return f"TrainingHistory(episodes={self.returns.size}, last_mean_return={tail.mean():.4f})"

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Learning curve: return per episode; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        labels = {"xlabel": "episode", "ylabel": "return (total reward per episode)"}
        return plot_curves({"return": self.returns}, ax=ax, **labels, **kwargs)


def _valid_mask(obs: np.ndarray) -> np.ndarray | None:
    o = np.asarray(obs)
    return o[:, 0] > 0.5 if o.ndim == 2 else None


class QLearningAgent:
    """Tabular ε-greedy Q-learning over hashable states and ``n_actions`` actions.

    Unseen states start at Q = 0. ``mask`` (boolean per action) restricts the choice.

    Parameters
    ----------
    n_actions : int
        Number of actions, in [1, 10^5].
    alpha : float, default 0.2
        Learning rate, in (0, 1].
    gamma : float, default 0.99
        Discount factor, in [0, 1].
    epsilon : float, default 0.1
        Exploration rate, in [0, 1].
    seed : SeedLike, optional
        Seed or generator of the exploration, normalised by ``make_rng``.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> agent = QLearningAgent(2, alpha=0.5, gamma=0.0, seed=0)
    >>> agent.update("s", 1, reward=1.0, next_state=None, done=True)  # TD error r − Q
    1.0
    >>> agent.values("s").tolist(), agent.act("s", greedy=True)
    ([0.0, 0.5], 1)
    """

    def __init__(
        self,
        n_actions: int,
        *,
        alpha: float = 0.2,
        gamma: float = 0.99,
        epsilon: float = 0.1,
        seed: SeedLike = None,
    ) -> None:
        self.n_actions = check_size(n_actions, "n_actions", minimum=1, maximum=10**5)
        self.alpha = check_in_range(alpha, "alpha", 0.0, 1.0, low_inclusive=False)
        self.gamma = check_probability(gamma, "gamma")
        self.epsilon = check_probability(epsilon, "epsilon")
        self.rng = make_rng(seed)
        self.q: dict[Hashable, np.ndarray] = {}

    def values(self, state: Hashable) -> np.ndarray:
        """Q-values of ``state`` (zeros for a state never visited)."""
        if state not in self.q:
            self.q[state] = np.zeros(self.n_actions)
        return self.q[state]

    def act(self, state: Hashable, *, mask: np.ndarray | None = None, greedy: bool = False) -> int:
        """ε-greedy action (greedy if ``greedy``); ties broken at random."""
        allowed = np.arange(self.n_actions) if mask is None else np.flatnonzero(mask)
        if allowed.size == 0:
            allowed = np.arange(self.n_actions)
        if not greedy and self.rng.random() < self.epsilon:
            return int(self.rng.choice(allowed))
        q = self.values(state)[allowed]
        best = allowed[np.flatnonzero(q == q.max())]
        return int(self.rng.choice(best))

    def update(
        self,
        state: Hashable,
        action: int,
        reward: float,
        next_state: Hashable | None,
        done: bool,
        next_mask: np.ndarray | None = None,
    ) -> float:
        """One Q-learning update; returns the temporal-difference error."""
        a = check_integer(action, "action", minimum=0, maximum=self.n_actions - 1)
        target = float(reward)
        if not done and next_state is not None:
            q2 = self.values(next_state)
            if next_mask is not None and np.any(next_mask):
                q2 = q2[np.asarray(next_mask, dtype=bool)]
            target += self.gamma * float(q2.max())
        q = self.values(state)
        td = target - q[a]
        q[a] += self.alpha * td
        return float(td)

    def __repr__(self) -> str:
        return f"QLearningAgent(n_actions={self.n_actions}, states={len(self.q)}, alpha={self.alpha}, gamma={self.gamma}, epsilon={self.epsilon})"


class MLP:
    """A multilayer perceptron ``sizes[0] -> ... -> sizes[-1]`` with ReLU and Adam, in NumPy.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, at least two, each in [1, 10000].
    lr : float, default 1e-3
        Adam step size, in (0, 10].
    seed : SeedLike, optional
        Seed or generator of the initial weights (He initialisation).

    Raises
    ------
    ValueError
        If ``sizes`` has fewer than two entries or a width or ``lr`` is out of range.

    Examples
    --------
    >>> net = MLP([3, 8, 1], lr=1e-2, seed=0)
    >>> x = np.ones((5, 3)); y = np.full((5, 1), 2.0)
    >>> for _ in range(300):
    ...     _ = net.train_step(x, y)
    >>> bool(abs(net.predict(x)[0, 0] - 2.0) < 1e-2)
    True
    """

    def __init__(self, sizes: Sequence[int], *, lr: float = 1e-3, seed: SeedLike = None) -> None:
        if len(sizes) < 2:
            raise ValueError("sizes must list at least an input and an output size")
        self.sizes = [check_size(s, "sizes", minimum=1, maximum=10_000) for s in sizes]
        self.lr = check_in_range(lr, "lr", 0.0, 10.0, low_inclusive=False)
        rng = make_rng(seed)
        self.weights = [
            rng.normal(0.0, np.sqrt(2.0 / a), size=(a, b))
            for a, b in zip(self.sizes[:-1], self.sizes[1:])
        ]
        self.biases = [np.zeros(b) for b in self.sizes[1:]]
        self._m = [np.zeros_like(p) for p in self.params]
        self._v = [np.zeros_like(p) for p in self.params]
        self._t = 0

    @property
    def params(self) -> list[np.ndarray]:
        """Weights and biases, interleaved (W1, b1, W2, b2, ...)."""
        return [p for wb in zip(self.weights, self.biases) for p in wb]

    def copy_from(self, other: MLP) -> None:
        """Copy the parameters of ``other`` (a target-network update)."""
        self.weights = [w.copy() for w in other.weights]
        self.biases = [b.copy() for b in other.biases]

    def _forward(self, x: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        acts = [x]
        h = x
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            h = h @ w + b
            if i < len(self.weights) - 1:
                h = np.maximum(h, 0.0)
            acts.append(h)
        return h, acts

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Network output for a batch ``x`` of shape (n, sizes[0])."""
        return self._forward(np.asarray(x, dtype=float))[0]

    def train_step(self, x: np.ndarray, y: np.ndarray, *, delta: float = 1.0) -> float:
        """One Adam step on the Huber loss between ``predict(x)`` and ``y``; returns the loss."""
        out, acts = self._forward(np.asarray(x, dtype=float))
        err = out - np.asarray(y, dtype=float).reshape(out.shape)
        loss = float(
            np.mean(
                np.where(np.abs(err) <= delta, 0.5 * err**2, delta * (np.abs(err) - 0.5 * delta))
            )
        )
        grad = np.clip(err, -delta, delta) / err.shape[0]
        grads_w, grads_b = [], []
        for i in range(len(self.weights) - 1, -1, -1):
            grads_w.append(acts[i].T @ grad)
            grads_b.append(grad.sum(axis=0))
            if i > 0:
                grad = (grad @ self.weights[i].T) * (acts[i] > 0)
        grads = [g for wb in zip(reversed(grads_w), reversed(grads_b)) for g in wb]
        self._t += 1
        b1, b2, eps = 0.9, 0.999, 1e-8
        params = self.params
        for j, (p, g) in enumerate(zip(params, grads)):
            self._m[j] = b1 * self._m[j] + (1 - b1) * g
            self._v[j] = b2 * self._v[j] + (1 - b2) * g * g
            m_hat = self._m[j] / (1 - b1**self._t)
            v_hat = self._v[j] / (1 - b2**self._t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + eps)  # in place: updates weights/biases
        return loss

    def __repr__(self) -> str:
        return f"MLP(sizes={self.sizes}, lr={self.lr})"


class ReplayBuffer:
    """Fixed-size ring buffer of transitions (obs, action, reward, next_obs, done).

    Parameters
    ----------
    capacity : int
        Transitions kept, in [1, 10^7] (and within the memory limit).
    obs_shape : tuple of int
        Shape of one observation, positive sizes.
    seed : SeedLike, optional
        Seed or generator of the sampling, normalised by ``make_rng``.

    Raises
    ------
    TypeError
        If ``obs_shape`` is not a tuple of integers.
    ValueError
        If ``capacity`` or a size is out of range or the buffer needs too much memory.

    Examples
    --------
    >>> buf = ReplayBuffer(3, (2, 4), seed=0)
    >>> for i in range(5):
    ...     buf.add(np.zeros((2, 4)), 0, float(i), np.zeros((2, 4)), True)
    >>> len(buf), sorted(buf.rewards.tolist())
    (3, [2.0, 3.0, 4.0])
    """

    def __init__(self, capacity: int, obs_shape: tuple[int, ...], *, seed: SeedLike = None) -> None:
        self.capacity = check_size(capacity, "capacity", minimum=1, maximum=10**7)
        if isinstance(obs_shape, (int, np.integer)):
            obs_shape = (int(obs_shape),)
        if isinstance(obs_shape, (str, bytes)) or not isinstance(obs_shape, (tuple, list)):
            raise TypeError(
                f"obs_shape must be a tuple of positive ints, got {type(obs_shape).__name__}"
            )
        obs_shape = tuple(check_size(d, "obs_shape", maximum=10**6) for d in obs_shape)
        check_memory(
            8.0 * self.capacity * max(1, int(np.prod(obs_shape))),
            "capacity",
            self.capacity,
            hint="use a smaller buffer or smaller observations",
        )
        self.obs = np.zeros((self.capacity, *obs_shape), dtype=np.float32)
        self.next_obs = np.zeros_like(self.obs)
        self.actions = np.zeros(self.capacity, dtype=np.int64)
        self.rewards = np.zeros(self.capacity)
        self.dones = np.zeros(self.capacity, dtype=bool)
        self._n = 0
        self._i = 0
        self.rng = make_rng(seed)

    def __len__(self) -> int:
        return self._n

    def add(
        self, obs: np.ndarray, action: int, reward: float, next_obs: np.ndarray, done: bool
    ) -> None:
        """Store one transition, overwriting the oldest when full."""
        i = self._i
        self.obs[i], self.next_obs[i] = obs, next_obs
        self.actions[i], self.rewards[i], self.dones[i] = int(action), float(reward), bool(done)
        self._i = (i + 1) % self.capacity
        self._n = min(self._n + 1, self.capacity)

    def sample(self, batch_size: int) -> tuple[np.ndarray, ...]:
        """A uniform random minibatch (with replacement) of stored transitions."""
        if self._n == 0:
            raise ValueError("cannot sample from an empty replay buffer")
        idx = self.rng.integers(
            0, self._n, size=check_size(batch_size, "batch_size", minimum=1, maximum=10**6)
        )
        return (
            self.obs[idx],
            self.actions[idx],
            self.rewards[idx],
            self.next_obs[idx],
            self.dones[idx],
        )


class DQNAgent:
    """Deep Q-network over per-action feature rows, with experience replay and a target net.

    ``act`` takes an observation of shape (n_actions, n_features) whose column 0 flags valid
    rows. ε decays linearly from ``epsilon_start`` to ``epsilon_end`` over
    ``epsilon_decay_steps`` actions; the target network is refreshed every
    ``target_update`` learning steps.

    Parameters
    ----------
    n_features : int
        Features per action row, in [1, 10000].
    hidden : sequence of int, default (64, 64)
        Hidden-layer widths of the Q-network.
    lr : float, default 1e-3
        Adam step size, in (0, 10].
    gamma : float, default 0.99
        Discount factor, in [0, 1].
    buffer_size : int, default 20_000
        Replay capacity, in [1, 10^7].
    batch_size : int, default 64
        Minibatch size, in [1, 10^6].
    target_update : int, default 200
        Learning steps between target-network refreshes, ≥ 1.
    learn_start : int, default 256
        Transitions stored before learning starts, ≥ 1.
    epsilon_start, epsilon_end : float, default 1.0, 0.05
        Exploration rate at the start and after the decay, in [0, 1].
    epsilon_decay_steps : int, default 2_000
        Actions over which ε decays linearly, ≥ 1.
    seed : SeedLike, optional
        Seed or generator of weights, exploration and replay.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> agent = DQNAgent(3, hidden=(8,), epsilon_decay_steps=10, seed=0)
    >>> obs = np.array([[1.0, 0.2, 0.3], [0.0, 5.0, 5.0]])  # column 0 flags valid rows
    >>> agent.epsilon, agent.act(obs, greedy=True)  # row 1 is invalid, never chosen
    (1.0, 0)
    """

    def __init__(
        self,
        n_features: int,
        *,
        hidden: Sequence[int] = (64, 64),
        lr: float = 1e-3,
        gamma: float = 0.99,
        buffer_size: int = 20_000,
        batch_size: int = 64,
        target_update: int = 200,
        learn_start: int = 256,
        epsilon_start: float = 1.0,
        epsilon_end: float = 0.05,
        epsilon_decay_steps: int = 2_000,
        seed: SeedLike = None,
    ) -> None:
        self.n_features = check_size(n_features, "n_features", minimum=1, maximum=10_000)
        self.rng = make_rng(seed)
        sizes = [
            self.n_features,
            *[check_size(h, "hidden", minimum=1, maximum=10_000) for h in hidden],
            1,
        ]
        self.online = MLP(sizes, lr=lr, seed=self.rng)
        self.target = MLP(sizes, lr=lr, seed=self.rng)
        self.target.copy_from(self.online)
        self.gamma = check_probability(gamma, "gamma")
        self.buffer_size = check_size(buffer_size, "buffer_size", minimum=1, maximum=10**7)
        self.batch_size = check_size(batch_size, "batch_size", minimum=1, maximum=10**6)
        self.target_update = check_size(target_update, "target_update", minimum=1, maximum=10**7)
        self.learn_start = check_size(learn_start, "learn_start", minimum=1, maximum=10**7)
        self.epsilon_start = check_probability(epsilon_start, "epsilon_start")
        self.epsilon_end = check_probability(epsilon_end, "epsilon_end")
        self.epsilon_decay_steps = check_integer(
            epsilon_decay_steps, "epsilon_decay_steps", minimum=1
        )
        self.buffer: ReplayBuffer | None = None
        self.steps = 0
        self.learn_steps = 0

    @property
    def epsilon(self) -> float:
        """Current exploration rate."""
        frac = min(self.steps / self.epsilon_decay_steps, 1.0)
        return self.epsilon_start + frac * (self.epsilon_end - self.epsilon_start)

    def _check_obs(self, obs: Any) -> np.ndarray:
        o = np.asarray(obs, dtype=float)
        if o.ndim != 2 or o.shape[1] != self.n_features:
            raise ValueError(f"obs must have shape (n_actions, {self.n_features}), got {o.shape}")
        return o

    def q_values(self, obs: Any) -> np.ndarray:
        """Q(s, a) for every row of ``obs``; −inf for invalid rows."""
        o = self._check_obs(obs)
        q = self.online.predict(o)[:, 0]
        mask = _valid_mask(o)
        return np.where(mask, q, -np.inf) if mask is not None and mask.any() else q

    def act(self, obs: Any, *, greedy: bool = False) -> int:
        """ε-greedy action among the valid rows (greedy if ``greedy``)."""
        o = self._check_obs(obs)
        if not greedy:
            self.steps += 1
            if self.rng.random() < self.epsilon:
                mask = _valid_mask(o)
                allowed = (
                    np.flatnonzero(mask)
                    if mask is not None and mask.any()
                    else np.arange(o.shape[0])
                )
                return int(self.rng.choice(allowed))
        return int(np.argmax(self.q_values(o)))

    def remember(self, obs: Any, action: int, reward: float, next_obs: Any, done: bool) -> None:
        """Store a transition in the replay buffer."""
        o = self._check_obs(obs)
        if self.buffer is None:
            self.buffer = ReplayBuffer(self.buffer_size, o.shape, seed=self.rng)
        self.buffer.add(o, action, reward, self._check_obs(next_obs), done)

    def learn(self) -> float | None:
        """One minibatch step towards r + γ max_a' Q_target(s', a'); None before ``learn_start``."""
        if self.buffer is None or len(self.buffer) < self.learn_start:
            return None
        obs, act, rew, nxt, done = self.buffer.sample(self.batch_size)
        b, rows, f = nxt.shape
        q_next = self.target.predict(nxt.reshape(b * rows, f)).reshape(b, rows)
        valid = nxt[:, :, 0] > 0.5
        q_next = np.where(valid, q_next, -np.inf).max(axis=1)
        q_next = np.where(np.isfinite(q_next), q_next, 0.0)
        target = rew + self.gamma * (~done) * q_next
        loss = self.online.train_step(obs[np.arange(b), act], target[:, None])
        self.learn_steps += 1
        if self.learn_steps % self.target_update == 0:
            self.target.copy_from(self.online)
        return loss

    def __repr__(self) -> str:
        return f"DQNAgent(n_features={self.n_features}, net={self.online.sizes}, epsilon={self.epsilon:.3f}, steps={self.steps})"


def train_dqn(
    env: Any, agent: DQNAgent, n_episodes: int, *, seed: SeedLike = None, progress: bool = False
) -> TrainingHistory:
    """Train ``agent`` on a gymnasium ``env`` for ``n_episodes``; one learning step per env step.

    Parameters
    ----------
    env : gymnasium.Env
        The environment (discrete actions).
    agent : DQNAgent
        The agent to train (updated in place).
    n_episodes : int
        Episodes to run (>= 1).
    seed : int, Generator or None, optional
        Seeds of the episodes' resets.
    progress : bool, optional
        Show a tqdm bar.

    Returns
    -------
    TrainingHistory
        Return of every episode and the losses.

    Examples
    --------
    >>> from qnetlab.network.envs import RoutingEnv
    >>> env = RoutingEnv(seed=0)
    >>> agent = DQNAgent(8, hidden=(16,), learn_start=8, batch_size=8, seed=0)
    >>> train_dqn(env, agent, 10, seed=0).returns.shape
    (10,)
    """
    n = check_size(n_episodes, "n_episodes", minimum=1, maximum=10**6)
    rng = make_rng(seed)
    returns, losses = np.zeros(n), []
    episodes: Any = range(n)
    if progress:
        from tqdm.auto import tqdm

        episodes = tqdm(episodes, desc="DQN training")
    for ep in episodes:
        obs, _ = env.reset(seed=int(rng.integers(2**31 - 1)))
        done = False
        total = 0.0
        while not done:
            a = agent.act(obs)
            nxt, r, term, trunc, _ = env.step(a)
            agent.remember(obs, a, r, nxt, term)
            loss = agent.learn()
            if loss is not None:
                losses.append(loss)
            total += r
            obs, done = nxt, term or trunc
        returns[ep] = total
    return TrainingHistory(returns=returns, losses=np.asarray(losses))


def train_q_learning(
    env: Any,
    agent: QLearningAgent,
    n_episodes: int,
    *,
    state_fn: Callable[[Any, dict], Hashable],
    seed: SeedLike = None,
    progress: bool = False,
) -> TrainingHistory:
    """Train a tabular agent; ``state_fn(env, info)`` names the state after every step.

    Parameters
    ----------
    env : gymnasium.Env
        The environment (discrete actions).
    agent : QLearningAgent
        The tabular agent to train (updated in place).
    n_episodes : int
        Episodes to run (>= 1).
    state_fn : callable
        ``state_fn(env, info)`` -> hashable state.
    seed : int, Generator or None, optional
        Seeds of the episodes' resets.
    progress : bool, optional
        Show a tqdm bar.

    Returns
    -------
    TrainingHistory
        Return of every episode.

    Raises
    ------
    TypeError
        If ``state_fn`` is not callable.

    Examples
    --------
    >>> from qnetlab.network.envs import RoutingEnv
    >>> from qnetlab.network.topologies import metro_mesh
    >>> env = RoutingEnv([metro_mesh(8, seed=0)], mode="next_hop", seed=0)
    >>> agent = QLearningAgent(8, seed=0)
    >>> state = lambda env, info: (env.path[-1], env.destination)
    >>> train_q_learning(env, agent, 5, state_fn=state, seed=0).returns.shape
    (5,)
    """
    n = check_size(n_episodes, "n_episodes", minimum=1, maximum=10**6)
    if not callable(state_fn):
        raise TypeError("state_fn must be callable (env, info) -> hashable state")
    rng = make_rng(seed)
    returns = np.zeros(n)
    episodes: Any = range(n)
    if progress:
        from tqdm.auto import tqdm

        episodes = tqdm(episodes, desc="Q-learning")
    for ep in episodes:
        obs, info = env.reset(seed=int(rng.integers(2**31 - 1)))
        s = state_fn(env, info)
        done, total = False, 0.0
        while not done:
            a = agent.act(s, mask=_valid_mask(obs))
            nxt, r, term, trunc, info = env.step(a)
            s2 = state_fn(env, info)
            agent.update(s, a, r, s2, term, next_mask=_valid_mask(nxt))
            total += r
            obs, s, done = nxt, s2, term or trunc
        returns[ep] = total
    return TrainingHistory(returns=returns, losses=np.zeros(0))


def evaluate_policy(
    env: Any, policy: Callable[[np.ndarray, dict], int], n_episodes: int, *, seed: SeedLike = None
) -> np.ndarray:
    """Returns of ``policy(obs, info) -> action`` over ``n_episodes`` greedy episodes.

    Parameters
    ----------
    env : gymnasium.Env
        The environment.
    policy : callable
        ``policy(obs, info)`` -> action.
    n_episodes : int
        Episodes to run (>= 1).
    seed : int, Generator or None, optional
        Seeds of the episodes' resets.

    Returns
    -------
    numpy.ndarray
        The return of every episode.

    Raises
    ------
    TypeError
        If ``policy`` is not callable.

    Examples
    --------
    >>> from qnetlab.network.envs import RoutingEnv
    >>> first = lambda obs, info: 0
    >>> evaluate_policy(RoutingEnv(seed=0), first, 3, seed=0).shape
    (3,)
    """
    n = check_size(n_episodes, "n_episodes", minimum=1, maximum=10**6)
    if not callable(policy):
        raise TypeError("policy must be callable (obs, info) -> action")
    rng = make_rng(seed)
    out = np.zeros(n)
    for ep in range(n):
        obs, info = env.reset(seed=int(rng.integers(2**31 - 1)))
        done, total = False, 0.0
        while not done:
            obs, r, term, trunc, info = env.step(policy(obs, info))
            total += r
            done = term or trunc
        out[ep] = total
    return out
