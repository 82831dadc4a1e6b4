"""Links of a quantum network graph: elementary-link physics, annotation and checks.

The elementary link is heralded at a station midway between the two nodes (Barrett–Kok
double click): each node sends a photon over L/2 of fibre, both must arrive and be detected,
and the Bell-state measurement succeeds half of the time, so one attempt succeeds with

$$ p = \\tfrac12\\, \\eta_d^2\\, \\eta(L/2)^2 = \\tfrac12\\, \\eta_d^2\\, 10^{-\\alpha L/10}. $$

An attempt lasts a round trip to the station, ``L / c_fibre``, and ``n_modes`` multiplexed modes
are tried in parallel, so the link delivers ``rate = (1 - (1 - p)^m) c / L`` pairs per second
(:func:`elementary_link_rate`). While the herald travels back, the memory qubits decay
(depolarising model), which lowers the link fidelity from the source fidelity
(:func:`elementary_link_fidelity`).

:func:`annotate_links` writes these onto a fibre graph, :func:`segment_long_links` places
repeater nodes along long fibres, and :func:`check_graph` / :func:`validate_topology` are
the checks every network function makes. The graph builders are in
:mod:`qnetlab.network.topologies` (which re-exports these names).

>>> round(elementary_link_fidelity(20.0, source_fidelity=0.97), 4)
0.9686
>>> validate_topology(nx.Graph())
Traceback (most recent call last):
...
ValueError: graph must have at least one node (got an empty graph)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import networkx as nx
import numpy as np

from .._validation import (
    SeedLike,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    make_rng,
)
from ..channels import C_FIBER_KM_PER_S, fiber_delay
from ..repeaters import double_click_probability, memory_fidelity

__all__ = [
    "DEFAULT_COHERENCE_TIME_S",
    "annotate_links",
    "check_graph",
    "elementary_link_fidelity",
    "elementary_link_rate",
    "segment_long_links",
    "validate_topology",
]

#: Default coherence time of a stored entangled pair (seconds): a good trapped-ion or
#: NV-centre memory with dynamical decoupling.
DEFAULT_COHERENCE_TIME_S: float = 0.05


def elementary_link_rate(
    length_km: float,
    *,
    attenuation_db_per_km: float = 0.2,
    detector_efficiency: float = 0.9,
    n_modes: int = 100,
) -> float:
    """Elementary entangled pairs per second over a heralded link of ``length_km``.

    Success per mode ``p = ½ η_d² η(L)`` (midpoint station, double click:
    :func:`qnetlab.repeaters.double_click_probability`), ``n_modes`` multiplexed modes per
    attempt, one attempt per round trip ``L / c_fibre`` to the station.
    A zero-length link is limited by a 1 µs minimum attempt time.

    Parameters
    ----------
    length_km : float
        Length of the link (km), non-negative.
    attenuation_db_per_km : float, optional
        Fibre attenuation α (dB/km).
    detector_efficiency : float, optional
        Detector efficiency η_d at the station, in [0, 1].
    n_modes : int, optional
        Multiplexed modes per attempt, at least 1.

    Returns
    -------
    float
        Heralded pairs per second.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> round(elementary_link_rate(50.0))
    4013
    >>> elementary_link_rate(100.0) < elementary_link_rate(50.0)
    True
    """
    length = check_non_negative(length_km, "length_km")
    p = double_click_probability(
        length,
        detector_efficiency=detector_efficiency,
        n_modes=n_modes,
        attenuation_db_per_km=attenuation_db_per_km,
    )
    return float(p / max(fiber_delay(length), 1e-6))


def elementary_link_fidelity(
    length_km: float,
    *,
    source_fidelity: float = 0.97,
    coherence_time_s: float = DEFAULT_COHERENCE_TIME_S,
) -> float:
    """Fidelity of a heralded elementary pair: source fidelity after the herald wait.

    The memories hold their qubits for one round trip ``L / c_fibre`` to the midpoint station,
    under depolarising decay (:func:`qnetlab.repeaters.memory_fidelity`).

    Parameters
    ----------
    length_km : float
        Length of the link (km), non-negative.
    source_fidelity : float, optional
        Werner fidelity of the emitted pair, in [1/4, 1].
    coherence_time_s : float, optional
        Coherence time of a stored pair (s), positive.

    Returns
    -------
    float
        Fidelity of the heralded pair.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> round(elementary_link_fidelity(0.0, source_fidelity=0.97), 6)
    0.97
    >>> elementary_link_fidelity(100.0) < 0.97
    True
    """
    length = check_non_negative(length_km, "length_km")
    f0 = check_in_range(source_fidelity, "source_fidelity", 0.25, 1.0)
    tc = check_positive(coherence_time_s, "coherence_time_s")
    return float(memory_fidelity(f0, length / C_FIBER_KM_PER_S, tc))


def _missing_attribute(where: str, key: str) -> str:
    """The message of a missing node or link attribute: which call adds it."""
    if key == "length_km":
        fix = (
            "set the fibre length of every link first (graph.edges[u, v]['length_km'] = ... "
            "or networkx.set_edge_attributes(graph, lengths, 'length_km')), then call "
            "qnetlab.network.annotate_links(graph)"
        )
    else:
        fix = (
            "qnetlab.network.annotate_links(graph) adds it (node 'memory_qubits', link "
            "'rate' and 'fidelity' from each link's 'length_km')"
        )
    return f"{where} has no {key!r} attribute: {fix}"


def _draw(
    value: float | Sequence[float], name: str, rng: np.random.Generator, low: float, high: float
) -> Any:
    """A fixed value or a value drawn uniformly from a (low, high) range."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 2:
            raise ValueError(f"{name} must be a number or a (low, high) pair, got {value!r}")
        lo = check_in_range(value[0], name, low, high)
        hi = check_in_range(value[1], name, low, high)
        if hi < lo:
            raise ValueError(f"{name} range must have low <= high, got {value!r}")
        return lambda: float(rng.uniform(lo, hi))
    v = check_in_range(value, name, low, high)
    return lambda: v


