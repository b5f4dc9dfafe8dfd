"""The worker side (gilscope_harness.worker): what pool workers import, the
references they unpickle, the task wrapper, loading a workload by reference."""

import os
import pickle
import subprocess
import sys
import unittest

from harness_testlib import (WORKLOADS, HarnessTestCase, fixture, harness, run_args, temp_dir,
                             write_file)

from gilscope_harness import worker

# Modules a pool worker must not pay for when it unpickles its functions.
HEAVY = ["json", "argparse", "hashlib", "inspect", "asyncio", "concurrent.futures",
         "multiprocessing", "platform", "pickle", "resource"]

IMPORTS = """\
import sys
sys.path.insert(0, %r)
before = set(sys.modules)
import gilscope_harness.worker
print(" ".join(sorted(set(sys.modules) - before)))
"""

TRACEBACK_IMPORTS = """\
import sys
before = set(sys.modules)
import traceback
print(" ".join(sorted(set(sys.modules) - before)))
"""


class WorkerImports(unittest.TestCase):
    def test_workers_import_only_the_worker_module(self):
        out = subprocess.check_output([sys.executable, "-c", IMPORTS % WORKLOADS]).decode()
        added = out.split()
        self.assertEqual([m for m in added if m.startswith("gilscope_harness")],
                         ["gilscope_harness", "gilscope_harness.worker"])
        # The worker needs traceback, whose own imports vary by version (3.14's pulls in
        # inspect through _colorize): only what comes on top of it counts.
        own = subprocess.check_output([sys.executable, "-c", TRACEBACK_IMPORTS]).decode().split()
        self.assertEqual([m for m in HEAVY if m in added and m not in own], [])

    def test_pickled_references_name_the_worker_module(self):
        for fn in (worker._call, worker._warmup, worker._worker_init):
            data = pickle.dumps(fn)
            self.assertIn(b"gilscope_harness.worker", data)
            self.assertIs(pickle.loads(data), fn)


class SpawnedWorkers(HarnessTestCase):
    def test_spawned_workers_find_the_package_from_anywhere(self):
        # No PYTHONPATH and another working directory: spawn and forkserver
        # workers find gilscope_harness through the harness's sys.path.
        env = dict((k, v) for k, v in os.environ.items() if k != "PYTHONPATH")
        for method in ("spawn", "forkserver"):
            strategy = "processes:" + method
            run = harness(*run_args(fixture("writes_fd3.py"), strategy, tasks=3), env=env, cwd="/")
            self.assertResult(run, strategy, 3)


class Tasks(unittest.TestCase):
    def test_call_returns_a_record(self):
        ok, index, value, start, end, pid, tid = worker._call(lambda x: x * 2, 5, 21)
        self.assertEqual((ok, index, value, pid), (True, 5, 42, os.getpid()))
        self.assertLessEqual(start, end)
        self.assertIsInstance(tid, int)

    def test_call_catches_what_the_task_raises(self):
        def run(arg):
            raise SystemExit("bye\nnow")

        rec = worker._call(run, 2, None)
        self.assertFalse(rec[0])
        message, tb = rec[2]
        self.assertEqual(message, "SystemExit: bye now")
        self.assertIn("Traceback", tb)

    def test_warmup_without_a_barrier(self):
        t, broken = worker._warmup()
        self.assertIsInstance(t, int)
        self.assertFalse(broken)

    def test_import_workload_registers_the_module(self):
        tmp = temp_dir(self)
        path = write_file(tmp, "w.py", "def run(x):\n    return x\n")
        name = "gilscope_user_test_worker_w"
        self.addCleanup(sys.modules.pop, name, None)
        module = worker.import_workload(name, path)
        self.assertIs(sys.modules[name], module)
        self.assertIs(worker.import_workload(name, path), module)  # loaded once
        bad = write_file(tmp, "bad.py", "raise KeyError('x')\n")
        with self.assertRaises(KeyError):
            worker.import_workload("gilscope_user_test_worker_bad", bad)
        self.assertNotIn("gilscope_user_test_worker_bad", sys.modules)


if __name__ == "__main__":
    unittest.main()
