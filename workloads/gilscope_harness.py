"""gilscope's Python harness: runs one workload under one strategy and reports.

harness.py moves the result pipe away from fd 3 and calls main(fd). The wire
protocol is docs/protocol.md; how each figure is measured is
docs/measurement.md. Standard library only, Python 3.8 and newer.

This module is also imported by process-pool workers (to unpickle
_worker_init, _warmup and _call), so its top level imports only light modules;
the parent imports everything else before the timing window opens. A strategy
is a function execute_NAME(run, args, workers, opts) -> Outcome. There is no
module-level state a pool could fork: _WORKER is filled in pool workers only.
"""

import importlib
import importlib.machinery
import importlib.util
import os
import sys
import threading
import time
import traceback

PROTOCOL = 1
STRATEGY_NAMES = ("serial", "threads", "processes", "to_thread")
START_METHODS = ("fork", "spawn", "forkserver")
KINDS = ("cpu", "io", "mixed")
RESERVED_FILES = ("harness.py", "gilscope_harness.py")
USER_MODULE_PREFIX = "gilscope_user_"
# A warm-up task gives up waiting for the other workers after this long, so a
# pool that cannot start all its workers never hangs the harness.
BARRIER_TIMEOUT_S = 60.0
# How long terminated pool workers get to exit before they are killed.
KILL_GRACE_S = 2.0

# Per-process state of a pool worker (the barrier of the warm-up tasks); set by
# _worker_init in workers, never in the harness process itself.
_WORKER = {}


# --- messages ---------------------------------------------------------------

class Channel(object):
    """The protocol stream: one JSON object per line on one descriptor."""

    def __init__(self, fd):
        self.fd = fd

    def send(self, msg):
        """Writes msg as one line with os.write, retrying partial writes."""
        import json

        data = memoryview((json.dumps(msg, allow_nan=False) + "\n").encode("ascii"))
        while len(data):
            n = os.write(self.fd, data)
            data = data[n:]


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
        return {"type": "error", "stage": self.stage, "message": self.message,
                "traceback": self.traceback, "task": self.task}


def exception_line(exc):
    """'ExcType: message' on one line."""
    try:
        text = str(exc)
    except Exception:  # a broken __str__ must not hide the failure
        text = "<unprintable %s>" % type(exc).__name__
    text = " ".join(text.split("\n")).strip()
    name = type(exc).__name__
    return "%s: %s" % (name, text) if text else name


def remote_traceback(exc):
    """The worker's traceback of an exception re-raised by a process pool,
    else the local one."""
    cause = getattr(exc, "__cause__", None)
    tb = getattr(cause, "tb", None)
    if isinstance(tb, str):
        return tb
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


# --- interpreter facts --------------------------------------------------------

