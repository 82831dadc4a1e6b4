"""Quantum state tomography: Pauli measurements in Cirq, linear inversion, maximum
likelihood, and a learned (neural-network) estimator.

A network checks the pairs it delivers by measuring copies of them in the Pauli bases and
reconstructing the density matrix. The subpackage has three modules, and every name is
importable from ``qnetlab.tomography`` itself:

- :mod:`~qnetlab.tomography.measurement`: the Pauli strings, the measurement circuits
  (:func:`measurement_circuit`), the simulated experiment (:func:`measure_pauli`, Cirq or
  NumPy) and its counts (:class:`TomographyData`), and the estimated Pauli expectations
  (:func:`pauli_expectations`).
- :mod:`~qnetlab.tomography.estimators`: the estimators with no learning.
  :func:`linear_inversion`: Pauli expectation values from frequencies, ρ = Σ ⟨P⟩ P / 2ⁿ
  (James et al. 2001). Unbiased, but can be unphysical at low counts;
  :func:`project_to_density_matrix` (Smolin, Gambetta, Smith 2012) repairs it.
  :func:`maximum_likelihood`: the iterative RρR algorithm (Hradil 1997), with dilution so it
  always converges; always physical. :func:`bell_diagonal_estimate`: the prior of a
  network's links built in: a Bell-diagonal state from the ⟨XX⟩, ⟨YY⟩, ⟨ZZ⟩ correlations.
- :mod:`~qnetlab.tomography.learned`: :class:`NeuralTomography`, a multilayer perceptron
  trained on simulated measurement records of a family of states (:func:`random_states`,
  for example noisy Bell pairs from network links) that maps frequencies to Pauli
  expectations. It learns the family's prior, which is what makes it beat the two above at
  low shot counts on that family, and what can mislead it elsewhere.

Conventions: measuring in basis X rotates with H, in Y with S†H, so outcome bit 0 is the
+1 eigenvalue; qubit 0 is the most significant bit (Cirq order).

>>> from qnetlab.states import werner_state, fidelity
>>> data = measure_pauli(werner_state(0.9), 2000, seed=1)
>>> data.settings[:3]
('XX', 'XY', 'XZ')
>>> fidelity(maximum_likelihood(data), werner_state(0.9)) > 0.98
True
"""

from __future__ import annotations

from .estimators import (
    bell_diagonal_estimate,
    linear_inversion,
    maximum_likelihood,
    project_to_density_matrix,
    state_from_pauli_expectations,
)
from .learned import NeuralTomography, random_states
from .measurement import (
    TomographyData,
    measure_pauli,
    measurement_circuit,
    pauli_expectations,
    pauli_labels,
)

# The two outcome-probability paths (Cirq and NumPy) that chapter II.B.5 and the tests
# compare directly; they lived here before the module became a subpackage.
from .measurement import _cirq_outcome_probabilities as _cirq_outcome_probabilities
from .measurement import _outcome_probabilities as _outcome_probabilities

__all__ = [
    "NeuralTomography",
    "TomographyData",
    "bell_diagonal_estimate",
    "linear_inversion",
    "maximum_likelihood",
    "measure_pauli",
    "measurement_circuit",
    "pauli_expectations",
    "pauli_labels",
    "project_to_density_matrix",
    "random_states",
    "state_from_pauli_expectations",
]
