"""Loading workloads (gilscope_harness.workload): built-ins, files, load
errors, the info listing."""

import os
import unittest

from harness_testlib import (WORKLOADS, HarnessTestCase, fixture, harness, run_args, temp_dir,
                             write_file)

from gilscope_harness import workload


class Workloads(HarnessTestCase):
    def test_info_with_specs_keeps_order_and_names_load_errors(self):
        run = harness("--mode", "info", "--workload", fixture("syntax_error.py"),
                      "--workload", "sleep", "--workload", fixture("disagree.py"))
        self.assertEqual(run.types, ["hello", "info"], run)
        wls = run.get("info")["workloads"]
        self.assertEqual([w["spec"] for w in wls],
                         [fixture("syntax_error.py"), "sleep", fixture("disagree.py")])
        bad = wls[0]
        self.assertRegex(bad["error"], r"^syntax_error\.py: SyntaxError: .* \(line 3\)$")
        for key in ("name", "kind", "description", "default_size", "has_async"):
            self.assertIsNone(bad[key], key)
        self.assertIsNone(wls[1]["error"])
        self.assertEqual((wls[2]["name"], wls[2]["builtin"], wls[2]["kind"]), ("disagree", False, "mixed"))
        self.assertIsNone(wls[2]["default_size"])

    def test_syntax_error_is_a_load_error(self):
        run = harness(*run_args(fixture("syntax_error.py"), "processes"))
        err = self.assertError(run, "load", order=("hello", "error"))
        self.assertRegex(err["message"], r"^syntax_error\.py: SyntaxError: .* \(line 3\)$")
        self.assertIsNone(err["task"])

    def test_missing_run_and_import_error_are_load_errors(self):
        tmp = temp_dir(self)
        cases = {"norun.py": ("KIND = 'cpu'\n", "norun.py: no top-level function run(arg)"),
                 "badimport.py": ("import gilscope_no_such_module\n\ndef run(arg):\n    return arg\n",
                                  "badimport.py: ModuleNotFoundError: No module named "
                                  "'gilscope_no_such_module'"),
                 "badkind.py": ("KIND = 'gpu'\n\ndef run(arg):\n    return arg\n",
                                "badkind.py: KIND must be")}
        for name, (text, message) in cases.items():
            path = write_file(tmp, name, text)
            run = harness(*run_args(path, "serial"))
            err = self.assertError(run, "load", order=("hello", "error"))
            self.assertTrue(err["message"].startswith(message), err["message"])
            self.assertNotIn("\n", err["message"])

    def test_unknown_builtin_is_a_load_error(self):
        run = harness(*run_args("nosuch", "serial"))
        err = self.assertError(run, "load", order=("hello", "error"))
        self.assertIn("nosuch", err["message"])

    def test_the_harness_is_no_builtin(self):
        for spec in ("harness", "gilscope_harness"):
            run = harness(*run_args(spec, "serial"))
            err = self.assertError(run, "load", order=("hello", "error"))
            self.assertEqual(err["message"], "%s: no built-in workload of that name "
                             "(built-ins: convoy, cpu, disk, empty, gc, hash, http, locks, objects, sleep, sqlite, startmethods)" % spec)

    def test_run_that_does_not_pickle_is_a_load_error_under_processes(self):
        path = write_file(temp_dir(self), "lambda_run.py", "run = lambda x: x\n")
        run = harness(*run_args(path, "processes"))
        err = self.assertError(run, "load", order=("hello", "error"))
        self.assertTrue(err["message"].startswith(
            "lambda_run.py: run cannot be sent to a process pool: PicklingError: "), err["message"])
        self.assertIsNone(err["traceback"])
        self.assertResult(harness(*run_args(path, "threads")), "threads", 4)


