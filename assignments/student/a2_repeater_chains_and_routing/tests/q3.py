OK_FORMAT = True

test = {   'name': 'q3',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _p = list(best_path(graph, source, destination, threshold))\n'
                                               '>>> assert _p[0] == source and _p[-1] == destination\n'
                                               '>>> assert all((graph.has_edge(*_e) for _e in nx.utils.pairwise(_p)))\n',
                                       'failure_message': 'return a list of nodes from source to destination along links of the graph',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
