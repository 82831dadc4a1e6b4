"""Shared plumbing of the network design problems: results, budgets, integer encodings.

:mod:`qnetlab.network.placement` poses repeater placement and qubit allocation for the
optimisers of :mod:`qnetlab.ai.optimizers`; this module holds what both use: the
:class:`DesignSolution` they return, the equal-cost ``budget`` rule (every heuristic stops
after exactly ``budget`` objective evaluations) and the integer encodings of an allocation
(:func:`compositions` enumerates them, :func:`allocation_from_weights` decodes the real
weights of a GA or particle swarm).

>>> compositions(3, 2).tolist()
[[0, 3], [1, 2], [2, 1], [3, 0]]
>>> allocation_from_weights([0.6, 0.4], 5).tolist()
[3, 2]
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import REPR_WIDTH, check_array, check_integer, clip, summary_block
from ..plotting_results import plot_curves
from ..results import ResultMixin

__all__ = [
    "DESIGN_METHODS",
    "DesignSolution",
    "allocation_from_weights",
    "compositions",
]

#: Solvers of the design problems: exhaustive search and the heuristics at equal cost.
DESIGN_METHODS: tuple[str, ...] = ("exhaustive", "ga", "sa", "pso", "random")


@dataclass(frozen=True, eq=False)
class DesignSolution(ResultMixin):
    """A solution of a design problem.

    Parameters
    ----------
    method : str
        One of :data:`DESIGN_METHODS`.
    solution : tuple or dict
        The repeater sites (tuple of nodes) or the qubits per node (dict).
    utility : float
        The problem's utility at the solution (higher is better).
    result : qnetlab.ai.optimizers.OptimizeResult
        The optimiser's result (its values are ``−utility``: the optimisers minimise).

    Examples
    --------
    >>> from qnetlab.network.placement import repeater_placement_instance, solve_placement
    >>> sol = solve_placement(repeater_placement_instance(12, 2, 2, seed=1), "exhaustive")
    >>> sol.method, sol.result.n_evaluations, bool(sol.trace[-1] == sol.utility)
    ('exhaustive', 28, True)
    """

    method: str
    solution: Any
    utility: float
    result: Any

    @property
    def history(self) -> np.ndarray:
        """Best utility found after each iteration."""
        return -np.asarray(self.result.history)

    @property
    def trace(self) -> np.ndarray:
        """Best utility found after each objective evaluation (for equal-cost comparisons)."""
        return -np.asarray(self.result.trace)

    def __repr__(self) -> str:
        """Short, one-line form (a long solution is cut); :meth:`summary` shows it whole.

        >>> from qnetlab.network.placement import repeater_placement_instance, solve_placement
        >>> solve_placement(repeater_placement_instance(12, 2, 2, seed=1), "exhaustive")
        DesignSolution(method='exhaustive', utility=2.64017, solution=(0, 2), evaluations=28)
        """
        head = f"DesignSolution(method={self.method!r}, utility={self.utility:.6g}, solution="
        tail = f", evaluations={self.result.n_evaluations})"
        width = max(REPR_WIDTH - len(head) - len(tail), 8)
        return head + clip(repr(self.solution), width) + tail

    def summary(self) -> str:
        """Every field, one per line (the solution whole).

        Returns
        -------
        str
            A title line, then ``name  value`` lines.

        Examples
        --------
        >>> from qnetlab.network.placement import repeater_placement_instance, solve_placement
        >>> sol = solve_placement(repeater_placement_instance(12, 2, 2, seed=1), "exhaustive")
        >>> print(sol.summary())
        DesignSolution
          method       'exhaustive'
          utility      2.64017
          solution     (0, 2)
          evaluations  28
        """
        return summary_block(
            "DesignSolution",
            [
                ("method", self.method),
                ("utility", self.utility),
                ("solution", self.solution),
                ("evaluations", self.result.n_evaluations),
            ],
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Best utility so far per iteration; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        labels = {"xlabel": "iteration", "ylabel": "best utility so far"}
        return plot_curves({self.method: self.history}, ax=ax, **labels, **kwargs)


def compositions(total: int, parts: int) -> np.ndarray:
    """All ways to write ``total`` as an ordered sum of ``parts`` non-negative integers.

    There are ``C(total + parts − 1, parts − 1)`` of them (stars and bars).

    Parameters
    ----------
    total : int
        The sum, non-negative.
    parts : int
        Number of summands, at least 1.

    Returns
    -------
    numpy.ndarray
        One composition per row, shape (C(total + parts − 1, parts − 1), parts).

    Raises
    ------
    ValueError
        If an argument is out of range or there are more than 5,000,000 compositions.

    Examples
    --------
    >>> compositions(2, 2).tolist()
    [[0, 2], [1, 1], [2, 0]]
    """
    t = check_integer(total, "total", minimum=0, maximum=5_000_000)
    p = check_integer(parts, "parts", minimum=1, maximum=5_000_000)
    count = math.comb(t + p - 1, p - 1) if min(t, p - 1) < 64 else math.inf
    if count > 5_000_000:
        raise ValueError(
            f"total={t} and parts={p} give "
            f"{'over 1e18' if math.isinf(count) else f'{count:.3g}'} compositions, too many to enumerate "
            "(limit 5,000,000); lower total or parts, or search the allocations heuristically"
        )
    bars = np.array(list(itertools.combinations(range(t + p - 1), p - 1)), dtype=np.int64)
    if p == 1:
        return np.full((1, 1), t, dtype=np.int64)
    edges = np.hstack(
        [np.full((bars.shape[0], 1), -1), bars, np.full((bars.shape[0], 1), t + p - 1)]
    )
    return np.diff(edges, axis=1) - 1


def allocation_from_weights(weights: ArrayLike, total: int) -> np.ndarray:
    """Integer allocation summing to ``total`` in proportion to non-negative ``weights``.

    Largest-remainder rounding (Hamilton's method); all-zero weights share equally.

    Parameters
    ----------
    weights : array_like
        Non-negative weights, one per recipient (1-D, non-empty).
    total : int
        Number of units to share, non-negative.

    Returns
    -------
    numpy.ndarray
        Integer shares (int64) summing to ``total``.

    Raises
    ------
    ValueError
        If ``weights`` is empty, not 1-D, or holds a negative or non-finite number.

    Examples
    --------
    >>> allocation_from_weights([0.5, 0.3, 0.2], 10).tolist()
    [5, 3, 2]
    >>> allocation_from_weights([1, 1, 1], 4).tolist()
    [2, 1, 1]
    """
    t = check_integer(total, "total", minimum=0, maximum=2**62)
    w = check_array(weights, "weights", ndim=1, low=0.0)
    if w.sum() == 0:
        w = np.ones_like(w)
    share = t * w / w.sum()
    base = np.floor(share).astype(np.int64)
    rest = t - int(base.sum())
    order = np.argsort(-(share - base), kind="stable")
    base[order[:rest]] += 1
    return base


def _budget_options(
    method: str, budget: int | None, options: dict[str, Any], defaults: dict[str, Any]
) -> dict[str, Any]:
    """Optimiser keywords: the defaults, the caller's options and, with a ``budget``, the
    iteration count that reaches it plus ``max_evaluations=budget`` (an exact stop)."""
    kw = {**defaults, **options}
    if budget is None:
        return kw
    b = check_integer(budget, "budget", minimum=1)
    if method == "ga":
        per_gen = max(kw["population_size"] - kw.get("elitism", 2), 1)
        kw["n_generations"] = max(math.ceil(b / per_gen), 1)
    elif method == "sa":
        kw["n_iterations"] = max(b - 21, 1)  # x0 and a 20-step walk set the temperature
    elif method == "pso":
        kw["n_iterations"] = max(math.ceil(b / kw["n_particles"]), 1)
    kw["max_evaluations"] = b
    return kw
