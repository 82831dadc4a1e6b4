OK_FORMAT = True

test = {   'name': 'q3',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _a, _b = held_out_failures(200, 300, np.random.default_rng(SEED))\n'
                                               '>>> assert np.asarray(_a).shape == (300,) and np.asarray(_b).shape == (300,)\n'
                                               '>>> assert np.asarray(_a).dtype == bool and np.asarray(_b).dtype == bool\n',
                                       'failure_message': 'return two boolean arrays of length n_test',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
