"""The strategies (gilscope_harness.strategies): every one gives the serial
results; the registry and the interface every strategy module exposes."""

import ast
import inspect
import os
import sys
import types
import unittest

from harness_testlib import (POOLS, PY38, SMALL, WORKLOADS, HarnessTestCase, fixture, harness,
                             run_args, temp_dir, write_file)

from gilscope_harness import strategies
from gilscope_harness.checksum import checksum
from gilscope_harness.interp import start_methods
from gilscope_harness.strategies._base import Options
from gilscope_harness.workload import load_workload

PACKAGE = os.path.join(WORKLOADS, "gilscope_harness")
# Subinterpreters with their own GIL exist from 3.12 on (the interpreters strategy).
SUBINTERPRETERS = sys.version_info >= (3, 12)
# The interface of a strategy module (strategies/__init__.py), with the
# parameters of each function.
INTERFACE = {
    "workers": ["requested"],
    "start_method": ["requested"],
    "unavailable_reason": ["workload", "python", "opts"],
    "workload_problem": ["workload", "opts"],
    "preload": ["opts"],
    "prepare": ["workload", "args", "workers", "opts"],
    "execute": ["workload", "args", "workers", "opts"],
}

# A strategy added the way strategies/__init__.py says, as a test double of
# the native asyncio strategy of the design: it needs run_async.
DEMO_STRATEGY = '''\
"""demo_async: asyncio.gather of the workload's run_async calls."""

import os
import threading
import time

from gilscope_harness.strategies._base import Outcome

NAME = "demo_async"
ASKED = []  # the workloads unavailable_reason was asked about


def workers(requested):
    return requested


def start_method(requested):
    return None


def unavailable_reason(workload, python, opts):
    ASKED.append(None if workload is None else workload.name)
    if workload is not None and workload.run_async is None:
        return "the workload has no run_async (asked about %r)" % ASKED
    return None


def workload_problem(workload, opts):
    return None


def preload(opts):
    import asyncio  # noqa: F401


def execute(workload, args, workers, opts):
    import asyncio

    async def one(i, arg):
        start = time.monotonic_ns()
        value = await workload.run_async(arg)
        return value, (i, start, time.monotonic_ns(), os.getpid(), threading.get_native_id())

    async def main():
        return await asyncio.gather(*[one(i, a) for i, a in enumerate(args)])

    done = asyncio.run(main())
    return Outcome([v for v, _ in done], [r for _, r in done], time.monotonic_ns())
'''

# An entry script that registers demo_async (one line, as in the registry)
# and runs the harness; fd 3 stays where it is.
DEMO_ENTRY = '''\
import sys

sys.path[:0] = [%r, %r]
from gilscope_harness import cli, strategies
import demo_async

strategies.REGISTRY = strategies.REGISTRY + (strategies._base.complete(demo_async),)  # as REGISTRY does
sys.exit(cli.main(3))
'''


