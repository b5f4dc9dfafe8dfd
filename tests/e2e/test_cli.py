"""End-to-end: the command line itself. Usage errors (one line naming the cause,
exit status 2), unknown flags and workloads, a missing interpreter, --help and
--version.
"""
import unittest

import e2e_base
from e2e_base import PYTHON


class Cli(e2e_base.GilscopeTest):
    def test_unknown_flag(self):
        rc, out, err = self.gs("run", "--bogus")
        self.assertUsageError(rc, err, "--bogus")

    def test_unknown_workload(self):
        rc, out, err = self.gs("run", "--python", PYTHON, "--workload", "nosuch")
        self.assertUsageError(rc, err, '"nosuch"')
        self.assertIn("cpu", err)

    def test_workload_given_twice(self):
        # Rows and reports are keyed by workload name: the same name twice is refused
        # before anything runs, not rendered as two rows under one heading.
        rc, out, err = self.gs("run", "--python", PYTHON, "-W", "sleep", "-W", "sleep", "--runs", "1")
        self.assertUsageError(rc, err, '"sleep" is given twice')
        self.assertEqual(out, "")

    def test_missing_interpreter(self):
        rc, out, err = self.gs("run", "--python", "/nonexistent/python9", "--workload", "sleep")
        self.assertUsageError(rc, err, "/nonexistent/python9")

    def test_workers_zero(self):
        rc, out, err = self.gs("run", "--workers", "0")
        self.assertUsageError(rc, err, "--workers")

    def test_unwritable_export_fails_before_running(self):
        rc, out, err = self.gs("run", "--python", PYTHON, "--workload", "sleep",
                               "--export-json", "/nonexistent-dir/x.json")
        self.assertUsageError(rc, err, "/nonexistent-dir/x.json")

    def test_version_and_help(self):
        rc, out, err = self.gs("--version")
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"^gilscope \d+\.\d+\.\d+")
        for sub in ("run", "list"):
            rc, out, err = self.gs(sub, "--help")
            self.assertEqual(rc, 0)
            self.assertIn("Usage: gilscope " + sub, out)


if __name__ == "__main__":
    unittest.main()
