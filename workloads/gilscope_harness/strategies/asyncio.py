"""asyncio: the workload's own coroutine, async def run_async(arg), for every
task on one event loop in the harness's main thread, at most `workers` at
once (an asyncio.Semaphore). Nothing runs in parallel: coroutines overlap
only while they wait, which is what native asyncio offers I/O."""

import os
import threading
import time
import traceback

from ..protocol import exception_line
from ._base import Outcome, task_failure, task_record

NAME = "asyncio"


def unavailable_reason(workload, python, opts):
    """Only a workload that defines async def run_async(arg) can run here."""
    if workload is None or workload.run_async is not None:
        return None
    if getattr(workload.module, "run_async", None) is not None:
        return "%s defines run_async, but not as a coroutine function (async def run_async(arg))" % (
            workload.filename)
    return "%s defines no run_async: the asyncio strategy runs async def run_async(arg)" % (
        workload.filename)


def preload(opts):
    import asyncio  # noqa: F401


async def _call_async(run_async, index, arg):
    """worker._call for a coroutine: (ok, index, value, start_ns, end_ns, pid, tid)."""
    start = time.monotonic_ns()
    try:
        value = await run_async(arg)
        ok = True
    except Exception as exc:  # a cancelled task (BaseException) is not a result
        value = (exception_line(exc), traceback.format_exc())
        ok = False
    end = time.monotonic_ns()
    return ok, index, value, start, end, os.getpid(), threading.get_native_id()


def prepare(workload, args, workers, opts):
    """--warm-calls: run_async awaited that many times, one after the other."""
    import asyncio

    async def warm():
        for k in range(opts.warm_calls if args else 0):
            await _call_async(workload.run_async, k, args[k % len(args)])

    asyncio.run(warm())
    return None


def execute(workload, args, workers, opts):
    """asyncio.run of every task, workers at a time; the first task that
    raises fails the run (the rest are cancelled). The loop's start-up is
    reported as the pool's: ready when the first coroutine runs."""
    import asyncio

    run_async = workload.run_async
    marks = {}

    async def one(gate, i, arg):
        async with gate:
            rec = await _call_async(run_async, i, arg)
        if not rec[0]:
            raise task_failure(rec)
        return rec

    async def main():
        marks["ready"] = time.monotonic_ns()
        gate = asyncio.Semaphore(workers)
        return await asyncio.gather(*[one(gate, i, a) for i, a in enumerate(args)])

    recs = asyncio.run(main())
    ready = None if opts.warm_calls else marks.get("ready")  # the protocol: no start-up with --warm-calls
    return Outcome([r[2] for r in recs], [task_record(r) for r in recs], ready)