class WarmUp(HarnessTestCase):
    """--warm-calls CALLS: every worker calls run CALLS times before the window
    opens; the window then holds the tasks only and no pool start-up."""

    def calls(self, strategy, warm, workers=2, tasks=4):
        if strategy == "to_thread" and PY38:
            self.skipTest("to_thread needs Python 3.9")
        log = os.path.join(temp_dir(self), "calls.log")
        env = dict(os.environ, GS_CALL_LOG=log)
        args = run_args(fixture("call_logged.py"), strategy, workers, tasks) + ["--warm-calls", warm]
        run = harness(*args, env=env)
        res = self.assertResult(run, strategy, tasks)
        self.assertEqual(run.get("start")["warm_calls"], warm)
        with open(log) as f:
            lines = [tuple(int(x) for x in line.split()) for line in f]
        before = [(pid, tid) for pid, tid, ns in lines if ns < res["window_start_ns"]]
        inside = [(pid, tid) for pid, tid, ns in lines if ns >= res["window_start_ns"]]
        return res, before, inside

    def test_every_worker_warms_before_the_window(self):
        for strategy in ["serial", "threads", "to_thread", "processes:fork", "processes:spawn"] + (
                ["interpreters"] if SUBINTERPRETERS else []):
            workers = 1 if strategy == "serial" else 2
            with self.subTest(strategy=strategy):
                res, before, inside = self.calls(strategy, 3, workers)
                self.assertEqual(len(inside), 4)  # the tasks, and only they, in the window
                self.assertEqual(len(before), 3 * workers)
                who = set(before)  # a worker is a thread (or the process of a pool)
                self.assertEqual(len(who), workers, before)
                for w in who:
                    self.assertEqual(before.count(w), 3)
                self.assertIsNone(res["pool_startup_ns"])

    def test_without_warm_up_nothing_runs_before_the_window(self):
        res, before, inside = self.calls("threads", 0)
        self.assertEqual((len(before), len(inside)), (0, 4))
        self.assertIsNotNone(res["pool_startup_ns"])


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
        hash_workload = load_workload("hash").module

        self.assertNotEqual(hash_workload.run((0, 1)), hash_workload.run((1, 1)))

    def test_user_workload_under_every_start_method(self):
        serial = self.run_ok(fixture("writes_fd3.py"), "serial", tasks=3)["checksum"]
        for method in ("fork", "spawn", "forkserver"):
            res = self.run_ok(fixture("writes_fd3.py"), "processes:" + method, tasks=3)
            self.assertEqual(res["checksum"], serial, method)

    def test_hidden_state_disagrees_under_processes(self):
        serial = self.run_ok(fixture("disagree.py"), "serial", tasks=6)["checksum"]
        procs = self.run_ok(fixture("disagree.py"), "processes:fork", tasks=6)["checksum"]
        self.assertNotEqual(procs, serial)


class Fixtures(HarnessTestCase):
    def test_lock_queue_serializes_threads(self):
        # The threads queue on the workload's lock: no overlap however many workers.
        res = self.run_ok(fixture("lock_queue.py"), "threads", workers=4, tasks=4, size=20)
        self.assertGreaterEqual(res["strategy_wall_ns"], 4 * 20e6)
        self.assertEqual(len(res["workers_seen"]), 4)
        self.assertEqual(res["checksum"], checksum([20] * 4))

    def test_event_wait_overlaps_threads(self):
        res = self.run_ok(fixture("event_wait.py"), "threads", workers=4, tasks=4, size=50)
        self.assertGreaterEqual(min(t["end_ns"] - t["start_ns"] for t in res["tasks"]), 50e6)
        self.assertLess(res["strategy_wall_ns"], 3 * 50e6)
        self.assertEqual(res["checksum"], checksum([50] * 4))


