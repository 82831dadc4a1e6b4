"""State tomography: Cirq and NumPy measurement paths agree; estimators meet their papers."""

from __future__ import annotations

import numpy as np
import pytest

from qnetlab import tomography as tomo
from qnetlab.states import bell_state, fidelity, werner_state


def test_cirq_and_numpy_paths_give_the_same_statistics():
    rho = tomo.random_states(1, kind="haar", seed=4)[0]
    shots = 4000
    a = tomo.measure_pauli(rho, shots, backend="cirq", seed=1)
    b = tomo.measure_pauli(rho, shots, backend="numpy", seed=2)
    assert a.settings == b.settings
    # Exact outcome probabilities from both paths are equal ...
    for s in a.settings:
        np.testing.assert_allclose(
            tomo._cirq_outcome_probabilities(rho, s),
            tomo._outcome_probabilities(rho, s),
            atol=1e-10,
        )
    # ... and the sampled frequencies agree within 5 standard errors of their difference.
    p = (a.frequencies + b.frequencies) / 2
    se = np.sqrt(2 * p * (1 - p) / shots) + 1e-12
    assert np.all(np.abs(a.frequencies - b.frequencies) < 5 * se)


def test_pauli_expectations_of_bell_states():
    # Φ+: ⟨XX⟩ = ⟨ZZ⟩ = 1, ⟨YY⟩ = −1; Ψ−: all three −1 (Nielsen & Chuang, Ex. 2.74 context).
    e = tomo.pauli_expectations(tomo.measure_pauli(bell_state("phi+"), 200, seed=0))
    assert (e["XX"], e["YY"], e["ZZ"]) == (1.0, -1.0, 1.0)
    e = tomo.pauli_expectations(tomo.measure_pauli(bell_state("psi-"), 200, seed=0))
    assert (e["XX"], e["YY"], e["ZZ"]) == (-1.0, -1.0, -1.0)
    assert abs(e["XI"]) < 0.3  # a marginal of a maximally entangled state is unbiased


def test_pauli_expectations_stay_in_range_after_averaging_settings():
    # diag(p, 1-p) ⊗ |−⟩⟨−| has ⟨IX⟩ = −1 in every setting; the average over the three
    # settings XX, YX, ZX rounded to −1 − 2e-16 here (seed 2121 of II.A.1 then stopped in
    # linear_inversion's range check). Every expectation is in [−1, 1] and ⟨IX⟩ is −1.
    minus = np.array([1.0, -1.0]) / np.sqrt(2)
    p = float(np.random.default_rng(186).uniform())
    rho = np.kron(np.diag([p, 1 - p]), np.outer(minus, minus))
    data = tomo.measure_pauli(rho, 100, seed=186)
    e = tomo.pauli_expectations(data)
    assert all(-1.0 <= v <= 1.0 for v in e.values())
    assert e["IX"] == pytest.approx(-1.0, abs=1e-15)
    np.testing.assert_allclose(np.trace(tomo.linear_inversion(data)), 1.0, atol=1e-12)


def test_linear_inversion_is_unbiased():
    rho = werner_state(0.8)
    estimates = [
        tomo.linear_inversion(tomo.measure_pauli(rho, 200, backend="numpy", seed=s))
        for s in range(200)
    ]
    mean = np.mean(estimates, axis=0)
    np.testing.assert_allclose(mean, rho, atol=0.01)


def test_projection_worked_example_of_smolin_gambetta_smith():
    # PRL 108, 070502 (2012): eigenvalues (3/5, 1/2, 7/20, 1/10, −11/20) → (9/20, 7/20, 1/5, 0, 0).
    mu = np.array([3 / 5, 1 / 2, 7 / 20, 1 / 10, -11 / 20])
    out = tomo.project_to_density_matrix(np.diag(mu))
    np.testing.assert_allclose(
        np.sort(np.linalg.eigvalsh(out))[::-1], [9 / 20, 7 / 20, 1 / 5, 0, 0], atol=1e-12
    )
    # Physical input is returned unchanged.
    rho = werner_state(0.6)
    np.testing.assert_allclose(tomo.project_to_density_matrix(rho), rho, atol=1e-12)
    with pytest.raises(ValueError, match="Hermitian"):
        tomo.project_to_density_matrix(np.triu(np.ones((2, 2))))
    # no trace to normalise: a clear error, not NaN (zero) or a flipped spectrum (negative)
    for bad in (np.zeros((2, 2)), -np.eye(2)):
        with pytest.raises(ValueError, match="positive trace"):
            tomo.project_to_density_matrix(bad)


