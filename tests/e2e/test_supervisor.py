"""End-to-end: gilscope as the supervisor of everything it starts and every
file it writes (issue 13). Processes that leave the run's session or group
are ended and named; SIGHUP ends a session like SIGTERM; outputs are checked
up front exactly as they will be written; a blocked output write stays
interruptible; text from the workload is bounded; the smaller cases each end
with the documented exit status. After every case no process the session
started is alive (by the pids the workloads recorded), and no report already
written is lost.
"""
import fcntl
import json
import os
import signal
import struct
import subprocess
import termios
import time
import unittest

import e2e_base
from e2e_base import GILSCOPE, PYTHON

F_SETPIPE_SZ = 1031  # fcntl.F_SETPIPE_SZ from Python 3.10 on

RECORDER = """
import os, subprocess, sys, time
PIDS = {pids!r}


def record(pid):
    with open(PIDS, "a") as f:
        f.write("%d\\n" % pid)
"""


def alive(pid):
    """Whether pid is a live process (a zombie is not)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def exists(pid):
    """Whether pid exists at all, zombies included."""
    return os.path.exists("/proc/%d" % pid)


class Supervisor(e2e_base.GilscopeTest):
    def setUp(self):
        super().setUp()
        self.pids = os.path.join(self.tmp, "pids.txt")
        self.tmpdir = os.path.join(self.tmp, "tmpdir")
        os.mkdir(self.tmpdir)
        self.env = dict(os.environ, TMPDIR=self.tmpdir)

    def workload(self, name, body):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(RECORDER.format(pids=self.pids) + body)
        return path

    def recorded(self):
        try:
            with open(self.pids) as f:
                return [int(x) for x in f.read().split()]
        except OSError:
            return []

    def assertNoneAlive(self, pids, wait=3.0):
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and [p for p in pids if exists(p)]:
            time.sleep(0.05)
        self.assertEqual([p for p in pids if alive(p)], [], "still alive")
        self.assertEqual([p for p in pids if exists(p)], [], "zombies left unreaped")

    def start(self, *args, **kw):
        p = subprocess.Popen([GILSCOPE] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True, env=kw.get("env", self.env))
        self.addCleanup(lambda: p.poll() is None and (p.kill(), p.communicate()))
        return p

    def wait_for_pids(self, n, p, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.recorded()) < n:
            if p.poll() is not None:
                self.fail("gilscope ended early: %s" % (p.communicate(),))
            time.sleep(0.05)
        self.assertGreaterEqual(len(self.recorded()), n)

    # --- 1. processes that leave the run's session ---------------------------------

    def test_processes_that_leave_the_session_are_ended_and_named(self):
        wl = self.workload("escapes.py", """
def run(arg):
    p = subprocess.Popen(["sleep", "1000"], start_new_session=True)
    record(p.pid)
    return arg
""")
        path = os.path.join(self.tmp, "r.json")
        p = self.start("run", "--python", PYTHON, "-W", wl, "--tasks", "2", "--runs", "2", "--warmup", "0",
                       "--strategies", "serial,threads", "--workers", "2", "--no-progress", "--export-json", path)
        out, err = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 0, err + out)
        pids = self.recorded()
        self.assertEqual(len(pids), 8)
        self.assertNoneAlive(pids)
        with open(path) as f:
            rep = json.load(f)
        left = [(x["pid"], x["command"]) for r in rep["runs"] for x in r["leftovers"]]
        self.assertEqual(sorted(pid for pid, _ in left), sorted(pids))
        self.assertEqual({c for _, c in left}, {"sleep 1000"})
        for r in rep["runs"]:
            self.assertEqual(r["leftover_processes"], 2)
        self.assertIn("pid %d (sleep 1000)" % pids[0], out)

    def test_a_pool_worker_that_leaves_the_session_and_hangs_is_killed_at_the_timeout(self):
        wl = self.workload("setsid.py", """
def run(arg):
    os.setsid()
    record(os.getpid())
    time.sleep(1000)
