"""Decoders for stim memory experiments: lookup table, MWPM and a neural decoder.

Every decoder has ``decode_batch(detectors) -> predictions``: a bool array of detection
events ``(shots, num_detectors)`` in, the predicted flips of the logical observables
``(shots, num_observables)`` out. The logical error rate is the fraction of shots where the
prediction differs from the actual flip.

- :class:`LookupDecoder`: for each syndrome the most likely error (found by enumerating
  error combinations of the detector error model); exact and tiny for code-capacity noise.
- :class:`MWPMDecoder`: minimum-weight perfect matching with PyMatching (Higgott 2022),
  built from the circuit's detector error model. It matches ``X``- and ``Z``-type
  detectors separately, so it ignores the correlations of ``Y`` and hook errors. With
  ``correlated=True`` it runs PyMatching's two-pass *correlated matching* (Fowler 2013,
  PyMatching >= 2.2: ``enable_correlations``), which re-weights the edges after a first
  matching using the decomposed hyperedges (``Y`` errors, hook errors).
- :class:`NeuralDecoder`: a multilayer perceptron in NumPy that sees *all* detectors plus
  MWPM's prediction and predicts whether MWPM is wrong ("neural given MWPM"). It learns
  the correlations MWPM ignores; trained on stim samples (or, for small circuits, on the
  exact syndrome distribution of :mod:`~qnetlab.qec.exact_ml`) by
  :func:`train_neural_decoder`. With ``correlated=True`` it is a hybrid "neural given
  matching" decoder that also reads where correlated matching disagrees and learns when to
  trust which. Pre-trained weights ship with the package (:func:`load_pretrained`; the
  d = 5, p = 0.005 weights are such a hybrid).

>>> from qnetlab.qec.stim_codes import memory_circuit, sample_detectors
>>> c = memory_circuit("repetition", 5, 0.1, "code_capacity")
>>> det, obs = sample_detectors(c, 2000, seed=1)
>>> mwpm, table = MWPMDecoder.from_circuit(c), LookupDecoder.from_circuit(c)
>>> bool((mwpm.decode_batch(det) == table.decode_batch(det)).all())
True
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_in_range,
    check_integer,
    check_memory,
    check_probability,
    check_size,
    make_rng,
)
from ._mlp import _mlp_logits, _one_blas_thread, _train_mlp
from .exact_ml import _check_circuit, detector_error_model_terms, syndrome_distribution
from .stim_codes import SPLIT_SHOTS_HINT, memory_circuit, sample_detectors

__all__ = [
    "PRETRAINED",
    "LookupDecoder",
    "MWPMDecoder",
    "NeuralDecoder",
    "load_pretrained",
    "pretrained_name",
    "train_neural_decoder",
]


def _check_detectors(detectors: Any, num_detectors: int) -> np.ndarray:
    if isinstance(detectors, (str, bytes)):
        raise TypeError(f"detectors must be a 2-D array of 0/1, got {type(detectors).__name__}")
    det = np.asarray(detectors)
    if det.dtype.kind not in "biuf":
        raise TypeError(f"detectors must be a 2-D array of 0/1, got dtype {det.dtype}")
    if det.dtype.kind in "iuf" and np.any((det != 0) & (det != 1)):
        raise ValueError("detectors must hold detection events (0/1 or bool)")
    if det.ndim != 2 or det.shape[1] != num_detectors:
        raise ValueError(
            f"detectors must have shape (shots, {num_detectors}), got {np.shape(detectors)}"
        )
    return det.astype(bool, copy=False)


def _keys(det: np.ndarray) -> np.ndarray:
    """Pack rows of a bool matrix into integer keys (up to 62 columns)."""
    weights = np.left_shift(np.int64(1), np.arange(det.shape[1], dtype=np.int64))
    return det.astype(np.int64) @ weights


@dataclass(frozen=True, repr=False, eq=False)
class LookupDecoder:
    """Syndrome -> most likely error, as a table (for small code-capacity problems).

    Build it with :meth:`from_circuit`; :meth:`decode_batch` maps detection events to the
    predicted observable flips.

    Parameters
    ----------
    num_detectors, num_observables : int
        Sizes of the detector error model.
    keys : numpy.ndarray
        The syndromes of the table, as integers.
    predictions : numpy.ndarray
        The observable flips predicted for each key.

    Examples
    --------
    >>> from qnetlab.qec.stim_codes import memory_circuit, sample_detectors
    >>> c = memory_circuit("repetition", 3, 0.1, "code_capacity")
    >>> dec = LookupDecoder.from_circuit(c)
    >>> det, obs = sample_detectors(c, 2000, seed=1)
    >>> bool(abs((dec.decode_batch(det) != obs).mean() - 0.028) < 0.015)  # 3p² − 2p³
    True
    """

    num_detectors: int
    num_observables: int
    keys: np.ndarray
    predictions: np.ndarray

    def __repr__(self) -> str:
        return f"LookupDecoder(num_detectors={self.num_detectors}, syndromes={self.keys.size})"

    @classmethod
    def from_circuit(
        cls, circuit: Any, *, max_weight: int | None = None, max_mechanisms: int = 40
    ) -> LookupDecoder:
        """Build the table by enumerating error combinations up to ``max_weight``.

        For each syndrome the most probable combination wins. ``max_weight`` defaults to
        all mechanisms when there are at most 16, else to 5. The lookup decoder applies to
        problems with at most ``max_mechanisms`` error mechanisms and 62 detectors.

        >>> from qnetlab.qec.stim_codes import memory_circuit
        >>> LookupDecoder.from_circuit(memory_circuit("rotated_surface", 3, 0.05, "code_capacity"))
        LookupDecoder(num_detectors=8, syndromes=16)
        """
        probs, H, L = detector_error_model_terms(circuit)
        n_det, m = H.shape
        if m > max_mechanisms or n_det > 62:
            raise ValueError(
                "the lookup decoder applies to small code-capacity problems "
                f"(at most {max_mechanisms} error mechanisms and 62 detectors); "
                f"this circuit has {m} mechanisms and {n_det} detectors: use 'mwpm'"
            )
        if max_weight is None:
            max_weight = m if m <= 16 else 5
        w_max = check_integer(max_weight, "max_weight", minimum=0)
        p = np.clip(probs, 1e-300, 1 - 1e-16)
        log_odds = np.log(p) - np.log1p(-p)
        det_keys = _keys(H.T.astype(bool)) if m else np.zeros(0, dtype=np.int64)
        obs_keys = _keys(L.T.astype(bool)) if m else np.zeros(0, dtype=np.int64)
        best: dict[int, tuple[float, int]] = {0: (0.0, 0)}
        for w in range(1, min(w_max, m) + 1):
            for combo in itertools.combinations(range(m), w):
                idx = list(combo)
                key = int(np.bitwise_xor.reduce(det_keys[idx]))
                score = float(log_odds[idx].sum())
                if key not in best or score > best[key][0]:
                    best[key] = (score, int(np.bitwise_xor.reduce(obs_keys[idx])))
        keys = np.array(sorted(best), dtype=np.int64)
        n_obs = L.shape[0]
        preds = np.array(
            [[(best[int(k)][1] >> b) & 1 for b in range(n_obs)] for k in keys], dtype=bool
        ).reshape(len(keys), n_obs)
        return cls(n_det, n_obs, keys, preds)

    def decode_batch(self, detectors: Any) -> np.ndarray:
        """Predicted observable flips; an unseen syndrome predicts no flip."""
        det = _check_detectors(detectors, self.num_detectors)
        k = _keys(det)
        pos = np.clip(np.searchsorted(self.keys, k), 0, len(self.keys) - 1)
        found = self.keys[pos] == k
        out = np.zeros((det.shape[0], self.num_observables), dtype=bool)
        out[found] = self.predictions[pos[found]]
        return out


@dataclass(frozen=True, repr=False, eq=False)
class MWPMDecoder:
    """Minimum-weight perfect matching (PyMatching) on the circuit's detector error model.

    ``correlated=True`` decodes with PyMatching's correlated matching (two passes: the
    first matching re-weights the edges that share a decomposed hyperedge, such as the
    ``X`` and ``Z`` halves of a ``Y`` error, and the second matching uses the new weights).

    Parameters
    ----------
    matching : pymatching.Matching
        The matching graph (build the decoder with :meth:`from_circuit`).
    num_detectors : int
        Detectors of the circuit.
    correlated : bool, default False
        Decode with correlated matching.

    Examples
    --------
    >>> from qnetlab.qec.stim_codes import memory_circuit, sample_detectors
    >>> c = memory_circuit("rotated_surface", 3, 0.0, "circuit")
    >>> dec = MWPMDecoder.from_circuit(c)
    >>> dec
    MWPMDecoder(num_detectors=24)
    >>> bool(dec.decode_batch(sample_detectors(c, 10, seed=0)[0]).any())  # no noise, no flip
    False
    """

    matching: Any
    num_detectors: int
    correlated: bool = False

    def __repr__(self) -> str:
        extra = ", correlated=True" if self.correlated else ""
        return f"MWPMDecoder(num_detectors={self.num_detectors}{extra})"

    @classmethod
    def from_circuit(cls, circuit: Any, *, correlated: bool = False) -> MWPMDecoder:
        """Build the matching graph from ``circuit.detector_error_model(decompose_errors=True)``.

        ``correlated`` enables correlated matching (``Matching.from_detector_error_model(dem,
        enable_correlations=True)`` and ``decode_batch(..., enable_correlations=True)``,
        PyMatching >= 2.2).

        >>> from qnetlab.qec.stim_codes import memory_circuit
        >>> MWPMDecoder.from_circuit(memory_circuit("rotated_surface", 3, 0.001, "circuit"))
        MWPMDecoder(num_detectors=24)
        >>> c = memory_circuit("rotated_surface", 3, 0.001, "circuit")
        >>> MWPMDecoder.from_circuit(c, correlated=True)
        MWPMDecoder(num_detectors=24, correlated=True)
        """
        import pymatching

        if not isinstance(correlated, bool):
            raise TypeError(f"correlated must be a bool, got {type(correlated).__name__}")
        dem = _check_circuit(circuit).detector_error_model(decompose_errors=True)
        if correlated:
            matching = pymatching.Matching.from_detector_error_model(dem, enable_correlations=True)
        else:
            matching = pymatching.Matching.from_detector_error_model(dem)
        return cls(matching, dem.num_detectors, correlated)

    def decode_batch(self, detectors: Any) -> np.ndarray:
        """Predicted observable flips, shape ``(shots, num_observables)``."""
        det = _check_detectors(detectors, self.num_detectors).astype(np.uint8)
        if self.correlated:
            return self.matching.decode_batch(det, enable_correlations=True).astype(bool)
        return self.matching.decode_batch(det).astype(bool)

    def decode_bit_packed(self, detectors: Any) -> np.ndarray:
        """Bit-packed predictions from bit-packed detection events (stim's packing).

        ``detectors`` is a ``uint8`` array ``(shots, ceil(num_detectors / 8))``, bit ``k``
        of byte ``j`` holding detector ``8 j + k`` (``sample(..., bit_packed=True)`` of a
        stim sampler); the result packs the observables the same way. It skips unpacking:
        the fast path of :func:`~qnetlab.qec.experiments.count_logical_errors`.

        >>> from qnetlab.qec.stim_codes import memory_circuit
        >>> c = memory_circuit("repetition", 3, 0.2, "code_capacity")
        >>> det, obs = c.compile_detector_sampler(seed=1).sample(
        ...     50, separate_observables=True, bit_packed=True)
        >>> m = MWPMDecoder.from_circuit(c)
        >>> unpacked = m.decode_batch(np.unpackbits(det, axis=1, bitorder="little")[:, :4])
        >>> bool((np.unpackbits(m.decode_bit_packed(det), axis=1, bitorder="little")[:, :1]
        ...       == unpacked).all())
        True
        """
        det = np.asarray(detectors)
        nbytes = (self.num_detectors + 7) // 8
        if det.dtype != np.uint8 or det.ndim != 2 or det.shape[1] != nbytes:
            raise ValueError(
                f"detectors must be bit-packed uint8 of shape (shots, {nbytes}), got "
                f"{det.dtype} {det.shape}"
            )
        kwargs = {"enable_correlations": True} if self.correlated else {}
        return self.matching.decode_batch(
            det, bit_packed_shots=True, bit_packed_predictions=True, **kwargs
        )


# --------------------------------------------------------------------------------------
# Neural decoder: a NumPy multilayer perceptron on top of MWPM
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class NeuralDecoder:
    """Neural decoder "given MWPM": an MLP that predicts when MWPM's correction is wrong.

    Input: all detection events and MWPM's predicted observable flip (and, if
    ``correlated`` is given, whether correlated matching's prediction differs); output: the
    probability that MWPM is wrong. The decoder flips MWPM's prediction where that
    probability exceeds 1/2. ``params`` are ``[(W, b), ...]`` (float32); ``metadata``
    records how the weights were trained. With correlated matching as an input this is a
    hybrid "neural given matching" decoder: the network learns when to trust which matching.

    Parameters
    ----------
    params : tuple of (numpy.ndarray, numpy.ndarray)
        The layers' weights and biases.
    mwpm : MWPMDecoder
        The matching decoder the network sits on.
    metadata : dict, optional
        How the weights were trained.
    correlated : MWPMDecoder, optional
        Correlated matching, whose prediction is a further input.

    Examples
    --------
    >>> nd = load_pretrained(3, 0.004)
    >>> nd.metadata["distance"], nd.mwpm.num_detectors
    (3, 24)
    """

    params: tuple[tuple[np.ndarray, np.ndarray], ...]
    mwpm: MWPMDecoder
    metadata: dict[str, Any] = field(default_factory=dict)
    correlated: MWPMDecoder | None = None

    def __repr__(self) -> str:
        sizes = [self.params[0][0].shape[0]] + [W.shape[1] for W, _ in self.params]
        keep = ("distance", "rounds", "p_train", "train_shots")
        meta = ", ".join(f"{k}={self.metadata[k]}" for k in keep if k in self.metadata)
        return f"NeuralDecoder(layers={sizes}{', ' + meta if meta else ''})"

    @property
    def num_detectors(self) -> int:
        return self.mwpm.num_detectors

    @property
    def num_parameters(self) -> int:
        """Number of trained weights and biases."""
        return int(sum(W.size + b.size for W, b in self.params))

    def features(self, detectors: Any) -> tuple[np.ndarray, np.ndarray]:
        """``(x, mwpm_prediction)``: the network's input and MWPM's prediction."""
        det = _check_detectors(detectors, self.num_detectors)
        base = self.mwpm.decode_batch(det)[:, :1]
        cols = [det, base]
        if self.correlated is not None:  # where the two matchings disagree
            cols.append(self.correlated.decode_batch(det)[:, :1] ^ base)
        x = np.concatenate(cols, axis=1).astype(np.float32)
        return x, base[:, 0]

    def mwpm_failure_probability(self, detectors: Any, *, batch_size: int = 65536) -> np.ndarray:
        """Network's probability that MWPM's prediction is wrong, per shot."""
        x, _ = self.features(detectors)
        out = np.empty(x.shape[0], dtype=np.float64)
        with _one_blas_thread(x.shape[0]):
            for s in range(0, x.shape[0], batch_size):
                z = _mlp_logits(list(self.params), x[s : s + batch_size])
                out[s : s + batch_size] = 1.0 / (1.0 + np.exp(-z))
        return out

    def decode_batch(self, detectors: Any, *, batch_size: int = 65536) -> np.ndarray:
        """Predicted observable flip, shape ``(shots, 1)``."""
        x, base = self.features(detectors)
        flip = np.empty(x.shape[0], dtype=bool)
        with _one_blas_thread(x.shape[0]):
            for s in range(0, x.shape[0], batch_size):
                flip[s : s + batch_size] = _mlp_logits(list(self.params), x[s : s + batch_size]) > 0
        return (base ^ flip)[:, None]

    def save(self, path: str | Path) -> None:
        """Write the weights and metadata to an ``.npz`` file."""
        arrays: dict[str, Any] = {}
        for i, (W, b) in enumerate(self.params):
            arrays[f"W{i}"] = W.astype(np.float32)
            arrays[f"b{i}"] = b.astype(np.float32)
        arrays["metadata"] = np.array(json.dumps(self.metadata, sort_keys=True))
        np.savez_compressed(Path(path), **arrays)

    @classmethod
    def load(cls, source: Any, circuit: Any) -> NeuralDecoder:
        """Load weights from an ``.npz`` (path or file object); MWPM is built from ``circuit``."""
        with np.load(source, allow_pickle=False) as data:
            n_layers = sum(1 for k in data.files if k.startswith("W"))
            params = tuple(
                (data[f"W{i}"].astype(np.float32), data[f"b{i}"].astype(np.float32))
                for i in range(n_layers)
            )
            metadata = json.loads(str(data["metadata"]))
        mwpm = MWPMDecoder.from_circuit(circuit)
        extra = 2 if "correlated" in metadata.get("inputs", ()) else 1
        if params[0][0].shape[0] != mwpm.num_detectors + extra:
            raise ValueError(
                f"weights expect {params[0][0].shape[0] - extra} detectors, "
                f"the circuit has {mwpm.num_detectors}"
            )
        corr = MWPMDecoder.from_circuit(circuit, correlated=True) if extra == 2 else None
        return cls(params, mwpm, metadata, corr)


def train_neural_decoder(
    circuit: Any,
    *,
    shots: int = 200_000,
    hidden: tuple[int, ...] = (128, 64),
    epochs: int = 4,
    batch_size: int = 1024,
    learning_rate: float = 2e-3,
    seed: SeedLike = None,
    progress: bool = False,
    init: NeuralDecoder | None = None,
    mwpm: MWPMDecoder | None = None,
    metadata: dict[str, Any] | None = None,
    correlated: bool = False,
    exact_min_probability: float | None = None,
    focus: float | None = None,
) -> NeuralDecoder:
    """Train a :class:`NeuralDecoder` for ``circuit`` on ``shots`` fresh stim samples.

    The labels are "MWPM is wrong on this shot" (actual flip XOR MWPM's prediction).
    ``init`` starts from an existing decoder's weights (fine-tuning, e.g. after the noise
    drifted; it also fixes the layers and inputs). ``mwpm`` is the matching decoder the
    network sits on (default: built from ``circuit``; pass a stale one to learn to repair
    it). Training data come from ``stim`` with a seed derived from ``seed``.

    Identical syndromes are merged into one row with a soft label (the fraction of its
    shots where MWPM was wrong), drawn in proportion to its count: the same stochastic
    gradient as training on every shot. With ``exact_min_probability`` (small circuits,
    :func:`~qnetlab.qec.exact_ml.syndrome_distribution`) the rows are *all* syndromes at
    least that probable with their exact probabilities and flip probabilities: training on
    ``shots`` draws of the true distribution, without sampling noise in the labels (the
    network approximates the maximum-likelihood decoder). ``focus`` re-weights the rows by
    ``min(y, 1 - y) + focus`` (``y`` the label), spending the steps on ambiguous syndromes,
    where decisions are made, instead of the many that MWPM gets right for sure.

    Parameters
    ----------
    circuit : stim.Circuit
        The memory circuit.
    shots : int, default 200_000
        Training samples, in [100, 10^8].
    hidden : tuple of int, default (128, 64)
        Hidden-layer widths.
    epochs : int, default 4
        Passes over the samples.
    batch_size : int, default 1024
        Mini-batch size.
    learning_rate : float, default 2e-3
        Adam step size.
    seed : SeedLike, optional
        Seed or generator of the samples and initial weights.
    progress : bool, default False
        Print the loss per epoch.
    init : NeuralDecoder, optional
        Start from these weights (fine-tuning).
    mwpm : MWPMDecoder, optional
        The matching decoder underneath (default: built from ``circuit``).
    metadata : dict, optional
        Extra entries for the decoder's ``metadata``.
    correlated : bool, default False
        Also feed correlated matching's prediction to the network.
    exact_min_probability : float, optional
        Train on the exact syndrome distribution, rows at least this probable (in (0, 1)).
    focus : float, optional
        Re-weight rows towards ambiguous syndromes (positive; smaller focuses more).

    Returns
    -------
    NeuralDecoder
        The trained decoder.

    Raises
    ------
    TypeError
        If ``circuit`` is not a ``stim.Circuit`` or ``hidden`` not a tuple.
    ValueError
        If the circuit has not exactly one observable, an argument is out of range, or
        ``mwpm`` (or ``init``) does not fit the circuit.

    Examples
    --------
    >>> from qnetlab.qec.stim_codes import memory_circuit
    >>> c = memory_circuit("rotated_surface", 3, 0.005, "circuit")
    >>> nd = train_neural_decoder(c, shots=4000, hidden=(16,), epochs=1, seed=1)
    >>> nd.decode_batch(sample_detectors(c, 5, seed=2)[0]).shape
    (5, 1)
    """
    c = _check_circuit(circuit)
    if c.num_observables != 1:
        raise ValueError("the neural decoder needs a circuit with exactly one observable")
    n = check_size(shots, "shots", minimum=100, maximum=10**8, hint=SPLIT_SHOTS_HINT)
    check_memory(8.0 * n * (c.num_detectors + 2), "shots", n, hint=SPLIT_SHOTS_HINT)
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__iter__"):
        raise TypeError(f"hidden must be a tuple of layer widths, got {type(hidden).__name__}")
    hid = tuple(check_size(h, "hidden", maximum=4096) for h in hidden)
    ep = check_size(epochs, "epochs", maximum=10_000)
    bs = check_size(batch_size, "batch_size", maximum=10**6)
    lr = check_in_range(learning_rate, "learning_rate", 0.0, 10.0, low_inclusive=False)
    rng = make_rng(seed)
    if mwpm is None:
        mwpm = MWPMDecoder.from_circuit(c)
    elif not isinstance(mwpm, MWPMDecoder) or mwpm.num_detectors != c.num_detectors:
        raise ValueError("mwpm must be an MWPMDecoder for a circuit with the same detectors")
    if init is not None:
        if not isinstance(init, NeuralDecoder):
            raise TypeError("init must be a NeuralDecoder or None")
        if init.num_detectors != mwpm.num_detectors:
            raise ValueError("init was trained for a circuit with a different detector count")
        hid = tuple(W.shape[1] for W, _ in init.params[:-1])
        correlated = init.correlated is not None
    if not isinstance(correlated, bool):
        raise TypeError(f"correlated must be a bool, got {type(correlated).__name__}")
    corr = MWPMDecoder.from_circuit(c, correlated=True) if correlated else None
    if exact_min_probability is None:
        det, obs = sample_detectors(c, n, seed=rng)
        x, base = NeuralDecoder((), mwpm, {}, corr).features(det)
        wrong = obs[:, 0] ^ base
        rows = np.packbits(x.astype(bool), axis=1)
        uniq, inverse, counts = np.unique(rows, axis=0, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(-1)
        x = np.unpackbits(uniq, axis=1, count=x.shape[1]).astype(np.float32)
        y = (np.bincount(inverse, weights=wrong, minlength=len(counts)) / counts).astype(np.float32)
        mwpm_rate = float(wrong.mean())
        del rows, det, obs, inverse
    else:
        cut = check_in_range(exact_min_probability, "exact_min_probability", 0.0, 1.0,
                             low_inclusive=False, high_inclusive=False)  # fmt: skip
        dist = syndrome_distribution(c, min_probability=cut)
        x, base = NeuralDecoder((), mwpm, {}, corr).features(dist.detectors)
        y = np.where(base, 1.0 - dist.flip_probability, dist.flip_probability).astype(np.float32)
        counts = dist.probability * (n / dist.covered_probability)
        mwpm_rate = dist.error_rate(base)
    if focus is not None:
        f = check_in_range(focus, "focus", 0.0, 1.0, low_inclusive=False)
        counts = counts * (np.minimum(y, 1.0 - y) + f)
        counts *= n / counts.sum()
    with _one_blas_thread():
        params = _train_mlp(
            x,
            y,
            counts,
            hidden=hid,
            epochs=ep,
            batch_size=bs,
            learning_rate=lr,
            rng=rng,
            progress=progress,
            init=list(init.params) if init is not None else None,
        )
    meta = {
        "train_shots": n,
        "hidden": list(hid),
        "epochs": ep,
        "mwpm_train_error_rate": mwpm_rate,
        "distinct_syndromes": len(counts),
        "inputs": ["detectors", "mwpm"] + (["correlated"] if correlated else []),
        "targets": "sampled" if exact_min_probability is None else "exact",
    }
    if exact_min_probability is not None:
        # exact rates over the kept syndromes (the rest add at most 1 - covered)
        with _one_blas_thread(x.shape[0]):
            flip = _mlp_logits(params, x) > 0
        meta["exact_neural_rate"] = dist.error_rate(base ^ flip)
        meta["exact_ml_rate"] = dist.ml_error_rate  # over all syndromes
        meta["exact_ml_rate_kept"] = dist.error_rate(dist.flip_probability > 0.5)
        meta["exact_covered_probability"] = dist.covered_probability
    if metadata:
        meta.update(metadata)
    return NeuralDecoder(tuple(params), mwpm, meta, corr)


# --------------------------------------------------------------------------------------
# Pre-trained weights shipped with the package (qnetlab/qec/data/*.npz)
# --------------------------------------------------------------------------------------

#: (distance, p_train) pairs with shipped weights for the rotated-surface-code Z memory
#: under circuit-level depolarising noise with ``rounds = distance``.
PRETRAINED: tuple[tuple[int, float], ...] = ((3, 0.003), (3, 0.005), (5, 0.003), (5, 0.005))


def pretrained_name(distance: int, p: float) -> str:
    """File name of the shipped weights for ``distance`` and training noise ``p``.

    The weights live in ``qnetlab/qec/data/``; ``scripts/train_qec_decoder.py`` writes them
    under this name and :func:`load_pretrained` reads them.

    Parameters
    ----------
    distance : int
        Code distance (also the number of rounds).
    p : float
        Physical error rate the decoder was trained at.

    Returns
    -------
    str
        The file name.

    Examples
    --------
    >>> pretrained_name(3, 0.003)
    'surface_circuit_d3_r3_p0.003.npz'
    """
    d = check_integer(distance, "distance", minimum=1)
    prob = check_probability(p, "p")
    return f"surface_circuit_d{d}_r{d}_p{prob:g}.npz"


def load_pretrained(distance: int, p: float, *, rounds: int | None = None) -> NeuralDecoder:
    """Shipped neural decoder for the rotated surface code under circuit-level noise.

    The weights trained at the ``p`` nearest (in log scale) to the requested one are used;
    MWPM (the network's input) is built for the requested ``p``. Applies to
    ``code="rotated_surface"``, ``noise="circuit"``, ``rounds = distance`` and the
    distances in :data:`PRETRAINED`.

    Parameters
    ----------
    distance : int
        Code distance, one of the distances in :data:`PRETRAINED`.
    p : float
        Physical error rate, in (0, 1].
    rounds : int, optional
        Must equal ``distance`` if given.

    Returns
    -------
    NeuralDecoder
        The shipped network on top of MWPM for ``p``.

    Raises
    ------
    ValueError
        If no weights exist for ``distance``, ``rounds`` differs from it or ``p`` is 0.

    Examples
    --------
    >>> load_pretrained(3, 0.004).metadata["distance"]
    3
    """
    d = check_integer(distance, "distance")
    prob = check_probability(p, "p")
    dists = sorted({dd for dd, _ in PRETRAINED})
    if d not in dists:
        raise ValueError(
            f"the neural decoder has pre-trained weights for distance in {dists}, got {d}"
        )
    if rounds is not None and rounds != d:
        raise ValueError(
            f"the pre-trained neural decoder needs rounds = distance = {d}, got {rounds}"
        )
    if prob <= 0:
        raise ValueError("p must be positive for the neural decoder (MWPM needs error weights)")
    candidates = [pp for dd, pp in PRETRAINED if dd == d]
    p_train = min(candidates, key=lambda pp: abs(math.log(pp) - math.log(prob)))
    circuit = memory_circuit("rotated_surface", d, prob, "circuit", rounds=d)
    ref = resources.files("qnetlab.qec") / "data" / pretrained_name(d, p_train)
    with ref.open("rb") as fh:
        return NeuralDecoder.load(fh, circuit)