def cores():
    """CPUs this process may run on (like uv_available_parallelism)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def python_version():
    v = sys.version_info
    return "%d.%d.%d" % (v[0], v[1], v[2])


def hello_message():
    import platform
    import sysconfig

    # sys.version is "3.11.7 (main, Jan  1 2024, 00:00:00) [GCC 12.2.0]".
    rest = sys.version.partition(" ")[2].replace("\n", "")
    close = rest.find(")")
    build = rest[1:close] + " " + rest[close + 1:].strip() if rest.startswith("(") else rest.strip()
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return {
        "type": "hello", "protocol": PROTOCOL, "pid": os.getpid(),
        "python": {
            "implementation": platform.python_implementation(),
            "version": platform.python_version(),
            "executable": os.path.realpath(sys.executable) if sys.executable else "",
            "build": build,
            "gil_enabled": bool(is_gil_enabled()) if is_gil_enabled else True,
            "free_threaded": sysconfig.get_config_var("Py_GIL_DISABLED") == 1,
        },
        "cores": cores(),
    }


def start_methods():
    """(available start methods, the platform default)."""
    import multiprocessing

    methods = [m for m in multiprocessing.get_all_start_methods() if m in START_METHODS]
    default = multiprocessing.get_start_method(allow_none=True)
    if default is None:
        default = multiprocessing.get_context().get_start_method()
    return methods, default


def unavailable_reason(strategy, start_method=None):
    """Why this interpreter cannot run strategy (with start_method), or None."""
    if strategy == "to_thread" and sys.version_info < (3, 9):
        return "needs Python 3.9 (this is %s)" % python_version()
    if strategy == "processes":
        try:
            import concurrent.futures.process  # noqa: F401
            import multiprocessing.synchronize  # noqa: F401 (needs sem_open)
        except ImportError as exc:
            return "multiprocessing does not work here (%s)" % exception_line(exc)
        if start_method is not None:
            methods = start_methods()[0]
            if start_method not in methods:
                return "start method %s is not available here (available: %s)" % (
                    start_method, ", ".join(methods))
    return None


# --- workloads -----------------------------------------------------------------

class LoadError(Exception):
    """A workload that cannot be used; message is one line naming the file."""

    def __init__(self, message, tb=None):
        Exception.__init__(self, message)
        self.message = message
        self.traceback = tb


class Workload(object):
    """A loaded workload module and what the Workload API says about it."""

    def __init__(self, spec, name, builtin, path, module_name, module):
        self.spec = spec
        self.name = name
        self.builtin = builtin
        self.path = path
        self.module_name = module_name
        self.module = module
        self.run = module.run
        self.kind = getattr(module, "KIND", "mixed")
        self.default_size = getattr(module, "DEFAULT_SIZE", None)
        doc = (module.__doc__ or "").strip()
        self.description = doc.splitlines()[0].strip() if doc else None
        run_async = getattr(module, "run_async", None)
        import inspect

        self.has_async = run_async is not None and inspect.iscoroutinefunction(run_async)

    @property
    def ref(self):
        """What a pool worker needs to import the same module: (name, path)."""
        return (self.module_name, None if self.builtin else self.path)

    def describe(self):
        return {"spec": self.spec, "name": self.name, "kind": self.kind, "builtin": self.builtin,
                "description": self.description, "default_size": self.default_size,
                "has_async": self.has_async, "error": None}


def workloads_dir():
    return os.path.dirname(os.path.abspath(__file__))


def spec_is_path(spec):
    return "/" in spec or spec.endswith(".py")


def builtin_names(directory=None):
    """The built-in workloads: NAME.py in the workloads directory, sorted."""
    directory = directory or workloads_dir()
    names = []
    for f in os.listdir(directory):
        if f.endswith(".py") and f[0] not in "_." and f not in RESERVED_FILES:
            names.append(f[:-3])
    return sorted(names)


def user_module_name(path):
    """The module name a workload file is loaded under, in the harness and in
    every pool worker: derived from the file name only, so it is stable."""
    stem = os.path.basename(path)
    if stem.endswith(".py"):
        stem = stem[:-3]
    allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
    clean = "".join(c if c in allowed else "_" for c in stem)
    return USER_MODULE_PREFIX + (clean or "workload")


def import_workload(module_name, path):
    """Imports a built-in (path None) or loads a file under module_name,
    registered in sys.modules so that its functions pickle by reference."""
    module = sys.modules.get(module_name)
    if module is not None:
        return module
    if path is None:
        return importlib.import_module(module_name)
    loader = importlib.machinery.SourceFileLoader(module_name, path)
    spec = importlib.util.spec_from_file_location(module_name, path, loader=loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _load_error_line(filename, exc):
    if isinstance(exc, SyntaxError) and exc.filename and os.path.basename(exc.filename) == filename:
        where = " (line %d)" % exc.lineno if exc.lineno else ""
        return "%s: %s: %s%s" % (filename, type(exc).__name__, exc.msg, where)
    return "%s: %s" % (filename, exception_line(exc))


def load_workload(spec):
    """Loads a workload spec (built-in name or file path); raises LoadError."""
    if spec_is_path(spec):
        path = os.path.abspath(spec)
        filename = os.path.basename(path)
        name = filename[:-3] if filename.endswith(".py") else filename
        module_name = user_module_name(path)
        builtin = False
        if not os.path.isfile(path):
            raise LoadError("%s: no such file" % spec)
        # Like `python file.py`: the workload may import modules beside it.
        directory = os.path.dirname(path)
        if directory not in sys.path:
            sys.path.append(directory)
    else:
        if spec not in builtin_names():
            raise LoadError("%s: no built-in workload of that name (built-ins: %s)"
                            % (spec, ", ".join(builtin_names())))
        name = module_name = spec
        path = os.path.join(workloads_dir(), spec + ".py")
        filename = spec + ".py"
        builtin = True
    try:
        module = import_workload(module_name, None if builtin else path)
    except BaseException as exc:  # SystemExit from a workload's top level too
        raise LoadError(_load_error_line(filename, exc), traceback.format_exc())
    if not callable(getattr(module, "run", None)):
        raise LoadError("%s: no top-level function run(arg)" % filename)
    wl = Workload(spec, name, builtin, path, module_name, module)
    if wl.kind not in KINDS:
        raise LoadError('%s: KIND must be "cpu", "io" or "mixed", not %r' % (filename, wl.kind))
    if wl.default_size is not None and (not isinstance(wl.default_size, int)
                                        or isinstance(wl.default_size, bool)):
        raise LoadError("%s: DEFAULT_SIZE must be an int, not %r" % (filename, wl.default_size))
    return wl


def make_tasks(wl, n, size):
    """The task arguments, from the workload's make_tasks or [size] * n."""
    maker = getattr(wl.module, "make_tasks", None)
    if maker is None:
        return [size] * n
    filename = os.path.basename(wl.path)
    try:
        tasks = list(maker(n, size))
    except BaseException as exc:
        raise LoadError("%s: make_tasks(%d, %d) failed: %s" % (filename, n, size, exception_line(exc)),
                        traceback.format_exc())
    if len(tasks) != n:
        raise LoadError("%s: make_tasks(%d, %d) returned %d tasks" % (filename, n, size, len(tasks)))
    return tasks


