OK_FORMAT = True

test = {   'name': 'q3',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _r = bb84_rounds(100, 0.0, np.random.default_rng(SEED))\n'
                                               ">>> assert sorted(_r) == ['alice_bases', 'alice_bits', 'bob_bases', 'bob_bits']\n"
                                               '>>> assert all((np.asarray(_v).shape == (100,) for _v in _r.values()))\n'
                                               '>>> assert all((set(np.unique(_v)) <= {0, 1} for _v in _r.values()))\n'
                                               '>>> assert len(sifted_qber(_r)) == 2\n',
                                       'failure_message': 'bb84_rounds returns the four arrays of 0/1 of length n; sifted_qber a pair',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
