"""processes: concurrent.futures.ProcessPoolExecutor(workers) of the start
method's multiprocessing context (fork, spawn or forkserver). The workers load
the workload in the pool initializer (worker._worker_init), under the
harness's module name, so that run pickles by reference under every start
method."""

import time

from ..interp import start_methods
from ..proctree import vm_hwm_bytes
from ..protocol import HarnessFailure, exception_line, remote_traceback
from ..worker import _call, _warmup, _worker_init
from ._base import Outcome
from ._pool import (BARRIER_TIMEOUT_S, collect, describe_dead_workers, release_semaphores,
                    shutdown_nowait, terminate_workers)

NAME = "processes"
PROFILE = "pool_processes"  # --profile: each pool process
TRANSFERS = True  # arguments and results cross as pickles


def workers(requested):
    return requested


def start_method(requested):
    """The requested start method, else the platform's default."""
    return requested or start_methods()[1]


def unavailable_reason(workload, python, opts):
    try:
        import concurrent.futures.process  # noqa: F401
        import multiprocessing.synchronize  # noqa: F401 (needs sem_open)
    except ImportError as exc:
        return "multiprocessing does not work here (%s)" % exception_line(exc)
    if opts.start_method is not None:
        methods = start_methods()[0]
        if opts.start_method not in methods:
            return "start method %s is not available here (available: %s)" % (
                opts.start_method, ", ".join(methods))
    return None


def workload_problem(workload, opts):
    """run must pickle (by reference: a top-level function)."""
    import pickle

    try:
        pickle.dumps(workload.run)
    except Exception as exc:
        return "%s: run cannot be sent to a process pool: %s" % (workload.filename,
                                                                 exception_line(exc))
    return None


def preload(opts):
    import concurrent.futures.process  # noqa: F401
    import multiprocessing.connection  # noqa: F401
    import multiprocessing.queues  # noqa: F401
    import multiprocessing.synchronize  # noqa: F401

    if opts.start_method == "fork":
        import multiprocessing.popen_fork  # noqa: F401
    elif opts.start_method == "spawn":
        import multiprocessing.popen_spawn_posix  # noqa: F401
    elif opts.start_method == "forkserver":
        import multiprocessing.forkserver  # noqa: F401
        import multiprocessing.popen_forkserver  # noqa: F401


def _new_pool(workload, workers, opts):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context(opts.start_method)
    barrier = ctx.Barrier(workers, timeout=BARRIER_TIMEOUT_S)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init,
                               initargs=(barrier, workload.ref, opts.proto_fd,
                                         opts.start_method, opts.no_gc, opts.profile_dir))
    return pool


def _submit_warmups(pool, workload, args, workers, opts):
    """One warm-up task per worker (each first calls run opts.warm_calls
    times; they wait for each other on a barrier, so every worker is up when
    they return)."""
    run, warm_args = (workload.run, args) if opts.warm_calls else (None, ())
    return [pool.submit(_warmup, None, run, warm_args, opts.warm_calls) for _ in range(workers)]


def prepare(workload, args, workers, opts):
    """--warm-calls: the pool started and warm before the window opens."""
    from concurrent.futures import BrokenExecutor

    pool, warm, procs = _new_pool(workload, workers, opts), [], {}
    try:
        try:
            warm = _submit_warmups(pool, workload, args, workers, opts)
            procs.update(pool._processes or {})
            collect(warm, [])
        except BrokenExecutor as exc:
            raise HarnessFailure("run", exception_line(exc), remote_traceback(exc), None)
    except HarnessFailure as failure:
        procs.update(getattr(pool, "_processes", None) or {})
        failure.cleanup.append(lambda: shutdown_nowait(pool, warm))
        failure.cleanup.append(lambda: terminate_workers(procs))
        failure.cleanup.append(release_semaphores)
        raise
    return pool, procs


def execute(workload, args, workers, opts):
    """Starts the pool and its warm-up tasks (or takes the pool prepare
    warmed: no start-up in the window then), then submits the tasks."""
    from concurrent.futures import BrokenExecutor

    run = workload.run
    if opts.prepared is not None:
        (pool, started), warm = opts.prepared, []
    else:
        pool, started, warm = _new_pool(workload, workers, opts), {}, None
    futs, procs = [], dict(started)
    try:
        try:
            if warm is None:
                warm = _submit_warmups(pool, workload, args, workers, opts)
            futs = warm + [pool.submit(_call, run, i, a) for i, a in enumerate(args)]
            procs.update(pool._processes or {})  # all started by the warm-up submits
            results, records, ready = collect(warm, futs[len(warm):])
        except BrokenExecutor as exc:  # from submit, once the pool broke
            raise HarnessFailure("run", exception_line(exc), remote_traceback(exc), None)
    except HarnessFailure as failure:
        procs.update(getattr(pool, "_processes", None) or {})
        if failure.stage == "run":
            time.sleep(0.05)  # let the pool notice every dead worker
            dead = describe_dead_workers(procs)
            if dead:
                failure.message += " (%s)" % dead
        failure.cleanup.append(lambda: shutdown_nowait(pool, futs))
        failure.cleanup.append(lambda: terminate_workers(procs))
        failure.cleanup.append(release_semaphores)
        raise
    # Forkserver workers are not our children: read their peaks while alive.
    hwm = max([vm_hwm_bytes(pid) for pid in procs] or [0])
    pool.shutdown(wait=True)
    return Outcome(results, records, ready if warm else None, hwm)
