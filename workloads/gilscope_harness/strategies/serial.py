"""serial: a plain loop in the harness's main thread, the baseline of every
speedup."""

from ..worker import _call
from ._base import Outcome, task_failure, task_record

NAME = "serial"


def workers(requested):
    """One, whatever was asked: the loop is the only worker."""
    return 1


def execute(workload, args, workers, opts):
    """Runs the tasks one after the other; no pool, so no ready time."""
    run = workload.run
    results, records = [], []
    for i, arg in enumerate(args):
        rec = _call(run, i, arg)
        if not rec[0]:
            raise task_failure(rec)
        results.append(rec[2])
        records.append(task_record(rec))
    return Outcome(results, records)
