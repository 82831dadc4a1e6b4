"""Quantum neural networks, variational quantum algorithms and quantum generative models.

This is the only part of qnetlab that imports TensorFlow and TensorFlow Quantum. It sets
``TF_USE_LEGACY_KERAS=1`` before anything can import TensorFlow, so that ``tf.keras`` is
Keras 2 (``tf_keras``), which the TFQ layers need.

Submodules:

- :mod:`~qnetlab.qnn.bounds` — the Helstrom bound (NumPy only);
- :mod:`~qnetlab.qnn.datasets` — quantum datasets generated in Cirq (no TensorFlow);
- :mod:`~qnetlab.qnn.vqe` — VQE on spin chains against exact diagonalisation and Lanczos
  (Cirq + NumPy + SciPy);
- :mod:`~qnetlab.qnn.vqa` — QAOA on a network max-cut (Cirq + NumPy + SciPy);
- :mod:`~qnetlab.qnn.barren_plateaus` — gradient variance of random circuits (NumPy);
- :mod:`~qnetlab.qnn.chemistry` — H₂ on two qubits: VQE along the dissociation curve;
- :mod:`~qnetlab.qnn.qubo`, :mod:`~qnetlab.qnn.qaoa_ising`, :mod:`~qnetlab.qnn.qubo_apps` —
  QUBOs and Ising models, penalties, classical solvers, QAOA for any Ising Hamiltonian, and
  two case studies (robot task assignment, traffic signals) (NumPy + Cirq);
- :mod:`~qnetlab.qnn.generative` — Born machine and a small quantum GAN (NumPy + Cirq);
- :mod:`~qnetlab.qnn.models` — TFQ models: PQC classifiers, hybrid models, a QCNN.

Names are loaded on first use, so ``from qnetlab.qnn import helstrom_bound`` does not pay
for the TensorFlow import; only :mod:`~qnetlab.qnn.models` (and ``set_seed``) load it.

>>> from qnetlab.qnn import helstrom_bound
>>> round(helstrom_bound([1, 0], [0, 1]), 6)
1.0
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    # bounds
    "helstrom_bound": "bounds",
    "helstrom_measurement": "bounds",
    "trace_distance": "bounds",
    # datasets
    "QuantumDataset": "datasets",
    "bb84_dataset": "datasets",
    "channel_dataset": "datasets",
    "cluster_state_dataset": "datasets",
    "entanglement_dataset": "datasets",
    "two_state_dataset": "datasets",
    "train_test_split": "datasets",
    # vqa (QAOA, max-cut), vqe, barren_plateaus
    "BarrenPlateauResult": "barren_plateaus",
    "QAOAResult": "vqa",
    "VQEResult": "vqe",
    "barren_plateau_variance": "barren_plateaus",
    "brute_force_maxcut": "vqa",
    "exact_ground_energy": "vqe",
    "heisenberg_hamiltonian": "vqe",
    "maxcut_qubo": "vqa",
    "network_graph": "vqa",
    "qaoa_circuit": "vqa",
    "qaoa_depth_sweep": "vqa",
    "run_qaoa": "vqa",
    "run_vqe": "vqe",
    "tfim_hamiltonian": "vqe",
    "vqe_circuit": "vqe",
    # chemistry (H2 on two qubits, O'Malley et al. 2016)
    "CHEMICAL_ACCURACY_HA": "chemistry",
    "H2_OMALLEY_TABLE": "chemistry",
    "DissociationCurve": "chemistry",
    "h2_coefficients": "chemistry",
    "h2_dissociation_curve": "chemistry",
    "h2_hamiltonian": "chemistry",
    "shots_for_accuracy": "chemistry",
    # qubo, qaoa_ising, qubo_apps
    "IsingModel": "qubo",
    "QUBOSolution": "qubo",
    "anneal_qubo": "qubo",
    "at_most_one_penalty": "qubo",
    "brute_force_qubo": "qubo",
    "local_search_qubo": "qubo",
    "min_cut_qubo": "qubo",
    "one_hot_penalty": "qubo",
    "penalty_weight": "qubo",
    "qubo_energies": "qubo",
    "qubo_energy": "qubo",
    "qubo_to_ising": "qubo",
    "samples_to_target": "qubo",
    "IsingQAOAResult": "qaoa_ising",
    "ising_qaoa_circuit": "qaoa_ising",
    "qaoa_ising_depth_sweep": "qaoa_ising",
    "run_qaoa_ising": "qaoa_ising",
    "RobotAssignment": "qubo_apps",
    "TrafficSignals": "qubo_apps",
    "robot_assignment": "qubo_apps",
    "traffic_signals": "qubo_apps",
    # generative
    "BornMachineResult": "generative",
    "QGANResult": "generative",
    "born_machine_circuit": "generative",
    "empirical_distribution": "generative",
    "independent_distribution": "generative",
    "kl_divergence": "generative",
    "mmd": "generative",
    "qgan_circuits": "generative",
    "traffic_bitstrings": "generative",
    "train_born_machine": "generative",
    "train_qgan": "generative",
    # models (TensorFlow Quantum)
    "ChannelIDResult": "models",
    "DiscriminationResult": "models",
    "QCNNResult": "models",
    "circuit_tensor": "models",
    "hybrid_channel_classifier": "models",
    "pqc_classifier": "models",
    "qcnn_circuit": "models",
    "qcnn_model": "models",
    "train_channel_classifier": "models",
    "train_qcnn": "models",
    "train_state_discriminator": "models",
    # TensorFlow set-up
    "set_seed": "_tf",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
