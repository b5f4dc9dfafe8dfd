"""End-to-end: gilscope compare, gating regressions against a baseline.
"""
import json
import os
import unittest

import e2e_base
from e2e_base import ROOT


class Compare(e2e_base.GilscopeTest):
    def test_compare_gates_regressions(self):
        golden = os.path.join(ROOT, "tests", "golden", "report.json")
        rc, out, err = self.gs("compare", golden, golden)
        self.assertEqual(rc, 0, err)
        self.assertIn("| cpu | threads | 2 |", out)
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
        self.assertIn("regression: cpu processes × 2", err)
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


if __name__ == "__main__":
    unittest.main()
