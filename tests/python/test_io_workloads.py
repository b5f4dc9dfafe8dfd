"""The built-in workloads that do real I/O: disk (write, fsync, read back) and
sqlite (queries on a file database). What they return, that every strategy
agrees, and that their temporary files go away: at the harness's exit, and
for a run that was killed, at the next run."""

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
import zlib

from harness_testlib import (HARNESS, POOLS, WORKLOADS, HarnessTestCase, harness, run_args,
                             temp_dir)

from gilscope_harness.workload import load_workload, make_tasks

# The built-in modules, as the harness loads them (workloads/builtin, by path).
disk = load_workload("disk").module
sqlite = load_workload("sqlite").module

SUBINTERPRETERS = sys.version_info >= (3, 12)
SMALL = {"disk": 3, "sqlite": 2000}
PREFIXES = ("gilscope-disk-", "gilscope-sqlite-")


def private_tempdir(test):
    """A fresh directory that tempfile.gettempdir() returns until the test ends."""
    tmp = temp_dir(test)
    saved = tempfile.tempdir
    tempfile.tempdir = tmp
    test.addCleanup(setattr, tempfile, "tempdir", saved)
    return tmp


def dead_pid():
    """The pid of a process that has exited (and been reaped)."""
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


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
        self.assertTrue(os.path.basename(directory).startswith("gilscope-disk-%d-" % os.getpid()))
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
        self.assertTrue(os.path.basename(os.path.dirname(path)).startswith(
            "gilscope-sqlite-%d-" % os.getpid()))
        results = [sqlite.run(t) for t in tasks]
        for i, rows in enumerate(results):
            self.assertEqual(rows, sqlite_expected(i, 3000), i)
        self.assertEqual(len(rows), 16)
        self.assertEqual(results[8], results[0])  # which day in eight is left out: index % 8
        self.assertNotEqual(results[1], results[0])
        # the query reads every row: 7 days in 8 of the orders are counted
        self.assertAlmostEqual(sum(r[1] for r in results[0]) / 3000.0, 7 / 8.0, delta=0.01)

    def test_a_database_that_cannot_be_built_leaves_no_directory(self):
        # a load error ends the harness through os._exit: no exit handler runs
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


class TemporaryDirectories(unittest.TestCase):
    def test_stale_directories_of_dead_processes_go_at_the_next_start(self):
        tmp = private_tempdir(self)
        dead, alive = dead_pid(), os.getppid()
        names = ["gilscope-disk-%d-x1" % dead, "gilscope-disk-%d-x2" % alive, "gilscope-disk-x3",
                 "gilscope-sqlite-%d-x4" % dead, "other-%d-x5" % dead]
        for name in names:
            os.mkdir(os.path.join(tmp, name))
            with open(os.path.join(tmp, name, "data"), "w") as f:
                f.write("x")
        with open(os.path.join(tmp, "gilscope-disk-%d-file" % dead), "w") as f:
            f.write("not a directory")
        mine = os.path.basename(make_tasks(load_workload("disk"), 1, 1)[0][0])
        self.assertEqual(sorted(os.listdir(tmp)), sorted(
            names[1:] + ["gilscope-disk-%d-file" % dead, mine]))
        mine2 = os.path.basename(os.path.dirname(make_tasks(load_workload("sqlite"), 1, 1)[0][0]))
        self.assertEqual(sorted(os.listdir(tmp)), sorted(
            [names[1], names[2], names[4], "gilscope-disk-%d-file" % dead, mine, mine2]))

    @unittest.skipUnless(hasattr(os, "fork"), "needs fork")
    def test_removed_at_exit_by_the_process_that_made_them_only(self):
        # A forked pool worker inherits the exit handler: it must not remove
        # the directory the other workers still use.
        tmp = temp_dir(self)
        script = textwrap.dedent("""\
            import os, sys
            sys.path.insert(0, %r)
            from gilscope_harness.workload import load_workload
            disk, sqlite = load_workload("disk").module, load_workload("sqlite").module
            d = disk.make_tasks(2, 1)[0][0]
            s = os.path.dirname(sqlite.make_tasks(2, 1)[0][0])
            pid = os.fork()
            if pid == 0:
                sys.exit(0)  # runs the inherited exit handlers
            os.waitpid(pid, 0)
            print(d, os.path.isdir(d), s, os.path.isdir(s))
        """) % WORKLOADS
        out = subprocess.check_output([sys.executable, "-c", script], universal_newlines=True,
                                      env=dict(os.environ, TMPDIR=tmp))
        d, d_kept, s, s_kept = out.split()
        self.assertEqual((d_kept, s_kept), ("True", "True"))
        self.assertEqual(os.path.dirname(d), tmp)
        self.assertFalse(os.path.exists(d))  # gone at the parent's exit
        self.assertFalse(os.path.exists(s))
        self.assertEqual(os.listdir(tmp), [])


class ThroughTheHarness(HarnessTestCase):
    """Real harness runs, with TMPDIR a private directory that must be left
    empty."""

    def setUp(self):
        self.tmp = temp_dir(self)
        self.env = dict(os.environ, TMPDIR=self.tmp)

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

    def test_a_killed_run_leaves_its_directory_which_the_next_run_removes(self):
        for workload, size in (("disk", 100000), ("sqlite", 50 * 1000 * 1000)):
            with self.subTest(workload=workload):
                r, w = os.pipe()  # the protocol pipe at fd 3, as harness() does; never read
                cmd = [sys.executable, HARNESS] + [str(a) for a in run_args(workload, "serial", 1, 2, size)]
                try:
                    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                         env=self.env, close_fds=False,
                                         preexec_fn=lambda: os.set_inheritable(3, True) if w == 3
                                         else os.dup2(w, 3))
                finally:
                    os.close(w)
                prefix = "gilscope-%s-%d-" % (workload, p.pid)
                try:
                    # disk: until the window opens; sqlite: while make_tasks builds
                    deadline = time.time() + 30
                    while not [n for n in os.listdir(self.tmp) if n.startswith(prefix)]:
                        self.assertLess(time.time(), deadline)
                        time.sleep(0.01)
                    time.sleep(0.3)
                finally:
                    p.send_signal(signal.SIGKILL)
                    p.wait()
                    os.close(r)
                left = os.listdir(self.tmp)
                self.assertEqual(len(left), 1, left)
                self.assertTrue(left[0].startswith(prefix), left)
                run = self.run_wl(workload, "serial")  # asserts that nothing is left
                self.assertResult(run, "serial", 4)


if __name__ == "__main__":
    unittest.main()
