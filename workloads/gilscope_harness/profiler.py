"""--profile: cProfile of a diagnostic run's window (docs/measurement.md,
"Profiles"). What is profiled, and so what the figures mean, depends on the
strategy and the interpreter, and the result says it ("scope"):

- serial and asyncio: the thread that runs the tasks (the main thread);
- threads and to_thread: before 3.12, every thread started in the window, each
  with its own profiler, merged (the main thread, which only waits for them,
  is left out); from 3.12, cProfile is one process-wide sys.monitoring tool
  (a second profiler raises "Another profiling tool is already active"), so
  one profile covers the whole process and its stacks mix the threads, the
  main thread's waiting included;
- processes and mp_pool: each pool process on its own, from its start to its
  exit, merged (what the pool does besides the workload shows: unpickling
  arguments, pickling results, queue handling); the parent, which waits, is
  left out;
- interpreters (3.13+): each worker interpreter on its own, from its boot to
  its close, merged; the main interpreter, which waits, is left out.
"""

import os
import sys
import threading

TOP = 15            # entries kept per ranking
MONITORING = sys.version_info >= (3, 12)
_OWN = os.path.abspath(__file__)


class InProcess(object):
    """Profiles this process during the window (serial, asyncio, threads,
    to_thread). main: whether the main thread runs the tasks."""

    def __init__(self, main):
        self.main = main
        self.profiles = []
        self.lock = threading.Lock()

    def scope(self):
        if MONITORING:
            return "the whole process, every thread in one profile (Python 3.12+: cProfile is process-wide)"
        if self.main:
            return "the thread that ran the tasks"
        return "each thread started in the window (the main thread, which waits, left out), merged"

    def start(self):
        import cProfile

        if MONITORING or self.main:
            p = cProfile.Profile()
            self.profiles.append(p)
            p.enable()
        if not MONITORING:
            threading.setprofile(self._new_thread)

    def _new_thread(self, frame, event, arg):
        """threading's profile hook, called once in each new thread: gives the
        thread a profiler of its own, which replaces the hook."""
        import cProfile

        p = cProfile.Profile()
        with self.lock:
            self.profiles.append(p)
        p.enable()

    def stop(self):
        """The merged figures (summary()); None when nothing was profiled."""
        if not MONITORING:
            threading.setprofile(None)
        for p in self.profiles:
            p.disable()  # this thread's; the pool threads' ended with them
        return summary(self.profiles, self.scope(), len(self.profiles))


def start_worker(directory):
    """In a pool process (its initializer): profiles it from here to its exit,
    then writes the figures to directory/PID.prof (a multiprocessing
    finalizer: pool processes end through multiprocessing's own exit path)."""
    import cProfile
    from multiprocessing import util

    p = cProfile.Profile()
    util.Finalize(p, _dump_worker, args=(p, os.path.join(directory, "%d.prof" % os.getpid())), exitpriority=100)
    p.enable()


def start_interpreter(directory):
    """In a worker interpreter (its boot): profiles it from here until it is
    closed, then writes the figures to directory/PID-TID.prof (an atexit
    hook: atexit is per interpreter, and runs when the pool closes it)."""
    import atexit
    import cProfile

    p = cProfile.Profile()
    path = os.path.join(directory, "%d-%d.prof" % (os.getpid(), threading.get_native_id()))
    atexit.register(_dump_worker, p, path)
    p.enable()


def _dump_worker(p, path):
    p.disable()
    p.dump_stats(path)


# What a pool's workers are, per strategy PROFILE, for the scope.
WORKERS = {"pool_processes": ("pool processes", "the parent"),
           "pool_interpreters": ("worker interpreters", "the main interpreter")}


def collect_workers(directory, expected, kind="pool_processes"):
    """The merged figures of the workers' files in directory (removed with
    it), or None when none was written; kind is the strategy's PROFILE."""
    import shutil

    try:
        files = sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".prof"))
    except OSError:
        files = []
    try:
        what, waiter = WORKERS[kind]
        scope = "each of the %d %s, merged (%s, which waits, left out)" % (len(files), what, waiter)
        if len(files) < expected:
            scope += "; %d of %d wrote no profile" % (expected - len(files), expected)
        return summary(files, scope, len(files))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


LABEL_MAX = 200     # characters of a function's label (gilscope refuses longer)


def _label(func):
    """file.py:line(function), or the built-in's name as pstats writes it;
    cut at LABEL_MAX characters."""
    filename, line, name = func
    if filename == "~" and line == 0:
        label = "{%s}" % name[1:-1] if name.startswith("<") and name.endswith(">") else name
    else:
        label = "%s:%d(%s)" % (os.path.basename(filename), line, name)
    return label if len(label) <= LABEL_MAX else label[:LABEL_MAX - 1] + "\u2026"


def _ours(func):
    """The profiler's own frames (this module, the profiler object's methods)."""
    filename, _, name = func
    return os.path.abspath(filename) == _OWN or "_lsprof.Profiler" in name


def summary(sources, scope, profiles):
    """The top entries by own and by cumulative time of the merged sources
    (Profile objects or files), as the result's "profile", or None."""
    import pstats

    if not sources:
        return None
    stats = None
    for src in sources:
        try:
            if stats is None:
                stats = pstats.Stats(src)
            else:
                stats.add(src)
        except (TypeError, OSError, EOFError, ValueError):
            continue  # a profiler that recorded nothing, or a file cut short
    if stats is None:
        return None
    rows = [(func, cc, nc, tt, ct) for func, (cc, nc, tt, ct, _) in stats.stats.items() if not _ours(func)]

    def entry(row):
        func, cc, nc, tt, ct = row
        return {"function": _label(func), "calls": nc, "primitive_calls": cc,
                "own_s": round(tt, 6), "cumulative_s": round(ct, 6)}

    return {"scope": scope, "profiles": profiles, "total_own_s": round(sum(r[3] for r in rows), 6),
            "by_own": [entry(r) for r in sorted(rows, key=lambda r: -r[3])[:TOP]],
            "by_cumulative": [entry(r) for r in sorted(rows, key=lambda r: -r[4])[:TOP]]}
