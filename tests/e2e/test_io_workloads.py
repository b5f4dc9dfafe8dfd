"""End-to-end: the built-in workloads that do real I/O, disk (write, fsync,
read back) and sqlite (queries on a file database), through the real binary:
every strategy agrees or says why it cannot run, the thread states say what
the workers did, and no file outlives its run — gilscope removes each run's
scratch directory after it, a killed run's too. And the convoy experiment: its figures and its sentence in every
output, and that it runs only when named.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import e2e_base
from e2e_base import GILSCOPE, PYTHON

SIZES = {"disk": "6", "sqlite": "30000"}


def scratch_dirs(directory):
    """The run scratch directories in directory."""
    return [n for n in os.listdir(directory) if n.startswith("gilscope-run-")]


def fs_type(path):
    """The file system type of the mount that holds path (from /proc/mounts)."""
    path, best, kind = os.path.realpath(path), "", None
    try:
        with open("/proc/mounts") as f:
            for line in f:
                fields = line.split()
                mnt = fields[1]
                if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
                    best, kind = mnt, fields[2]
    except OSError:
        pass
    return kind


class IOWorkloads(e2e_base.GilscopeTest):
    def setUp(self):
        super().setUp()
        self.tmpdir = os.path.join(self.tmp, "tmpdir")  # the harness's TMPDIR
        os.mkdir(self.tmpdir)

    def run_wl(self, workload, *args, tmpdir=True, size=None, timeout=300):
        """gilscope run on one workload; TMPDIR is self.tmpdir unless tmpdir is False."""
        path = os.path.join(self.tmp, "report.json")
        env = dict(os.environ, TMPDIR=self.tmpdir) if tmpdir else None
        cmd = [GILSCOPE, "run", "--python", PYTHON, "--export-json", path, "-W", workload,
               "--size", size or SIZES[workload], "--runs", "1", "--warmup", "0"] + list(args)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                           universal_newlines=True, env=env)
        with open(path) as f:
            return p.returncode, p.stdout, p.stderr, json.load(f)

    def test_every_strategy_agrees_with_serial_or_says_why_not_and_leaves_no_file(self):
        for workload in ("disk", "sqlite"):
            with self.subTest(workload=workload):
                rc, out, err, rep = self.run_wl(workload, "--workers", "2")
                self.assertEqual(rc, 0, err + out)
                self.assertEqual(os.listdir(self.tmpdir), [])
                wl = rep["workloads"][0]
                self.assertEqual(wl["kind"], {"disk": "io", "sqlite": "cpu"}[workload])
                self.assertIn(wl["description"], out)
                measured = [c for c in rep["cells"] if c["available"]]
                self.assertGreaterEqual(len(measured), 4 if sys.version_info >= (3, 9) else 3)
                for c in measured:
                    self.assertEqual(c["runs_ok"], 1, c)
                    self.assertTrue(c["results_agree"], c)
                aio = self.cell(rep, workload, "asyncio")
                self.assertFalse(aio["available"])
                self.assertIn("%s.py defines no run_async" % workload, aio["unavailable_reason"])
                sub = self.cell(rep, workload, "interpreters")
                self.assertIs(sub["available"], sys.version_info >= (3, 12), sub)

    def test_no_file_is_left_in_the_temporary_directory(self):
        # The real temporary directory (/tmp unless TMPDIR says otherwise): runs
        # of other programs may come and go there, so only ours are looked for.
        tmp = tempfile.gettempdir()
        seen = os.path.join(self.tmp, "seen.txt")
        path = os.path.join(self.tmp, "where.py")
        with open(path, "w") as f:
            f.write("import os\ndef run(arg):\n    with open(%r, 'a') as f:\n"
                    "        f.write(os.environ['GILSCOPE_SCRATCH'] + '\\n')\n    return arg\n" % seen)
        rc, out, err = self.gs("run", "--python", PYTHON, "-W", path, "--strategies", "serial,threads,processes",
                               "--workers", "2", "--tasks", "2", "--runs", "2", "--warmup", "0", "--no-progress")
        self.assertEqual(rc, 0, err + out)
        with open(seen) as f:
            dirs = set(f.read().split())
        self.assertEqual(len(dirs), 6)  # one per run, the same for every process of a run
        for d in dirs:
            self.assertEqual(os.path.dirname(d), tmp)
            self.assertFalse(os.path.exists(d), d)
        self.assertEqual(set(scratch_dirs(tmp)) & dirs, set())

    def test_a_run_killed_by_timeout_leaves_nothing(self):
        rc, out, err, rep = self.run_wl("disk", "--strategies", "serial", "--timeout", "1.5",
                                        size="100000")
        self.assertEqual(rc, 1, err + out)
        self.assertIn("timed out", self.cell(rep, "disk", "serial")["error"])
        self.assertEqual(os.listdir(self.tmpdir), [])

    def test_a_scratch_directory_that_cannot_be_made_is_named(self):
        env = dict(os.environ, TMPDIR=os.path.join(self.tmp, "missing"))
        path = os.path.join(self.tmp, "report.json")
        p = subprocess.run([GILSCOPE, "run", "--python", PYTHON, "-W", "sleep", "--size", "1", "--strategies",
                            "serial", "--runs", "1", "--warmup", "0", "--no-progress", "--export-json", path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, env=env,
                           timeout=120)
        self.assertEqual(p.returncode, 1, p.stderr + p.stdout)
        with open(path) as f:
            cell = self.cell(json.load(f), "sleep", "serial")
        self.assertEqual(cell["error"], "cannot create the run's scratch directory in %s: no such file or "
                         "directory" % env["TMPDIR"])

    def test_thread_states_say_what_the_workers_did(self):
        rc, out, err, rep = self.run_wl("sqlite", "--strategies", "serial,threads", "--workers", "2",
                                        "--runs", "2", size="60000")
        self.assertEqual(rc, 0, err + out)
        st, serial = self.states(rep, "sqlite", "serial")
        # SQLite computes, on the page cache: the worker is on a CPU or waits for one
        self.assertGreater(st["on_cpu"] + st["wait_core"], 0.8, st)
        st, threads = self.states(rep, "sqlite", "threads")
        # own connections, GIL released while SQLite runs: neither GIL nor lock waits dominate
        self.assertLess(st["wait_gil"], 0.1, st)
        self.assertLess(st["wait_lock"], 0.1, st)
        if fs_type(self.tmpdir) in ("tmpfs", "ramfs"):
            return  # fsync is free in memory: disk would not wait for a device
        # at 200 Hz over runs of a few hundred ms: enough samples even when the device is fast
        rc, out, err, rep = self.run_wl("disk", "--strategies", "serial,threads", "--workers", "4",
                                        "--runs", "2", "--sample-hz", "200", size="64")
        self.assertEqual(rc, 0, err + out)
        st, serial = self.states(rep, "disk", "serial")
        # fsync and reads from the device: the worker is off the CPU much of the time
        self.assertLess(serial["cores_used"], 0.9, serial)
        self.assertLess(st["on_cpu"], 0.8, st)
        st, threads = self.states(rep, "disk", "threads")
        self.assertLess(st["wait_gil"], 0.1, st)
        # fsync, reads and unlink are waits for the device: I/O wait, not "other"
        self.assertGreater(st["wait_io"], st["other"], st)


if __name__ == "__main__":
    unittest.main()


class Convoy(e2e_base.GilscopeTest):
    """The convoy experiment against gilscope's own HTTP service."""

    def test_figures_and_sentence_in_every_output(self):
        paths = dict((k, os.path.join(self.tmp, "convoy." + k)) for k in ("json", "md", "html"))
        rc, out, err = self.gs("run", "--python", PYTHON, "-W", "convoy", "--tasks", "3", "--size", "150",
                               "--runs", "3", "--warmup", "0", "--strategies", "serial,threads",
                               "--workers", "2,4", "--no-progress",
                               "--export-json", paths["json"], "--export-markdown", paths["md"],
                               "--export-html", paths["html"])
        self.assertEqual(rc, 0, err + out)
        with open(paths["json"]) as f:
            rep = json.load(f)
        keys = [m["key"] for m in rep["workloads"][0]["measures"]]
        self.assertEqual(keys[:2], ["cpu_threads", "requests_per_s"])
        serial = self.cell(rep, "convoy", "serial")
        measured = serial["measured"]
        self.assertEqual([row[0] for row in measured["values"]], [0, 1, 2])
        rate = dict((row[0], row[1]) for row in measured["values"])
        # Physically: with a pure-Python thread holding the GIL, each round trip
        # waits for it to be handed back (about a switch interval, 5 ms, against
        # well under 1 ms alone): generous, half the rate alone.
        self.assertLess(rate[1], rate[0] / 2, measured)
        # The figures are those of a measured run of the cell, with its sentence.
        run = [r for r in rep["runs"] if r["order"] == measured["run"]][0]
        self.assertEqual((run["strategy"], run["warmup"], run["status"]), ("serial", False, "ok"))
        self.assertEqual(run["values"], measured["values"])
        self.assertEqual(run["explanation"], measured["explanation"])
        self.assertIn("With one CPU-bound thread beside it", measured["explanation"])
        self.assertIn("switch interval", measured["explanation"])
        # Results that are measurements are not checked to agree between runs.
        self.assertTrue(serial["results_agree"])
        self.assertEqual(len({r["checksum"] for r in rep["runs"] if r["status"] == "ok"}), 3)
        # The other strategies: not applicable, one row; no verdict, no wall-time warnings.
        threads = self.cell(rep, "convoy", "threads", 2)
        self.assertIn("not applicable to convoy.py", threads["unavailable_reason"])
        self.assertRegex(out, r"\n  threads +2,4  unavailable: not applicable to convoy.py")
        self.assertEqual(rep["verdicts"], [])
        self.assertNotIn("verdict", out)
        self.assertEqual([w for w in rep["warnings"] if w["workload"] == "convoy" and w["cause"] == "noisy"], [])
        # The figures in the terminal, the Markdown and the HTML, with the sentence.
        self.assertIn("figures (serial, measured in the run of median wall of 3):", out)
        self.assertRegex(out, r"\n    CPU threads +requests +latency p50")
        with open(paths["md"]) as f:
            md = f.read()
        self.assertIn("| CPU threads | requests | latency p50 |", md)
        self.assertIn(measured["explanation"], md)
        with open(paths["html"]) as f:
            page = f.read()
        self.assertIn("<th>CPU threads</th>", page)
        self.assertIn("switch interval", page)

    def test_runs_only_when_named(self):
        rc, out, err = self.gs("list", "--python", PYTHON)
        self.assertEqual(rc, 0, err)
        self.assertIn("convoy", out)
        path = os.path.join(self.tmp, "all.json")
        rc, out, err = self.gs("run", "--python", PYTHON, "--strategies", "serial", "--tasks", "1", "--size", "1",
                               "--runs", "1", "--warmup", "0", "--no-progress", "--export-json", path)
        self.assertEqual(rc, 0, err + out)
        with open(path) as f:
            names = [w["name"] for w in json.load(f)["workloads"]]
        self.assertIn("cpu", names)
        self.assertIn("http", names)
        self.assertNotIn("convoy", names)
