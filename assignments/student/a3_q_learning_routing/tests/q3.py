OK_FORMAT = True

test = {   'name': 'q3',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _Q = train_agent(LinkEnv(GRAPH, DESTINATION, np.random.default_rng(SEED)), 20, np.random.default_rng(SEED))\n'
                                               '>>> assert set(_Q) == set(GRAPH.nodes) and all((set(_Q[s]) == set(GRAPH[s]) for s in _Q))\n'
                                               '>>> _r = greedy_route(_Q, SOURCE, DESTINATION)\n'
                                               '>>> assert _r[0] == SOURCE\n',
                                       'failure_message': 'train_agent returns a table with an entry for every node and neighbour; greedy_route starts at the source',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
