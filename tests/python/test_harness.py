"""Tests of the Python harness (workloads/harness.py), standard library only.

Run from the source tree with the interpreter under test:

    python3 -m unittest discover -s tests/python -v

Each test starts the harness with sys.executable and the write end of a pipe at
fd 3, as gilscope does, and checks the protocol stream (docs/protocol.md). Only
generous physical relations are asserted about time.
"""

import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKLOADS = os.path.join(ROOT, "workloads")
HARNESS = os.path.join(WORKLOADS, "harness.py")
FIXTURES = os.path.join(HERE, "fixtures")
if WORKLOADS not in sys.path:
    sys.path.append(WORKLOADS)

import gilscope_harness  # noqa: E402

PY38 = sys.version_info < (3, 9)
# The pool strategies this interpreter runs ("processes:METHOD" names a start method).
POOLS = ["threads", "processes:fork", "processes:spawn", "processes:forkserver"] + (
    [] if PY38 else ["to_thread"])
CORES = gilscope_harness.cores()
# Small sizes, so that the agreement tests stay quick.
SMALL = {"cpu": 20000, "hash": 2, "sleep": 5}


def fixture(name):
    return os.path.join(FIXTURES, name)


RAISE_THEN_HANG = """\
import time

KIND = "io"


def make_tasks(n, size):
    return list(range(n))


def run(i):
    if i == 0:
        time.sleep(0.05)
        raise RuntimeError("first")
    time.sleep(120)
"""