class Registry(unittest.TestCase):
    def test_order_and_names(self):
        self.assertEqual(strategies.names(), ("serial", "threads", "processes", "mp_pool", "to_thread",
                                              "asyncio", "interpreters"))
        for module in strategies.REGISTRY:
            self.assertIs(strategies.get(module.NAME), module)
            self.assertEqual(module.__name__, "gilscope_harness.strategies." + module.NAME)

    def test_unknown_strategy_is_refused(self):
        with self.assertRaises(KeyError) as cm:
            strategies.get("nosuch")
        self.assertIn("serial, threads, processes, mp_pool, to_thread", str(cm.exception))

    def test_every_module_has_the_interface(self):
        for module in strategies.REGISTRY:
            self.assertIsInstance(module.NAME, str)
            self.assertTrue((module.__doc__ or "").startswith(module.NAME + ":"), module.NAME)
            for name, params in INTERFACE.items():
                fn = getattr(module, name, None)
                self.assertTrue(callable(fn), "%s.%s" % (module.NAME, name))
                self.assertEqual(list(inspect.signature(fn).parameters), params,
                                 "%s.%s" % (module.NAME, name))

    def test_a_module_gets_the_defaults_it_does_not_define(self):
        # A strategy writes NAME, execute and what differs; complete() fills the
        # rest with the interface's defaults and keeps what the module defines.
        from gilscope_harness.strategies import _base
        mod = types.ModuleType("gilscope_harness.strategies.demo_minimal")
        mod.NAME = "demo_minimal"
        mod.execute = lambda workload, args, workers, opts: None
        mod.workers = lambda requested: 1
        self.assertIs(_base.complete(mod), mod)
        self.assertEqual(mod.workers(4), 1)
        self.assertIsNone(mod.start_method("spawn"))
        self.assertIsNone(mod.unavailable_reason(None, (3, 12, 1), Options()))
        self.assertIsNone(mod.workload_problem(None, Options()))
        self.assertIsNone(mod.preload(Options()))
        for name, params in INTERFACE.items():
            if name not in ("NAME", "execute", "workers"):
                self.assertEqual(list(inspect.signature(getattr(mod, name)).parameters), params, name)

    def test_names_are_written_only_in_their_module(self):
        names = set(strategies.names())
        found = []
        for directory, _, files in os.walk(PACKAGE):
            for f in sorted(files):
                if not f.endswith(".py"):
                    continue
                path = os.path.join(directory, f)
                with open(path) as src:
                    tree = ast.parse(src.read(), path)
                for node in ast.walk(tree):
                    if isinstance(node, ast.Constant) and node.value in names:
                        found.append((os.path.relpath(path, PACKAGE), node.value))
        self.assertEqual(sorted(found), sorted(("strategies/%s.py" % n, n) for n in names))

    def test_availability_and_settings(self):
        serial, threads, processes, mp_pool, to_thread, native, interp = strategies.REGISTRY
        opts = Options()
        for module in strategies.REGISTRY[:-1]:  # interpreters tries this interpreter for real
            self.assertIsNone(module.unavailable_reason(None, (3, 12, 1), opts), module.NAME)
        self.assertEqual(interp.unavailable_reason(None, (3, 11, 7), opts),
                         "needs Python 3.12 or newer (per-interpreter GIL, PEP 684); this is 3.11.7")
        self.assertEqual(to_thread.unavailable_reason(None, (3, 8, 18), opts),
                         "needs Python 3.9 (this is 3.8.18)")
        self.assertIsNone(serial.unavailable_reason(None, (3, 8, 18), opts))
        self.assertEqual(processes.unavailable_reason(None, (3, 12, 1), Options("nosuch")),
                         "start method nosuch is not available here (available: %s)"
                         % ", ".join(start_methods()[0]))
        self.assertEqual([m.workers(4) for m in strategies.REGISTRY], [1, 4, 4, 4, 4, 4, 4])
        self.assertEqual([m.start_method("spawn") for m in strategies.REGISTRY],
                         [None, None, "spawn", "spawn", None, None, None])
        # Linux's default start method: fork, forkserver from 3.14 on
        self.assertEqual(processes.start_method(None), "forkserver" if sys.version_info >= (3, 14) else "fork")

    def test_unavailable_reason_sees_the_workload(self):
        wl = load_workload("sleep")
        opts = Options()
        for module in strategies.REGISTRY[:-1]:  # interpreters: class Interpreters
            self.assertIsNone(module.unavailable_reason(wl, (3, 12, 1), opts), module.NAME)
        self.assertIsNone(strategies.REGISTRY[2].workload_problem(wl, opts))


