"""QAOA for a general Ising Hamiltonian (fields and couplings), on Cirq and a NumPy fast path.

Farhi, Goldstone & Gutmann (2014): prepare ``|+⟩ⁿ``, apply p layers of the cost unitary
``exp(−iγ H_C)`` and the mixer ``exp(−iβ Σ X)``, sample. :func:`ising_qaoa_circuit` draws the
circuit in Cirq (the ground truth); :func:`run_qaoa_ising` optimises the angles with the
adjoint-gradient state-vector fast path of :mod:`qnetlab.qnn.vqa`, whose max-cut QAOA is
the special case ``h = 0`` (the tests check both). The Hamiltonian comes from
:func:`qnetlab.qnn.qubo.qubo_to_ising`.

>>> from qnetlab.qnn.qubo import qubo_to_ising
>>> r = run_qaoa_ising(qubo_to_ising([[-1, 2], [0, -1]]), p=2, seed=0)
>>> r.probability_optimal > 0.9
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import SeedLike, check_integer, check_size, make_rng
from ..results import ResultMixin
from ._qaoa import _qaoa_state, check_init, maximise_angles
from .qubo import IsingModel
from .vqa import _interp

__all__ = ["IsingQAOAResult", "ising_qaoa_circuit", "qaoa_ising_depth_sweep", "run_qaoa_ising"]


def ising_qaoa_circuit(model: IsingModel, gammas: Any = None, betas: Any = None) -> Any:
    """QAOA circuit for an Ising Hamiltonian: H on all, then p × (cost layer, mixer).

    Cost layer ``exp(−iγ H_C)`` with ``H_C = Σ h_i Z_i + Σ J_ij Z_i Z_j``: ``rz(2γh_i)`` on
    each qubit and ``exp(−iγ J_ij Z_iZ_j)`` on each coupled pair; mixer ``Π rx(2β)``
    (Farhi, Goldstone & Gutmann 2014). With ``gammas``/``betas`` None, p = 1 with sympy
    symbols ``gamma_0``, ``beta_0``.

    Parameters
    ----------
    model : IsingModel
        the cost Hamiltonian.
    gammas, betas : sequence of float, optional
        the angles, equal non-zero length p.

    Returns
    -------
    cirq.Circuit
        on ``cirq.LineQubit.range(n)``.

    Raises
    ------
    TypeError
        if ``model`` is not an :class:`IsingModel`.
    ValueError
        if the angle lists are empty or of different lengths.

    Examples
    --------
    >>> from qnetlab.qnn.qubo import qubo_to_ising
    >>> m = qubo_to_ising([[-1, 2], [0, -1]])
    >>> len(ising_qaoa_circuit(m, [0.3], [0.2]).all_qubits())
    2
    """
    import cirq
    import sympy

    if not isinstance(model, IsingModel):
        raise TypeError(f"model must be an IsingModel, got {type(model).__name__}")
    if gammas is None or betas is None:
        gammas, betas = [sympy.Symbol("gamma_0")], [sympy.Symbol("beta_0")]
    if len(gammas) != len(betas) or len(gammas) == 0:
        raise ValueError("gammas and betas must be non-empty and of equal length")
    q = cirq.LineQubit.range(model.n)
    c = cirq.Circuit(cirq.H.on_each(*q))
    for g, b in zip(gammas, betas, strict=True):
        for i, j, w in model.couplings:
            c.append(cirq.ZZPowGate(exponent=2 * g * w / np.pi, global_shift=-0.5)(q[i], q[j]))
        for i, hi in enumerate(model.h):
            if hi != 0:
                c.append(cirq.rz(2 * g * hi)(q[i]))
        c.append(cirq.rx(2 * b).on_each(*q))
    return c


@dataclass(frozen=True)
class IsingQAOAResult(ResultMixin):
    """Outcome of :func:`run_qaoa_ising` at depth ``p`` (noiseless state vector).

    ``probabilities`` is the output distribution over the ``2ⁿ`` basis states (Cirq order).
    ``n_circuits`` counts circuit executions of the angle optimisation as hardware would
    run them: per optimiser call one circuit for ⟨H⟩ and two per angle (parameter shift;
    a lower bound, γ is shared by many gates). ``two_qubit_gates`` counts CNOTs per
    circuit (two per coupling per layer).

    Parameters
    ----------
    p : int
        depth.
    gammas, betas : numpy.ndarray
        optimised angles (in the units of the model's energy).
    expected_energy, ground_energy, max_energy : float
        ⟨H⟩, the minimum and maximum energy.
    probability_optimal : float
        probability of sampling a ground state in one shot.
    probabilities : numpy.ndarray
        the output distribution.
    energies : numpy.ndarray
        the energy of each basis state.
    n_circuits, two_qubit_gates : int
        cost counters.

    Examples
    --------
    >>> from qnetlab.qnn.qubo import qubo_to_ising
    >>> r = run_qaoa_ising(qubo_to_ising([[-1, 2], [0, -1]]), p=1, seed=0)
    >>> round(r.approximation_ratio, 3) > 0.5
    True
    """

    p: int
    gammas: np.ndarray = field(repr=False)
    betas: np.ndarray = field(repr=False)
    expected_energy: float
    ground_energy: float
    max_energy: float
    probability_optimal: float
    probabilities: np.ndarray = field(repr=False)
    energies: np.ndarray = field(repr=False)
    n_circuits: int = 0
    two_qubit_gates: int = 0

    @property
    def approximation_ratio(self) -> float:
        """``(E_max − ⟨H⟩)/(E_max − E_min)``: 1 at the ground state, 1/2-ish at random."""
        span = self.max_energy - self.ground_energy
        return 1.0 if span == 0 else (self.max_energy - self.expected_energy) / span

    def success_probability(self, shots: int) -> float:
        """Probability that at least one of ``shots`` samples is a ground state.

        Parameters
        ----------
        shots : int
            number of samples, >= 1.

        Returns
        -------
        float
            ``1 − (1 − p_opt)^shots``.

        Examples
        --------
        >>> from qnetlab.qnn.qubo import qubo_to_ising
        >>> r = run_qaoa_ising(qubo_to_ising([[-1, 2], [0, -1]]), p=1, seed=0)
        >>> r.success_probability(10) >= r.probability_optimal
        True
        """
        s = check_size(shots, "shots", minimum=1, maximum=10**9)
        return float(1 - (1 - self.probability_optimal) ** s)

    def expected_best_energy(self, shots: int) -> float:
        """Expected lowest energy among ``shots`` independent samples.

        Parameters
        ----------
        shots : int
            number of samples, >= 1.

        Returns
        -------
        float
            ``Σ_e e [P(E ≥ e)^S − P(E > e)^S]`` over the distinct energies e.

        Examples
        --------
        >>> from qnetlab.qnn.qubo import qubo_to_ising
        >>> r = run_qaoa_ising(qubo_to_ising([[-1, 2], [0, -1]]), p=1, seed=0)
        >>> r.expected_best_energy(1000) == r.ground_energy
        True
        """
        s = check_size(shots, "shots", minimum=1, maximum=10**9)
        levels, inv = np.unique(np.round(self.energies, 9), return_inverse=True)
        pk = np.bincount(inv, weights=self.probabilities, minlength=levels.size)
        at_least = np.clip(np.cumsum(pk[::-1])[::-1], 0.0, 1.0)  # P(E >= e_k)
        above = np.append(at_least[1:], 0.0)
        weights = at_least**s - above**s
        return float(levels @ weights) if weights[0] < 1 - 1e-15 else float(levels[0])


def run_qaoa_ising(
    model: IsingModel,
    p: int = 1,
    *,
    restarts: int = 5,
    init: tuple[Any, Any] | None = None,
    seed: SeedLike = None,
) -> IsingQAOAResult:
    """Optimise QAOA angles for ``model`` (L-BFGS-B, exact gradients, noiseless simulator).

    The energy is rescaled to unit standard deviation over the basis states for the
    optimiser (the angles returned are in the model's units); each start draws
    ``γ ∈ [0, 1]`` (rescaled) and ``β ∈ [0, π/2]``. ``init`` = (gammas, betas) adds one
    start (e.g. interpolated from depth p − 1). Uses the adjoint-gradient fast path of
    :mod:`qnetlab.qnn.vqa`; the tests check it against :func:`ising_qaoa_circuit` in Cirq.

    Parameters
    ----------
    model : IsingModel
        the cost Hamiltonian, n <= 20.
    p : int, optional
        depth, 1 to 20.
    restarts : int, optional
        random starts (>= 1 unless ``init`` is given).
    init : tuple of two arrays of length p, optional
        one more start, in the model's units.
    seed : SeedLike, optional
        int, ``np.random.Generator`` or None.

    Returns
    -------
    IsingQAOAResult
        the best angles, ⟨H⟩, the ground energy, the output distribution and costs.

    Raises
    ------
    TypeError
        if ``model`` is not an :class:`IsingModel`.
    ValueError
        if ``p`` is out of range, ``init`` has the wrong shape, or there is no start.

    Examples
    --------
    >>> from qnetlab.qnn.qubo import qubo_to_ising
    >>> r = run_qaoa_ising(qubo_to_ising([[-1, 2], [0, -1]]), p=2, seed=0)
    >>> r.probability_optimal > 0.9
    True
    """
    if not isinstance(model, IsingModel):
        raise TypeError(f"model must be an IsingModel, got {type(model).__name__}")
    p = check_integer(p, "p", minimum=1, maximum=20)
    restarts = check_size(restarts, "restarts", minimum=0, maximum=1000)
    rng = make_rng(seed)
    n = model.n
    energies = model.energies()
    scale = float(energies.std()) or 1.0
    target = -(energies - energies.mean()) / scale  # QAOA of vqa maximises this diagonal
    starts = []
    if init is not None:
        g0, b0 = check_init(init, p)
        starts.append(np.concatenate([-g0 * scale, b0]))
    for _ in range(restarts):
        starts.append(np.concatenate([rng.uniform(0, 1, p), rng.uniform(0, np.pi / 2, p)]))
    best, calls = maximise_angles(target, n, starts)
    x = best.x
    # exp(−iγ' target) = exp(+iγ'/scale · E) · phase, so the circuit angle is γ = −γ'/scale
    gammas, betas = -x[:p] / scale, x[p:].copy()
    probs = np.abs(_qaoa_state(target, n, x[:p], x[p:])) ** 2
    e_min, e_max = float(energies.min()), float(energies.max())
    opt = np.isclose(energies, e_min, rtol=0, atol=1e-9 * max(1.0, abs(e_min)))
    return IsingQAOAResult(
        p=p,
        gammas=gammas,
        betas=betas,
        expected_energy=float(probs @ energies),
        ground_energy=e_min,
        max_energy=e_max,
        probability_optimal=float(probs[opt].sum()),
        probabilities=probs,
        energies=energies,
        n_circuits=calls * (1 + 4 * p),
        two_qubit_gates=2 * len(model.couplings) * p,
    )


def qaoa_ising_depth_sweep(
    model: IsingModel, p_max: int = 3, *, restarts: int = 3, seed: SeedLike = None
) -> list[IsingQAOAResult]:
    """QAOA at depths 1 … ``p_max``; depth p + 1 starts from depth p interpolated (INTERP).

    Depth 1 uses ``restarts`` random starts; each deeper level one INTERP start (Zhou et
    al. 2020) and one random start, as :func:`qnetlab.qnn.vqa.qaoa_depth_sweep` does for
    max-cut.

    Parameters
    ----------
    model : IsingModel
        the cost Hamiltonian.
    p_max : int, optional
        largest depth, 1 to 20.
    restarts : int, optional
        random starts at depth 1, >= 1.
    seed : SeedLike, optional
        int, ``np.random.Generator`` or None.

    Returns
    -------
    list of IsingQAOAResult
        one result per depth.

    Raises
    ------
    ValueError
        if ``p_max`` or ``restarts`` is out of range.

    Examples
    --------
    >>> from qnetlab.qnn.qubo import qubo_to_ising
    >>> sweep = qaoa_ising_depth_sweep(qubo_to_ising([[-1, 2], [0, -1]]), 2, seed=0)
    >>> [r.p for r in sweep]
    [1, 2]
    """
    p_max = check_integer(p_max, "p_max", minimum=1, maximum=20)
    restarts = check_size(restarts, "restarts", minimum=1, maximum=1000)
    rng = make_rng(seed)
    out = [run_qaoa_ising(model, 1, restarts=restarts, seed=rng)]
    for p in range(2, p_max + 1):
        init = (_interp(out[-1].gammas), _interp(out[-1].betas))
        out.append(run_qaoa_ising(model, p, restarts=1, init=init, seed=rng))
    return out
