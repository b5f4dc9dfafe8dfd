"""threads: concurrent.futures.ThreadPoolExecutor(workers) in the harness."""

import threading

from ..worker import _call, _warmup
from ..protocol import HarnessFailure
from ._base import Outcome
from ._pool import BARRIER_TIMEOUT_S, collect, shutdown_nowait

NAME = "threads"
PROFILE = "started_threads"  # --profile: the threads it starts


def preload(opts):
    import concurrent.futures.thread  # noqa: F401


def _start(workload, args, workers, opts):
    """The pool and one warm-up task per worker (each first calls run
    opts.warm_calls times; they wait for each other, so every thread is
    started when they return)."""
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(workers, timeout=BARRIER_TIMEOUT_S)
    pool = ThreadPoolExecutor(max_workers=workers)
    warm = [pool.submit(_warmup, barrier, workload.run, args, opts.warm_calls) for _ in range(workers)]
    return pool, barrier, warm


def prepare(workload, args, workers, opts):
    """--warm-calls: the pool started and warm before the window opens."""
    pool, barrier, warm = _start(workload, args, workers, opts)
    try:
        collect(warm, [])
    except HarnessFailure as failure:
        barrier.abort()
        failure.cleanup.append(lambda: shutdown_nowait(pool, warm))
        raise
    return pool, barrier


def execute(workload, args, workers, opts):
    """Starts the pool (or takes the one prepare warmed: no start-up in the
    window then), then submits the tasks."""
    run = workload.run
    if opts.prepared is not None:
        (pool, barrier), warm = opts.prepared, []
    else:
        pool, barrier, warm = _start(workload, args, workers, opts)
    futs = list(warm)
    try:
        futs += [pool.submit(_call, run, i, a) for i, a in enumerate(args)]
        results, records, ready = collect(warm, futs[len(warm):])
    except HarnessFailure as failure:
        barrier.abort()
        failure.cleanup.append(lambda: shutdown_nowait(pool, futs))
        raise
    pool.shutdown(wait=True)
    return Outcome(results, records, ready if warm else None)