def annotate_links(
    graph: nx.Graph,
    *,
    source_fidelity: float | Sequence[float] = (0.95, 0.99),
    memory_qubits: int | Sequence[int] = 4,
    attenuation_db_per_km: float = 0.2,
    detector_efficiency: float = 0.9,
    n_modes: int = 100,
    coherence_time_s: float = DEFAULT_COHERENCE_TIME_S,
    swap_success: float = 1.0,
    seed: SeedLike = None,
) -> nx.Graph:
    """Fill in link and node physics on a graph whose links already have ``length_km``.

    Parameters
    ----------
    graph : networkx.Graph
        The network; every link has a ``length_km`` attribute.
    source_fidelity : float or (float, float), optional
        Werner fidelity of the link sources: a number or a ``(low, high)`` range drawn
        per link.
    memory_qubits : int or (int, int), optional
        Memory qubits per node: an int or an inclusive ``(low, high)`` range drawn per node.
    attenuation_db_per_km : float, optional
        Fibre attenuation (dB/km).
    detector_efficiency : float, optional
        Detector efficiency at the heralding stations, in [0, 1].
    n_modes : int, optional
        Multiplexed modes per attempt, at least 1.
    coherence_time_s : float, optional
        Coherence time of a stored pair (s), positive.
    swap_success : float, optional
        Success probability of one swap, in (0, 1].
    seed : int, Generator or None, optional
        Randomness of the draws.

    Returns
    -------
    networkx.Graph
        The same graph, modified in place.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> g = nx.path_graph(3)
    >>> nx.set_edge_attributes(g, 30.0, "length_km")
    >>> g = annotate_links(g, source_fidelity=0.98, seed=0)
    >>> sorted(g.edges[0, 1])
    ['fidelity', 'length_km', 'rate']
    """
    if not isinstance(graph, nx.Graph) or graph.is_directed():
        raise TypeError("graph must be an undirected networkx.Graph")
    rng = make_rng(seed)
    tc = check_positive(coherence_time_s, "coherence_time_s")
    ps = check_in_range(swap_success, "swap_success", 0.0, 1.0, low_inclusive=False)
    draw_f = _draw(source_fidelity, "source_fidelity", rng, 0.25, 1.0)
    if isinstance(memory_qubits, Sequence):
        if len(memory_qubits) != 2:
            raise ValueError(
                f"memory_qubits must be an int or a (low, high) pair, got {memory_qubits!r}"
            )
        lo = check_integer(memory_qubits[0], "memory_qubits", minimum=0)
        hi = check_integer(memory_qubits[1], "memory_qubits", minimum=lo)

        def draw_m() -> int:
            return int(rng.integers(lo, hi + 1))
    else:
        m = check_integer(memory_qubits, "memory_qubits", minimum=0)

        def draw_m() -> int:
            return m

    for node in graph.nodes:
        graph.nodes[node]["memory_qubits"] = draw_m()
    for u, v, data in graph.edges(data=True):
        if "length_km" not in data:
            raise ValueError(_missing_attribute(f"link ({u!r}, {v!r})", "length_km"))
        length = check_non_negative(data["length_km"], f"length_km of link ({u!r}, {v!r})")
        data["rate"] = elementary_link_rate(
            length,
            attenuation_db_per_km=attenuation_db_per_km,
            detector_efficiency=detector_efficiency,
            n_modes=n_modes,
        )
        data["fidelity"] = elementary_link_fidelity(
            length, source_fidelity=draw_f(), coherence_time_s=tc
        )
    graph.graph["coherence_time_s"] = tc
    graph.graph["swap_success"] = ps
    graph.graph["link_physics"] = {
        "attenuation_db_per_km": float(attenuation_db_per_km),
        "detector_efficiency": float(detector_efficiency),
        "n_modes": int(n_modes),
    }
    return graph


