"""Circuit-noise threshold of the rotated surface code, d = 3/5/7 (example 2 of the README).

Memory experiments (d rounds, stim circuits with circuit-level depolarising noise, MWPM
decoding) at physical error rates around the threshold; ``fit_threshold`` fits where the
larger code's logical error curve crosses the smaller one's, with a 95 % interval.

    python examples/surface_code_threshold.py [--quick] [--seed N]

The last line reads ``RESULT p_th_35=<p> p_th_57=<p>`` (the d = 3/5 and 5/7 crossings).
"""

from __future__ import annotations

import argparse

from qnetlab.qec import fit_threshold, logical_error_curves


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer shots")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    ps = [0.004, 0.006, 0.008, 0.010]
    curves = logical_error_curves(
        code="rotated_surface",
        distances=[3, 5, 7],
        ps=ps,
        noise="circuit",
        decoder="mwpm",
        shots=4_000 if args.quick else 20_000,
        seed=args.seed,
    )
    print("p       " + "  ".join(f"d={d:<6d}" for d in curves))
    for i, p in enumerate(ps):
        print(f"{p:<7.3f} " + "  ".join(f"{curves[d][i].rate:<8.4f}" for d in curves))
    fits = {(a, b): fit_threshold(curves[a], curves[b]) for a, b in ((3, 5), (5, 7))}
    for (a, b), est in fits.items():
        print(f"d={a}/{b}: threshold {est.p:.4f} (95% CI {est.ci_low:.4f}-{est.ci_high:.4f})")
    print(f"RESULT p_th_35={fits[3, 5].p:.5f} p_th_57={fits[5, 7].p:.5f}")


if __name__ == "__main__":
    main()
