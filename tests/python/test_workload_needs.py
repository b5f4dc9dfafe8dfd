"""What a workload declares beside run (gilscope_harness.workload): NEEDS, the
services gilscope runs beside it, and STRATEGIES, the strategies that apply
to it (the others are "not applicable", sent as unavailable); both reported
in the info message, an unknown name a load error."""

import unittest

from harness_testlib import harness, run_args, temp_dir, write_file

from gilscope_harness.workload import LoadError, load_workload, not_applicable

BODY = "def run(arg):\n    return arg\n"


class Needs(unittest.TestCase):
    def test_none_by_default(self):
        wl = load_workload(write_file(temp_dir(self), "plain.py", BODY))
        self.assertEqual(wl.describe()["needs"], [])

    def test_the_http_service(self):
        self.assertEqual(load_workload("http").describe()["needs"], ["http"])
        wl = load_workload(write_file(temp_dir(self), "listed.py", 'NEEDS = ["http"]\n' + BODY))
        self.assertEqual(wl.needs, ["http"])

    def test_an_unknown_service_or_shape_names_what_is_known(self):
        for text in ('NEEDS = ("ftp",)\n', 'NEEDS = "http"\n'):
            path = write_file(temp_dir(self), "wants.py", text + BODY)
            with self.assertRaises(LoadError) as cm:
                load_workload(path)
            self.assertEqual(cm.exception.message.split(":")[0], "wants.py")
            self.assertIn("NEEDS must be a tuple of services among http", cm.exception.message)

    def test_http_needs_the_address(self):
        # Without gilscope's service the built-in says how to get one.
        import os
        from gilscope_harness.workload import make_tasks
        wl = load_workload("http")
        saved = os.environ.pop("GILSCOPE_HTTP_URL", None)
        try:
            with self.assertRaises(LoadError) as cm:
                make_tasks(wl, 2, 10)
            self.assertIn("GILSCOPE_HTTP_URL is not set", cm.exception.message)
        finally:
            if saved is not None:
                os.environ["GILSCOPE_HTTP_URL"] = saved


class Strategies(unittest.TestCase):
    def test_every_strategy_by_default(self):
        wl = load_workload(write_file(temp_dir(self), "plain.py", BODY))
        self.assertIsNone(wl.describe()["strategies"])
        self.assertIsNone(not_applicable(wl, "threads"))

    def test_the_others_are_not_applicable(self):
        wl = load_workload(write_file(temp_dir(self), "inside.py", 'STRATEGIES = ("serial",)\n' + BODY))
        self.assertEqual(wl.describe()["strategies"], ["serial"])
        self.assertIsNone(not_applicable(wl, "serial"))
        self.assertEqual(not_applicable(wl, "threads"),
                         "not applicable to inside.py: it runs under serial only (its STRATEGIES)")

    def test_the_harness_sends_unavailable_not_a_failure(self):
        path = write_file(temp_dir(self), "inside.py", 'STRATEGIES = ("serial",)\n' + BODY)
        run = harness(*run_args(path, "threads", workers=2, tasks=2))
        self.assertEqual(run.rc, 0, run)
        self.assertEqual(run.types, ["hello", "unavailable"], run)
        self.assertIn("not applicable to inside.py", run.get("unavailable")["reason"])
        run = harness(*run_args(path, "serial", tasks=2))
        self.assertEqual(run.types, ["hello", "start", "result"], run)

    def test_unknown_strategies_are_a_load_error(self):
        for text in ('STRATEGIES = ("fibers",)\n', 'STRATEGIES = ()\n', 'STRATEGIES = "serial"\n'):
            path = write_file(temp_dir(self), "odd.py", text + BODY)
            with self.assertRaises(LoadError) as cm:
                load_workload(path)
            self.assertIn("odd.py: STRATEGIES must be a tuple of strategies among serial, threads", cm.exception.message)


if __name__ == "__main__":
    unittest.main()