def info_workloads(specs):
    out = []
    for spec in specs or builtin_names():
        try:
            out.append(load_workload(spec).describe())
        except LoadError as exc:
            out.append({"spec": spec, "name": None, "kind": None, "builtin": not spec_is_path(spec),
                        "description": None, "default_size": None, "has_async": None,
                        "error": exc.message})
    return out


def info_message(specs):
    strategies = []
    for name in STRATEGY_NAMES:
        reason = unavailable_reason(name)
        strategies.append({"name": name, "available": reason is None, "reason": reason})
    try:
        methods, default = start_methods()
    except ImportError:
        methods, default = [], None
    return {"type": "info", "strategies": strategies, "start_methods": methods,
            "default_start_method": default, "workloads": info_workloads(specs)}


# --- what runs in the workers ----------------------------------------------------

def _call(run, index, arg):
    """Runs one task where it is executed; returns
    (ok, index, value, start_ns, end_ns, pid, tid), value being the result or,
    when the task raised, ("ExcType: message", traceback)."""
    start = time.monotonic_ns()
    try:
        value = run(arg)
        ok = True
    except BaseException as exc:  # SystemExit in a task is a failed task too
        value = (exception_line(exc), traceback.format_exc())
        ok = False
    end = time.monotonic_ns()
    return ok, index, value, start, end, os.getpid(), threading.get_native_id()


def _warmup(barrier=None):
    """A no-op task that waits until every worker runs one; returns
    (monotonic_ns when released, whether the barrier broke)."""
    if barrier is None:
        barrier = _WORKER.get("barrier")
    broken = False
    if barrier is not None:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            broken = True
    return time.monotonic_ns(), broken


