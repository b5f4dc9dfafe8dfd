"""End-to-end: gilscope run, measuring. Strategies, the JSON contract, exports
from a run, failing workloads and signals, thread states, the probe and its
timeline, worker sweeps, --size auto and --min-time.
"""
import glob
import json
import os
import re
import signal
import subprocess
import time
import unittest

import e2e_base
from e2e_base import GILSCOPE, PYTHON, ROOT, fixture, live_processes_mentioning, st_keys


class Run(e2e_base.GilscopeTest):
    # --- measurements -----------------------------------------------------------

    def test_sleep_threads_beat_serial(self):
        # Eight 50 ms sleeps on eight threads take well under the serial 400 ms.
        rc, out, err, rep = self.run_json("--workload", "sleep", "--size", "50", "--tasks", "8",
                                          "--workers", "8", "--strategies", "serial,threads",
                                          "--runs", "2", "--warmup", "0")
        self.assertEqual(rc, 0, err)
        serial = self.cell(rep, "sleep", "serial")
        threads = self.cell(rep, "sleep", "threads", 8)
        self.assertGreaterEqual(serial["wall_s"]["median"], 0.39)
        self.assertGreaterEqual(threads["speedup"]["value"], 3.0, out)
        self.assertIn("sleep", out)
        self.assertIn("threads", out)

    def test_json_contract(self):
        rc, out, err, rep = self.run_json("--workload", "sleep", "--size", "5", "--tasks", "4",
                                          "--workers", "2", "--runs", "2", "--warmup", "1")
        self.assertEqual(rc, 0, err)
        self.assertIsInstance(rep["schema_version"], int)
        meta = rep["metadata"]
        for key in ("gilscope_version", "command_line", "interpreter", "python", "gil_enabled",
                    "cores", "cpu_model", "kernel", "load_average", "start_time", "hash_seed"):
            self.assertIn(key, meta)
        self.assertTrue(os.path.isabs(meta["interpreter"]))
        runs = rep["runs"]
        # 4 strategies (to_thread may be unavailable on 3.8: then skipped after one try).
        self.assertGreaterEqual(len(runs), 9)
        self.assertEqual([r["order"] for r in runs], list(range(len(runs))))
        # Interleaved: the first repetition of every cell comes before any second one.
        first_reps = [r["repetition"] for r in runs[:4]]
        self.assertEqual(first_reps, [1, 1, 1, 1])
        for r in runs:
            for key in ("python", "workload", "strategy", "workers", "repetition", "warmup",
                        "exit_status", "error", "strategy_wall_s", "process_wall_s",
                        "cpu_user_s", "cpu_sys_s", "peak_rss_bytes", "tasks"):
                self.assertIn(key, r)
            if r["status"] == "ok":
                self.assertEqual(len(r["tasks"]), 4)
                self.assertGreater(r["process_wall_s"], r["strategy_wall_s"])
                self.assertGreater(r["peak_rss_bytes"], 1 << 20)
        serial = self.cell(rep, "sleep", "serial")
        self.assertEqual(serial["workers"], 1)
        self.assertEqual(serial["runs_ok"], 2)
        for key in ("median", "ci_low", "ci_high", "min", "max"):
            self.assertIn(key, serial["wall_s"])
        self.assertLessEqual(serial["wall_s"]["min"], serial["wall_s"]["median"])
        procs = self.cell(rep, "sleep", "processes", 2)
        self.assertIsNotNone(procs["pool_startup_s"])
        # The intervals recomputed from the raw runs by an independent script agree.
        check = subprocess.run([PYTHON, os.path.join(ROOT, "scripts", "check_ci.py"),
                                os.path.join(self.tmp, "report.json")], stdout=subprocess.PIPE,
                               universal_newlines=True)
        self.assertEqual(check.returncode, 0, check.stdout)
        self.assertIn("same", check.stdout)
        self.assertIn(procs["start_method"], ("fork", "spawn", "forkserver"))

    def test_export_json_to_stdout_keeps_stdout_clean(self):
        rc, out, err = self.gs("run", "--python", PYTHON, "--workload", "sleep", "--size", "1",
                               "--tasks", "2", "--strategies", "serial,threads", "--runs", "1",
                               "--warmup", "0", "--export-json", "-")
        self.assertEqual(rc, 0, err)
        rep = json.loads(out)
        self.assertEqual(len(rep["runs"]), 2)
        self.assertIn("serial", err)  # the table went to stderr

    def test_markdown_and_csv_from_a_run(self):
        md = os.path.join(self.tmp, "r.md")
        rc, out, err = self.gs("run", "--python", PYTHON, "--workload", "sleep", "--size", "5", "--tasks", "4",
                               "--runs", "2", "--warmup", "0", "--strategies", "serial,threads", "--workers", "2",
                               "--export-markdown", md, "--export-csv", "-")
        self.assertEqual(rc, 0, err)
        import csv
        import io
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual([r["strategy"] for r in rows], ["serial", "threads"])
        self.assertEqual([r["source"] for r in rows], ["", ""])  # a plain report has no sources
        self.assertGreater(float(rows[1]["speedup"]), 1.0)
        # What tells the rows of different sessions apart, on every row.
        for r in rows:
            self.assertEqual((r["tasks"], r["size"]), ("4", "5"))
            self.assertRegex(r["interpreter"], r"^\w+ 3\.\d+")
            self.assertIn(r["pool_start_method"], ("fork", "spawn", "forkserver"))
        self.assertIn("serial", err)  # the table went to stderr
        with open(md) as f:
            text = f.read()
        self.assertIn("### sleep", text)
        self.assertIn("\n4 tasks × size 5\n", text)
        self.assertIn("| threads | 2 |", text)
        rc, out, err = self.gs("run", "--export-csv", "-", "--export-json", "-")
        self.assertUsageError(rc, err, "only one of --export-*")
        rc, out, err = self.gs("run", "--export-csv", "-", "--timeline", "-")
        self.assertUsageError(rc, err, "only one of --export-*")

    def test_user_workload_under_every_start_method(self):
        wl = os.path.join(self.tmp, "mywork.py")
        with open(wl, "w") as f:
            f.write('KIND = "cpu"\n\ndef run(arg):\n    return sum(range(arg))\n')
        for method in ("fork", "spawn", "forkserver"):
            rc, out, err, rep = self.run_json("--workload", wl, "--size", "1000", "--tasks", "4",
                                              "--runs", "1", "--warmup", "0", "--workers", "2",
                                              "--strategies", "serial,processes", "--start-method", method)
            self.assertEqual(rc, 0, err + out)
            c = self.cell(rep, "mywork", "processes")
            self.assertEqual(c["start_method"], method)
            self.assertTrue(c["results_agree"])

    # --- output that fits, logs that read -------------------------------------

    def run_to_files(self, *args, env=None):
        """gilscope run with stdout and stderr into files, as in a CI job; returns rc, out, err."""
        out_path, err_path = os.path.join(self.tmp, "out.txt"), os.path.join(self.tmp, "err.txt")
        with open(out_path, "w") as out, open(err_path, "w") as err:
            rc = subprocess.call([GILSCOPE, "run", "--python", PYTHON] + list(args), stdout=out, stderr=err,
                                 env=dict(os.environ, **(env or {})), timeout=300)
        with open(out_path, encoding="utf-8") as out, open(err_path, encoding="utf-8") as err:
            return rc, out.read(), err.read()

    def test_table_fits_columns_and_groups_warnings(self):
        path = os.path.join(self.tmp, "report.json")
        args = ["--workload", "sleep", "--workload", "empty", "--size", "2", "--tasks", "4", "--runs", "6",
                "--warmup", "0", "--export-json", path]
        rc, out, err = self.run_to_files(*args, env={"COLUMNS": "100"})
        self.assertEqual(rc, 0, err)
        widest = max(len(line) for line in out.splitlines())  # characters, not bytes
        self.assertLessEqual(widest, 100, out)
        self.assertIn("speedup [95% CI]", out)
        self.assertNotIn("peak RSS", out)  # a --wide column
        self.assertNotIn("(mixed) (mixed)", out)
        with open(path) as f:
            rep = json.load(f)
        # Every warning in the JSON, with its cause; one line per cause on stdout.
        causes = {w["cause"] for w in rep["warnings"]}
        self.assertTrue(all(w["message"] for w in rep["warnings"]))
        self.assertIn("short", causes, rep["warnings"])  # empty's sub-millisecond runs
        lines = [l for l in out.splitlines() if l.startswith("warning: ")]
        self.assertLessEqual(len(lines), len(causes), out)
        short = [l for l in lines if "too short" in l]
        self.assertEqual(len(short), 1, out)
        self.assertIn("in empty: serial", short[0])
        # Narrower: fewer columns, still within the width.
        rc, out, err = self.run_to_files(*args[:-2], env={"COLUMNS": "60"})
        self.assertEqual(rc, 0, err)
        self.assertLessEqual(max(len(l) for l in out.splitlines() if not l.startswith("      │")), 60, out)
        self.assertNotIn("cores used", out)  # after the interval and largest other
        self.assertIn("GIL wait", out)
        # -v: every warning under its table; --wide: every column.
        rc, out, err = self.run_to_files(*args[:-2], "-v", "--wide", env={"COLUMNS": "100"})
        self.assertEqual(rc, 0, err)
        self.assertIn("peak RSS", out)
        self.assertIn("pool start-up", out)
        self.assertIn("\n  warning: serial × 1: runs of ", out)  # on its own, under its table
        self.assertNotIn("one line per cause", out)

    def test_progress_into_a_pipe_is_one_plain_line_per_cell(self):
        args = ["--workload", "sleep", "--size", "1", "--tasks", "2", "--runs", "2", "--warmup", "1",
                "--strategies", "serial,threads"]
        rc, out, err = self.gs("run", "--python", PYTHON, "--progress", *args)
        self.assertEqual(rc, 0, err)
        self.assertNotIn("\r", err)
        self.assertNotIn("\033", err)
        lines = err.splitlines()
        self.assertEqual(len(lines), 2, err)  # two cells
        self.assertRegex(lines[0], r"^\[\d+/6\] sleep · serial: 2 runs, wall median [\d.]+ ms")
        self.assertRegex(lines[1], r"^\[6/6\] sleep · threads × 2: 2 runs, wall median")
        # Without --progress, not a terminal: stderr stays for errors.
        rc, out, err = self.gs("run", "--python", PYTHON, *args)
        self.assertEqual((rc, err), (0, ""))

    # --- bad workloads: a clear cause, exit 1, everything else kept -----------

    def test_syntax_error_keeps_other_workloads(self):
        rc, out, err, rep = self.run_json("--workload", fixture("syntax_error.py"), "--workload", "sleep",
                                          "--size", "1", "--tasks", "2", "--runs", "1", "--warmup", "0",
                                          "--strategies", "serial,threads")
        self.assertEqual(rc, 1, err)
        self.assertIn("SyntaxError", out)
        self.assertEqual(self.cell(rep, "sleep", "threads")["runs_ok"], 1)

    def test_raising_task(self):
        rc, out, err, rep = self.run_json("--workload", fixture("raising.py"), "--workload", "sleep",
                                          "--size", "1", "--tasks", "3", "--runs", "2", "--warmup", "0",
                                          "--strategies", "serial,threads,processes", "--workers", "2")
        self.assertEqual(rc, 1, err)
        for strategy in ("serial", "threads", "processes"):
            c = self.cell(rep, "raising", strategy)
            self.assertIn("raised", c["error"])
            self.assertEqual(c["runs_ok"], 0)
        self.assertIn("raised", out)
        self.assertEqual(self.cell(rep, "sleep", "processes")["runs_ok"], 2)

    def test_crashing_interpreter(self):
        rc, out, err, rep = self.run_json("--workload", fixture("crashing.py"), "--tasks", "2",
                                          "--runs", "1", "--warmup", "0",
                                          "--strategies", "serial,processes", "--workers", "2")
        self.assertEqual(rc, 1, err)
        self.assertIn("signal", self.cell(rep, "crashing", "serial")["error"])
        self.assertIsNotNone(self.cell(rep, "crashing", "processes")["error"])

    def test_hang_past_timeout_leaves_no_process(self):
        hang = self.copy_fixture("hanging.py")
        t0 = time.monotonic()
        rc, out, err, rep = self.run_json("--workload", hang, "--workload", "sleep", "--size", "1",
                                          "--tasks", "2", "--runs", "1", "--warmup", "0",
                                          "--strategies", "serial,processes", "--workers", "2",
                                          "--timeout", "2")
        self.assertEqual(rc, 1, err)
        self.assertLess(time.monotonic() - t0, 60)
        for strategy in ("serial", "processes"):
            self.assertIn("timed out", self.cell(rep, "hanging", strategy)["error"])
        self.assertEqual(live_processes_mentioning(hang), [])
        self.assertEqual(self.cell(rep, "sleep", "processes")["runs_ok"], 1)

    def test_disagreeing_strategies_fail_loudly(self):
        rc, out, err, rep = self.run_json("--workload", fixture("disagree.py"), "--tasks", "4",
                                          "--runs", "1", "--warmup", "0",
                                          "--strategies", "serial,processes", "--workers", "2")
        self.assertEqual(rc, 1, err)
        self.assertFalse(self.cell(rep, "disagree", "processes")["results_agree"])
        self.assertIn("DISAGREES", out)

    def test_task_writing_to_fd3_is_harmless(self):
        rc, out, err, rep = self.run_json("--workload", fixture("writes_fd3.py"), "--tasks", "3",
                                          "--runs", "1", "--warmup", "0", "--workers", "2")
        self.assertEqual(rc, 0, err + out)
        for c in rep["cells"]:
            self.assertIsNone(c["error"], c)

    def test_chatty_workload_does_not_block(self):
        rc, out, err, rep = self.run_json("--workload", fixture("chatty.py"), "--tasks", "4",
                                          "--runs", "1", "--warmup", "0", "--workers", "2",
                                          "--strategies", "serial,threads,processes")
        self.assertEqual(rc, 0, err)

    def test_sigint_writes_partial_report_and_leaves_nothing(self):
        wl = self.copy_fixture("hanging.py")
        path = os.path.join(self.tmp, "partial.json")
        p = subprocess.Popen([GILSCOPE, "run", "--python", PYTHON, "--workload", "sleep",
                              "--workload", wl, "--size", "1", "--tasks", "2", "--runs", "1",
                              "--warmup", "0", "--strategies", "serial,processes", "--workers", "2",
                              "--export-json", path],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        # Wait until the hanging workload's run is under way, then interrupt.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not live_processes_mentioning(wl, "--mode run"):
            time.sleep(0.05)
        self.assertTrue(live_processes_mentioning(wl), "the hanging run never started")
        time.sleep(0.3)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("interrupted", err)
        with open(path) as f:
            rep = json.load(f)
        self.assertEqual(rep["metadata"]["interrupted"], signal.SIGINT)
        self.assertEqual(self.cell(rep, "sleep", "processes")["runs_ok"], 1)
        self.assertEqual([r["status"] for r in rep["runs"]][-1], "interrupted")
        time.sleep(0.2)
        self.assertEqual(live_processes_mentioning(wl), [])

    def test_sigterm_exits_143_with_report(self):
        wl = self.copy_fixture("hanging.py")
        path = os.path.join(self.tmp, "term.json")
        p = subprocess.Popen([GILSCOPE, "run", "--python", PYTHON, "--workload", wl, "--tasks", "2",
                              "--runs", "1", "--warmup", "0", "--strategies", "serial", "--export-json", path],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not live_processes_mentioning(wl, "--mode run"):
            time.sleep(0.05)
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 143, err)
        with open(path) as f:
            self.assertEqual(json.load(f)["metadata"]["interrupted"], signal.SIGTERM)
        time.sleep(0.2)
        self.assertEqual(live_processes_mentioning(wl), [])

    def test_workload_failing_at_import_is_named(self):
        wl = os.path.join(self.tmp, "exits.py")
        with open(wl, "w") as f:
            f.write("import os\nos._exit(3)\n")
        rc, out, err = self.gs("run", "--python", PYTHON, "--workload", wl)
        self.assertEqual(rc, 2, err)
        self.assertIn("loading the workloads failed", err)
        self.assertNotIn("3.8 or newer", err)

    # --- thread states (generous relations only) ----------------------------------

    def test_states_of_cpu_work(self):
        rc, out, err, rep = self.run_json("--workload", "cpu", "--size", "400000", "--tasks", "8",
                                          "--workers", "2", "--runs", "2", "--warmup", "0",
                                          "--strategies", "serial,threads,processes")
        self.assertEqual(rc, 0, err)
        serial, _ = self.states(rep, "cpu", "serial")
        threads, tc = self.states(rep, "cpu", "threads")
        procs, pc = self.states(rep, "cpu", "processes")
        # On a CPU or waiting for one: another job on the machine can take the cores, but
        # nothing here may wait on the GIL or a lock. (make bench checks on_cpu alone.)
        # ("other" — page faults, a stalled /proc read — took 11% once on a loaded machine.)
        self.assertGreaterEqual(serial["on_cpu"] + serial["wait_core"], 0.8, serial)
        self.assertLessEqual(serial["wait_gil"] + serial["wait_lock"], 0.05, serial)
        # Of the time not spent waiting for a core (another job may hold the cores).
        self.assertGreaterEqual(threads["wait_gil"] / (1 - threads["wait_core"]), 0.35, threads)
        self.assertEqual(tc["states_threads"], 2)
        self.assertLessEqual(procs["wait_gil"], 0.05, procs)
        self.assertGreaterEqual(procs["on_cpu"] + procs["wait_core"], 0.8, procs)
        self.assertEqual(pc["states_threads"], 2)  # the pool's workers really sampled
        self.assertGreater(tc["context_switches_per_s"], 0)

    def test_states_gil_released_and_lock(self):
        rc, out, err, rep = self.run_json("--workload", "hash", "--size", "60", "--workload", fixture("lock_queue.py"),
                                          "--tasks", "6", "--workers", "2", "--runs", "1", "--warmup", "0",
                                          "--strategies", "serial,threads")
        self.assertEqual(rc, 0, err)
        hashed, _ = self.states(rep, "hash", "threads")
        self.assertLess(hashed["wait_gil"], 0.15, hashed)
        lock, _ = self.states(rep, "lock_queue", "threads")
        self.assertGreater(lock["wait_lock"], 0.25, lock)
        self.assertLess(lock["wait_gil"], 0.05, lock)

    def test_states_of_sleep_on_two_pythons(self):
        # Python <= 3.10 sleeps in select() without descriptors: still sleep, not I/O.
        pythons = [PYTHON]
        old = os.path.expanduser("~/.pyenv/versions/3.9.18/bin/python3")
        if os.path.exists(old):
            pythons.append(old)
        for py in pythons:
            path = os.path.join(self.tmp, "sleep.json")
            # 200 ms tasks: about 16 samples per worker thread at the default rate.
            rc, out, err = self.gs("run", "--python", py, "--export-json", path, "--workload", "sleep",
                                   "--size", "200", "--tasks", "4", "--workers", "4", "--runs", "1",
                                   "--warmup", "0", "--strategies", "threads")
            self.assertEqual(rc, 0, err)
            with open(path) as f:
                rep = json.load(f)
            st, _ = self.states(rep, "sleep", "threads")
            self.assertGreaterEqual(st["sleep"], 0.8, (py, st))

    def test_several_pythons_in_one_run(self):
        # --python takes paths and version names; one session per interpreter, runs
        # interleaved, one report shaped like a merge of one report per interpreter.
        old = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.9.*/bin/python3.9")))
        if not old:
            self.skipTest("no pyenv Python 3.9 to run beside %s" % PYTHON)
        path, md = os.path.join(self.tmp, "two.json"), os.path.join(self.tmp, "two.md")
        rc, out, err = self.gs("run", "--python", PYTHON + ",3.9", "-W", "sleep", "--size", "30", "--tasks", "4",
                               "--workers", "4", "--runs", "2", "--warmup", "0",
                               "--strategies", "serial,threads,asyncio", "--no-progress",
                               "--export-json", path, "--export-markdown", md)
        self.assertEqual(rc, 0, err)
        with open(path) as f:
            rep = json.load(f)
        labels = [s["label"] for s in rep["sources"]]
        self.assertEqual(len(labels), 2)
        self.assertTrue(labels[1].startswith("3.9."), labels)
        self.assertEqual(rep["sources"][1]["metadata"]["interpreter"], os.path.realpath(old[-1]))
        for section in ("runs", "cells", "verdicts", "workloads"):
            self.assertTrue(rep[section], section)
            for entry in rep[section]:
                self.assertIn(entry["source"], labels, section)
        # The same shape as `gilscope merge` of one report per interpreter.
        singles = []
        for k, py in enumerate((PYTHON, "3.9")):
            single = os.path.join(self.tmp, "one%d.json" % k)
            rc, _, err = self.gs("run", "--python", py, "-W", "sleep", "--size", "30", "--tasks", "4", "--workers",
                                 "4", "--runs", "1", "--warmup", "0", "--strategies", "serial,threads,asyncio",
                                 "--no-progress", "--export-json", single)
            self.assertEqual(rc, 0, err)
            singles.append(single)
        merged = os.path.join(self.tmp, "merged.json")
        rc, _, err = self.gs("merge", singles[0], singles[1], "-o", merged)
        self.assertEqual(rc, 0, err)
        with open(merged) as f:
            mrep = json.load(f)
        self.assertEqual(sorted(rep), sorted(mrep))
        for section in ("runs", "cells"):
            self.assertEqual(sorted(rep[section][0]), sorted(mrep[section][0]), section)
        self.assertEqual(sorted(rep["sources"][0]), sorted(k for k in mrep["sources"][0] if k != "file"))
        # Interleaved: in time, the measured runs alternate between the interpreters.
        runs = sorted((r for r in rep["runs"] if r["status"] == "ok"), key=lambda r: r["window_start_ns"])
        switches = sum(1 for a, b in zip(runs, runs[1:]) if a["source"] != b["source"])
        self.assertGreaterEqual(switches, len(runs) - 2, [r["source"] for r in runs])
        # One table: the interpreters side by side, a verdict each, what changed.
        self.assertRegex(out, r"\n\s+%s\s+%s\n\s+strategy\s+workers\s+speedup" % (re.escape(labels[0]),
                                                                                 re.escape(labels[1])))
        for label in labels:
            self.assertIn("verdict (%s):" % label, out)
        self.assertIn("between interpreters: serial ran", out)
        with open(md) as f:
            self.assertIn("| strategy | workers | %s | %s |" % (labels[0], labels[1]), f.read())

    def test_a_python_version_found_nowhere_is_named(self):
        path = os.path.join(self.tmp, "none.json")
        rc, out, err = self.gs("run", "--python", PYTHON + ",3.77", "-W", "sleep", "--export-json", path)
        self.assertEqual(rc, 2)
        self.assertIn("--python 3.77: no python3.77 on PATH, in pyenv", err)
        self.assertFalse(os.path.exists(path), "nothing was measured: no report is left")

    def test_a_workload_that_needs_the_http_service_gets_it(self):
        # NEEDS = ("http",): gilscope serves HTTP on 127.0.0.1 during the session and every
        # run gets GILSCOPE_HTTP_URL; four 100 ms requests on four threads take well under
        # the serial 400 ms, the waiting is I/O, and the service's CPU is reported per run.
        path = os.path.join(self.tmp, "http.json")
        rc, out, err = self.gs("run", "-W", "http", "--size", "100", "--tasks", "4",
                               "--workers", "4", "--runs", "2", "--warmup", "0", "--strategies",
                               "serial,threads,asyncio", "--no-progress", "--export-json", path)
        self.assertEqual(rc, 0, err + out)
        with open(path) as f:
            rep = json.load(f)
        walls = dict((c["strategy"], c["wall_s"]["median"]) for c in rep["cells"])
        self.assertGreaterEqual(walls["serial"], 0.4)
        self.assertLess(walls["threads"], walls["serial"] / 2)
        self.assertLess(walls["asyncio"], walls["serial"] / 2)
        st, _ = self.states(rep, "http", "threads")
        self.assertGreater(st["wait_io"], st["wait_gil"])
        runs = [r for r in rep["runs"] if r["status"] == "ok"]
        self.assertTrue(runs)
        for r in runs:
            self.assertGreaterEqual(r["service_cpu_s"], 0)
        self.assertIn("gilscope's HTTP service used", out)
        # A workload that does not ask for it runs without it.
        rc, out, err = self.gs("run", "-W", "sleep", "--size", "1", "--tasks", "1", "--runs", "1", "--warmup",
                               "0", "--strategies", "serial", "--no-progress", "--export-json", path)
        self.assertEqual(rc, 0, err)
        with open(path) as f:
            self.assertEqual({r["service_cpu_s"] for r in json.load(f)["runs"]}, {None})

    def test_runs_keep_the_descriptor_limit_the_service_raised(self):
        # The service raises gilscope's soft RLIMIT_NOFILE (a connection a descriptor);
        # a run gets the limit gilscope started with, and no variable of it.
        import resource
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        if hard != resource.RLIM_INFINITY and hard <= 512:
            self.skipTest("the hard descriptor limit is not above 512")
        path = os.path.join(self.tmp, "limit.py")
        seen = os.path.join(self.tmp, "limit.txt")
        with open(path, "w") as f:
            f.write("import os, resource\nNEEDS = ('http',)\nSTRATEGIES = ('serial',)\n"
                    "def run(arg):\n    with open(%r, 'w') as f:\n"
                    "        f.write('%%d %%s' %% (resource.getrlimit(resource.RLIMIT_NOFILE)[0],"
                    " os.environ.get('GILSCOPE_NOFILE_SOFT')))\n    return arg\n" % seen)
        p = subprocess.run([GILSCOPE, "run", "-W", path, "--tasks", "1", "--runs", "1", "--warmup", "0",
                            "--strategies", "serial", "--no-progress"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=120,
                           preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (512, hard)))
        self.assertEqual(p.returncode, 0, p.stderr + p.stdout)
        with open(seen) as f:
            self.assertEqual(f.read(), "512 None")

    def test_strategies_a_workload_excludes_are_not_applicable_and_not_a_failure(self):
        path = os.path.join(self.tmp, "inside.py")
        with open(path, "w") as f:
            f.write("STRATEGIES = ('serial',)\ndef run(arg):\n    return arg\n")
        rc, out, err = self.gs("run", "-W", path, "--tasks", "2", "--runs", "1", "--warmup", "0",
                               "--strategies", "serial,threads", "--workers", "2", "--no-progress")
        self.assertEqual(rc, 0, err + out)
        self.assertRegex(out, r"threads +2  unavailable: not applicable to inside.py: it runs under serial only")

    def test_probe_and_timeline(self):
        svg = os.path.join(self.tmp, "timeline.svg")
        rc, out, err, rep = self.run_json("--workload", "cpu", "--size", "300000", "--tasks", "6",
                                          "--workers", "2", "--runs", "1", "--warmup", "0",
                                          "--strategies", "threads,processes", "--probe", "--timeline", svg)
        self.assertEqual(rc, 0, err)
        diag = [r for r in rep["runs"] if r["diagnostic"]]
        self.assertEqual(len(diag), 2)
        for r in diag:
            self.assertEqual(r["sample_hz"], 1000)
        threads = self.cell(rep, "cpu", "threads")
        procs = self.cell(rep, "cpu", "processes")
        # Diagnostic runs stay out of the wall-time statistics.
        self.assertEqual(threads["wall_s"]["n"], 1)
        # GIL-bound threads make the probe late by about a switch interval; a pool does not.
        self.assertGreater(threads["gil_latency_ms"]["p50"], 1.0, threads["gil_latency_ms"])
        self.assertLess(procs["gil_latency_ms"]["p50"], 1.0, procs["gil_latency_ms"])
        self.assertIn("GIL latency probe", out)
        import xml.dom.minidom
        doc = xml.dom.minidom.parse(svg)
        with open(svg) as f:
            text = f.read()
        self.assertIn("cpu · threads × 2", text)
        self.assertIn("GIL wait", text)
        self.assertGreater(len(doc.getElementsByTagName("rect")), 10)
        # Both fills of the GIL hand-off are drawn in the threads panel.
        self.assertIn("#d1495b", text)
        self.assertIn("#2e9d4a", text)
        # The lanes are kept in the JSON report: re-drawn from it, the SVG is the same file,
        # and the HTML report carries it too.
        for r in diag:
            lanes = r["timeline"]["lanes"]
            self.assertEqual(len(lanes), 2, r["strategy"])  # two workers, two lanes
            span = r["window_end_ns"] - r["window_start_ns"]
            for lane in lanes:
                for a, b, state in lane["segments"]:
                    self.assertTrue(0 <= a <= b <= span, (a, b, span))
                    self.assertIn(state, st_keys())
        self.assertTrue(all(r["timeline"] is None for r in rep["runs"] if not r["diagnostic"]))
        again = os.path.join(self.tmp, "again.svg")
        rc, _, err = self.gs("report", os.path.join(self.tmp, "report.json"), "--timeline", again)
        self.assertEqual(rc, 0, err)
        with open(again) as f:
            self.assertEqual(f.read(), text)
        rc, html, err = self.gs("report", os.path.join(self.tmp, "report.json"), "--export-html", "-")
        self.assertEqual(rc, 0, err)
        self.assertIn("cpu · threads × 2 · diagnostic run", html)

    # --- worker sweeps, --size auto, --min-time ---------------------------------

    def test_worker_sweep_fits_and_verdict(self):
        rc, out, err, rep = self.run_json("--workload", "sleep", "--size", "20", "--tasks", "8",
                                          "--workers", "1,2,4,8", "--runs", "2", "--warmup", "0",
                                          "--strategies", "serial,threads")
        self.assertEqual(rc, 0, err)
        fits = [f for f in rep["fits"] if f["strategy"] == "threads"]
        amdahl = [f for f in fits if f["model"] == "amdahl"][0]
        self.assertFalse(amdahl["cores_aware"])  # I/O work is not bounded by cores
        self.assertLess(amdahl["parameters"]["serial_fraction"]["value"], 0.1)
        self.assertIn("stderr", amdahl["parameters"]["serial_fraction"])
        self.assertTrue(amdahl["prediction"]["extrapolated"])
        self.assertTrue(any(f["model"] == "usl" for f in fits))
        verdict = rep["verdicts"][0]
        self.assertEqual(verdict["best"]["strategy"], "threads")
        # Sleeping workers are not bounded by the 2 cores: 8 workers, 8 tasks.
        self.assertIn("of 8× possible", verdict["reason"])
        self.assertNotIn("dominates", verdict["reason"])  # one task per worker is not imbalance
        self.assertIn("scaling", out)
        speedup = self.cell(rep, "sleep", "threads", 8)["speedup"]
        self.assertLessEqual(speedup["ci_low"], speedup["value"])
        self.assertGreaterEqual(speedup["ci_high"], speedup["value"])

    def test_size_auto_calibrates_to_the_target(self):
        rc, out, err, rep = self.run_json("--workload", "sleep", "--size", "auto", "--target-time", "0.1",
                                          "--tasks", "8", "--runs", "1", "--warmup", "0", "--strategies", "serial")
        self.assertEqual(rc, 0, err)
        wl = rep["workloads"][0]
        self.assertGreaterEqual(len(wl["calibration"]), 2)
        self.assertGreater(wl["size"], 1)
        serial = self.cell(rep, "sleep", "serial")["wall_s"]["median"]
        self.assertTrue(0.05 < serial < 0.3, serial)  # about the 0.1 s asked for
        self.assertIn("calibrated", out)
        self.assertFalse(wl["size_ignored"])

    def test_size_auto_keeps_the_default_of_a_size_free_workload(self):
        # The empty workload's run time does not grow with size: calibration stops from
        # size 1000 on, at the first size that did not double the first run's time (1000
        # on a quiet machine; a run slowed by other work can push it a step further), and
        # keeps the default instead of growing the size without end.
        rc, out, err, rep = self.run_json("--workload", "empty", "--size", "auto", "--target-time", "0.5",
                                          "--runs", "1", "--warmup", "0", "--strategies", "serial")
        self.assertEqual(rc, 0, err)
        wl = rep["workloads"][0]
        self.assertTrue(wl["size_ignored"])
        self.assertEqual(wl["size"], 1)
        tries = wl["calibration"]
        self.assertGreaterEqual(tries[-1]["size"], 1000)
        self.assertLess(tries[-1]["size"], 100000)
        self.assertLess(tries[-1]["wall_s"], 2 * tries[0]["wall_s"])
        self.assertIn("default kept", out)

    def test_native_asyncio_overlaps_coroutines_and_names_what_it_needs(self):
        rc, out, err, rep = self.run_json("--workload", "sleep", "--workload", "cpu", "--size", "20", "--tasks", "8",
                                          "--strategies", "serial,threads,asyncio", "--workers", "4", "--runs", "1",
                                          "--warmup", "0")
        self.assertEqual(rc, 0, err)  # asyncio unavailable for cpu is not a failure
        sleep = self.cell(rep, "sleep", "asyncio")
        # 8 sleeps of 20 ms, 4 at a time: about 4×, well above 2
        self.assertGreater(sleep["speedup"]["value"], 2.0)
        self.assertLess(sleep["cores_used"], 0.5)
        cpu = self.cell(rep, "cpu", "asyncio")
        self.assertFalse(cpu["available"])
        self.assertIn("cpu.py defines no run_async", cpu["unavailable_reason"])
        self.assertIn("asyncio", out)
        self.assertIn("cpu.py defines no run_async", out)

    def test_a_raising_run_async_fails_the_run_naming_the_task(self):
        path = os.path.join(self.tmp, "araise.py")
        with open(path, "w") as f:
            f.write('"""raises in task 2"""\nimport asyncio\nKIND = "io"\n'
                    "def make_tasks(n, size):\n    return list(range(n))\n"
                    "def run(arg):\n    return arg\n"
                    "async def run_async(arg):\n    await asyncio.sleep(0)\n"
                    "    if arg == 2:\n        raise KeyError('boom')\n    return arg\n")
        rc, out, err, rep = self.run_json("--workload", path, "--strategies", "serial,asyncio", "--workers", "2",
                                          "--runs", "1", "--warmup", "0")
        self.assertEqual(rc, 1, err)
        cell = self.cell(rep, "araise", "asyncio")
        self.assertIn("task 2", cell["error"])
        self.assertIn("KeyError", cell["error"])

    def test_warm_calls_open_the_window_on_warm_workers(self):
        rc, out, err, rep = self.run_json("--workload", "cpu", "--size", "20000", "--tasks", "4",
                                          "--strategies", "serial,threads", "--workers", "2", "--runs", "1",
                                          "--warmup", "0", "--warm-calls", "3")
        self.assertEqual(rc, 0, err)
        self.assertEqual(rep["metadata"]["warm_calls"], 3)
        self.assertIn("3 warm calls per worker before each window", out.replace("\n  ", " "))
        # the pool started before the window: no start-up measured in it
        self.assertIsNone(self.cell(rep, "cpu", "threads")["pool_startup_s"])
        rc, out, err = self.gs("run", "--warm-calls", "-1")
        self.assertEqual(rc, 2)
        self.assertIn("--warm-calls: \"-1\" is not a number from 0 to 100000", err)

    def test_no_gc_switches_the_collector_off_in_every_worker(self):
        path = os.path.join(self.tmp, "gcstate.py")
        with open(path, "w") as f:
            f.write("import gc\n\ndef run(arg):\n    if gc.isenabled():\n"
                    "        raise RuntimeError('the collector is on')\n    return arg\n")
        common = ("--workload", path, "--strategies", "serial,threads,processes,to_thread", "--workers", "2",
                  "--tasks", "4", "--runs", "1", "--warmup", "0", "--start-method", "spawn")
        rc, out, err, rep = self.run_json(*common)
        self.assertEqual(rc, 1, err)  # without --no-gc every task finds it on
        self.assertFalse(rep["metadata"]["no_gc"])
        self.assertTrue(all(c["error"] and "the collector is on" in c["error"] for c in rep["cells"]), rep["cells"])
        rc, out, err, rep = self.run_json("--no-gc", *common)
        self.assertEqual(rc, 0, err)  # spawned pool workers included
        self.assertTrue(rep["metadata"]["no_gc"])
        self.assertEqual([c["runs_ok"] for c in rep["cells"]], [1, 1, 1, 1])
        self.assertIn("garbage collector off in the window (--no-gc)", out.replace("\n  ", " "))
        # compare refuses to set one beside the other
        base = os.path.join(self.tmp, "base.json")
        self.gs("run", "--python", PYTHON, "--export-json", base, *common)
        rc, out, err = self.gs("compare", base, os.path.join(self.tmp, "report.json"))
        self.assertEqual(rc, 2, err)
        self.assertIn("garbage collector on in", out + err)

    def test_profile_names_where_each_cell_spent_its_time(self):
        html = os.path.join(self.tmp, "p.html")
        rc, out, err, rep = self.run_json("--workload", "cpu", "--size", "200000", "--tasks", "4",
                                          "--strategies", "serial,threads,processes", "--workers", "2",
                                          "--runs", "1", "--warmup", "0", "--profile", "--export-html", html)
        self.assertEqual(rc, 0, err)
        self.assertTrue(rep["metadata"]["profile"])
        for st in ("serial", "threads", "processes"):
            c = self.cell(rep, "cpu", st)
            self.assertEqual(c["wall_s"]["n"], 1, c)  # the profiled run is not in the statistics
            top = c["profile"]["by_own"][0]
            self.assertRegex(top["function"], r"^cpu\.py:\d+\(run\)$", c["profile"])
            self.assertEqual(top["calls"], 4)  # the four tasks, merged over the threads or processes
        self.assertEqual(len([r for r in rep["runs"] if r["diagnostic"]]), 3)
        self.assertIn("profile (cProfile, one extra run per cell", out)
        with open(html) as f:
            self.assertIn("<h3>Profiles", f.read())
        rc, out, err = self.gs("run", "--profile", "--probe")
        self.assertUsageError(rc, err, "--profile cannot share its diagnostic run")

    def test_profile_of_a_process_pool_shows_the_transfer_of_large_arguments(self):
        path = os.path.join(self.tmp, "large.py")
        with open(path, "w") as f:
            f.write("def make_tasks(n, size):\n    return [bytes(range(256)) * 4096 for _ in range(n)]\n\n"
                    "def run(arg):\n    return len(arg)\n")
        rc, out, err, rep = self.run_json("--workload", path, "--tasks", "32", "--strategies", "serial,processes",
                                          "--workers", "2", "--runs", "1", "--warmup", "0", "--profile")
        self.assertEqual(rc, 0, err)
        pool = self.cell(rep, "large", "processes")
        names = [e["function"] for e in pool["profile"]["by_own"]]
        # 32 MiB crossed the pipes: reading and unpickling them is where the pool's time went
        self.assertTrue([n for n in names if "posix.read" in n], names)
        self.assertTrue([n for n in names if "_pickle.loads" in n], names)
        # and the cost of pickling them, measured after the window
        t = pool["transfer"]
        self.assertGreaterEqual(t["max_task_bytes"], 1 << 20)
        self.assertGreaterEqual(t["task_bytes"], 32 << 20)
        self.assertIsNone(self.cell(rep, "large", "serial")["transfer"])
        self.assertIn("1.0 MiB per task", out.replace("\n        ", " "))

    def test_mp_pool_sweeps_chunk_sizes_one_cell_each(self):
        # 400 empty tasks: one message each (chunks of 1) or four messages in all (chunks of 100)
        rc, out, err, rep = self.run_json("-W", "empty", "--tasks", "400", "--workers", "2", "--runs", "3",
                                          "--strategies", "serial,processes,mp_pool", "--chunksize", "1,100",
                                          "--warm-calls", "1", "--start-method", "fork")
        self.assertEqual(rc, 0, err)
        pools = sorted((c["chunksize"], c) for c in rep["cells"] if c["strategy"] == "mp_pool")
        self.assertEqual([k for k, _ in pools], [1, 100])
        one, hundred = pools[0][1], pools[1][1]
        self.assertEqual((one["runs_ok"], hundred["runs_ok"]), (3, 3))
        self.assertIsNone(self.cell(rep, "empty", "processes")["chunksize"])
        self.assertEqual(rep["metadata"]["chunksizes_requested"], [1, 100])
        # 400 round trips through the pool's queues against 4: a generous relation
        self.assertLess(hundred["wall_s"]["median"], one["wall_s"]["median"])
        for k in (1, 100):
            self.assertIn("mp_pool/fork chunk %d" % k, out)
            runs = [r for r in rep["runs"] if r["strategy"] == "mp_pool" and r["chunksize"] == k]
            self.assertEqual(len(runs), 3 + 1)  # and the warm-up
            # the transfer cost is measured after the first measured run only
            self.assertEqual([r["repetition"] for r in runs if r["transfer"] is not None], [2])
        rc, out, err = self.gs("run", "-W", "empty", "--chunksize", "4")
        self.assertUsageError(rc, err, "--strategies has none")

    def test_a_crashing_worker_of_mp_pool_fails_its_cell_without_a_hang(self):
        rc, out, err, rep = self.run_json("--workload", fixture("crashing.py"), "--strategies", "serial,mp_pool",
                                          "--workers", "2", "--tasks", "2", "--runs", "1", "--warmup", "0",
                                          timeout=120)
        self.assertEqual(rc, 1, err)
        cell = self.cell(rep, "crashing", "mp_pool")
        self.assertIn("a pool worker died", cell["error"])
        self.assertIn("SIGABRT", cell["error"])

    def test_a_pool_cell_that_never_started_keeps_its_start_method(self):
        path = os.path.join(self.tmp, "badtasks.py")
        with open(path, "w") as f:
            f.write("def make_tasks(n, size):\n    raise ValueError('no tasks today')\n\n"
                    "def run(arg):\n    return arg\n")
        for method in ("spawn", None):
            extra = ("--start-method", method) if method else ()
            rc, out, err, rep = self.run_json("--workload", path, "--strategies", "serial,processes", "--workers", "2",
                                              "--runs", "1", "--warmup", "0", *extra)
            self.assertEqual(rc, 1, err)
            cell = self.cell(rep, "badtasks", "processes")
            want = method or rep["metadata"]["default_start_method"]
            self.assertEqual(cell["start_method"], want)  # no run started, yet this is what would have run
            self.assertIn("processes/%s" % want, out)
            self.assertIsNone(self.cell(rep, "badtasks", "serial")["start_method"])

    def test_min_time_adds_interleaved_rounds(self):
        rc, out, err, rep = self.run_json("--workload", "sleep", "--size", "20", "--tasks", "4",
                                          "--runs", "2", "--warmup", "0", "--min-time", "0.4",
                                          "--strategies", "serial,threads", "--workers", "2")
        self.assertEqual(rc, 0, err)
        for c in rep["cells"]:
            self.assertGreaterEqual(c["wall_s"]["mean"] * c["wall_s"]["n"], 0.4, c)
        order = [(r["strategy"], r["repetition"]) for r in rep["runs"]]
        # Still interleaved: serial and threads alternate, repetitions counting up.
        self.assertEqual([s for s, _ in order[:6]], ["serial", "threads"] * 3)
        self.assertEqual(order[-1][1], len(order) // 2)


if __name__ == "__main__":
    unittest.main()
