"""The GIL latency probe (--probe; gilscope_harness.probe)."""

import threading
import time
import unittest

from harness_testlib import POOLS, HarnessTestCase, median

from gilscope_harness.probe import Probe


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
        probe = Probe(limit=3)
        probe.start()
        self.assertIsInstance(probe.tid, int)  # running once start returns
        self.assertNotEqual(probe.tid, threading.get_native_id())
        time.sleep(0.03)
        rec = probe.stop()
        self.assertFalse(probe._thread.is_alive())
        self.assertEqual(len(rec["lateness_ns"]), 3)
        self.assertEqual(Probe.LIMIT, 20000)


if __name__ == "__main__":
    unittest.main()
