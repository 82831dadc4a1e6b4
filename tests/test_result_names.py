"""Issue 20: one meaning per name. ``secret_fraction`` meant bits per pulse (BB84), per pair
(repeater chain), per GHZ state (secret sharing) and per sifted bit (sample-fraction tuning);
each now has a name with its unit, and the old name is a deprecated alias that warns and
names the new attribute."""

from __future__ import annotations

import warnings

import pytest

from qnetlab import secret_sharing as ss
from qnetlab.ai.qkd_tuning import SampleFractionTuning
from qnetlab.qkd import bbm92_werner_rate, run_bb84, shor_preskill_rate
from qnetlab.repeaters import elementary_link, simulate_chain
from qnetlab.results import deprecated_alias


def _old_name(result, new):
    with pytest.warns(DeprecationWarning, match=f"secret_fraction is deprecated: use {new} "):
        return result.secret_fraction


def test_bb84_secret_bits_per_pulse():
    r = run_bb84(20000, seed=3)
    assert r.final_length > 0
    assert r.secret_bits_per_pulse == r.final_length / 20000
    assert _old_name(r, "secret_bits_per_pulse") == r.secret_bits_per_pulse


def test_chain_secret_bits_per_pair():
    r = simulate_chain(2, elementary_link(0.5, fidelity=0.97), n_samples=100, seed=0)
    assert r.secret_bits_per_pair == pytest.approx(bbm92_werner_rate(r.mean_fidelity))
    assert r.secret_bits_per_pair > 0
    assert _old_name(r, "secret_bits_per_pair") == r.secret_bits_per_pair


def test_secret_sharing_secret_bits_per_state():
    r = ss.run_hbb(4000, lengths_km=[1.0, 1.0], seed=2)
    expected = r.valid / r.n_rounds * shor_preskill_rate(r.error_estimate)
    assert r.secret_bits_per_state == pytest.approx(expected) and expected > 0
    assert _old_name(r, "secret_bits_per_state") == r.secret_bits_per_state


def test_sample_fraction_tuning_secret_bits_per_sifted_bit():
    t = SampleFractionTuning(10**6, 0.02, 0.05, 0.7, 100)
    assert t.secret_bits_per_sifted_bit == 0.7
    assert "secret_bits_per_sifted_bit" in t.to_dict() and "secret_fraction" not in t.to_dict()
    assert _old_name(t, "secret_bits_per_sifted_bit") == 0.7


def test_new_names_do_not_warn_and_the_alias_documents_itself():
    r = simulate_chain(2, elementary_link(0.5, fidelity=0.97), n_samples=20, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _ = r.secret_bits_per_pair, r.key_rate, r.key_rate_per_channel_use, repr(r)
    alias = type(r).__dict__["secret_fraction"]
    assert isinstance(alias, deprecated_alias) and alias.name == "secret_fraction"
    assert alias.__doc__ == (
        "Deprecated alias of :attr:`secret_bits_per_pair` (secret bits per pair)."
    )
