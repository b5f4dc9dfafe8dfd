"""What the result measures (docs/measurement.md): CPU time of every process,
overlap, pool start-up, memory; gilscope_harness.proctree."""

import os
import subprocess
import sys
import tempfile
import unittest

from harness_testlib import CORES, POOLS, HarnessTestCase, fixture, harness, run_args

from gilscope_harness import proctree


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


class ProcessTree(unittest.TestCase):
    """gilscope_harness.proctree in-process."""

    def test_descendants_and_their_peaks(self):
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        self.addCleanup(child.wait)
        self.addCleanup(child.kill)
        self.assertIn(child.pid, proctree.descendants(os.getpid()))
        self.assertGreater(proctree.vm_hwm_bytes(child.pid), 0)
        self.assertGreaterEqual(proctree.max_rss_bytes(os.getpid()), proctree.vm_hwm_bytes(child.pid))

    def test_vm_hwm_of_no_process_is_zero(self):
        self.assertEqual(proctree.vm_hwm_bytes(0), 0)

    def test_cpu_delta(self):
        start = ((1.0, 0.5), (2.0, 0.25))
        end = ((1.5, 0.75), (3.0, 0.25))
        self.assertEqual(proctree.cpu_delta(start, end), (1.5, 0.25))
        self.assertEqual(proctree.cpu_delta(end, start), (0.0, 0.0))  # never negative
        snap = proctree.cpu_snapshot_start(os.getpid())
        user, system = proctree.cpu_delta(snap, proctree.cpu_snapshot_end(os.getpid()))
        self.assertGreaterEqual(user, 0.0)
        self.assertGreaterEqual(system, 0.0)


if __name__ == "__main__":
    unittest.main()
