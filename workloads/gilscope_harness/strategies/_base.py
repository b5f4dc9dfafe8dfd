"""What every strategy shares: its options, its outcome, task records."""

from ..protocol import HarnessFailure


class Options(object):
    """What a strategy needs besides the workload, the arguments and the
    number of workers."""

    def __init__(self, start_method=None, proto_fd=None, warm_calls=0, no_gc=False, chunksize=None):
        self.start_method = start_method
        # --chunksize: tasks per message for a strategy that sends them in
        # chunks (mp_pool); None: its own choice.
        self.chunksize = chunksize
        self.proto_fd = proto_fd
        # --no-gc: the cyclic GC off in every worker during the window (the
        # harness turns it off in its own process; pool workers at start-up).
        self.no_gc = no_gc
        # --warm-calls: each worker calls run this many times before the window
        # (prepare), and execute then runs on what prepare returned.
        self.warm_calls = warm_calls
        self.prepared = None
        # --profile with PROFILE "pool_processes": where each pool process writes
        # its profile at exit (profiler.start_worker); None otherwise.
        self.profile_dir = None


class Outcome(object):
    """What a strategy returns: results and task records in task order, when
    the pool was ready (monotonic ns, or None), the largest VmHWM (bytes) of
    pool workers read before shutdown (0 if none), how many tasks went in one
    message (1 unless the strategy sends chunks)."""

    def __init__(self, results, records, ready_ns=None, workers_hwm=0, chunksize=1):
        self.results = results
        self.records = records
        self.ready_ns = ready_ns
        self.workers_hwm = workers_hwm
        self.chunksize = chunksize


def task_record(rec):
    """The record (index, start_ns, end_ns, pid, tid) of what worker._call
    returned."""
    return rec[1:2] + rec[3:]


def task_failure(rec):
    """The error of a worker._call return whose task raised."""
    index, (message, tb) = rec[1], rec[2]
    return HarnessFailure("tasks", message, tb, index)


def _workers(requested):
    return requested


def _start_method(requested):
    return None


def _unavailable_reason(workload, python, opts):
    return None


def _workload_problem(workload, opts):
    return None


def _preload(opts):
    return None


def _prepare(workload, args, workers, opts):
    """Warms the serial loop: calls run opts.warm_calls times in this thread."""
    from ..worker import _warmup

    _warmup(None, workload.run, args, opts.warm_calls)
    return None


# What a strategy module need not define (strategies/__init__.py), with the
# interface's own signatures.
_DEFAULTS = {
    "workers": _workers,
    "start_method": _start_method,
    "unavailable_reason": _unavailable_reason,
    "workload_problem": _workload_problem,
    "preload": _preload,
    "prepare": _prepare,
    # --profile: where the tasks run (profiler.py): "caller" (the thread that
    # calls execute), "started_threads" (threads it starts), "pool_processes",
    # "pool_interpreters", or None (not profiled).
    "PROFILE": "caller",
    # Whether tasks and results cross to other processes or interpreters as
    # pickles: the result then carries their cost (transfer.py).
    "TRANSFERS": False,
}


def complete(module):
    """module, given the default of each optional name it does not define."""
    for name, default in _DEFAULTS.items():
        if not hasattr(module, name):
            setattr(module, name, default)
    return module
