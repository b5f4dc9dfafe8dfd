"""What the harness tests share (not a test module: unittest discovers test_*.py).

Run the suite from the source tree with the interpreter under test:

    python3 -m unittest discover -s tests/python -t tests/python -v

A test starts the harness (workloads/harness.py) with sys.executable and the
write end of a pipe at fd 3, as gilscope does, and checks the protocol stream
(docs/protocol.md); unit tests import the package gilscope_harness directly.
Only generous physical relations are asserted about time.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

_HERE = os.path.dirname(os.path.abspath(__file__))
_PYLIB = os.path.join(os.path.dirname(_HERE), "pylib")
if _PYLIB not in sys.path:
    sys.path.insert(0, _PYLIB)

from gs_testlib import FIXTURES, ROOT, WORKLOADS, fixture, live_processes_mentioning  # noqa: E402,F401

if WORKLOADS not in sys.path:
    sys.path.append(WORKLOADS)

from gilscope_harness import interp  # noqa: E402
from gilscope_harness.interp import cores  # noqa: E402

HARNESS = os.path.join(WORKLOADS, "harness.py")
PY38 = sys.version_info < (3, 9)
# The pool strategies this interpreter runs ("processes:METHOD" names a start method).
# The strategies whose tasks run in worker processes (a start method applies).
PROCESS_POOLS = ("processes", "mp_pool")
POOLS = ["threads", "processes:fork", "processes:spawn", "processes:forkserver", "mp_pool:fork",
         "mp_pool:spawn"] + (
    [] if PY38 else ["to_thread"])
CORES = cores()
# Small sizes, so that the agreement tests stay quick.
SMALL = {"cpu": 20000, "hash": 2, "sleep": 5}


class Run(object):
    """One harness process: exit status, protocol messages, stdout, stderr."""

    def __init__(self, rc, raw, out, err):
        self.rc, self.raw, self.out, self.err = rc, raw, out, err
        self.lines = raw.split(b"\n")
        self.trailing = self.lines.pop()  # after the last newline: must be empty
        self.messages = []
        self.bad_lines = []
        for line in self.lines:
            try:
                m = json.loads(line.decode("ascii"))
            except ValueError:
                self.bad_lines.append(line)
                continue
            if isinstance(m, dict) and isinstance(m.get("type"), str):
                self.messages.append(m)
            else:
                self.bad_lines.append(line)

    @property
    def types(self):
        return [m["type"] for m in self.messages]

    def get(self, type_):
        found = [m for m in self.messages if m["type"] == type_]
        return found[0] if found else None

    def __repr__(self):
        return "<harness rc=%r types=%r\nstderr:\n%s>" % (
            self.rc, self.types, self.err.decode("utf-8", "replace")[-3000:])


def harness(*args, **kw):
    """Runs the harness with a pipe at fd 3 (none when fd3=False); keywords
    fd3, timeout (seconds), env (the environment), cwd, and script (another
    entry script than harness.py, run the same way)."""
    fd3 = kw.get("fd3", True)
    timeout = kw.get("timeout", 60)
    env = kw.get("env")
    cwd = kw.get("cwd")
    if env is None:
        # As gilscope does: a scratch directory per run, removed after it
        # however the run ended (a harness killed by a test cannot remove one
        # it made itself).
        scratch = tempfile.mkdtemp(prefix="gs-harness-test-")
        try:
            return harness(*args, **dict(kw, env=dict(os.environ, GILSCOPE_SCRATCH=scratch)))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    cmd = [sys.executable, kw.get("script", HARNESS)] + [str(a) for a in args]
    if not fd3:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)  # close_fds
        out, err = p.communicate(timeout=timeout)
        return Run(p.returncode, b"", out, err)
    r, w = os.pipe()

    def at_fd3():
        if w == 3:
            os.set_inheritable(3, True)
        else:
            os.dup2(w, 3)  # inheritable

    try:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd,
                             close_fds=False, preexec_fn=at_fd3)
    finally:
        os.close(w)
    chunks = []
    with os.fdopen(r, "rb") as pipe:
        reader = threading.Thread(target=lambda: chunks.append(pipe.read()))
        reader.start()
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            raise
        reader.join(timeout)
    return Run(p.returncode, chunks[0] if chunks else b"", out, err)


def run_args(workload, strategy, workers=2, tasks=4, size="default", probe=False):
    """The run-mode arguments; strategy may be "processes:METHOD"."""
    args = ["--mode", "run", "--workload", workload, "--workers", workers, "--tasks", tasks,
            "--size", size]
    name, _, method = strategy.partition(":")
    args += ["--strategy", name]
    if method:
        args += ["--start-method", method]
    if probe:
        args.append("--probe")
    return args


def median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2.0


def temp_dir(test):
    """A fresh directory removed when test ends."""
    tmp = tempfile.mkdtemp(prefix="gilscope-test-")
    test.addCleanup(shutil.rmtree, tmp)
    return tmp


def write_file(directory, name, text):
    """Writes text to directory/name; returns the path."""
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(text)
    return path


class HarnessTestCase(unittest.TestCase):
    def assertCleanStream(self, run):
        self.assertEqual(run.bad_lines, [], run)
        self.assertEqual(run.trailing, b"", run)

    def assertResult(self, run, strategy, tasks):
        """A successful run: the exact order, and a result that fits it."""
        self.assertCleanStream(run)
        self.assertEqual(run.types, ["hello", "start", "result"], run)
        self.assertEqual(run.rc, 0, run)
        hello, start, res = run.messages
        name, _, method = strategy.partition(":")
        self.assertEqual(start["strategy"], name)
        self.assertEqual(start["tasks"], tasks)
        if name in PROCESS_POOLS:
            # the interpreter's default: fork on Linux, forkserver from 3.14 on
            self.assertEqual(start["start_method"], method or interp.start_methods()[1])
        else:
            self.assertIsNone(start["start_method"])
        w0, w1 = res["window_start_ns"], res["window_end_ns"]
        self.assertEqual(res["strategy_wall_ns"], w1 - w0)
        self.assertEqual(sorted(t["index"] for t in res["tasks"]), list(range(tasks)))
        for t in res["tasks"]:
            self.assertTrue(w0 <= t["start_ns"] <= t["end_ns"] <= w1, t)
        self.assertRegex(res["checksum"], "^[0-9a-f]{64}$")
        self.assertGreaterEqual(res["cpu_user_s"], 0)
        self.assertGreaterEqual(res["cpu_sys_s"], 0)
        self.assertGreater(res["max_rss_bytes"], 1 << 20)
        seen = set((t["pid"], t["tid"]) for t in res["tasks"])
        self.assertEqual(sorted(seen), sorted((s["pid"], s["tid"]) for s in res["workers_seen"]))
        pids = set(p for p, _ in seen)
        if name in PROCESS_POOLS:
            self.assertNotIn(hello["pid"], pids)
            self.assertLessEqual(len(pids), start["workers"])
        elif tasks:
            self.assertEqual(pids, {hello["pid"]})
            self.assertLessEqual(len(seen), start["workers"])
        if name == "serial":
            self.assertEqual(start["workers"], 1)
        if name == "serial" or start["warm_calls"]:  # --warm-calls: the pool started before the window
            self.assertIsNone(res["pool_startup_ns"])
        else:
            self.assertGreater(res["pool_startup_ns"], 0)
            self.assertLessEqual(res["pool_startup_ns"], res["strategy_wall_ns"])
        self.assertIsInstance(start["probe"], bool)
        if start["probe"]:
            self.assertProbe(res)
        else:
            self.assertIsNone(res["probe"])
        return res

    def assertProbe(self, res):
        """A result's probe record: a thread of the harness that ran no task."""
        probe = res["probe"]
        self.assertEqual(sorted(probe), ["interval_ns", "lateness_ns", "tid"])
        self.assertIsInstance(probe["tid"], int)
        self.assertNotIn(probe["tid"], [t["tid"] for t in res["tasks"]])
        self.assertEqual(probe["interval_ns"], 10 ** 6)
        late = probe["lateness_ns"]
        self.assertIsInstance(late, list)
        self.assertTrue(0 < len(late) <= 20000, len(late))
        for x in late:
            self.assertIsInstance(x, int)
            self.assertGreaterEqual(x, 0)
        # One value per 1 ms sleep at most; the probe runs from just before the
        # window to just after it (a few ms more on a loaded machine: a
        # zero-task window on 3.15 once held 3 values).
        self.assertLessEqual(len(late), res["strategy_wall_ns"] // 10 ** 6 + 5)

    def assertError(self, run, stage, order=("hello", "start", "error")):
        self.assertCleanStream(run)
        self.assertEqual(run.types, list(order), run)
        self.assertEqual(run.rc, 1, run)
        err = run.get("error")
        self.assertEqual(err["stage"], stage, err)
        self.assertIsInstance(err["message"], str)
        return err

    def run_ok(self, workload, strategy, workers=2, tasks=4, size="default", probe=False):
        if strategy == "to_thread" and PY38:
            self.skipTest("to_thread needs Python 3.9")
        run = harness(*run_args(workload, strategy, workers, tasks, size, probe))
        res = self.assertResult(run, strategy, tasks)
        self.assertIs(run.get("start")["probe"], probe)
        return res
