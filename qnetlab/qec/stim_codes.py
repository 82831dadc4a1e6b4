"""Repetition and rotated surface code memory experiments in stim.

A *memory experiment* prepares a logical qubit, runs ``rounds`` rounds of syndrome
extraction, measures the data qubits and asks whether the logical observable survived.
:func:`memory_circuit` builds it as a :class:`stim.Circuit` with detectors (parities of
measurements that are deterministic without noise) and one logical observable, under one of
three noise models. Every circuit can be shown and simulated in Cirq with :func:`to_cirq`.

Noise conventions (``p`` is the physical error rate):

- ``"code_capacity"``: before the (single, by default) round every data qubit suffers an
  independent bit flip ``X`` and an independent phase flip ``Z``, each with probability ``p``
  (the model of Dennis et al. 2002); syndrome measurements are perfect. A ``Z``-basis memory
  only sees the bit flips, so the relevant flip probability is ``p`` and the MWPM threshold
  of the surface code is about 10.3 %.
- ``"phenomenological"``: the same data noise before every round, and every measurement
  result is flipped with probability ``p`` (threshold about 2.9 % with MWPM).
- ``"circuit"``: stim's standard circuit-level depolarising model, with probability ``p``
  everywhere: two-qubit depolarising noise after every CNOT, single-qubit depolarising noise
  after every single-qubit Clifford and on data qubits before every round, bit flips after
  resets and before measurements (threshold about 0.7 % with MWPM).

The repetition code is a classical bit-flip code: its data noise is bit flips only.

>>> c = memory_circuit("rotated_surface", 3, 0.01, "circuit")
>>> c.num_detectors, c.num_observables
(24, 1)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_integer,
    check_memory,
    check_probability,
    make_rng,
)

__all__ = [
    "CODES",
    "NOISE_MODELS",
    "check_code_arguments",
    "memory_circuit",
    "sample_detectors",
    "stim_seed",
    "to_cirq",
]

#: Codes simulated in stim.
CODES: tuple[str, ...] = ("repetition", "rotated_surface")
#: Noise models of :func:`memory_circuit`.
NOISE_MODELS: tuple[str, ...] = ("code_capacity", "phenomenological", "circuit")

_MAX_DISTANCE = 25


def check_code_arguments(
    code: Any, distance: Any, p: Any, noise: Any, rounds: Any = None
) -> tuple[str, int, float, str, int]:
    """Validate a (code, distance, p, noise, rounds) combination; return it normalised.

    Parameters
    ----------
    code : str
        One of :data:`CODES`.
    distance : int
        Code distance, odd, in [3, 25].
    p : float
        Physical error rate, in [0, 1].
    noise : str
        One of :data:`NOISE_MODELS`.
    rounds : int, optional
        Syndrome rounds, in [1, 1000]; defaults to 1 for code-capacity noise and to
        ``distance`` otherwise.

    Returns
    -------
    tuple
        ``(code, distance, p, noise, rounds)`` with numbers as ``int`` and ``float``.

    Raises
    ------
    TypeError
        If ``distance`` or ``rounds`` is not an integer or ``p`` not a number.
    ValueError
        If an argument is outside its range or not one of the allowed names.

    Examples
    --------
    >>> check_code_arguments("repetition", 5, 0.1, "code_capacity")
    ('repetition', 5, 0.1, 'code_capacity', 1)
    >>> check_code_arguments("rotated_surface", 4, 0.1, "circuit")
    Traceback (most recent call last):
    ...
    ValueError: distance must be an odd integer in [3, 25], got 4
    """
    check_choice(code, "code", CODES)
    d = check_integer(distance, "distance")
    if d < 3 or d > _MAX_DISTANCE or d % 2 == 0:
        raise ValueError(f"distance must be an odd integer in [3, {_MAX_DISTANCE}], got {d}")
    prob = check_probability(p, "p")
    check_choice(noise, "noise", NOISE_MODELS)
    if rounds is None:
        r = 1 if noise == "code_capacity" else d
    else:
        r = check_integer(rounds, "rounds", minimum=1, maximum=1000)
    return code, d, prob, noise, r


def _replace_data_noise(circuit: Any, stim: Any, pauli_errors: tuple[str, ...]) -> Any:
    """Replace every DEPOLARIZE1 by independent ``pauli_errors`` of the same probability."""
    out = stim.Circuit()
    for inst in circuit:
        if isinstance(inst, stim.CircuitRepeatBlock):
            body = _replace_data_noise(inst.body_copy(), stim, pauli_errors)
            out.append(stim.CircuitRepeatBlock(inst.repeat_count, body))
        elif inst.name == "DEPOLARIZE1":
            for name in pauli_errors:
                out.append(name, inst.targets_copy(), inst.gate_args_copy())
        else:
            out.append(inst)
    return out


def memory_circuit(
    code: str,
    distance: int,
    p: float,
    noise: str = "circuit",
    *,
    rounds: int | None = None,
    basis: str = "z",
    measurement_p: float | None = None,
) -> Any:
    """Memory experiment of ``code`` at ``distance`` under ``noise`` as a :class:`stim.Circuit`.

    See the module docstring for the noise conventions.

    Parameters
    ----------
    code : str
        ``"repetition"`` or ``"rotated_surface"``.
    distance : int
        Code distance, odd, in [3, 25].
    p : float
        Physical error rate, in [0, 1].
    noise : str, default "circuit"
        ``"code_capacity"``, ``"phenomenological"`` or ``"circuit"``.
    rounds : int, optional
        Syndrome rounds, in [1, 1000] (default 1 for code capacity, else ``distance``).
    basis : str, default "z"
        ``"z"`` (store ``|0_L>``, read ``Z_L``) or, for the surface code, ``"x"``.
    measurement_p : float, optional
        Measurement flip probability in [0, 1] apart from ``p`` (phenomenological and
        circuit noise only; default ``p``), e.g. to model a drifting read-out.

    Returns
    -------
    stim.Circuit
        The circuit with its detectors and one logical observable.

    Raises
    ------
    ValueError
        If an argument is out of range, ``basis="x"`` for the repetition code, or
        ``measurement_p`` is given with code-capacity noise.

    Examples
    --------
    >>> c = memory_circuit("repetition", 5, 0.1, "code_capacity")
    >>> c.num_detectors, c.num_qubits
    (8, 9)
    >>> memory_circuit("rotated_surface", 3, 0.01, rounds=2).num_detectors
    16
    """
    import stim

    code, d, prob, noise, r = check_code_arguments(code, distance, p, noise, rounds)
    check_choice(basis, "basis", ("z", "x"))
    if measurement_p is not None and noise == "code_capacity":
        raise ValueError("measurement_p applies only to phenomenological and circuit noise")
    meas = prob if measurement_p is None else check_probability(measurement_p, "measurement_p")
    if code == "repetition" and basis != "z":
        raise ValueError("basis must be 'z' for the repetition code (a bit-flip code)")
    task = (
        "repetition_code:memory" if code == "repetition" else f"surface_code:rotated_memory_{basis}"
    )
    if noise == "circuit":
        return stim.Circuit.generated(
            task,
            distance=d,
            rounds=r,
            after_clifford_depolarization=prob,
            before_round_data_depolarization=prob,
            before_measure_flip_probability=meas,
            after_reset_flip_probability=prob,
        )
    if noise == "code_capacity":
        meas = 0.0
    generated = stim.Circuit.generated(
        task,
        distance=d,
        rounds=r,
        before_round_data_depolarization=prob,
        before_measure_flip_probability=meas,
    )
    errors = ("X_ERROR",) if code == "repetition" else ("X_ERROR", "Z_ERROR")
    return _replace_data_noise(generated, stim, errors)


def to_cirq(circuit: Any) -> Any:
    """Convert a stim circuit (noise, detectors and observables included) to a Cirq circuit.

    Parameters
    ----------
    circuit : stim.Circuit
        The circuit to convert (with ``stimcirq``).

    Returns
    -------
    cirq.Circuit
        The same circuit in Cirq.

    Raises
    ------
    TypeError
        If ``circuit`` is not a ``stim.Circuit``.

    Examples
    --------
    >>> import cirq
    >>> cc = to_cirq(memory_circuit("repetition", 3, 0.1, "code_capacity"))
    >>> len(cc.all_qubits())
    5
    """
    import stim
    import stimcirq

    if not isinstance(circuit, stim.Circuit):
        raise TypeError(f"circuit must be a stim.Circuit, got {type(circuit).__name__}")
    return stimcirq.stim_circuit_to_cirq_circuit(circuit)


#: How to proceed when one call would sample too many shots.
SPLIT_SHOTS_HINT = (
    "split the shots over several calls (for example one call per seed with qnetlab.sweep, "
    "summing the error counts) or use sinter for runs of this size"
)


def stim_seed(seed: SeedLike = None) -> int:
    """Draw a seed for a stim sampler from ``make_rng(seed)``.

    stim's samples depend on the stim version and the CPU's SIMD width even for a fixed
    seed: compare statistics, never bits.

    Parameters
    ----------
    seed : SeedLike, optional
        Seed or generator, normalised by ``make_rng``.

    Returns
    -------
    int
        A seed in [0, 2**62).

    Raises
    ------
    TypeError
        If ``seed`` is not an int, a generator or None.
    ValueError
        If ``seed`` is a negative integer.

    Examples
    --------
    >>> stim_seed(1) == stim_seed(1)
    True
    >>> 0 <= stim_seed(7) < 2**62
    True
    """
    return int(make_rng(seed).integers(0, 2**62))


def sample_detectors(
    circuit: Any, shots: int, *, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """Sample detection events and observable flips: two bool arrays ``(shots, n)``.

    Parameters
    ----------
    circuit : stim.Circuit
        A circuit with detectors and observables (e.g. from :func:`memory_circuit`).
    shots : int
        Number of shots, ≥ 1; a count whose arrays would exceed
        ``qnetlab._validation.MAX_ARRAY_BYTES`` (2 GB) is refused up front: split it over
        several calls (or use sinter).
    seed : SeedLike, optional
        Seed or generator, normalised by ``make_rng``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(detectors, observables)``, bool arrays of shape ``(shots, num_detectors)`` and
        ``(shots, num_observables)``.

    Raises
    ------
    TypeError
        If ``circuit`` is not a ``stim.Circuit`` or ``shots`` not an integer.
    ValueError
        If ``shots`` is below 1 or needs too much memory.

    Examples
    --------
    >>> det, obs = sample_detectors(memory_circuit("repetition", 3, 0.0, "circuit"), 10, seed=1)
    >>> det.shape, bool(det.any()), bool(obs.any())
    ((10, 8), False, False)
    """
    import stim

    if not isinstance(circuit, stim.Circuit):
        raise TypeError(f"circuit must be a stim.Circuit, got {type(circuit).__name__}")
    n = check_integer(shots, "shots", minimum=1)
    width = circuit.num_detectors + circuit.num_observables
    check_memory(
        # two bool arrays plus stim's bit-packed buffer
        1.2 * n * max(width, 1),
        "shots",
        n,
        hint=SPLIT_SHOTS_HINT,
    )
    sampler = circuit.compile_detector_sampler(seed=stim_seed(seed))
    det, obs = sampler.sample(n, separate_observables=True)
    return det, obs
