"""Tests of qnetlab.secret_sharing: HBB quantum secret sharing on GHZ states.

Reference: M. Hillery, V. Bužek, A. Berthiaume, "Quantum secret sharing", Phys. Rev. A 59,
1829 (1999): valid rounds have an even number of Y measurements, the dealer's bit is the
XOR of the players' bits (flipped when the number of Y's is 2 mod 4), and an
intercept-resend attack on one player's qubit causes errors in 1/4 of the valid rounds.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab import secret_sharing as ss


def _h(p):
    return -p * np.log2(p) - (1 - p) * np.log2(1 - p) if 0 < p < 1 else 0.0


def _sigma(p, n):
    return np.sqrt(max(p * (1 - p), 1e-4) / n)


@pytest.mark.parametrize("n", [3, 4])
def test_ghz_correlator_matches_the_state_vector(n):
    """cos(kπ/2) against ⟨GHZ|σ⊗…⊗σ|GHZ⟩ computed with explicit matrices."""
    ghz = np.zeros(2**n, complex)
    ghz[0] = ghz[-1] = 2**-0.5
    pauli = {"X": np.array([[0, 1], [1, 0]]), "Y": np.array([[0, -1j], [1j, 0]])}
    for bases in itertools.product("XY", repeat=n):
        op = np.array([[1.0]])
        for b in bases:
            op = np.kron(op, pauli[b])
        assert abs(ghz.conj() @ op @ ghz - ss.ghz_correlator(bases)) < 1e-12


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from("XY"), min_size=3, max_size=5), st.integers(0, 2**31 - 1))
def test_noiseless_valid_round_satisfies_the_parity_rule(bases, seed):
    import cirq

    k = bases.count("Y")
    if k % 2:
        bases = ["X" if bases[0] == "Y" else "Y", *bases[1:]]
        k = bases.count("Y")
    res = cirq.Simulator(seed=seed).run(ss.hbb_circuit(bases), repetitions=20)
    m = res.measurements["m"]
    assert np.all(np.bitwise_xor.reduce(m, axis=1) == int(k % 4 == 2))


def test_noiseless_protocol_recovers_the_secret_only_with_all_players():
    r = ss.run_hbb(6_000, n_parties=4, seed=11)
    assert not r.aborted and r.error_rate == 0.0
    assert abs(r.valid / r.n_rounds - 0.5) < 4 * _sigma(0.5, r.n_rounds)
    assert np.array_equal(r.recover(), r.dealer_key)
    assert r.key_length == r.valid - r.sample_length
    for subset in ([1], [2, 3], [1, 3]):  # a proper subset: a coin toss
        agree = np.mean(r.recover(subset) == r.dealer_key)
        assert abs(agree - 0.5) < 4 * _sigma(0.5, r.key_length)
    assert abs(r.dealer_key.mean() - 0.5) < 4 * _sigma(0.5, r.key_length)


@pytest.mark.parametrize("n,p", [(3, 0.03), (4, 0.02), (5, 0.01)])
def test_depolarisation_error_rate(n, p):
    """e = [1 − (1 − 4p/3)^(n−1)]/2: each sent qubit's X/Y outcome flips with prob. 2p/3."""
    flip = 2 * p / 3
    expected = 0.5 * (1 - (1 - 2 * flip) ** (n - 1))
    assert abs(ss.hbb_error_rate(n, depolarization=p) - expected) < 1e-12
    r = ss.run_hbb(16_000, n_parties=n, depolarization=p, seed=n)
    assert abs(r.error_rate - expected) < 4 * r.error_std()


def test_intercept_resend_gives_a_quarter_and_aborts_without_shares():
    """HBB 1999: Eve's wrong basis guess (probability 1/2) makes an error half the time."""
    assert ss.hbb_error_rate(3, intercept_fraction=1.0) == 0.25
    r = ss.run_hbb(8_000, intercept_fraction=1.0, eve_target=2, seed=5)
    assert abs(r.error_rate - 0.25) < 4 * r.error_std()
    assert r.aborted and r.key_length == 0 and r.flips.size == 0
    assert all(s.size == 0 for s in r.player_bits)
    part = ss.run_hbb(16_000, intercept_fraction=0.2, seed=6)
    assert abs(part.error_rate - 0.05) < 4 * part.error_std()


