"""Textbook circuits of the small codes and of one surface-code round, gate by gate.

:func:`encoder_circuit` builds the encoders as they are drawn in textbooks (Nielsen &
Chuang ch. 10, Gottesman 1997): the three-qubit repetition code with its two CNOTs, Shor's
[[9,1,3]] code as a phase-flip code of bit-flip blocks, Steane's [[7,1,3]] code and the
five-qubit [[5,1,3]] code from the standard form of their stabilizers (one pivot qubit per
stabilizer: Hadamard, then the stabilizer controlled by the pivot). The input state sits on
qubit 0 and the other qubits start in ``|0>``. :func:`syndrome_circuit` measures every
stabilizer with one ancilla (CNOTs into the ancilla for all-``Z`` checks, Hadamard -
controlled Paulis - Hadamard otherwise); :func:`syndrome_table` runs encoder, one Pauli
error and syndrome extraction on Cirq's simulator for every single-qubit error.
:func:`surface_code_round` is one round of stabilizer measurements of the rotated surface
code of distance ``d`` with the hook-avoiding CNOT order (Tomita & Svore 2014).

The codes and their stabilizers are those of :mod:`qnetlab.qec.small_codes`
(``"repetition"`` is the three-qubit bit-flip code, ``"bit_flip"``).

>>> print(encoder_circuit("repetition"))
0: ───@───@───
      │   │
1: ───X───┼───
          │
2: ───────X───
"""

from __future__ import annotations

import itertools
from typing import Any

from .._validation import check_choice, check_integer
from ..plotting import drawable_circuit
from .small_codes import SMALL_CODES, SmallCode, small_code

__all__ = [
    "TEXTBOOK_CODES",
    "encoder_circuit",
    "surface_code_round",
    "surface_code_stabilizers",
    "syndrome_circuit",
    "syndrome_table",
]

#: Codes with a textbook encoder (``"repetition"`` is an alias of ``"bit_flip"``).
TEXTBOOK_CODES: tuple[str, ...] = ("repetition", *SMALL_CODES)

# Standard form (Gottesman 1997, sec. 4.1) of the codes that are not drawn by hand: the
# logical X as a signed Pauli string with X on the input qubit 0 and only I/Z on the
# pivots, and one generator per pivot with X or Y on its pivot and only I/Z on the other
# pivots. The products were taken from the generators of ``small_codes`` (checked in the
# tests against the stabilizers).
_STANDARD_FORM: dict[str, tuple[str, tuple[tuple[int, str], ...]]] = {
    # Steane: logical X = XXXXXXX * (three X checks) has support {0, 1, 2}.
    "steane": (
        "+XXXIIII",
        ((4, "+XIXIXIX"), (5, "+IXXIIXX"), (3, "+XXIXIIX")),
    ),
    # five-qubit: cyclic shift by one of the standard form of XZZXI, IXZZX, XIXZZ, ZXIXZ.
    "five_qubit": (
        "-XZIIZ",
        ((1, "+YYZIZ"), (2, "+XIXZZ"), (3, "+XZZXI"), (4, "+YZIZY")),
    ),
}


def _resolve(code: str) -> SmallCode:
    check_choice(code, "code", TEXTBOOK_CODES)
    return small_code("bit_flip" if code == "repetition" else code)


def _controlled(letter: str, control: Any, target: Any) -> Any:
    import cirq

    return {"X": cirq.CNOT, "Y": cirq.Y.controlled(1), "Z": cirq.CZ}[letter](control, target)


def _standard_form_encoder(name: str, qubits: list[Any]) -> list[Any]:
    """Gates of the standard-form encoder: copy X_L from qubit 0, then one pivot per check."""
    import cirq

    logical, pivots = _STANDARD_FORM[name]
    pivot_set = {p for p, _ in pivots}
    ops: list[Any] = []
    if logical[0] == "-":  # X_in must map to +X_L: flip the sign of the |1> branch
        ops.append(cirq.Z(qubits[0]))
    for q, c in enumerate(logical[1:]):
        # Z on a pivot still in |0> acts trivially and is left out.
        if q != 0 and c != "I" and not (c == "Z" and q in pivot_set):
            ops.append(_controlled(c, qubits[0], qubits[q]))
    done: set[int] = set()
    for pivot, gen in pivots:
        sign, letters = gen[0], gen[1:]
        ops.append(cirq.H(qubits[pivot]))
        if letters[pivot] == "Y":  # (1 + Y..)|0> = |0> + i|1>..
            ops.append(cirq.S(qubits[pivot]) if sign == "+" else cirq.S(qubits[pivot]) ** -1)
        elif sign == "-":
            ops.append(cirq.Z(qubits[pivot]))
        for q, c in enumerate(letters):
            skip = q == pivot or c == "I" or (c == "Z" and q in pivot_set and q not in done)
            if not skip:
                ops.append(_controlled(c, qubits[pivot], qubits[q]))
        done.add(pivot)
    return ops


