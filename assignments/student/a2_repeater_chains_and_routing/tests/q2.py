OK_FORMAT = True

test = {   'name': 'q2',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _s = np.asarray(waiting_time_samples(3, 0.2, 50, np.random.default_rng(SEED)))\n'
                                               '>>> assert _s.shape == (50,) and np.all(_s >= 1) and np.all(_s == np.round(_s))\n'
                                               '>>> assert isinstance(waiting_time_mean(1, 0.25), float)\n',
                                       'failure_message': 'samples: an array of n_samples whole numbers of slots, each at least 1; mean: a float',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
