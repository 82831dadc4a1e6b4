"""qnetlab.qnn without TensorFlow Quantum: a clear error that names the install."""

from __future__ import annotations

import pytest


def test_missing_tensorflow_quantum_says_how_to_install(monkeypatch):
    """Without TFQ the error names the extra to install, not a bare ModuleNotFoundError."""
    import builtins

    from qnetlab.qnn import _tf

    real_import = builtins.__import__

    def no_tfq(name, *args, **kwargs):
        if name == "tensorflow_quantum":
            raise ModuleNotFoundError("No module named 'tensorflow_quantum'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tfq)
    with pytest.raises(ImportError, match=r'pip install "qnetlab\[qnn\]"'):
        _tf.load()
