"""Tests of qnetlab.qkd.device_attacks: closed forms from the literature, recomputed here
independently, against the pulse-by-pulse simulation; signatures; bad input."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab.qkd import device_attacks as da

IDEAL = da.Receiver(dark_count_prob=0.0, misalignment=0.0)


def h2(p: float) -> float:
    return 0.0 if p in (0.0, 1.0) else -p * math.log2(p) - (1 - p) * math.log2(1 - p)


def _faked_state_enumeration(r: float) -> tuple[float, float]:
    """QBER and Eve's information of the faked-state attack by listing every case.

    Alice (basis a, bit x), Eve's basis e; Eve resends bit 1 - b in basis 1 - e, with b her
    result, timed so that detector b has efficiency 1 and detector 1 - b has r. Only
    rounds with Bob's basis = Alice's survive sifting. Eve knows e == a after sifting.
    """
    clicks = errors = 0.0
    groups: dict[bool, dict[tuple[int, int], float]] = {True: {}, False: {}}
    for a, x, e in itertools.product((0, 1), repeat=3):
        for b in (0, 1):  # Eve's result
            pb = (1.0 if b == x else 0.0) if e == a else 0.5
            sent_basis, sent_bit = 1 - e, 1 - b
            for bob in (0, 1):  # Bob measures in basis a
                po = (1.0 if bob == sent_bit else 0.0) if sent_basis == a else 0.5
                eff = 1.0 if bob == b else r
                w = pb * po * eff / 8.0
                clicks += w
                errors += w * (bob != x)
                d = groups[e == a]
                d[(bob, b)] = d.get((bob, b), 0.0) + w
    info = 0.0
    for d in groups.values():
        tot = sum(d.values())
        if tot == 0:
            continue
        pj = {k: v / tot for k, v in d.items()}
        pbob = {u: sum(v for (bb, _), v in pj.items() if bb == u) for u in (0, 1)}
        peve = {u: sum(v for (_, ee), v in pj.items() if ee == u) for u in (0, 1)}
        mi = sum(v * math.log2(v / (pbob[k[0]] * peve[k[1]])) for k, v in pj.items() if v > 0)
        info += tot * mi
    return errors / clicks, info / clicks


@pytest.mark.parametrize("r", [0.05, 0.2, 0.5, 1.0])
def test_faked_state_closed_forms_match_enumeration(r):
    # Makarov, Anisimov, Skaar, PRA 74, 022313 (2006): faked states on mismatched detectors.
    q, i = _faked_state_enumeration(r)
    assert da.faked_state_qber(r) == pytest.approx(q, abs=1e-12)
    assert da.faked_state_information(r) == pytest.approx(i, abs=1e-12)


def test_time_shift_and_trojan_closed_forms():
    # Qi et al., QIC 7, 73 (2007): P(Bob's bit = favoured detector) = 1/(1 + r).
    for r in (0.1, 0.25, 1.0):
        assert da.time_shift_information(r) == pytest.approx(1 - h2(1 / (1 + r)), abs=1e-12)
    # Helstrom error for |alpha> vs |-alpha>: overlap exp(-2|alpha|^2) = exp(-2 mu).
    for mu in (0.01, 0.1, 1.0):
        overlap = math.exp(-2 * mu)
        p_err = (1 - math.sqrt(1 - overlap**2)) / 2
        assert da.trojan_horse_information(mu) == pytest.approx(1 - h2(p_err), abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.0, 1.0))
def test_closed_forms_are_monotone_and_bounded(r):
    q = da.faked_state_qber(r)
    i = da.faked_state_information(r)
    assert 0 <= q <= 0.5 + 1e-12 and 0 <= i <= 1 + 1e-12
    assert da.time_shift_information(r) <= i + 1e-12  # faked states know more
    assert da.faked_state_qber(min(r + 0.01, 1.0)) >= q - 1e-12


def test_blinding_gives_the_full_key_at_zero_qber():
    # Lydersen et al., Nat. Photon. 4, 686 (2010).
    t = da.device_telemetry(4, attack="blinding", receiver=IDEAL, seed=11)
    assert t.errors.sum() == 0
    assert t.eve_information.sum() / t.sifted.sum() > 0.99
    # Signatures: photocurrent up, attenuated gates click as often as the others.
    assert t.column("photocurrent").mean() > 15
    assert abs(t.column("rde_ratio").mean() - 1 / IDEAL.rde_factor) < 0.3


@pytest.mark.parametrize(
    ("attack", "strength", "qber", "info"),
    [
        ("intercept_resend", None, 0.25, 0.5),
        ("time_shift", 0.2, 0.0, None),
        ("efficiency_mismatch", 0.2, None, None),
        ("trojan_horse", 0.1, 0.0, None),
    ],
)
def test_simulation_matches_closed_forms(attack, strength, qber, info):
    t = da.device_telemetry(
        4, attack=attack, strength=strength, receiver=IDEAL, window_pulses=200_000, seed=5
    )
    n = t.sifted.sum()
    if attack == "time_shift":
        info = da.time_shift_information(strength)
    if attack == "efficiency_mismatch":
        qber, info = da.faked_state_qber(strength), da.faked_state_information(strength)
    if attack == "trojan_horse":
        info = da.trojan_horse_information(strength)
    se = math.sqrt(max(qber * (1 - qber), 1 / n) / n)
    assert abs(t.qber - qber) < 4 * se
    # Plug-in information per sifted bit; its standard error is below 1/sqrt(n).
    assert abs(t.eve_information.sum() / n - info) < 4 / math.sqrt(n)


def test_time_shift_leaves_qber_but_moves_click_times():
    rx = da.Receiver()
    normal = da.device_telemetry(6, seed=1)
    shifted = da.device_telemetry(6, attack="time_shift", fraction=0.5, seed=2)
    assert abs(shifted.qber - normal.qber) < 0.02
    s = rx.shift_for_ratio(0.2)
    gap = shifted.column("time_1") - shifted.column("time_0")
    assert np.all(gap > 0.25 * s) and np.all(np.abs(normal.column("time_1")) < 0.05)


def test_trojan_horse_shows_only_at_the_watchdog():
    normal = da.device_telemetry(5, window_pulses=20_000, seed=3)
    trojan = da.device_telemetry(
        5, attack="trojan_horse", strength=0.2, window_pulses=20_000, seed=4
    )
    assert trojan.column("watchdog").min() > normal.column("watchdog").max()
    assert abs(trojan.qber - normal.qber) < 0.02


def test_mismatch_ratio_and_shift_are_inverse():
    rx = da.Receiver()
    for r in (0.05, 0.3, 1.0):
        assert rx.mismatch_ratio(rx.shift_for_ratio(r)) == pytest.approx(r)
    with pytest.raises(ValueError, match="offset_ns=0"):
        da.Receiver(offset_ns=0.0).shift_for_ratio(0.5)


def test_bell_test_blinding_and_detection_loophole():
    # Gerhardt et al., PRL 107, 170404 (2011): blinding fakes a Bell violation when
    # no-clicks are discarded; with no-clicks assigned S = eta S_q.
    fake = da.bell_test_with_detectors(60_000, blinding=True, seed=1)
    assert abs(fake.value - 2 * math.sqrt(2)) < 4 * fake.std_error
    caught = da.bell_test_with_detectors(60_000, blinding=True, no_click="assign", seed=2)
    assert abs(caught.value - math.sqrt(2)) < 4 * caught.std_error
    eta = 0.8
    honest = da.bell_test_with_detectors(60_000, efficiency=eta, no_click="assign", seed=3)
    assert abs(honest.value - eta * 2 * math.sqrt(2)) < 4 * honest.std_error
    lossy = da.bell_test_with_detectors(60_000, efficiency=0.6, no_click="assign", seed=4)
    assert lossy.value < 2


def test_di_key_rate_formula():
    # Acin et al., PRL 98, 230501 (2007), Eq. (12).
    s, q = 2.7, 0.02
    x = math.sqrt((s / 2) ** 2 - 1)
    assert da.di_key_rate(s, q) == pytest.approx(1 - h2(q) - h2((1 + x) / 2), abs=1e-12)
    assert da.di_key_rate(1.9, 0.0) == 0.0
    assert np.all(np.diff(da.di_key_rate(np.linspace(2.0, 2.8, 9), 0.01)) >= 0)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"n_windows": 0}, ValueError, "n_windows"),
        ({"n_windows": 2, "attack": "laser"}, ValueError, "attack"),
        ({"n_windows": 2, "fraction": 1.5}, ValueError, "fraction"),
        ({"n_windows": 2, "attack": "time_shift", "strength": 0.0}, ValueError, "strength"),
        ({"n_windows": 2, "attack": "trojan_horse", "strength": -1}, ValueError, "strength"),
        ({"n_windows": 2, "window_pulses": 10}, ValueError, "window_pulses"),
        ({"n_windows": 2, "receiver": "bob"}, TypeError, "receiver"),
        ({"n_windows": 2.5}, TypeError, "n_windows"),
    ],
)
def test_bad_input(kwargs, exc, match):
    n = kwargs.pop("n_windows")
    with pytest.raises(exc, match=match):
        da.device_telemetry(n, **kwargs)


def test_bad_input_elsewhere():
    with pytest.raises(ValueError, match="mu"):
        da.Receiver(mu=0.0)
    with pytest.raises(ValueError, match="efficiency"):
        da.Receiver(efficiency=1.5)
    with pytest.raises(ValueError, match="ratio"):
        da.faked_state_qber(1.5)
    with pytest.raises(ValueError, match="mean_photons_out"):
        da.trojan_horse_information(-0.1)
    with pytest.raises(ValueError, match="qber"):
        da.di_key_rate(2.5, 0.7)
    with pytest.raises(ValueError, match="no_click"):
        da.bell_test_with_detectors(100, no_click="drop")
    with pytest.raises(ValueError, match="efficiency"):
        da.bell_test_with_detectors(100, efficiency=2.0)
    with pytest.raises(ValueError, match="detector"):
        da.Receiver().detector_efficiency(2, 0.0)
    with pytest.raises(ValueError, match="name"):
        da.device_telemetry(1, seed=0).column("qber")


def test_seeded_runs_repeat():
    a = da.device_telemetry(2, attack="blinding", fraction=0.3, seed=9)
    b = da.device_telemetry(2, attack="blinding", fraction=0.3, seed=9)
    assert np.array_equal(a.features, b.features) and "blinding" in repr(a)


def test_physics_module_does_not_import_ai():
    import ast
    import pathlib

    src = pathlib.Path(da.__file__).read_text()
    names = [n.module or "" for n in ast.walk(ast.parse(src)) if isinstance(n, ast.ImportFrom)]
    assert not any(m.split(".")[-1] in ("ai", "network", "qnn") for m in names if m)


def test_bell_test_agrees_with_the_cirq_chsh_experiment():
    # The NumPy sampler at efficiency 1 against qnetlab.protocols.chsh_experiment (Cirq).
    from qnetlab.protocols import chsh_experiment
    from qnetlab.states import werner_state

    p = 0.1
    cirq_run = chsh_experiment(werner_state(1 - p), 4000, seed=21)
    fast = da.bell_test_with_detectors(16_000, depolarization=p, seed=22)
    se = math.hypot(cirq_run.std_error, fast.std_error)
    assert abs(cirq_run.value - fast.value) < 4 * se
