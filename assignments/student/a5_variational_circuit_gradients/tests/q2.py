OK_FORMAT = True

test = {   'name': 'q2',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _e = energy(np.zeros((LAYERS, N_QUBITS)))\n>>> assert isinstance(_e, float) and -3 - 1e-06 <= _e <= 3 + 1e-06\n',
                                       'failure_message': 'energy returns a float between -3 and 3',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