class Loading(unittest.TestCase):
    """gilscope_harness.workload in-process."""

    def test_builtins_are_the_workload_files(self):
        self.assertEqual(workload.workloads_dir(), WORKLOADS)
        self.assertTrue(os.path.isdir(os.path.join(WORKLOADS, "gilscope_harness")))
        self.assertEqual(workload.builtin_names(), ["convoy", "cpu", "disk", "empty", "gc", "hash", "http", "locks", "objects", "sleep", "sqlite", "startmethods"])

    def test_builtins_skip_the_harness_and_private_files(self):
        tmp = temp_dir(self)
        for name in ("harness.py", "gilscope_harness.py", "_private.py", ".hidden.py", "mine.py",
                     "notes.txt"):
            write_file(tmp, name, "")
        os.mkdir(os.path.join(tmp, "gilscope_harness"))
        os.mkdir(os.path.join(tmp, "package"))
        self.assertEqual(workload.builtin_names(tmp), ["mine"])

    def test_spec_is_path(self):
        for spec in ("a/b", "./cpu", "x.py", "/abs/path.py"):
            self.assertTrue(workload.spec_is_path(spec), spec)
        for spec in ("cpu", "sleep", "x_py"):
            self.assertFalse(workload.spec_is_path(spec), spec)

    def test_user_module_name_is_stable(self):
        self.assertEqual(workload.user_module_name("/a/b/my-work.load.py"),
                         "gilscope_user_my_work_load")
        self.assertEqual(workload.user_module_name("/x/y/my-work.load.py"),
                         "gilscope_user_my_work_load")
        self.assertEqual(workload.user_module_name("/a/.py"), "gilscope_user_workload")

    def test_load_builtin(self):
        wl = workload.load_workload("sleep")
        self.assertEqual((wl.name, wl.kind, wl.builtin, wl.default_size), ("sleep", "io", True, 50))
        # by path, under a name no standard module has (workloads/builtin is off sys.path)
        self.assertEqual(wl.ref, ("gilscope_builtin_sleep", os.path.join(WORKLOADS, "builtin", "sleep.py")))
        self.assertTrue(wl.has_async)
        self.assertIs(wl.run_async, wl.module.run_async)
        self.assertIsNone(workload.load_workload("cpu").run_async)

    def test_load_file_and_make_tasks(self):
        path = fixture("raising.py")
        wl = workload.load_workload(path)
        self.assertEqual(wl.ref, ("gilscope_user_raising", path))
        self.assertEqual(wl.filename, "raising.py")
        self.assertFalse(wl.builtin)
        self.assertEqual(len(workload.make_tasks(wl, 3, 7)), 3)
        self.assertEqual(workload.make_tasks(workload.load_workload("sleep"), 2, 5), [5, 5])

    def test_make_tasks_errors(self):
        tmp = temp_dir(self)
        short = workload.load_workload(write_file(
            tmp, "short_tasks.py", "def make_tasks(n, size):\n    return [1]\n\ndef run(x):\n    return x\n"))
        with self.assertRaises(workload.LoadError) as cm:
            workload.make_tasks(short, 3, 1)
        self.assertEqual(cm.exception.message, "short_tasks.py: make_tasks(3, 1) returned 1 tasks")

    def test_info_reports_the_sha256_of_each_workload_file(self):
        import hashlib

        tmp = temp_dir(self)
        path = write_file(tmp, "hashed.py", "def run(x):\n    return x\n")
        wls = workload.info([path, "sleep", "nosuch"])
        self.assertEqual(wls[0]["sha256"], hashlib.sha256(b"def run(x):\n    return x\n").hexdigest())
        with open(os.path.join(WORKLOADS, "builtin", "sleep.py"), "rb") as f:
            self.assertEqual(wls[1]["sha256"], hashlib.sha256(f.read()).hexdigest())
        self.assertIsNone(wls[2]["sha256"])

    def test_info_without_specs_lists_the_builtins(self):
        self.assertEqual([w["name"] for w in workload.info([])], workload.builtin_names())


if __name__ == "__main__":
    unittest.main()