""")
        path = os.path.join(self.tmp, "r.json")
        p = self.start("run", "--python", PYTHON, "-W", wl, "--tasks", "2", "--runs", "1", "--warmup", "0",
                       "--strategies", "processes", "--workers", "2", "--timeout", "4", "--no-progress",
                       "--export-json", path)
        out, err = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 1, err + out)
        pids = self.recorded()
        self.assertEqual(len(pids), 2)
        self.assertNoneAlive(pids)
        with open(path) as f:
            rep = json.load(f)
        run = rep["runs"][0]
        self.assertIn("timed out", run["error"])
        self.assertEqual(sorted(x["pid"] for x in run["leftovers"]), sorted(pids))
        # multiprocessing's pymp-* directories went with the run's scratch directory.
        self.assertEqual(os.listdir(self.tmpdir), [])

    def test_a_timeout_asks_before_it_kills(self):
        wl = self.workload("polite.py", """
import signal
def run(arg):
    def bye(signum, frame):
        with open(PIDS + ".term", "w") as f:
            f.write("SIGTERM")
        os._exit(0)
    signal.signal(signal.SIGTERM, bye)
    record(os.getpid())
    time.sleep(1000)
""")
        p = self.start("run", "--python", PYTHON, "-W", wl, "--tasks", "1", "--runs", "1", "--warmup", "0",
                       "--strategies", "serial", "--timeout", "2", "--no-progress")
        out, err = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 1, err + out)
        with open(self.pids + ".term") as f:
            self.assertEqual(f.read(), "SIGTERM")
        self.assertNoneAlive(self.recorded())

    # --- 2. SIGHUP -------------------------------------------------------------------

    def test_sighup_mid_run_ends_it_like_sigterm(self):
        wl = self.workload("hangs.py", """
def run(arg):
    record(os.getpid())
    time.sleep(1000)
