"""One round of each QKD protocol as a Cirq circuit, with an optional intercept-resend Eve.

These are the circuits the ``"cirq"`` backend of :mod:`qnetlab.qkd` runs, one photon at a
time, written with named gates so that a chapter can draw them:

- :func:`bb84_round_circuit` (Bennett & Brassard 1984): bases Z and X;
- :func:`six_state_round_circuit` (Bruß 1998): bases Z, X and Y;
- :func:`b92_round_circuit` (Bennett 1992): ``|0>`` for bit 0, ``|+>`` for bit 1;
- :func:`bbm92_round_circuit` (Bennett, Brassard & Mermin 1992): a Φ+ pair, each side
  measures its half in Z or X.

A basis is prepared from ``|bit>`` by ``H`` (X) or ``H`` then ``S`` (Y) and measured by the
inverse rotation followed by a Z measurement. Eve, when ``eve_basis`` is given, measures
the photon in her basis (key ``"eve"``) and resends the state she found. Bob's outcome
has key ``"bob"`` (and Alice's, for BBM92, ``"alice"``).

>>> print(bbm92_round_circuit("X", "X", eve_basis="Z"))
0: ───H───@───H──────────M('alice')──────────────
          │
1: ───────X───M('eve')───H────────────M('bob')───
"""

from __future__ import annotations

from typing import Any

from .._validation import check_choice, check_integer, check_probability

__all__ = [
    "b92_round_circuit",
    "bb84_round_circuit",
    "bbm92_round_circuit",
    "six_state_round_circuit",
]

_BASES = ("Z", "X", "Y")


def bb84_round_circuit(
    bit: int,
    alice_basis: str,
    bob_basis: str,
    *,
    depolarization: float = 0.0,
    eve_basis: str | None = None,
) -> Any:
    """The Cirq circuit of one BB84 round, as the ``"cirq"`` backend builds it.

    Alice prepares ``bit`` in basis ``"Z"`` or ``"X"``; Eve (if ``eve_basis`` is given)
    measures in her basis and resends; the channel applies ``cirq.depolarize``; Bob
    rotates to his basis and measures. Qubit 0 is the photon.

    Parameters
    ----------
    bit : int
        Alice's bit, 0 or 1.
    alice_basis, bob_basis : {"Z", "X"}
        Preparation and measurement bases.
    depolarization : float, optional
        Probability of ``cirq.depolarize`` in the channel.
    eve_basis : {"Z", "X"} or None, optional
        Eve's intercept-resend basis; None without Eve.

    Returns
    -------
    cirq.Circuit
        The round's circuit.

    Examples
    --------
    >>> c = bb84_round_circuit(1, "X", "X", eve_basis="Z")
    >>> sorted(c.all_measurement_key_names())
    ['bob', 'eve']
    """
    import cirq

    bit = check_integer(bit, "bit", minimum=0, maximum=1)
    for name, b in (("alice_basis", alice_basis), ("bob_basis", bob_basis)):
        check_choice(b, name, ("Z", "X"))
    if eve_basis is not None:
        check_choice(eve_basis, "eve_basis", ("Z", "X"))
    p = check_probability(depolarization, "depolarization")
    q = cirq.LineQubit(0)
    ops: list[Any] = []
    if bit:
        ops.append(cirq.X(q))
    if alice_basis == "X":
        ops.append(cirq.H(q))
    if eve_basis is not None:
        if eve_basis == "X":
            ops.append(cirq.H(q))
        ops.append(cirq.measure(q, key="eve"))
        if eve_basis == "X":
            ops.append(cirq.H(q))
    if p > 0:
        ops.append(cirq.depolarize(p).on(q))
    if bob_basis == "X":
        ops.append(cirq.H(q))
    ops.append(cirq.measure(q, key="bob"))
    return cirq.Circuit(ops)


def _prepare(q: Any, basis: str) -> list[Any]:
    """Rotate |v> into the basis-``basis`` eigenstate for value v."""
    import cirq

    return {"Z": [], "X": [cirq.H(q)], "Y": [cirq.H(q), cirq.S(q)]}[basis]


def _unprepare(q: Any, basis: str) -> list[Any]:
    """Rotate the basis-``basis`` eigenstates back onto |0>, |1> (before a Z measurement)."""
    import cirq

    return {"Z": [], "X": [cirq.H(q)], "Y": [cirq.S(q) ** -1, cirq.H(q)]}[basis]


def _intercept(q: Any, eve_basis: str | None) -> list[Any]:
    import cirq

    if eve_basis is None:
        return []
    return [*_unprepare(q, eve_basis), cirq.measure(q, key="eve"), *_prepare(q, eve_basis)]


def _noise(q: Any, depolarization: float) -> list[Any]:
    import cirq

    p = check_probability(depolarization, "depolarization")
    return [cirq.depolarize(p).on(q)] if p > 0 else []


def _check_basis(value: Any, name: str, bases: tuple[str, ...], optional: bool = False) -> None:
    if optional and value is None:
        return
    check_choice(value, name, bases)


