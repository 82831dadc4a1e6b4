"""Hypothesis profiles: reproducible property tests in CI, exploration locally.

``HYPOTHESIS_PROFILE=ci`` (exported by ``make test`` and ``make unit``) derandomizes every
property test: the examples are a fixed function of the test, so a CI run can neither fail
nor pass by luck, and no example database is read or written (nothing is shared between
runs or between xdist workers). ``dev`` (the default when the variable is unset) keeps
Hypothesis' random exploration and its local ``.hypothesis`` database, which replays any
failure found on this machine first. Per-test ``@settings(...)`` still override both.
"""

from __future__ import annotations

import os

from hypothesis import Phase, settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev")
# scripts/mutation.py: as "ci", and a failing example is not shrunk (only "does any test
# fail" matters there, and shrinking can take longer than the test itself).
settings.register_profile(
    "mutation",
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
