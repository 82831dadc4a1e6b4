OK_FORMAT = True

test = {   'name': 'q1',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _e = sample_errors(10, np.random.default_rng(SEED))\n'
                                               '>>> assert np.asarray(syndromes(_e)).shape == (10, 6)\n'
                                               '>>> assert np.asarray(lookup_decode(syndromes(_e))).shape == (10, 7)\n',
                                       'failure_message': 'syndromes returns an (N, 6) array, lookup_decode an (N, 7) array',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
