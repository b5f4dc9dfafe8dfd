"""The harness's command line and start (gilscope_harness.cli): the
descriptor limit gilscope's HTTP service raised is set back before anything
runs."""

import subprocess
import sys
import unittest

from harness_testlib import WORKLOADS

PROBE = """
import os, resource, sys
sys.path.insert(0, %r)
from gilscope_harness.cli import restore_nofile
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
print(restore_nofile(), resource.getrlimit(resource.RLIMIT_NOFILE)[0], os.environ.get("GILSCOPE_NOFILE_SOFT"))
"""


def probe(value, soft=None):
    """What restore_nofile returns, the soft limit after it, and whether the
    variable is left, in a fresh interpreter started with the soft limit
    soft (None: as inherited) and GILSCOPE_NOFILE_SOFT=value (None: unset)."""
    import os
    import resource

    env = dict(os.environ)
    env.pop("GILSCOPE_NOFILE_SOFT", None)
    if value is not None:
        env["GILSCOPE_NOFILE_SOFT"] = value

    def limit():
        if soft is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    out = subprocess.check_output([sys.executable, "-c", PROBE % WORKLOADS], env=env, preexec_fn=limit,
                                  universal_newlines=True)
    return out.split()


class RestoreNofile(unittest.TestCase):
    def setUp(self):
        import resource

        self.hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        if self.hard != resource.RLIM_INFINITY and self.hard < 512:
            self.skipTest("the hard descriptor limit is below 512")

    def test_sets_the_soft_limit_back_and_removes_the_variable(self):
        self.assertEqual(probe("256", soft=512), ["256", "256", "None"])

    def test_nothing_without_the_variable(self):
        self.assertEqual(probe(None, soft=512), ["None", "512", "None"])

    def test_a_bad_value_changes_nothing(self):
        for value in ("many", "0", "-3", str(2 ** 62)):
            self.assertEqual(probe(value, soft=512), ["None", "512", "None"], value)


if __name__ == "__main__":
    unittest.main()
