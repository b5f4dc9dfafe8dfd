"""What sending the tasks to workers in other processes or interpreters costs:
every task's argument and every result as multiprocessing pickles them
(ForkingPickler), measured in the harness after the window closed, so that
the measurement never disturbs what is timed (docs/measurement.md,
"Transfer cost"). A strategy opts in with TRANSFERS = True."""

import time


def _chunks(values, size):
    """values as the strategy sends them: one by one, or in lists of size."""
    if size <= 1:
        return list(values)
    return [list(values[i:i + size]) for i in range(0, len(values), size)]


def cost(args, results, chunksize=1):
    """{task_bytes, result_bytes, max_task_bytes, max_result_bytes, pickle_s,
    unpickle_s, chunksize}: the pickles' sizes, and the time to pickle and to
    unpickle each argument and result once -- in lists of chunksize when the
    strategy sends chunks (max_*_bytes is then a chunk's); None when one
    cannot be pickled (the run itself then failed, or pickled it another
    way)."""
    import pickle
    from multiprocessing.reduction import ForkingPickler

    sizes = {"task": [], "result": []}
    dump = load = 0.0
    try:
        for kind, values in (("task", args), ("result", results)):
            for x in _chunks(values, chunksize):
                t0 = time.perf_counter()
                blob = ForkingPickler.dumps(x)
                t1 = time.perf_counter()
                pickle.loads(blob)
                t2 = time.perf_counter()
                dump += t1 - t0
                load += t2 - t1
                sizes[kind].append(len(blob))
    except Exception:
        return None
    return {"task_bytes": sum(sizes["task"]), "result_bytes": sum(sizes["result"]),
            "max_task_bytes": max(sizes["task"] or [0]), "max_result_bytes": max(sizes["result"] or [0]),
            "pickle_s": round(dump, 9), "unpickle_s": round(load, 9), "chunksize": max(1, chunksize)}
