"""the garbage collector: building many objects with Python's cyclic collector on and off

An experiment, not a race between strategies: task k builds SIZE values of one kind, in turn,
and keeps them all in a list, timing it twice in the same process: with the cyclic garbage
collector on (as code normally runs), then off (as timeit, and gilscope run --no-gc, time it).
The kinds: ints, which are not containers, so allocating them never starts a collection; and
small objects (a class with a __dict__), which are containers the collector tracks: allocating
many of them starts collections, and every collection traverses the objects kept so far. Each
task reports both times, the share of the time the collector took, and the collections it ran.
Run it with --tasks 2 for one row per kind.
"""

import gc
import time

KIND = "cpu"
DEFAULT_SIZE = 300000   # values built per task
STRATEGIES = ("serial",)

MEASURES = (
    ("values", "values built", ""),
    ("on_ms", "collector on", "ms"),
    ("off_ms", "collector off", "ms"),
    ("gc_share_pct", "collector's share", "%"),
    ("collections", "collections", ""),
)


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


def _ints(n):
    return [i * 3 for i in range(n)]


def _objects(n):
    return [Point(i, i) for i in range(n)]


KINDS = (("ints", _ints), ("objects", _objects))


def make_tasks(n, size):
    """Task k: (kind k modulo the two, SIZE values)."""
    return [(k % len(KINDS), size) for k in range(n)]


def _collections():
    return sum(s["collections"] for s in gc.get_stats())


def _timed(build, n, collector_on):
    gc.collect()  # each pass starts from the same empty heap
    was = gc.isenabled()
    if collector_on:
        gc.enable()
    else:
        gc.disable()
    try:
        before = _collections()
        t0 = time.perf_counter()
        kept = build(n)
        t1 = time.perf_counter()
        ran = _collections() - before
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()
    del kept
    return t1 - t0, ran


def run(arg):
    k, n = arg
    name, build = KINDS[k]
    on_s, ran = min(_timed(build, n, True) for _ in range(3))  # the fastest pass, with its own collections
    off_s = min(_timed(build, n, False)[0] for _ in range(3))
    return {
        "values": name,
        "on_ms": round(on_s * 1e3, 2),
        "off_ms": round(off_s * 1e3, 2),
        "gc_share_pct": round(max(0.0, 100.0 * (on_s - off_s) / on_s), 1),
        "collections": ran,
    }


def explain(values):
    """One sentence: the collector's share of building the objects, against the ints'."""
    objs = next((v for v in values if v["values"] == "objects"), None)
    ints = next((v for v in values if v["values"] == "ints"), None)
    if objs is None or ints is None:
        return None
    return ("Building the objects took %.1f ms with the collector on and %.1f ms with it off (%d collections, "
            "%.0f%% of the time); building the ints ran %d collections and took %.1f ms against %.1f ms."
            % (objs["on_ms"], objs["off_ms"], objs["collections"], objs["gc_share_pct"], ints["collections"],
               ints["on_ms"], ints["off_ms"]))
