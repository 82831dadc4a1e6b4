"""The neural decoder's multilayer perceptron in NumPy: forward pass and Adam training."""

from __future__ import annotations

import contextlib
import itertools
import math
from collections.abc import Iterator

import numpy as np

__all__: list[str] = []


@contextlib.contextmanager
def _one_blas_thread(rows: int = 1 << 30) -> Iterator[None]:
    """Run the network's small matrix products on one BLAS thread (for ``rows`` >= 4096).

    The decoder's matrices are small; on a loaded machine, BLAS threads spinning for work
    made training ten times slower than a single thread. Limiting the threads costs about a
    millisecond, so a small batch (a single shot: latency) runs without the limit.
    """
    if rows < 4096:
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _mlp_logits(params: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray) -> np.ndarray:
    h = x
    for W, b in params[:-1]:
        h = np.maximum(h @ W + b, 0.0)
    W, b = params[-1]
    return (h @ W + b)[:, 0]


def _init_params(sizes: list[int], rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    params = []
    for n_in, n_out in itertools.pairwise(sizes):
        W = rng.normal(0.0, math.sqrt(2.0 / n_in), size=(n_in, n_out)).astype(np.float32)
        params.append((W, np.zeros(n_out, dtype=np.float32)))
    return params


def _train_mlp(
    x: np.ndarray,
    y: np.ndarray,
    counts: np.ndarray,
    *,
    hidden: tuple[int, ...],
    epochs: int,
    batch_size: int,
    learning_rate: float,
    rng: np.random.Generator,
    progress: bool,
    init: list[tuple[np.ndarray, np.ndarray]] | None = None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Minibatch Adam on the binary cross-entropy, cosine learning-rate decay."""
    sizes = [x.shape[1], *hidden, 1]
    params = (
        [(W.copy(), b.copy()) for W, b in init] if init is not None else _init_params(sizes, rng)
    )
    flat = [a for pair in params for a in pair]
    m = [np.zeros_like(a) for a in flat]
    v = [np.zeros_like(a) for a in flat]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    # minibatches drawn from the distinct rows with probability proportional to their
    # counts: stochastic gradient descent on the sampled data with soft labels
    cum = np.cumsum(counts, dtype=np.float64)
    n = int(cum[-1])
    steps_per_epoch = max(1, n // batch_size)
    total = epochs * steps_per_epoch
    step = 0
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc="training neural decoder")
    for _ in range(epochs):
        for _s in range(steps_per_epoch):
            idx = np.searchsorted(cum, rng.random(batch_size) * cum[-1], side="right")
            xb, yb = x[idx], y[idx]
            # forward
            acts = [xb]
            h = xb
            for W, b in params[:-1]:
                h = np.maximum(h @ W + b, 0.0)
                acts.append(h)
            W_out, b_out = params[-1]
            z = (h @ W_out + b_out)[:, 0]
            prob = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
            # backward
            g = ((prob - yb) / len(yb)).astype(np.float32)[:, None]
            grads: list[np.ndarray] = []
            for layer in range(len(params) - 1, -1, -1):
                W, b = params[layer]
                a_in = acts[layer]
                grads.append(g.sum(axis=0))
                grads.append(a_in.T @ g)
                if layer > 0:
                    g = (g @ W.T) * (a_in > 0)
            grads = grads[::-1]  # W0, b0, W1, b1, ...
            step += 1
            lr = learning_rate * 0.5 * (1.0 + math.cos(math.pi * (step - 1) / total))
            c1, c2 = 1 - beta1**step, 1 - beta2**step
            for i, (a, gr) in enumerate(zip(flat, grads)):
                m[i] = beta1 * m[i] + (1 - beta1) * gr
                v[i] = beta2 * v[i] + (1 - beta2) * gr * gr
                a -= (lr * (m[i] / c1) / (np.sqrt(v[i] / c2) + eps)).astype(np.float32)
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return [(flat[2 * i], flat[2 * i + 1]) for i in range(len(params))]
