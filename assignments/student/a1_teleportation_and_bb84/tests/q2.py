OK_FORMAT = True

test = {   'name': 'q2',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _f = np.asarray(six_state_fidelities())\n>>> assert _f.shape == (6,) and np.all((_f > -1e-09) & (_f < 1 + 1e-09))\n',
                                       'failure_message': 'return an array of six fidelities between 0 and 1',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
