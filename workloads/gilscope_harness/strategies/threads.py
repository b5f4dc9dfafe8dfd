"""threads: concurrent.futures.ThreadPoolExecutor(workers) in the harness."""

import threading

from ..worker import _call, _warmup
from ..protocol import HarnessFailure
from ._base import Outcome
from ._pool import BARRIER_TIMEOUT_S, collect, shutdown_nowait

NAME = "threads"


def preload(opts):
    import concurrent.futures.thread  # noqa: F401


def execute(workload, args, workers, opts):
    """Submits one warm-up task per worker (they wait for each other, so every
    thread is started when they return), then the tasks."""
    from concurrent.futures import ThreadPoolExecutor

    run = workload.run
    barrier = threading.Barrier(workers, timeout=BARRIER_TIMEOUT_S)
    pool = ThreadPoolExecutor(max_workers=workers)
    futs = []
    try:
        warm = [pool.submit(_warmup, barrier) for _ in range(workers)]
        futs = warm + [pool.submit(_call, run, i, a) for i, a in enumerate(args)]
        results, records, ready = collect(warm, futs[workers:])
    except HarnessFailure as failure:
        barrier.abort()
        failure.cleanup.append(lambda: shutdown_nowait(pool, futs))
        raise
    pool.shutdown(wait=True)
    return Outcome(results, records, ready)
