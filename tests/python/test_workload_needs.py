"""What a workload declares beside run (gilscope_harness.workload): NEEDS, the
services gilscope runs beside it; STRATEGIES, the strategies that apply
to it (the others are "not applicable", sent as unavailable); MEASURES and
explain, an experiment's figures and its sentence about them. All reported
in the info message, a wrong shape a load error."""

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


EXPERIMENT = """
MEASURES = (("threads", "threads", ""), ("rate", "rate", "/s"), ("late", "latency", "ms"))
def make_tasks(n, size):
    return list(range(n))
def run(arg):
    return {"threads": arg, "rate": 1000.0 / (arg + 1), "late": None if arg == 0 else arg * 1.5}
def explain(values):
    return "rate %s then %s" % (values[0]["rate"], values[-1]["rate"])
"""


class Measures(unittest.TestCase):
    def test_none_by_default(self):
        wl = load_workload(write_file(temp_dir(self), "plain.py", BODY))
        self.assertIsNone(wl.describe()["measures"])

    def test_listed_in_info(self):
        wl = load_workload(write_file(temp_dir(self), "exp_listed.py", EXPERIMENT))
        self.assertEqual(wl.describe()["measures"],
                         [{"key": "threads", "label": "threads", "unit": ""},
                          {"key": "rate", "label": "rate", "unit": "/s"},
                          {"key": "late", "label": "latency", "unit": "ms"}])

    def test_wrong_shapes_are_load_errors(self):
        cases = {'MEASURES = (("a", "b"),)\n': "MEASURES must be a tuple of (key, label, unit)",
                 'MEASURES = ()\n': "MEASURES must be a tuple of (key, label, unit)",
                 'MEASURES = (("a", "A", ""), ("a", "B", ""))\n': "MEASURES must name each key once",
                 'def explain(values):\n    return ""\n': "explain() needs MEASURES",
                 'MEASURES = (("a", "A", ""),)\nexplain = 3\n': "explain must be a function"}
        for k, (text, said) in enumerate(cases.items()):
            # A name per case: a loaded file stays in sys.modules under its name.
            path = write_file(temp_dir(self), "odd_measures%d.py" % k, text + BODY)
            with self.assertRaises(LoadError) as cm:
                load_workload(path)
            self.assertIn("odd_measures%d.py: %s" % (k, said), cm.exception.message)

    def test_the_result_carries_values_and_the_sentence(self):
        path = write_file(temp_dir(self), "exp.py", EXPERIMENT)
        run = harness(*run_args(path, "serial", tasks=3))
        self.assertEqual(run.rc, 0, run)
        result = run.get("result")
        self.assertEqual(result["values"], [[0, 1000.0, None], [1, 500.0, 1.5], [2, 1000.0 / 3, 3.0]])
        self.assertEqual(result["explanation"], "rate 1000.0 then %s" % (1000.0 / 3))
        self.assertEqual(len(result["checksum"]), 64)

    def test_a_plain_workload_sends_none(self):
        run = harness(*run_args(write_file(temp_dir(self), "plain.py", BODY), "serial", tasks=2))
        self.assertIsNone(run.get("result")["values"], run)
        self.assertIsNone(run.get("result")["explanation"], run)

    def test_results_that_are_not_the_measures_fail_naming_the_task(self):
        cases = {'return {"threads": arg}': 'task 1 returned {\'threads\': 1}, not a dict of its MEASURES '
                                            '(threads, rate, late)',
                 'return {"threads": arg, "rate": float("nan"), "late": 1}': "task 1 returned rate=nan: each "
                                                                           "measure must be a finite number",
                 'return {"threads": arg, "rate": [1], "late": 1}': "task 1 returned rate=[1]",
                 'return {"threads": arg, "rate": "x" * 65, "late": 1}': "task 1 returned rate='" + "x" * 65 +
                                                                          "': a name among the measures is at "
                                                                          "most 64 bytes"}
        for body, said in cases.items():
            text = EXPERIMENT.replace("def run(arg):\n", "def run(arg):\n    if arg == 1:\n        %s\n" % body)
            path = write_file(temp_dir(self), "exp.py", text)
            run = harness(*run_args(path, "serial", tasks=3))
            self.assertEqual(run.rc, 1, run)
            self.assertEqual(run.types, ["hello", "start", "error"], run)
            self.assertIn("exp.py: " + said, run.get("error")["message"])

    def test_a_short_name_is_a_value(self):
        text = EXPERIMENT.replace("def run(arg):\n", "def run(arg):\n    if arg == 1:\n        return "
                                  "{\"threads\": \"one thread\", \"rate\": 2.0, \"late\": None}\n")
        run = harness(*run_args(write_file(temp_dir(self), "exp_named.py", text), "serial", tasks=3))
        self.assertEqual(run.rc, 0, run)
        self.assertEqual(run.get("result")["values"][1], ["one thread", 2.0, None])

    def test_explain_that_raises_or_returns_no_text_fails(self):
        for body, said in (('raise KeyError("rate")', "exp.py: explain() failed: KeyError: 'rate'"),
                           ("return 42", "exp.py: explain() returned 42, not a str or None")):
            text = EXPERIMENT.replace('    return "rate %s', "    %s\n    return \"rate %%s" % body)
            path = write_file(temp_dir(self), "exp.py", text)
            run = harness(*run_args(path, "serial", tasks=2))
            self.assertEqual(run.rc, 1, run)
            self.assertEqual(run.get("error")["message"], said)

    def test_a_long_sentence_is_cut(self):
        from gilscope_harness.workload import EXPLANATION_MAX
        text = EXPERIMENT.replace('    return "rate %s', '    return "x" * 10000 + "rate %s')
        run = harness(*run_args(write_file(temp_dir(self), "exp.py", text), "serial", tasks=2))
        said = run.get("result")["explanation"]
        self.assertEqual(len(said), EXPLANATION_MAX)
        self.assertTrue(said.endswith("\u2026"))