def _source_fidelity(fidelity: float, length_km: float, coherence_time_s: float) -> float:
    """Invert :func:`elementary_link_fidelity`: the source fidelity of a heralded link."""
    decay = math.exp(-(length_km / C_FIBER_KM_PER_S) / coherence_time_s)
    return min(0.25 + (float(fidelity) - 0.25) / decay, 1.0)


def segment_long_links(
    graph: nx.Graph,
    max_length_km: float,
    *,
    memory_qubits: int = 2,
    source_fidelity: float | None = None,
) -> nx.Graph:
    """A copy of ``graph`` with repeater nodes placed along every link longer than a bound.

    In the routing model (:mod:`qnetlab.network.routing`) every edge is **one** heralded
    link: a 392 km fibre gives about 3e-4 pairs/s, and a pair on a neighbouring link
    decays while it waits. Each link of length L > ``max_length_km`` is split into
    n = ⌈L / max_length_km⌉ equal segments joined by n − 1 repeater nodes, annotated with
    the graph's physics (``graph.graph["link_physics"]`` of :func:`annotate_links`).

    Parameters
    ----------
    graph : networkx.Graph
        An annotated network (see :func:`validate_topology`); it is not modified.
    max_length_km : float
        Longest elementary link kept (km), positive.
    memory_qubits : int, optional
        Memory qubits of every new repeater node, at least 2 (one pair each side).
    source_fidelity : float, optional
        Werner fidelity of the sources of the new links, in [1/4, 1]. By default each new
        link keeps the source fidelity of the link it replaces (recovered from that link's
        fidelity and length by inverting :func:`elementary_link_fidelity`).

    Returns
    -------
    networkx.Graph
        A new graph: the old nodes and short links unchanged; each long link (u, v) replaced
        by the path u, (u, v, 1), …, (u, v, n − 1), v. New nodes have ``memory_qubits``,
        ``repeater=True`` and, when u and v have ``pos``, an interpolated ``pos``; new links
        have ``length_km`` = L / n, ``rate``, ``fidelity`` and ``segment_of=(u, v)``.

    Raises
    ------
    ValueError
        If an argument is outside its range or ``graph`` is not an annotated network.

    Examples
    --------
    >>> g = nx.Graph([("Berlin", "Paris")])
    >>> g.edges["Berlin", "Paris"]["length_km"] = 392.0
    >>> g = annotate_links(g, source_fidelity=0.99, seed=0)
    >>> h = segment_long_links(g, 100.0)
    >>> h.number_of_nodes(), sorted({round(d, 1) for *_, d in h.edges(data="length_km")})
    (5, [98.0])
    >>> h.edges["Berlin", ("Berlin", "Paris", 1)]["rate"] > 1e5 * g.edges["Berlin", "Paris"]["rate"]
    True
    """
    validate_topology(graph)
    cap = check_positive(max_length_km, "max_length_km")
    mem = check_integer(memory_qubits, "memory_qubits", minimum=2)
    f_src = (
        None
        if source_fidelity is None
        else check_in_range(source_fidelity, "source_fidelity", 0.25, 1.0)
    )
    tc = float(graph.graph.get("coherence_time_s", DEFAULT_COHERENCE_TIME_S))
    physics = dict(graph.graph.get("link_physics", {}))
    out = graph.copy()
    for u, v, data in graph.edges(data=True):
        length = float(data["length_km"])
        n = math.ceil(length / cap)
        if n <= 1:
            continue
        f0 = _source_fidelity(data["fidelity"], length, tc) if f_src is None else f_src
        seg = length / n
        rate = elementary_link_rate(seg, **physics)
        fid = elementary_link_fidelity(seg, source_fidelity=f0, coherence_time_s=tc)
        chain = [u, *((u, v, k) for k in range(1, n)), v]
        pu, pv = graph.nodes[u].get("pos"), graph.nodes[v].get("pos")
        out.remove_edge(u, v)
        for k, node in enumerate(chain[1:-1], start=1):
            out.add_node(node, memory_qubits=mem, repeater=True)
            if pu is not None and pv is not None:
                out.nodes[node]["pos"] = tuple(a + (b - a) * k / n for a, b in zip(pu, pv))
        for a, b in itertools.pairwise(chain):
            out.add_edge(a, b, length_km=seg, rate=rate, fidelity=fid, segment_of=(u, v))
    return out