def encoder_circuit(code: str) -> Any:
    """The textbook encoder of a small code as a Cirq circuit on ``cirq.LineQubit(0..n-1)``.

    The state to protect sits on qubit 0, the other ``n - 1`` qubits start in ``|0>``; the
    circuit maps ``|0>`` to ``|0_L>`` and ``|1>`` to ``|1_L>`` (the +1 and -1 eigenstates
    of the code's logical ``Z``, stabilized by every generator).

    - ``"repetition"`` / ``"bit_flip"``: CNOT(0, 1), CNOT(0, 2);
    - ``"phase_flip"``: the same, then a Hadamard on each qubit;
    - ``"shor"``: CNOTs to qubits 3 and 6, Hadamards, then a repetition code per block;
    - ``"steane"`` and ``"five_qubit"``: the standard-form encoder (Gottesman 1997): the
      logical ``X`` copied from qubit 0, then for each stabilizer a Hadamard (and ``S``
      for a ``Y`` pivot) on its pivot qubit and the rest of the stabilizer controlled by it.

    Parameters
    ----------
    code : str
        One of :data:`TEXTBOOK_CODES`.

    Returns
    -------
    cirq.Circuit
        The encoder on ``n`` line qubits.

    Raises
    ------
    ValueError
        If ``code`` is not a known code.

    Examples
    --------
    >>> c = encoder_circuit("steane")
    >>> len(c.all_qubits()), sum(1 for op in c.all_operations() if len(op.qubits) == 2)
    (7, 11)
    """
    import cirq

    sc = _resolve(code)
    q = cirq.LineQubit.range(sc.n)
    ops: list[Any]
    if sc.name == "bit_flip":
        ops = [cirq.CNOT(q[0], q[1]), cirq.CNOT(q[0], q[2])]
    elif sc.name == "phase_flip":
        ops = [cirq.CNOT(q[0], q[1]), cirq.CNOT(q[0], q[2]), cirq.H.on_each(*q)]
    elif sc.name == "shor":
        ops = [cirq.CNOT(q[0], q[3]), cirq.CNOT(q[0], q[6]), cirq.H.on_each(q[0], q[3], q[6])]
        for b in (0, 3, 6):
            ops += [cirq.CNOT(q[b], q[b + 1]), cirq.CNOT(q[b], q[b + 2])]
    else:
        ops = _standard_form_encoder(sc.name, q)
    return drawable_circuit(ops)


def syndrome_circuit(code: str, *, measure: bool = True) -> Any:
    """Syndrome extraction of a small code: one ancilla per stabilizer generator.

    Data qubits are ``cirq.LineQubit(0..n-1)``, ancilla ``k`` is ``cirq.LineQubit(n + k)``
    and measures stabilizer ``k`` of :func:`~qnetlab.qec.small_code`. An all-``Z`` check
    is read by CNOTs from its data qubits into the ancilla (the parity lands on the
    ancilla); any other check by Hadamard, the Paulis controlled by the ancilla, Hadamard.
    With ``measure=True`` the ancillas are measured together under the key
    ``"syndrome"`` (bit ``k`` = stabilizer ``k`` anticommutes with the error).

    Parameters
    ----------
    code : str
        One of :data:`TEXTBOOK_CODES`.
    measure : bool, optional
        Append the measurement of the ancillas (default True).

    Returns
    -------
    cirq.Circuit
        The syndrome-extraction circuit on ``n + m`` line qubits.

    Raises
    ------
    ValueError
        If ``code`` is not a known code.

    Examples
    --------
    >>> print(syndrome_circuit("repetition", measure=False))
    0: ───@───────────────
          │
    1: ───┼───@───@───────
          │   │   │
    2: ───┼───┼───┼───@───
          │   │   │   │
    3: ───X───X───┼───┼───
                  │   │
    4: ───────────X───X───
    """
    import cirq

    sc = _resolve(code)
    data = cirq.LineQubit.range(sc.n)
    anc = [cirq.LineQubit(sc.n + k) for k in range(len(sc.stabilizers))]
    ops: list[Any] = []
    for a, stab in zip(anc, sc.stabilizers):
        support = [(q, c) for q, c in enumerate(stab) if c != "I"]
        if all(c == "Z" for _, c in support):
            ops += [cirq.CNOT(data[q], a) for q, _ in support]
        else:
            ops.append(cirq.H(a))
            ops += [_controlled(c, a, data[q]) for q, c in support]
            ops.append(cirq.H(a))
    circuit = drawable_circuit(ops)
    if measure:
        circuit.append(cirq.Moment(cirq.measure(*anc, key="syndrome")))
    return circuit


