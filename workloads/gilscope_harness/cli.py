"""The command line of harness.py, its two modes (run, info) and main; the
messages and their order are docs/protocol.md."""

import gc
import os
import sys
import time
import traceback

from . import interp, strategies
from .checksum import checksum
from .probe import Probe
from .proctree import cpu_delta, cpu_snapshot_end, cpu_snapshot_start, max_rss_bytes
from .protocol import (Channel, HarnessFailure, exception_line, info_message, result_message,
                       start_message, task_records, unavailable_message)
from .strategies._base import Options
from .workload import LoadError, info, load_workload, make_tasks, measured_values, not_applicable


def _size(text):
    import argparse

    if text == "default":
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be an integer or 'default', not %r" % text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0, not %d" % value)
    return value


def _count(minimum):
    import argparse

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError("must be an integer, not %r" % text)
        if value < minimum:
            raise argparse.ArgumentTypeError("must be >= %d, not %d" % (minimum, value))
        return value
    return parse


def parse_args(argv):
    import argparse

    p = argparse.ArgumentParser(prog="harness.py",
                                description="gilscope's Python harness (docs/protocol.md).")
    p.add_argument("--mode", choices=("run", "info"), default="run")
    p.add_argument("--workload", action="append", default=[], metavar="SPEC",
                   help="a built-in workload name or the path of a .py file")
    p.add_argument("--strategy", choices=strategies.names(), default=strategies.REGISTRY[0].NAME)
    p.add_argument("--workers", type=_count(1), default=1)
    p.add_argument("--tasks", type=_count(0), default=8)
    p.add_argument("--size", type=_size, default=None, help="an integer or 'default'")
    p.add_argument("--start-method", choices=interp.START_METHODS, default=None)
    p.add_argument("--probe", action="store_true",
                   help="run the GIL latency probe in the window (docs/measurement.md)")
    p.add_argument("--warm-calls", type=_count(0), default=0, metavar="CALLS",
                   help="each worker calls run CALLS times before the window opens")
    p.add_argument("--profile", action="store_true",
                   help="profile the window with cProfile (a diagnostic run: profiler.py)")
    p.add_argument("--chunksize", type=_count(1), default=None, metavar="TASKS",
                   help="tasks per message of a strategy that sends them in chunks (mp_pool)")
    p.add_argument("--no-transfer", action="store_true",
                   help="do not measure the transfer cost after the window (another run of the cell does)")
    p.add_argument("--no-gc", action="store_true",
                   help="the cyclic garbage collector off in every worker during the window (as timeit)")
    args = p.parse_args(argv)
    if args.mode == "run" and len(args.workload) != 1:
        p.error("--mode run needs exactly one --workload")
    return args


def _flush_stdio():
    for f in (sys.stdout, sys.stderr):
        try:
            f.flush()
        except Exception:
            pass


def _leave(status):
    """Exits at once (threads that may never finish are not waited for),
    removing the scratch directory the harness made itself, if any."""
    for path, pid in _OWN_SCRATCH:
        _remove_scratch(path, pid)
    _flush_stdio()
    os._exit(status)


def _fail(chan, failure):
    """Sends the error, releases what still runs, exits 1 without waiting
    for threads that may never finish."""
    try:
        chan.send(failure.as_message())
    except Exception:
        sys.stderr.write("harness: cannot send the error: %s\n" % failure.message)
    for step in failure.cleanup:
        try:
            step()
        except Exception:
            pass
    _leave(1)


def _fail_load(chan, exc):
    _fail(chan, HarnessFailure("load", exc.message, exc.traceback, None))


def info_mode(chan, specs):
    """Sends what this interpreter can run: every strategy, available or not,
    the start methods, the workloads (specs, else the built-ins)."""
    python, opts = interp.version_info(), Options()
    available = [(s.NAME, s.unavailable_reason(None, python, opts)) for s in strategies.REGISTRY]
    try:
        methods, default = interp.start_methods()
    except ImportError:
        methods, default = [], None
    chan.send(info_message(available, methods, default, info(specs)))
    return 0


