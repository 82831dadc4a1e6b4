"""Tests of qnetlab.qec.sweeps and qnetlab.qec.scaling: stopping, resuming, sinter, thresholds."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from qnetlab import qec
from qnetlab.qec import experiments, scaling, sweeps

# --------------------------------------------------------------------------------------
# Per-round logical error rate
# --------------------------------------------------------------------------------------


def _xor_of_rounds(e: float, rounds: int) -> float:
    """Probability that an odd number of ``rounds`` independent flips of probability e occur.

    Computed by composing binary symmetric channels one round at a time (a Markov chain on
    the observable's value), independent of the closed form.
    """
    flipped = 0.0
    for _ in range(rounds):
        flipped = flipped * (1 - e) + (1 - flipped) * e
    return flipped


@pytest.mark.parametrize("rounds", [1, 2, 3, 7, 25])
@pytest.mark.parametrize("e", [0.0, 1e-4, 0.003, 0.05, 0.2])
def test_per_round_rate_inverts_the_xor_of_independent_rounds(e, rounds):
    # Google Quantum AI, Nature 614, 676 (2023), supplement: p_L = (1 - (1 - 2 e)^r) / 2
    shot_rate = _xor_of_rounds(e, rounds)
    assert scaling.per_round_error_rate(shot_rate, rounds) == pytest.approx(e, rel=1e-9, abs=1e-15)


def test_per_round_rate_agrees_with_sinter_and_by_enumeration():
    sinter = pytest.importorskip("sinter")
    for rate, r in [(0.1, 2), (0.3, 5), (0.7, 3), (0.02, 10)]:
        ours = scaling.per_round_error_rate(rate, r)
        assert ours == pytest.approx(
            sinter.shot_error_rate_to_piece_error_rate(rate, pieces=r), rel=1e-12
        )
    # enumeration over all 2^r flip patterns of r = 4 rounds at e = 0.1
    e, r = 0.1, 4
    odd = sum(
        e ** sum(bits) * (1 - e) ** (r - sum(bits))
        for bits in np.ndindex(*(2,) * r)
        if sum(bits) % 2 == 1
    )
    assert scaling.per_round_error_rate(odd, r) == pytest.approx(e, rel=1e-12)
    arr = scaling.per_round_error_rate(np.array([0.0, odd, 0.5]), r)
    assert arr.shape == (3,) and arr[1] == pytest.approx(e) and arr[2] == 0.5


@pytest.mark.parametrize(
    ("rate", "rounds", "exc", "match"),
    [
        (-0.1, 3, ValueError, "rate"),
        (1.2, 3, ValueError, "rate"),
        (float("nan"), 3, ValueError, "rate"),
        (0.1, 0, ValueError, "rounds"),
        (0.1, 2.5, TypeError, "rounds"),
    ],
)
def test_per_round_rate_bad_input(rate, rounds, exc, match):
    with pytest.raises(exc, match=match):
        scaling.per_round_error_rate(rate, rounds)


# --------------------------------------------------------------------------------------
# Finite-size scaling threshold
# --------------------------------------------------------------------------------------


def _synthetic(p_th, nu, coef, distances, ps, shots, rng):
    """Binomial counts from the scaling law p_L = A + B x + C x^2, x = (p - p_th) d^(1/nu)."""
    out = []
    a, b, c = coef
    for d in distances:
        for p in ps:
            x = (p - p_th) * d ** (1 / nu)
            rate = a + b * x + c * x * x
            assert 0 < rate < 0.5
            errors = int(rng.binomial(shots, rate))
            low, high = qec.binomial_interval(errors, shots)
            out.append(
                qec.LogicalErrorRate(
                    "rotated_surface", d, p, "circuit", "mwpm", d, shots, errors,
                    errors / shots, low, high,
                )
            )  # fmt: skip
    return out


def test_finite_size_fit_recovers_a_known_threshold_and_its_interval_covers_it():
    # Wang, Harrington, Preskill 2003, Eq. (26): data drawn from the model with p_th known
    p_th, nu, coef = 0.0071, 1.3, (0.11, 25.0, 900.0)
    ps = np.linspace(0.0060, 0.0082, 6)
    rng = np.random.default_rng(2026)
    covered, widths = 0, []
    for _ in range(12):
        data = _synthetic(p_th, nu, coef, (3, 5, 7), ps, 20_000, rng)
        fit = qec.fit_threshold_finite_size(data, n_bootstrap=80, seed=rng)
        assert fit.distances == (3, 5, 7) and fit.points == 18 and fit.dof == 13
        assert abs(fit.p - p_th) < 3e-4  # recovered to about 4 % of its value
        covered += fit.ci_low <= p_th <= fit.ci_high
        widths.append(fit.ci_high - fit.ci_low)
        assert fit.chi2 < 3 * fit.dof + 10  # the model describes its own data
    # a 95 % interval covers the true value in at least 10 of 12 data sets (binomial tail
    # probability of fewer at true coverage 0.95 is 2 %)
    assert covered >= 10, covered
    assert 0 < np.median(widths) < 1e-3


def test_finite_size_fit_with_fixed_exponent_and_rate_curve():
    p_th, nu, coef = 0.1, 1.0, (0.2, 2.0, 5.0)
    rng = np.random.default_rng(7)
    data = _synthetic(p_th, nu, coef, (3, 5), np.linspace(0.08, 0.12, 5), 200_000, rng)
    fit = qec.fit_threshold_finite_size(data, nu=1.0, n_bootstrap=60, seed=1)
    assert fit.nu == fit.nu_low == fit.nu_high == 1.0 and fit.dof == 10 - 4
    assert abs(fit.p - p_th) < 2e-3 and fit.ci_low <= p_th <= fit.ci_high
    # the fitted curve goes through the data: within 4 standard errors at every point
    for r in data:
        se = math.sqrt(r.rate * (1 - r.rate) / r.shots)
        assert abs(fit.rate(r.p, r.distance) - r.rate) < 4 * se
    none = qec.fit_threshold_finite_size(data, nu=1.0, n_bootstrap=0)
    assert none.ci_low == none.p == none.ci_high and none.n_bootstrap == 0


def test_scale_by_chi2_widens_the_interval_by_the_pdg_factor():
    # data with a distance-dependent offset the quadratic cannot absorb: chi2 >> dof
    rng = np.random.default_rng(3)
    data = _synthetic(0.1, 1.0, (0.2, 2.0, 5.0), (3, 5, 7), np.linspace(0.09, 0.11, 5),
                      200_000, rng)  # fmt: skip
    skewed = [
        qec.LogicalErrorRate(
            r.code, r.distance, r.p, r.noise, r.decoder, r.rounds, r.shots,
            round(r.errors * (1 + 0.3 / r.distance)), 0.0, 0.0, 1.0,
        )
        for r in data
    ]  # fmt: skip
    plain = qec.fit_threshold_finite_size(skewed, n_bootstrap=40, seed=5)
    wide = qec.fit_threshold_finite_size(skewed, n_bootstrap=40, seed=5, scale_by_chi2=True)
    assert plain.chi2 > 3 * plain.dof and wide.p == plain.p and wide.chi2 == plain.chi2
    factor = math.sqrt(plain.chi2 / plain.dof)
    assert wide.ci_high - wide.p == pytest.approx(factor * (plain.ci_high - plain.p))
    assert wide.p - wide.ci_low == pytest.approx(factor * (plain.p - plain.ci_low))
    # on data from the model the factor is max(1, sqrt(chi2 / dof)): close to 1
    fits = qec.fit_threshold_finite_size(data, n_bootstrap=40, seed=5)
    same = qec.fit_threshold_finite_size(data, n_bootstrap=40, seed=5, scale_by_chi2=True)
    factor = max(1.0, math.sqrt(fits.chi2 / fits.dof))
    assert factor < 2 and same.ci_high - same.p == pytest.approx(factor * (fits.ci_high - fits.p))
    with pytest.raises(TypeError, match="scale_by_chi2"):
        qec.fit_threshold_finite_size(data, scale_by_chi2=1)


def test_finite_size_fit_on_stim_code_capacity_sees_the_threshold_region():
    # surface code, code capacity, MWPM: the threshold is about 10.3 % (Wang et al. 2003);
    # small distances put the fitted p_th somewhat below it
    res = qec.collect_logical_errors(
        code="rotated_surface", distances=[3, 5, 7], ps=[0.085, 0.095, 0.105, 0.115],
        noise="code_capacity", max_shots=40_000, batch_size=20_000, seed=3,
    )  # fmt: skip
    fit = qec.fit_threshold_finite_size(res, n_bootstrap=60, seed=4)
    assert 0.085 < fit.p < 0.106 and fit.ci_low < fit.p < fit.ci_high


def test_finite_size_fit_bad_input():
    r = qec.LogicalErrorRate("repetition", 3, 0.1, "code_capacity", "mwpm", 1, 100, 5, 0.05, 0, 1)
    with pytest.raises(ValueError, match="at least 7 points"):
        qec.fit_threshold_finite_size([r] * 3)
    with pytest.raises(ValueError, match="two distances"):
        qec.fit_threshold_finite_size([r] * 8)
    with pytest.raises(TypeError, match="p, distance, errors and shots"):
        qec.fit_threshold_finite_size([1.0] * 8)
    with pytest.raises(ValueError, match="n_bootstrap"):
        qec.fit_threshold_finite_size([r] * 8, n_bootstrap=-1)
    with pytest.raises(ValueError, match="confidence"):
        qec.fit_threshold_finite_size([r] * 8, confidence=1.0)
    with pytest.raises(ValueError, match="nu"):
        qec.fit_threshold_finite_size([r] * 8, nu=0.0)
    bad = qec.LogicalErrorRate("repetition", 5, 0.1, "code_capacity", "mwpm", 1, 0, 0, 0, 0, 1)
    with pytest.raises(ValueError, match="shots >= 1"):
        qec.fit_threshold_finite_size([r] * 7 + [bad])


# --------------------------------------------------------------------------------------
# The package's own sweep engine: stopping and resuming
# --------------------------------------------------------------------------------------

GRID = {
    "code": "rotated_surface",
    "distances": [3, 5],
    "ps": [0.004, 0.008],
    "noise": "circuit",
}


def test_max_errors_stops_within_one_batch_of_the_target():
    batch = 2_000
    res = qec.collect_logical_errors(
        **GRID, max_shots=10**7, max_errors=100, batch_size=batch, seed=5
    )
    for r in res:
        assert 100 <= r.errors
        # the batch before the last had fewer than 100 errors: the overshoot is at most
        # the errors of one batch, and the shots at most one batch beyond the need
        assert r.shots % batch == 0 and r.shots < 10**7
        assert r.errors - 100 < batch
    # a task whose rate is a hundred times smaller needs more batches than a frequent one
    by = {(r.distance, r.p): r for r in res}
    assert by[(5, 0.004)].shots > by[(3, 0.008)].shots


def test_max_shots_cuts_the_last_batch():
    res = qec.collect_logical_errors(
        code="repetition", distances=[3], ps=[0.1], noise="code_capacity", max_shots=2_500,
        batch_size=1_000, seed=1,
    )  # fmt: skip
    assert res[0].shots == 2_500


def test_resume_from_csv_gives_the_same_totals_as_one_run(tmp_path):
    one = qec.collect_logical_errors(**GRID, max_shots=40_000, batch_size=10_000, seed=9)
    path = tmp_path / "stats.csv"
    first = qec.collect_logical_errors(
        **GRID, max_shots=20_000, batch_size=10_000, seed=9, save_resume_filepath=path
    )
    assert [r.shots for r in first] == [20_000] * 4
    resumed = qec.collect_logical_errors(
        **GRID, max_shots=40_000, batch_size=10_000, seed=9, save_resume_filepath=path
    )
    assert [(r.distance, r.p, r.shots, r.errors) for r in resumed] == [
        (r.distance, r.p, r.shots, r.errors) for r in one
    ]
    # the file holds one row per batch (header + 4 tasks x 4 batches) and reads back
    with path.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 16 and {r["decoder"] for r in rows} == {"pymatching"}
    back = qec.read_stats_csv(path)
    assert [(r.shots, r.errors) for r in back] == [(r.shots, r.errors) for r in one]
    # a finished run samples nothing more
    again = qec.collect_logical_errors(
        **GRID, max_shots=40_000, batch_size=10_000, seed=9, save_resume_filepath=path
    )
    assert [r.errors for r in again] == [r.errors for r in one]
    with path.open() as fh:
        assert len(list(csv.DictReader(fh))) == 16


def test_own_csv_is_read_by_sinter_with_sinters_strong_ids(tmp_path):
    sinter = pytest.importorskip("sinter")
    path = tmp_path / "own.csv"
    res = qec.collect_logical_errors(
        **GRID, max_shots=4_000, batch_size=2_000, seed=1, save_resume_filepath=path
    )
    stats = sinter.read_stats_from_csv_files(str(path))
    tasks = qec.sinter_tasks(**{k: GRID[k] for k in ("code", "distances", "ps", "noise")})
    ids = [t.strong_id() for t in tasks]
    assert sorted(s.strong_id for s in stats) == sorted(ids)
    by_id = {s.strong_id: s for s in stats}
    assert [(by_id[i].shots, by_id[i].errors) for i in ids] == [(r.shots, r.errors) for r in res]
    assert qec.from_sinter_stats([by_id[i] for i in ids]) == res


def test_other_decoders_run_through_the_own_engine():
    res = qec.collect_logical_errors(
        code="repetition", distances=[3], ps=[0.1], noise="code_capacity", decoder="lookup",
        max_shots=20_000, batch_size=5_000, seed=2,
    )  # fmt: skip
    exact = 3 * 0.1**2 - 2 * 0.1**3
    assert res[0].decoder == "lookup" and res[0].ci_low < exact < res[0].ci_high


@pytest.mark.parametrize(
    ("over", "exc", "match"),
    [
        ({"max_shots": 0}, ValueError, "max_shots"),
        ({"max_errors": 0}, ValueError, "max_errors"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"decoder": "bp"}, ValueError, "decoder"),
        ({"distances": [4]}, ValueError, "distance"),
        ({"ps": [1.5]}, ValueError, "ps"),
        ({"max_shots": 1.5}, TypeError, "max_shots"),
    ],
)
def test_collect_bad_input(over, exc, match):
    kwargs = {**GRID, "max_shots": 100, **over}
    with pytest.raises(exc, match=match):
        qec.collect_logical_errors(**kwargs)


def test_read_stats_csv_refuses_other_files(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not a sinter CSV"):
        qec.read_stats_csv(path)
    assert qec.read_stats_csv(tmp_path / "missing.csv") == []


# --------------------------------------------------------------------------------------
# sinter against the package's own path
# --------------------------------------------------------------------------------------


def test_sinter_and_own_path_agree_on_d3(tmp_path):
    pytest.importorskip("sinter")
    kwargs = {"code": "rotated_surface", "distances": [3], "ps": [0.005, 0.01], "noise": "circuit"}
    path = tmp_path / "sinter.csv"
    via_sinter = qec.collect_sinter(
        **kwargs, max_shots=60_000, num_workers=2, save_resume_filepath=path
    )
    own = qec.collect_logical_errors(**kwargs, max_shots=60_000, batch_size=20_000, seed=11)
    for a, b in zip(via_sinter, own):
        assert (a.distance, a.p, a.rounds, a.decoder) == (b.distance, b.p, b.rounds, b.decoder)
        assert a.shots >= 60_000
        se = math.sqrt(a.rate * (1 - a.rate) / a.shots + b.rate * (1 - b.rate) / b.shots)
        assert abs(a.rate - b.rate) < 4 * se, (a, b)
    # sinter resumes from its file: asking for what is there samples nothing new
    shots_before = [r.shots for r in qec.read_stats_csv(path)]
    again = qec.collect_sinter(**kwargs, max_shots=60_000, save_resume_filepath=path)
    assert [r.shots for r in again] == shots_before
    # and the package's engine counts sinter's shots as its own when it resumes
    more = qec.collect_logical_errors(
        **kwargs, max_shots=max(shots_before) + 10_000, batch_size=10_000, seed=1,
        save_resume_filepath=path,
    )  # fmt: skip
    assert all(m.shots == max(shots_before) + 10_000 for m in more)


def test_sinter_max_errors_and_metadata():
    pytest.importorskip("sinter")
    res = qec.collect_sinter(
        code="repetition", distances=[3, 5], ps=[0.2], noise="code_capacity",
        max_shots=10**7, max_errors=200, num_workers=1,
    )  # fmt: skip
    assert [r.distance for r in res] == [3, 5]
    assert all(200 <= r.errors and r.shots < 10**6 for r in res)
    with pytest.raises(ValueError, match="memory experiment"):
        import sinter

        qec.from_sinter_stats([sinter.TaskStats(strong_id="x", decoder="d", json_metadata={})])


# --------------------------------------------------------------------------------------
# The wrapper's cache and bit-packed path
# --------------------------------------------------------------------------------------


def test_cached_wrapper_matches_the_unpacked_path_statistically():
    # bit-packed MWPM (fast path) against bool arrays through decode_batch, same circuit
    c = qec.memory_circuit("rotated_surface", 3, 0.01, "circuit")
    m = qec.MWPMDecoder.from_circuit(c)
    n = 200_000
    packed = experiments.count_logical_errors(c, m, n, seed=1)

    class Unpacked:  # any object with decode_batch takes the generic path
        def decode_batch(self, det):
            return m.decode_batch(det)

    plain = experiments.count_logical_errors(c, Unpacked(), n, seed=2)
    rate = (packed + plain) / (2 * n)
    assert abs(packed - plain) / n < 4 * math.sqrt(2 * rate * (1 - rate) / n)
    # the same seed gives the same count, the wrapper reuses its decoder
    assert experiments.count_logical_errors(c, m, 5_000, seed=3) == (
        experiments.count_logical_errors(c, m, 5_000, seed=3)
    )
    a = qec.logical_error_rate(
        code="rotated_surface", distance=3, p=0.01, noise="circuit", decoder="mwpm",
        shots=5_000, seed=4,
    )  # fmt: skip
    b = qec.logical_error_rate(
        code="rotated_surface", distance=3, p=0.01, noise="circuit", decoder="mwpm",
        shots=5_000, seed=4,
    )  # fmt: skip
    assert a == b
    # seed=None reuses one sampler: consecutive calls draw different shots
    kwargs = {"code": "rotated_surface", "distance": 3, "p": 0.05, "noise": "circuit"}
    draws = {qec.logical_error_rate(decoder="mwpm", shots=2_000, **kwargs).errors for _ in "abcde"}
    assert len(draws) > 1


def test_cache_does_not_accept_what_the_checks_refuse():
    kwargs = {"code": "repetition", "p": 0.1, "noise": "code_capacity", "decoder": "mwpm"}
    qec.logical_error_rate(distance=3, shots=10, seed=0, **kwargs)
    with pytest.raises(TypeError, match="distance"):
        qec.logical_error_rate(distance=3.0, shots=10, seed=0, **kwargs)
    with pytest.raises(ValueError, match="basis"):
        qec.logical_error_rate(distance=3, shots=10, seed=0, basis="y", **kwargs)


def test_count_logical_errors_bad_input():
    c = qec.memory_circuit("repetition", 3, 0.1, "code_capacity")
    m = qec.MWPMDecoder.from_circuit(c)
    with pytest.raises(TypeError, match="circuit"):
        experiments.count_logical_errors("H 0", m, 10)
    with pytest.raises(TypeError, match="decoder"):
        experiments.count_logical_errors(c, object(), 10)
    with pytest.raises(ValueError, match="shots"):
        experiments.count_logical_errors(c, m, 0)
    other = qec.MWPMDecoder.from_circuit(qec.memory_circuit("repetition", 5, 0.1, "circuit"))
    with pytest.raises(ValueError, match="detectors"):
        experiments.count_logical_errors(c, other, 10)
    with pytest.raises(ValueError, match="bit-packed"):
        m.decode_bit_packed(np.zeros((2, 4), dtype=bool))


def test_sweeps_module_metadata_and_ids():
    meta = sweeps.task_metadata("rotated_surface", 5, 0.01, "phenomenological")
    assert meta["r"] == 5 and meta["basis"] == "z"
    c = qec.memory_circuit("rotated_surface", 5, 0.01, "phenomenological")
    assert sweeps.task_strong_id(c, "pymatching", meta) != sweeps.task_strong_id(
        c, "pymatching", {**meta, "p": 0.02}
    )
    with pytest.raises(TypeError, match="circuit"):
        sweeps.task_strong_id("c", "pymatching", meta)
    with pytest.raises(TypeError, match="decoder"):
        sweeps.task_strong_id(c, 3, meta)
