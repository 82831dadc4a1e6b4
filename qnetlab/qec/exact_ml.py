"""Exact syndrome statistics and the maximum-likelihood decoder for small circuits.

For a circuit with few detectors (``d = 3`` surface code memory with three rounds: 24
detectors) the joint distribution of the detection events and the logical flip can be
computed *exactly* from the detector error model. Every error mechanism ``j`` flips the
bit pattern ``m_j`` (detectors and observable) with probability ``p_j``, independently, so
the pattern seen is the XOR of independent random vectors. Its Walsh-Hadamard transform is a
product (the XOR convolution theorem):

.. math:: \\hat P(u) = \\prod_j (1 - 2 p_j)^{[u \\cdot m_j \\text{ odd}]}
          = \\exp\\Big(\\tfrac12\\big(A - \\hat g(u)\\big)\\Big),

with ``g(v) = sum_{j: m_j = v} log(1 - 2 p_j)`` and ``A = sum_j log(1 - 2 p_j)``: two
fast Walsh-Hadamard transforms of length ``2^(detectors + 1)`` give ``P(syndrome, flip)``
for every syndrome (about 30 s and 0.8 GB for 24 detectors).

The maximum-likelihood (ML) decoder predicts the more probable flip for each syndrome; its
logical error rate ``sum_s min(P(s, 0), P(s, 1))`` is the lowest any decoder can reach on
these detection events. :func:`syndrome_distribution` returns it together with the likely
syndromes and their flip probabilities: the exact soft targets the neural decoder is trained
on at ``d = 3`` (:func:`~qnetlab.qec.decoders.train_neural_decoder` with
``exact_min_probability``).

>>> from qnetlab.qec.stim_codes import memory_circuit
>>> dist = syndrome_distribution(memory_circuit("repetition", 3, 0.1, "code_capacity"))
>>> round(dist.ml_error_rate, 4)  # 3 p^2 - 2 p^3: majority vote is ML here
0.028
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import check_in_range, check_integer, check_memory

__all__ = ["SyndromeDistribution", "detector_error_model_terms", "syndrome_distribution"]


def _check_circuit(circuit: Any) -> Any:
    import stim

    if not isinstance(circuit, stim.Circuit):
        raise TypeError(f"circuit must be a stim.Circuit, got {type(circuit).__name__}")
    return circuit


def detector_error_model_terms(
    circuit: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Independent error mechanisms of ``circuit``: ``(probabilities, H, L)``.

    ``H[i, j]`` is 1 if mechanism ``j`` flips detector ``i``; ``L[k, j]`` if it flips
    observable ``k``.

    Parameters
    ----------
    circuit : stim.Circuit
        A circuit with detectors and observables.

    Returns
    -------
    tuple of numpy.ndarray
        Probabilities (m,), H (detectors, m) and L (observables, m), 0/1 matrices.

    Raises
    ------
    TypeError
        If ``circuit`` is not a ``stim.Circuit``.

    Examples
    --------
    >>> from qnetlab.qec.stim_codes import memory_circuit
    >>> probs, H, L = detector_error_model_terms(memory_circuit("repetition", 3, 0.1, "code_capacity"))
    >>> probs.round(3).tolist(), H.shape, L.sum(axis=1).tolist()
    ([0.1, 0.1, 0.1], (4, 3), [1])
    """
    dem = _check_circuit(circuit).detector_error_model(decompose_errors=False).flattened()
    probs: list[float] = []
    dets: list[list[int]] = []
    obs: list[list[int]] = []
    for inst in dem:
        if inst.type != "error":
            continue
        probs.append(float(inst.args_copy()[0]))
        d_list, o_list = [], []
        for t in inst.targets_copy():
            if t.is_relative_detector_id():
                d_list.append(t.val)
            elif t.is_logical_observable_id():
                o_list.append(t.val)
        dets.append(d_list)
        obs.append(o_list)
    H = np.zeros((dem.num_detectors, len(probs)), dtype=np.uint8)
    L = np.zeros((dem.num_observables, len(probs)), dtype=np.uint8)
    for j, (ds, os_) in enumerate(zip(dets, obs)):
        for i in ds:
            H[i, j] ^= 1
        for k in os_:
            L[k, j] ^= 1
    return np.asarray(probs), H, L