def _load(chan, strategy, spec, opts):
    """The loaded workload; None once "unavailable" is sent. The strategy is
    asked first without the workload (an interpreter that cannot run it never
    loads one), then with it."""
    python = interp.version_info()
    reason = strategy.unavailable_reason(None, python, opts)
    if reason is None:
        try:
            wl = load_workload(spec)
        except LoadError as exc:
            _fail_load(chan, exc)
        reason = not_applicable(wl, strategy.NAME) or strategy.unavailable_reason(wl, python, opts)
    if reason is not None:
        chan.send(unavailable_message(strategy.NAME, reason))
        return None
    return wl


def _tasks(chan, strategy, wl, args, opts):
    """(size, task arguments), once the strategy accepts the workload."""
    try:
        size = args.size if args.size is not None else (
            wl.default_size if wl.default_size is not None else 1)
        tasks = make_tasks(wl, args.tasks, size)
        problem = strategy.workload_problem(wl, opts)
        if problem is not None:
            raise LoadError(problem)
    except LoadError as exc:
        _fail_load(chan, exc)
    return size, tasks


def _preload(strategy, opts):
    """Imports, before the window opens, what the harness needs after it (json,
    hashlib) and what the strategy will import. What any strategy imports
    (asyncio, concurrent.futures, multiprocessing, signal) is imported for
    every strategy, the baseline too, so every run opens its window with the
    same modules loaded: they change a kernel's own speed (docs/measurement.md)."""
    import asyncio  # noqa: F401
    import concurrent.futures  # noqa: F401
    import concurrent.futures.thread  # noqa: F401
    import hashlib  # noqa: F401
    import json  # noqa: F401
    import multiprocessing  # noqa: F401
    import signal  # noqa: F401

    strategy.preload(opts)


def run_mode(chan, args):
    strategy = strategies.get(args.strategy)
    opts = Options(strategy.start_method(args.start_method), chan.fd, args.warm_calls, args.no_gc,
                   args.chunksize)
    wl = _load(chan, strategy, args.workload[0], opts)
    if wl is None:
        return 0
    size, tasks = _tasks(chan, strategy, wl, args, opts)
    workers = strategy.workers(args.workers)
    _preload(strategy, opts)
    if opts.warm_calls:
        try:
            opts.prepared = strategy.prepare(wl, tasks, workers, opts)
        except HarnessFailure as failure:
            _fail(chan, failure)
    pid = os.getpid()
    chan.send(start_message(wl, strategy.NAME, workers, len(tasks), size, opts.start_method,
                            args.probe, opts.warm_calls))
    snap0 = cpu_snapshot_start(pid)
    probe = Probe() if args.probe else None
    if probe is not None:
        probe.start()  # running before the window opens
    prof = _start_profile(strategy, opts) if args.profile else None
    gc_was_on = gc.isenabled()
    if opts.no_gc:
        gc.disable()  # this process's threads; pool workers switch it off themselves
    t0 = time.monotonic_ns()
    try:
        outcome = strategy.execute(wl, tasks, workers, opts)
    except HarnessFailure as failure:
        _fail(chan, failure)
    t1 = time.monotonic_ns()
    if gc_was_on:
        gc.enable()
    profile = _stop_profile(strategy, opts, prof, workers) if args.profile else None
    transfer = None
    if strategy.TRANSFERS and not args.no_transfer:
        from .transfer import cost

        transfer = cost(tasks, outcome.results, outcome.chunksize)
    probed = probe.stop() if probe is not None else None
    snap1 = cpu_snapshot_end(pid)
    cpu = cpu_delta(snap0, snap1)
    records, seen = task_records(outcome.records)
    startup = None if outcome.ready_ns is None else max(0, outcome.ready_ns - t0)
    digest = checksum(outcome.results)
    rss = max_rss_bytes(pid, outcome.workers_hwm)
    values = explanation = None
    if wl.measures is not None:
        try:
            values, explanation = measured_values(wl, outcome.results)
        except HarnessFailure as failure:
            _fail(chan, failure)
    chan.send(result_message((t0, t1), startup, digest, cpu, rss, records, seen, probed, interp.gil_enabled(),
                             values, explanation, profile, transfer))
    return 0