class NativeAsyncio(HarnessTestCase):
    """asyncio: the workload's run_async on one event loop, workers at a time."""

    def test_same_results_as_serial_on_one_thread(self):
        serial = self.run_ok("sleep", "serial", tasks=6, size=2)
        res = self.run_ok("sleep", "asyncio", workers=3, tasks=6, size=2)
        self.assertEqual(res["checksum"], serial["checksum"])
        self.assertEqual(len(res["workers_seen"]), 1)  # every coroutine on the main thread

    def test_at_most_workers_tasks_at_once(self):
        res = self.run_ok("sleep", "asyncio", workers=2, tasks=6, size=40)
        spans = [(t["start_ns"], t["end_ns"]) for t in res["tasks"]]
        most = max(sum(1 for a, b in spans if a <= s < b) for s, _ in spans)
        self.assertEqual(most, 2)
        # three rounds of two 40 ms sleeps: more than two rounds, well under six sleeps
        self.assertGreater(res["strategy_wall_ns"], 2 * 40e6)
        self.assertLess(res["strategy_wall_ns"], 6 * 40e6)

    def test_unavailable_without_run_async_naming_it(self):
        for workload, reason in (("cpu", "cpu.py defines no run_async: the asyncio strategy runs "
                                         "async def run_async(arg)"),
                                 (fixture("async_not_coroutine.py"),
                                  "async_not_coroutine.py defines run_async, but not as a coroutine "
                                  "function (async def run_async(arg))")):
            run = harness(*run_args(workload, "asyncio"))
            self.assertCleanStream(run)
            self.assertEqual(run.types, ["hello", "unavailable"], run)
            self.assertEqual(run.rc, 0)
            self.assertEqual(run.get("unavailable")["reason"], reason)

    def test_a_raising_coroutine_fails_the_run_naming_the_task(self):
        run = harness(*run_args(fixture("async_raising.py"), "asyncio", tasks=3))
        err = self.assertError(run, "tasks")
        self.assertEqual(err["task"], 1)
        self.assertIn("ValueError: task 1 raised on purpose", err["message"])
        self.assertIn("run_async", err["traceback"])

    def test_warm_calls_await_run_async_before_the_window(self):
        run = harness(*(run_args("sleep", "asyncio", tasks=2, size=1) + ["--warm-calls", "2"]))
        res = self.assertResult(run, "asyncio", 2)
        self.assertIsNone(res["pool_startup_ns"])


# Logs where each call of run ran: "PID TID INTERPRETER-ID GIL" (GIL: "own" or
# "shared" where the interpreter says, else "?").
WHERE_LOGGED = """\
\"\"\"each call of run appends where it ran to $GS_CALL_LOG\"\"\"
import os
import threading

KIND = "cpu"


def _where():
    try:
        import _interpreters as mod  # 3.13+
    except ImportError:
        import _xxsubinterpreters as mod  # 3.12
        return int(mod.get_current()), "?"
    iid = mod.get_current()[0]
    return iid, mod.get_config(iid).gil


def run(arg):
    iid, gil = _where()
    with open(os.environ["GS_CALL_LOG"], "a") as f:
        f.write("%d %d %d %s\\n" % (os.getpid(), threading.get_native_id(), iid, gil))
    return arg * 2
"""