def six_state_round_circuit(
    bit: int,
    alice_basis: str,
    bob_basis: str,
    *,
    depolarization: float = 0.0,
    eve_basis: str | None = None,
) -> Any:
    """The Cirq circuit of one six-state round (Bruß 1998).

    Alice prepares ``bit`` in basis ``"Z"``, ``"X"`` or ``"Y"``; Eve (if ``eve_basis``
    is given) measures in her basis and resends; the channel applies
    ``cirq.depolarize(depolarization)``; Bob rotates his basis onto Z and measures. The
    round is kept when the bases agree (a third of the rounds); then Bob's bit equals
    Alice's without noise and Eve, and an intercept-resend Eve in a random basis makes
    it wrong a third of the time.

    Parameters
    ----------
    bit : int
        Alice's bit, 0 or 1.
    alice_basis, bob_basis : str
        ``"Z"``, ``"X"`` or ``"Y"``.
    depolarization : float, optional
        Depolarising probability of the channel (Cirq convention), in [0, 1].
    eve_basis : str or None, optional
        Eve's measurement basis, or None for no eavesdropper.

    Returns
    -------
    cirq.Circuit
        The round on ``cirq.LineQubit(0)`` (the photon).

    Raises
    ------
    ValueError
        If a basis, the bit or the depolarization is out of range.

    Examples
    --------
    >>> print(six_state_round_circuit(1, "Y", "Y"))
    0: ───X───H───S───S^-1───H───M('bob')───
    """
    import cirq

    bit = check_integer(bit, "bit", minimum=0, maximum=1)
    _check_basis(alice_basis, "alice_basis", _BASES)
    _check_basis(bob_basis, "bob_basis", _BASES)
    _check_basis(eve_basis, "eve_basis", _BASES, optional=True)
    q = cirq.LineQubit(0)
    ops: list[Any] = [cirq.X(q)] if bit else []
    ops += _prepare(q, alice_basis)
    ops += _intercept(q, eve_basis)
    ops += _noise(q, depolarization)
    ops += [*_unprepare(q, bob_basis), cirq.measure(q, key="bob")]
    return cirq.Circuit(ops)


def b92_round_circuit(
    bit: int,
    bob_basis: str,
    *,
    depolarization: float = 0.0,
    eve_basis: str | None = None,
) -> Any:
    """The Cirq circuit of one B92 round (Bennett 1992).

    Alice sends ``|0>`` for bit 0 and ``|+>`` for bit 1 (two non-orthogonal states). Bob
    measures in ``"Z"`` or ``"X"``; outcome 1 is conclusive: ``|1>`` in Z rules out
    ``|0>`` (bit 1), ``|->`` in X rules out ``|+>`` (bit 0). Inconclusive rounds are
    discarded. Eve (``eve_basis``) measures in Z or X and resends what she found.

    Parameters
    ----------
    bit : int
        Alice's bit, 0 or 1.
    bob_basis : str
        ``"Z"`` or ``"X"``.
    depolarization : float, optional
        Depolarising probability of the channel (Cirq convention), in [0, 1].
    eve_basis : str or None, optional
        ``"Z"``, ``"X"`` or None for no eavesdropper.

    Returns
    -------
    cirq.Circuit
        The round on ``cirq.LineQubit(0)``; Bob's outcome under ``"bob"``.

    Raises
    ------
    ValueError
        If a basis, the bit or the depolarization is out of range.

    Examples
    --------
    >>> print(b92_round_circuit(1, "Z"))
    0: ───H───M('bob')───
    """
    import cirq

    bit = check_integer(bit, "bit", minimum=0, maximum=1)
    _check_basis(bob_basis, "bob_basis", ("Z", "X"))
    _check_basis(eve_basis, "eve_basis", ("Z", "X"), optional=True)
    q = cirq.LineQubit(0)
    ops: list[Any] = _prepare(q, "X" if bit else "Z")
    ops += _intercept(q, eve_basis)
    ops += _noise(q, depolarization)
    ops += [*_unprepare(q, bob_basis), cirq.measure(q, key="bob")]
    return cirq.Circuit(ops)


def bbm92_round_circuit(
    alice_basis: str,
    bob_basis: str,
    *,
    depolarization: float = 0.0,
    eve_basis: str | None = None,
) -> Any:
    """The Cirq circuit of one BBM92 round (Bennett, Brassard & Mermin 1992).

    A source prepares Φ+ = (|00> + |11>)/√2 with ``H`` and ``CNOT``; qubit 0 stays with
    Alice, qubit 1 travels to Bob through ``cirq.depolarize(depolarization)`` and, if
    ``eve_basis`` is given, past Eve, who measures it and resends. Each side measures in
    ``"Z"`` or ``"X"``; Φ+ gives equal outcomes whenever the bases agree.

    Parameters
    ----------
    alice_basis, bob_basis : str
        ``"Z"`` or ``"X"``.
    depolarization : float, optional
        Depolarising probability on Bob's photon (Cirq convention), in [0, 1].
    eve_basis : str or None, optional
        ``"Z"``, ``"X"`` or None for no eavesdropper.

    Returns
    -------
    cirq.Circuit
        The round on ``cirq.LineQubit(0)`` (Alice) and ``cirq.LineQubit(1)`` (Bob), with
        keys ``"alice"``, ``"bob"`` (and ``"eve"``).

    Raises
    ------
    ValueError
        If a basis or the depolarization is out of range.

    Examples
    --------
    >>> sorted(bbm92_round_circuit("Z", "Z").all_measurement_key_names())
    ['alice', 'bob']
    """
    import cirq

    _check_basis(alice_basis, "alice_basis", ("Z", "X"))
    _check_basis(bob_basis, "bob_basis", ("Z", "X"))
    _check_basis(eve_basis, "eve_basis", ("Z", "X"), optional=True)
    qa, qb = cirq.LineQubit.range(2)
    ops: list[Any] = [cirq.H(qa), cirq.CNOT(qa, qb)]
    ops += _intercept(qb, eve_basis)
    ops += _noise(qb, depolarization)
    ops += [*_unprepare(qb, bob_basis), cirq.measure(qb, key="bob")]
    ops += [*_unprepare(qa, alice_basis), cirq.measure(qa, key="alice")]
    return cirq.Circuit(ops)
