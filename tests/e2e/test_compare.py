"""End-to-end: gilscope compare, gating regressions against a baseline:
refusing reports that measured different things, listing the cells not
compared, passing an A/A comparison, the comparison as JSON.
"""
import hashlib
import json
import os
import shutil
import tempfile
import unittest

import e2e_base
from e2e_base import PYTHON, ROOT

GOLDEN = os.path.join(ROOT, "tests", "golden")


class Compare(e2e_base.GilscopeTest):
    @classmethod
    def setUpClass(cls):
        cls.sessions = tempfile.mkdtemp(prefix="gilscope-e2e-compare-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.sessions, ignore_errors=True)

    def session(self, name, *args):
        """A report measured once per class (several tests compare the same ones)."""
        path = os.path.join(self.sessions, name)
        if not os.path.exists(path):
            rc, out, err = self.gs("run", "--python", PYTHON, "--no-progress", "--export-json", path, *args)
            self.assertEqual(rc, 0, err)
        return path

    def cheap(self, name, size, strategies="serial,threads"):
        return self.session(name, "-W", "cpu", "--size", str(size), "--tasks", "2", "--runs", "3",
                            "--workers", "2", "--strategies", strategies)

    def test_compare_gates_regressions(self):
        golden = os.path.join(GOLDEN, "report.json")
        rc, out, err = self.gs("compare", golden, golden)
        self.assertEqual(rc, 0, err)
        self.assertIn("| cpu | threads | 2 |", out)
        # a report from before the workload file hash: compared, and said so
        self.assertIn("\nnot checked: cpu: workload file hash (neither report records one)\n", out)
        with open(golden) as f:
            rep = json.load(f)
        for r in rep["runs"]:
            if r["strategy_wall_s"]:
                r["strategy_wall_s"] /= 2  # a baseline whose runs were all twice as fast
        fast = os.path.join(self.tmp, "fast.json")
        with open(fast, "w") as f:
            json.dump(rep, f)
        rc, out, err = self.gs("compare", fast, golden)
        self.assertEqual(rc, 1, err)
        self.assertIn("regression: cpu processes/fork × 2", err)
        self.assertEqual(len([l for l in err.splitlines() if "regression" in l]), 7)
        rc, out, err = self.gs("compare", fast, golden, "--fail-above", "150")
        self.assertEqual(rc, 0, err)
        for c in rep["runs"] + rep["cells"]:
            c["workload"] = "other"
        other = os.path.join(self.tmp, "other.json")
        with open(other, "w") as f:
            json.dump(rep, f)
        rc, out, err = self.gs("compare", golden, other)
        self.assertEqual(rc, 2, err)
        self.assertIn("measured different things", err)
        rc, out, err = self.gs("compare", golden, os.path.join(self.tmp, "nope.json"))
        self.assertUsageError(rc, err, "nope.json")

    def test_merged_reports_still_compare(self):
        merged = os.path.join(GOLDEN, "merged.json")
        rc, out, err = self.gs("compare", merged, merged)
        self.assertEqual(rc, 0, err)
        self.assertIn("| cpu (py312) | threads | 2 |", out)

    def test_different_sizes_are_refused_naming_the_size(self):
        a, b = self.cheap("size200.json", 200), self.cheap("size400.json", 400)
        rc, out, err = self.gs("compare", a, b)
        self.assertEqual(rc, 2, err)
        self.assertIn("gilscope: compare: cpu: size 200 in %s, 400 in %s\n" % (a, b), err)
        self.assertIn("--allow-different compares them anyway", err)
        self.assertEqual(out, "")
        js = os.path.join(self.tmp, "refused.json")
        rc, out, err = self.gs("compare", a, b, "--export-json", js)
        self.assertEqual(rc, 2, err)
        with open(js) as f:
            res = json.load(f)
        self.assertEqual((res["result"], res["exit_status"]), ("refused", 2))
        self.assertEqual(res["differences"], ["cpu: size 200 in %s, 400 in %s" % (a, b)])
        # --allow-different compares them anyway, and says so under the table
        rc, out, err = self.gs("compare", a, b, "--allow-different")
        self.assertIn(rc, (0, 1), err)
        self.assertIn("| cpu | threads | 2 |", out)
        self.assertIn("\n**compared anyway** (--allow-different), although they differ: cpu: size 200 in %s, "
                      "400 in %s\n" % (a, b), out)
        # 3 runs a side: warned about, never significant
        self.assertIn("**warning**: %s has fewer than 6 measured runs in 2 of the 2 cells compared" % a, out)
        self.assertIn("too few runs", out)

    def test_cells_missing_on_either_side_are_listed(self):
        a = self.cheap("size200.json", 200)
        b = self.cheap("to_thread.json", 200, "serial,to_thread")
        rc, out, err = self.gs("compare", a, b)
        self.assertEqual(rc, 0, err)
        self.assertIn("\nonly in %s (not compared): cpu threads × 2\n" % a, out)
        self.assertIn("\nonly in %s (not compared): cpu to_thread × 2\n" % b, out)
        self.assertIn("| cpu | serial | 1 |", out)

    def test_cells_of_different_chunk_sizes_are_different_cells(self):
        a = self.session("chunks14.json", "-W", "empty", "--tasks", "8", "--runs", "2", "--warmup", "0",
                         "--workers", "2", "--strategies", "serial,mp_pool", "--chunksize", "1,4")
        b = self.session("chunks48.json", "-W", "empty", "--tasks", "8", "--runs", "2", "--warmup", "0",
                         "--workers", "2", "--strategies", "serial,mp_pool", "--chunksize", "4,8")
        rc, out, err = self.gs("compare", a, b, "--export-json", os.path.join(self.tmp, "cmp.json"))
        self.assertIn(rc, (0, 1), err)
        with open(os.path.join(self.tmp, "cmp.json")) as f:
            cmp = json.load(f)
        compared = sorted((c["strategy"], c.get("chunksize")) for c in cmp["cells"])
        self.assertEqual(compared, [("mp_pool", 4), ("serial", None)])
        self.assertRegex(out, r"only in %s \(not compared\): empty mp_pool/\w+ × 2 chunk 1\n" % a)
        self.assertRegex(out, r"only in %s \(not compared\): empty mp_pool/\w+ × 2 chunk 8\n" % b)

    def test_a_a_comparison_with_10_runs_a_side_passes(self):
        args = ("-W", "sleep", "--size", "5", "--strategies", "serial,threads", "--workers", "2", "--runs", "10")
        a, b = self.session("aa1.json", *args), self.session("aa2.json", *args)
        with open(a) as f:
            wl = json.load(f)["workloads"][0]
        with open(os.path.join(ROOT, "workloads", "builtin", "sleep.py"), "rb") as f:
            self.assertEqual(wl["sha256"], hashlib.sha256(f.read()).hexdigest())
        rc, out, err = self.gs("compare", a, b, "--export-json", "-")
        self.assertEqual(rc, 0, out + err)
        self.assertIn("| sleep | threads | 2 |", err)  # the table goes to stderr when the JSON takes stdout
        self.assertNotIn("warning", err)
        self.assertNotIn("not checked", err)
        res = json.loads(out)
        self.assertEqual((res["result"], res["exit_status"], res["base"], res["new"]), ("ok", 0, a, b))
        for key in ("compare_version", "allow_different", "thresholds", "alpha", "differences", "unchecked",
                    "cells", "only_in_base", "only_in_new", "not_measured", "warnings", "error"):
            self.assertIn(key, res)
        self.assertEqual(res["differences"], [])
        self.assertEqual([(c["strategy"], c["workers"]) for c in res["cells"]], [("serial", 1), ("threads", 2)])
        for c in res["cells"]:
            self.assertEqual((c["base"]["runs"], c["new"]["runs"]), (10, 10))
            self.assertAlmostEqual(c["level"], 0.975)
            low, high = c["interval"]
            self.assertLess(low, high)
            self.assertFalse(c["wall_regressed"])
            self.assertIn(c["status"], ("ok", "faster", "unclear"))
        self.assertGreater(res["cells"][0]["base"]["wall_median"], 0.035)  # 8 sleeps of 5 ms, serial


if __name__ == "__main__":
    unittest.main()