def _point_fd3_at_devnull():
    """Makes a task's write to fd 3 go nowhere in a pool worker too, as it
    does in the harness. Workers started by spawn or forkserver find fd 3
    closed, or holding the read-only /dev/null that multiprocessing put in
    place of stdin, or (spawn) the parent sentinel, which is moved away."""
    try:
        os.fstat(3)
        is_open = True
    except OSError:
        is_open = False
    if is_open:
        try:
            target = os.readlink("/proc/self/fd/3")
        except OSError:
            return  # cannot tell what it is: leave it alone
        if target != os.devnull:
            import multiprocessing.process

            parent = multiprocessing.process.parent_process()
            if parent is None or getattr(parent, "_sentinel", None) != 3:
                return
            parent._sentinel = os.dup(3)
    null = os.open(os.devnull, os.O_RDWR)
    if null != 3:
        os.dup2(null, 3)
        os.close(null)


def _worker_init(barrier, workload_ref, proto_fd, start_method):
    """Process-pool initializer: drops the inherited protocol descriptor,
    loads the workload under the harness's module name, keeps the barrier."""
    if start_method == "fork":
        try:
            os.close(proto_fd)
        except OSError:
            pass
    _point_fd3_at_devnull()
    _WORKER["barrier"] = barrier
    import_workload(*workload_ref)


# --- strategies -------------------------------------------------------------------

class Options(object):
    """What a strategy needs besides run, args and workers."""

    def __init__(self, start_method=None, workload_ref=None, proto_fd=None):
        self.start_method = start_method
        self.workload_ref = workload_ref
        self.proto_fd = proto_fd


class Outcome(object):
    """What a strategy returns: results and task records in task order, when
    the pool was ready (monotonic ns, or None), the largest VmHWM (bytes) of
    pool workers read before shutdown (0 if none)."""

    def __init__(self, results, records, ready_ns=None, workers_hwm=0):
        self.results = results
        self.records = records
        self.ready_ns = ready_ns
        self.workers_hwm = workers_hwm


def _task_failure(rec):
    """The error of a task record whose task raised."""
    index, (message, tb) = rec[1], rec[2]
    return HarnessFailure("tasks", message, tb, index)


def execute_serial(run, args, workers, opts):
    """A plain loop in the harness's main thread."""
    results, records = [], []
    for i, arg in enumerate(args):
        rec = _call(run, i, arg)
        if not rec[0]:
            raise _task_failure(rec)
        results.append(rec[2])
        records.append(rec[1:2] + rec[3:])
    return Outcome(results, records)


def _collect(warm, futs):
    """Waits for a pool's futures; stops at the first failed task or broken
    pool (HarnessFailure). Returns (results, records, ready_ns)."""
    from concurrent.futures import BrokenExecutor, as_completed

    n = len(futs)
    index_of = dict((f, i) for i, f in enumerate(futs))
    results, records = [None] * n, [None] * n
    for f in as_completed(futs):
        i = index_of[f]
        try:
            rec = f.result()
        except BrokenExecutor as exc:
            raise HarnessFailure("run", exception_line(exc), remote_traceback(exc), None)
        except BaseException as exc:  # e.g. an argument or result that does not pickle
            raise HarnessFailure("tasks", exception_line(exc), remote_traceback(exc), i)
        if not rec[0]:
            raise _task_failure(rec)
        results[i] = rec[2]
        records[i] = rec[1:2] + rec[3:]
    ready, broken = 0, False
    for f in warm:
        try:
            t, b = f.result()
        except BrokenExecutor as exc:
            raise HarnessFailure("run", exception_line(exc), remote_traceback(exc), None)
        ready, broken = max(ready, t), broken or b
    return results, records, (None if broken else ready)


