"""Threat intelligence for a QKD network: a threat taxonomy, shared indicators, fusion.

Each link of a network (a :class:`networkx.Graph` whose edges carry a transmitter ``tx``,
a receiver ``rx`` and a fibre ``duct``) is watched by the per-link countermeasure bank of
:mod:`qnetlab.ai.attack_detection`, fed with telemetry windows of
:func:`qnetlab.qkd.device_attacks.device_telemetry`. Nodes share **indicators**, the
per-link test statistics of every window (:func:`share_indicators`). An attack
**campaign** is one threat of the taxonomy :data:`THREATS` at one location: a fibre duct
(all links through it), a node (all links it receives on, or transmits on) or one link.

Two analysts read the same indicators:

- :class:`PerLinkThresholds`: every link alarms on its own (largest test statistic above a
  threshold); the campaign is named from the strongest link alone (its threat of scope
  "link") and located at the set of links that alarm.
- :class:`GraphFusion`: enumerates every (threat, location) hypothesis the graph allows and
  scores it by the matched-filter statistic Σ z / √k of the threat's signature test over
  its k links (the likelihood-ratio statistic of a common shift), accumulated over windows
  by Page's CUSUM; it alarms on the best hypothesis and names threat and location at once.

Both thresholds are set on normal windows for the same network-wide false-alarm rate.
:func:`evaluate_campaigns` measures attribution accuracy and time to detection on
campaigns neither analyst has seen.

>>> net = metro_network()
>>> net.number_of_edges(), len(ducts(net))
(12, 9)
>>> [t.name for t in THREATS][:2]
['duct_tap', 'receiver_blinding']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from .._validation import SeedLike, check_in_range, check_integer, check_non_negative, make_rng
from ..qkd.device_attacks import Receiver, device_telemetry
from ..results import ResultMixin
from .attack_detection import COUNTERMEASURES, CountermeasureBank

__all__ = [
    "THREATS",
    "Campaign",
    "CampaignResult",
    "GraphFusion",
    "Indicator",
    "LearnedPerLink",
    "PerLinkThresholds",
    "TelemetryPool",
    "Threat",
    "affected_links",
    "ducts",
    "evaluate_campaigns",
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

    ``location`` is a duct name (scope "duct"), a node ("rx_node", "tx_node") or a link
    index ("link").

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


def _stats(bank: CountermeasureBank, X: np.ndarray) -> np.ndarray:
    """Test statistics (steps, links, tests) of a history."""
    s, m, f = X.shape
    return bank.test_statistics(X.reshape(s * m, f)).reshape(s, m, -1)


_SCOPE_OF = {"intercept_resend": "link_intercept", "time_shift": "link_time_shift"}
_LINK_NAME = {
    "intercept_resend": "link_intercept",
    "blinding": "receiver_blinding",
    "trojan_horse": "transmitter_trojan",
    "time_shift": "link_time_shift",
    "efficiency_mismatch": "link_time_shift",
}


class PerLinkThresholds:
    """Baseline analyst: each link alarms on its own largest statistic.

    Calibrated on normal histories so that a fraction ``false_alarm`` of the windows
    raise a network alarm (any link above the threshold). The alarm names the threat of
    the strongest link's firing test (as a single-link threat for QBER and timing, as
    the node threat for blinding and the Trojan horse) and locates it at the set of
    alarming links.
    """

    def __init__(self, network: nx.Graph, bank: CountermeasureBank) -> None:
        self.network = _check_network(network)
        self.bank = bank
        self.threshold_: float | None = None

    def __repr__(self) -> str:
        return f"PerLinkThresholds(links={self.network.number_of_edges()}, threshold={self.threshold_})"

    def fit(
        self, normal_histories: Sequence[np.ndarray], false_alarm: float = 0.01
    ) -> PerLinkThresholds:
        """Set the threshold for ``false_alarm`` network alarms per window."""
        fa = check_in_range(false_alarm, "false_alarm", 0.0, 1.0, low_inclusive=False)
        scores = np.concatenate([_stats(self.bank, X).max(axis=(1, 2)) for X in normal_histories])
        self.threshold_ = float(np.quantile(scores, 1 - fa, method="higher"))
        return self

    def analyse(self, X: np.ndarray) -> list[tuple[str, Any, tuple[int, ...]] | None]:
        """Per window: None, or (threat, location, links) of the alarm."""
        if self.threshold_ is None:
            raise ValueError("PerLinkThresholds is not fitted: call fit first")
        st = _stats(self.bank, X)
        out: list[tuple[str, Any, tuple[int, ...]] | None] = []
        data = [d for _, _, d in self.network.edges(data=True)]
        for s in range(st.shape[0]):
            top = st[s].max(axis=1)
            if top.max() <= self.threshold_:
                out.append(None)
                continue
            link = int(top.argmax())
            test = int(st[s, link].argmax())
            attack = COUNTERMEASURES[test][3][0]
            name = _LINK_NAME[attack]
            links = tuple(int(i) for i in np.flatnonzero(top > self.threshold_))
            loc: Any = link
            if name == "receiver_blinding":
                loc = data[link]["rx"]
            elif name == "transmitter_trojan":
                loc = data[link]["tx"]
            out.append((name, loc, links))
        return out


class LearnedPerLink:
    """Learned analyst: a per-link random forest (:class:`~qnetlab.ai.attack_detection.AttackClassifier`).

    Each link's window is scored 1 − P(none) by the forest (trained on labelled windows of
    single links); the network alarms when any link exceeds the threshold calibrated on
    normal histories, names the threat from the strongest link's most probable attack and
    locates it at the alarming links, like :class:`PerLinkThresholds`.
    """

    def __init__(self, network: nx.Graph, classifier: Any) -> None:
        self.network = _check_network(network)
        self.classifier = classifier
        self.threshold_: float | None = None

    def __repr__(self) -> str:
        return (
            f"LearnedPerLink(links={self.network.number_of_edges()}, threshold={self.threshold_})"
        )

    def fit(
        self, normal_histories: Sequence[np.ndarray], false_alarm: float = 0.01
    ) -> LearnedPerLink:
        """Set the threshold for ``false_alarm`` network alarms per window."""
        fa = check_in_range(false_alarm, "false_alarm", 0.0, 1.0, low_inclusive=False)
        scores = np.concatenate([self._scores(X)[0].max(axis=1) for X in normal_histories])
        self.threshold_ = float(np.quantile(scores, 1 - fa, method="higher"))
        return self

    def _scores(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Scores 1 − P(none) (steps, links) and probabilities (steps, links, classes)."""
        s, m, f = X.shape
        p = self.classifier.predict_proba(X.reshape(s * m, f)).reshape(s, m, -1)
        none = list(self.classifier.classes_).index("none")
        return 1.0 - p[:, :, none], p

    def analyse(self, X: np.ndarray) -> list[tuple[str, Any, tuple[int, ...]] | None]:
        """Per window: None, or (threat, location, links) of the alarm."""
        if self.threshold_ is None:
            raise ValueError("LearnedPerLink is not fitted: call fit first")
        data = [d for _, _, d in self.network.edges(data=True)]
        classes = list(self.classifier.classes_)
        scores, probs = self._scores(X)
        out: list[tuple[str, Any, tuple[int, ...]] | None] = []
        for score, p in zip(scores, probs, strict=True):
            p = p.copy()
            if score.max() <= self.threshold_:
                out.append(None)
                continue
            link = int(score.argmax())
            p[:, classes.index("none")] = -1.0
            name = _LINK_NAME[classes[int(p[link].argmax())]]
            links = tuple(int(i) for i in np.flatnonzero(score > self.threshold_))
            loc: Any = link
            if name == "receiver_blinding":
                loc = data[link]["rx"]
            elif name == "transmitter_trojan":
                loc = data[link]["tx"]
            out.append((name, loc, links))
        return out


