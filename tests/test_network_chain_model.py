"""The network layer's one repeater-chain model (issue 17: one model, not three)."""

from __future__ import annotations

import numpy as np
import pytest

from qnetlab.network.chain_model import (
    _chain,
    _chain_rows,
    chain_metrics,
)


def _instances():
    rng = np.random.default_rng(17)
    out = []
    for n in (1, 2, 3, 5, 8, 13):
        for _ in range(3):
            rates = rng.uniform(5.0, 5000.0, n)
            fids = rng.uniform(0.8, 1.0, n)
            out.append(
                (
                    rates,
                    fids,
                    float(rng.uniform(0, 600)),
                    float(rng.choice([0.01, 0.05, 1.0])),
                    float(rng.choice([1.0, 0.9])),
                )
            )
    return out


@pytest.mark.parametrize("case", range(18))
def test_new_chain_model_equals_the_three_old_ones(case):
    from qnetlab.network.placement import _chain_metrics_batch
    from qnetlab.network.placement import chain_metrics as old_chain_metrics
    from qnetlab.network.routing import _metrics_from_links

    rates, fids, length, tc, ps = _instances()[case]
    old_slow = _metrics_from_links(rates, fids, length, tc, ps)
    old_fast = _metrics_from_links(rates, fids, length, tc, ps, fast=True)
    new = _chain(rates, fids, length, tc, ps)
    assert new == pytest.approx(old_slow, rel=1e-9)
    assert new == pytest.approx(old_fast, rel=1e-9)
    r, f = chain_metrics(rates, fids, length, coherence_time_s=tc, swap_success=ps)
    assert (r, f) == pytest.approx(
        old_chain_metrics(rates, fids, length, coherence_time_s=tc, swap_success=ps), rel=1e-9
    )
    rb, fb = _chain_rows(rates[None], fids[None], np.array([length]), tc, ps)
    orb, ofb = _chain_metrics_batch(rates[None], fids[None], np.array([length]), tc, ps)
    assert rb[0] == pytest.approx(orb[0], rel=1e-9) and fb[0] == pytest.approx(ofb[0], rel=1e-9)
    assert rb[0] == pytest.approx(r, rel=1e-9) and fb[0] == pytest.approx(f, rel=1e-9)
