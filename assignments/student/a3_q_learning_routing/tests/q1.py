OK_FORMAT = True

test = {   'name': 'q1',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _Q = new_q_table(GRAPH)\n'
                                               '>>> _before = {s: dict(a) for s, a in _Q.items()}\n'
                                               '>>> _td = q_update(_Q, 0, 2, -1.0, 2, False, 0.5, 0.9)\n'
                                               '>>> assert isinstance(_td, float) and _Q[0][2] != 0.0\n'
                                               '>>> assert all((_Q[s][a] == _before[s][a] for s in _Q for a in _Q[s] if (s, a) != (0, 2)))\n',
                                       'failure_message': 'q_update must change Q[state][action] (and nothing else) and return a float',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
