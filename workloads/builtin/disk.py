"""write, fsync and read back files (I/O-bound: the GIL is released while waiting)

Each task creates its own file in a temporary directory, appends `size`
blocks of 64 KiB and calls os.fsync after each one, as a program that must
not lose a record does (a log, a journal, a database commit). Then it asks the
kernel to drop the file's pages from its cache (posix_fadvise DONTNEED, where
it exists), reads the file back from the device in 1 MiB chunks and deletes
it. It returns the number of bytes read and their CRC-32, the same under every
strategy.

What it teaches: os.write, os.fsync and os.read are blocking system calls,
and CPython releases the GIL around each one. A thread waiting for the disk to
confirm an fsync holds no GIL, so the other threads run meanwhile: threads,
to_thread and processes all overlap the waits, and unlike pure-Python work
the speedup can exceed the core count. How far it goes is the device's
business, not the GIL's: concurrent fsyncs on one file system share its
journal (ext4 commits them together, which helps) and the device's queue
(which limits). The worker threads spend most of their time off the CPU,
blocked in the kernel (gilscope's thread states count read and write as I/O
wait, fsync and unlink as "other"), and almost none waiting for the GIL.
There is no run_async: the standard library has no asynchronous file API
(asyncio.to_thread is the to_thread strategy under another name), so the
asyncio strategy says unavailable.

Files: the tasks write in the run's scratch directory (GILSCOPE_SCRATCH, in
the temporary directory: TMPDIR, else /tmp), which gilscope makes before the
run and removes after it, however the run ended; each task also deletes its
own file when it is done.
"""

import os
import tempfile
import zlib

KIND = "io"
DEFAULT_SIZE = 64

BLOCK = 64 * 1024  # bytes appended before each fsync
_READ_CHUNK = 1 << 20


def make_tasks(n, size):
    """Task i is (directory, i, size): every task writes its own file in a
    directory of the run's scratch directory."""
    directory = tempfile.mkdtemp(prefix="disk-", dir=os.environ["GILSCOPE_SCRATCH"])
    return [(directory, i, size) for i in range(n)]



def _block(index):
    """The 64 KiB a task writes, again and again: depends on the task index."""
    line = b"gilscope disk task %d\n" % index
    return (line * (BLOCK // len(line) + 1))[:BLOCK]


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def run(arg):
    """Writes and fsyncs `size` blocks to a new file, reads it back, deletes
    it; returns (bytes read, CRC-32 of what was read).

    `arg` is (directory, index, size) as made by make_tasks.
    """
    directory, index, size = arg
    block = _block(index)
    # A new file per call, so that two calls with the same argument (the
    # workers' warm-up calls of --warm-calls) never share one.
    fd, path = tempfile.mkstemp(prefix="task-%d-" % index, suffix=".bin", dir=directory)
    try:
        for _ in range(size):
            _write_all(fd, block)
            os.fsync(fd)
        if hasattr(os, "posix_fadvise"):
            # The pages are clean after fsync: dropping them makes the reads
            # below go to the device instead of the page cache.
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.lseek(fd, 0, os.SEEK_SET)
        nbytes, crc = 0, 0
        while True:
            chunk = os.read(fd, _READ_CHUNK)
            if not chunk:
                break
            nbytes += len(chunk)
            crc = zlib.crc32(chunk, crc)
    finally:
        os.close(fd)
        os.unlink(path)
    return (nbytes, crc)