def _shutdown_nowait(pool, futs):
    for f in futs:
        f.cancel()
    if sys.version_info >= (3, 9):
        pool.shutdown(wait=False, cancel_futures=True)
    else:
        pool.shutdown(wait=False)


def execute_threads(run, args, workers, opts):
    """concurrent.futures.ThreadPoolExecutor(workers)."""
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(workers, timeout=BARRIER_TIMEOUT_S)
    pool = ThreadPoolExecutor(max_workers=workers)
    futs = []
    try:
        warm = [pool.submit(_warmup, barrier) for _ in range(workers)]
        futs = warm + [pool.submit(_call, run, i, a) for i, a in enumerate(args)]
        results, records, ready = _collect(warm, futs[workers:])
    except HarnessFailure as failure:
        barrier.abort()
        failure.cleanup.append(lambda: _shutdown_nowait(pool, futs))
        raise
    pool.shutdown(wait=True)
    return Outcome(results, records, ready)


def execute_to_thread(run, args, workers, opts):
    """asyncio.run of asyncio.gather of asyncio.to_thread calls, the loop's
    default executor being a ThreadPoolExecutor(workers)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(workers, timeout=BARRIER_TIMEOUT_S)
    pool = ThreadPoolExecutor(max_workers=workers)

    async def one(i, arg):
        rec = await asyncio.to_thread(_call, run, i, arg)
        if not rec[0]:
            raise _task_failure(rec)
        return rec

    async def main():
        loop = asyncio.get_running_loop()
        loop.set_default_executor(pool)
        warm = [asyncio.ensure_future(asyncio.to_thread(_warmup, barrier)) for _ in range(workers)]
        try:
            recs = await asyncio.gather(*[one(i, a) for i, a in enumerate(args)])
        except HarnessFailure:
            # Do not let asyncio.run wait for the running tasks: give it an
            # idle executor to shut down; main cancels the rest of the pool.
            barrier.abort()
            loop.set_default_executor(ThreadPoolExecutor(max_workers=1))
            raise
        marks = await asyncio.gather(*warm)
        ready = None if any(b for _, b in marks) else max([t for t, _ in marks] or [0])
        return recs, ready

    try:
        recs, ready = asyncio.run(main())
    except HarnessFailure as failure:
        failure.cleanup.append(lambda: _shutdown_nowait(pool, []))
        raise
    return Outcome([r[2] for r in recs], [r[1:2] + r[3:] for r in recs], ready)


def _describe_dead_workers(procs):
    """'worker 123 killed by SIGABRT' for pool workers that died, skipping
    the ones the pool itself terminated when it broke (SIGTERM)."""
    import signal

    dead = []
    for pid, p in sorted(procs.items()):
        try:
            code = p.exitcode
        except Exception:
            code = None
        if code is None:
            continue
        if code < 0:
            try:
                how = "killed by %s" % signal.Signals(-code).name
            except ValueError:
                how = "killed by signal %d" % -code
        else:
            how = "exited with status %d" % code
        dead.append((code == -signal.SIGTERM, "worker %d %s" % (pid, how)))
    shown = [text for term, text in dead if not term] or [text for _, text in dead]
    return "; ".join(shown)


def _terminate_workers(procs):
    """Terminates pool workers, then kills the ones still there after a grace."""
    for p in procs.values():
        try:
            p.terminate()
        except Exception:
            pass
    deadline = time.monotonic() + KILL_GRACE_S
    for p in procs.values():
        try:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.exitcode is None:
                p.kill()
        except Exception:
            pass


def _release_semaphores():
    """Unlinks the pool's and the barrier's named semaphores now, as a normal
    exit would (the harness leaves with os._exit after an error), so the
    resource tracker has nothing to clean up and warn about."""
    import multiprocessing.util

    multiprocessing.util._run_finalizers(0)


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


def execute_processes(run, args, workers, opts):
    """concurrent.futures.ProcessPoolExecutor(workers) of the start method's
    context; workers load the workload in the pool initializer."""
    import multiprocessing
    from concurrent.futures import BrokenExecutor, ProcessPoolExecutor

    ctx = multiprocessing.get_context(opts.start_method)
    barrier = ctx.Barrier(workers, timeout=BARRIER_TIMEOUT_S)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init,
                               initargs=(barrier, opts.workload_ref, opts.proto_fd,
                                         opts.start_method))
    futs, procs = [], {}
    try:
        try:
            warm = [pool.submit(_warmup) for _ in range(workers)]
            futs = warm + [pool.submit(_call, run, i, a) for i, a in enumerate(args)]
            procs.update(pool._processes or {})  # all started by the warm-up submits
            results, records, ready = _collect(warm, futs[workers:])
        except BrokenExecutor as exc:  # from submit, once the pool broke
            raise HarnessFailure("run", exception_line(exc), remote_traceback(exc), None)
    except HarnessFailure as failure:
        procs.update(getattr(pool, "_processes", None) or {})
        if failure.stage == "run":
            time.sleep(0.05)  # let the pool notice every dead worker
            dead = _describe_dead_workers(procs)
            if dead:
                failure.message += " (%s)" % dead
        failure.cleanup.append(lambda: _shutdown_nowait(pool, futs))
        failure.cleanup.append(lambda: _terminate_workers(procs))
        failure.cleanup.append(_release_semaphores)
        raise
    # Forkserver workers are not our children: read their peaks while alive.
    hwm = max([vm_hwm_bytes(pid) for pid in procs] or [0])
    pool.shutdown(wait=True)
    return Outcome(results, records, ready, hwm)


STRATEGIES = {
    "serial": execute_serial,
    "threads": execute_threads,
    "processes": execute_processes,
    "to_thread": execute_to_thread,
}


def preload(strategy, start_method):
    """Imports what the strategy will import, before the window opens."""
    import concurrent.futures  # noqa: F401
    import concurrent.futures.thread  # noqa: F401
    import hashlib  # noqa: F401
    import json  # noqa: F401
    import signal  # noqa: F401

    if strategy == "to_thread":
        import asyncio  # noqa: F401
    if strategy == "processes":
        import concurrent.futures.process  # noqa: F401
        import multiprocessing.connection  # noqa: F401
        import multiprocessing.queues  # noqa: F401
        import multiprocessing.synchronize  # noqa: F401
        if start_method == "fork":
            import multiprocessing.popen_fork  # noqa: F401
        elif start_method == "spawn":
            import multiprocessing.popen_spawn_posix  # noqa: F401
        elif start_method == "forkserver":
            import multiprocessing.forkserver  # noqa: F401
            import multiprocessing.popen_forkserver  # noqa: F401


# --- GIL latency probe ------------------------------------------------------------

class Probe(object):
    """A daemon thread that sleeps 1 ms in a loop and records how late it got
    to run Python again (docs/measurement.md): with a GIL-bound workload the
    lateness includes the wait for the GIL. start() returns once the thread
    runs; stop() ends the loop, joins it and returns the result's "probe"."""

    INTERVAL_NS = 1000000
    LIMIT = 20000  # values kept (the first ones)

    def __init__(self, limit=LIMIT):
        self.limit = limit
        self.tid = None
        self.lateness = []
        self._stop = threading.Event()
        self._running = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="gilscope-probe")
        self._thread.daemon = True

    def _loop(self):
        self.tid = threading.get_native_id()
        self._running.set()
        now, sleep, stopped = time.monotonic_ns, time.sleep, self._stop.is_set
        interval, out, limit = self.INTERVAL_NS, self.lateness, self.limit
        seconds = interval / 1e9
        while True:  # at least one value, however short the window
            t_req = now()
            sleep(seconds)
            t_wake = now()
            if len(out) < limit:
                out.append(max(0, t_wake - t_req - interval))
            if stopped():
                break

    def start(self):
        self._thread.start()
        self._running.wait()

    def stop(self):
        self._stop.set()
        self._thread.join()
        return {"tid": self.tid, "interval_ns": self.INTERVAL_NS, "lateness_ns": self.lateness}