def live_processes_mentioning(text):
    """Pids of live (non-zombie) processes whose command line contains text."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open("/proc/%s/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if text in cmd and state not in ("Z", "X"):
            found.append(int(pid))
    return found


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
    fd3, timeout (seconds) and env (the environment)."""
    fd3 = kw.get("fd3", True)
    timeout = kw.get("timeout", 60)
    env = kw.get("env")
    cmd = [sys.executable, HARNESS] + [str(a) for a in args]
    if not fd3:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # close_fds
        out, err = p.communicate(timeout=timeout)
        return Run(p.returncode, b"", out, err)
    r, w = os.pipe()

    def at_fd3():
        if w == 3:
            os.set_inheritable(3, True)
        else:
            os.dup2(w, 3)  # inheritable

    try:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
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
        if name == "processes":
            self.assertEqual(start["start_method"], method or "fork")
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
        if name == "processes":
            self.assertNotIn(hello["pid"], pids)
            self.assertLessEqual(len(pids), start["workers"])
        elif tasks:
            self.assertEqual(pids, {hello["pid"]})
            self.assertLessEqual(len(seen), start["workers"])
        if name == "serial":
            self.assertIsNone(res["pool_startup_ns"])
            self.assertEqual(start["workers"], 1)
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
        # One value per 1 ms sleep at most, inside a window that is barely longer.
        self.assertLessEqual(len(late), res["strategy_wall_ns"] // 10 ** 6 + 2)

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


class Protocol(HarnessTestCase):
    def test_hello_first_with_interpreter_facts(self):
        run = harness(*run_args("sleep", "serial", tasks=1, size=1))
        res = self.assertResult(run, "serial", 1)
        hello = run.messages[0]
        self.assertEqual(hello["protocol"], 1)
        self.assertEqual(hello["pid"], res["tasks"][0]["pid"])
        py = hello["python"]
        self.assertEqual(py["implementation"], "CPython")
        self.assertEqual(py["version"], "%d.%d.%d" % sys.version_info[:3])
        self.assertEqual(py["executable"], os.path.realpath(sys.executable))
        self.assertIn("[", py["build"])
        self.assertIs(py["gil_enabled"], True)
        self.assertIs(py["free_threaded"], False)
        self.assertEqual(hello["cores"], CORES)

    def test_start_reports_what_runs(self):
        run = harness(*run_args("cpu", "processes", workers=2, tasks=2, size=1000))
        self.assertResult(run, "processes", 2)
        start = run.get("start")
        self.assertEqual((start["workload"], start["kind"], start["workers"], start["size"]),
                         ("cpu", "cpu", 2, 1000))
        self.assertEqual(start["start_method"], "fork")  # the platform default

    def test_size_default_is_the_workloads(self):
        run = harness(*run_args("sleep", "serial", tasks=1))
        self.assertResult(run, "serial", 1)
        self.assertEqual(run.get("start")["size"], 50)
        run = harness(*run_args(fixture("raising.py"), "serial", tasks=1))
        self.assertEqual(run.get("start")["size"], 1)  # no DEFAULT_SIZE

    def test_zero_tasks(self):
        for strategy in ("serial", "threads"):
            self.run_ok("sleep", strategy, tasks=0)
            self.run_ok("sleep", strategy, tasks=0, probe=True)  # still one probe value

    def test_no_fd3_is_a_usage_error(self):
        run = harness("--mode", "info", fd3=False)
        self.assertEqual(run.rc, 2)
        self.assertIn(b"fd 3", run.err)

    def test_bad_arguments_exit_2(self):
        run = harness("--mode", "run", "--workload", "sleep", "--strategy", "nosuch")
        self.assertEqual(run.rc, 2)
        self.assertEqual(run.messages, [])

    @unittest.skipUnless(PY38, "only Python 3.8 lacks asyncio.to_thread")
    def test_to_thread_unavailable_on_38(self):
        run = harness(*run_args("sleep", "to_thread", size=1))
        self.assertCleanStream(run)
        self.assertEqual(run.types, ["hello", "unavailable"], run)
        self.assertEqual(run.rc, 0)
        self.assertEqual(run.get("unavailable")["strategy"], "to_thread")
        self.assertEqual(run.get("unavailable")["reason"],
                         "needs Python 3.9 (this is %d.%d.%d)" % sys.version_info[:3])

    def test_info_lists_builtins(self):
        run = harness("--mode", "info")
        self.assertCleanStream(run)
        self.assertEqual(run.types, ["hello", "info"], run)
        self.assertEqual(run.rc, 0)
        info = run.get("info")
        strategies = dict((s["name"], s) for s in info["strategies"])
        self.assertEqual([s["name"] for s in info["strategies"]],
                         ["serial", "threads", "processes", "to_thread"])
        self.assertIs(strategies["to_thread"]["available"], not PY38)
        if PY38:
            self.assertIn("needs Python 3.9", strategies["to_thread"]["reason"])
        else:
            self.assertIsNone(strategies["to_thread"]["reason"])
        self.assertEqual(sorted(info["start_methods"]), ["fork", "forkserver", "spawn"])
        self.assertEqual(info["default_start_method"], "fork")
        wls = dict((w["name"], w) for w in info["workloads"])
        self.assertEqual(sorted(wls), ["cpu", "empty", "hash", "sleep"])
        self.assertEqual(wls["cpu"]["description"], "pure-Python arithmetic (CPU-bound)")
        self.assertIn("releases the GIL", wls["hash"]["description"])
        self.assertEqual([wls[n]["kind"] for n in ("cpu", "hash", "sleep")], ["cpu", "cpu", "io"])
        self.assertEqual(wls["sleep"]["default_size"], 50)
        self.assertIs(wls["sleep"]["has_async"], True)
        self.assertIs(wls["cpu"]["has_async"], False)
        for w in wls.values():
            self.assertIs(w["builtin"], True)
            self.assertIsNone(w["error"])
            self.assertIsInstance(w["default_size"], int)

    def test_info_with_specs_keeps_order_and_names_load_errors(self):
        run = harness("--mode", "info", "--workload", fixture("syntax_error.py"),
                      "--workload", "sleep", "--workload", fixture("disagree.py"))
        self.assertEqual(run.types, ["hello", "info"], run)
        wls = run.get("info")["workloads"]
        self.assertEqual([w["spec"] for w in wls],
                         [fixture("syntax_error.py"), "sleep", fixture("disagree.py")])
        bad = wls[0]
        self.assertRegex(bad["error"], r"^syntax_error\.py: SyntaxError: .* \(line 3\)$")
        for key in ("name", "kind", "description", "default_size", "has_async"):
            self.assertIsNone(bad[key], key)
        self.assertIsNone(wls[1]["error"])
        self.assertEqual((wls[2]["name"], wls[2]["builtin"], wls[2]["kind"]), ("disagree", False, "mixed"))
        self.assertIsNone(wls[2]["default_size"])


class Agreement(HarnessTestCase):
    """Every strategy gives the serial checksum on every built-in."""

    def check(self, workload):
        serial = self.run_ok(workload, "serial", size=SMALL[workload])["checksum"]
        for strategy in POOLS:
            res = self.run_ok(workload, strategy, size=SMALL[workload])
            self.assertEqual(res["checksum"], serial, strategy)
        return serial

    def test_cpu(self):
        self.check("cpu")

    def test_hash(self):
        self.check("hash")

    def test_sleep(self):
        self.check("sleep")

    def test_results_depend_on_task_and_size(self):
        a = self.run_ok("hash", "serial", tasks=2, size=1)["checksum"]
        b = self.run_ok("hash", "serial", tasks=2, size=2)["checksum"]
        self.assertNotEqual(a, b)
        import hash as hash_workload

        self.assertNotEqual(hash_workload.run((0, 1)), hash_workload.run((1, 1)))

    def test_user_workload_under_every_start_method(self):
        serial = self.run_ok(fixture("writes_fd3.py"), "serial", tasks=3)["checksum"]
        for method in ("fork", "spawn", "forkserver"):
            res = self.run_ok(fixture("writes_fd3.py"), "processes:" + method, tasks=3)
            self.assertEqual(res["checksum"], serial, method)

    def test_hidden_state_disagrees_under_processes(self):
        serial = self.run_ok(fixture("disagree.py"), "serial", tasks=6)["checksum"]
        procs = self.run_ok(fixture("disagree.py"), "processes", tasks=6)["checksum"]
        self.assertNotEqual(procs, serial)


class Failures(HarnessTestCase):
    def test_raising_task(self):
        for strategy in ["serial"] + POOLS:
            run = harness(*run_args(fixture("raising.py"), strategy, tasks=3))
            err = self.assertError(run, "tasks")
            self.assertEqual(err["task"], 1, strategy)
            self.assertEqual(err["message"], "ValueError: task 1 raised on purpose", strategy)
            self.assertIn("Traceback", err["traceback"])
            self.assertIn("raising.py", err["traceback"], strategy)  # the worker's own traceback

    def test_syntax_error_is_a_load_error(self):
        run = harness(*run_args(fixture("syntax_error.py"), "processes"))
        err = self.assertError(run, "load", order=("hello", "error"))
        self.assertRegex(err["message"], r"^syntax_error\.py: SyntaxError: .* \(line 3\)$")
        self.assertIsNone(err["task"])

    def test_missing_run_and_import_error_are_load_errors(self):
        tmp = tempfile.mkdtemp(prefix="gilscope-test-")
        self.addCleanup(shutil.rmtree, tmp)
        cases = {"norun.py": ("KIND = 'cpu'\n", "norun.py: no top-level function run(arg)"),
                 "badimport.py": ("import gilscope_no_such_module\n\ndef run(arg):\n    return arg\n",
                                  "badimport.py: ModuleNotFoundError: No module named "
                                  "'gilscope_no_such_module'"),
                 "badkind.py": ("KIND = 'gpu'\n\ndef run(arg):\n    return arg\n",
                                "badkind.py: KIND must be")}
        for name, (text, message) in cases.items():
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(text)
            run = harness(*run_args(path, "serial"))
            err = self.assertError(run, "load", order=("hello", "error"))
            self.assertTrue(err["message"].startswith(message), err["message"])
            self.assertNotIn("\n", err["message"])

    def test_unknown_builtin_is_a_load_error(self):
        run = harness(*run_args("nosuch", "serial"))
        err = self.assertError(run, "load", order=("hello", "error"))
        self.assertIn("nosuch", err["message"])

    def test_crashing_worker_breaks_the_pool(self):
        for method in ("fork", "spawn"):
            run = harness(*run_args(fixture("crashing.py"), "processes:" + method, tasks=2))
            err = self.assertError(run, "run")
            self.assertIn("BrokenProcessPool", err["message"])
            self.assertIn("SIGABRT", err["message"])
            self.assertIsNone(err["task"])

    def test_crash_in_the_harness_ends_the_stream_inside_the_window(self):
        run = harness(*run_args(fixture("crashing.py"), "serial", tasks=1))
        self.assertEqual(run.types, ["hello", "start"])
        self.assertLess(run.rc, 0)  # killed by SIGABRT

    def test_error_never_waits_for_running_tasks(self):
        tmp = tempfile.mkdtemp(prefix="gilscope-test-")
        self.addCleanup(shutil.rmtree, tmp)
        path = os.path.join(tmp, "raise_then_hang.py")
        with open(path, "w") as f:
            f.write(RAISE_THEN_HANG)
        for strategy in POOLS:
            run = harness(*run_args(path, strategy, tasks=6), timeout=30)
            err = self.assertError(run, "tasks")
            self.assertEqual((err["task"], err["message"]), (0, "RuntimeError: first"), strategy)
            # fork workers carry the harness's command line, hence the path
            self.assertEqual(live_processes_mentioning(path), [], strategy)

    def test_task_writing_to_fd3_leaves_the_stream_clean(self):
        serial = self.run_ok(fixture("writes_fd3.py"), "serial", tasks=3)["checksum"]
        for strategy in POOLS:
            res = self.run_ok(fixture("writes_fd3.py"), strategy, tasks=3)
            self.assertEqual(res["checksum"], serial, strategy)
        # Every task gets DEFAULT_SIZE = 3 and returns 6.
        self.assertEqual(serial, gilscope_harness.checksum([6, 6, 6]))

    def test_chatty_workload(self):
        for strategy in ("threads", "processes"):
            run = harness(*run_args(fixture("chatty.py"), strategy, tasks=4))
            self.assertResult(run, strategy, 4)
            self.assertGreaterEqual(len(run.out), 4 * 2000 * 80)
            self.assertGreaterEqual(len(run.err), 4 * 2000 * 80)


class Measurement(HarnessTestCase):
    def run_logged(self, strategy, workers=2, tasks=4):
        """Runs the cpu_logged fixture; returns (result, the tasks' own CPU seconds)."""
        fd, log = tempfile.mkstemp(prefix="gilscope-cpu-")
        os.close(fd)
        self.addCleanup(os.unlink, log)
        env = dict(os.environ, GS_CPU_LOG=log)
        run = harness(*run_args(fixture("cpu_logged.py"), strategy, workers, tasks), env=env)
        res = self.assertResult(run, strategy, tasks)
        with open(log) as f:
            lines = f.read().split()
        self.assertEqual(len(lines), 2 * tasks)
        return res, sum(float(x) for x in lines[1::2])

    def test_cpu_time_of_every_process(self):
        # The tasks' own CPU time is all inside the window and must be counted,
        # in whichever process ran them; the total cannot exceed what the cores
        # could give in the wall time.
        for strategy in ["serial"] + POOLS:
            res, task_cpu = self.run_logged(strategy)
            cpu = res["cpu_user_s"] + res["cpu_sys_s"]
            wall = res["strategy_wall_ns"] / 1e9
            busy = sum(t["end_ns"] - t["start_ns"] for t in res["tasks"]) / 1e9
            label = "%s: cpu %.3f s, tasks' cpu %.3f s, tasks' time %.3f s, wall %.3f s" % (
                strategy, cpu, task_cpu, busy, wall)
            self.assertGreater(task_cpu, 0.05, label)
            self.assertLessEqual(task_cpu, busy + 0.01, label)  # a task's CPU fits its duration
            self.assertGreaterEqual(cpu, 0.9 * task_cpu - 0.02, label)
            self.assertLessEqual(cpu, CORES * wall * 1.2 + 0.05, label)
            self.assertLessEqual(cpu, 1.2 * task_cpu + 0.6, label)  # start-ups are small

    def test_sleeps_overlap_on_threads(self):
        serial = self.run_ok("sleep", "serial", tasks=8, size=50)
        self.assertGreaterEqual(serial["strategy_wall_ns"], 400e6)
        threads = self.run_ok("sleep", "threads", workers=8, tasks=8, size=50)
        # Under the serial 400 ms even on a loaded machine, because the sleeps overlap:
        # at some instant at least four of the eight tasks were sleeping at once.
        self.assertLess(threads["strategy_wall_ns"], serial["strategy_wall_ns"] * 0.9)
        edges = sorted([(t["start_ns"], 1) for t in threads["tasks"]] + [(t["end_ns"], -1) for t in threads["tasks"]])
        running = peak = 0
        for _, step in edges:
            running += step
            peak = max(peak, running)
        self.assertGreaterEqual(peak, 4, threads["tasks"])
        self.assertEqual(len(threads["workers_seen"]), 8)
        self.assertLess(threads["cpu_user_s"] + threads["cpu_sys_s"], 0.2)

    def test_pool_startup_is_inside_the_wall(self):
        for strategy in POOLS:
            res = self.run_ok("sleep", strategy, workers=2, tasks=2, size=1)
            first = min(t["start_ns"] for t in res["tasks"]) - res["window_start_ns"]
            # The tasks wait for every worker's warm-up.
            self.assertLessEqual(res["pool_startup_ns"], first + 50 * 10 ** 6, strategy)

    def test_processes_are_the_workers(self):
        res = self.run_ok("cpu", "processes:forkserver", workers=2, tasks=4, size=200000)
        self.assertGreater(res["max_rss_bytes"], 4 << 20)


class GilProbe(HarnessTestCase):
    def test_probe_under_every_strategy(self):
        for strategy in ["serial"] + POOLS:
            res = self.run_ok("sleep", strategy, workers=2, tasks=4, size=20, probe=True)
            self.assertProbe(res)

    def test_no_probe_without_the_flag(self):
        res = self.run_ok("sleep", "threads", tasks=2, size=1)
        self.assertIsNone(res["probe"])

    def test_gil_bound_threads_make_the_probe_late(self):
        # Two threads compete for the GIL with the probe: it waits for a
        # switch interval (5 ms) or more to run again after its sleep.
        res = self.run_ok("cpu", "threads", workers=2, tasks=4, size=300000, probe=True)
        late = res["probe"]["lateness_ns"]
        self.assertGreater(median(late), 1e6, late)

    def test_sleeping_threads_leave_the_probe_on_time(self):
        res = self.run_ok("sleep", "threads", workers=2, tasks=4, size=50, probe=True)
        late = res["probe"]["lateness_ns"]
        self.assertLess(median(late), 3e6, late)

    def test_probe_keeps_the_first_values(self):
        probe = gilscope_harness.Probe(limit=3)
        probe.start()
        self.assertIsInstance(probe.tid, int)  # running once start returns
        self.assertNotEqual(probe.tid, threading.get_native_id())
        time.sleep(0.03)
        rec = probe.stop()
        self.assertFalse(probe._thread.is_alive())
        self.assertEqual(len(rec["lateness_ns"]), 3)
        self.assertEqual(gilscope_harness.Probe.LIMIT, 20000)


class Fixtures(HarnessTestCase):
    def test_lock_queue_serializes_threads(self):
        # The threads queue on the workload's lock: no overlap however many workers.
        res = self.run_ok(fixture("lock_queue.py"), "threads", workers=4, tasks=4, size=20)
        self.assertGreaterEqual(res["strategy_wall_ns"], 4 * 20e6)
        self.assertEqual(len(res["workers_seen"]), 4)
        self.assertEqual(res["checksum"], gilscope_harness.checksum([20] * 4))

    def test_event_wait_overlaps_threads(self):
        res = self.run_ok(fixture("event_wait.py"), "threads", workers=4, tasks=4, size=50)
        self.assertGreaterEqual(min(t["end_ns"] - t["start_ns"] for t in res["tasks"]), 50e6)
        self.assertLess(res["strategy_wall_ns"], 3 * 50e6)
        self.assertEqual(res["checksum"], gilscope_harness.checksum([50] * 4))


class Checksum(unittest.TestCase):
    canonical = staticmethod(gilscope_harness.canonical)

    def test_equal_values_equal_encodings(self):
        self.assertEqual(self.canonical({"b": 1, "a": [1, 2]}), self.canonical({"a": [1, 2], "b": 1}))
        self.assertEqual(self.canonical({3, 1, 2}), self.canonical(frozenset([2, 3, 1])))
        self.assertEqual(self.canonical(b"xy"), self.canonical(bytearray(b"xy")))
        big = 10 ** 5000  # more digits than int -> str allows on 3.11+
        self.assertEqual(self.canonical(big), self.canonical(10 ** 5000))

    def test_different_values_differ(self):
        values = [None, True, False, 0, 1, 1.0, -1, "1", b"1", [1], (1,), {1}, {1: 1}, [[1]],
                  [1, 2], [12], ["1", "2"], ["12"], "", b"", [], (), {}, 0.1, -0.0, 2 ** 64]
        encodings = [self.canonical(v) for v in values]
        self.assertEqual(len(set(encodings)), len(values))

    def test_survives_pickling_like_process_results(self):
        results = [{"k": (1, 2.5, "s")}, {frozenset([1, 2]), "x"}, None, [b"\x00", 3 ** 70]]
        self.assertEqual(gilscope_harness.checksum(results),
                         gilscope_harness.checksum(pickle.loads(pickle.dumps(results))))

    def test_cycles_and_other_objects(self):
        a = [1]
        a.append(a)
        self.canonical(a)  # terminates
        self.assertEqual(self.canonical(complex(1, 2)), self.canonical(complex(1, 2)))
        self.assertRegex(gilscope_harness.checksum([1]), "^[0-9a-f]{64}$")


if __name__ == "__main__":
    unittest.main()
