"""empty tasks: measures each strategy's fixed cost and per-task dispatch cost

Each task returns its argument and does nothing else, so a run's wall time is
the strategy's own overhead: pool start-up once, then dispatching, running and
collecting every task. gilscope reports per cell the wall time per task after
start-up; on this workload that is the dispatch cost of one task.
"""

KIND = "mixed"
DEFAULT_SIZE = 1


def run(arg):
    """Returns arg unchanged."""
    return arg