def _loglik(data, rho):
    probs = np.array([tomo._outcome_probabilities(rho, s) for s in data.settings])
    return float(np.sum(data.counts * np.log(np.clip(probs, 1e-15, None))))


def test_maximum_likelihood_is_physical_and_maximises_likelihood():
    rho = tomo.random_states(1, seed=9)[0]
    data = tomo.measure_pauli(rho, 50, backend="numpy", seed=3)
    mle = tomo.maximum_likelihood(data)
    assert np.linalg.eigvalsh(mle).min() > -1e-10
    assert np.trace(mle).real == pytest.approx(1.0)
    li = tomo.project_to_density_matrix(tomo.linear_inversion(data))
    assert _loglik(data, mle) >= _loglik(data, li) - 1e-6
    assert _loglik(data, mle) >= _loglik(data, rho) - 1e-6


def test_estimators_converge_with_shots():
    rho = werner_state(0.9)
    data = tomo.measure_pauli(rho, 20000, backend="numpy", seed=5)
    assert fidelity(tomo.maximum_likelihood(data), rho) > 0.998
    li = tomo.project_to_density_matrix(tomo.linear_inversion(data))
    assert fidelity(li, rho) > 0.998


def test_neural_tomography_beats_mle_on_its_family_at_low_counts():
    rng = np.random.default_rng(11)
    shots = 20
    model = tomo.NeuralTomography(hidden=(64,), seed=1).fit(
        tomo.random_states(600, seed=rng), shots, seed=rng
    )
    nn, ml = [], []
    for rho in tomo.random_states(40, seed=rng):
        data = tomo.measure_pauli(rho, shots, backend="numpy", seed=rng)
        nn.append(1 - fidelity(model.predict(data), rho))
        ml.append(1 - fidelity(tomo.maximum_likelihood(data), rho))
    assert np.mean(nn) < 0.5 * np.mean(ml)


def test_bad_input():
    with pytest.raises(ValueError, match="shots_per_setting must be an integer >= 1"):
        tomo.measure_pauli(werner_state(0.9), 0)
    with pytest.raises(ValueError, match="backend must be one of"):
        tomo.measure_pauli(werner_state(0.9), 10, backend="qiskit")
    with pytest.raises(TypeError, match="data must be a TomographyData"):
        tomo.linear_inversion(np.eye(4))
    with pytest.raises(ValueError, match="kind must be one of"):
        tomo.random_states(3, kind="ghz")
    with pytest.raises(ValueError, match="not fitted"):
        tomo.NeuralTomography().predict(tomo.measure_pauli(werner_state(0.9), 5, seed=0))
    with pytest.raises(ValueError, match="15 entries"):
        tomo.state_from_pauli_expectations(np.zeros(3), 2)


def test_maximum_likelihood_survives_any_finite_dilution():
    """Issue 16: a huge dilution overflowed to an all-NaN matrix; (I + εR)/(1 + ε) cannot."""
    data = tomo.measure_pauli(werner_state(0.9), 200, backend="numpy", seed=7)
    rho = tomo.maximum_likelihood(data, dilution=1e300)
    assert np.all(np.isfinite(rho))
    assert np.trace(rho).real == pytest.approx(1.0)
    assert np.linalg.eigvalsh(rho).min() > -1e-10
    # Large ε is the undiluted RρR step: it climbs to the maximum of the likelihood at least
    # as well as the default dilution (log-likelihoods in counts, 1800 shots).
    ref = tomo.maximum_likelihood(data)
    assert _loglik(data, rho) >= _loglik(data, ref) - 1e-2
    for bad in (0.0, -1.0, np.inf, np.nan):
        with pytest.raises(ValueError, match="dilution"):
            tomo.maximum_likelihood(data, dilution=bad)


def test_maximum_likelihood_of_a_batch_equals_one_call_per_record():
    rng = np.random.default_rng(3)
    records = [
        tomo.measure_pauli(r, 30, backend="numpy", seed=rng)
        for r in tomo.random_states(3, seed=rng) + tomo.random_states(2, kind="haar", seed=rng)
    ]
    batch = tomo.maximum_likelihood(records)
    assert batch.shape == (5, 4, 4)
    for rec, est in zip(records, batch, strict=True):
        np.testing.assert_allclose(est, tomo.maximum_likelihood(rec), atol=1e-12)
    with pytest.raises(TypeError, match="non-empty sequence"):
        tomo.maximum_likelihood([])
    with pytest.raises(ValueError, match="same number of qubits"):
        tomo.maximum_likelihood([records[0], tomo.measure_pauli([1, 0], 5, seed=0)])