class Convoy(unittest.TestCase):
    """The built-in experiment's sentence, from recorded figures: it says
    the switch interval is why only when the latency per request shows it."""

    def values(self, p50_one, interval=5.0):
        return [{"cpu_threads": 0, "requests_per_s": 9223.1, "latency_p50_ms": 0.109, "latency_p99_ms": 0.2,
                 "of_alone_pct": 100.0, "switch_interval_ms": interval},
                {"cpu_threads": 1, "requests_per_s": 1000.0 / p50_one, "latency_p50_ms": p50_one,
                 "latency_p99_ms": 10.5, "of_alone_pct": 1.9, "switch_interval_ms": interval}]

    def setUp(self):
        self.convoy = load_workload("convoy").module

    def test_a_latency_of_one_switch_interval_names_it(self):
        text = self.convoy.explain(self.values(5.27))
        self.assertIn("the I/O thread made 190 requests/s, 2.1% of the 9,223 it made alone", text)
        self.assertIn("each taking 5.27 ms instead of 0.109 ms", text)
        self.assertIn("after the switch interval (5 ms)", text)

    def test_a_shorter_latency_says_the_interval_did_not_bind(self):
        text = self.convoy.explain(self.values(0.78))
        self.assertIn("less than half the switch interval (5 ms)", text)
        self.assertNotIn("made to drop it", text)

    def test_the_interval_is_the_one_measured(self):
        self.assertIn("switch interval (1 ms)", self.convoy.explain(self.values(1.2, interval=1.0)))

    def test_without_both_rows_there_is_no_sentence(self):
        self.assertIsNone(self.convoy.explain(self.values(5.0)[:1]))

    def test_it_runs_under_serial_only_and_names_its_figures(self):
        wl = load_workload("convoy")
        self.assertEqual(wl.strategies, ["serial"])
        self.assertEqual(wl.needs, ["http"])
        self.assertIn("switch_interval_ms", [m["key"] for m in wl.describe()["measures"]])


class Objects(unittest.TestCase):
    """The objects experiment on the interpreter running the suite (the
    harness tests run on every installed Python from 3.8): a slotted object
    takes less memory than a plain one, a dataclass as much as a plain one."""

    def setUp(self):
        self.objects = load_workload("objects").module

    def measure(self, kind):
        return self.objects.run((kind, 20000))

    def test_slots_take_less_memory_than_a_plain_class(self):
        plain, data, slotted = (self.measure(k) for k in range(3))
        self.assertEqual((plain["class"], data["class"]), ("plain class", "@dataclass"))
        self.assertIn("slots", slotted["class"].lower())
        self.assertLess(slotted["bytes_per_object"], plain["bytes_per_object"])
        self.assertGreater(slotted["bytes_per_object"], 16)  # an object's header at least
        self.assertAlmostEqual(data["bytes_per_object"], plain["bytes_per_object"], delta=8)
        for r in (plain, data, slotted):
            self.assertGreaterEqual(r["read_ns"], 0)
            self.assertGreater(r["create_ns"], 0)

    def test_the_three_kinds_cycle_and_the_sentence_reads_the_figures(self):
        self.assertEqual([k for k, _ in self.objects.make_tasks(4, 10)], [0, 1, 2, 0])
        values = [{"class": "plain class", "bytes_per_object": 100.0, "create_ns": 1, "read_ns": 1},
                  {"class": self.objects.SLOTTED, "bytes_per_object": 60.0, "create_ns": 1, "read_ns": 1}]
        self.assertIn("took 60 bytes, 40% less than the plain class's 100", self.objects.explain(values))
        values[1]["bytes_per_object"] = 120.0
        self.assertIn("no less than the plain class's 100", self.objects.explain(values))
        self.assertIsNone(self.objects.explain(values[:1]))


