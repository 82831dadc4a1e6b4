OK_FORMAT = True

test = {   'name': 'q1',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _out = swap_chain([0.9, 0.95, 0.99])\n>>> assert len(_out) == 3 and abs(_out[0] - 0.9) < 1e-12\n',
                                       'failure_message': "return one fidelity per link, starting with the first link's own",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
