OK_FORMAT = True

test = {   'name': 'q1',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _c = teleport_circuit(0.3, 0.2)\n'
                                               ">>> assert isinstance(_c, cirq.Circuit), 'return a cirq.Circuit'\n"
                                               ">>> assert sorted(_c.all_qubits()) == cirq.LineQubit.range(3), 'use LineQubit 0, 1, 2'\n"
                                               ">>> assert not _c.has_measurements(), 'no measurement: defer it'\n",
                                       'failure_message': 'the circuit must be a cirq.Circuit on LineQubit 0, 1, 2 without measurements',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
