"""Quantum generative models: a circuit Born machine for network traffic and a small QGAN.

- **Born machine** (Benedetti et al. 2019; Liu & Wang 2018): a parametrised circuit whose
  measurement distribution q_θ(x) = |⟨x|ψ(θ)⟩|² is trained to match the empirical
  distribution of bit strings "which links are busy", produced by a seeded traffic model
  (:func:`traffic_bitstrings`), with a KL or MMD loss.
- **Quantum GAN** (Lloyd & Weedbrook 2018; Dallaire-Demers & Killoran 2018): a generator
  circuit and a discriminator circuit play a min-max game; the discriminator's best play is
  the Helstrom measurement, so the generator is pushed to the target state. Judged by the
  fidelity of the generated state to the target.

NumPy fast path (adjoint gradients) with Cirq circuits for the ground truth; no TensorFlow.

>>> bits = traffic_bitstrings(2000, seed=1)
>>> bits.shape
(2000, 6)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_array,
    check_choice,
    check_in_range,
    check_integer,
    check_non_negative,
    check_probability,
    check_size,
    make_rng,
    to_density_matrix,
)
from ..plotting_results import plot_curves
from ..results import ResultMixin
from ._sim import Op, _zsign, energy_and_gradient, simulate, to_cirq

__all__ = [
    "LINKS",
    "BornMachineResult",
    "QGANResult",
    "born_machine_circuit",
    "empirical_distribution",
    "independent_distribution",
    "kl_divergence",
    "mmd",
    "qgan_circuits",
    "traffic_bitstrings",
    "train_born_machine",
    "train_qgan",
]

# --- Traffic model ------------------------------------------------------------------------

#: The six links of the traffic model: a four-node metro mesh (every pair of nodes linked).
LINKS: tuple[tuple[int, int], ...] = ((0, 1), (1, 2), (2, 3), (0, 3), (0, 2), (1, 3))
_RATES = {(0, 1): 2.2, (1, 2): 1.2, (2, 3): 1.0, (0, 3): 2.0, (0, 2): 2.6, (1, 3): 0.8}


def traffic_bitstrings(
    n_samples: int,
    *,
    capacity: int = 4,
    busy_fraction: float = 0.75,
    busy_hour_probability: float = 0.3,
    seed: SeedLike = None,
) -> np.ndarray:
    """Sample snapshots of which of the six :data:`LINKS` are busy (1) or not (0).

    The model: four nodes, every pair linked (capacity ``capacity`` units each). In each
    snapshot it is the busy hour with probability ``busy_hour_probability`` (demand rates
    ×2.5). Each node pair requests Poisson(rate) units (node 0 is a hub). A unit goes on the
    direct link if it has room, else over the two-hop detour with most room (else it is
    blocked). A link is busy when its load reaches ``busy_fraction`` of capacity. Detours
    and the shared busy hour make the link states correlated, which is what a generative
    model has to learn.

    Parameters
    ----------
    n_samples : int
        Number of snapshots, in [1, 10^7].
    capacity : int, default 4
        Units per link, ≥ 1.
    busy_fraction : float, default 0.75
        Load fraction, in [0, 1], at which a link counts as busy.
    busy_hour_probability : float, default 0.3
        Probability, in [0, 1], that a snapshot falls in the busy hour.
    seed : SeedLike, optional
        Seed or generator, normalised by ``make_rng``.

    Returns
    -------
    numpy.ndarray
        An (n_samples, 6) int8 array of 0/1 (column i is link i).

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> traffic_bitstrings(3, seed=0).tolist()
    [[0, 0, 0, 1, 1, 1], [1, 0, 0, 1, 1, 0], [0, 0, 0, 0, 0, 0]]
    """
    n = check_size(n_samples, "n_samples", minimum=1, maximum=10**7)
    cap = check_integer(capacity, "capacity", minimum=1)
    frac = check_probability(busy_fraction, "busy_fraction")
    p_busy = check_probability(busy_hour_probability, "busy_hour_probability")
    rng = make_rng(seed)
    index = {frozenset(e): i for i, e in enumerate(LINKS)}
    out = np.zeros((n, len(LINKS)), dtype=np.int8)
    for s in range(n):
        factor = 2.5 if rng.random() < p_busy else 1.0
        load = np.zeros(len(LINKS))
        pairs = list(_RATES)
        rng.shuffle(pairs)
        for a, b in pairs:
            for _ in range(rng.poisson(_RATES[(a, b)] * factor)):
                direct = index[frozenset((a, b))]
                if load[direct] < cap:
                    load[direct] += 1
                    continue
                best, room = None, 0.0
                for c in range(4):
                    if c in (a, b):
                        continue
                    l1, l2 = index[frozenset((a, c))], index[frozenset((c, b))]
                    r = min(cap - load[l1], cap - load[l2])
                    if r > room:
                        best, room = (l1, l2), r
                if best is not None:
                    load[best[0]] += 1
                    load[best[1]] += 1
        out[s] = load >= frac * cap
    return out


def _check_bits(bits: Any) -> np.ndarray:
    if isinstance(bits, (str, bytes)):
        raise TypeError(f"bits must be a 2-D array of 0/1, got {type(bits).__name__}")
    b = np.asarray(bits)
    if b.ndim != 2 or b.shape[0] == 0 or b.shape[1] == 0 or b.shape[1] > 16:
        raise ValueError(f"bits must be a 2-D array (samples, 1..16 bits), got shape {b.shape}")
    if not np.isin(b, (0, 1)).all():
        raise ValueError("bits must contain only 0 and 1")
    return b


def empirical_distribution(bits: Any, *, pseudocount: float = 0.0) -> np.ndarray:
    """Empirical distribution over the 2**n bit strings (column 0 = most significant bit).

    With ``pseudocount`` α > 0 every count is raised by α before normalising (additive
    smoothing; α = ½ is the Krichevsky–Trofimov estimator), so that patterns not seen in
    ``bits`` keep a small probability: the classical "table" model of the data.

    Parameters
    ----------
    bits : array_like
        A 2-D array of 0/1, one sample per row, n columns.
    pseudocount : float, default 0.0
        Additive smoothing α, ≥ 0.

    Returns
    -------
    numpy.ndarray
        The 2**n probabilities, summing to 1.

    Raises
    ------
    TypeError
        If ``bits`` is not an array of numbers.
    ValueError
        If ``bits`` is not a 2-D array of 0/1 or ``pseudocount`` is negative.

    Examples
    --------
    >>> empirical_distribution([[0, 1], [0, 1], [1, 1], [0, 0]]).tolist()
    [0.25, 0.5, 0.0, 0.25]
    >>> empirical_distribution([[0, 1], [0, 1], [1, 1], [0, 0]], pseudocount=1).tolist()
    [0.25, 0.375, 0.125, 0.25]
    """
    b = _check_bits(bits)
    alpha = check_non_negative(pseudocount, "pseudocount")
    n = b.shape[1]
    idx = b.astype(np.int64) @ (1 << np.arange(n - 1, -1, -1))
    counts = np.bincount(idx, minlength=2**n) + alpha
    return counts / counts.sum()


def independent_distribution(bits: Any) -> np.ndarray:
    """Product of the per-bit marginals of ``bits``: the best model with independent bits.

    q(x) = Π_i m_i^{x_i} (1 − m_i)^{1 − x_i}, m_i the fraction of samples with bit i = 1
    (column 0 = most significant bit, as in :func:`empirical_distribution`).

    Parameters
    ----------
    bits : array_like
        A 2-D array of 0/1, one sample per row.

    Returns
    -------
    numpy.ndarray
        The 2**n probabilities of the product model.

    Raises
    ------
    TypeError
        If ``bits`` is not an array of numbers.
    ValueError
        If ``bits`` is not a 2-D array of 0/1.

    Examples
    --------
    >>> independent_distribution([[0, 1], [1, 1]]).tolist()
    [0.0, 0.5, 0.0, 0.5]
    """
    b = _check_bits(bits)
    n = b.shape[1]
    m = b.mean(axis=0)
    x = (np.arange(2**n)[:, None] >> np.arange(n - 1, -1, -1)) & 1
    return np.prod(np.where(x == 1, m, 1.0 - m), axis=1)


def _check_dist(p: Any, name: str) -> np.ndarray:
    a = check_array(p, name, ndim=1)
    if a.size < 2 or a.size & (a.size - 1) or a.size > 2**20:
        raise ValueError(
            f"{name} must be a 1-D distribution over 2**n outcomes (1 <= n <= 20), "
            f"got shape {a.shape}"
        )
    if (a < -1e-12).any() or abs(a.sum() - 1.0) > 1e-6:
        raise ValueError(
            f"{name} must be non-negative and sum to 1, got sum {a.sum():.6g} "
            f"and minimum {a.min():.3g}"
        )
    return np.clip(a, 0.0, None)


def kl_divergence(p: Any, q: Any, *, eps: float = 1e-12) -> float:
    """KL(p‖q) = Σ p log(p/q) in nats (q floored at ``eps``).

    Parameters
    ----------
    p, q : array_like
        Distributions over the same 2**n outcomes (1 ≤ n ≤ 20), non-negative, summing to 1.
    eps : float, default 1e-12
        Floor on q, in (0, 1e-3].

    Returns
    -------
    float
        The divergence in nats, ≥ 0.

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a distribution over 2**n outcomes, their lengths differ,
        or ``eps`` is out of range.

    Examples
    --------
    >>> round(kl_divergence([0.5, 0.5], [0.9, 0.1]), 4)
    0.5108
    """
    a, b = _check_dist(p, "p"), _check_dist(q, "q")
    if a.shape != b.shape:
        raise ValueError(f"p and q must have the same length, got {a.size} and {b.size}")
    eps = check_in_range(eps, "eps", 0.0, 1e-3, low_inclusive=False)
    m = a > 0
    # Gibbs' inequality: KL >= 0; the floor eps can only raise log(p/q), so clip rounding.
    return max(float(np.sum(a[m] * np.log(a[m] / np.maximum(b[m], eps)))), 0.0)


def _kernel(n: int, sigmas: tuple[float, ...]) -> np.ndarray:
    x = np.arange(2**n)
    ham = np.array([[bin(i ^ j).count("1") for j in x] for i in x], dtype=float)
    return sum(np.exp(-ham / (2 * s**2)) for s in sigmas) / len(sigmas)


def mmd(p: Any, q: Any, *, sigmas: tuple[float, ...] = (0.5, 1.0, 2.0)) -> float:
    """Squared maximum mean discrepancy with a mixture of Gaussian kernels on Hamming distance.

    MMD² = (p − q)ᵀ K (p − q), K_xy = mean_σ exp(−d_H(x, y)/(2σ²)) (Liu & Wang 2018).

    Parameters
    ----------
    p, q : array_like
        Distributions over the same 2**n outcomes (at most 2**12), summing to 1.
    sigmas : tuple of float, default (0.5, 1.0, 2.0)
        1 to 100 kernel widths, each > 0.

    Returns
    -------
    float
        MMD², ≥ 0.

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a distribution, their lengths differ, there are more than
        2**12 outcomes, or a width is not positive.

    Examples
    --------
    >>> mmd([0.5, 0.5], [0.5, 0.5])
    0.0
    >>> round(mmd([1, 0], [0, 1]), 4)  # 2 (1 − K₀₁), K₀₁ = mean_σ exp(−1/(2σ²))
    0.9171
    """
    a, b = _check_dist(p, "p"), _check_dist(q, "q")
    if a.shape != b.shape:
        raise ValueError(f"p and q must have the same length, got {a.size} and {b.size}")
    sig = check_array(sigmas, "sigmas", ndim=1, low=0.0)
    if np.any(sig <= 0) or sig.size > 100:
        raise ValueError(f"sigmas must hold 1 to 100 kernel widths > 0, got {sig.tolist()}")
    if a.size > 2**12:
        raise ValueError(f"p must have at most 2**12 outcomes for the dense kernel, got {a.size}")
    d = a - b
    n = int(np.log2(a.size))
    return float(max(d @ _kernel(n, tuple(sig.tolist())) @ d, 0.0))


# --- Born machine -------------------------------------------------------------------------


def _born_ops(n: int, layers: int) -> list[Op]:
    ops: list[Op] = []
    k = 0

    def rotations() -> None:
        nonlocal k
        for i in range(n):
            ops.extend([("ry", (i,), k), ("rz", (i,), k + 1)])
            k += 2

    rotations()
    for _ in range(layers):
        for i in range(n):
            for j in range(i + 1, n):
                ops.append(("cnot", (i, j), None))
        rotations()
    return ops


def born_machine_circuit(n_qubits: int, layers: int, params: Any = None) -> Any:
    """The Born machine's circuit in Cirq: Ry·Rz layers with CNOTs between every pair.

    Ry·Rz on every qubit, then ``layers`` times a CNOT between every pair of qubits and
    another Ry·Rz layer (2n(layers + 1) angles). Real amplitudes would be enough to express
    any q(x) = |⟨x|ψ⟩|², but the extra Rz phases make the loss landscape far easier to
    train (fewer poor local minima).

    Parameters
    ----------
    n_qubits : int
        Number of qubits (bits), in [2, 16].
    layers : int
        Entangling layers, in [0, 50].
    params : sequence, optional
        The 2n(layers + 1) angles (numbers or sympy symbols); default symbols
        ``theta_0``, ``theta_1``, ...

    Returns
    -------
    cirq.Circuit
        The circuit on ``cirq.GridQubit.rect(1, n_qubits)``.

    Raises
    ------
    ValueError
        If ``n_qubits`` or ``layers`` is out of range or ``params`` has the wrong length.

    Examples
    --------
    >>> import cirq
    >>> c = born_machine_circuit(3, 2)
    >>> len(c.all_qubits()), len(cirq.parameter_names(c))
    (3, 18)
    """
    import cirq
    import sympy

    n = check_integer(n_qubits, "n_qubits", minimum=2, maximum=16)
    layers = check_integer(layers, "layers", minimum=0, maximum=50)
    n_par = 2 * n * (layers + 1)
    if params is None:
        params = sympy.symbols(f"theta_0:{n_par}")
    elif len(params) != n_par:
        raise ValueError(f"params must have {n_par} entries, got {len(params)}")
    return to_cirq(_born_ops(n, layers), list(params), cirq.GridQubit.rect(1, n))


@dataclass(frozen=True)
class BornMachineResult(ResultMixin):
    """Outcome of :func:`train_born_machine`.

    Parameters
    ----------
    params : numpy.ndarray
        The trained angles.
    probabilities : numpy.ndarray
        The model's distribution q over the 2**n bit strings.
    target : numpy.ndarray
        The target distribution p.
    kl : float
        KL(p‖q) in nats.
    mmd : float
        MMD² between p and q.
    loss : str
        ``"kl"`` or ``"mmd"``, the loss trained.
    layers : int
        Entangling layers of the circuit.
    history : tuple of float
        Loss at every evaluated point.

    Examples
    --------
    >>> r = BornMachineResult(np.zeros(4), np.array([0.5, 0, 0, 0.5]),
    ...                       np.array([0.5, 0, 0, 0.5]), 0.0, 0.0, "kl", 0, ())
    >>> bits = r.sample(5, seed=0)
    >>> bool((bits[:, 0] == bits[:, 1]).all())  # the model only emits 00 and 11
    True
    """

    params: np.ndarray = field(repr=False)
    probabilities: np.ndarray = field(repr=False)
    target: np.ndarray = field(repr=False)
    kl: float
    mmd: float
    loss: str
    layers: int
    history: tuple[float, ...] = field(repr=False)

    def sample(self, n_samples: int, *, seed: SeedLike = None) -> np.ndarray:
        """Draw bit strings (rows, most significant bit first) from the trained model."""
        n_s = check_size(n_samples, "n_samples", minimum=1, maximum=10**7)
        n = int(np.log2(self.probabilities.size))
        idx = make_rng(seed).choice(self.probabilities.size, size=n_s, p=self.probabilities)
        return ((idx[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(np.int8)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Training loss per evaluation; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        labels = {"xlabel": "evaluation", "ylabel": f"{self.loss.upper()} loss"}
        return plot_curves({f"{self.loss.upper()} loss": self.history}, ax=ax, **labels, **kwargs)


def train_born_machine(
    target: Any,
    *,
    layers: int = 3,
    loss: str = "kl",
    maxiter: int = 300,
    restarts: int = 1,
    seed: SeedLike = None,
) -> BornMachineResult:
    """Fit a circuit Born machine to a target distribution over 2**n bit strings.

    Gradients are exact (adjoint differentiation: the loss gradient is that of ⟨ψ|W|ψ⟩
    with the diagonal weight W = −p/q for KL and 2K(q − p) for MMD, frozen at the current
    q); the optimiser is L-BFGS-B.

    Parameters
    ----------
    target : array_like
        Distribution over 2**n outcomes (2 ≤ n ≤ 16), summing to 1.
    layers : int, default 3
        Entangling layers, in [0, 50].
    loss : str, default "kl"
        ``"kl"`` (KL(target‖model)) or ``"mmd"`` (:func:`mmd`).
    maxiter : int, default 300
        L-BFGS-B iterations per start, in [1, 100000].
    restarts : int, default 1
        Random starts, in [1, 1000]; the best is kept.
    seed : SeedLike, optional
        Seed or generator of the initial angles, normalised by ``make_rng``.

    Returns
    -------
    BornMachineResult
        Trained angles, the model distribution, KL and MMD to the target.

    Raises
    ------
    ValueError
        If ``target`` is not a distribution over at most 2**16 outcomes, or an argument
        is out of range.

    Examples
    --------
    >>> p = empirical_distribution(traffic_bitstrings(2000, seed=2)[:, :3])
    >>> r = train_born_machine(p, layers=2, seed=2)
    >>> r.kl < 0.01
    True
    """
    from scipy.optimize import minimize

    p = _check_dist(target, "target")
    n = int(np.log2(p.size))
    layers = check_integer(layers, "layers", minimum=0, maximum=50)
    loss = check_choice(loss, "loss", ("kl", "mmd"))
    maxiter = check_size(maxiter, "maxiter", maximum=100_000)
    restarts = check_size(restarts, "restarts", maximum=1000)
    if n > 16:
        raise ValueError(f"target must cover at most 16 bits (2**16 outcomes), got {n} bits")
    rng = make_rng(seed)
    ops = _born_ops(n, layers)
    n_par = 2 * n * (layers + 1)
    kern = _kernel(n, (0.5, 1.0, 2.0)) if loss == "mmd" else None
    eps = 1e-10

    seen: dict[bytes, float] = {}  # loss at every evaluated point, for the history

    def fun(x: np.ndarray) -> tuple[float, np.ndarray]:
        q = np.abs(simulate(ops, x, n)) ** 2
        if loss == "kl":
            m = p > 0
            val = float(np.sum(p[m] * np.log(p[m] / np.maximum(q[m], eps))))
            w = -p / np.maximum(q, eps)
        else:
            d = q - p
            val = float(d @ kern @ d)
            w = 2 * kern @ d
        _, g = energy_and_gradient(ops, x, n, w)
        seen[np.asarray(x, dtype=float).tobytes()] = val
        return val, g

    def loss_at(x: np.ndarray) -> float:
        key = np.asarray(x, dtype=float).tobytes()
        return seen[key] if key in seen else fun(x)[0]

    best, hist_best = None, []
    for _ in range(restarts):
        hist: list[float] = []
        res = minimize(
            fun,
            rng.uniform(0, 2 * np.pi, n_par),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": maxiter, "ftol": 1e-13, "gtol": 1e-9},
            callback=lambda xk, *a, h=hist: h.append(loss_at(xk)),
        )
        if best is None or res.fun < best.fun:
            best, hist_best = res, hist
    q = np.abs(simulate(ops, best.x, n)) ** 2
    q = q / q.sum()
    return BornMachineResult(
        params=np.asarray(best.x),
        probabilities=q,
        target=p,
        kl=kl_divergence(p, q),
        mmd=mmd(p, q),
        loss=loss,
        layers=layers,
        history=tuple(hist_best),
    )


# --- Quantum GAN --------------------------------------------------------------------------


def _gen_ops(n: int, layers: int) -> list[Op]:
    ops: list[Op] = []
    k = 0
    for layer in range(layers):
        for i in range(n):
            ops += [("ry", (i,), k), ("rz", (i,), k + 1)]
            k += 2
        if layer < layers - 1:
            for i in range(n - 1):
                ops.append(("cnot", (i, i + 1), None))
    return ops


@dataclass(frozen=True)
class QGANResult(ResultMixin):
    """Outcome of :func:`train_qgan`: fidelity of the generated state to the target.

    Parameters
    ----------
    fidelity : float
        Final fidelity |⟨target|g⟩|² of the generated state.
    discriminator_success : float
        Final success probability of the trained discriminator.
    generator_params : numpy.ndarray
        The generator's angles.
    state : numpy.ndarray
        The generated ket.
    fidelity_history, success_history : tuple of float
        Both values after every training step.

    Examples
    --------
    >>> r = QGANResult(0.96, 0.55, np.zeros(2), np.array([1, 0]), (0.96,), (0.55,))
    >>> round(r.helstrom, 6)  # ½(1 + √(1 − F))
    0.6
    """

    fidelity: float
    discriminator_success: float
    generator_params: np.ndarray = field(repr=False)
    state: np.ndarray = field(repr=False)
    fidelity_history: tuple[float, ...] = field(repr=False)
    success_history: tuple[float, ...] = field(repr=False)

    @property
    def helstrom(self) -> float:
        """Best success any discriminator could reach against the final generator.

        For two pure states at equal priors the Helstrom bound is ½(1 + √(1 − F)),
        F the fidelity (Helstrom 1976); the trained discriminator's
        ``discriminator_success`` can only be at or below it.
        """
        return float(0.5 * (1.0 + np.sqrt(max(1.0 - self.fidelity, 0.0))))

    @property
    def helstrom_history(self) -> tuple[float, ...]:
        """:attr:`helstrom` after every training step (from ``fidelity_history``)."""
        f = np.clip(1.0 - np.asarray(self.fidelity_history), 0.0, None)
        return tuple(float(v) for v in 0.5 * (1.0 + np.sqrt(f)))

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Fidelity and discriminator success per step; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        h = {"fidelity to target": self.fidelity_history}
        h["discriminator success"] = self.success_history
        labels = {"xlabel": "training step", "ylabel": "fidelity, success probability"}
        return plot_curves(h, ax=ax, **labels, **kwargs)


def train_qgan(
    target_state: Any,
    *,
    generator_layers: int = 3,
    discriminator_layers: int = 4,
    steps: int = 300,
    discriminator_steps: int = 5,
    learning_rate: float = 0.2,
    seed: SeedLike = None,
) -> QGANResult:
    """Train a quantum GAN whose generator learns a pure target state of n qubits.

    The generator prepares |g(θ)⟩ from |0…0⟩; the discriminator applies V(φ) and measures Z
    on qubit 0, saying "real" on +1. Its success probability is
    ½ + ¼ (tr ρ_real O − tr ρ_fake O), O = V†Z₀V, which the discriminator ascends and the
    generator descends (alternating gradient steps, exact gradients). At the best
    discriminator this is the Helstrom bound between the real and generated states, so the
    equilibrium is |g⟩ = target (Lloyd & Weedbrook 2018).

    Parameters
    ----------
    target_state : array_like
        A pure state, ket or rank-1 density matrix.
    generator_layers : int, default 3
        Layers of the generator, in [1, 20].
    discriminator_layers : int, default 4
        Layers of the discriminator, in [1, 20].
    steps : int, default 300
        Generator steps, in [1, 10^5].
    discriminator_steps : int, default 5
        Discriminator steps per generator step, in [1, 1000].
    learning_rate : float, default 0.2
        Gradient step size, in (0, 10].
    seed : SeedLike, optional
        Seed or generator of the initial angles, normalised by ``make_rng``.

    Returns
    -------
    QGANResult
        Final fidelity, discriminator success and their histories.

    Raises
    ------
    ValueError
        If ``target_state`` is not a pure state or an argument is out of range.

    Examples
    --------
    >>> from qnetlab.states import bell_state
    >>> r = train_qgan(bell_state("phi+"), steps=150, seed=3)
    >>> r.fidelity > 0.95
    True
    >>> r.discriminator_success <= r.helstrom
    True
    """
    rho_t = to_density_matrix(target_state, "target_state")
    if abs(np.trace(rho_t @ rho_t).real - 1.0) > 1e-6:
        raise ValueError("target_state must be a pure state (ket or rank-1 density matrix)")
    w, v = np.linalg.eigh(rho_t)
    target = v[:, np.argmax(w)]
    n = int(np.log2(target.size))
    gl = check_integer(generator_layers, "generator_layers", minimum=1, maximum=20)
    dl = check_integer(discriminator_layers, "discriminator_layers", minimum=1, maximum=20)
    steps = check_size(steps, "steps", minimum=1, maximum=10**5)
    dsteps = check_size(discriminator_steps, "discriminator_steps", minimum=1, maximum=1000)
    lr = check_in_range(learning_rate, "learning_rate", 0.0, 10.0, low_inclusive=False)
    rng = make_rng(seed)
    g_ops, d_ops = _gen_ops(n, gl), _gen_ops(n, dl)
    theta = rng.uniform(0, 2 * np.pi, 2 * n * gl)
    phi = rng.uniform(0, 2 * np.pi, 2 * n * dl)
    z0 = _zsign(n, 0)
    fid_hist, succ_hist = [], []

    def d_value_grad(ph: np.ndarray, fake: np.ndarray) -> tuple[float, np.ndarray]:
        er, gr = energy_and_gradient(d_ops, ph, n, z0, psi0=target)
        ef, gf = energy_and_gradient(d_ops, ph, n, z0, psi0=fake)
        return 0.5 + 0.25 * (er - ef), 0.25 * (gr - gf)

    for _ in range(steps):
        fake = simulate(g_ops, theta, n)
        for _ in range(dsteps):
            _, gd = d_value_grad(phi, fake)
            phi = phi + lr * gd
        # Generator: descend the discriminator's success, i.e. ascend tr(ρ_fake O).
        big_o = _observable(d_ops, phi, n, z0)
        _, gg = energy_and_gradient(g_ops, theta, n, big_o)
        theta = theta + lr * 0.25 * gg
        fake = simulate(g_ops, theta, n)
        fid_hist.append(float(abs(np.vdot(target, fake)) ** 2))
        succ_hist.append(d_value_grad(phi, fake)[0])
    return QGANResult(
        fidelity=fid_hist[-1],
        discriminator_success=succ_hist[-1],
        generator_params=theta,
        state=simulate(g_ops, theta, n),
        fidelity_history=tuple(fid_hist),
        success_history=tuple(succ_hist),
    )


def qgan_circuits(
    n_qubits: int, generator_layers: int = 3, discriminator_layers: int = 4
) -> tuple[Any, Any]:
    """The generator and discriminator circuits of :func:`train_qgan`, in Cirq.

    Both are ``layers`` × (Ry·Rz on every qubit), with a CNOT ladder between layers; the
    generator's angles are the symbols ``theta_k``, the discriminator's ``phi_k``. The
    generator acts on ``|0…0>``; the discriminator acts on the real or generated state and
    its answer is the sign of ``Z`` on the first qubit ("real" on +1).

    Parameters
    ----------
    n_qubits : int
        Qubits of the target state (1 to 8).
    generator_layers, discriminator_layers : int, optional
        Rotation layers of each circuit (defaults 3 and 4, those of :func:`train_qgan`).

    Returns
    -------
    (cirq.Circuit, cirq.Circuit)
        Generator and discriminator on ``cirq.GridQubit.rect(1, n_qubits)``.

    Raises
    ------
    ValueError
        If a size is out of range.

    Examples
    --------
    >>> import cirq
    >>> g, d = qgan_circuits(2)
    >>> len(cirq.parameter_names(g)), len(cirq.parameter_names(d))
    (12, 16)
    """
    import cirq
    import sympy

    n = check_integer(n_qubits, "n_qubits", minimum=1, maximum=8)
    gl = check_integer(generator_layers, "generator_layers", minimum=1, maximum=20)
    dl = check_integer(discriminator_layers, "discriminator_layers", minimum=1, maximum=20)
    qubits = cirq.GridQubit.rect(1, n)
    theta = sympy.symbols(f"theta_0:{2 * n * gl}")
    phi = sympy.symbols(f"phi_0:{2 * n * dl}")
    return (
        to_cirq(_gen_ops(n, gl), list(theta), qubits),
        to_cirq(_gen_ops(n, dl), list(phi), qubits),
    )


def _observable(ops: list[Op], params: np.ndarray, n: int, zdiag: np.ndarray) -> Any:
    """O = V† diag(z) V as a dense matrix (V the discriminator unitary)."""
    from scipy.sparse import csr_matrix

    cols = np.stack([simulate(ops, params, n, np.eye(2**n)[j]) for j in range(2**n)], axis=1)
    # einsum rather than BLAS: tiny matrices, and no thread start-up cost.
    return csr_matrix(np.einsum("ki,k,kj->ij", cols.conj(), zdiag, cols))
