"""The strategies: one module each, listed in REGISTRY.

A strategy module exposes this interface, and the rest of the harness knows
strategies only through it:

    NAME
        The strategy's name on the command line and on the wire. It is written
        there and nowhere else in the harness.
    execute(workload, args, workers, opts) -> _base.Outcome
        Runs workload.run on every argument of args with that many workers;
        raises protocol.HarnessFailure, whose cleanup steps release what
        still runs.

and, where the default (in _base.py) does not fit:

    workers(requested) -> int
        How many workers it runs when --workers asks for requested
        (default: requested).
    start_method(requested) -> str or None
        The multiprocessing start method it uses, requested being
        --start-method or None; None when it starts no process (the default).
    unavailable_reason(workload, python, opts) -> str or None
        Why it cannot run here (sent as "unavailable", not a failure), or None.
        workload is the loaded workload.Workload, so a strategy may depend on
        what the workload offers (a native asyncio one needs run_async); it is
        None when the question comes before any workload is loaded (info mode,
        and run mode before loading): then judge the interpreter alone. python
        is the interpreter's version tuple, e.g. (3, 11, 7). Default: None.
    workload_problem(workload, opts) -> str or None
        Why it cannot run this workload, sent as a load error (one line that
        names the workload's file), or None (the default). Asked once the
        tasks are built.
    preload(opts)
        Imports what execute will import, before the timing window opens
        (default: nothing).
    PROFILE
        Where its tasks run, for --profile (profiler.py): "caller" (the thread
        that calls execute: the default), "started_threads" (threads it
        starts), "pool_processes" (each profiled on its own),
        "pool_interpreters" (each worker interpreter, likewise), or None (not
        profiled: the result says so, with PROFILE_WHY when it is defined).
    TRANSFERS
        Whether its tasks and results cross to other processes or interpreters
        as pickles (default False): the result then carries what pickling them
        costs, measured after the window (transfer.py).
    prepare(workload, args, workers, opts) -> anything
        With --warm-calls only (opts.warm_calls > 0), before the window opens:
        starts the workers and has each call workload.run opts.warm_calls
        times; what it returns is opts.prepared when execute runs, which then
        uses those workers and reports no pool start-up (ready_ns None).
        Default: the calls in this thread (serial), returning None.

opts is an _base.Options (the start method, the protocol descriptor, the
warm-up calls and what prepare returned).
Helpers shared by the pool strategies are in _pool.py.

Adding a strategy: write its module (NAME, execute and what differs from the
defaults; copy the closest one), add it to REGISTRY below, and add the row of the orchestrator's table
(runner/model/strategy.c), which must list the same names in the same order.
"""

from . import _base, asyncio, interpreters, mp_pool, processes, serial, threads, to_thread

# In the order of the info message and of gilscope's runs. The first is the
# baseline of every speedup and the default --strategy.
REGISTRY = tuple(_base.complete(m) for m in (serial, threads, processes, mp_pool, to_thread, asyncio,
                                              interpreters))


def names():
    """The strategies' names, in REGISTRY order."""
    return tuple(module.NAME for module in REGISTRY)


def get(name):
    """The module of the strategy called name; KeyError if there is none."""
    for module in REGISTRY:
        if module.NAME == name:
            return module
    raise KeyError("no strategy %r (strategies: %s)" % (name, ", ".join(names())))
