"""End-to-end: gilscope report, re-rendering saved JSON reports (golden files,
the self-contained HTML, input that is not a report).
"""
import csv
import io
import json
import os
import signal
import subprocess
import time
import unittest

import e2e_base
from e2e_base import GILSCOPE, ROOT


class Report(e2e_base.GilscopeTest):
    def test_report_rerenders_golden_files(self):
        # report.json is a schema-1 report (read as before); merged.json a merge of it
        # with py312.json, a schema-2 report with timelines; current.json a report of
        # today's schema (capacity, shortfalls, asyncio, timelines).
        golden = os.path.join(ROOT, "tests", "golden")
        for base in ("report", "merged", "current"):
            for flag, ext in (("--export-markdown", "md"), ("--export-csv", "csv"), ("--export-html", "html")):
                rc, out, err = self.gs("report", os.path.join(golden, base + ".json"), flag, "-")
                self.assertEqual(rc, 0, err)
                name = base + "." + ext
                with open(os.path.join(golden, name), newline="") as f:
                    want = f.read()
                self.assertEqual(out.replace("\r\n", "\n"), want.replace("\r\n", "\n"), name)
        # The JSON exporter writes a saved report back byte for byte, and the timeline
        # drawing of the merged report is pinned too.
        for flag, src, name in (("--export-json", "merged.json", "merged.json"),
                                ("--timeline", "merged.json", "merged-timeline.svg")):
            rc, out, err = self.gs("report", os.path.join(golden, src), flag, "-")
            self.assertEqual(rc, 0, err)
            with open(os.path.join(golden, name)) as f:
                self.assertEqual(out, f.read(), name)
        rc, out, err = self.gs("report", os.path.join(golden, "report.json"))
        self.assertEqual(rc, 0, err)
        self.assertIn("**Verdict:**", out)
        # A report without timelines says so when asked to draw them.
        svg = os.path.join(self.tmp, "t.svg")
        rc, out, err = self.gs("report", os.path.join(golden, "report.json"), "--timeline", svg)
        self.assertEqual(rc, 0, err)
        self.assertIn("holds no timelines", err)
        self.assertEqual(out, "")  # --timeline is an output: no Markdown on stdout
        with open(svg) as f:
            self.assertIn("thread states over time", f.read())

    def test_a_free_threaded_report_says_so_in_every_export(self):
        # The recorded hello of a free-threaded build without its GIL, in place of the
        # golden report's interpreter: every export names it, and no GIL wait is shown.
        with open(os.path.join(ROOT, "tests", "golden", "current.json")) as f:
            rep = json.load(f)
        with open(os.path.join(ROOT, "tests", "fixtures", "hello", "free-threaded-3.13t.json")) as f:
            rep["metadata"]["python"] = json.load(f)["python"]
        rep["metadata"]["gil_enabled"] = False
        path = os.path.join(self.tmp, "ft.json")
        with open(path, "w") as f:
            json.dump(rep, f)
        rc, md, err = self.gs("report", path, "--export-markdown", "-")
        self.assertEqual(rc, 0, err)
        self.assertIn("CPython 3.13.0 (free-threaded, GIL disabled)", md)
        threads = [line for line in md.splitlines() if line.startswith("| threads | 2 |")]
        self.assertEqual(len(threads), 2, md)  # cpu and sleep
        head = [line for line in md.splitlines() if line.startswith("| strategy |")][0].split(" | ")
        for row in threads:
            self.assertEqual(row.split(" | ")[head.index("GIL wait")], "—", row)
        rc, csv_text, err = self.gs("report", path, "--export-csv", "-")
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(io.StringIO(csv_text)))
        self.assertTrue(rows)
        self.assertEqual({r["gil"] for r in rows}, {"free-threaded, GIL disabled"})
        rc, html, err = self.gs("report", path, "--export-html", "-")
        self.assertEqual(rc, 0, err)
        self.assertIn("(free-threaded, GIL disabled)", html)

    def test_html_report_is_self_contained(self):
        import re
        import xml.dom.minidom
        golden = os.path.join(ROOT, "tests", "golden", "report.json")
        rc, out, err = self.gs("report", golden, "--export-html", "-")
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith("<!DOCTYPE html>"))
        self.assertNotIn("<script", out)
        self.assertNotRegex(out, r"(src|href)=\"(https?:)?//")  # nothing fetched from a network
        svgs = re.findall(r"<svg.*?</svg>", out, re.S)
        self.assertEqual(len(svgs), 3)  # speedup bars, scaling curves, state bars for the one workload
        for svg in svgs:
            xml.dom.minidom.parseString(svg)
        self.assertEqual(svgs[0].count('class="whisker"'), 7)  # every cell has its interval
        # Workers 1 and 2 were swept: one curve per parallel strategy, a point per count.
        self.assertEqual(svgs[1].count('class="series"'), 3)
        self.assertEqual(svgs[1].count("<circle"), 6)
        self.assertIn('class="ideal"', svgs[1])
        self.assertIn("2 cores", svgs[1])
        self.assertIn("GIL wait", svgs[2])
        self.assertIn("Verdict:", out)
        # A run over one worker count has no sweep, so no scaling chart.
        with open(golden) as f:
            rep = json.load(f)
        rep["cells"] = [c for c in rep["cells"] if c["workers"] == 2 or c["strategy"] == "serial"]
        one = os.path.join(self.tmp, "one.json")
        with open(one, "w") as f:
            json.dump(rep, f)
        rc, out, err = self.gs("report", one, "--export-html", "-")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(re.findall(r"<svg", out)), 2)
        self.assertNotIn("Scaling with workers", out)

    def test_report_refuses_what_is_not_a_report(self):
        bad = os.path.join(self.tmp, "x.json")
        with open(bad, "w") as f:
            f.write('{"hello": 1}')
        rc, out, err = self.gs("report", bad)
        self.assertUsageError(rc, err, "not a gilscope JSON report")
        rc, out, err = self.gs("report", os.path.join(self.tmp, "missing.json"))
        self.assertUsageError(rc, err, "missing.json")


    def test_sigint_ends_a_blocked_write(self):
        # report only reads and writes files: it keeps the default SIGINT, so Ctrl-C
        # ends it even while it waits on an output nobody reads (a FIFO).
        fifo = os.path.join(self.tmp, "fifo.md")
        os.mkfifo(fifo)
        p = subprocess.Popen([GILSCOPE, "report", os.path.join(ROOT, "tests", "golden", "report.json"),
                              "--export-markdown", fifo], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(0.5)
        self.assertIsNone(p.poll(), "report should be blocked opening the FIFO")
        p.send_signal(signal.SIGINT)
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            self.fail("SIGINT did not end gilscope report blocked on a FIFO")
        p.stderr.close()
        self.assertEqual(p.returncode, -signal.SIGINT)


if __name__ == "__main__":
    unittest.main()