class Locks(unittest.TestCase):
    """The locks experiment on the interpreter running the suite: with a lock
    every update counts; without one the count never exceeds what was
    expected (how many are lost depends on where thread switches fall)."""

    def setUp(self):
        self.locks = load_workload("locks").module

    def test_a_lock_keeps_every_update_and_the_four_ways_cycle(self):
        self.assertEqual([k for k, _ in self.locks.make_tasks(5, 10)], [0, 1, 2, 3, 0])
        rows = [self.locks.run((k, 20000)) for k in range(4)]
        self.assertEqual([r["updates"] for r in rows],
                         ["one thread, no lock", "threads, no lock", "one thread, lock", "threads, lock"])
        self.assertEqual([r["threads"] for r in rows], [1, self.locks.THREADS, 1, self.locks.THREADS])
        for r in rows:
            self.assertEqual(r["expected"], 20000 * r["threads"])
            self.assertLessEqual(r["counted"], r["expected"])
            self.assertGreater(r["ns_per_update"], 0)
        one, bare, one_locked, locked = rows
        self.assertEqual((one["counted"], one_locked["counted"], locked["counted"]), (20000, 20000, 80000))
        self.assertEqual(locked["lost_pct"], 0.0)
        self.assertAlmostEqual(bare["lost_pct"], 100.0 * (80000 - bare["counted"]) / 80000, places=1)

    def test_the_sentence_reads_the_figures(self):
        values = [{"updates": "threads, no lock", "threads": 4, "expected": 100, "counted": 90, "lost_pct": 10.0,
                   "ns_per_update": 50.0},
                  {"updates": "threads, lock", "threads": 4, "expected": 100, "counted": 100, "lost_pct": 0.0,
                   "ns_per_update": 500.0}]
        self.assertEqual(self.locks.explain(values),
                         "4 threads without a lock counted 90 of 100 updates (10.00% lost); with a lock 100 of 100, "
                         "at 500.0 ns per update against 50.0 ns without.")
        self.assertIsNone(self.locks.explain(values[:1]))


class StartMethods(unittest.TestCase):
    """The startmethods experiment on the interpreter running the suite: a
    pool of each method offered starts, answers and shuts down; forkserver is
    tried twice."""

    def setUp(self):
        self.sm = load_workload("startmethods").module

    def test_every_method_offered_starts_a_pool(self):
        import multiprocessing
        offered = multiprocessing.get_all_start_methods()
        ways = self.sm.methods()
        self.assertEqual(ways[:len(offered)], offered)
        self.assertEqual(ways[len(offered):], [self.sm.AGAIN] if "forkserver" in offered else [])
        self.assertEqual([m for m, _ in self.sm.make_tasks(len(ways) + 1, 3)], ways + ways[:1])
        for way in ways:
            r = self.sm.run((way, 3))
            self.assertEqual(r["method"], way)
            self.assertGreater(r["start_ms"], 0)
            self.assertGreater(r["task_us"], 0)
            self.assertGreater(r["shutdown_ms"], 0)
        self.assertIn("To the first result: ", self.sm.explain([r]))


class Collector(unittest.TestCase):
    """The gc experiment on the interpreter running the suite: building ints
    runs no collection, building kept objects runs some, and turning the
    collector off runs none."""

    def setUp(self):
        self.gc = load_workload("gc").module

    def test_objects_start_collections_and_ints_do_not(self):
        ints, objs = self.gc.run((0, 50000)), self.gc.run((1, 50000))
        self.assertEqual((ints["values"], objs["values"]), ("ints", "objects"))
        self.assertEqual(ints["collections"], 0)
        self.assertGreater(objs["collections"], 0)
        for r in (ints, objs):
            self.assertGreater(r["on_ms"], 0)
            self.assertGreater(r["off_ms"], 0)
            self.assertGreaterEqual(r["gc_share_pct"], 0)

    def test_off_means_no_collection_and_the_state_is_restored(self):
        import gc
        self.assertEqual(self.gc._timed(self.gc._objects, 50000, False)[1], 0)
        self.assertTrue(gc.isenabled())
        gc.disable()
        try:
            self.gc._timed(self.gc._objects, 1000, True)
            self.assertFalse(gc.isenabled())
        finally:
            gc.enable()


if __name__ == "__main__":
    unittest.main()
