"""A workload's NEEDS (gilscope_harness.workload): the services gilscope runs
beside it, reported in the info message; an unknown one is a load error."""

import unittest

from harness_testlib import fixture, temp_dir, write_file

from gilscope_harness.workload import LoadError, load_workload

BODY = "def run(arg):\n    return arg\n"


class Needs(unittest.TestCase):
    def test_none_by_default(self):
        wl = load_workload(write_file(temp_dir(self), "plain.py", BODY))
        self.assertEqual(wl.describe()["needs"], [])

    def test_the_http_service(self):
        self.assertEqual(load_workload(fixture("http_delay.py")).describe()["needs"], ["http"])
        wl = load_workload(write_file(temp_dir(self), "listed.py", 'NEEDS = ["http"]\n' + BODY))
        self.assertEqual(wl.needs, ["http"])

    def test_an_unknown_service_or_shape_names_what_is_known(self):
        for text in ('NEEDS = ("ftp",)\n', 'NEEDS = "http"\n'):
            path = write_file(temp_dir(self), "wants.py", text + BODY)
            with self.assertRaises(LoadError) as cm:
                load_workload(path)
            self.assertEqual(cm.exception.message.split(":")[0], "wants.py")
            self.assertIn("NEEDS must be a tuple of services among http", cm.exception.message)

    def test_http_delay_needs_the_address(self):
        # Without gilscope's service the fixture says how to get one.
        import os
        from gilscope_harness.workload import make_tasks
        wl = load_workload(fixture("http_delay.py"))
        saved = os.environ.pop("GILSCOPE_HTTP_URL", None)
        try:
            with self.assertRaises(LoadError) as cm:
                make_tasks(wl, 2, 10)
            self.assertIn("GILSCOPE_HTTP_URL is not set", cm.exception.message)
        finally:
            if saved is not None:
                os.environ["GILSCOPE_HTTP_URL"] = saved


if __name__ == "__main__":
    unittest.main()