# --- CPU time and memory of the whole process tree -------------------------------

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


# --- checksum -----------------------------------------------------------------------

def _encode(obj, out, active):
    """Appends a canonical, type-tagged, length-prefixed encoding of obj."""
    if obj is None:
        out.append(b"N")
    elif obj is True or obj is False:
        out.append(b"T" if obj else b"F")
    elif isinstance(obj, int):
        out.append(b"i%x;" % int(obj))  # hex: no digit limit (3.11+)
    elif isinstance(obj, float):
        out.append(b"f" + float.__repr__(obj).encode("ascii") + b";")
    elif isinstance(obj, str):
        data = str.encode(obj, "utf-8", "surrogatepass")
        out.append(b"s%d:" % len(data) + data)
    elif isinstance(obj, (bytes, bytearray)):
        out.append(b"b%d:" % len(obj) + bytes(obj))
    elif isinstance(obj, (list, tuple, dict, set, frozenset)):
        if id(obj) in active:
            out.append(b"@")  # a cycle
            return
        active.add(id(obj))
        if isinstance(obj, (list, tuple)):
            out.append(b"%s%d[" % (b"l" if isinstance(obj, list) else b"t", len(obj)))
            for item in obj:
                _encode(item, out, active)
        elif isinstance(obj, dict):
            pairs = sorted((canonical(k, active), canonical(v, active)) for k, v in obj.items())
            out.append(b"d%d[" % len(pairs))
            for k, v in pairs:
                out.append(k)
                out.append(v)
        else:
            items = sorted(canonical(x, active) for x in obj)
            out.append(b"S%d[" % len(items))
            out.extend(items)
        out.append(b"]")
        active.discard(id(obj))
    else:
        data = repr(obj).encode("utf-8", "surrogatepass")
        out.append(b"r%d:" % len(data) + data)


