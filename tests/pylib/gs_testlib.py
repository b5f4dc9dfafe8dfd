"""Helpers shared by the Python test suites (tests/python, tests/e2e).

Standard library only; importable on Python 3.8 and newer. A suite puts this
directory on sys.path:

    sys.path.insert(0, os.path.join(ROOT, "tests", "pylib"))
    from gs_testlib import ROOT, FIXTURES, fixture, live_processes_mentioning
"""
import os

ROOT = os.environ.get("GS_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKLOADS = os.path.join(ROOT, "workloads")
# Workload files the harness and e2e tests share (raising, hanging, chatty...).
FIXTURES = os.path.join(ROOT, "tests", "python", "fixtures")


def fixture(name):
    """The path of a workload fixture file."""
    return os.path.join(FIXTURES, name)


def live_processes_mentioning(text, also=""):
    """Pids of live (non-zombie) processes other than this one whose command
    line contains text (and also `also`)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open("/proc/%s/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if text in cmd and also in cmd and state not in ("Z", "X"):
            found.append(int(pid))
    return found
