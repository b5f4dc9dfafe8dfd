"""End-to-end: the interpreters strategy (subinterpreters, each with its own GIL).

Python 3.14 is found as scripts/pythons.sh places it: $GILSCOPE_PYTHONS/bin/python3.14,
else ${XDG_CACHE_HOME:-~/.cache}/gilscope/pythons/bin/python3.14, else python3.14 on
PATH; the tests that need it are skipped, saying so, when there is none.
"""
import os
import shutil
import subprocess
import sys
import unittest

import e2e_base
from e2e_base import PYTHON


def python314():
    """The Python 3.14 of scripts/pythons.sh's contract, or None."""
    base = os.environ.get("GILSCOPE_PYTHONS") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "gilscope", "pythons")
    for path in (os.path.join(base, "bin", "python3.14"), shutil.which("python3.14")):
        if path and os.access(path, os.X_OK):
            return path
    return None


PY314 = python314()
NO_314 = ("no Python 3.14: run scripts/pythons.sh (or set GILSCOPE_PYTHONS to where it put "
          "bin/python3.14)")


def version_of(python):
    out = subprocess.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                         stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout
    return out.strip()


class Interpreters(e2e_base.GilscopeTest):
    def run_json_with(self, python, *args):
        path = os.path.join(self.tmp, "report.json")
        rc, out, err = self.gs("run", "--python", python, "--export-json", path, *args)
        import json

        with open(path) as f:
            return rc, out, err, json.load(f)

    @unittest.skipIf(PY314 is None, NO_314)
    def test_cpu_on_314_runs_in_own_gil_interpreters_and_agrees_with_serial(self):
        rc, out, err, rep = self.run_json_with(
            PY314, "--workload", "cpu", "--size", "300000", "--tasks", "6", "--workers", "2",
            "--strategies", "serial,threads,interpreters", "--runs", "1", "--warmup", "0")
        self.assertEqual(rc, 0, err)
        cell = self.cell(rep, "cpu", "interpreters", 2)
        self.assertTrue(cell["available"], cell)
        self.assertIsNone(cell["error"], cell)
        self.assertEqual(cell["runs_ok"], 1)
        self.assertTrue(cell["results_agree"], cell)  # the checksum is serial's
        self.assertGreater(cell["pool_startup_s"], 0)
        # Its worker threads each run their own interpreter's GIL, on the heap: no
        # waiting for the main interpreter's GIL but between tasks.
        st, _ = self.states(rep, "cpu", "interpreters")
        self.assertLess(st["wait_gil"], 0.1, st)
        self.assertEqual(cell["states_threads"], 2)
        self.assertIn("interpreters", out)

    @unittest.skipIf(PY314 is None, NO_314)
    def test_a_workload_subinterpreters_refuse_is_unavailable_not_a_failure(self):
        path = os.path.join(self.tmp, "needs_readline.py")
        with open(path, "w") as f:
            f.write('"""imports readline, which subinterpreters refuse"""\nimport readline\n'
                    "KIND = 'cpu'\ndef run(arg):\n    return arg\n")
        rc, out, err, rep = self.run_json_with(
            PY314, "--workload", path, "--tasks", "2", "--workers", "2",
            "--strategies", "serial,interpreters", "--runs", "1", "--warmup", "0")
        self.assertEqual(rc, 0, err)
        cell = self.cell(rep, "needs_readline", "interpreters")
        self.assertFalse(cell["available"])
        reason = ("needs_readline.py cannot be loaded in a subinterpreter with its own GIL: "
                  "ImportError: module readline does not support loading in subinterpreters")
        self.assertEqual(cell["unavailable_reason"], reason)
        self.assertIn(reason, " ".join(out.split()))  # in the table, wrapped
        self.assertNotIn("Traceback", out + err)

    def test_list_says_whether_and_why(self):
        pythons = [PYTHON] + ([PY314] if PY314 else [])
        for python in pythons:
            version = version_of(python)
            rc, out, err = self.gs("list", "--python", python)
            self.assertEqual(rc, 0, err)
            line = [l for l in out.splitlines() if l.split()[:1] == ["interpreters"]]
            self.assertEqual(len(line), 1, out)
            if tuple(int(x) for x in version.split(".")[:2]) >= (3, 12):
                self.assertEqual(line[0].split(), ["interpreters", "available"], out)
            else:
                self.assertEqual(" ".join(line[0].split()),
                                 "interpreters unavailable: needs Python 3.12 or newer "
                                 "(per-interpreter GIL, PEP 684); this is %s" % version)

    @unittest.skipIf(sys.version_info >= (3, 12), "this Python has subinterpreters with their own GIL")
    def test_unavailable_before_312_is_said_in_the_table_and_is_not_a_failure(self):
        rc, out, err, rep = self.run_json("--workload", "cpu", "--size", "2000", "--tasks", "2",
                                          "--strategies", "serial,interpreters", "--workers", "2",
                                          "--runs", "1", "--warmup", "0")
        self.assertEqual(rc, 0, err)
        cell = self.cell(rep, "cpu", "interpreters")
        self.assertFalse(cell["available"])
        self.assertIn("needs Python 3.12 or newer", cell["unavailable_reason"])
        self.assertIn("needs Python 3.12 or newer", out)


if __name__ == "__main__":
    unittest.main()
