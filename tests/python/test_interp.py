"""What the harness says about its interpreter (gilscope_harness.interp): a
free-threaded build, simulated from the values CPython documents for one,
gives the hello message recorded in tests/fixtures/hello/."""

import json
import os
import sys
import sysconfig
import unittest
from unittest import mock

import harness_testlib  # noqa: F401 (puts the harness on sys.path)
from gilscope_harness import interp

RECORDED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "hello",
                        "free-threaded-3.13t.json")


def config_var(free_threaded):
    real = sysconfig.get_config_var

    def get(name):
        return (1 if free_threaded else 0) if name == "Py_GIL_DISABLED" else real(name)
    return get


class Hello(unittest.TestCase):
    def test_this_interpreter(self):
        py = interp.hello_message()["python"]
        self.assertEqual(py["gil_enabled"], bool(getattr(sys, "_is_gil_enabled", lambda: True)()))
        self.assertEqual(py["free_threaded"], sysconfig.get_config_var("Py_GIL_DISABLED") == 1)
        self.assertEqual(py["python_gil_env"], os.environ.get("PYTHON_GIL"))

    def test_free_threaded_without_its_gil_reads_as_recorded(self):
        with open(RECORDED) as f:
            recorded = json.load(f)["python"]
        with mock.patch.object(sysconfig, "get_config_var", config_var(True)), \
                mock.patch.object(sys, "_is_gil_enabled", lambda: False, create=True), \
                mock.patch.dict(os.environ, {}, clear=False):
            os.environ.pop("PYTHON_GIL", None)
            py = interp.hello_message()["python"]
        self.assertEqual(sorted(py), sorted(recorded))
        for key in ("gil_enabled", "free_threaded", "python_gil_env"):
            self.assertEqual(py[key], recorded[key], key)

    def test_python_gil_1_turns_it_on(self):
        # PYTHON_GIL=1 on a free-threaded build: sys._is_gil_enabled() is true, and the
        # variable is reported as the interpreter saw it.
        with mock.patch.object(sysconfig, "get_config_var", config_var(True)), \
                mock.patch.object(sys, "_is_gil_enabled", lambda: True, create=True), \
                mock.patch.dict(os.environ, {"PYTHON_GIL": "1"}):
            py = interp.hello_message()["python"]
            self.assertTrue(interp.gil_enabled())
        self.assertEqual((py["free_threaded"], py["gil_enabled"], py["python_gil_env"]), (True, True, "1"))

    def test_before_3_13_the_gil_is_on(self):
        saved = sys.__dict__.get("_is_gil_enabled")
        if saved is not None:
            del sys._is_gil_enabled
        try:
            self.assertIs(interp.gil_enabled(), True)
        finally:
            if saved is not None:
                sys._is_gil_enabled = saved


if __name__ == "__main__":
    unittest.main()
