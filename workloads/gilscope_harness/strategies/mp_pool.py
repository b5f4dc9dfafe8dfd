"""mp_pool: multiprocessing.Pool(workers).starmap of the start method's
context, the tasks sent in chunks of --chunksize (the harness's; without it,
the size Pool.starmap picks itself: len(tasks) / (4 * workers), rounded up).
Where processes (ProcessPoolExecutor) sends one message per task, a chunk
here is one message, one pickle and one queue operation for many tasks.

The workers load the workload in the pool initializer as processes' do
(worker._worker_init), and warm-up tasks, queued before the tasks, wait on a
barrier so that the pool is up when they return (its start-up). A Pool
replaces a worker that dies and loses its chunk, which would hang starmap:
the harness watches the pool's first workers while it waits and fails the
run, naming the dead one, instead."""

import time

from ..proctree import vm_hwm_bytes
from ..protocol import HarnessFailure, exception_line, remote_traceback
from ..worker import _call_reporting, _reporting_worker_init, _warmup
from ._base import Outcome, task_failure, task_record
from ._pool import BARRIER_TIMEOUT_S, KILL_GRACE_S, describe_dead_workers, release_semaphores, terminate_workers
from . import processes

NAME = "mp_pool"
PROFILE = "pool_processes"  # --profile: each pool process
TRANSFERS = True  # arguments and results cross as pickles (in chunks)

# How often the harness looks for a dead worker while the tasks run.
_WATCH_S = 0.05

start_method = processes.start_method
unavailable_reason = processes.unavailable_reason
workload_problem = processes.workload_problem


def chunksize(tasks, workers, requested):
    """The chunk size starmap uses: requested, else Pool's own choice."""
    if requested:
        return requested
    size, extra = divmod(tasks, workers * 4)
    return size + 1 if extra else max(size, 1)


def preload(opts):
    import multiprocessing.pool  # noqa: F401

    processes.preload(opts)


def _new_pool(workload, workers, opts):
    import multiprocessing

    ctx = multiprocessing.get_context(opts.start_method)
    barrier = ctx.Barrier(workers, timeout=BARRIER_TIMEOUT_S)
    failures = ctx.SimpleQueue()
    pool = ctx.Pool(workers, initializer=_reporting_worker_init,
                    initargs=(failures, barrier, workload.ref, opts.proto_fd, opts.start_method, opts.no_gc,
                              opts.profile_dir))
    return pool, _Watch(dict((p.pid, p) for p in pool._pool), failures)


class _Watch(object):
    """What the harness watches while a pool works: its first workers (a
    Pool replaces one that dies and loses its chunk, which would hang
    starmap) and the queue of failed tasks (starmap returns only once every
    chunk is done)."""

    def __init__(self, procs, failures):
        self.procs = procs
        self.failures = failures

    def check(self):
        if not self.failures.empty():
            raise task_failure(self.failures.get())
        if any(p.exitcode is not None for p in self.procs.values()):
            time.sleep(_WATCH_S)  # let every dead worker's exit code be read
            raise HarnessFailure("run", "a pool worker died: %s" % describe_dead_workers(self.procs), None, None)


def _warmups(pool, workload, args, workers, opts):
    run, warm_args = (workload.run, args) if opts.warm_calls else (None, ())
    return [pool.apply_async(_warmup, (None, run, warm_args, opts.warm_calls)) for _ in range(workers)]


def _wait(result, watch):
    """Waits for an AsyncResult; raises HarnessFailure at the first failed
    task or dead worker."""
    while not result.ready():
        result.wait(_WATCH_S)
        watch.check()
    try:
        return result.get()
    except BaseException as exc:  # e.g. an argument or result that does not pickle
        raise HarnessFailure("tasks", exception_line(exc), remote_traceback(exc), None)


def _ready(warm, watch):
    """When the last warm-up task was released (monotonic ns), or None when
    the barrier broke."""
    ready, broken = 0, False
    for w in warm:
        t, b = _wait(w, watch)
        ready, broken = max(ready, t), broken or b
    return None if broken else ready


def _every_worker(pool, watch):
    """The pool's first workers and any that replaced them."""
    procs = dict(watch.procs)
    procs.update((p.pid, p) for p in (getattr(pool, "_pool", None) or []))
    return procs


def _terminate_bounded(pool):
    """Pool.terminate in a daemon thread, waited for a while only: it takes
    the task queue's read lock, which a worker killed while it waited for a
    task may hold for ever (the harness exits right after)."""
    import threading

    t = threading.Thread(target=pool.terminate, name="gilscope-pool-terminate", daemon=True)
    t.start()
    t.join(KILL_GRACE_S)


def _cleanup(failure, pool, watch):
    # terminate first: it stops the thread that replaces dead workers, which
    # would otherwise start new ones as fast as they are killed
    failure.cleanup.append(lambda: _terminate_bounded(pool))
    failure.cleanup.append(lambda: terminate_workers(_every_worker(pool, watch)))
    failure.cleanup.append(release_semaphores)


def prepare(workload, args, workers, opts):
    """--warm-calls: the pool started and warm before the window opens."""
    pool, watch = _new_pool(workload, workers, opts)
    try:
        _ready(_warmups(pool, workload, args, workers, opts), watch)
    except HarnessFailure as failure:
        _cleanup(failure, pool, watch)
        raise
    return pool, watch


def execute(workload, args, workers, opts):
    """Starts the pool and its warm-up tasks (or takes the pool prepare
    warmed), then runs starmap over the tasks in chunks."""
    if opts.prepared is not None:
        (pool, watch), warm = opts.prepared, []
    else:
        pool, watch = _new_pool(workload, workers, opts)
        warm = _warmups(pool, workload, args, workers, opts)
    try:
        size = chunksize(len(args), workers, opts.chunksize)
        mapped = pool.starmap_async(_call_reporting, [(workload.run, i, a) for i, a in enumerate(args)], size)
        ready = _ready(warm, watch) if warm else None
        recs = _wait(mapped, watch)
        for rec in recs:
            if not rec[0]:
                raise task_failure(rec)
    except HarnessFailure as failure:
        _cleanup(failure, pool, watch)
        raise
    hwm = max([vm_hwm_bytes(pid) for pid in watch.procs] or [0])
    pool.close()
    pool.join()
    return Outcome([rec[2] for rec in recs], [task_record(rec) for rec in recs], ready, hwm, size)
