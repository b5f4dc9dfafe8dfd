"""start methods: what starting a process pool costs under fork, forkserver and spawn

An experiment, not a race between strategies: task k uses the k-th start method this
interpreter offers (multiprocessing.get_all_start_methods(): fork, spawn and forkserver on
Linux), in turn: it starts a multiprocessing.Pool of WORKERS processes of that method's context,
waits for the first task's result (os.getpid, which needs nothing imported), then times SIZE
more round trips of the same task, and shuts the pool down. fork copies the running process;
spawn starts a fresh interpreter for each worker; forkserver forks each worker from a server
process it starts the first time -- so when forkserver is offered, one more task starts a second
forkserver pool ("forkserver again"), its server already running. Each task reports the time to
the first result, the time per later task and the time to shut down. Run it with --tasks 4 for
one row per method and the second forkserver pool.
"""

import multiprocessing
import os
import time

KIND = "mixed"
DEFAULT_SIZE = 200   # round trips timed after the first
STRATEGIES = ("serial",)
WORKERS = 2

MEASURES = (
    ("method", "start method", ""),
    ("start_ms", "start to first result", "ms"),
    ("task_us", "per later task", "µs"),
    ("shutdown_ms", "shutdown", "ms"),
)


AGAIN = "forkserver again"


def methods():
    """The start methods offered, then AGAIN when forkserver is one of them."""
    offered = list(multiprocessing.get_all_start_methods())
    return offered + ([AGAIN] if "forkserver" in offered else [])


def make_tasks(n, size):
    """Task k: (method k modulo methods(), SIZE round trips)."""
    ways = methods()
    return [(ways[k % len(ways)], size) for k in range(n)]


def run(arg):
    method, n = arg
    ctx = multiprocessing.get_context("forkserver" if method == AGAIN else method)
    t0 = time.perf_counter()
    pool = ctx.Pool(WORKERS)
    try:
        pool.apply(os.getpid)
        t1 = time.perf_counter()
        for _ in range(n):
            pool.apply(os.getpid)
        t2 = time.perf_counter()
    finally:
        pool.close()
        pool.join()
    t3 = time.perf_counter()
    return {
        "method": method,
        "start_ms": round((t1 - t0) * 1e3, 2),
        "task_us": round((t2 - t1) / n * 1e6, 1) if n else 0.0,
        "shutdown_ms": round((t3 - t2) * 1e3, 2),
    }


def explain(values):
    """One sentence: each method's time to the first result."""
    if not values:
        return None
    seen = {}
    for v in values:
        seen.setdefault(v["method"], v)
    return "To the first result: " + ", ".join(
        "%s %.1f ms" % (m, v["start_ms"]) for m, v in sorted(seen.items(), key=lambda kv: kv[1]["start_ms"])) + "."
