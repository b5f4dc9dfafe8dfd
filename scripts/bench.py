#!/usr/bin/env python3
"""gilscope's benchmark: the acceptance figures of the foundation, measured on this machine.

Runs the real binary, reads its JSON reports, prints one line per target with the measured
figure and whether it met the target, and exits 1 when one was missed. Speed and precision
targets live here, not in the timed unit tests. Usage: scripts/bench.py [path/to/gilscope]
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
GILSCOPE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "gilscope")
PYTHON = os.environ.get("GS_PYTHON", "python3")


def measure(*args):
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        cmd = [GILSCOPE, "run", "--python", PYTHON, "--no-progress", "--export-json", f.name] + list(args)
        print("$ " + " ".join(cmd), flush=True)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        sys.stdout.write(p.stdout)
        if p.returncode != 0:
            sys.stdout.write(p.stderr)
        with open(f.name) as g:
            return json.load(g)


def cell(rep, strategy):
    return [c for c in rep["cells"] if c["strategy"] == strategy][0]


results = []


def check(label, value, lo=None, hi=None, fmt="%.2f"):
    ok = value is not None and (lo is None or value >= lo) and (hi is None or value <= hi)
    bound = ("≥ %s" % lo if lo is not None else "") + (" " if lo is not None and hi is not None else "") + \
            ("≤ %s" % hi if hi is not None else "")
    shown = fmt % value if value is not None else "n/a"
    results.append((label, shown, bound, ok))


def speedup(c):
    return c["speedup"]["value"] if c["speedup"] else None


for method in ("fork", "spawn", "forkserver"):
    rep = measure("--workload", "cpu", "--workers", "2", "--runs", "5", "--start-method", method)
    p = cell(rep, "processes")
    check("cpu, processes/%s speedup" % method, speedup(p), lo=1.5)
    check("cpu, processes/%s cores used" % method, p["cores_used"], lo=1.5)
    if method == "fork":
        check("cpu, threads speedup", speedup(cell(rep, "threads")), lo=0.7, hi=1.2)
        st = cell(rep, "threads")["states"]
        check("cpu, threads GIL wait share", st["wait_gil"] * 100, lo=35, fmt="%.0f%%")
        pst = cell(rep, "processes")["states"]
        check("cpu, processes GIL wait share", pst["wait_gil"] * 100, hi=5, fmt="%.0f%%")
        check("cpu, processes on-CPU share", pst["on_cpu"] * 100, lo=80, fmt="%.0f%%")
        check("cpu, serial on-CPU share", cell(rep, "serial")["states"]["on_cpu"] * 100, lo=90, fmt="%.0f%%")
        tt = cell(rep, "to_thread")
        if tt["available"]:
            check("cpu, to_thread speedup", speedup(tt), lo=0.7, hi=1.2)
        obs = [r["observer_cpu_s"] / r["process_wall_s"] for r in rep["runs"] if r["process_wall_s"]]
        check("observer CPU, share of one core (max over runs)", max(obs) * 100, hi=2.0, fmt="%.2f%%")
        ser = cell(rep, "serial")
        startup = ser["process_wall_s"]["median"] - ser["wall_s"]["median"]
        check("interpreter start-up + harness set-up (serial, s)", startup, fmt="%.3f")

rep = measure("--workload", "hash", "--workers", "2", "--runs", "5", "--strategies", "serial,threads,processes")
check("hash (GIL released), threads speedup", speedup(cell(rep, "threads")), lo=1.4)

rep = measure("--workload", "sleep", "--tasks", "16", "--size", "50", "--workers", "16", "--runs", "5",
              "--strategies", "serial,threads,to_thread")
obs16 = max(r["observer_cpu_s"] / r["process_wall_s"] for r in rep["runs"] if r["workers"] == 16)
check("observer CPU, 16 worker threads, default rate, 50 ms tasks (max; stated)", obs16 * 100, fmt="%.2f%%")
rep200 = measure("--workload", "sleep", "--tasks", "16", "--size", "200", "--workers", "16", "--runs", "3",
                 "--strategies", "threads")
obs200 = max(r["observer_cpu_s"] / r["process_wall_s"] for r in rep200["runs"])
check("observer CPU, 16 worker threads, default rate, 200 ms tasks (max)", obs200 * 100, hi=2.0, fmt="%.2f%%")
rep1k = measure("--workload", "sleep", "--tasks", "16", "--size", "200", "--workers", "16", "--runs", "2",
                "--strategies", "threads", "--sample-hz", "1000")
obs1k = max(r["observer_cpu_s"] / r["process_wall_s"] for r in rep1k["runs"])
check("observer CPU, 16 worker threads, 1000 Hz (max; stated, not bounded)", obs1k * 100, fmt="%.2f%%")
check("sleep 16×50 ms, threads speedup", speedup(cell(rep, "threads")), lo=10)
tt = cell(rep, "to_thread")
if tt["available"]:
    check("sleep 16×50 ms, to_thread speedup", speedup(tt), lo=10)

def observer_effect(rounds=16):
    """The sampler's effect on the wall time of GIL-bound threads: sessions at
    the default 80 Hz and at 1 Hz, interleaved (ABBA), so that a load that
    comes and goes falls on both. Returns the ratio of the medians of all
    their runs less 1, its 95% percentile-bootstrap interval, and the median
    of the per-round ratios."""
    import random
    import statistics
    walls, pairs = {80: [], 1: []}, []
    for i in range(rounds):
        med = {}
        for hz in ((80, 1) if i % 2 == 0 else (1, 80)):
            rep = measure("--workload", "cpu", "--size", "300000", "--strategies", "threads", "--workers", "2",
                          "--runs", "3", "--warmup", "0", "--sample-hz", str(hz))
            w = [r["strategy_wall_s"] for r in rep["runs"] if r["status"] == "ok" and not r["warmup"]]
            walls[hz] += w
            med[hz] = statistics.median(w)
        pairs.append(med[80] / med[1])
    rng = random.Random(1)
    boot = sorted(statistics.median(rng.choices(walls[80], k=len(walls[80]))) /
                  statistics.median(rng.choices(walls[1], k=len(walls[1]))) for _ in range(2000))
    ratio = statistics.median(walls[80]) / statistics.median(walls[1])
    return ratio - 1, boot[49] - 1, boot[1950] - 1, statistics.median(pairs) - 1


effect, lo, hi, paired = observer_effect()
check("observer effect on GIL-bound threads' wall, 80 Hz vs 1 Hz (ratio of medians)", effect * 100, hi=1.0,
      fmt="%+.2f%%")
print("observer effect: %+.2f%%, 95%% interval [%+.2f%%, %+.2f%%], paired per round %+.2f%%"
      % (effect * 100, lo * 100, hi * 100, paired * 100))

print()
width = max(len(r[0]) for r in results)
for label, shown, bound, ok in results:
    print("%-*s  %10s  %-12s %s" % (width, label, shown, bound, "ok" if ok else "MISSED"))
sys.exit(0 if all(r[3] for r in results) else 1)
