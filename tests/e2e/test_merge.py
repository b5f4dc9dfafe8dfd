"""End-to-end: gilscope merge, one report from several with every source kept.
"""
import json
import os
import shutil
import unittest

import e2e_base
from e2e_base import ROOT


class Merge(e2e_base.GilscopeTest):
    def test_merge_keeps_every_source(self):
        golden = os.path.join(ROOT, "tests", "golden")
        a, b = os.path.join(golden, "report.json"), os.path.join(golden, "py312.json")
        out_path = os.path.join(self.tmp, "all.json")
        rc, out, err = self.gs("merge", a, b, "-o", out_path)
        self.assertEqual(rc, 0, err)
        with open(out_path) as f:
            merged = json.load(f)
        with open(a) as f:
            ra = json.load(f)
        with open(b) as f:
            rb = json.load(f)
        self.assertEqual(merged["schema_version"], 2)
        self.assertTrue(merged["metadata"]["merged"])
        self.assertEqual([s["label"] for s in merged["sources"]], ["report", "py312"])
        self.assertEqual(merged["sources"][1]["metadata"], rb["metadata"])
        self.assertEqual(merged["sources"][0]["schema_version"], 1)
        for key in ("runs", "cells", "verdicts", "warnings", "fits", "workloads"):
            self.assertEqual(len(merged[key]), len(ra[key]) + len(rb[key]), key)
            for entry, src in zip(merged[key], ["report"] * len(ra[key]) + ["py312"] * len(rb[key])):
                self.assertEqual(entry["source"], src, key)
        # The committed golden merge holds the same entries (its date and command line differ).
        with open(os.path.join(golden, "merged.json")) as f:
            saved = json.load(f)
        self.assertEqual(saved["sources"], json.loads(json.dumps(merged["sources"]).replace(golden + "/", "tests/golden/")))
        self.assertEqual(saved["cells"], merged["cells"])
        self.assertEqual(saved["runs"], merged["runs"])
        for x, y in zip(merged["cells"], ra["cells"] + rb["cells"]):
            self.assertEqual(dict(x, source=None), dict(y, source=None))
        # Same basenames in different directories: labels keep the directory.
        for d in ("linux-3.11", "linux-3.12"):
            os.mkdir(os.path.join(self.tmp, d))
            shutil.copy(a, os.path.join(self.tmp, d, "report.json"))
        rc, out, err = self.gs("merge", os.path.join(self.tmp, "linux-3.11", "report.json"),
                               os.path.join(self.tmp, "linux-3.12", "report.json"), "--export-markdown", "-")
        self.assertEqual(rc, 0, err)
        self.assertIn("| strategy | workers | linux-3.11/report | linux-3.12/report |", out)
        self.assertIn("**Verdict (linux-3.12/report):**", out)
        # A merged report merges again, its sources flattened and kept distinct.
        rc, out, err = self.gs("merge", out_path, a)
        self.assertEqual(rc, 0, err)
        again = json.loads(out)
        self.assertEqual([s["label"] for s in again["sources"]], ["report", "py312", "report (2)"])
        self.assertEqual(len(again["cells"]), len(merged["cells"]) + len(ra["cells"]))
        # compare matches cells source by source; a plain report matches none of them.
        rc, out, err = self.gs("compare", out_path, out_path)
        self.assertEqual(rc, 0, err)
        self.assertIn("| cpu (py312) | threads | 2 |", out)
        rc, out, err = self.gs("compare", a, out_path)
        self.assertEqual(rc, 2, err)
        self.assertIn("source", err)
        # The same file twice: numbered, not labelled by its whole path.
        rc, out, err = self.gs("merge", a, a)
        self.assertEqual(rc, 0, err)
        self.assertEqual([s["label"] for s in json.loads(out)["sources"]], ["report", "report (2)"])
        # A report without metadata still comes through as a source of its own.
        bare = dict(rb)
        del bare["metadata"]
        bare_path = os.path.join(self.tmp, "bare.json")
        with open(bare_path, "w") as f:
            json.dump(bare, f)
        rc, out, err = self.gs("merge", a, bare_path, "--export-markdown", "-")
        self.assertEqual(rc, 0, err)
        self.assertIn("| strategy | workers | report | bare |", out)
        # A malformed timeline (a hand-edited report) is left out; the rest still renders.
        broken = json.loads(json.dumps(rb))
        timed = [r for r in broken["runs"] if r["timeline"]]
        timed[0]["timeline"]["lanes"][0]["segments"][0][2] = "no such state"
        broken_path = os.path.join(self.tmp, "broken.json")
        with open(broken_path, "w") as f:
            json.dump(broken, f)
        rc, html, err = self.gs("report", broken_path, "--export-html", "-")
        self.assertEqual(rc, 0, err)
        self.assertEqual(html.count("diagnostic run sampled"), len(timed) - 1)
        # Bad input: a missing file, something that is not a report, no file at all.
        rc, out, err = self.gs("merge", a, os.path.join(self.tmp, "nope.json"), "-o", os.path.join(self.tmp, "x.json"))
        self.assertUsageError(rc, err, "nope.json")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x.json")))
        bad = os.path.join(self.tmp, "bad.json")
        with open(bad, "w") as f:
            f.write("[1, 2]")
        rc, out, err = self.gs("merge", a, bad)
        self.assertUsageError(rc, err, "not a gilscope JSON report")
        rc, out, err = self.gs("merge")
        self.assertUsageError(rc, err, "merge needs saved JSON reports")
        rc, out, err = self.gs("merge", a, "-o", "x.json", "--export-json", "y.json")
        self.assertUsageError(rc, err, "one --output or --export-json")


if __name__ == "__main__":
    unittest.main()
