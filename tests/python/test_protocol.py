"""The protocol stream (docs/protocol.md): the messages, their order, their
fields and the fields' order; harness.py's arguments; gilscope_harness.protocol."""

import os
import sys
import unittest

from harness_testlib import CORES, PY38, HarnessTestCase, fixture, harness, run_args

from gilscope_harness import protocol

# Every message's fields, in the order docs/protocol.md shows them.
FIELDS = {
    "hello": ["type", "protocol", "pid", "python", "cores"],
    "start": ["type", "workload", "kind", "strategy", "workers", "tasks", "size", "start_method",
              "probe", "warm_calls"],
    "result": ["type", "window_start_ns", "window_end_ns", "strategy_wall_ns", "pool_startup_ns",
               "checksum", "cpu_user_s", "cpu_sys_s", "max_rss_bytes", "workers_seen", "tasks",
               "probe", "gil_enabled", "values", "explanation", "profile", "transfer"],
    "error": ["type", "stage", "message", "traceback", "task"],
    "unavailable": ["type", "strategy", "reason"],
    "info": ["type", "strategies", "start_methods", "default_start_method", "workloads"],
}
PYTHON_FIELDS = ["implementation", "version", "executable", "build", "gil_enabled", "free_threaded",
                 "python_gil_env"]
TASK_FIELDS = ["index", "start_ns", "end_ns", "pid", "tid"]
PROBE_FIELDS = ["tid", "interval_ns", "lateness_ns"]
INFO_STRATEGY_FIELDS = ["name", "available", "reason"]
# multiprocessing's default on Linux: fork, forkserver from 3.14 on.
LINUX_DEFAULT_START_METHOD = "forkserver" if sys.version_info >= (3, 14) else "fork"
INFO_WORKLOAD_FIELDS = ["spec", "name", "kind", "builtin", "description", "default_size",
                        "has_async", "needs", "strategies", "measures", "sha256", "error"]


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
        self.assertResult(run, "processes:" + LINUX_DEFAULT_START_METHOD, 2)
        start = run.get("start")
        self.assertEqual((start["workload"], start["kind"], start["workers"], start["size"]),
                         ("cpu", "cpu", 2, 1000))
        self.assertEqual(start["start_method"], LINUX_DEFAULT_START_METHOD)  # the platform default

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
                         ["serial", "threads", "processes", "mp_pool", "to_thread", "asyncio", "interpreters"])
        self.assertIs(strategies["asyncio"]["available"], True)  # judged per workload once loaded
        # subinterpreters with their own GIL: tried for real from 3.12 on, said why before
        interp = strategies["interpreters"]
        if sys.version_info >= (3, 12):
            self.assertEqual((interp["available"], interp["reason"]), (True, None))
        else:
            self.assertIs(interp["available"], False)
            self.assertEqual(interp["reason"], "needs Python 3.12 or newer (per-interpreter GIL, "
                             "PEP 684); this is %d.%d.%d" % sys.version_info[:3])
        self.assertIs(strategies["to_thread"]["available"], not PY38)
        if PY38:
            self.assertIn("needs Python 3.9", strategies["to_thread"]["reason"])
        else:
            self.assertIsNone(strategies["to_thread"]["reason"])
        self.assertEqual(sorted(info["start_methods"]), ["fork", "forkserver", "spawn"])
        self.assertEqual(info["default_start_method"], LINUX_DEFAULT_START_METHOD)
        wls = dict((w["name"], w) for w in info["workloads"])
        self.assertEqual(sorted(wls), ["convoy", "cpu", "disk", "empty", "gc", "hash", "http", "locks", "objects", "sleep", "sqlite", "startmethods"])
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


class FieldOrder(HarnessTestCase):
    """The fields go on the wire in the documented order (json.loads keeps it)."""

    def assertFields(self, msg):
        self.assertEqual(list(msg), FIELDS[msg["type"]], msg)

    def test_run_messages(self):
        run = harness(*run_args("sleep", "threads", tasks=2, size=1, probe=True))
        self.assertResult(run, "threads", 2)
        for msg in run.messages:
            self.assertFields(msg)
        hello, _, res = run.messages
        self.assertEqual(list(hello["python"]), PYTHON_FIELDS)
        for t in res["tasks"]:
            self.assertEqual(list(t), TASK_FIELDS)
        for s in res["workers_seen"]:
            self.assertEqual(list(s), ["pid", "tid"])
        self.assertEqual(list(res["probe"]), PROBE_FIELDS)

    def test_error_and_info(self):
        run = harness(*run_args(fixture("raising.py"), "serial", tasks=2))
        self.assertError(run, "tasks")
        self.assertFields(run.get("error"))
        run = harness("--mode", "info", "--workload", "sleep", "--workload", fixture("syntax_error.py"))
        info = run.get("info")
        self.assertFields(info)
        for s in info["strategies"]:
            self.assertEqual(list(s), INFO_STRATEGY_FIELDS)
        for w in info["workloads"]:
            self.assertEqual(list(w), INFO_WORKLOAD_FIELDS)

    def test_unavailable(self):
        self.assertFields(protocol.unavailable_message("x", "why"))


class Messages(unittest.TestCase):
    """gilscope_harness.protocol in-process."""

    def test_channel_writes_one_line_per_message(self):
        r, w = os.pipe()
        try:
            chan = protocol.Channel(w)
            chan.send({"type": "x", "text": "é\n"})
            chan.send({"type": "y"})
            os.close(w)
            w = None
            with os.fdopen(r, "rb") as f:
                data = f.read()
        finally:
            if w is not None:
                os.close(w)
        self.assertEqual(data, b'{"type": "x", "text": "\\u00e9\\n"}\n{"type": "y"}\n')

    def test_channel_refuses_nan(self):
        with self.assertRaises(ValueError):
            protocol.Channel(-1).send({"type": "x", "v": float("nan")})

    def test_exception_line(self):
        self.assertEqual(protocol.exception_line(ValueError("a\nb ")), "ValueError: a b")
        self.assertEqual(protocol.exception_line(KeyError()), "KeyError")

        class Broken(Exception):
            def __str__(self):
                raise RuntimeError("no")

        self.assertEqual(protocol.exception_line(Broken()), "Broken: <unprintable Broken>")

    def test_failure_as_message(self):
        failure = protocol.HarnessFailure("tasks", "ValueError: x", "tb", 3)
        self.assertEqual(failure.as_message(), {"type": "error", "stage": "tasks",
                                                "message": "ValueError: x", "traceback": "tb",
                                                "task": 3})
        self.assertEqual(failure.cleanup, [])

    def test_task_records(self):
        tasks, seen = protocol.task_records([(0, 1, 2, 10, 11), (1, 3, 4, 10, 12), (2, 5, 6, 10, 11)])
        self.assertEqual([t["index"] for t in tasks], [0, 1, 2])
        self.assertEqual(tasks[1], {"index": 1, "start_ns": 3, "end_ns": 4, "pid": 10, "tid": 12})
        self.assertEqual(seen, [{"pid": 10, "tid": 11}, {"pid": 10, "tid": 12}])


if __name__ == "__main__":
    unittest.main()