def _hadamard_matrix(m: int) -> np.ndarray:
    """The unnormalised ``2^m x 2^m`` Sylvester-Hadamard matrix, ``H[i, j] = (-1)^{i.j}``."""
    h = np.ones((1, 1))
    for _ in range(m):
        h = np.kron(h, np.array([[1.0, 1.0], [1.0, -1.0]]))
    return h


def _walsh_hadamard(a: np.ndarray, block_bits: int = 6) -> np.ndarray:
    """Unnormalised fast Walsh-Hadamard transform of a length ``2^n`` array (a new array).

    The transform is the tensor product of one 2 x 2 Hadamard per bit, so it is applied
    ``block_bits`` bits at a time as a matrix product with a ``2^block_bits`` Hadamard
    matrix: a few passes over the array instead of one butterfly pass per bit
    (``benchmarks/walsh_hadamard.py``), with at most two arrays of ``a``'s size alive besides
    ``a``.
    """
    n = a.size.bit_length() - 1
    out = a
    low = 0
    while low < n:
        m = min(block_bits, n - low)
        h = _hadamard_matrix(m)
        if low == 0:
            out = (out.reshape(-1, 1 << m) @ h).reshape(-1)
        else:
            out = np.matmul(h, out.reshape(-1, 1 << m, 1 << low)).reshape(-1)
        low += m
    return out


@dataclass(frozen=True, repr=False, eq=False)
class SyndromeDistribution:
    """Exact distribution of a circuit's syndromes and the logical flip.

    Parameters
    ----------
    detectors : numpy.ndarray
        The syndromes with probability at least ``min_probability``, bool
        ``(rows, num_detectors)``, most probable first.
    probability : numpy.ndarray
        ``P(syndrome)`` of each row.
    flip_probability : numpy.ndarray
        ``P(observable flipped | syndrome)`` of each row.
    ml_error_rate : float
        Logical error rate of the maximum-likelihood decoder over *all* syndromes.
    min_probability : float
        The cut on ``P(syndrome)`` for the rows kept.

    Examples
    --------
    >>> from qnetlab.qec.stim_codes import memory_circuit
    >>> syndrome_distribution(memory_circuit("repetition", 3, 0.1, "code_capacity"))
    SyndromeDistribution(num_detectors=4, rows=4, covered=1, ml_error_rate=0.028)
    """

    detectors: np.ndarray
    probability: np.ndarray
    flip_probability: np.ndarray
    ml_error_rate: float
    min_probability: float

    def __repr__(self) -> str:
        return (
            f"SyndromeDistribution(num_detectors={self.detectors.shape[1]}, "
            f"rows={len(self.probability)}, covered={self.covered_probability:.6g}, "
            f"ml_error_rate={self.ml_error_rate:.6g})"
        )

    @property
    def covered_probability(self) -> float:
        """Total probability of the syndromes kept (1 minus what the cut left out)."""
        return float(self.probability.sum())

    def error_rate(self, predictions: Any) -> float:
        """Exact logical error rate, over the rows kept, of per-row predicted flips.

        Parameters
        ----------
        predictions : array_like of bool
            A decoder's predicted flip for each row of :attr:`detectors`.

        Returns
        -------
        float
            ``sum_rows P(s) P(wrong | s)``; the syndromes left out add at most
            ``1 - covered_probability``.

        Raises
        ------
        ValueError
            If ``predictions`` does not have one entry per row.

        Examples
        --------
        >>> from qnetlab.qec.stim_codes import memory_circuit
        >>> dist = syndrome_distribution(memory_circuit("repetition", 3, 0.1, "code_capacity"))
        >>> round(dist.error_rate(dist.flip_probability > 0.5), 4)
        0.028
        """
        pred = np.asarray(predictions).reshape(-1)
        if pred.size != self.probability.size:
            raise ValueError(
                f"predictions must have one entry per row ({self.probability.size}), "
                f"got {pred.size}"
            )
        wrong = np.where(pred.astype(bool), 1.0 - self.flip_probability, self.flip_probability)
        return float((self.probability * wrong).sum())


