"""Failures while the tasks run: a raising task, a crashing worker or
harness, tasks that misbehave on the descriptors; nothing is left running."""

import unittest

from harness_testlib import (POOLS, HarnessTestCase, fixture, harness, live_processes_mentioning,
                             run_args, temp_dir, write_file)

from gilscope_harness.checksum import checksum

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


class Failures(HarnessTestCase):
    def test_raising_task(self):
        for strategy in ["serial"] + POOLS:
            run = harness(*run_args(fixture("raising.py"), strategy, tasks=3))
            err = self.assertError(run, "tasks")
            self.assertEqual(err["task"], 1, strategy)
            self.assertEqual(err["message"], "ValueError: task 1 raised on purpose", strategy)
            self.assertIn("Traceback", err["traceback"])
            self.assertIn("raising.py", err["traceback"], strategy)  # the worker's own traceback

    def test_crashing_worker_breaks_the_pool(self):
        for method in ("fork", "spawn"):
            run = harness(*run_args(fixture("crashing.py"), "processes:" + method, tasks=2))
            err = self.assertError(run, "run")
            self.assertIn("BrokenProcessPool", err["message"])
            self.assertIn("SIGABRT", err["message"])
            self.assertIsNone(err["task"])

    def test_crashing_worker_of_a_multiprocessing_pool_fails_the_run(self):
        # A Pool replaces a dead worker and loses its chunk: starmap alone would hang.
        # Its replacements die too, and none is left behind.
        with open(fixture("crashing.py")) as f:
            path = write_file(temp_dir(self), "crashing_pool.py", f.read())
        for method in ("fork", "spawn"):
            run = harness(*run_args(path, "mp_pool:" + method, tasks=2), timeout=60)
            err = self.assertError(run, "run")
            self.assertIn("a pool worker died", err["message"])
            self.assertIn("SIGABRT", err["message"])
            self.assertIsNone(err["task"])
            self.assertEqual(live_processes_mentioning(path), [], method)

    def test_crash_in_the_harness_ends_the_stream_inside_the_window(self):
        run = harness(*run_args(fixture("crashing.py"), "serial", tasks=1))
        self.assertEqual(run.types, ["hello", "start"])
        self.assertLess(run.rc, 0)  # killed by SIGABRT

    def test_error_never_waits_for_running_tasks(self):
        path = write_file(temp_dir(self), "raise_then_hang.py", RAISE_THEN_HANG)
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
        self.assertEqual(serial, checksum([6, 6, 6]))

    def test_chatty_workload(self):
        for strategy in ("threads", "processes"):
            run = harness(*run_args(fixture("chatty.py"), strategy, tasks=4))
            self.assertResult(run, strategy, 4)
            self.assertGreaterEqual(len(run.out), 4 * 2000 * 80)
            self.assertGreaterEqual(len(run.err), 4 * 2000 * 80)


if __name__ == "__main__":
    unittest.main()
