"""What runs where the tasks run: the task wrapper, the warm-up task and the
process-pool initializer. The task wrapper also runs in the harness itself,
for a strategy without a pool.

Process-pool workers unpickle references to _worker_init, _warmup and _call:
a spawn or forkserver worker imports this module and the package's
__init__.py, nothing else of the harness. So the top level imports only light
standard modules and nothing from the package, and the two helpers a worker
needs besides live here: exception_line (protocol.py re-exports it) and
import_workload (workload.py uses it).
"""

import os
import threading
import time
import traceback

# Per-process state of a pool worker (the barrier of the warm-up tasks); set by
# _worker_init in workers, never in the harness process itself.
_WORKER = {}


def exception_line(exc):
    """'ExcType: message' on one line."""
    try:
        text = str(exc)
    except Exception:  # a broken __str__ must not hide the failure
        text = "<unprintable %s>" % type(exc).__name__
    text = " ".join(text.split("\n")).strip()
    name = type(exc).__name__
    return "%s: %s" % (name, text) if text else name


def import_workload(module_name, path):
    """Imports a built-in (path None) or loads a file under module_name,
    registered in sys.modules so that its functions pickle by reference."""
    import importlib
    import sys

    module = sys.modules.get(module_name)
    if module is not None:
        return module
    if path is None:
        return importlib.import_module(module_name)
    import importlib.machinery
    import importlib.util

    loader = importlib.machinery.SourceFileLoader(module_name, path)
    spec = importlib.util.spec_from_file_location(module_name, path, loader=loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _call(run, index, arg):
    """Runs one task where it is executed; returns
    (ok, index, value, start_ns, end_ns, pid, tid), value being the result or,
    when the task raised, ("ExcType: message", traceback)."""
    start = time.monotonic_ns()
    try:
        value = run(arg)
        ok = True
    except BaseException as exc:  # SystemExit in a task is a failed task too
        value = (exception_line(exc), traceback.format_exc())
        ok = False
    end = time.monotonic_ns()
    return ok, index, value, start, end, os.getpid(), threading.get_native_id()


def _call_reporting(run, index, arg):
    """_call, which also puts the record of a task that raised on the pool's
    failure queue (_WORKER["failures"], set by _reporting_worker_init): a
    Pool.starmap returns only once every chunk is done, and the harness
    stops at the first failed task instead."""
    rec = _call(run, index, arg)
    if not rec[0] and _WORKER.get("failures") is not None:
        _WORKER["failures"].put(rec)
    return rec


def _warmup(barrier=None, run=None, args=(), calls=0):
    """A task that first calls run on args (in turn) calls times, ignoring
    what it returns or raises (the code warms up: --warm-calls), then waits
    until every worker runs one; returns (monotonic_ns when released,
    whether the barrier broke)."""
    for k in range(calls if args else 0):
        try:
            run(args[k % len(args)])
        except BaseException:  # the task itself will report it
            pass
    if barrier is None:
        barrier = _WORKER.get("barrier")
    broken = False
    if barrier is not None:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            broken = True
    return time.monotonic_ns(), broken


def _point_fd3_at_devnull():
    """Makes a task's write to fd 3 go nowhere in a pool worker too, as it
    does in the harness. Workers started by spawn or forkserver find fd 3
    closed, or holding the read-only /dev/null that multiprocessing put in
    place of stdin, or (spawn) the parent sentinel, which is moved away."""
    try:
        os.fstat(3)
        is_open = True
    except OSError:
        is_open = False
    if is_open:
        try:
            target = os.readlink("/proc/self/fd/3")
        except OSError:
            return  # cannot tell what it is: leave it alone
        if target != os.devnull:
            import multiprocessing.process

            parent = multiprocessing.process.parent_process()
            if parent is None or getattr(parent, "_sentinel", None) != 3:
                return
            parent._sentinel = os.dup(3)
    null = os.open(os.devnull, os.O_RDWR)
    if null != 3:
        os.dup2(null, 3)
        os.close(null)


def _worker_init(barrier, workload_ref, proto_fd, start_method, no_gc=False, profile_dir=None):
    """Process-pool initializer: drops the inherited protocol descriptor,
    loads the workload under the harness's module name, keeps the barrier;
    with no_gc (--no-gc) switches the cyclic garbage collector off; with
    profile_dir (--profile) profiles this process until it exits."""
    if profile_dir is not None:
        from .profiler import start_worker

        start_worker(profile_dir)
    if no_gc:
        import gc

        gc.disable()
    if start_method == "fork":
        try:
            os.close(proto_fd)
        except OSError:
            pass
    _point_fd3_at_devnull()
    _WORKER["barrier"] = barrier
    import_workload(*workload_ref)


def _reporting_worker_init(failures, *args):
    """_worker_init of a pool whose tasks run through _call_reporting:
    failures is the queue the records of failed tasks go to."""
    _WORKER["failures"] = failures
    _worker_init(*args)
