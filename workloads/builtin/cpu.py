"""pure-Python arithmetic (CPU-bound)

Each task runs a loop of `size` iterations of integer arithmetic in the
interpreter, so it holds the GIL the whole time: threads cannot speed it up
on a GIL build, processes can.
"""

KIND = "cpu"
DEFAULT_SIZE = 1400000


def make_tasks(n, size):
    """Task i is (i, size): the seed varies so results differ per task."""
    return [(i, size) for i in range(n)]


def run(arg):
    """Returns a 32-bit integer mixed from `size` arithmetic steps.

    `arg` is (seed, size) as made by make_tasks, or a bare size (seed 0).
    """
    if isinstance(arg, int):
        seed, size = 0, arg
    else:
        seed, size = arg
    acc = seed * 2654435761 + 1
    for i in range(size):
        acc = (acc * 1103515245 + i) % 2147483648
    return acc