class GraphFusion:
    """Graph-aware analyst: matched filters over (threat, location) hypotheses + CUSUM.

    For hypothesis h with k links and signature test j, the window statistic is
    x_h = Σ_{l ∈ h} z_{l,j} / √k; Page's CUSUM C_h ← max(0, C_h + x_h − ``drift``)
    accumulates it. The alarm fires when max_h C_h exceeds the threshold calibrated on
    normal histories; the best hypothesis names the threat and its location.
    """

    def __init__(self, network: nx.Graph, bank: CountermeasureBank, drift: float = 1.0) -> None:
        self.network = _check_network(network)
        self.bank = bank
        self.drift = check_non_negative(drift, "drift")
        self.hypotheses = hypotheses(network)
        m = network.number_of_edges()
        self._w = np.zeros((len(self.hypotheses), m, len(_TESTS)))
        for i, (name, _, links) in enumerate(self.hypotheses):
            j = _TESTS.index(_threat(name).signature)
            self._w[i, list(links), j] = 1.0 / np.sqrt(len(links))
        self.threshold_: float | None = None

    def __repr__(self) -> str:
        return f"GraphFusion(hypotheses={len(self.hypotheses)}, drift={self.drift}, threshold={self.threshold_})"

    def _cusum(self, X: np.ndarray) -> np.ndarray:
        st = _stats(self.bank, X)
        x = np.einsum("hlt,slt->sh", self._w, st)
        c = np.zeros_like(x)
        acc = np.zeros(x.shape[1])
        for s in range(x.shape[0]):
            acc = np.maximum(0.0, acc + x[s] - self.drift)
            c[s] = acc
        return c

    def fit(self, normal_histories: Sequence[np.ndarray], false_alarm: float = 0.01) -> GraphFusion:
        """Set the threshold for ``false_alarm`` network alarms per window."""
        fa = check_in_range(false_alarm, "false_alarm", 0.0, 1.0, low_inclusive=False)
        scores = np.concatenate([self._cusum(X).max(axis=1) for X in normal_histories])
        self.threshold_ = float(np.quantile(scores, 1 - fa, method="higher"))
        return self

    def analyse(self, X: np.ndarray) -> list[tuple[str, Any, tuple[int, ...]] | None]:
        """Per window: None, or the best (threat, location, links) once the alarm fires."""
        if self.threshold_ is None:
            raise ValueError("GraphFusion is not fitted: call fit first")
        c = self._cusum(X)
        out: list[tuple[str, Any, tuple[int, ...]] | None] = []
        for s in range(c.shape[0]):
            if c[s].max() <= self.threshold_:
                out.append(None)
            else:
                out.append(self.hypotheses[int(c[s].argmax())])
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


