OK_FORMAT = True

test = {   'name': 'q2',
    'points': None,
    'suites': [   {   'cases': [   {   'code': '>>> _t = train_decoder(syndromes(train_errors[:500]), train_errors[:500])\n'
                                               '>>> assert isinstance(_t, dict) and all((len(k) == 6 and len(v) == 7 for k, v in _t.items()))\n',
                                       'failure_message': 'train_decoder returns a dict from 6-tuples (syndromes) to 7-tuples (errors)',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
