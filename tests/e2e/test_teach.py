"""End-to-end: gilscope teach (issue 14). The list, an unknown lesson, and real
lessons: their text quotes the run's own figures, and on one usable core
(taskset -c 0) the gil lesson says so instead of naming a winner. Only the
words' relation to the figures is asserted, never a speedup."""
import json
import os
import shutil
import subprocess
import unittest

import e2e_base
from e2e_base import PYTHON

LESSONS = ("gil", "release", "processes", "io", "convoy", "slots", "gc", "chunks", "interpreters", "locks", "startmethods")


class Teach(e2e_base.GilscopeTest):
    def test_the_list_names_every_lesson_with_a_time(self):
        rc, out, err = self.gs("teach")
        self.assertEqual(rc, 0, err)
        for name in LESSONS:
            self.assertRegex(out, r"(?m)^  %s +\S.* about +\d+ s$" % name)
        self.assertRegex(out, r"All %d: about \d+ s" % len(LESSONS))
        self.assertLessEqual(max(len(line) for line in out.splitlines()), 80, out)

    def test_an_unknown_lesson_is_exit_2_and_lists_them(self):
        rc, out, err = self.gs("teach", "nope")
        self.assertEqual(rc, 2, err)
        self.assertIn('unknown lesson "nope"', err)
        for name in LESSONS:
            self.assertIn("  " + name + " ", err)
        self.assertEqual(out, "")

    def test_usage_errors(self):
        rc, out, err = self.gs("teach", "gil", "slots")
        self.assertUsageError(rc, err, "teach takes one lesson")
        rc, out, err = self.gs("teach", "slots", "--export-json", "-")
        self.assertUsageError(rc, err, "give the --export-* options a file")
        rc, out, err = self.gs("teach", "slots", "--workers", "2")
        self.assertUsageError(rc, err, "--workers is not an option of teach")

    def test_slots_writes_its_text_from_the_run_and_keeps_it_in_the_report(self):
        path = os.path.join(self.tmp, "slots.json")
        html = os.path.join(self.tmp, "slots.html")
        md = os.path.join(self.tmp, "slots.md")
        tmpdir = os.path.join(self.tmp, "tmpdir")
        os.mkdir(tmpdir)
        old = os.environ.get("TMPDIR")
        os.environ["TMPDIR"] = tmpdir  # where the lesson's run writes its report first
        try:
            rc, out, err = self.gs("teach", "slots", "--python", PYTHON, "--no-progress", "--export-json", path,
                                   "--export-html", html, "--export-markdown", md)
        finally:
            if old is None:
                del os.environ["TMPDIR"]
            else:
                os.environ["TMPDIR"] = old
        self.assertEqual(rc, 0, err)
        with open(path) as f:
            report = json.load(f)
        lesson = report["lesson"]
        self.assertEqual(lesson["name"], "slots")
        self.assertTrue(lesson["complete"])
        rows = self.cell(report, "objects", "serial")["measured"]["values"]
        plain = [r for r in rows if r[0] == "plain class"][0]
        text = " ".join(lesson["paragraphs"])
        self.assertIn("%.0f bytes as a plain class" % plain[1], text)
        # the terminal shows the same paragraphs under the table
        self.assertIn("Lesson: " + lesson["title"], out)
        self.assertIn("%.0f bytes as a plain class" % plain[1], out.replace("\n", " "))
        with open(html) as f:
            page = f.read()
        self.assertIn('<section class="lesson">', page)
        self.assertIn("%.0f bytes as a plain class" % plain[1], page)
        with open(md) as f:
            text = f.read()
        self.assertIn("### Lesson: \\_\\_slots\\_\\_: memory", text)  # not bold "slots"
        self.assertIn("no \\_\\_dict\\_\\_", text)
        self.assertEqual(os.listdir(tmpdir), [])  # its private directory is gone

    @unittest.skipUnless(shutil.which("taskset"), "needs taskset")
    def test_gil_on_one_core_says_one_core_cannot_show_a_speedup(self):
        path = os.path.join(self.tmp, "gil.json")
        cmd = ["taskset", "-c", "0", e2e_base.GILSCOPE, "teach", "gil", "--python", PYTHON, "--no-progress",
               "--export-json", path]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                           timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(path) as f:
            report = json.load(f)
        self.assertEqual(report["metadata"]["machine"]["usable"], 1)
        text = " ".join(report["lesson"]["paragraphs"])
        self.assertIn("one usable core", text)
        self.assertIn("One core cannot show a parallel speedup", text)
        self.assertNotIn("won", text)
        # the figures it quotes are this run's
        threads = self.cell(report, "cpu", "threads")
        self.assertIn("%.2f×" % threads["speedup"]["value"], text)
        self.assertIn("%.0f%%" % (100 * threads["states"]["wait_gil"]), text)


if __name__ == "__main__":
    unittest.main()