def _bell_counts(t, shots):
    """Counts of the 9 settings of a Bell-diagonal state with correlations t = (XX, YY, ZZ).

    For σ_j ⊗ σ_j the outcomes 00 and 11 have parity +1; a Bell-diagonal state has
    unbiased marginals, so P(00) = P(11) = (1 + t_j)/4 and P(01) = P(10) = (1 - t_j)/4.
    The other six settings have ⟨σ_j ⊗ σ_k⟩ = 0: uniform counts.
    """
    settings = tuple(a + b for a in "XYZ" for b in "XYZ")
    counts = np.full((9, 4), shots / 4)
    for j, b in enumerate("XYZ"):
        plus, minus = (1 + t[j]) / 4 * shots, (1 - t[j]) / 4 * shots
        counts[settings.index(b + b)] = [plus, minus, minus, plus]
    return tomo.TomographyData(2, settings, counts, shots)


def test_bell_diagonal_estimate_matches_the_bell_basis_formula():
    """ρ = (I + Σ t_j σ_j⊗σ_j)/4 (Horodecki & Horodecki, PRA 54, 1838 (1996), Eq. 2):
    its Bell coefficients are ⟨B|ρ|B⟩, computed here from the Bell kets directly."""
    pauli = {
        "X": np.array([[0, 1], [1, 0]]),
        "Y": np.array([[0, -1j], [1j, 0]]),
        "Z": np.diag([1, -1]),
    }
    t = (0.6, -0.4, 0.7)
    rho = (np.eye(4) + sum(tj * np.kron(pauli[b], pauli[b]) for tj, b in zip(t, "XYZ"))) / 4
    names = ("phi+", "psi-", "psi+", "phi-")
    expected = [np.vdot(bell_state(n), rho @ bell_state(n)).real for n in names]
    est = tomo.bell_diagonal_estimate(_bell_counts(t, 4000))
    got = [np.vdot(bell_state(n), est @ bell_state(n)).real for n in names]
    np.testing.assert_allclose(got, expected, atol=1e-12)
    np.testing.assert_allclose(est, rho, atol=1e-12)  # and nothing off the Bell diagonal
    # Correlations outside the Bell-diagonal region are projected onto the simplex:
    # t = (1, -1, 1) + noise beyond 1 gives Φ+ itself.
    est = tomo.bell_diagonal_estimate(_bell_counts((1.0, -1.0, 1.0), 400))
    assert fidelity(est, bell_state("phi+")) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="two-qubit"):
        tomo.bell_diagonal_estimate(tomo.measure_pauli([1, 0], 10, seed=0))


def test_bell_diagonal_estimate_is_consistent_on_link_states():
    rng = np.random.default_rng(5)
    for rho in tomo.random_states(5, seed=rng):
        data = tomo.measure_pauli(rho, 20000, backend="numpy", seed=rng)
        assert fidelity(tomo.bell_diagonal_estimate(data), rho) > 0.999


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_neural_tomography_follows_scikit_learn_conventions():
    # __init__ only stores parameters; fit validates them, resolves the seed and sets the
    # fitted state (trailing underscore). The same int seeds give the same network.
    bad = tomo.NeuralTomography(hidden=(), seed=-1)
    assert bad.hidden == () and bad.seed == -1 and not [a for a in vars(bad) if a.endswith("_")]
    states = tomo.random_states(30, seed=0)
    with pytest.raises(ValueError, match="hidden must be a non-empty tuple"):
        bad.fit(states, 10, seed=0)
    with pytest.raises(ValueError, match="seed must be a non-negative"):
        tomo.NeuralTomography(hidden=(8,), seed=-1).fit(states, 10, seed=0)
    with pytest.raises(ValueError, match="n_iterations must be an integer >= 1"):
        tomo.NeuralTomography(hidden=(8,)).fit(states, 10, n_iterations=0, seed=0)
    model = tomo.NeuralTomography(hidden=(8,), seed=3)
    a = model.fit(states, 10, n_iterations=50, seed=1)
    assert a is model and a.n_qubits_ == 2 and a.shots_per_setting_ == 10
    data = tomo.measure_pauli(werner_state(0.9), 10, seed=2)
    first = a.predict(data)
    again = tomo.NeuralTomography(hidden=(8,), seed=3).fit(states, 10, n_iterations=50, seed=1)
    assert np.allclose(again.predict(data), first)
    assert np.allclose(model.fit(states, 10, n_iterations=50, seed=1).predict(data), first)
