OK_FORMAT = True

test = {   'name': 'q1',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _c = ansatz(np.zeros((LAYERS, N_QUBITS)))\n'
                                               '>>> assert isinstance(_c, cirq.Circuit) and sorted(_c.all_qubits()) == QUBITS\n'
                                               '>>> assert not _c.has_measurements()\n',
                                       'failure_message': 'return a cirq.Circuit on the four QUBITS without measurements',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
