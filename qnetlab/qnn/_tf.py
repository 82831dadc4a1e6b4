"""TensorFlow set-up for :mod:`qnetlab.qnn`: legacy Keras, quiet logs, one seeding helper.

Importing this module imports TensorFlow and TensorFlow Quantum (about 4 s). The
environment variables are set first: ``TF_USE_LEGACY_KERAS=1`` makes ``tf.keras`` the
Keras 2 package ``tf_keras`` that TFQ's layers are built on.

>>> tf, tfq = load()
>>> tf.keras.__name__.startswith("tf_keras")
True
"""

from __future__ import annotations

import os
import random
from typing import Any

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

from .._validation import check_integer

__all__ = ["load", "set_seed"]

_MISSING = (
    "the TFQ models of qnetlab.qnn need {what}, which is not installed: "
    'pip install "qnetlab[qnn]" (TensorFlow Quantum 0.7.6 with TensorFlow 2.18, '
    "Python 3.10-3.12; on Colab it replaces the preinstalled TensorFlow, then restart the "
    "runtime). qnetlab.qnn.bounds, datasets, vqa and generative work without it."
)


def load() -> tuple[Any, Any]:
    """Return ``(tensorflow, tensorflow_quantum)``, imported with legacy Keras and quiet logs.

    >>> tf, tfq = load()
    >>> hasattr(tfq.layers, "PQC")
    True
    """
    try:
        import tensorflow as tf
    except ImportError as exc:  # the base install: no TensorFlow
        raise ImportError(_MISSING.format(what="TensorFlow")) from exc

    tf.get_logger().setLevel("ERROR")
    try:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:  # pragma: no cover - absl ships with TensorFlow
        pass
    try:
        import tensorflow_quantum as tfq
    except ImportError as exc:  # TensorFlow without TFQ (e.g. Colab's preinstalled one)
        raise ImportError(_MISSING.format(what="TensorFlow Quantum")) from exc

    return tf, tfq


def set_seed(seed: int) -> None:
    """Seed TensorFlow, NumPy's legacy global generator and Python's ``random``.

    Keras weight initialisers and ``Model.fit`` shuffling draw from these global
    generators, so one call makes a training run reproducible.

    >>> set_seed(7)
    >>> tf, _ = load()
    >>> a = float(tf.random.uniform(()))
    >>> set_seed(7)
    >>> a == float(tf.random.uniform(()))
    True
    """
    s = check_integer(seed, "seed", minimum=0, maximum=2**32 - 1)
    tf, _ = load()
    random.seed(s)
    np.random.seed(s)  # noqa: NPY002 - Keras and TFQ draw from NumPy's global generator
    tf.random.set_seed(s)
