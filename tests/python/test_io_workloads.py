"""The built-in workloads that do real I/O: disk (write, fsync, read back) and
sqlite (queries on a file database). What they return, that every strategy
agrees, and that their files stay in the run's scratch directory
(GILSCOPE_SCRATCH), which the harness makes and removes when gilscope does
not give one (gilscope's own removal, after a killed run too, is in the
end-to-end tests)."""

import os
import subprocess
import sys
import textwrap
import unittest
import zlib

from harness_testlib import (POOLS, WORKLOADS, HarnessTestCase, harness, run_args,
                             temp_dir)

from gilscope_harness.workload import load_workload, make_tasks

# The built-in modules, as the harness loads them (workloads/builtin, by path).
disk = load_workload("disk").module
sqlite = load_workload("sqlite").module

SUBINTERPRETERS = sys.version_info >= (3, 12)
SMALL = {"disk": 3, "sqlite": 2000}


def private_tempdir(test):
    """A fresh directory, the run's scratch directory (GILSCOPE_SCRATCH)
    until the test ends."""
    tmp = temp_dir(test)
    saved = os.environ.get("GILSCOPE_SCRATCH")
    os.environ["GILSCOPE_SCRATCH"] = tmp
    test.addCleanup(lambda: os.environ.pop("GILSCOPE_SCRATCH") if saved is None
                    else os.environ.__setitem__("GILSCOPE_SCRATCH", saved))
    return tmp


