"""CPU time and peak memory of the harness's whole process tree, read from
/proc and getrusage (docs/measurement.md: "CPU time", "Memory")."""

import os


def _proc_table():
    """pid -> (ppid, utime, stime, cutime, cstime) in clock ticks, from
    /proc/*/stat (empty where there is no /proc)."""
    table = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return table
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                data = f.read()
            fields = data[data.rindex(b")") + 2:].split()
            table[int(name)] = (int(fields[1]), int(fields[11]), int(fields[12]),
                                int(fields[13]), int(fields[14]))
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    return table


def descendants(root, table=None):
    """Pids of every live (or zombie) descendant of root."""
    table = _proc_table() if table is None else table
    children = {}
    for pid, row in table.items():
        children.setdefault(row[0], []).append(pid)
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _tree_ticks(root):
    """(user, sys) seconds of root's live descendants, their reaped children
    included: a forkserver worker lands in the fork server's cutime/cstime."""
    table = _proc_table()
    user = system = 0
    for pid in descendants(root, table):
        _, ut, st, cut, cst = table[pid]
        user += ut + cut
        system += st + cst
    tick = float(os.sysconf("SC_CLK_TCK"))
    return user / tick, system / tick


def _rusage_times():
    """(user, sys) seconds of the harness and the children it reaped."""
    import resource

    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + b.ru_utime, a.ru_stime + b.ru_stime


def cpu_snapshot_start(pid):
    """Taken just before the window: the /proc scan first, so its own cost
    stays out of the harness's getrusage delta."""
    tree = _tree_ticks(pid)
    return _rusage_times(), tree


def cpu_snapshot_end(pid):
    """Taken right after the pool is shut down."""
    own = _rusage_times()
    return own, _tree_ticks(pid)


def cpu_delta(start, end):
    """(user, sys) CPU seconds of every process that worked in the window."""
    (ou0, os0), (tu0, ts0) = start
    (ou1, os1), (tu1, ts1) = end
    return max(0.0, (ou1 - ou0) + (tu1 - tu0)), max(0.0, (os1 - os0) + (ts1 - ts0))


def max_rss_bytes(pid, workers_hwm=0):
    """The largest peak RSS of the harness, its reaped children and its live
    descendants (plus pool workers read before shutdown), in bytes."""
    import resource

    peaks = [workers_hwm,
             resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
             resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
             vm_hwm_bytes(pid)]
    peaks.extend(vm_hwm_bytes(d) for d in descendants(pid))
    return max(peaks)



def vm_hwm_bytes(pid):
    """The peak resident set (VmHWM) of a live process in bytes, else 0."""
    try:
        with open("/proc/%d/status" % pid, "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0
