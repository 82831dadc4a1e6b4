OK_FORMAT = True

test = {   'name': 'q2',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _a = choose_action(new_q_table(GRAPH), 0, 0.1, np.random.default_rng(SEED))\n>>> assert _a in GRAPH[0]\n',
                                       'failure_message': "return one of the state's actions (a neighbour of the node)",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
