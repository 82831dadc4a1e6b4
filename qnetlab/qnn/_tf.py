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


def load() -> tuple[Any, Any]:
    """Return ``(tensorflow, tensorflow_quantum)``, imported with legacy Keras and quiet logs.

    >>> tf, tfq = load()
    >>> hasattr(tfq.layers, "PQC")
    True
    """
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    try:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:  # pragma: no cover - absl ships with TensorFlow
        pass
    import tensorflow_quantum as tfq

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
