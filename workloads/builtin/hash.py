"""sha256 of 1 MiB buffers (C code that releases the GIL)

Each task feeds hashlib.sha256 the same 1 MiB buffer `size` times. hashlib
releases the GIL while it hashes a large buffer, so threads can run tasks in
parallel on several cores.
"""

import hashlib

KIND = "cpu"
DEFAULT_SIZE = 240

_MIB = 1 << 20


def make_tasks(n, size):
    """Task i is (i, size): the buffer content depends on i."""
    return [(i, size) for i in range(n)]


def _buffer(seed):
    """A deterministic 1 MiB buffer that depends on seed."""
    block = hashlib.sha256(b"gilscope:%d" % seed).digest()  # 32 bytes
    return block * (_MIB // len(block))


def run(arg):
    """Returns the hex digest of `size` updates with the seed's buffer.

    `arg` is (seed, size) as made by make_tasks, or a bare size (seed 0).
    """
    if isinstance(arg, int):
        seed, size = 0, arg
    else:
        seed, size = arg
    buf = _buffer(seed)
    h = hashlib.sha256()
    for _ in range(size):
        h.update(buf)
    return h.hexdigest()
