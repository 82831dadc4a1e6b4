OK_FORMAT = True

test = {   'name': 'q3',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _g = np.asarray(gradient(np.full((LAYERS, N_QUBITS), 0.3)))\n>>> assert _g.shape == (LAYERS, N_QUBITS)\n',
                                       'failure_message': 'gradient returns an array of shape (LAYERS, N_QUBITS)',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
