"""Benchmark: qnetlab.qnn's NumPy state-vector fast path against Cirq's simulator.

Times the inner loop of the variational algorithms of chapter II.A.4 — the expected cut of a
depth-4 QAOA state on an 8-node network graph, and the energy of a 6-qubit VQE ansatz — for
the same random angles on both paths, and checks that they agree. The last line printed is
one JSON object.

    python benchmarks/qnn_fastpath.py
"""

from __future__ import annotations

import json
import time

import cirq
import numpy as np

from qnetlab.qnn import vqa, vqe
from qnetlab.qnn._sim import simulate

N_EVAL = 100


def main() -> None:
    rng = np.random.default_rng(2026)
    graph = vqa.network_graph(8, seed=2026)
    n, edges = vqa._edges(graph)
    cut = vqa._cut_values(n, edges)
    q8 = cirq.GridQubit.rect(1, 8)
    angles = rng.uniform(0, 1, (N_EVAL, 8))
    sim = cirq.Simulator(dtype=np.complex128)

    t = time.perf_counter()
    fast = [np.abs(vqa._qaoa_state(cut, n, a[:4], a[4:])) ** 2 @ cut for a in angles]
    t_np_qaoa = time.perf_counter() - t
    t = time.perf_counter()
    ref = []
    for a in angles:
        psi = sim.simulate(vqa.qaoa_circuit(graph, a[:4], a[4:]), qubit_order=q8).final_state_vector
        ref.append(np.abs(psi) ** 2 @ cut)
    t_cirq_qaoa = time.perf_counter() - t
    diff_qaoa = float(np.max(np.abs(np.array(fast) - np.array(ref))))

    ham = vqe.tfim_hamiltonian(6)
    q6 = cirq.GridQubit.rect(1, 6)
    m = vqe._matrix(ham)[0]  # the sparse matrix the VQE loop uses
    ops = vqe._hea_ops(6, 4)
    thetas = rng.uniform(0, 2 * np.pi, (N_EVAL, 30))
    t = time.perf_counter()
    fast_e = [np.real(np.vdot(s := simulate(ops, th, 6), m @ s)) for th in thetas]
    t_np_vqe = time.perf_counter() - t
    t = time.perf_counter()
    ref_e = []
    for th in thetas:
        psi = sim.simulate(vqe.vqe_circuit(6, 4, th), qubit_order=q6).final_state_vector
        ref_e.append(np.real(np.vdot(psi, m @ psi)))
    t_cirq_vqe = time.perf_counter() - t
    diff_vqe = float(np.max(np.abs(np.array(fast_e) - np.array(ref_e))))

    print(
        f"QAOA p=4, 8 qubits, {N_EVAL} evaluations: numpy {t_np_qaoa:.3f} s, cirq {t_cirq_qaoa:.3f} s"
    )
    print(
        f"VQE 6 qubits 4 layers, {N_EVAL} evaluations: numpy {t_np_vqe:.3f} s, cirq {t_cirq_vqe:.3f} s"
    )
    print(
        json.dumps(
            {
                "n_evaluations": N_EVAL,
                "qaoa_numpy_s": round(t_np_qaoa, 4),
                "qaoa_cirq_s": round(t_cirq_qaoa, 4),
                "qaoa_speedup": round(t_cirq_qaoa / t_np_qaoa, 1),
                "qaoa_max_abs_diff": diff_qaoa,
                "vqe_numpy_s": round(t_np_vqe, 4),
                "vqe_cirq_s": round(t_cirq_vqe, 4),
                "vqe_speedup": round(t_cirq_vqe / t_np_vqe, 1),
                "vqe_max_abs_diff": diff_vqe,
            }
        )
    )


if __name__ == "__main__":
    main()
