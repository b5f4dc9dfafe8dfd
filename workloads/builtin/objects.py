"""memory per object: a plain class, a @dataclass and a slotted dataclass, in bytes and nanoseconds

An experiment, not a race between strategies: task k builds SIZE small objects (three int
attributes) of one kind of class, in turn: a plain class, a @dataclass, and a @dataclass with
slots (@dataclass(slots=True) from Python 3.10, a @dataclass declaring __slots__ by hand
before). It reports the bytes each object took (tracemalloc: every allocation the object made,
its __dict__ or inline values included), the time to create one and the time to read one
attribute (the best of three passes, the loop's own cost taken off). Run it with --tasks 3 for
one row per kind (more tasks repeat them).
"""

import dataclasses
import gc
import sys
import time
import tracemalloc

KIND = "cpu"
DEFAULT_SIZE = 100000   # objects per task
STRATEGIES = ("serial",)

MEASURES = (
    ("class", "class", ""),
    ("bytes_per_object", "memory", "B/object"),
    ("create_ns", "create", "ns"),
    ("read_ns", "attribute read", "ns"),
)


class Plain:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z


@dataclasses.dataclass
class Data:
    x: int
    y: int
    z: int


if sys.version_info >= (3, 10):
    SLOTTED = "@dataclass(slots=True)"

    @dataclasses.dataclass(slots=True)
    class Slotted:
        x: int
        y: int
        z: int
else:
    SLOTTED = "@dataclass + __slots__"

    @dataclasses.dataclass
    class Slotted:
        __slots__ = ("x", "y", "z")
        x: int
        y: int
        z: int

KINDS = (("plain class", Plain), ("@dataclass", Data), (SLOTTED, Slotted))


def make_tasks(n, size):
    """Task k: (kind k modulo the three, SIZE objects)."""
    return [(k % len(KINDS), size) for k in range(n)]


def _bytes_per_object(cls, n):
    objs = [None] * n           # the list is allocated before tracing starts
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            objs[i] = cls(1, 2, 3)  # small ints are shared: only the objects are allocated
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return used / n


def _best(fn, repeat=3):
    return min(fn() for _ in range(repeat))


def run(arg):
    k, n = arg
    name, cls = KINDS[k]
    memory = _bytes_per_object(cls, n)

    def create():
        t0 = time.perf_counter_ns()
        objs = [cls(1, 2, 3) for _ in range(n)]
        t1 = time.perf_counter_ns()
        baseline = [None for _ in range(n)]
        t2 = time.perf_counter_ns()
        del objs, baseline
        return max(0.0, ((t1 - t0) - (t2 - t1)) / n)

    objs = [cls(1, 2, 3) for _ in range(n)]

    def read():
        t0 = time.perf_counter_ns()
        for o in objs:
            o.x
            o.y
            o.z
        t1 = time.perf_counter_ns()
        for o in objs:
            pass
        t2 = time.perf_counter_ns()
        return max(0.0, ((t1 - t0) - (t2 - t1)) / (3 * n))

    return {
        "class": name,
        "bytes_per_object": round(memory, 1),
        "create_ns": round(_best(create), 1),
        "read_ns": round(_best(read), 2),
    }


def explain(values):
    """One sentence from the figures: the slotted objects' memory against the plain class's."""
    plain = next((v for v in values if v["class"] == "plain class"), None)
    slotted = next((v for v in values if v["class"] == SLOTTED), None)
    if plain is None or slotted is None:
        return None
    p, s = plain["bytes_per_object"], slotted["bytes_per_object"]
    if s < p:
        return ("An object of the slotted dataclass took %.0f bytes, %.0f%% less than the plain class's %.0f: "
                "its attributes live in fixed places in the object, with no per-object dictionary."
                % (s, 100.0 * (p - s) / p, p))
    return ("An object of the slotted dataclass took %.0f bytes, no less than the plain class's %.0f "
            "on this interpreter." % (s, p))
