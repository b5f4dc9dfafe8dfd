"""The protocol stream (docs/protocol.md): one JSON object per line on one
descriptor, the failure that becomes an "error" message, and the builders of
the other messages.

A message's fields go on the wire in the order its builder lists them, which
is the order docs/protocol.md shows: keep the two alike. hello is built in
interp.py, the info listing of workloads in workload.py.
"""

import os
import traceback

from .worker import exception_line  # noqa: F401 (there for pool workers)

PROTOCOL = 1


class Channel(object):
    """The protocol stream: one JSON object per line on one descriptor."""

    def __init__(self, fd):
        self.fd = fd

    def send(self, msg):
        """Writes msg as one line with os.write, retrying partial writes."""
        import json

        data = memoryview((json.dumps(printable(msg), allow_nan=False) + "\n").encode("ascii"))
        while len(data):
            n = os.write(self.fd, data)
            data = data[n:]


def printable(obj):
    """obj with every string made valid UTF-8 text: a path that is not UTF-8
    reaches Python with its bad bytes as lone surrogates (surrogateescape),
    which JSON cannot carry; each becomes \\xNN, as gilscope writes such
    bytes (docs/json-schema.md, "Paths")."""
    if isinstance(obj, str):
        if not any("\udc80" <= ch <= "\udcff" for ch in obj):
            return obj
        return "".join("\\x%02x" % (ord(ch) - 0xDC00) if "\udc80" <= ch <= "\udcff" else ch for ch in obj)
    if isinstance(obj, dict):
        return dict((printable(k), printable(v)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return [printable(x) for x in obj]
    return obj


class HarnessFailure(Exception):
    """A failure to report as an "error" message.

    cleanup holds callables that release what is still running (pools,
    workers); main runs them after the message is sent, then exits 1.
    """

    def __init__(self, stage, message, tb=None, task=None):
        Exception.__init__(self, message)
        self.stage = stage
        self.message = message
        self.traceback = tb
        self.task = task
        self.cleanup = []

    def as_message(self):
        return {"type": "error", "stage": self.stage, "message": bound(self.message, keep="start"),
                "traceback": bound(self.traceback, keep="end"), "task": self.task}


# Text from a workload (an exception's message, a traceback) goes to the
# report: at most this many bytes of UTF-8 per field, the cut said.
TEXT_MAX = 4096


def bound(text, keep="start", limit=TEXT_MAX):
    """text cut to at most limit bytes of UTF-8, keeping its start (a
    message: "… (N bytes cut)" after it) or its end (a traceback, whose last
    lines matter: "[… N bytes cut …]" and a newline before it); None stays
    None."""
    if text is None:
        return None
    data = text.encode("utf-8", "surrogateescape")
    if len(data) <= limit:
        return text
    room = limit - 40
    if keep == "start":
        head = data[:room].decode("utf-8", "ignore")
        return "%s… (%d bytes cut)" % (head, len(data) - len(head.encode("utf-8", "surrogateescape")))
    tail = data[-room:].decode("utf-8", "ignore")
    return "[… %d bytes cut …]\n%s" % (len(data) - len(tail.encode("utf-8", "surrogateescape")), tail)


def remote_traceback(exc):
    """The worker's traceback of an exception re-raised by a process pool,
    else the local one."""
    cause = getattr(exc, "__cause__", None)
    tb = getattr(cause, "tb", None)
    if isinstance(tb, str):
        return tb
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def unavailable_message(strategy, reason):
    return {"type": "unavailable", "strategy": strategy, "reason": reason}


def start_message(wl, strategy, workers, tasks, size, start_method, probe, warm_calls=0):
    """wl is the loaded workload.Workload, tasks the number of tasks."""
    return {"type": "start", "workload": wl.name, "kind": wl.kind, "strategy": strategy,
            "workers": workers, "tasks": tasks, "size": size, "start_method": start_method,
            "probe": bool(probe), "warm_calls": warm_calls}


def task_records(records):
    """(tasks, workers_seen) of the result, from a strategy's records
    (index, start_ns, end_ns, pid, tid) in task order."""
    seen, tasks = [], []
    for index, start, end, pid, tid in records:
        tasks.append({"index": index, "start_ns": start, "end_ns": end, "pid": pid, "tid": tid})
        if {"pid": pid, "tid": tid} not in seen:
            seen.append({"pid": pid, "tid": tid})
    return tasks, seen


def result_message(window, pool_startup_ns, checksum, cpu, max_rss, tasks, seen, probe, gil_enabled=True,
                   values=None, explanation=None, profile=None, transfer=None):
    """window is (start_ns, end_ns), cpu (user_s, sys_s); tasks and seen come
    from task_records; probe is Probe.stop()'s record or None; gil_enabled
    whether the interpreter ran with its GIL at the window's end; values and
    explanation an experiment's figures (workload.measured_values) or None;
    profile the --profile figures (profiler.summary) or None; transfer what
    pickling the tasks and results costs (transfer.cost) or None."""
    t0, t1 = window
    return {
        "type": "result", "window_start_ns": t0, "window_end_ns": t1, "strategy_wall_ns": t1 - t0,
        "pool_startup_ns": pool_startup_ns, "checksum": checksum,
        "cpu_user_s": cpu[0], "cpu_sys_s": cpu[1], "max_rss_bytes": max_rss,
        "workers_seen": seen, "tasks": tasks, "probe": probe, "gil_enabled": bool(gil_enabled),
        "values": values, "explanation": explanation, "profile": profile, "transfer": transfer,
    }


def info_message(strategies, start_methods, default_start_method, workloads):
    """strategies is [(name, unavailable reason or None)] in order; workloads
    the records of workload.info."""
    return {"type": "info",
            "strategies": [{"name": name, "available": reason is None, "reason": reason}
                           for name, reason in strategies],
            "start_methods": start_methods, "default_start_method": default_start_method,
            "workloads": workloads}