def syndrome_table(code: str) -> dict[str, tuple[int, ...]]:
    """Syndromes of every single-qubit Pauli error, simulated in Cirq.

    For each error ``P`` on qubit ``j`` (``"X0"``, ``"Z3"``, ...) the circuit encoder -
    error - :func:`syndrome_circuit` runs once on ``cirq.Simulator`` with the input
    ``|0>``; the syndrome of a Pauli error on a code state is deterministic. The key
    ``"none"`` holds the syndrome without error (all zeros).

    Parameters
    ----------
    code : str
        One of :data:`TEXTBOOK_CODES`.

    Returns
    -------
    dict of str to tuple of int
        Error label to syndrome bits (one per stabilizer generator, in order).

    Raises
    ------
    ValueError
        If ``code`` is not a known code.

    Examples
    --------
    >>> table = syndrome_table("repetition")
    >>> table["none"], table["X0"], table["X1"], table["X2"], table["Z1"]
    ((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))
    """
    import cirq

    sc = _resolve(code)
    data = cirq.LineQubit.range(sc.n)
    enc, syn = encoder_circuit(code), syndrome_circuit(code)
    gates = {"X": cirq.X, "Y": cirq.Y, "Z": cirq.Z}
    sim = cirq.Simulator(seed=0)
    table: dict[str, tuple[int, ...]] = {}
    for label, err in [("none", None)] + [
        (f"{p}{j}", gates[p](data[j])) for j, p in itertools.product(range(sc.n), "XYZ")
    ]:
        circuit = enc + cirq.Circuit([err] if err is not None else []) + syn
        bits = sim.run(circuit, repetitions=1).measurements["syndrome"][0]
        table[label] = tuple(int(b) for b in bits)
    return table


def surface_code_stabilizers(
    d: int = 3,
) -> list[tuple[str, tuple[int, int], list[tuple[int, int]]]]:
    """The checks of the rotated surface code of distance ``d``, in CNOT order.

    Data qubits sit at odd coordinates ``(r, c)``, ``r, c`` in ``1, 3, ..., 2d - 1``;
    measure qubits at even coordinates, ``X`` and ``Z`` checks on a checkerboard, with the
    weight-2 ``X`` checks on the top and bottom edges and the weight-2 ``Z`` checks on the
    left and right edges: ``d**2 - 1`` checks in all. Each check lists its data qubits in
    the hook-avoiding order (``X``: NW, NE, SW, SE; ``Z``: NW, SW, NE, SE).

    Parameters
    ----------
    d : int, optional
        Odd code distance, at least 3 (default 3).

    Returns
    -------
    list of (str, (int, int), list of (int, int))
        ``(basis, ancilla position, data positions)`` for each check (``X`` checks first).

    Raises
    ------
    ValueError
        If ``d`` is not an odd integer of at least 3.

    Examples
    --------
    >>> checks = surface_code_stabilizers(3)
    >>> len(checks), sorted({len(data) for _, _, data in checks})
    (8, [2, 4])
    """
    d = check_integer(d, "d", minimum=3)
    if d % 2 == 0:
        raise ValueError(f"d must be an odd integer >= 3, got {d}")
    top = 2 * d
    data = {(r, c) for r in range(1, top, 2) for c in range(1, top, 2)}
    orders = {
        "X": ((-1, -1), (-1, 1), (1, -1), (1, 1)),
        "Z": ((-1, -1), (1, -1), (-1, 1), (1, 1)),
    }
    checks = []
    for r, c in itertools.product(range(0, top + 1, 2), repeat=2):
        basis = "X" if (r + c) // 2 % 2 == 0 else "Z"
        interior = 0 < r < top and 0 < c < top
        on_xedge = r in (0, top) and 0 < c < top and basis == "X"
        on_zedge = c in (0, top) and 0 < r < top and basis == "Z"
        if interior or on_xedge or on_zedge:
            support = [(r + dr, c + dc) for dr, dc in orders[basis] if (r + dr, c + dc) in data]
            checks.append((basis, (r, c), support))
    checks.sort(key=lambda t: (t[0] != "X", t[1]))
    return checks