""")
        path = os.path.join(self.tmp, "r.json")
        p = self.start("run", "--python", PYTHON, "-W", "sleep", "-W", wl, "--size", "1", "--tasks", "2",
                       "--runs", "1", "--warmup", "0", "--strategies", "serial,processes", "--workers", "2",
                       "--no-progress", "--export-json", path)
        self.wait_for_pids(1, p)  # the serial run of hangs.py: its first task never ends
        time.sleep(0.3)
        p.send_signal(signal.SIGHUP)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 129, err)
        self.assertIn("SIGHUP", err)
        with open(path) as f:
            rep = json.load(f)
        self.assertEqual(rep["metadata"]["interrupted"], signal.SIGHUP)
        self.assertEqual(self.cell(rep, "sleep", "processes")["runs_ok"], 1)
        self.assertEqual(rep["runs"][-1]["status"], "interrupted")
        self.assertEqual(rep["runs"][-1]["strategy"], "serial")
        self.assertEqual(rep["runs"][-1]["error"], "interrupted by SIGHUP")
        self.assertNoneAlive(self.recorded())

    # --- 3 and 5. outputs checked before the first run ------------------------------------

    def test_outputs_that_cannot_be_written_are_refused_before_any_run(self):
        d = os.path.join(self.tmp, "adir")
        os.mkdir(d)
        cases = [
            (["--export-json", d], "--export-json: \"%s\" is a directory" % d),
            (["--export-csv", "/proc/self/gilscope.csv"], "--export-csv: cannot write \"/proc/self/gilscope.csv\""),
            (["--export-json", os.path.join(self.tmp, "same"), "--export-markdown", os.path.join(self.tmp, "same")],
             "--export-markdown: \"%s\" is also the destination of --export-json" % os.path.join(self.tmp, "same")),
            (["--export-json", os.path.join(self.tmp, "a.json"), "--export-html", os.path.join(d, "..", "a.json")],
             "is also the destination of --export-json"),
        ]
        for args, said in cases:
            with self.subTest(args=args):
                rc, out, err = self.gs("run", "--python", PYTHON, "-W", "sleep", "--size", "1", "--runs", "1",
                                       "--warmup", "0", "--strategies", "serial", *args)
                self.assertUsageError(rc, err, said)
                self.assertEqual(out, "")
        self.assertEqual(sorted(os.listdir(self.tmp)), ["adir", "tmpdir"])  # nothing created, no temporary left
        self.assertEqual(os.listdir(d), [])

    # --- 4. Ctrl-C while an output blocks --------------------------------------------------

    def test_ctrl_c_ends_a_write_blocked_on_a_fifo(self):
        fifo = os.path.join(self.tmp, "fifo")
        os.mkfifo(fifo)
        path = os.path.join(self.tmp, "r.json")
        p = self.start("run", "--python", PYTHON, "-W", "sleep", "--size", "1", "--tasks", "1", "--runs", "1",
                       "--warmup", "0", "--strategies", "serial", "--no-progress", "--export-markdown", fifo,
                       "--export-json", path)
        time.sleep(1.5)  # nobody reads the FIFO: the first save blocks on it
        self.assertIsNone(p.poll())
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=20)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("--export-markdown", err)
        with open(path) as f:  # the other output is written
            self.assertEqual(json.load(f)["metadata"]["interrupted"], signal.SIGINT)

    def test_ctrl_c_ends_a_write_blocked_on_a_full_stdout_pipe(self):
        r, w = os.pipe()
        fcntl.fcntl(w, F_SETPIPE_SZ, 4096)  # one page: the JSON report cannot fit
        path = os.path.join(self.tmp, "r.md")
        p = subprocess.Popen([GILSCOPE, "run", "--python", PYTHON, "-W", "sleep", "--size", "1", "--tasks", "1",
                              "--runs", "1", "--warmup", "0", "--strategies", "serial", "--no-progress",
                              "--export-json", "-", "--export-markdown", path], stdout=w, stderr=subprocess.PIPE,
                             env=self.env)
        os.close(w)
        try:
            deadline = time.monotonic() + 60
            full = 0
            while p.poll() is None and time.monotonic() < deadline:  # until nobody-reads-it fills the pipe
                full = struct.unpack("i", fcntl.ioctl(r, termios.FIONREAD, b"\0\0\0\0"))[0]
                if full >= 4096:
                    break
                time.sleep(0.1)
            self.assertGreaterEqual(full, 4096)
            time.sleep(0.5)
            self.assertIsNone(p.poll())  # blocked on stdout
            p.send_signal(signal.SIGINT)
            t0 = time.monotonic()
            p.wait(timeout=20)
            waited = time.monotonic() - t0
            err = p.stderr.read().decode()
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stderr.close()
            os.close(r)
        self.assertEqual(p.returncode, 130, err)
        self.assertLess(waited, 10)
        self.assertIn("stdout", err)
        with open(path) as f:  # the file output is written
            self.assertIn("## gilscope report", f.read())

    def test_a_fifo_is_written_in_place_when_someone_reads_it(self):
        fifo = os.path.join(self.tmp, "fifo")
        os.mkfifo(fifo)
        p = self.start("report", os.path.join(e2e_base.ROOT, "tests", "golden", "report.json"),
                       "--export-markdown", fifo)
        with open(fifo) as f:
            text = f.read()
        out, err = p.communicate(timeout=20)
        self.assertEqual(p.returncode, 0, err)
        self.assertIn("## gilscope report", text)
        self.assertTrue(os.path.exists(fifo))

    # --- 6. paths that are not UTF-8 --------------------------------------------------------

    def test_a_workload_path_that_is_not_utf8_runs_and_is_kept_exactly(self):
        d = os.fsencode(self.tmp)
        wl = os.path.join(d, b"w\xff\xfe.py")
        with open(wl, "w") as f:
            f.write("def run(arg):\n    return arg\n")
        out_path = os.path.join(d, b"out\xff.json")
        p = subprocess.run([os.fsencode(GILSCOPE), b"run", b"--python", os.fsencode(PYTHON), b"-W", wl,
                            b"--tasks", b"1", b"--runs", b"1", b"--warmup", b"0", b"--strategies", b"serial",
                            b"--no-progress", b"--export-json", out_path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, env=self.env)
        self.assertEqual(p.returncode, 0, p.stderr + p.stdout)
        with open(out_path, "rb") as f:
            rep = json.loads(f.read().decode("utf-8"))
        w = rep["workloads"][0]
        import base64
        self.assertEqual(base64.b64decode(w["spec_base64"]), wl)
        self.assertEqual(w["spec"], os.fsdecode(d) + "/w\\xff\\xfe.py")
        cmd = rep["metadata"]["command_line"]
        self.assertIn(wl, [base64.b64decode(x["base64"]) if isinstance(x, dict) else os.fsencode(x) for x in cmd])
        self.assertIn("\nw\\xff\\xfe", p.stdout.decode("utf-8"))  # the table names it, escaped
        self.assertEqual(w["name"], "w\\xff\\xfe")

    # --- 7. text from the workload is bounded ------------------------------------------------

    def test_a_five_megabyte_exception_is_cut_and_says_so(self):
        wl = self.workload("huge.py", """
