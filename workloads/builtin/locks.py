"""locks and the GIL: a shared counter updated by threads, without and with a lock

An experiment, not a race between strategies: each task updates a shared counter SIZE times
per thread -- read it, compute the next value (a call that runs a small loop), write it back --
in one of four ways: on one thread, then on THREADS threads, each without and with a
threading.Lock held around the update. The GIL runs one thread at a time, but it can hand the
interpreter to another thread between the read and the write; the thread that resumes then
writes an old value over what the others did. Each task reports the count it expected, the
count it got, the share of updates lost and the time per update. Run it with --tasks 4 for one
row per way.
"""

import threading
import time

KIND = "cpu"
DEFAULT_SIZE = 100000  # updates per thread
STRATEGIES = ("serial",)
THREADS = 4

MEASURES = (
    ("updates", "updates", ""),
    ("threads", "threads", ""),
    ("expected", "expected", ""),
    ("counted", "counted", ""),
    ("lost_pct", "lost", "%"),
    ("ns_per_update", "per update", "ns"),
)

# (name, threads, with a lock), in task order.
WAYS = (("one thread, no lock", 1, False), ("threads, no lock", THREADS, False),
        ("one thread, lock", 1, True), ("threads, lock", THREADS, True))


class Counter(object):
    def __init__(self):
        self.value = 0


def _next(value):
    """The next value, after a little work (a loop: where a thread switch may fall)."""
    for _ in range(2):
        pass
    return value + 1


def _update(counter, n, lock):
    if lock is None:
        for _ in range(n):
            v = counter.value
            v = _next(v)
            counter.value = v
    else:
        for _ in range(n):
            with lock:
                v = counter.value
                v = _next(v)
                counter.value = v


def make_tasks(n, size):
    """Task k: (way k modulo the four, SIZE updates per thread)."""
    return [(k % len(WAYS), size) for k in range(n)]


def run(arg):
    k, n = arg
    name, threads, locked = WAYS[k]
    counter, lock = Counter(), (threading.Lock() if locked else None)
    workers = [threading.Thread(target=_update, args=(counter, n, lock)) for _ in range(threads)]
    t0 = time.perf_counter()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    elapsed = time.perf_counter() - t0
    expected = n * threads
    return {
        "updates": name,
        "threads": threads,
        "expected": expected,
        "counted": counter.value,
        "lost_pct": round(100.0 * (expected - counter.value) / expected, 2) if expected else 0.0,
        "ns_per_update": round(elapsed / expected * 1e9, 1) if expected else 0.0,
    }


def explain(values):
    """One sentence: what the threads lost without a lock, and what the lock cost."""
    rows = dict((v["updates"], v) for v in values)
    bare, locked = rows.get("threads, no lock"), rows.get("threads, lock")
    if bare is None or locked is None:
        return None
    return ("%d threads without a lock counted %d of %d updates (%.2f%% lost); with a lock %d of %d, at %.1f ns "
            "per update against %.1f ns without." % (bare["threads"], bare["counted"], bare["expected"],
                                                    bare["lost_pct"], locked["counted"], locked["expected"],
                                                    locked["ns_per_update"], bare["ns_per_update"]))
