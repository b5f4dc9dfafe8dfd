"""Shared base of the end-to-end suite, which runs the real gilscope binary.

One test file per command of the binary (test_cli, test_run, test_list,
test_report, test_compare, test_merge) imports this module; its name does not
start with test_, so discovery does not run it on its own.

GILSCOPE names the binary and GS_ROOT the source tree (ctest sets both).
Only generous physical relations are asserted about time.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
# ROOT, fixture and live_processes_mentioning are re-exported for the test files.
from gs_testlib import ROOT, fixture, live_processes_mentioning  # noqa: E402,F401

GILSCOPE = os.environ.get("GILSCOPE", os.path.join(ROOT, "build", "gilscope"))
PYTHON = sys.executable


def st_keys():
    return ("on_cpu", "wait_core", "wait_gil", "wait_lock", "wait_io", "sleep", "idle", "other")


class GilscopeTest(unittest.TestCase):
    """setUp/tearDown give each test a private temporary directory; no tests here."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="gilscope-e2e-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def gs(self, *args, timeout=300):
        cmd = [GILSCOPE] + list(args)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                           universal_newlines=True)
        return p.returncode, p.stdout, p.stderr

    def run_json(self, *args, timeout=300):
        path = os.path.join(self.tmp, "report.json")
        rc, out, err = self.gs("run", "--python", PYTHON, "--export-json", path, *args, timeout=timeout)
        with open(path) as f:
            report = json.load(f)
        return rc, out, err, report

    def cell(self, report, workload, strategy, workers=None):
        for c in report["cells"]:
            if c["workload"] == workload and c["strategy"] == strategy and (workers is None or c["workers"] == workers):
                return c
        self.fail("no cell %s/%s/%s in %s" % (workload, strategy, workers, [(c["workload"], c["strategy"]) for c in report["cells"]]))

    def copy_fixture(self, name):
        """A private copy, so its path in /proc is unique to this test."""
        dst = os.path.join(self.tmp, name)
        shutil.copy(fixture(name), dst)
        return dst

    # --- usage errors: one line naming the cause, exit status 2 ---------------

    def assertUsageError(self, rc, err, needle):
        self.assertEqual(rc, 2, err)
        lines = [l for l in err.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("gilscope: "), err)
        self.assertIn(needle, lines[0])

    # --- thread states (generous relations only) ----------------------------------

    def states(self, rep, workload, strategy):
        c = self.cell(rep, workload, strategy)
        st = c["states"]
        self.assertIsNotNone(st, c)
        self.assertAlmostEqual(sum(st.values()), 1.0, places=6)
        self.assertGreater(c["states_samples"], 10)
        return st, c
