"""Small quantum codes in Cirq: from three qubits to the five-qubit code.

Each code is given by its stabilizer generators and logical operators
(:class:`SmallCode`). :func:`small_code_circuit` builds the whole memory experiment as a
Cirq circuit: encode a logical ``|0_L>`` (or ``|+_L>``), let a Cirq noise channel act on
every data qubit, measure every stabilizer with one ancilla (Hadamard, controlled Paulis,
Hadamard, measure, reset) and read the logical operator out. The syndrome is decoded by a
lookup table (the lowest-weight Pauli with that syndrome) and the correction is applied to
the logical read-out in software (Pauli frame). :func:`small_code_logical_error_rate`
samples it with Cirq's simulator (the ground truth) or, as a fast path, with stim after
converting the same circuit with stimcirq.

Codes: ``"bit_flip"`` and ``"phase_flip"`` (3 qubits), ``"shor"`` [[9,1,3]] (Shor 1995),
``"steane"`` [[7,1,3]] (Steane 1996), ``"five_qubit"`` [[5,1,3]] (Laflamme et al. 1996).

>>> code = small_code("bit_flip")
>>> code.stabilizers
('ZZI', 'IZZ')
>>> round(code.exact_logical_error_rate("bit_flip", 0.1), 6)  # 3p^2 - 2p^3
0.028
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from functools import cached_property
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
from ..results import ResultMixin
from .experiments import binomial_interval
from .stim_codes import SPLIT_SHOTS_HINT

__all__ = [
    "CHANNELS",
    "SMALL_CODES",
    "SmallCode",
    "SmallCodeResult",
    "small_code",
    "small_code_circuit",
    "small_code_logical_error_rate",
]

#: Names of the small codes.
SMALL_CODES: tuple[str, ...] = ("bit_flip", "phase_flip", "shor", "steane", "five_qubit")
#: Cirq noise channels applied to every data qubit.
CHANNELS: tuple[str, ...] = ("bit_flip", "phase_flip", "depolarize")

_HAMMING = ("IIIXXXX", "IXXIIXX", "XIXIXIX")

_DEFINITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    # name: (stabilizer generators, logical X, logical Z)
    "bit_flip": (("ZZI", "IZZ"), "XXX", "ZZZ"),
    "phase_flip": (("XXI", "IXX"), "ZZZ", "XXX"),
    "shor": (
        (
            "ZZIIIIIII",
            "IZZIIIIII",
            "IIIZZIIII",
            "IIIIZZIII",
            "IIIIIIZZI",
            "IIIIIIIZZ",
            "XXXXXXIII",
            "IIIXXXXXX",
        ),
        "ZZZZZZZZZ",
        "XXXXXXXXX",
    ),
    "steane": (
        (*(s.replace("X", "Z") for s in _HAMMING), *_HAMMING),
        "XXXXXXX",
        "ZZZZZZZ",
    ),
    "five_qubit": (("XZZXI", "IXZZX", "XIXZZ", "ZXIXZ"), "XXXXX", "ZZZZZ"),
}


def _symplectic(paulis: tuple[str, ...] | list[str]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[c in "XY" for c in s] for s in paulis], dtype=np.uint8)
    z = np.array([[c in "ZY" for c in s] for s in paulis], dtype=np.uint8)
    return x, z


def _anticommute(x1: np.ndarray, z1: np.ndarray, x2: np.ndarray, z2: np.ndarray) -> np.ndarray:
    """Pairwise anticommutation (rows of 1 against rows of 2) as a 0/1 matrix."""
    return ((x1.astype(np.int64) @ z2.T + z1.astype(np.int64) @ x2.T) % 2).astype(np.uint8)


@dataclass(frozen=True)
class SmallCode:
    """A stabilizer code on ``n`` qubits encoding one logical qubit.

    Build the named codes with :func:`small_code`.

    Parameters
    ----------
    name : str
        The code's name (one of :data:`SMALL_CODES`).
    n : int
        Number of physical qubits.
    stabilizers : tuple of str
        Stabilizer generators as Pauli strings of length ``n`` (``"XZZXI"``).
    logical_x, logical_z : str
        The logical operators as Pauli strings.

    Examples
    --------
    >>> code = small_code("steane")
    >>> code.n, len(code.stabilizers), code.is_css
    (7, 6, True)
    >>> small_code("five_qubit").is_css
    False
    """

    name: str
    n: int
    stabilizers: tuple[str, ...]
    logical_x: str
    logical_z: str

    @property
    def is_css(self) -> bool:
        """True if every stabilizer is all-``X`` or all-``Z`` (a CSS code)."""
        return all(set(st) <= {"I", "X"} or set(st) <= {"I", "Z"} for st in self.stabilizers)

    def _min_weight_table(self, letters: str) -> dict[int, str]:
        sx, sz = _symplectic(self.stabilizers)
        table: dict[int, str] = {}
        for w in range(self.n + 1):
            for support in itertools.combinations(range(self.n), w):
                for chosen in itertools.product(letters, repeat=w):
                    chars = ["I"] * self.n
                    for q, c in zip(support, chosen):
                        chars[q] = c
                    pauli = "".join(chars)
                    ex, ez = _symplectic([pauli])
                    bits = _anticommute(ex, ez, sx, sz)[0]
                    key = int(sum(int(b) << k for k, b in enumerate(bits)))
                    table.setdefault(key, pauli)
        return table

    @cached_property
    def lookup_table(self) -> dict[int, str]:
        """Syndrome (bit ``k`` = stabilizer ``k`` anticommutes) -> correction Pauli.

        A CSS code decodes its ``X`` and ``Z`` errors separately (the lowest-weight ``X``
        pattern for the ``Z``-type syndrome times the lowest-weight ``Z`` pattern for the
        ``X``-type syndrome, as in Steane 1996); otherwise the lowest-weight Pauli with the
        whole syndrome.
        """
        if not self.is_css:
            return self._min_weight_table("XYZ")
        x_table = self._min_weight_table("X")
        z_table = self._min_weight_table("Z")
        table: dict[int, str] = {}
        for kx, px in x_table.items():
            for kz, pz in z_table.items():
                chars = []
                for a, b in zip(px, pz):
                    chars.append({"II": "I", "XI": "X", "IZ": "Z", "XZ": "Y"}[a + b])
                table[kx | kz] = "".join(chars)
        return table

    def syndrome(self, pauli: str) -> int:
        """Syndrome of a Pauli error as an integer (bit ``k`` for stabilizer ``k``).

        >>> small_code("steane").syndrome("IIIIIIX")
        7
        """
        if len(pauli) != self.n or set(pauli) - set("IXYZ"):
            raise ValueError(f"pauli must be a string of {self.n} letters from IXYZ")
        ex, ez = _symplectic([pauli])
        sx, sz = _symplectic(self.stabilizers)
        bits = _anticommute(ex, ez, sx, sz)[0]
        return int(sum(int(b) << k for k, b in enumerate(bits)))

    def logical_operator(self, basis: str) -> str:
        """``logical_z`` for basis ``"z"``, ``logical_x`` for ``"x"``."""
        check_choice(basis, "basis", ("z", "x"))
        return self.logical_z if basis == "z" else self.logical_x

    def exact_logical_error_rate(self, channel: str, p: float, basis: str = "z") -> float:
        """Exact failure probability: every Pauli error weighted by its probability.

        The error is decoded with :attr:`lookup_table`; the memory fails when the residual
        (error times correction) anticommutes with the read-out logical operator. The
        failing patterns are enumerated once per (code, channel, basis) and counted by
        weight ``k``; then ``p_L = sum_k A_k q^k (1 - p)^(n - k)`` with ``q = p`` for
        flips and ``q = p / 3`` for depolarising noise.

        >>> round(small_code("steane").exact_logical_error_rate("depolarize", 0.0), 6)
        0.0
        """
        check_choice(channel, "channel", CHANNELS)
        prob = check_probability(p, "p")
        check_choice(basis, "basis", ("z", "x"))
        counts = _failing_weight_counts(self, channel, basis)
        q = prob / 3 if channel == "depolarize" else prob
        k = np.arange(self.n + 1)
        return float(np.sum(counts * q**k * (1.0 - prob) ** (self.n - k)))

    def encoder(self) -> Any:
        """Cirq circuit (on ``cirq.LineQubit(0..n-1)``) encoding qubit 0 into the code.

        The textbook encoder of :func:`qnetlab.qec.textbook.encoder_circuit`: it maps
        ``|0>`` to ``|0_L>`` and ``|1>`` to ``|1_L>`` with the other qubits in ``|0>``.
        """
        return textbook.encoder_circuit(self.name)


@functools.lru_cache(maxsize=64)
def _failing_weight_counts(code: SmallCode, channel: str, basis: str) -> np.ndarray:
    """``A[k]``: the number of weight-``k`` Pauli errors the lookup table fails to correct."""
    letters = {"bit_flip": "IX", "phase_flip": "IZ", "depolarize": "IXYZ"}[channel]
    logical = code.logical_operator(basis)
    lx, lz = _symplectic([logical])
    sx, sz = _symplectic(code.stabilizers)
    table = code.lookup_table
    keys = np.array(sorted(table), dtype=np.int64)
    cx, cz = _symplectic([table[int(k)] for k in keys])
    corr_flip = np.zeros(int(keys.max()) + 1, dtype=np.uint8)
    corr_flip[keys] = _anticommute(cx, cz, lx, lz)[:, 0]
    patterns = np.array(list(itertools.product(range(len(letters)), repeat=code.n)))
    lx_arr = np.array([c in "XY" for c in letters], dtype=np.uint8)
    lz_arr = np.array([c in "ZY" for c in letters], dtype=np.uint8)
    ex, ez = lx_arr[patterns], lz_arr[patterns]
    bits = _anticommute(ex, ez, sx, sz)
    syn = bits.astype(np.int64) @ (1 << np.arange(len(code.stabilizers), dtype=np.int64))
    flip = _anticommute(ex, ez, lx, lz)[:, 0] ^ corr_flip[syn]
    weight = (patterns != 0).sum(axis=1)
    return np.bincount(weight[flip == 1], minlength=code.n + 1).astype(float)


@dataclass(frozen=True)
class SmallCodeResult(ResultMixin):
    """Logical error rate of a small-code memory experiment.

    Returned by :func:`small_code_logical_error_rate`.

    Parameters
    ----------
    code, channel : str
        The code and the noise channel.
    p : float
        Physical error probability per data qubit.
    basis : str
        ``"z"`` or ``"x"``, the logical basis stored.
    backend : str
        ``"cirq"`` or ``"stim"``.
    shots : int
        Shots sampled.
    errors : int
        Logical errors counted.
    rate : float
        ``errors / shots``.
    ci_low, ci_high : float
        Wilson 95 % interval of the rate.

    Examples
    --------
    >>> r = small_code_logical_error_rate("bit_flip", "bit_flip", 0.1, shots=300, seed=1)
    >>> r.shots, r.rate == r.errors / r.shots, r.ci_low <= r.rate <= r.ci_high
    (300, True, True)
    """

    code: str
    channel: str
    p: float
    basis: str
    backend: str
    shots: int
    errors: int
    rate: float
    ci_low: float
    ci_high: float


def small_code(name: str) -> SmallCode:
    """The code called ``name`` (one of :data:`SMALL_CODES`).

    Parameters
    ----------
    name : str
        ``"bit_flip"``, ``"phase_flip"``, ``"shor"``, ``"steane"`` or ``"five_qubit"``.

    Returns
    -------
    SmallCode
        The code's stabilizers and logical operators.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`SMALL_CODES`.

    Examples
    --------
    >>> small_code("five_qubit").stabilizers[0]
    'XZZXI'
    >>> small_code("shor").n
    9
    """
    check_choice(name, "name", SMALL_CODES)
    stabs, lx, lz = _DEFINITIONS[name]
    return SmallCode(name, len(lx), tuple(stabs), lx, lz)


def _channel(channel: str, p: float) -> Any:
    import cirq

    return {
        "bit_flip": cirq.bit_flip,
        "phase_flip": cirq.phase_flip,
        "depolarize": cirq.depolarize,
    }[channel](p)


def small_code_circuit(code: str, channel: str, p: float, *, basis: str = "z") -> Any:
    """Memory experiment of a small code as a Cirq circuit.

    Data qubits ``LineQubit(0..n-1)``, one ancilla ``LineQubit(n)`` reused for every
    stabilizer. Measurement keys: ``"s0"``, ``"s1"``, ... (syndrome) and ``"data"`` (the
    data qubits, rotated so that the parity of the bits on the support of the logical
    operator is its eigenvalue).

    Parameters
    ----------
    code : str
        One of :data:`SMALL_CODES`.
    channel : str
        One of :data:`CHANNELS`, applied once to every data qubit.
    p : float
        The channel's probability, in [0, 1].
    basis : str, default "z"
        Logical basis stored and read, ``"z"`` or ``"x"``.

    Returns
    -------
    cirq.Circuit
        Encoder, noise, syndrome extraction and read-out.

    Raises
    ------
    ValueError
        If ``code``, ``channel`` or ``basis`` is not an allowed name or ``p`` is outside
        [0, 1].

    Examples
    --------
    >>> c = small_code_circuit("bit_flip", "bit_flip", 0.1)
    >>> sorted(c.all_measurement_key_names())
    ['data', 's0', 's1']
    """
    import cirq

    sc = small_code(check_choice(code, "code", SMALL_CODES))
    check_choice(channel, "channel", CHANNELS)
    prob = check_probability(p, "p")
    logical = sc.logical_operator(basis)
    data = cirq.LineQubit.range(sc.n)
    anc = cirq.LineQubit(sc.n)
    circuit = cirq.Circuit()
    if basis == "x":
        circuit.append(cirq.H(data[0]))
    circuit += sc.encoder()
    circuit.append(cirq.Moment(_channel(channel, prob).on_each(*data)))
    controlled = {"X": cirq.CNOT, "Y": cirq.Y.controlled(1), "Z": cirq.CZ}
    for k, stab in enumerate(sc.stabilizers):
        circuit.append(cirq.H(anc))
        for q, c in enumerate(stab):
            if c != "I":
                circuit.append(controlled[c](anc, data[q]))
        circuit.append([cirq.H(anc), cirq.measure(anc, key=f"s{k}"), cirq.reset(anc)])
    for q, c in enumerate(logical):
        if c == "X":
            circuit.append(cirq.H(data[q]))
        elif c == "Y":
            circuit.append([cirq.S(data[q]) ** -1, cirq.H(data[q])])
    # the read-out goes into its own final moment, after the last syndrome measurement
    circuit.append(cirq.Moment(cirq.measure(*data, key="data")))
    return circuit


def _failures(
    sc: SmallCode, syndrome_bits: np.ndarray, data_bits: np.ndarray, basis: str
) -> np.ndarray:
    """Decode with the lookup table; True where the corrected logical read-out is wrong."""
    logical = sc.logical_operator(basis)
    support = np.array([c != "I" for c in logical])
    measured = data_bits[:, support].sum(axis=1) % 2
    lx, lz = _symplectic([logical])
    table = sc.lookup_table
    flips = np.zeros(2 ** len(sc.stabilizers), dtype=np.uint8)
    for key, pauli in table.items():
        cx, cz = _symplectic([pauli])
        flips[key] = _anticommute(cx, cz, lx, lz)[0, 0]
    keys = syndrome_bits.astype(np.int64) @ (1 << np.arange(syndrome_bits.shape[1], dtype=np.int64))
    return (measured ^ flips[keys]).astype(bool)


def small_code_logical_error_rate(
    code: str,
    channel: str,
    p: float,
    *,
    shots: int,
    basis: str = "z",
    backend: str = "cirq",
    seed: SeedLike = None,
) -> SmallCodeResult:
    """Sampled logical error rate of a small code under a Cirq noise channel.

    Parameters
    ----------
    code : str
        One of :data:`SMALL_CODES`.
    channel : str
        One of :data:`CHANNELS`.
    p : float
        The channel's probability, in [0, 1].
    shots : int
        Shots, ≥ 1 (refused up front if the records would exceed the memory limit).
    basis : str, default "z"
        Logical basis, ``"z"`` or ``"x"``.
    backend : str, default "cirq"
        ``"cirq"`` runs the circuit of :func:`small_code_circuit` on ``cirq.Simulator``
        (ground truth); ``"stim"`` converts the same circuit with stimcirq and samples it
        in stim (fast path).
    seed : SeedLike, optional
        Seed or generator, normalised by ``make_rng``.

    Returns
    -------
    SmallCodeResult
        Errors, rate and Wilson 95 % interval.

    Raises
    ------
    ValueError
        If a name is not allowed, ``p`` is outside [0, 1] or ``shots`` is below 1 or too
        large.

    Examples
    --------
    >>> r = small_code_logical_error_rate("bit_flip", "bit_flip", 0.1, shots=300, seed=1)
    >>> r.ci_low < 0.028 < r.ci_high  # 3p² − 2p³ = 0.028
    True
    """
    sc = small_code(check_choice(code, "code", SMALL_CODES))
    n = check_integer(shots, "shots", minimum=1)
    check_choice(backend, "backend", ("cirq", "stim"))
    # measurement records of (stabilizers + data qubits) bits per shot, a few copies
    check_memory(8.0 * n * (len(sc.stabilizers) + sc.n), "shots", n, hint=SPLIT_SHOTS_HINT)
    circuit = small_code_circuit(code, channel, p, basis=basis)
    rng = make_rng(seed)
    m = len(sc.stabilizers)
    if backend == "cirq":
        import cirq

        result = cirq.Simulator(seed=int(rng.integers(0, 2**31 - 1))).run(circuit, repetitions=n)
        syn = np.concatenate([result.measurements[f"s{k}"] for k in range(m)], axis=1)
        data = result.measurements["data"]
    else:
        import stimcirq

        stim_circuit = stimcirq.cirq_circuit_to_stim_circuit(circuit)
        bits = stim_circuit.compile_sampler(seed=int(rng.integers(0, 2**62))).sample(n)
        syn, data = bits[:, :m], bits[:, m : m + sc.n]
    fails = _failures(sc, syn.astype(np.uint8), data.astype(np.uint8), basis)
    errors = int(fails.sum())
    low, high = binomial_interval(errors, n)
    return SmallCodeResult(
        code, channel, float(p), basis, backend, n, errors, errors / n, low, high
    )


# textbook builds on this module's codes, so it is imported once both are defined.
from . import textbook  # noqa: E402