@pytest.mark.parametrize("n", [3, 4])
def test_cheating_player_is_caught_and_guesses_only_partly(n):
    m = n - 2
    e = 0.5 * (1 - 2.0**-m)
    assert abs(ss.hbb_error_rate(n, cheater=True) - e) < 1e-12
    r = ss.run_hbb(8_000, n_parties=n, cheater=1, seed=7 + n)
    assert abs(r.error_rate - e) < 4 * r.error_std()
    guess = 0.5 + 2.0 ** (-m - 1)
    assert abs(r.cheater_guess - guess) < 4 * _sigma(guess, r.valid)
    assert r.aborted and r.key_length == 0


def test_loss_keeps_rounds_where_every_photon_arrives():
    lengths = [10.0, 25.0]
    eta = 10 ** (-0.2 * 35 / 10) * 0.8
    r = ss.run_hbb(20_000, lengths_km=lengths, detector_efficiency=0.9, seed=3)
    assert abs(r.detected / r.n_rounds - eta / 0.8 * 0.81) < 4 * _sigma(eta, r.n_rounds)
    assert not r.aborted and np.array_equal(r.recover(), r.dealer_key)


def test_key_rates_against_the_formulas():
    """½ ∏η [1 − 2h(e)] (HBB) and ½ min η [1 − 2h(2p/3)] (pairwise BB84 + XOR split)."""
    lengths, p = [20.0, 40.0], 0.02
    eta = 10 ** (-0.02 * np.array(lengths))
    e = 0.5 * (1 - (1 - 4 * p / 3) ** 2)
    hbb = 0.5 * eta.prod() * (1 - 2 * _h(e))
    xor = 0.5 * eta.min() * (1 - 2 * _h(2 * p / 3))
    assert abs(ss.hbb_key_rate(lengths, depolarization=p) - hbb) < 1e-12
    assert abs(ss.xor_sharing_rate(lengths, depolarization=p) - xor) < 1e-12
    assert ss.hbb_key_rate([0, 0]) == ss.xor_sharing_rate([0, 0]) == 0.5
    assert ss.hbb_key_rate([10, 10, 10]) < ss.xor_sharing_rate([10, 10, 10])
    assert ss.hbb_key_rate([0, 0], depolarization=0.2) == 0.0


def test_secret_fraction_follows_the_estimate():
    r = ss.run_hbb(20_000, lengths_km=[5.0, 5.0], seed=9)
    expected = ss.hbb_key_rate([5.0, 5.0])
    assert abs(r.secret_bits_per_state - expected) < 4 * _sigma(expected, r.n_rounds)


def test_bad_input():
    with pytest.raises(ValueError, match="n_parties"):
        ss.run_hbb(10, n_parties=2)
    with pytest.raises(TypeError, match="n_rounds"):
        ss.run_hbb(10.5)
    with pytest.raises(ValueError, match="bases"):
        ss.hbb_circuit("XZX")
    with pytest.raises(ValueError, match="eve_bases"):
        ss.hbb_circuit("XXX", intercepted=[1])
    with pytest.raises(ValueError, match="sample_fraction"):
        ss.run_hbb(10, sample_fraction=0.0)
    with pytest.raises(ValueError, match="lengths_km"):
        ss.run_hbb(10, lengths_km=[1.0])
    with pytest.raises(ValueError, match="cheater"):
        ss.run_hbb(10, cheater=1, intercept_fraction=0.5)
    with pytest.raises(ValueError, match="cheater"):
        ss.run_hbb(10, cheater=3)
    with pytest.raises(ValueError, match="lengths_km"):
        ss.hbb_key_rate([-1.0, 2.0])
    with pytest.raises(ValueError, match="depolarization"):
        ss.hbb_error_rate(3, depolarization=1.5)


@pytest.mark.parametrize("module", ["secret_sharing", "secure_sum", "blind"])
def test_physics_modules_do_not_import_the_ai_layers(module):
    path = Path(ss.__file__).with_name(f"{module}.py")
    if not path.exists():
        pytest.skip(f"{module} not present")
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            name = (node.module or "").split(".")[0]
            assert name not in {"ai", "network", "qnn"}, (module, node.module)
            for alias in node.names:
                assert alias.name not in {"ai", "network", "qnn"}
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert not alias.name.startswith("qnetlab.ai"), alias.name
