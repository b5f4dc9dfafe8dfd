"""to_thread: asyncio.run of asyncio.gather of asyncio.to_thread calls, the
loop's default executor being a ThreadPoolExecutor(workers). Python 3.9+."""

import threading

from ..interp import python_version
from ..protocol import HarnessFailure
from ..worker import _call, _warmup
from ._base import Outcome, task_failure, task_record
from ._pool import BARRIER_TIMEOUT_S, collect, shutdown_nowait

NAME = "to_thread"
PROFILE = "started_threads"  # --profile: the threads it starts


def unavailable_reason(workload, python, opts):
    if tuple(python) < (3, 9):
        return "needs Python 3.9 (this is %s)" % python_version(python)
    return None


def preload(opts):
    import asyncio  # noqa: F401
    import concurrent.futures.thread  # noqa: F401


def prepare(workload, args, workers, opts):
    """--warm-calls: the default executor's threads started and warm before the
    window opens (each calls run opts.warm_calls times)."""
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(workers, timeout=BARRIER_TIMEOUT_S)
    pool = ThreadPoolExecutor(max_workers=workers)
    warm = [pool.submit(_warmup, barrier, workload.run, args, opts.warm_calls) for _ in range(workers)]
    try:
        collect(warm, [])
    except HarnessFailure as failure:
        barrier.abort()
        failure.cleanup.append(lambda: shutdown_nowait(pool, warm))
        raise
    return pool, barrier


def execute(workload, args, workers, opts):
    """asyncio.run of the tasks; the executor's warm-up tasks run beside
    them (or prepare warmed the executor: no start-up in the window then)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    run = workload.run
    prepared = opts.prepared
    if prepared is not None:
        pool, barrier = prepared
    else:
        barrier = threading.Barrier(workers, timeout=BARRIER_TIMEOUT_S)
        pool = ThreadPoolExecutor(max_workers=workers)

    async def one(i, arg):
        rec = await asyncio.to_thread(_call, run, i, arg)
        if not rec[0]:
            raise task_failure(rec)
        return rec

    async def main():
        loop = asyncio.get_running_loop()
        loop.set_default_executor(pool)
        warm = [] if prepared is not None else [
            asyncio.ensure_future(asyncio.to_thread(_warmup, barrier)) for _ in range(workers)]
        try:
            recs = await asyncio.gather(*[one(i, a) for i, a in enumerate(args)])
        except HarnessFailure:
            # Do not let asyncio.run wait for the running tasks: give it an
            # idle executor to shut down; main cancels the rest of the pool.
            barrier.abort()
            loop.set_default_executor(ThreadPoolExecutor(max_workers=1))
            raise
        marks = await asyncio.gather(*warm)
        ready = None if not marks or any(b for _, b in marks) else max(t for t, _ in marks)
        return recs, ready

    try:
        recs, ready = asyncio.run(main())
    except HarnessFailure as failure:
        failure.cleanup.append(lambda: shutdown_nowait(pool, []))
        raise
    return Outcome([r[2] for r in recs], [task_record(r) for r in recs], ready)
