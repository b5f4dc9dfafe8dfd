"""Helpers of the pool strategies: waiting for the tasks, shutting a pool down
without waiting, and what a process pool leaves behind when it breaks."""

import sys
import time

from ..protocol import HarnessFailure, exception_line, remote_traceback
from ._base import task_failure, task_record

# A warm-up task gives up waiting for the other workers after this long, so a
# pool that cannot start all its workers never hangs the harness.
BARRIER_TIMEOUT_S = 60.0
# How long terminated pool workers get to exit before they are killed.
KILL_GRACE_S = 2.0


def collect(warm, futs):
    """Waits for a pool's futures; stops at the first failed task or broken
    pool (HarnessFailure). Returns (results, records, ready_ns)."""
    from concurrent.futures import BrokenExecutor, as_completed

    n = len(futs)
    index_of = dict((f, i) for i, f in enumerate(futs))
    results, records = [None] * n, [None] * n
    for f in as_completed(futs):
        i = index_of[f]
        try:
            rec = f.result()
        except BrokenExecutor as exc:
            raise HarnessFailure("run", exception_line(exc), remote_traceback(exc), None)
        except BaseException as exc:  # e.g. an argument or result that does not pickle
            raise HarnessFailure("tasks", exception_line(exc), remote_traceback(exc), i)
        if not rec[0]:
            raise task_failure(rec)
        results[i] = rec[2]
        records[i] = task_record(rec)
    ready, broken = 0, False
    for f in warm:
        try:
            t, b = f.result()
        except BrokenExecutor as exc:
            raise HarnessFailure("run", exception_line(exc), remote_traceback(exc), None)
        ready, broken = max(ready, t), broken or b
    return results, records, (None if broken else ready)


def shutdown_nowait(pool, futs):
    """Cancels what has not started and shuts the pool down without waiting."""
    for f in futs:
        f.cancel()
    if sys.version_info >= (3, 9):
        pool.shutdown(wait=False, cancel_futures=True)
    else:
        pool.shutdown(wait=False)


def describe_dead_workers(procs):
    """'worker 123 killed by SIGABRT' for pool workers that died, skipping
    the ones the pool itself terminated when it broke (SIGTERM)."""
    import signal

    dead = []
    for pid, p in sorted(procs.items()):
        try:
            code = p.exitcode
        except Exception:
            code = None
        if code is None:
            continue
        if code < 0:
            try:
                how = "killed by %s" % signal.Signals(-code).name
            except ValueError:
                how = "killed by signal %d" % -code
        else:
            how = "exited with status %d" % code
        dead.append((code == -signal.SIGTERM, "worker %d %s" % (pid, how)))
    shown = [text for term, text in dead if not term] or [text for _, text in dead]
    return "; ".join(shown)


def terminate_workers(procs):
    """Terminates pool workers, then kills the ones still there after a grace."""
    for p in procs.values():
        try:
            p.terminate()
        except Exception:
            pass
    deadline = time.monotonic() + KILL_GRACE_S
    for p in procs.values():
        try:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.exitcode is None:
                p.kill()
        except Exception:
            pass


def release_semaphores():
    """Unlinks the pool's and the barrier's named semaphores now, as a normal
    exit would (the harness leaves with os._exit after an error), so the
    resource tracker has nothing to clean up and warn about."""
    import multiprocessing.util

    multiprocessing.util._run_finalizers(0)
