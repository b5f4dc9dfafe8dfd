"""End-to-end: gilscope list.
"""
import unittest

import e2e_base
from e2e_base import PYTHON


class List(e2e_base.GilscopeTest):
    def test_list(self):
        rc, out, err = self.gs("list", "--python", PYTHON)
        self.assertEqual(rc, 0, err)
        for word in ("cpu", "hash", "sleep", "serial", "threads", "processes", "to_thread"):
            self.assertIn(word, out)
        # the native asyncio strategy names the workloads it can run
        self.assertRegex(out, r"\n  asyncio +available for workloads with run_async \(http, sleep\)\n")
        rc, out, err = self.gs("list", "--python", PYTHON, "--workload", "cpu")
        self.assertRegex(out, r"\n  asyncio +available for workloads with run_async \(none here\)\n")


if __name__ == "__main__":
    unittest.main()
