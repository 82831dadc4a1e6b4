"""AI methods for quantum networks: optimisers (GA, SA, PSO, exhaustive search),
reinforcement learning (tabular Q-learning, a NumPy deep Q-network), bandits, anomaly
detection on QKD telemetry, QKD tuning (decoy parameters, sample fraction) and protocol
selection, features for learning from measurement records, and fault diagnosis and
forecasting for repeater networks.

>>> import numpy as np
>>> from qnetlab import ai
>>> res = ai.particle_swarm(lambda x: float(np.sum(x**2)), [(-1, 1), (-1, 1)], seed=0)
>>> res.fun < 1e-6
True
"""

from __future__ import annotations

from .anomaly import (
    DETECTOR_FEATURES,
    CUSUMDetector,
    Detector,
    IsolationForestDetector,
    QBERThreshold,
    SupervisedDetector,
    window_features,
)
from .anomaly_evaluation import (
    DetectionStudy,
    DetectorEvaluation,
    detection_at_false_alarm,
    detection_delay,
    detection_study,
    evaluate_detector,
)
from .bandits import (
    BANDITS,
    UCB1,
    Bandit,
    BanditResult,
    EpsilonGreedy,
    ThompsonSampling,
    make_bandit,
    run_bandit,
)
from .faults import (
    FAULT_KINDS,
    LINK_FAULTS,
    NODE_FAULTS,
    ChainModel,
    Fault,
    NetworkTelemetry,
    expected_features,
    fault_dataset,
    network_telemetry,
)
from .faults_diagnosis import (
    DIAGNOSER_METHODS,
    DiagnosisReport,
    PhysicsDiagnoser,
    evaluate_diagnosis,
    train_diagnoser,
)
from .faults_forecast import ForecastResult, forecast_alarms, reactive_alarms
from .learning import min_partial_transpose_eigenvalue, pauli_frequency_features
from .optimizers import (
    OptimizeResult,
    box_neighbour,
    exhaustive_search,
    genetic_algorithm,
    particle_swarm,
    simulated_annealing,
)
from .qkd_selector import (
    PROTOCOLS,
    ProtocolSelector,
    SelectorScore,
    protocol_key_rates,
    sample_link_conditions,
    train_protocol_selector,
)
from .qkd_tuning import (
    DecoyTuning,
    SampleFractionTuning,
    grid_decoy_parameters,
    optimize_decoy_parameters,
    optimize_sample_fraction,
    tuning_curve,
)
from .rl import (
    MLP,
    DQNAgent,
    QLearningAgent,
    ReplayBuffer,
    TrainingHistory,
    evaluate_policy,
    train_dqn,
    train_q_learning,
)

__all__ = [
    "BANDITS",
    "DETECTOR_FEATURES",
    "DIAGNOSER_METHODS",
    "FAULT_KINDS",
    "LINK_FAULTS",
    "MLP",
    "NODE_FAULTS",
    "PROTOCOLS",
    "UCB1",
    "Bandit",
    "BanditResult",
    "CUSUMDetector",
    "ChainModel",
    "DQNAgent",
    "DecoyTuning",
    "DetectionStudy",
    "Detector",
    "DetectorEvaluation",
    "DiagnosisReport",
    "EpsilonGreedy",
    "Fault",
    "ForecastResult",
    "IsolationForestDetector",
    "NetworkTelemetry",
    "OptimizeResult",
    "PhysicsDiagnoser",
    "ProtocolSelector",
    "QBERThreshold",
    "QLearningAgent",
    "ReplayBuffer",
    "SampleFractionTuning",
    "SelectorScore",
    "SupervisedDetector",
    "ThompsonSampling",
    "TrainingHistory",
    "box_neighbour",
    "detection_at_false_alarm",
    "detection_delay",
    "detection_study",
    "evaluate_detector",
    "evaluate_diagnosis",
    "evaluate_policy",
    "exhaustive_search",
    "expected_features",
    "fault_dataset",
    "forecast_alarms",
    "genetic_algorithm",
    "grid_decoy_parameters",
    "make_bandit",
    "min_partial_transpose_eigenvalue",
    "network_telemetry",
    "optimize_decoy_parameters",
    "optimize_sample_fraction",
    "particle_swarm",
    "pauli_frequency_features",
    "protocol_key_rates",
    "reactive_alarms",
    "run_bandit",
    "sample_link_conditions",
    "simulated_annealing",
    "train_diagnoser",
    "train_dqn",
    "train_protocol_selector",
    "train_q_learning",
    "tuning_curve",
    "window_features",
]