def check_graph(graph: Any) -> nx.Graph:
    """Check that ``graph`` is a non-empty, simple, undirected networkx graph; return it.

    The minimal check every network function makes; :func:`validate_topology` adds the
    link and node attributes.

    Parameters
    ----------
    graph : networkx.Graph
        The object to check.

    Returns
    -------
    networkx.Graph
        ``graph`` itself.

    Raises
    ------
    TypeError
        For a non-graph, a directed graph or a multigraph.
    ValueError
        For an empty graph.

    Examples
    --------
    >>> check_graph(nx.path_graph(2)).number_of_nodes()
    2
    >>> check_graph([(0, 1)])
    Traceback (most recent call last):
    ...
    TypeError: graph must be a networkx.Graph, got list
    """
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"graph must be a networkx.Graph, got {type(graph).__name__}")
    if graph.is_directed() or graph.is_multigraph():
        raise TypeError("graph must be a simple undirected networkx.Graph")
    if graph.number_of_nodes() == 0:
        raise ValueError("graph must have at least one node (got an empty graph)")
    return graph


def validate_topology(graph: Any) -> nx.Graph:
    """Check that ``graph`` is a usable quantum network; return it unchanged.

    Parameters
    ----------
    graph : networkx.Graph
        The network to check.

    Returns
    -------
    networkx.Graph
        ``graph`` itself.

    Raises
    ------
    TypeError
        For a non-graph or a directed graph.
    ValueError
        For an empty graph, negative or non-finite lengths, non-positive rates,
        fidelities outside [0.25, 1] or negative memory counts.

    Examples
    --------
    >>> validate_topology(nx.Graph())
    Traceback (most recent call last):
    ...
    ValueError: graph must have at least one node (got an empty graph)
    """
    check_graph(graph)
    for node, data in graph.nodes(data=True):
        mem = data.get("memory_qubits")
        if mem is None:
            raise ValueError(_missing_attribute(f"node {node!r}", "memory_qubits"))
        check_integer(mem, f"memory_qubits of node {node!r}", minimum=0)
    for u, v, data in graph.edges(data=True):
        where = f"link ({u!r}, {v!r})"
        for key in ("length_km", "rate", "fidelity"):
            if key not in data:
                raise ValueError(_missing_attribute(where, key))
        check_non_negative(data["length_km"], f"length_km of {where}")
        check_positive(data["rate"], f"rate of {where}")
        check_in_range(data["fidelity"], f"fidelity of {where}", 0.25, 1.0)
    check_positive(
        graph.graph.get("coherence_time_s", DEFAULT_COHERENCE_TIME_S), "coherence_time_s"
    )
    check_in_range(
        graph.graph.get("swap_success", 1.0), "swap_success", 0.0, 1.0, low_inclusive=False
    )
    return graph
