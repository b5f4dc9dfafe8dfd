"""What sending tasks to a process pool costs (gilscope_harness.transfer):
the pickles' sizes and the time to pickle and unpickle them, measured after
the window, for the strategies whose tasks cross as pickles only."""

import unittest

from harness_testlib import harness, run_args, temp_dir, write_file

from gilscope_harness.transfer import cost

LARGE = '''
def make_tasks(n, size):
    return [bytes(range(256)) * (4096 * size) for _ in range(n)]   # size MiB per task


def run(arg):
    return len(arg)
'''


class Transfer(unittest.TestCase):
    def test_sizes_and_times_of_the_pickles(self):
        got = cost([b"x" * 100000, b"y" * 50], [1, 2])
        self.assertGreaterEqual(got["task_bytes"], 100050)
        self.assertGreaterEqual(got["max_task_bytes"], 100000)
        self.assertLess(got["max_task_bytes"], 100100)
        self.assertGreater(got["result_bytes"], 0)
        self.assertLess(got["result_bytes"], 64)
        self.assertGreaterEqual(got["pickle_s"], 0)
        self.assertGreaterEqual(got["unpickle_s"], 0)

    def test_what_cannot_be_pickled_gives_none(self):
        self.assertIsNone(cost([lambda: 1], []))

    def test_a_process_pool_reports_it_and_serial_does_not(self):
        path = write_file(temp_dir(self), "large.py", LARGE)
        run = harness(*run_args(path, "processes:fork", workers=2, tasks=4, size=1), timeout=120)
        self.assertEqual(run.rc, 0, run)
        t = run.get("result")["transfer"]
        self.assertGreaterEqual(t["task_bytes"], 4 * (1 << 20))
        self.assertLess(t["task_bytes"], 4 * (1 << 20) + 4096)
        self.assertGreater(t["pickle_s"] + t["unpickle_s"], 0)
        run = harness(*run_args(path, "serial", workers=1, tasks=2, size=1), timeout=120)
        self.assertIsNone(run.get("result")["transfer"])


if __name__ == "__main__":
    unittest.main()
