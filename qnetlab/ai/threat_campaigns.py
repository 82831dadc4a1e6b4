"""Threat-intelligence data for a QKD network: the taxonomy, the network, campaigns, indicators.

The label space and the data that :mod:`qnetlab.ai.threat_intel`'s analysts read. Each link
of a network (a :class:`networkx.Graph` whose edges carry a transmitter ``tx``, a receiver
``rx`` and a fibre ``duct``) produces telemetry windows of
:func:`qnetlab.qkd.device_attacks.device_telemetry` (pre-simulated in a
:class:`TelemetryPool`). An attack **campaign** is one threat of the taxonomy
:data:`THREATS` at one location: a fibre duct (all links through it), a node (all links it
receives on, or transmits on) or one link (:func:`affected_links`, :func:`hypotheses`).
:func:`run_campaign` gives the telemetry history of every link, and
:func:`share_indicators` the per-link test statistics the nodes publish.

>>> net = metro_network()
>>> net.number_of_edges(), len(ducts(net))
(12, 9)
>>> [t.name for t in THREATS][:2]
['duct_tap', 'receiver_blinding']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from .._validation import SeedLike, check_in_range, check_integer, make_rng
from ..qkd.device_attacks import Receiver, device_telemetry
from .attack_detection import COUNTERMEASURES, CountermeasureBank

__all__ = [
    "THREATS",
    "Campaign",
    "Indicator",
    "TelemetryPool",
    "Threat",
    "affected_links",
    "ducts",
    "hypotheses",
    "metro_network",
    "random_campaigns",
    "run_campaign",
    "share_indicators",
]

_TESTS = [c[0] for c in COUNTERMEASURES]


@dataclass(frozen=True)
class Threat:
    """One entry of the threat taxonomy.

    Parameters
    ----------
    name, layer : str
        Label used throughout; where in the stack it acts.
    scope : str
        What it reaches: ``"duct"`` (all links in one fibre duct), ``"rx_node"`` (all
        links a node receives on), ``"tx_node"`` (all links a node transmits on) or
        ``"link"``.
    device_attack : str
        The attack of :data:`~qnetlab.qkd.device_attacks.DEVICE_ATTACKS` it runs on each
        reached link.
    signature : str
        The countermeasure test (:data:`~qnetlab.ai.attack_detection.COUNTERMEASURES`)
        that sees it.
    countermeasure : str
        What an operator does about it.

    Examples
    --------
    >>> THREATS[0].name, THREATS[0].scope
    ('duct_tap', 'duct')
    """

    name: str
    layer: str
    scope: str
    device_attack: str
    signature: str
    countermeasure: str


#: The taxonomy: the label space of attribution.
THREATS: tuple[Threat, ...] = (
    Threat(
        "duct_tap",
        "physical (fibre plant)",
        "duct",
        "intercept_resend",
        "basis QBER test",
        "reroute keys around the duct; inspect the conduit",
    ),
    Threat(
        "receiver_blinding",
        "device (detectors)",
        "rx_node",
        "blinding",
        "photocurrent",
        "photocurrent monitor and random efficiency; replace the node's detectors",
    ),
    Threat(
        "transmitter_trojan",
        "device (source)",
        "tx_node",
        "trojan_horse",
        "watchdog",
        "isolators and a watchdog at the node's transmitters",
    ),
    Threat(
        "link_time_shift",
        "device (detector timing)",
        "link",
        "time_shift",
        "timing monitor",
        "narrow the gates; recalibrate the detector delay on the link",
    ),
    Threat(
        "link_intercept",
        "channel",
        "link",
        "intercept_resend",
        "basis QBER test",
        "abort or privacy-amplify; reroute",
    ),
)
_BY_NAME = {t.name: t for t in THREATS}


def _threat(name: str) -> Threat:
    if name not in _BY_NAME:
        raise ValueError(f"unknown threat {name!r}; allowed: {sorted(_BY_NAME)}")
    return _BY_NAME[name]


def metro_network() -> nx.Graph:
    """A 7-node metropolitan QKD network with 12 directed links and 9 fibre ducts.

    A ring of six access nodes around a core node; three pairs of links run through a
    shared duct (the same conduit leaving a building). Edge attributes: ``tx``, ``rx``
    (the link's transmitter and receiver) and ``duct``.

    Returns
    -------
    networkx.Graph
        Nodes 0 (core) to 6; 12 edges, each with ``tx``, ``rx`` and ``duct``.

    Examples
    --------
    >>> g = metro_network()
    >>> g.edges[0, 1]["tx"], g.edges[0, 1]["duct"]
    (0, 'd0')
    """
    g = nx.Graph()
    ring = [1, 2, 3, 4, 5, 6]
    links = [(0, k) for k in ring] + [(a, b) for a, b in zip(ring, ring[1:] + ring[:1])]
    # Links leaving the core towards neighbours share a conduit with one ring segment.
    shared = {(0, 1): "d0", (1, 2): "d0", (0, 3): "d1", (3, 4): "d1", (0, 5): "d2", (5, 6): "d2"}
    k = 3
    for u, v in links:
        duct = shared.get((u, v))
        if duct is None:
            duct = f"d{k}"
            k += 1
        g.add_edge(u, v, tx=u, rx=v, duct=duct)
    return g


def _edges(g: nx.Graph) -> list[tuple[Any, Any]]:
    return [tuple(e) for e in g.edges()]


def _check_network(g: Any) -> nx.Graph:
    if not isinstance(g, nx.Graph):
        raise TypeError(f"network must be a networkx Graph, got {type(g).__name__}")
    for u, v, d in g.edges(data=True):
        if not {"tx", "rx", "duct"} <= set(d):
            raise ValueError(f"edge ({u}, {v}) needs attributes tx, rx and duct")
    return g


def ducts(network: nx.Graph) -> dict[str, list[int]]:
    """Map each duct to the indices (in ``network.edges()`` order) of its links.

    Parameters
    ----------
    network : networkx.Graph
        Edges carry ``tx``, ``rx`` and ``duct`` (as :func:`metro_network`'s).

    Returns
    -------
    dict of str to list of int
        Duct name -> indices of the links through it, in edge order.

    Raises
    ------
    TypeError
        If ``network`` is not a :class:`networkx.Graph`.
    ValueError
        If an edge lacks one of the attributes ``tx``, ``rx`` and ``duct``.

    Examples
    --------
    >>> ducts(metro_network())["d0"]
    [0, 6]
    """
    g = _check_network(network)
    out: dict[str, list[int]] = {}
    for i, (_, _, d) in enumerate(g.edges(data=True)):
        out.setdefault(d["duct"], []).append(i)
    return out


def affected_links(network: nx.Graph, threat: str, location: Any) -> tuple[int, ...]:
    """Indices of the links a threat at ``location`` reaches.

    Parameters
    ----------
    network : networkx.Graph
        Edges carry ``tx``, ``rx`` and ``duct`` (as :func:`metro_network`'s).
    threat : str
        Name of a threat of :data:`THREATS`.
    location : object
        By the threat's scope: a duct name ("duct"), a node ("rx_node", "tx_node") or a
        link index in ``[0, number of edges - 1]`` ("link").

    Returns
    -------
    tuple of int
        Sorted indices (in edge order) of the links the threat reaches.

    Raises
    ------
    TypeError
        If ``network`` is not a :class:`networkx.Graph`.
    ValueError
        If an edge lacks one of the attributes ``tx``, ``rx`` and ``duct``.
        Also if ``threat`` is unknown, ``location`` is not a duct, node or link index of
        the network, or the threat reaches no link there.

    Examples
    --------
    >>> affected_links(metro_network(), "receiver_blinding", 1)
    (0, 7)
    >>> affected_links(metro_network(), "transmitter_trojan", 1)
    (6,)
    """
    g = _check_network(network)
    t = _threat(threat)
    data = [d for _, _, d in g.edges(data=True)]
    if t.scope == "duct":
        if location not in ducts(g):
            raise ValueError(f"location must be a duct of the network, got {location!r}")
        idx = ducts(g)[location]
    elif t.scope in ("rx_node", "tx_node"):
        if location not in g:
            raise ValueError(f"location must be a node of the network, got {location!r}")
        key = "rx" if t.scope == "rx_node" else "tx"
        idx = [i for i, d in enumerate(data) if d[key] == location]
    else:
        idx = [check_integer(location, "location", minimum=0, maximum=len(data) - 1)]
    if not idx:
        raise ValueError(f"threat {threat!r} at {location!r} reaches no link")
    return tuple(sorted(idx))


def hypotheses(network: nx.Graph) -> list[tuple[str, Any, tuple[int, ...]]]:
    """Every (threat, location, links) the network allows (the fusion's label space).

    Duct taps are listed only for ducts that carry two links or more.

    Parameters
    ----------
    network : networkx.Graph
        Edges carry ``tx``, ``rx`` and ``duct`` (as :func:`metro_network`'s).

    Returns
    -------
    list of tuple
        ``(threat name, location, link indices)`` per hypothesis, threats in the order
        of :data:`THREATS`.

    Raises
    ------
    TypeError
        If ``network`` is not a :class:`networkx.Graph`.
    ValueError
        If an edge lacks one of the attributes ``tx``, ``rx`` and ``duct``.

    Examples
    --------
    >>> len(hypotheses(metro_network()))
    40
    """
    g = _check_network(network)
    out = []
    for t in THREATS:
        if t.scope == "duct":
            locs: Sequence[Any] = sorted(ducts(g))
        elif t.scope in ("rx_node", "tx_node"):
            key = "rx" if t.scope == "rx_node" else "tx"
            locs = sorted({d[key] for _, _, d in g.edges(data=True)})
        else:
            locs = list(range(g.number_of_edges()))
        for loc in locs:
            links = affected_links(g, t.name, loc)
            if t.scope == "duct" and len(links) < 2:
                continue  # a tap on a one-link duct is a link intercept
            out.append((t.name, loc, links))
    return out


class TelemetryPool:
    """Pre-simulated telemetry windows per device attack, drawn by campaigns.

    Simulating every link at every step is expensive; a pool holds ``n_normal`` normal
    windows and ``n_attacked`` windows of each attack at each fraction, all from
    :func:`~qnetlab.qkd.device_attacks.device_telemetry`, and :meth:`draw` resamples them.

    Parameters
    ----------
    n_normal : int, optional
        Normal windows (>= 2).
    n_attacked : int, optional
        Windows per attack and fraction (>= 1).
    attacks : sequence of str, optional
        Attacks of :data:`~qnetlab.qkd.device_attacks.DEVICE_ATTACKS` to simulate.
    fractions : sequence of float, optional
        Fractions of attacked pulses, each in (0, 1].
    window_pulses : int, optional
        Pulses per telemetry window.
    receiver : Receiver or None, optional
        The detectors (default: :class:`~qnetlab.qkd.device_attacks.Receiver`'s defaults).
    seed : int, numpy.random.Generator or None, optional
        Randomness of the simulated windows.

    Attributes
    ----------
    windows : dict of (str, float) to numpy.ndarray
        ``(attack, fraction)`` -> windows (rows) of features; normal windows under
        ``("none", 0.0)``.

    Raises
    ------
    ValueError
        If ``n_normal`` < 2, ``n_attacked`` < 1, a fraction is outside (0, 1], or
        :func:`~qnetlab.qkd.device_attacks.device_telemetry` rejects an attack or
        ``window_pulses``.

    Examples
    --------
    >>> pool = TelemetryPool(n_normal=20, n_attacked=5, fractions=(0.3,), seed=0)
    >>> pool.draw("none", 0.0, 3, np.random.default_rng(0)).shape
    (3, 11)
    """

    def __init__(
        self,
        *,
        n_normal: int = 400,
        n_attacked: int = 40,
        attacks: Sequence[str] = ("intercept_resend", "blinding", "time_shift", "trojan_horse"),
        fractions: Sequence[float] = (0.1, 0.2, 0.4),
        window_pulses: int = 20_000,
        receiver: Receiver | None = None,
        seed: SeedLike = None,
    ) -> None:
        rng = make_rng(seed)
        nn = check_integer(n_normal, "n_normal", minimum=2)
        na = check_integer(n_attacked, "n_attacked", minimum=1)
        self.fractions = tuple(
            check_in_range(f, "fractions", 0.0, 1.0, low_inclusive=False) for f in fractions
        )
        kw = {"window_pulses": window_pulses, "receiver": receiver}
        self.windows: dict[tuple[str, float], np.ndarray] = {
            ("none", 0.0): device_telemetry(nn, seed=rng, **kw).features
        }
        for a in attacks:
            for f in self.fractions:
                t = device_telemetry(na, attack=a, fraction=f, seed=rng, **kw)
                self.windows[(a, f)] = t.features

    def __repr__(self) -> str:
        return f"TelemetryPool(kinds={len(self.windows)}, fractions={self.fractions})"

    def draw(self, attack: str, fraction: float, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` windows of ``attack`` at ``fraction`` (resampled with replacement)."""
        key = ("none", 0.0) if attack == "none" else (attack, float(fraction))
        if key not in self.windows:
            raise ValueError(f"the pool holds no windows for {key}; kinds: {sorted(self.windows)}")
        w = self.windows[key]
        return w[rng.integers(0, w.shape[0], n)]


@dataclass(frozen=True)
class Campaign:
    """A threat at a location from window ``start`` on, on a fraction of the pulses.

    Parameters
    ----------
    threat : str
        Name of a threat of :data:`THREATS`.
    location : object
        Where it acts (a duct, a node or a link, by the threat's scope).
    fraction : float
        Fraction of the pulses attacked.
    start : int
        First attacked window.

    Examples
    --------
    >>> c = Campaign("duct_tap", 0, 0.5, start=3)
    >>> c.threat, c.start
    ('duct_tap', 3)
    """

    threat: str
    location: Any
    fraction: float
    start: int


@dataclass(frozen=True)
class Indicator:
    """One shared indicator: a link's test statistic in one window, published by its
    receiving node.

    Parameters
    ----------
    step : int
        The window.
    node : object
        The publishing (receiving) node.
    link : int
        The link's index.
    test : str
        The countermeasure test.
    value : float
        Its standardised statistic.

    Examples
    --------
    >>> Indicator(4, "B", 2, "qber", 3.5).value
    3.5
    """

    step: int
    node: Any
    link: int
    test: str
    value: float


def run_campaign(
    network: nx.Graph,
    pool: TelemetryPool,
    campaign: Campaign | None,
    n_steps: int,
    *,
    seed: SeedLike = None,
) -> np.ndarray:
    """Telemetry of every link over ``n_steps`` windows: array (steps, links, features).

    ``campaign=None`` gives a normal history.

    Parameters
    ----------
    network : networkx.Graph
        Edges carry ``tx``, ``rx`` and ``duct`` (as :func:`metro_network`'s).
    pool : TelemetryPool
        The windows to draw from; it must hold the campaign's attack at its fraction.
    campaign : Campaign or None
        The attack, from window ``campaign.start`` on (in ``[0, n_steps]``).
    n_steps : int
        Windows (>= 1).
    seed : int, numpy.random.Generator or None, optional
        Randomness of the draws.

    Returns
    -------
    numpy.ndarray
        Features, shape ``(n_steps, number of links, features)``.

    Raises
    ------
    ValueError
        If ``n_steps`` < 1, the campaign's threat, location or start is invalid, or the
        pool holds no windows of its attack at its fraction.
    TypeError
        If ``network`` is not a :class:`networkx.Graph`.

    Examples
    --------
    >>> pool = TelemetryPool(n_normal=20, n_attacked=5, fractions=(0.3,), seed=0)
    >>> X = run_campaign(metro_network(), pool, Campaign("duct_tap", "d0", 0.3, 2), 4, seed=1)
    >>> X.shape
    (4, 12, 11)
    """
    g = _check_network(network)
    steps = check_integer(n_steps, "n_steps", minimum=1)
    rng = make_rng(seed)
    m = g.number_of_edges()
    X = np.stack([pool.draw("none", 0.0, m, rng) for _ in range(steps)])
    if campaign is not None:
        t = _threat(campaign.threat)
        start = check_integer(campaign.start, "start", minimum=0, maximum=steps)
        links = affected_links(g, campaign.threat, campaign.location)
        for s in range(start, steps):
            X[s, list(links)] = pool.draw(t.device_attack, campaign.fraction, len(links), rng)
    return X


def share_indicators(network: nx.Graph, bank: CountermeasureBank, X: np.ndarray) -> list[Indicator]:
    """The indicators the nodes publish: every link's test statistics in every window.

    Parameters
    ----------
    network : networkx.Graph
        Edges carry ``tx``, ``rx`` and ``duct`` (as :func:`metro_network`'s).
    bank : CountermeasureBank
        A fitted bank of :mod:`qnetlab.ai.attack_detection`.
    X : numpy.ndarray
        A history of :func:`run_campaign`, shape ``(steps, links, features)``.

    Returns
    -------
    list of Indicator
        One per window, link and test (steps x links x 6), published by the receiver.

    Raises
    ------
    TypeError
        If ``network`` is not a :class:`networkx.Graph`.
    ValueError
        If an edge lacks one of the attributes ``tx``, ``rx`` and ``duct``.

    Examples
    --------
    >>> pool = TelemetryPool(n_normal=20, n_attacked=5, fractions=(0.3,), seed=0)
    >>> bank = CountermeasureBank().fit(pool.draw("none", 0, 20, np.random.default_rng(1)))
    >>> X = run_campaign(metro_network(), pool, None, 1, seed=2)
    >>> len(share_indicators(metro_network(), bank, X))
    72
    """
    g = _check_network(network)
    data = [d for _, _, d in g.edges(data=True)]
    out = []
    for s in range(X.shape[0]):
        stats = bank.test_statistics(X[s])
        for i, d in enumerate(data):
            for k, test in enumerate(_TESTS):
                out.append(Indicator(s, d["rx"], i, test, float(stats[i, k])))
    return out


def random_campaigns(
    network: nx.Graph,
    n: int,
    *,
    fractions: Sequence[float] = (0.1, 0.2, 0.4),
    start: int = 5,
    threats: Sequence[str] | None = None,
    seed: SeedLike = None,
) -> list[Campaign]:
    """``n`` campaigns with a random threat, location and fraction.

    Parameters
    ----------
    network : networkx.Graph
        Edges carry ``tx``, ``rx`` and ``duct`` (as :func:`metro_network`'s).
    n : int
        Number of campaigns (>= 1).
    fractions : sequence of float, optional
        Fractions of attacked pulses to draw from.
    start : int, optional
        First attacked window of every campaign.
    threats : sequence of str or None, optional
        Threat names to draw from (default: all of :data:`THREATS`).
    seed : int, numpy.random.Generator or None, optional
        Randomness of the draws.

    Returns
    -------
    list of Campaign
        Each a uniform draw over the allowed (threat, location) hypotheses.

    Raises
    ------
    ValueError
        If ``n`` < 1 or a name in ``threats`` is unknown.
    TypeError
        If ``network`` is not a :class:`networkx.Graph`.

    Examples
    --------
    >>> cs = random_campaigns(metro_network(), 3, seed=0)
    >>> len(cs), all(c.start == 5 for c in cs)
    (3, True)
    """
    g = _check_network(network)
    k = check_integer(n, "n", minimum=1)
    rng = make_rng(seed)
    names = [t.name for t in THREATS] if threats is None else [_threat(t).name for t in threats]
    hyps = [h for h in hypotheses(g) if h[0] in names]
    out = []
    for _ in range(k):
        name, loc, _ = hyps[int(rng.integers(len(hyps)))]
        f = float(fractions[int(rng.integers(len(fractions)))])
        out.append(Campaign(name, loc, f, start))
    return out