@unittest.skipUnless(SUBINTERPRETERS, "subinterpreters with their own GIL need Python 3.12")
class Interpreters(HarnessTestCase):
    """interpreters: one subinterpreter with its own GIL per worker thread."""

    def test_same_results_as_serial(self):
        for workload in ("cpu", "hash", "sleep", "empty"):
            with self.subTest(workload=workload):
                size = SMALL.get(workload, 1)
                serial = self.run_ok(workload, "serial", tasks=6, size=size)["checksum"]
                run = harness(*run_args(workload, "interpreters", workers=2, tasks=6, size=size))
                if sys.version_info[:2] == (3, 12) and workload != "cpu" and run.types == [
                        "hello", "unavailable"]:
                    # 3.12.1 aborts at exit once an own-GIL interpreter imported
                    # hashlib (or asyncio): said, not failed
                    self.assertEqual(run.rc, 0)
                    self.assertTrue(run.get("unavailable")["reason"].startswith(
                        "%s.py cannot be loaded in a subinterpreter with its own GIL: " % workload), run)
                    continue
                res = self.assertResult(run, "interpreters", 6)
                self.assertEqual(res["checksum"], serial)

    def test_every_worker_is_a_thread_with_an_interpreter_and_a_gil_of_its_own(self):
        tmp = temp_dir(self)
        log = os.path.join(tmp, "where.log")
        path = write_file(tmp, "where_logged.py", WHERE_LOGGED)
        run = harness(*run_args(path, "interpreters", workers=3, tasks=9),
                      env=dict(os.environ, GS_CALL_LOG=log))
        res = self.assertResult(run, "interpreters", 9)
        pid = run.get("hello")["pid"]
        with open(log) as f:
            calls = [line.split() for line in f]
        self.assertEqual(len(calls), 9)
        # each task's record names the thread that wrote the log line
        self.assertEqual(sorted((p, t) for p, t, _, _ in calls),
                         sorted(("%d" % r["pid"], "%d" % r["tid"]) for r in res["tasks"]))
        threads = set(t for _, t, _, _ in calls)
        interps = set(i for _, _, i, _ in calls)
        self.assertEqual(set(p for p, _, _, _ in calls), {"%d" % pid})
        self.assertNotIn("%d" % pid, threads)  # not the main thread
        self.assertNotIn("0", interps)  # not the main interpreter
        # one interpreter per thread, one thread per interpreter
        self.assertEqual(len(set((t, i) for _, t, i, _ in calls)), len(threads))
        self.assertEqual(len(interps), len(threads))
        self.assertLessEqual(len(threads), 3)
        self.assertLess(0, len(threads))
        if sys.version_info >= (3, 13):
            self.assertEqual(set(g for _, _, _, g in calls), {"own"})

    def test_the_pool_start_up_holds_every_interpreter_loading_the_workload(self):
        # Each worker interpreter loads the workload, which sleeps 0.2 s at import:
        # no task starts before that, and the start-up (the warm-ups waiting for
        # each other across interpreters) covers it.
        tmp = temp_dir(self)
        path = write_file(tmp, "slow_import.py", '"""sleeps at import"""\nimport time\n'
                          "time.sleep(0.2)\ndef run(arg):\n    return arg\n")
        res = self.run_ok(path, "interpreters", workers=2, tasks=4)
        self.assertGreaterEqual(res["pool_startup_ns"], 200e6)
        first = min(t["start_ns"] for t in res["tasks"])
        self.assertGreaterEqual(first - res["window_start_ns"], 200e6)

    def test_warm_calls_start_the_pool_before_the_window(self):
        run = harness(*(run_args("cpu", "interpreters", tasks=4, size=1000) + ["--warm-calls", "2"]))
        res = self.assertResult(run, "interpreters", 4)
        self.assertIsNone(res["pool_startup_ns"])

    def test_a_workload_that_imports_beside_itself(self):
        tmp = temp_dir(self)
        write_file(tmp, "gs_helper_beside.py", "def twice(x):\n    return 2 * x\n")
        path = write_file(tmp, "beside.py", '"""imports a module beside it"""\nimport gs_helper_beside\n'
                          "def run(arg):\n    return gs_helper_beside.twice(arg)\n")
        serial = self.run_ok(path, "serial", tasks=3)["checksum"]
        res = self.run_ok(path, "interpreters", tasks=3)
        self.assertEqual(res["checksum"], serial)

    def test_a_raising_task_fails_the_run_naming_it(self):
        run = harness(*run_args(fixture("raising.py"), "interpreters", tasks=3))
        err = self.assertError(run, "tasks")
        self.assertEqual(err["task"], 1)
        self.assertEqual(err["message"], "ValueError: task 1 raised on purpose")
        self.assertIn("raise ValueError", err["traceback"])

    def test_a_result_that_cannot_leave_its_interpreter_fails_the_run(self):
        tmp = temp_dir(self)
        path = write_file(tmp, "locked.py", '"""returns a lock"""\nimport threading\n'
                          "def run(arg):\n    return threading.Lock()\n")
        run = harness(*run_args(path, "interpreters", tasks=2))
        err = self.assertError(run, "tasks")
        self.assertIn(err["task"], (0, 1))
        self.assertIn("NotShareableError", err["message"])

    def test_a_module_refused_by_subinterpreters_makes_it_unavailable_naming_the_module(self):
        try:
            import readline  # noqa: F401 (single-phase init: subinterpreters refuse it)
        except ImportError:
            self.skipTest("no readline module here")
        tmp = temp_dir(self)
        path = write_file(tmp, "needs_readline.py", '"""imports readline"""\nimport readline\n'
                          "def run(arg):\n    return arg\n")
        run = harness(*run_args(path, "interpreters"))
        self.assertCleanStream(run)
        self.assertEqual(run.types, ["hello", "unavailable"], run)
        self.assertEqual(run.rc, 0)
        self.assertEqual(run.get("unavailable")["reason"],
                         "needs_readline.py cannot be loaded in a subinterpreter with its own GIL: "
                         "ImportError: module readline does not support loading in subinterpreters")
        self.assertNotIn(b"Traceback", run.err)