def surface_code_round(d: int = 3, *, round_index: int = 0, parallel: bool = True) -> Any:
    """One round of stabilizer measurements of the rotated surface code, in Cirq.

    Qubits are ``cirq.GridQubit(r, c)`` at the positions of
    :func:`surface_code_stabilizers`. The round resets the measure qubits, applies a
    Hadamard to the ``X`` ones, four layers of CNOTs (``X`` checks control their data
    qubits, data qubits control ``Z`` checks; each layer touches each qubit once),
    Hadamards again, and measures the ``X`` checks under ``"x{round_index}"`` and the
    ``Z`` checks under ``"z{round_index}"`` (bits in the order of the checks).

    Parameters
    ----------
    d : int, optional
        Odd code distance, at least 3 (default 3: 9 data and 8 measure qubits).
    round_index : int, optional
        Suffix of the measurement keys, so that rounds can be concatenated (default 0).
    parallel : bool, optional
        One moment per CNOT layer, as hardware runs it (default). With ``False`` the same
        gates, in the same order, are spread so that no two gates of a moment overlap in
        the text drawing (easier to read, same action).

    Returns
    -------
    cirq.Circuit
        The round: ``reset``, ``H``, four CNOT layers, ``H``, measure (with
        ``parallel=True`` one moment each).

    Raises
    ------
    ValueError
        If ``d`` is not an odd integer of at least 3 or ``round_index`` is negative.

    Examples
    --------
    >>> c = surface_code_round(3)
    >>> len(c), len(c.all_qubits()), sorted(c.all_measurement_key_names())
    (8, 17, ['x0', 'z0'])
    """
    import cirq

    k = check_integer(round_index, "round_index", minimum=0)
    checks = surface_code_stabilizers(d)
    anc = {pos: cirq.GridQubit(*pos) for _, pos, _ in checks}
    x_anc = [anc[pos] for b, pos, _ in checks if b == "X"]
    z_anc = [anc[pos] for b, pos, _ in checks if b == "Z"]
    offsets = {
        "X": ((-1, -1), (-1, 1), (1, -1), (1, 1)),
        "Z": ((-1, -1), (1, -1), (-1, 1), (1, 1)),
    }
    layers = []
    for step in range(4):
        ops = []
        for basis, (r, c), support in checks:
            dr, dc = offsets[basis][step]
            target = (r + dr, c + dc)
            if target in support:
                dq = cirq.GridQubit(*target)
                a = anc[(r, c)]
                ops.append(cirq.CNOT(a, dq) if basis == "X" else cirq.CNOT(dq, a))
        layers.append(cirq.Moment(ops))
    moments = [
        cirq.Moment(cirq.reset(a) for a in anc.values()),
        cirq.Moment(cirq.H.on_each(*x_anc)),
        *layers,
        cirq.Moment(cirq.H.on_each(*x_anc)),
        cirq.Moment(cirq.measure(*x_anc, key=f"x{k}"), cirq.measure(*z_anc, key=f"z{k}")),
    ]
    if parallel:
        return cirq.Circuit(moments)
    head = drawable_circuit([*moments[0], *moments[1]])
    body = drawable_circuit([op for m in moments[2:-1] for op in m])
    return head + body + cirq.Circuit(cirq.Moment([op]) for op in moments[-1])