def canonical(obj, active=None):
    """The canonical encoding of obj (bytes): equal values, equal bytes."""
    out = []
    _encode(obj, out, set() if active is None else active)
    return b"".join(out)


def checksum(results):
    """sha256 hex of the canonical encoding of the results in task order."""
    import hashlib

    return hashlib.sha256(canonical(list(results))).hexdigest()


# --- main ---------------------------------------------------------------------------

def _size(text):
    import argparse

    if text == "default":
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be an integer or 'default', not %r" % text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0, not %d" % value)
    return value


def _count(minimum):
    import argparse

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError("must be an integer, not %r" % text)
        if value < minimum:
            raise argparse.ArgumentTypeError("must be >= %d, not %d" % (minimum, value))
        return value
    return parse


def parse_args(argv):
    import argparse

    p = argparse.ArgumentParser(prog="harness.py",
                                description="gilscope's Python harness (docs/protocol.md).")
    p.add_argument("--mode", choices=("run", "info"), default="run")
    p.add_argument("--workload", action="append", default=[], metavar="SPEC",
                   help="a built-in workload name or the path of a .py file")
    p.add_argument("--strategy", choices=STRATEGY_NAMES, default="serial")
    p.add_argument("--workers", type=_count(1), default=1)
    p.add_argument("--tasks", type=_count(0), default=8)
    p.add_argument("--size", type=_size, default=None, help="an integer or 'default'")
    p.add_argument("--start-method", choices=START_METHODS, default=None)
    p.add_argument("--probe", action="store_true",
                   help="run the GIL latency probe in the window (docs/measurement.md)")
    args = p.parse_args(argv)
    if args.mode == "run" and len(args.workload) != 1:
        p.error("--mode run needs exactly one --workload")
    return args


def _flush_stdio():
    for f in (sys.stdout, sys.stderr):
        try:
            f.flush()
        except Exception:
            pass