def run(arg):
    raise ValueError("x" * (5 * 1024 * 1024))
""")
        path = os.path.join(self.tmp, "r.json")
        rc, out, err = self.gs("run", "--python", PYTHON, "-W", wl, "--tasks", "1", "--runs", "1", "--warmup", "0",
                               "--strategies", "serial", "--no-progress", "--export-json", path)
        self.assertEqual(rc, 1, err)
        self.assertLess(len(out), 20000)
        with open(path) as f:
            rep = json.load(f)
        run = rep["runs"][0]
        for field in ("error", "error_detail"):
            self.assertLessEqual(len(run[field].encode("utf-8")), 4096 + 100, field)
            self.assertRegex(run[field], r"\d+ bytes cut", field)
        self.assertLessEqual(len(self.cell(rep, os.path.basename(wl)[:-3], "serial")["error"].encode()), 4096 + 100)

    # --- 8. the smaller cases -------------------------------------------------------------------

    def test_os_exit_0_in_a_task_is_reported_with_its_status(self):
        wl = self.workload("exits.py", """
def run(arg):
    os._exit(0)
""")
        path = os.path.join(self.tmp, "r.json")
        rc, out, err = self.gs("run", "--python", PYTHON, "-W", wl, "--tasks", "1", "--runs", "1", "--warmup", "0",
                               "--strategies", "serial", "--no-progress", "--export-json", path)
        self.assertEqual(rc, 1, err)
        with open(path) as f:
            run = json.load(f)["runs"][0]
        self.assertEqual(run["exit_status"], 0)
        self.assertIn("exited with status 0", run["error"])

    def test_a_closed_stdout_is_exit_status_1_and_the_report_is_kept(self):
        path = os.path.join(self.tmp, "r.json")
        p = subprocess.Popen([GILSCOPE, "run", "--python", PYTHON, "-W", "sleep", "--size", "1", "--tasks", "1",
                              "--runs", "1", "--warmup", "0", "--strategies", "serial", "--no-progress",
                              "--export-json", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env)
        p.stdout.close()
        err = p.stderr.read().decode()
        p.stderr.close()
        p.wait(timeout=120)
        self.assertEqual(p.returncode, 1, err)
        self.assertIn("cannot write to stdout", err)
        with open(path) as f:
            self.assertEqual(json.load(f)["cells"][0]["runs_ok"], 1)

    def test_a_schema_version_of_zero_or_less_is_refused(self):
        for v in (0, -1):
            path = os.path.join(self.tmp, "v.json")
            with open(path, "w") as f:
                json.dump({"schema_version": v, "metadata": {}, "workloads": [], "cells": [], "runs": []}, f)
            rc, out, err = self.gs("report", path)
            self.assertEqual(rc, 2, err)
            self.assertIn("schema_version %d" % v, err)


if __name__ == "__main__":
    unittest.main()
