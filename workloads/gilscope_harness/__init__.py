"""gilscope's Python harness: runs one workload under one strategy and reports.

workloads/harness.py moves the result pipe away from fd 3 and calls
cli.main(fd). The wire protocol is docs/protocol.md; how each figure is
measured is docs/measurement.md. Standard library only, Python 3.8 and newer.

Modules:

    cli          the command line, the run and info modes, main
    protocol     the stream (Channel), the error (HarnessFailure), message builders
    interp       facts about the interpreter: hello, cores, start methods
    workload     loading a workload (the Workload API), its tasks, the info listing
    worker       what runs where the tasks run: task wrapper, warm-up, pool initializer
    probe        the GIL latency probe thread
    proctree     CPU time and peak memory of the harness's process tree
    checksum     the canonical encoding of the results and its sha256
    strategies/  one module per strategy, and the registry that lists them

Pool workers import this file and worker.py, and no other module of the
package (they unpickle worker._worker_init, _warmup and _call): this file
imports nothing, worker.py only light standard modules. The harness imports
everything else before the timing window opens. There is no module-level state
a pool could fork: worker._WORKER is filled in pool workers only.

Adding a strategy takes one new module in strategies/ with the interface that
strategies/__init__.py describes, and one line in its REGISTRY (plus the row
of the orchestrator's table, runner/model/strategy.c). Nothing else in the
harness names a strategy: it asks the registry and the strategy's module.
"""


def main(proto_fd, argv=None):
    """cli.main, imported on first call (pool workers never make it)."""
    from .cli import main as cli_main

    return cli_main(proto_fd, argv)