def disk_expected(index, size):
    """What disk's task `index` must return, computed from its description."""
    line = b"gilscope disk task %d\n" % index
    block = (line * (65536 // len(line) + 1))[:65536]
    return (65536 * size, zlib.crc32(block * size))


def sqlite_expected(index, rows):
    """sqlite's query done in Python on the rows its description gives."""
    region = [(c * 7) % 16 for c in range(1000)]
    groups = {}
    for i in range(rows):
        if (i % 365) % 8 == index % 8:
            continue
        amount = (i * 40503) % 10007
        g = groups.setdefault(region[(i * 2654435761) % 1000], [0, 0, 0])
        g[0] += 1
        g[1] += amount
        g[2] = max(g[2], amount)
    return [(r, n, s, m) for r, (n, s, m) in sorted(groups.items())]


class Declarations(unittest.TestCase):
    def test_kind_description_and_no_run_async(self):
        for name, kind in (("disk", "io"), ("sqlite", "cpu")):
            wl = load_workload(name)
            self.assertEqual(wl.kind, kind)
            self.assertTrue(wl.builtin)
            self.assertFalse(wl.has_async)  # no asynchronous file or SQLite API in the stdlib
            self.assertIn("GIL", wl.description)
            self.assertLess(len(wl.description), 90)  # one short line, like the other built-ins
            self.assertIsInstance(wl.default_size, int)
            self.assertGreater(wl.default_size, 0)


class Disk(unittest.TestCase):
    def test_each_task_writes_reads_back_and_deletes_its_own_file(self):
        tmp = private_tempdir(self)
        tasks = make_tasks(load_workload("disk"), 3, 2)
        directory = tasks[0][0]
        self.assertEqual(os.listdir(tmp), [os.path.basename(directory)])
        self.assertTrue(os.path.basename(directory).startswith("disk-"))
        self.assertEqual(tasks, [(directory, i, 2) for i in range(3)])
        results = [disk.run(t) for t in tasks]
        self.assertEqual(results, [disk_expected(i, 2) for i in range(3)])
        self.assertEqual(len(set(results)), 3)  # the content depends on the task
        self.assertEqual(os.listdir(directory), [])  # each task deleted its file
        self.assertEqual(disk.run((directory, 1, 0)), (0, 0))
        self.assertEqual(disk.run((directory, 1, 5)), disk_expected(1, 5))  # bytes grow with size

    def test_a_second_call_of_a_task_gives_the_same_result(self):
        # --warm-calls runs a task's argument several times
        private_tempdir(self)
        task = make_tasks(load_workload("disk"), 1, 3)[0]
        self.assertEqual(disk.run(task), disk.run(task))


class Sqlite(unittest.TestCase):
    def test_each_query_gives_what_python_computes_from_the_same_rows(self):
        tmp = private_tempdir(self)
        tasks = make_tasks(load_workload("sqlite"), 9, 3000)
        path = tasks[0][0]
        self.assertEqual(tasks, [(path, i) for i in range(9)])
        self.assertEqual(os.path.dirname(os.path.dirname(path)), tmp)
        self.assertTrue(os.path.basename(os.path.dirname(path)).startswith("sqlite-"))
        results = [sqlite.run(t) for t in tasks]
        for i, rows in enumerate(results):
            self.assertEqual(rows, sqlite_expected(i, 3000), i)
        self.assertEqual(len(rows), 16)
        self.assertEqual(results[8], results[0])  # which day in eight is left out: index % 8
        self.assertNotEqual(results[1], results[0])
        # the query reads every row: 7 days in 8 of the orders are counted
        self.assertAlmostEqual(sum(r[1] for r in results[0]) / 3000.0, 7 / 8.0, delta=0.01)

    def test_a_database_that_cannot_be_built_leaves_no_directory(self):
        tmp = private_tempdir(self)

        def fail(path, rows):
            open(path, "w").close()
            raise sqlite.sqlite3.OperationalError("database or disk is full")

        saved = sqlite.build_database
        sqlite.build_database = fail
        self.addCleanup(setattr, sqlite, "build_database", saved)
        with self.assertRaises(sqlite.sqlite3.OperationalError):
            sqlite.make_tasks(2, 10)
        self.assertEqual(os.listdir(tmp), [])

    def test_queries_only_read(self):
        private_tempdir(self)
        path = make_tasks(load_workload("sqlite"), 1, 10)[0][0]
        with open(path, "rb") as f:
            before = f.read()
        self.assertEqual(sum(r[1] for r in sqlite.run((path, 0))), 10 - 2)  # days 0 and 8 left out
        with open(path, "rb") as f:
            self.assertEqual(f.read(), before)
        self.assertEqual(os.listdir(os.path.dirname(path)), ["orders.sqlite"])  # no journal


class Scratch(unittest.TestCase):
    def test_without_it_make_tasks_names_the_variable(self):
        saved = os.environ.pop("GILSCOPE_SCRATCH", None)
        try:
            for name in ("disk", "sqlite"):
                with self.assertRaises(Exception) as cm:
                    make_tasks(load_workload(name), 1, 1)
                self.assertIn("GILSCOPE_SCRATCH", cm.exception.message)
        finally:
            if saved is not None:
                os.environ["GILSCOPE_SCRATCH"] = saved

    @unittest.skipUnless(hasattr(os, "fork"), "needs fork")
    def test_the_harness_makes_one_when_none_is_given_and_its_maker_removes_it(self):
        # Run by hand (no gilscope), the harness makes the scratch directory and
        # removes it at exit; a forked pool worker inherits the exit handler and
        # must not remove what the other workers still use.
        tmp = temp_dir(self)
        script = textwrap.dedent("""\
            import os, sys
            sys.path.insert(0, %r)
            os.environ.pop("GILSCOPE_SCRATCH", None)
            from gilscope_harness.cli import ensure_scratch
            d = ensure_scratch()
            assert os.environ["GILSCOPE_SCRATCH"] == d
            open(os.path.join(d, "f"), "w").close()
            pid = os.fork()
            if pid == 0:
                sys.exit(0)  # runs the inherited exit handlers
            os.waitpid(pid, 0)
            print(d, os.path.isdir(d))
        """) % WORKLOADS
        out = subprocess.check_output([sys.executable, "-c", script], universal_newlines=True,
                                      env=dict(os.environ, TMPDIR=tmp))
        d, kept = out.split()
        self.assertEqual(kept, "True")
        self.assertEqual(os.path.dirname(d), tmp)
        self.assertTrue(os.path.basename(d).startswith("gilscope-run-"))
        self.assertEqual(os.listdir(tmp), [])  # gone at the maker's exit

    def test_one_that_is_given_is_used_and_left_to_its_owner(self):
        given = temp_dir(self)
        from gilscope_harness.cli import ensure_scratch
        self.assertEqual(ensure_scratch({"GILSCOPE_SCRATCH": given}), given)
        run = harness(*run_args("disk", "serial", 1, 2, 1), env=dict(os.environ, GILSCOPE_SCRATCH=given))
        self.assertEqual(run.types, ["hello", "start", "result"], run)
        self.assertEqual([n[:5] for n in os.listdir(given)], ["disk-"])  # the harness removes nothing of gilscope's


class ThroughTheHarness(HarnessTestCase):
    """Real harness runs, with TMPDIR a private directory that must be left
    empty."""

    def setUp(self):
        self.tmp = temp_dir(self)
        self.env = dict(os.environ, TMPDIR=self.tmp)
        self.env.pop("GILSCOPE_SCRATCH", None)  # the harness makes its own, in TMPDIR

    def run_wl(self, workload, strategy, workers=2, tasks=4):
        run = harness(*run_args(workload, strategy, workers, tasks, SMALL[workload]), env=self.env)
        self.assertEqual(os.listdir(self.tmp), [], (workload, strategy))
        return run

    def test_every_pool_strategy_gives_the_serial_results_and_leaves_nothing(self):
        for workload in ("disk", "sqlite"):
            serial = self.assertResult(self.run_wl(workload, "serial"), "serial", 4)["checksum"]
            for strategy in POOLS:
                with self.subTest(workload=workload, strategy=strategy):
                    res = self.assertResult(self.run_wl(workload, strategy), strategy, 4)
                    self.assertEqual(res["checksum"], serial)

    def test_asyncio_is_unavailable_with_the_reason(self):
        for workload in ("disk", "sqlite"):
            run = self.run_wl(workload, "asyncio")
            self.assertEqual(run.types, ["hello", "unavailable"], run)
            self.assertEqual(run.rc, 0)
            self.assertIn("%s.py defines no run_async" % workload, run.get("unavailable")["reason"])

    @unittest.skipUnless(SUBINTERPRETERS, "subinterpreters with their own GIL need Python 3.12")
    def test_interpreters_give_the_serial_results_and_the_process_exits_cleanly(self):
        # 3.12.1 aborted at exit once a subinterpreter had opened a SQLite URI
        # ("file:...?mode=ro"): sqlite.py opens a plain path.
        for workload in ("disk", "sqlite"):
            serial = self.assertResult(self.run_wl(workload, "serial", tasks=6), "serial", 6)["checksum"]
            run = self.run_wl(workload, "interpreters", tasks=6)
            res = self.assertResult(run, "interpreters", 6)
            self.assertEqual(res["checksum"], serial, workload)
            self.assertNotIn(b"Aborted", run.err)
            self.assertNotIn(b"free()", run.err)

    def test_a_failing_run_removes_the_directory_it_made(self):
        # A task that raises ends the harness through os._exit, which runs no
        # exit handler: the harness removes its own scratch directory first.
        path = os.path.join(temp_dir(self), "boom.py")
        with open(path, "w") as f:
            f.write("import os\ndef run(arg):\n    open(os.path.join(os.environ['GILSCOPE_SCRATCH'], 'x'), 'w')"
                    ".close()\n    raise ValueError('boom')\n")
        env = dict(self.env)
        env.pop("GILSCOPE_SCRATCH", None)
        run = harness(*run_args(path, "serial", 1, 1), env=env)
        self.assertEqual(run.rc, 1, run)
        self.assertEqual(run.get("error")["task"], 0, run)
        self.assertEqual(os.listdir(self.tmp), [])


if __name__ == "__main__":
    unittest.main()
