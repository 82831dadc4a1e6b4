"""The quantum network layer: topologies, the repeater-chain model, entanglement routing,
link dynamics, request traffic, resource allocation, repeater placement and gymnasium environments.

>>> from qnetlab import network
>>> g = network.metro_ring(6, seed=1)
>>> g.number_of_nodes()
6
"""

from __future__ import annotations

from .allocation import (
    AllocationEnv,
    AllocationPolicy,
    BanditPolicy,
    EarliestDeadlinePolicy,
    GreedyPolicy,
    ModelBasedPolicy,
    ShortestFirstPolicy,
    StaticPolicy,
    allocation_scenario,
    compare_policies,
    make_policy,
)
from .arrivals import Traffic, bursty_traffic, mmpp_mean_rate, poisson_traffic
from .chain_model import (
    chain_metrics,
    chain_metrics_batch,
    expected_max_waiting_time,
    path_fidelity,
)
from .design import DESIGN_METHODS, DesignSolution, allocation_from_weights, compositions
from .dynamics import (
    CONTROLLER_POLICIES,
    ControllerResult,
    LinkDynamics,
    LinkTrajectory,
    run_controller,
)
from .envs import (
    HOP_FEATURE_NAMES,
    N_HOP_FEATURES,
    N_PATH_FEATURES,
    PATH_FEATURE_NAMES,
    RoutingEnv,
    candidate_paths,
    default_network_factory,
    path_features,
)
from .links import (
    DEFAULT_COHERENCE_TIME_S,
    annotate_links,
    check_graph,
    elementary_link_fidelity,
    elementary_link_rate,
    segment_long_links,
    validate_topology,
)
from .paths import COSTS, PathMetrics, link_cost, path_metrics
from .placement import RepeaterPlacement, repeater_placement_instance, solve_placement
from .qubit_allocation import QubitAllocation, qubit_allocation_instance, solve_allocation
from .routing import (
    MultipathResult,
    check_endpoints,
    fidelity_constrained_path,
    infeasibility_report,
    k_shortest_paths,
    multipath_routes,
    optimal_path,
    shortest_path,
)
from .topologies import (
    connected_geometric_graph,
    grid_network,
    metro_mesh,
    metro_ring,
    waxman_network,
)
from .traffic import NetworkSimulator, QueueView, SimulationResult, link_success_per_slot

__all__ = [
    "CONTROLLER_POLICIES",
    "COSTS",
    "DEFAULT_COHERENCE_TIME_S",
    "DESIGN_METHODS",
    "HOP_FEATURE_NAMES",
    "N_HOP_FEATURES",
    "N_PATH_FEATURES",
    "PATH_FEATURE_NAMES",
    "AllocationEnv",
    "AllocationPolicy",
    "BanditPolicy",
    "ControllerResult",
    "DesignSolution",
    "EarliestDeadlinePolicy",
    "GreedyPolicy",
    "LinkDynamics",
    "LinkTrajectory",
    "ModelBasedPolicy",
    "MultipathResult",
    "NetworkSimulator",
    "PathMetrics",
    "QubitAllocation",
    "QueueView",
    "RepeaterPlacement",
    "RoutingEnv",
    "ShortestFirstPolicy",
    "SimulationResult",
    "StaticPolicy",
    "Traffic",
    "allocation_from_weights",
    "allocation_scenario",
    "annotate_links",
    "bursty_traffic",
    "candidate_paths",
    "chain_metrics",
    "chain_metrics_batch",
    "check_endpoints",
    "check_graph",
    "compare_policies",
    "compositions",
    "connected_geometric_graph",
    "default_network_factory",
    "elementary_link_fidelity",
    "elementary_link_rate",
    "expected_max_waiting_time",
    "fidelity_constrained_path",
    "grid_network",
    "infeasibility_report",
    "k_shortest_paths",
    "link_cost",
    "link_success_per_slot",
    "make_policy",
    "metro_mesh",
    "metro_ring",
    "mmpp_mean_rate",
    "multipath_routes",
    "optimal_path",
    "path_features",
    "path_fidelity",
    "path_metrics",
    "poisson_traffic",
    "qubit_allocation_instance",
    "repeater_placement_instance",
    "run_controller",
    "segment_long_links",
    "shortest_path",
    "solve_allocation",
    "solve_placement",
    "validate_topology",
    "waxman_network",
]
