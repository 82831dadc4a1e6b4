"""Path metrics: the rate and fidelity a path delivers, and the additive link costs.

**Path model.** A path is a repeater chain scored by :mod:`qnetlab.network.chain_model`
(swap as soon as possible, E[max] of exponential link times, memory decay over the mean
storage time, classical signalling time L_total / c_fibre, swap success p_s per swap):

$$ R = \\frac{p_s^{\\,n-1}}{\\mathbb E[\\max_i X_i] + L_\\text{total}/c}, \\qquad
   X_i \\sim \\mathrm{Exp}(r_i), $$

and pairs below a fidelity threshold are worth nothing (``delivered_rate`` is 0). Every
edge is one heralded elementary link over its whole ``length_km``.

**Link costs** (:data:`COSTS`, :func:`link_cost`): the additive costs that the path
finders of :mod:`qnetlab.network.routing` minimise: ``"inverse_rate"`` (expected link
time 1/r), ``"length"``, ``"hops"`` and ``"infidelity"`` (−ln w with w = (4F − 1)/3).

>>> from qnetlab.network.topologies import metro_mesh
>>> m = path_metrics(metro_mesh(8, seed=1), [0, 2, 4])
>>> m.hops, round(m.distance_km, 1)
(2, 90.0)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import networkx as nx
import numpy as np

from .._validation import (
    REPR_WIDTH,
    check_in_range,
    check_positive,
    check_probability,
    clip,
    summary_block,
)
from ..results import ResultMixin
from .chain_model import _chain
from .topologies import DEFAULT_COHERENCE_TIME_S, validate_topology

__all__ = [
    "COSTS",
    "PathMetrics",
    "link_cost",
    "path_metrics",
]


#: Additive link costs understood by the path finders.
COSTS: tuple[str, ...] = ("inverse_rate", "length", "hops", "infidelity")


@dataclass(frozen=True, slots=True)
class PathMetrics(ResultMixin):
    """End-to-end figures of one path (the model: :mod:`qnetlab.network.chain_model`).

    Parameters
    ----------
    path : tuple of hashable
        The nodes of the path.
    hops : int
        Number of links.
    distance_km : float
        End-to-end fibre length (km).
    link_rates, link_fidelities : tuple of float
        Elementary rate (pairs/s) and fidelity of each link.
    waiting_time_s : float
        E[max_i X_i], the mean time until every link holds a pair (s).
    classical_time_s : float
        Time of the swap messages over ``distance_km`` (s).
    rate : float
        End-to-end pairs per second.
    fidelity : float
        Fidelity of the delivered pair.
    fidelity_threshold : float
        The fidelity the application needs.
    delivered_rate : float
        ``rate`` if ``fidelity`` reaches the threshold, else 0.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_ring
    >>> m = path_metrics(metro_ring(6, seed=0), [0, 1, 2], fidelity_threshold=0.99)
    >>> m.feasible, m.delivered_rate
    (False, 0.0)
    """

    path: tuple[Hashable, ...]
    hops: int
    distance_km: float
    link_rates: tuple[float, ...]
    link_fidelities: tuple[float, ...]
    waiting_time_s: float
    classical_time_s: float
    rate: float
    fidelity: float
    fidelity_threshold: float
    delivered_rate: float

    @property
    def feasible(self) -> bool:
        """True if the delivered pairs meet the fidelity threshold."""
        return self.delivered_rate > 0.0

    def __repr__(self) -> str:
        """Short, one-line form (a long path is cut); :meth:`summary` lists every field.

        >>> from qnetlab.network.topologies import metro_ring
        >>> path_metrics(metro_ring(6, seed=0), [0, 1, 2], fidelity_threshold=0.9)
        PathMetrics(path=[0, 1, 2], hops=2, rate=...
        """
        rest = (
            f", hops={self.hops}, rate={self.rate:.4g}/s, fidelity={self.fidelity:.4f}, "
            f"feasible={self.feasible})"
        )
        head = "PathMetrics(path="
        path = clip(str(list(self.path)), max(REPR_WIDTH - len(head) - len(rest), 8))
        return head + path + rest

    def summary(self) -> str:
        """Every field, one per line.

        Returns
        -------
        str
            A title line, then ``name  value`` lines.

        Examples
        --------
        >>> from qnetlab.network.topologies import metro_ring
        >>> m = path_metrics(metro_ring(6, seed=0), [0, 1, 2], fidelity_threshold=0.9)
        >>> print(m.summary())
        PathMetrics
          path                [0, 1, 2]
          hops                2
          distance_km         ...
          fidelity_threshold  0.9
          delivered_rate      ...
        """
        rows = [(f.name, getattr(self, f.name)) for f in fields(self)]
        rows[0] = ("path", list(self.path))
        return summary_block("PathMetrics", rows)


def _graph_params(
    graph: nx.Graph, coherence_time_s: float | None, swap_success: float | None
) -> tuple[float, float]:
    tc = (
        graph.graph.get("coherence_time_s", DEFAULT_COHERENCE_TIME_S)
        if coherence_time_s is None
        else coherence_time_s
    )
    ps = graph.graph.get("swap_success", 1.0) if swap_success is None else swap_success
    tc = check_positive(tc, "coherence_time_s")
    ps = check_in_range(ps, "swap_success", 0.0, 1.0, low_inclusive=False)
    return tc, ps


def path_metrics(
    graph: nx.Graph,
    path: Sequence[Hashable],
    *,
    fidelity_threshold: float = 0.5,
    coherence_time_s: float | None = None,
    swap_success: float | None = None,
) -> PathMetrics:
    """Rate and fidelity of the end-to-end pairs delivered along ``path``.

    ``delivered_rate`` is the rate if the fidelity reaches ``fidelity_threshold``, else 0.

    Parameters
    ----------
    graph : networkx.Graph
        The network; links carry ``rate``, ``fidelity`` and ``length_km`` attributes.
        Each edge is one elementary link (segment_long_links adds repeaters along it).
    path : sequence of hashable
        The nodes of the path, adjacent in ``graph``.
    fidelity_threshold : float, optional
        The fidelity the application needs, in [0, 1].
    coherence_time_s : float, optional
        Memory coherence time (s); defaults to the graph's attribute.
    swap_success : float, optional
        Success probability of one swap; defaults to the graph's attribute.

    Returns
    -------
    PathMetrics
        Hops, distance, waiting time, rate, fidelity and delivered rate.

    Raises
    ------
    ValueError
        If the path is not a path of ``graph`` or a value is out of range.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_ring
    >>> g = metro_ring(6, circumference_km=120.0, source_fidelity=0.98, seed=0)
    >>> m = path_metrics(g, [0, 1, 2])
    >>> m.hops, round(m.rate), round(m.fidelity, 4)
    (2, 2913, 0.9536)
    """
    validate_topology(graph)
    thr = check_probability(fidelity_threshold, "fidelity_threshold")
    tc, ps = _graph_params(graph, coherence_time_s, swap_success)
    return _path_metrics(graph, path, thr, tc, ps)


def _path_metrics(
    graph: nx.Graph, path: Sequence[Hashable], thr: float, tc: float, ps: float
) -> PathMetrics:
    """:func:`path_metrics` after the graph and parameters have been checked."""
    p = list(path) if not isinstance(path, str) else None
    if p is None or len(p) < 2:
        raise ValueError("path must be a sequence of at least two nodes")
    for node in p:
        if node not in graph:
            raise ValueError(f"path contains the unknown node {node!r}")
    if len(set(p)) != len(p):
        raise ValueError("path must not visit a node twice")
    rates, fids, lengths = [], [], []
    for u, v in itertools.pairwise(p):
        if not graph.has_edge(u, v):
            raise ValueError(f"path uses the missing link ({u!r}, {v!r})")
        d = graph.edges[u, v]
        rates.append(float(d["rate"]))
        fids.append(float(d["fidelity"]))
        lengths.append(float(d["length_km"]))
    r, f = np.asarray(rates), np.asarray(fids)
    wait, t_cc, rate, fid = _chain(r, f, float(sum(lengths)), tc, ps)
    return PathMetrics(
        path=tuple(p),
        hops=len(p) - 1,
        distance_km=float(sum(lengths)),
        link_rates=tuple(rates),
        link_fidelities=tuple(fids),
        waiting_time_s=wait,
        classical_time_s=t_cc,
        rate=rate,
        fidelity=fid,
        fidelity_threshold=thr,
        delivered_rate=rate if fid >= thr else 0.0,
    )


def link_cost(data: dict[str, Any], cost: str = "inverse_rate") -> float:
    """Additive cost of one link with attributes ``data``.

    Parameters
    ----------
    data : dict
        The link's attributes (``rate``, ``length_km``, ``fidelity``).
    cost : {"inverse_rate", "length", "hops", "infidelity"}, optional
        1/rate, fibre length, 1 per link, or 1 − fidelity.

    Returns
    -------
    float
        The cost, non-negative.

    Raises
    ------
    ValueError
        If ``cost`` is unknown.

    Examples
    --------
    >>> link_cost({"rate": 1000.0, "length_km": 20.0, "fidelity": 1.0}, "inverse_rate")
    0.001
    >>> link_cost({"rate": 1000.0, "length_km": 20.0, "fidelity": 1.0}, "infidelity")
    0.0
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"data must be a dict of link attributes, got {type(data).__name__}")
    key = {"inverse_rate": "rate", "length": "length_km", "infidelity": "fidelity"}.get(cost)
    if key is not None and key not in data:
        raise ValueError(f"data must hold the link attribute {key!r} for cost={cost!r}")
    if cost == "inverse_rate":
        return 1.0 / float(data["rate"])
    if cost == "length":
        return float(data["length_km"])
    if cost == "hops":
        return 1.0
    if cost == "infidelity":
        w = (4.0 * float(data["fidelity"]) - 1.0) / 3.0
        return math.inf if w <= 0 else max(-math.log(w), 0.0)
    raise ValueError(f"cost must be one of {', '.join(repr(c) for c in COSTS)}; got {cost!r}")
