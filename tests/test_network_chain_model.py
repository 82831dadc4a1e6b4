"""The network layer's one repeater-chain model (issue 17: one model, not three).

Before routing, dynamics and placement shared :mod:`qnetlab.network.chain_model`, they had
three copies of it (``routing._metrics_from_links`` with a slow and a fast path,
``placement.chain_metrics`` and ``placement._chain_metrics_batch``). The new module was
first tested equal to all of them on 18 chains of 1-13 links (rel 1e-9); the values below
were computed by the old ``routing._metrics_from_links`` and pin the behaviour.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from qnetlab.channels import C_FIBER_KM_PER_S
from qnetlab.network.chain_model import (
    _chain,
    _chain_fast,
    chain_metrics,
    chain_metrics_batch,
    expected_max_waiting_time,
)

#: (rates, fidelities, length km, T_c s, p_s) -> (E[T], t_cc, rate, fidelity) of the old code
OLD_VALUES = [
    (
        ([1200.0], [0.97], 30.0, 0.05, 1.0),
        (0.0008333333333333334, 0.00014710176598238506, 1019.955324628766, 0.9678848475221561),
    ),
    (
        ([800.0, 1500.0], [0.95, 0.99], 80.0, 0.05, 0.9),
        (0.0014818840579710146, 0.0003922713759530269, 480.2163063474471, 0.9210675873523783),
    ),
    (
        ([300.0, 900.0, 2500.0, 40.0], [0.9, 0.97, 0.99, 0.85], 420.0, 1.0, 0.95),
        (0.02541329611618963, 0.002059424723753391, 31.20823033856366, 0.7074719777312499),
    ),
    (
        ([4000.0] * 6, [0.98] * 6, 300.0, 0.01, 1.0),
        (0.0006125, 0.0014710176598238507, 479.95753493375435, 0.6928802450151038),
    ),
]


@pytest.mark.parametrize(("args", "old"), OLD_VALUES)
def test_chain_model_reproduces_the_old_routing_model(args, old):
    rates, fids, length, tc, ps = args
    assert _chain(np.array(rates), np.array(fids), length, tc, ps) == pytest.approx(old, rel=1e-12)
    rate, fid = chain_metrics(rates, fids, length, coherence_time_s=tc, swap_success=ps)
    assert (rate, fid) == pytest.approx(old[2:], rel=1e-12)


def _random_chains(n_links: int, m: int, seed: int):
    rng = np.random.default_rng(seed)
    rates = rng.uniform(5.0, 5000.0, (m, n_links))
    fids = rng.uniform(0.8, 1.0, (m, n_links))
    lengths = rng.uniform(0.0, 600.0, m)
    return rates, fids, lengths


@pytest.mark.parametrize("n_links", [1, 2, 3, 5, 8, 13])
def test_closed_form_batch_equals_swap_by_swap(n_links):
    """Werner algebra (w multiply) == composing memory_fidelity and swap_werner."""
    rates, fids, lengths = _random_chains(n_links, 4, n_links)
    for tc, ps in ((0.05, 1.0), (1.0, 0.9)):
        rb, fb = chain_metrics_batch(rates, fids, lengths, coherence_time_s=tc, swap_success=ps)
        for i in range(rates.shape[0]):
            r, f = chain_metrics(
                rates[i], fids[i], lengths[i], coherence_time_s=tc, swap_success=ps
            )
            assert rb[i] == pytest.approx(r, rel=1e-9)
            assert fb[i] == pytest.approx(f, rel=1e-9)
            # the scalar closed form of routing's branch and bound
            assert _chain_fast(rates[i], fids[i], lengths[i], tc, ps) == pytest.approx(
                (r, f), rel=1e-9
            )


def test_two_equal_links_by_hand():
    """E[max] of two Exp(r) is 3/(2r); Werner parameters multiply (Briegel et al. 1998)."""
    r, f0, tc, length = 200.0, 0.96, 0.1, 100.0
    wait = 1.5 / r
    stored = wait - 1.0 / r
    w = ((4 * f0 - 1) / 3 * math.exp(-stored / tc)) ** 2
    t_cc = length / C_FIBER_KM_PER_S
    fid = 0.25 + 0.75 * w * math.exp(-t_cc / tc)
    rate, got = chain_metrics([r, r], [f0, f0], length, coherence_time_s=tc, swap_success=0.8)
    assert rate == pytest.approx(0.8 / (wait + t_cc), rel=1e-12)
    assert got == pytest.approx(fid, rel=1e-12)


def test_expected_max_beyond_the_exact_limit_matches_inclusion_exclusion():
    rates = np.linspace(10.0, 40.0, 14)
    n = rates.size
    exact = 0.0
    for mask in range(1, 2**n):
        sel = [(mask >> i) & 1 for i in range(n)]
        exact += (-1) ** (sum(sel) + 1) / float(np.dot(sel, rates))
    assert expected_max_waiting_time(rates) == pytest.approx(exact, rel=1e-7)
    rb, _ = chain_metrics_batch(rates[None], np.full((1, n), 0.99), [0.0], coherence_time_s=np.inf)
    assert rb[0] == pytest.approx(1.0 / exact, rel=1e-7)


def test_zero_rate_row_delivers_nothing_and_bad_input_is_refused():
    rate, fid = chain_metrics_batch([[100.0, 0.0]], [[0.99, 0.99]], [10.0])
    assert rate.tolist() == [0.0] and fid.tolist() == [0.25]
    with pytest.raises(ValueError, match="link_rates"):
        chain_metrics([0.0], [0.9], 10.0)
    with pytest.raises(ValueError, match="link_rates"):
        chain_metrics_batch([[-1.0]], [[0.9]], [1.0])
    with pytest.raises(ValueError, match="shape"):
        chain_metrics_batch([[1.0, 2.0]], [[0.9]], [1.0])
    with pytest.raises(ValueError, match="link_fidelities"):
        chain_metrics_batch([[1.0]], [[1.5]], [1.0])
    with pytest.raises(ValueError, match="swap_success"):
        chain_metrics([1.0], [0.9], 1.0, swap_success=1.5)