@unittest.skipUnless(SUBINTERPRETERS, "subinterpreters with their own GIL need Python 3.12")
class InterpretersInProcess(unittest.TestCase):
    """The strategy's module called in this process."""

    def test_a_worker_interpreter_that_cannot_start_breaks_the_run(self):
        from gilscope_harness.protocol import HarnessFailure
        from gilscope_harness.strategies import interpreters

        empty = load_workload("empty")
        broken = types.SimpleNamespace(ref=("gs_no_such_module", None), run=empty.run)

        def execute():
            with self.assertRaises(HarnessFailure) as cm:
                interpreters.execute(broken, [1, 2], 2, Options())
            return cm.exception

        if sys.version_info >= (3, 14):  # InterpreterPoolExecutor logs the initializer's error
            with self.assertLogs("concurrent.futures", "CRITICAL"):
                failure = execute()
        else:
            failure = execute()
        try:
            self.assertEqual(failure.stage, "run")
            self.assertTrue(failure.message.startswith("BrokenInterpreterPool: "), failure.message)
            if sys.version_info < (3, 14):
                self.assertIn("ModuleNotFoundError: No module named 'gs_no_such_module'", failure.message)
        finally:
            for step in failure.cleanup:
                step()

    def test_the_version_is_judged_first(self):
        from gilscope_harness.strategies import interpreters

        self.assertEqual(interpreters.unavailable_reason(None, (3, 8, 18), Options()),
                         "needs Python 3.12 or newer (per-interpreter GIL, PEP 684); this is 3.8.18")
        self.assertIsNone(interpreters.unavailable_reason(None, sys.version_info[:3], Options()))


class InterpretersBefore312(HarnessTestCase):
    @unittest.skipIf(SUBINTERPRETERS, "Python 3.12 has subinterpreters with their own GIL")
    def test_unavailable_with_the_reason(self):
        run = harness(*run_args("cpu", "interpreters", size=1000))
        self.assertCleanStream(run)
        self.assertEqual(run.types, ["hello", "unavailable"], run)
        self.assertEqual(run.rc, 0)
        self.assertEqual(run.get("unavailable")["reason"],
                         "needs Python 3.12 or newer (per-interpreter GIL, PEP 684); this is %d.%d.%d"
                         % sys.version_info[:3])


class NewStrategy(HarnessTestCase):
    """A strategy is one module plus one line in the registry."""

    def setUp(self):
        tmp = temp_dir(self)
        write_file(tmp, "demo_async.py", DEMO_STRATEGY)
        self.entry = write_file(tmp, "entry.py", DEMO_ENTRY % (WORKLOADS, tmp))

    def test_listed_by_info(self):
        run = harness("--mode", "info", "--workload", "cpu", script=self.entry)
        self.assertEqual(run.types, ["hello", "info"], run)
        self.assertEqual(run.get("info")["strategies"][-1],
                         {"name": "demo_async", "available": True, "reason": None})

    def test_unavailable_for_a_workload_without_run_async(self):
        run = harness(*run_args("cpu", "demo_async"), script=self.entry)
        self.assertCleanStream(run)
        self.assertEqual(run.types, ["hello", "unavailable"], run)
        self.assertEqual(run.rc, 0)
        self.assertEqual(run.get("unavailable"), {
            "type": "unavailable", "strategy": "demo_async",
            "reason": "the workload has no run_async (asked about [None, 'cpu'])"})

    def test_runs_a_workload_with_run_async(self):
        serial = self.run_ok("sleep", "serial", tasks=3, size=2)
        run = harness(*run_args("sleep", "demo_async", workers=3, tasks=3, size=2),
                      script=self.entry)
        self.assertCleanStream(run)
        self.assertEqual(run.types, ["hello", "start", "result"], run)
        self.assertEqual(run.get("start")["strategy"], "demo_async")
        self.assertEqual(run.get("result")["checksum"], serial["checksum"])


if __name__ == "__main__":
    unittest.main()
