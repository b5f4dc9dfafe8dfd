"""gilscope's Python harness: the entry script (see docs/protocol.md).

The orchestrator runs `python harness.py --mode run|info ...` with the write end
of a pipe at fd 3. Before anything else is imported, the pipe moves to a
descriptor >= 100 marked close-on-exec and fd 3 is pointed at /dev/null, so a
workload that writes to fd 3 (or a program it execs) cannot corrupt the
protocol stream. Everything else lives in the package gilscope_harness/ beside
this file (its __init__.py lists the modules).

The statements run only as __main__: process-pool workers started by spawn or
forkserver import this file again as __mp_main__ and must not touch fd 3.
"""

if __name__ == "__main__":
    import os
    import sys

    try:
        os.fstat(3)
    except OSError:
        sys.stderr.write("harness.py: fd 3 is not open: run this through gilscope, "
                         "which passes the result pipe there (docs/protocol.md)\n")
        sys.exit(2)
    import fcntl

    _proto_fd = fcntl.fcntl(3, fcntl.F_DUPFD_CLOEXEC, 100)
    _null = os.open(os.devnull, os.O_RDWR)
    os.dup2(_null, 3)
    os.close(_null)

    _here = os.path.dirname(os.path.realpath(__file__))
    if _here not in sys.path:
        sys.path.insert(0, _here)
    from gilscope_harness import cli

    sys.exit(cli.main(_proto_fd))