def _start_profile(strategy, opts):
    """--profile: starts what profiles the window where strategy runs its
    tasks (profiler.py); returns it, or None when the profile is made
    elsewhere (pool processes) or not at all."""
    from . import profiler

    if strategy.PROFILE in profiler.WORKERS:
        import tempfile

        opts.profile_dir = tempfile.mkdtemp(prefix="gilscope-profile-")
        return None
    if strategy.PROFILE is None:
        return None
    prof = profiler.InProcess(main=strategy.PROFILE == "caller")
    prof.start()
    return prof


def _stop_profile(strategy, opts, prof, workers):
    """The result's "profile": the figures, or a record of why there are none."""
    from . import profiler

    if prof is not None:
        got = prof.stop()
    elif opts.profile_dir is not None:
        got = profiler.collect_workers(opts.profile_dir, workers, strategy.PROFILE)
    else:
        got = None
    if got is None:
        why = ("not profiled: %s" % getattr(strategy, "PROFILE_WHY", "%s runs its tasks where gilscope does not "
                                            "profile yet" % strategy.NAME)
               if strategy.PROFILE is None else "nothing was profiled")
        got = {"scope": why, "profiles": 0, "total_own_s": 0, "by_own": [], "by_cumulative": []}
    return got


# The soft RLIMIT_NOFILE gilscope had before its HTTP service raised it (the
# harness inherits the raised one): set back before anything else runs.
NOFILE_ENV = "GILSCOPE_NOFILE_SOFT"


def restore_nofile(environ=None):
    """Sets the soft RLIMIT_NOFILE to the value in GILSCOPE_NOFILE_SOFT (and
    removes the variable, so the workload sees the environment it would have
    without the service); an absent, unreadable or impossible value changes
    nothing. Returns the soft limit set, or None."""
    environ = os.environ if environ is None else environ
    text = environ.pop(NOFILE_ENV, None)
    if text is None:
        return None
    try:
        import resource

        want = int(text)
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if want <= 0 or (hard != resource.RLIM_INFINITY and want > hard) or want == soft:
            return None
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        return want
    except (ImportError, ValueError, OSError):
        return None


# The run's scratch directory (docs/protocol.md): gilscope makes one per run
# and removes it after the run whatever happened; run by hand, the harness
# makes its own and removes it when it exits.
SCRATCH_ENV = "GILSCOPE_SCRATCH"


def ensure_scratch(environ=None):
    """The run's scratch directory: GILSCOPE_SCRATCH when it names a
    directory, else a new one made here (gilscope-run-XXXXXX in the
    temporary directory), set in the environment, which this process removes
    when it exits (normally, or through _fail). Returns its path."""
    environ = os.environ if environ is None else environ
    path = environ.get(SCRATCH_ENV)
    if path and os.path.isdir(path):
        return path
    import atexit
    import tempfile

    path = tempfile.mkdtemp(prefix="gilscope-run-")
    environ[SCRATCH_ENV] = path
    atexit.register(_remove_scratch, path, os.getpid())
    _OWN_SCRATCH.append((path, os.getpid()))
    return path


_OWN_SCRATCH = []  # the directory ensure_scratch made, for _fail (os._exit runs no atexit)


def _remove_scratch(path, pid):
    # A forked pool worker inherits the handler: only the process that made it removes it.
    if os.getpid() == pid:
        import shutil

        shutil.rmtree(path, ignore_errors=True)


def main(proto_fd, argv=None):
    """Runs the harness on the protocol descriptor proto_fd; returns the exit
    status (0 after result/info/unavailable; errors exit 1 directly)."""
    restore_nofile()
    try:
        args = parse_args(argv)
    except SystemExit as exc:  # argparse: usage on stderr, no message sent
        return exc.code
    chan = Channel(proto_fd)
    try:
        chan.send(interp.hello_message())
        if args.mode == "info":
            return info_mode(chan, args.workload)
        ensure_scratch()
        return run_mode(chan, args)
    except BrokenPipeError:
        sys.stderr.write("harness: the result pipe is closed\n")
        _leave(1)
    except BaseException as exc:
        _fail(chan, HarnessFailure("internal", "harness: %s" % exception_line(exc),
                                   traceback.format_exc(), None))