def syndrome_distribution(
    circuit: Any, *, min_probability: float = 1e-9, max_detectors: int = 26
) -> SyndromeDistribution:
    """Exact ``P(syndrome, flip)`` of a small circuit by two Walsh-Hadamard transforms.

    Parameters
    ----------
    circuit : stim.Circuit
        A circuit with one observable and at most ``max_detectors`` detectors.
    min_probability : float, default 1e-9
        Keep the syndromes at least this probable (in [0, 1)); the ML error rate is
        computed over all of them regardless.
    max_detectors : int, default 26
        Refuse larger circuits (memory grows as ``24 * 2^(detectors + 1)`` bytes, and a
        call that would need more than 2 GB is refused up front).

    Returns
    -------
    SyndromeDistribution
        The likely syndromes, their probabilities and flip probabilities, and the ML rate.

    Raises
    ------
    TypeError
        If ``circuit`` is not a ``stim.Circuit``.
    ValueError
        If the circuit has not exactly one observable or too many detectors (more than
        ``max_detectors`` or 2 GB of memory), or ``min_probability`` is out of range.

    Examples
    --------
    >>> from qnetlab.qec.stim_codes import memory_circuit
    >>> c = memory_circuit("rotated_surface", 3, 0.05, "code_capacity")
    >>> dist = syndrome_distribution(c, min_probability=0.0)
    >>> dist.detectors.shape, round(dist.covered_probability, 12)
    ((256, 8), 1.0)
    """
    probs, H, L = detector_error_model_terms(circuit)
    cut = check_in_range(min_probability, "min_probability", 0.0, 1.0, high_inclusive=False)
    limit = check_integer(max_detectors, "max_detectors", minimum=1)
    n_det = H.shape[0]
    if L.shape[0] != 1:
        raise ValueError(f"the circuit must have exactly one observable, got {L.shape[0]}")
    if n_det > limit:
        raise ValueError(
            f"exact syndrome statistics need at most {limit} detectors "
            f"(max_detectors), the circuit has {n_det}"
        )
    check_memory(24.0 * 2.0 ** (n_det + 1), "circuit.num_detectors", n_det)
    size = 1 << (n_det + 1)
    weights = np.left_shift(np.int64(1), np.arange(n_det + 1, dtype=np.int64))
    patterns = np.vstack([H, L]).T.astype(np.int64) @ weights
    g = np.zeros(size)
    np.add.at(g, patterns, np.log1p(-2.0 * np.minimum(probs, 0.5)))
    total_log = float(g.sum())
    hat = _walsh_hadamard(g)
    del g
    hat *= -0.5
    hat += 0.5 * total_log
    np.exp(hat, out=hat)
    joint = _walsh_hadamard(hat)
    del hat
    joint /= size
    joint = np.clip(joint, 0.0, None, out=joint).reshape(2, -1)
    ml = float(np.minimum(joint[0], joint[1]).sum())
    p_s = joint[0] + joint[1]
    keep = np.nonzero(p_s >= cut)[0]
    keep = keep[np.argsort(-p_s[keep], kind="stable")]
    flip = joint[1, keep] / np.maximum(p_s[keep], 1e-300)
    det = ((keep[:, None] >> np.arange(n_det)) & 1).astype(bool)
    return SyndromeDistribution(det, p_s[keep], flip, ml, cut)