@dataclass(frozen=True)
class CampaignResult(ResultMixin):
    """Attribution and delay of one analyst over campaigns.

    ``detected``: campaigns with an alarm after their start; ``attributed``: the first
    such alarm named the threat and its set of links exactly; ``delays``: windows from
    the start to the first alarm (None if never); ``early_alarms``: false alarms before
    the start, per window.

    Parameters
    ----------
    name : str
        The analyst's name.
    detected, attributed, type_correct : float
        Fractions of campaigns detected, attributed exactly, and with the right threat.
    delays : tuple of int or None
        Windows from each campaign's start to its first alarm.
    early_alarms : float
        False alarms before the start, per window.

    Examples
    --------
    >>> r = CampaignResult("graph", 1.0, 0.5, 0.75, (1, 3, None), 0.01)
    >>> r.median_delay
    2.0
    """

    name: str
    detected: float
    attributed: float
    type_correct: float
    delays: tuple[int | None, ...] = field(repr=False)
    early_alarms: float

    @property
    def median_delay(self) -> float:
        """Median delay over detected campaigns (inf if none)."""
        d = [x for x in self.delays if x is not None]
        return float(np.median(d)) if d else float("inf")


def evaluate_campaigns(
    analyst: Any,
    network: nx.Graph,
    pool: TelemetryPool,
    campaigns: Sequence[Campaign],
    n_steps: int = 20,
    *,
    name: str | None = None,
    seed: SeedLike = None,
) -> CampaignResult:
    """Run each campaign and score the analyst's first alarm after its start.

    >>> net = metro_network()
    >>> pool = TelemetryPool(n_normal=60, n_attacked=10, fractions=(0.4,), seed=0)
    >>> bank = CountermeasureBank().fit(pool.windows[("none", 0.0)])
    >>> rng = np.random.default_rng(1)
    >>> normal = [run_campaign(net, pool, None, 20, seed=rng) for _ in range(5)]
    >>> fusion = GraphFusion(net, bank).fit(normal, 0.01)
    >>> res = evaluate_campaigns(fusion, net, pool, [Campaign("transmitter_trojan", 0, 0.4, 5)], seed=2)
    >>> res.attributed
    1.0
    """
    g = _check_network(network)
    steps = check_integer(n_steps, "n_steps", minimum=2)
    rng = make_rng(seed)
    det = att = typ = 0
    delays: list[int | None] = []
    early = []
    for c in campaigns:
        X = run_campaign(g, pool, c, steps, seed=rng)
        calls = analyst.analyse(X)
        early.append(np.mean([x is not None for x in calls[: c.start]]) if c.start else 0.0)
        truth = affected_links(g, c.threat, c.location)
        first = next(((s, x) for s, x in enumerate(calls) if s >= c.start and x is not None), None)
        if first is None:
            delays.append(None)
            continue
        det += 1
        delays.append(first[0] - c.start)
        typ += first[1][0] == c.threat
        att += first[1][0] == c.threat and tuple(first[1][2]) == truth
    n = max(len(campaigns), 1)
    return CampaignResult(
        name=name or type(analyst).__name__,
        detected=det / n,
        attributed=att / n,
        type_correct=typ / n,
        delays=tuple(delays),
        early_alarms=float(np.mean(early)) if early else 0.0,
    )
