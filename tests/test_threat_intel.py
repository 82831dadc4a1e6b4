"""Tests of qnetlab.ai.threat_intel: taxonomy and hypotheses from the graph, campaigns,
calibrated analysts, attribution, bad input."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from qnetlab.ai import threat_intel as ti
from qnetlab.ai.attack_detection import COUNTERMEASURES, CountermeasureBank


@pytest.fixture(scope="module")
def setup():
    rng = np.random.default_rng(11)
    net = ti.metro_network()
    pool = ti.TelemetryPool(n_normal=150, n_attacked=15, fractions=(0.4,), seed=rng)
    bank = CountermeasureBank().fit(pool.windows[("none", 0.0)])
    normal = [ti.run_campaign(net, pool, None, 20, seed=rng) for _ in range(10)]
    return net, pool, bank, normal


def test_taxonomy_is_consistent():
    tests = {c[0] for c in COUNTERMEASURES}
    names = [t.name for t in ti.THREATS]
    assert len(names) == len(set(names))
    for t in ti.THREATS:
        assert t.signature in tests and t.scope in ("duct", "rx_node", "tx_node", "link")
        # The signature test is one of the tests built for the threat's device attack.
        assert any(c[0] == t.signature and t.device_attack in c[3] for c in COUNTERMEASURES)


def test_hypotheses_follow_the_graph():
    net = ti.metro_network()
    hyps = ti.hypotheses(net)
    # Every link is reached by each link-scope threat; node threats reach all incident links.
    for name, loc, links in hyps:
        if name == "receiver_blinding":
            assert all(net.edges[list(net.edges())[i]]["rx"] == loc for i in links)
        if name == "duct_tap":
            assert len(links) >= 2
    n_links = net.number_of_edges()
    n_rx = len({d["rx"] for _, _, d in net.edges(data=True)})
    n_tx = len({d["tx"] for _, _, d in net.edges(data=True)})
    shared = sum(len(v) >= 2 for v in ti.ducts(net).values())
    assert len(hyps) == 2 * n_links + n_rx + n_tx + shared


def test_campaign_touches_only_its_links(setup):
    net, pool, bank, _ = setup
    c = ti.Campaign("transmitter_trojan", 0, 0.4, 3)
    X = ti.run_campaign(net, pool, c, 6, seed=1)
    wd = bank.test_statistics(X.reshape(-1, X.shape[2]))[:, 0].reshape(6, -1)
    hit = list(ti.affected_links(net, "transmitter_trojan", 0))
    rest = [i for i in range(net.number_of_edges()) if i not in hit]
    assert wd[3:, hit].min() > wd[3:, rest].max()
    assert wd[:3].max() < wd[3:, hit].min()


def test_analysts_hold_their_false_alarm_rate(setup):
    net, _pool, bank, normal = setup
    for a in (ti.PerLinkThresholds(net, bank), ti.GraphFusion(net, bank)):
        a.fit(normal, 0.05)
        rate = np.mean([x is not None for X in normal for x in a.analyse(X)])
        assert rate <= 0.05


def test_fusion_attributes_duct_taps_and_node_attacks(setup):
    net, pool, bank, normal = setup
    fusion = ti.GraphFusion(net, bank).fit(normal, 0.01)
    base = ti.PerLinkThresholds(net, bank).fit(normal, 0.01)
    camps = [
        ti.Campaign("duct_tap", d, 0.4, 4) for d, links in ti.ducts(net).items() if len(links) >= 2
    ] + [ti.Campaign("receiver_blinding", n, 0.4, 4) for n in (1, 3, 5)]
    rf = ti.evaluate_campaigns(fusion, net, pool, camps, seed=3)
    rb = ti.evaluate_campaigns(base, net, pool, camps, seed=3)
    assert rf.detected == 1.0 and rf.attributed >= 5 / 6
    # Thresholds on single links cannot name a duct tap.
    assert rb.attributed <= 0.5
    assert rf.median_delay < 10


def test_learned_per_link_runs(setup):
    from qnetlab.ai.attack_detection import AttackClassifier, telemetry_dataset

    net, pool, _bank, normal = setup
    X, y = telemetry_dataset(
        {"none": 40, "blinding": 10, "time_shift": 10}, fractions=(0.4,), seed=2
    )
    clf = AttackClassifier(30, seed=0).fit(X, y)
    learned = ti.LearnedPerLink(net, clf).fit(normal, 0.05)
    res = ti.evaluate_campaigns(
        learned, net, pool, [ti.Campaign("link_time_shift", 2, 0.4, 3)], seed=4
    )
    assert res.detected == 1.0 and "LearnedPerLink" in res.name


def test_indicators_are_per_link_and_test(setup):
    net, pool, bank, _ = setup
    X = ti.run_campaign(net, pool, None, 2, seed=5)
    ind = ti.share_indicators(net, bank, X)
    assert len(ind) == 2 * net.number_of_edges() * len(COUNTERMEASURES)
    first = ind[0]
    assert first.node == net.edges[next(iter(net.edges()))]["rx"]


def test_bad_input(setup):
    net, pool, bank, normal = setup
    with pytest.raises(ValueError, match="unknown threat"):
        ti.affected_links(net, "meteor", 0)
    with pytest.raises(ValueError, match="duct"):
        ti.affected_links(net, "duct_tap", "nowhere")
    with pytest.raises(ValueError, match="node"):
        ti.affected_links(net, "receiver_blinding", 99)
    with pytest.raises(ValueError, match="location"):
        ti.affected_links(net, "link_intercept", 99)
    with pytest.raises(TypeError, match="networkx"):
        ti.hypotheses("net")
    g = nx.Graph()
    g.add_edge(0, 1)
    with pytest.raises(ValueError, match="tx, rx and duct"):
        ti.hypotheses(g)
    with pytest.raises(ValueError, match="no windows"):
        pool.draw("blinding", 0.9, 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match="not fitted"):
        ti.GraphFusion(net, bank).analyse(normal[0])
    with pytest.raises(ValueError, match="false_alarm"):
        ti.PerLinkThresholds(net, bank).fit(normal, 1.5)
    with pytest.raises(ValueError, match="drift"):
        ti.GraphFusion(net, bank, drift=-1)
    with pytest.raises(ValueError, match="n_steps"):
        ti.run_campaign(net, pool, None, 0)