def _fail(chan, failure):
    """Sends the error, releases what still runs, exits 1 without waiting
    for threads that may never finish."""
    try:
        chan.send(failure.as_message())
    except Exception:
        sys.stderr.write("harness: cannot send the error: %s\n" % failure.message)
    for step in failure.cleanup:
        try:
            step()
        except Exception:
            pass
    _flush_stdio()
    os._exit(1)


def run_mode(chan, args):
    strategy = args.strategy
    method = None
    if strategy == "processes":
        method = args.start_method or start_methods()[1]
    reason = unavailable_reason(strategy, method)
    if reason is not None:
        chan.send({"type": "unavailable", "strategy": strategy, "reason": reason})
        return 0
    try:
        wl = load_workload(args.workload[0])
        size = args.size if args.size is not None else (
            wl.default_size if wl.default_size is not None else 1)
        tasks = make_tasks(wl, args.tasks, size)
        if strategy == "processes":
            import pickle
            try:
                pickle.dumps(wl.run)
            except Exception as exc:
                raise LoadError("%s: run cannot be sent to a process pool: %s"
                                % (os.path.basename(wl.path), exception_line(exc)))
    except LoadError as exc:
        _fail(chan, HarnessFailure("load", exc.message, exc.traceback, None))
    workers = 1 if strategy == "serial" else args.workers
    preload(strategy, method)
    execute = STRATEGIES[strategy]
    opts = Options(method, wl.ref, chan.fd)
    pid = os.getpid()
    chan.send({"type": "start", "workload": wl.name, "kind": wl.kind, "strategy": strategy,
               "workers": workers, "tasks": len(tasks), "size": size, "start_method": method,
               "probe": bool(args.probe)})
    snap0 = cpu_snapshot_start(pid)
    probe = Probe() if args.probe else None
    if probe is not None:
        probe.start()  # running before the window opens
    t0 = time.monotonic_ns()
    try:
        outcome = execute(wl.run, tasks, workers, opts)
    except HarnessFailure as failure:
        _fail(chan, failure)
    t1 = time.monotonic_ns()
    probed = probe.stop() if probe is not None else None
    snap1 = cpu_snapshot_end(pid)
    user, system = cpu_delta(snap0, snap1)
    seen, records = [], []
    for index, start, end, wpid, tid in outcome.records:
        records.append({"index": index, "start_ns": start, "end_ns": end, "pid": wpid, "tid": tid})
        if {"pid": wpid, "tid": tid} not in seen:
            seen.append({"pid": wpid, "tid": tid})
    chan.send({
        "type": "result", "window_start_ns": t0, "window_end_ns": t1, "strategy_wall_ns": t1 - t0,
        "pool_startup_ns": None if outcome.ready_ns is None else max(0, outcome.ready_ns - t0),
        "checksum": checksum(outcome.results),
        "cpu_user_s": user, "cpu_sys_s": system,
        "max_rss_bytes": max_rss_bytes(pid, outcome.workers_hwm),
        "workers_seen": seen, "tasks": records, "probe": probed,
    })
    return 0


def main(proto_fd, argv=None):
    """Runs the harness on the protocol descriptor proto_fd; returns the exit
    status (0 after result/info/unavailable; errors exit 1 directly)."""
    try:
        args = parse_args(argv)
    except SystemExit as exc:  # argparse: usage on stderr, no message sent
        return exc.code
    chan = Channel(proto_fd)
    try:
        chan.send(hello_message())
        if args.mode == "info":
            chan.send(info_message(args.workload))
            return 0
        return run_mode(chan, args)
    except BrokenPipeError:
        sys.stderr.write("harness: the result pipe is closed\n")
        _flush_stdio()
        os._exit(1)
    except BaseException as exc:
        _fail(chan, HarnessFailure("internal", "harness: %s" % exception_line(exc),
                                   traceback.format_exc(), None))
