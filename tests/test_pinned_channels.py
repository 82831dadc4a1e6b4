"""qnetlab.channels pinned: fibre loss, memory decoherence and the Bloch-vector formulas.

Issue 21. Nielsen & Chuang (2010), Sec. 8.3 (depolarising, phase and amplitude damping on
the Bloch vector); T1/T2 decoherence as amplitude damping followed by pure dephasing.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from qnetlab import channels as ch


def test_fiber_transmissivity_pinned_scalar_and_array():
    for alpha in (0.0, 0.16, 0.2, 0.5):
        for d in (0.0, 1.0, 37.5, 200.0):
            assert ch.fiber_transmissivity(d, alpha) == pytest.approx(
                10 ** (-alpha * d / 10), rel=1e-12
            )
    out = ch.fiber_transmissivity(np.array([0.0, 50.0, 100.0]), 0.2)
    np.testing.assert_allclose(out, [1.0, 0.1, 0.01], rtol=1e-12)
    assert isinstance(ch.fiber_transmissivity(3, 0.2), float)
    np.testing.assert_allclose(ch.fiber_transmissivity([10.0], 0.3), [10**-0.3])


def test_fiber_transmissivity_array_validation():
    with pytest.raises(
        ValueError, match=r"length_km must be non-negative \(>= 0\), got minimum -1"
    ):
        ch.fiber_transmissivity(np.array([1.0, -1.0]))
    for bad in ([np.nan], [1.0, np.inf]):
        with pytest.raises(ValueError, match="length_km must be finite"):
            ch.fiber_transmissivity(np.array(bad))
    with pytest.raises(TypeError, match="length_km must be real numbers"):
        ch.fiber_transmissivity(["a", "b"])
    with pytest.raises(ValueError, match="length_km"):
        ch.fiber_transmissivity(-0.1)
    with pytest.raises(ValueError, match="attenuation_db_per_km"):
        ch.fiber_transmissivity(1.0, -0.2)
    np.testing.assert_array_equal(ch.fiber_transmissivity(np.zeros(2)), [1.0, 1.0])


def test_db_and_delay():
    for eta in (1.0, 0.5, 0.01, 1e-9):
        assert ch.transmissivity_to_db(eta) == pytest.approx(-10 * math.log10(eta), abs=1e-12)
    assert ch.transmissivity_to_db(1.0) == 0.0
    with pytest.raises(ValueError, match=r"eta must be in \(0, 1\] to have a finite loss"):
        ch.transmissivity_to_db(0.0)
    with pytest.raises(ValueError, match="eta"):
        ch.transmissivity_to_db(1.5)
    # light in fibre: c / 1.47
    assert ch.C_FIBER_KM_PER_S == pytest.approx(299_792.458 / 1.47)
    assert ch.fiber_delay(100.0) == pytest.approx(100.0 * 1.47 / 299_792.458, rel=1e-12)
    assert ch.fiber_delay(0.0) == 0.0
    with pytest.raises(ValueError, match="length_km"):
        ch.fiber_delay(-1.0)


@pytest.mark.parametrize(
    ("t", "t1", "t2"),
    [(0.5, 1.0, 1.0), (0.1, 2.0, 0.5), (1.0, 1.0, 2.0), (0.3, math.inf, 0.7), (2.0, 0.4, 0.1)],
)
def test_memory_decoherence_pinned(t, t1, t2):
    # Populations relax as e^(−t/T1), coherences decay as e^(−t/T2) in total.
    g_ad, g_pd = ch.memory_decoherence_parameters(t, t1, t2)
    assert g_ad == pytest.approx(1 - math.exp(-t / t1), abs=1e-15)
    extra = 2 / t2 - (0 if math.isinf(t1) else 1 / t1)
    assert g_pd == pytest.approx(1 - math.exp(-max(extra, 0.0) * t), abs=1e-15)
    rho = np.array([[0.3, 0.4 - 0.1j], [0.4 + 0.1j, 0.7]])
    out = ch.apply_kraus(rho, ch.memory_decoherence(t, t1, t2))
    p1 = 0.7 * math.exp(-t / t1)
    assert out[1, 1].real == pytest.approx(p1, abs=1e-12)
    assert out[0, 0].real == pytest.approx(1 - p1, abs=1e-12)
    assert out[0, 1] == pytest.approx((0.4 - 0.1j) * math.exp(-t / t2), abs=1e-12)
    channel = ch.MemoryDecoherenceChannel(t, t1, t2)
    ks = channel.kraus()
    assert len(ks) == 4
    np.testing.assert_allclose(sum(k.conj().T @ k for k in ks), np.eye(2), atol=1e-12)
    assert repr(channel) == f"MemoryDecoherenceChannel(t={t:g}, t1={t1:g}, t2={t2:g})"


def test_memory_decoherence_limits_and_validation():
    assert ch.memory_decoherence_parameters(0.0, 1.0, 1.0) == (0.0, 0.0)
    assert ch.memory_decoherence_parameters(5.0, math.inf, math.inf) == (0.0, 0.0)
    g_ad, g_pd = ch.memory_decoherence_parameters(1.0, math.inf, 1.0)
    assert g_ad == 0.0 and g_pd == pytest.approx(1 - math.exp(-2.0))
    # T2 = 2 T1 exactly: no extra dephasing; beyond it is unphysical.
    assert ch.memory_decoherence_parameters(1.0, 1.0, 2.0)[1] == pytest.approx(0.0, abs=1e-15)
    with pytest.raises(ValueError, match=r"t2 must satisfy t2 <= 2\*t1"):
        ch.memory_decoherence_parameters(1.0, 1.0, 2.0001)
    with pytest.raises(ValueError, match=r"t2 must satisfy"):
        ch.memory_decoherence_parameters(1.0, 1.0, math.inf)
    for bad in ((-1.0, 1.0, 1.0), (1.0, 0.0, 1.0), (1.0, 1.0, 0.0), (1.0, -math.inf, 1.0)):
        with pytest.raises(ValueError):
            ch.memory_decoherence_parameters(*bad)
    gate = ch.memory_decoherence(1.0, 2.0, 1.0)
    import cirq

    assert cirq.num_qubits(gate) == 1 and cirq.has_kraus(gate)
    q = cirq.LineQubit(0)
    assert "Mem(t=1)" in str(cirq.Circuit(gate.on(q)))
    assert repr(gate) == "MemoryDecoherenceChannel(t=1, t1=2, t2=1)"
    # Amplitude damping alone (γ → 1 written with the survival): |1⟩ relaxes fully.
    out = ch.apply_kraus(np.diag([0.0, 1.0]), ch.memory_decoherence(50.0, 1.0, 2.0))
    assert out[0, 0].real == pytest.approx(1.0)


@pytest.mark.parametrize("p", [0.0, 0.1, 0.45, 1.0])
def test_cirq_channels_against_bloch_formulas(p):
    # The two views of every channel agree: Kraus map on ρ(r) equals the formula on r.
    r = np.array([0.3, -0.5, 0.6])
    rho = 0.5 * np.array([[1 + r[2], r[0] - 1j * r[1]], [r[0] + 1j * r[1], 1 - r[2]]])

    def bloch(m):
        return np.array([2 * m[0, 1].real, -2 * m[0, 1].imag, (m[0, 0] - m[1, 1]).real])

    np.testing.assert_allclose(bloch(ch.apply_kraus(rho, ch.depolarize(p))), (1 - 4 * p / 3) * r)
    np.testing.assert_allclose(ch.bloch_after_depolarizing(r, p), (1 - 4 * p / 3) * r)
    deph = np.array([(1 - 2 * p) * r[0], (1 - 2 * p) * r[1], r[2]])
    np.testing.assert_allclose(bloch(ch.apply_kraus(rho, ch.dephase(p))), deph, atol=1e-12)
    np.testing.assert_allclose(ch.bloch_after_dephasing(r, p), deph, atol=1e-15)
    s = math.sqrt(1 - p)
    ad = np.array([s * r[0], s * r[1], p + (1 - p) * r[2]])
    np.testing.assert_allclose(bloch(ch.apply_kraus(rho, ch.amplitude_damp(p))), ad, atol=1e-12)
    np.testing.assert_allclose(ch.bloch_after_amplitude_damping(r, p), ad, atol=1e-15)
    # pure loss of transmissivity η is amplitude damping with γ = 1 − η
    loss = bloch(ch.apply_kraus(rho, ch.pure_loss(1 - p)))
    np.testing.assert_allclose(loss, ad, atol=1e-12)
    # the input vector is not modified in place
    np.testing.assert_array_equal(r, [0.3, -0.5, 0.6])


def test_channel_validation():
    for fn in (ch.depolarize, ch.dephase, ch.amplitude_damp, ch.pure_loss):
        with pytest.raises(ValueError):
            fn(1.5)
    for fn in (ch.bloch_after_depolarizing, ch.bloch_after_dephasing):
        with pytest.raises(ValueError, match="p"):
            fn([0, 0, 1], -0.1)
    with pytest.raises(ValueError, match="gamma"):
        ch.bloch_after_amplitude_damping([0, 0, 1], 1.1)
    for bad in ([0, 0], [0, np.nan, 1], [[0, 0, 1]]):
        with pytest.raises(ValueError, match=r"r must|r has|bloch"):
            ch.bloch_after_depolarizing(bad, 0.1)


def test_apply_kraus_inputs():
    rho = np.diag([0.25, 0.75]).astype(complex)
    x = np.array([[0, 1], [1, 0]])
    np.testing.assert_allclose(ch.apply_kraus(rho, [x]), np.diag([0.75, 0.25]))
    np.testing.assert_allclose(ch.apply_kraus(rho, (np.eye(2),)), rho)
    np.testing.assert_allclose(ch.apply_kraus([0, 1], [x]), np.diag([1.0, 0.0]))
    with pytest.raises(ValueError, match="kraus must act on dimension"):
        ch.apply_kraus(rho, [np.eye(4)])
    with pytest.raises(TypeError, match="kraus must be a"):
        ch.apply_kraus(rho, [[["a", "b"], ["c", "d"]]])
    ks = ch.kraus_operators(ch.depolarize(0.3))
    assert len(ks) == 4 and all(k.dtype == complex for k in ks)
    np.testing.assert_allclose(sum(k.conj().T @ k for k in ks), np.eye(2), atol=1e-12)
