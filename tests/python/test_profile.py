"""--profile (gilscope_harness.profiler): the window's cProfile figures, as
the result's "profile", on the interpreter running the suite. The
workload's own function leads by own time where it runs (serial, threads,
each pool process); with large arguments a process pool's unpickling
shows; the scope says what was profiled."""

import sys
import unittest

from harness_testlib import harness, run_args, temp_dir, write_file

BUSY = '''
def spin(n):
    x = 0
    for i in range(n):
        x += i * i
    return x


def run(arg):
    return spin(arg)


def make_tasks(n, size):
    return [size] * n
'''

LARGE = '''
def make_tasks(n, size):
    return [bytes(range(256)) * (4096 * size) for _ in range(n)]   # size MiB per task


def run(arg):
    return len(arg)
'''


def profile_of(test, body, strategy, size, name="busy.py", tasks=4):
    path = write_file(temp_dir(test), name, body)
    run = harness(*(run_args(path, strategy, workers=2, tasks=tasks, size=size) + ["--profile"]), timeout=120)
    test.assertEqual(run.rc, 0, run)
    prof = run.get("result")["profile"]
    test.assertIsNotNone(prof, run)
    return prof


class Profile(unittest.TestCase):
    def test_serial_and_threads_lead_with_the_workload(self):
        for strategy in ("serial", "threads"):
            prof = profile_of(self, BUSY, strategy, 200000)
            self.assertGreaterEqual(prof["profiles"], 1, prof)
            if strategy == "threads" and sys.version_info >= (3, 12):
                # one profiler for the whole process: the main thread's wait for
                # the pool (a lock's acquire) is in it, and may rank first
                top = [e for e in prof["by_own"][:3] if e["function"].endswith("(spin)")][0]
            else:
                top = prof["by_own"][0]
            self.assertRegex(top["function"], r"^busy\.py:\d+\(spin\)$", prof)
            self.assertEqual(top["calls"], 4, prof)
            self.assertGreater(top["own_s"], 0)
            if strategy == "serial" or sys.version_info < (3, 12):
                # from 3.12 one profiler sees every thread and mixes their
                # stacks: a function's own time can exceed its cumulative time
                self.assertLessEqual(top["own_s"], top["cumulative_s"] + 1e-6)
            self.assertLessEqual(len(prof["by_own"]), 15)
            # nothing of the profiler's own
            self.assertFalse([e for e in prof["by_own"] if "_lsprof" in e["function"]], prof)
        if sys.version_info >= (3, 12):
            self.assertIn("whole process", prof["scope"])
        else:
            self.assertIn("each thread started in the window", prof["scope"])
            self.assertEqual(prof["profiles"], 2)  # one per worker thread

    def test_each_pool_process_is_profiled_and_merged(self):
        for strategy in ("processes:spawn", "mp_pool:fork"):
            prof = profile_of(self, BUSY, strategy, 200000)
            self.assertEqual(prof["profiles"], 2, prof)
            self.assertIn("each of the 2 pool processes", prof["scope"])
            spin = [e for e in prof["by_own"] if e["function"].endswith("(spin)")]
            self.assertEqual(spin[0]["calls"], 4, prof)  # the tasks of both processes, merged

    def test_large_arguments_show_the_pickling(self):
        prof = profile_of(self, LARGE, "processes:fork", 1, name="large.py", tasks=16)
        names = [e["function"] for e in prof["by_own"][:8]]
        self.assertTrue([n for n in names if "loads" in n or "recv" in n or "read" in n], prof["by_own"])
        self.assertFalse([n for n in names if n.startswith("large.py")][:1] == names[:1], names)

    def test_each_worker_interpreter_is_profiled_and_merged(self):
        """From 3.13 each worker interpreter (its own profiler state); on 3.12
        cProfile does not load in one, and the scope says so."""
        if sys.version_info < (3, 12):
            self.skipTest("interpreters need 3.12")
        path = write_file(temp_dir(self), "busy.py", BUSY)
        run = harness(*(run_args(path, "interpreters", workers=2, tasks=4, size=200000) + ["--profile"]),
                      timeout=120)
        if run.types[-1] == "unavailable":
            self.skipTest("no interpreters here")
        prof = run.get("result")["profile"]
        if sys.version_info < (3, 13):
            self.assertEqual(prof["scope"], "not profiled: cProfile does not load in a subinterpreter before "
                                            "Python 3.13")
            self.assertEqual(prof["by_own"], [])
            return
        self.assertEqual(prof["profiles"], 2, prof)
        self.assertIn("each of the 2 worker interpreters", prof["scope"])
        top = [e["function"] for e in prof["by_own"][:3]]
        self.assertTrue([f for f in top if f.endswith("(spin)")], top)  # the workload among the first
        spin = [e for e in prof["by_own"] if e["function"].endswith("(spin)")]
        self.assertEqual(spin[0]["calls"], 4, prof)  # the tasks of both interpreters, merged


if __name__ == "__main__":
    unittest.main()
