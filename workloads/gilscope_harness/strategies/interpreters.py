"""interpreters: subinterpreters, each with its own GIL (PEP 684), one per
worker thread of the harness process. On Python 3.14+ this is
concurrent.futures.InterpreterPoolExecutor(workers); on 3.12 and 3.13, which
have no such pool, a pool of the same shape over the private module
(_xxsubinterpreters on 3.12, _interpreters on 3.13), results travelling back
pickled through a memory file. Python 3.8 to 3.11 cannot run it.

Every worker interpreter first runs _BOOT (the pool initializer): it takes the
harness's sys.path, imports worker.py and loads the workload under the
harness's module name, so that functions, arguments and results pickle by
reference as they do for a process pool, and the task records come from
worker._call inside the interpreter that ran the task. Whether a workload
loads in a subinterpreter at all (an extension module without multi-phase
init raises ImportError there; some crash the interpreter) is tried in a child
process before the run, and said as the reason the strategy is unavailable.

Pool start-up: the warm-up tasks of the other pools wait on a
threading.Barrier, which cannot cross interpreters; here they wait on a pair
of pipes (descriptors are the process's, shared by every interpreter), and the
harness's main thread releases them once every worker has arrived (_Gate).
"""

import os
import sys
import time

from ..interp import python_version
from ..protocol import HarnessFailure, exception_line, remote_traceback
from ..worker import _call, _warmup
from ._base import Outcome
from ._pool import BARRIER_TIMEOUT_S, collect, shutdown_nowait

NAME = "interpreters"
# --profile: each worker interpreter profiled on its own, from its boot to its
# close (an atexit hook of the interpreter writes it), merged; cProfile's
# _lsprof does not load in a subinterpreter before 3.13.
PROFILE = "pool_interpreters" if sys.version_info >= (3, 13) else None
PROFILE_WHY = "cProfile does not load in a subinterpreter before Python 3.13"
TRANSFERS = True  # arguments and results cross as pickles

# Where the strategy needs what.
_FIRST = (3, 12)      # per-interpreter GIL (PEP 684)
_EXECUTOR = (3, 14)   # concurrent.futures.InterpreterPoolExecutor
# How long the trial that loads the workload in a subinterpreter may take.
TRIAL_TIMEOUT_S = 120.0
# How often the main thread looks for a failed warm-up while it waits for the
# workers to reach the gate.
_GATE_POLL_S = 0.05

# Run by exec(_BOOT, {"SETUP": pickled dict}) in each worker interpreter
# before its first task: the pool initializer. SETUP is bytes, which crosses
# every interpreter boundary of 3.12 to 3.14 as it is.
_BOOT = '''
import os, pickle, select, sys, threading

_cfg = pickle.loads(SETUP)
sys.path[:] = _cfg["path"]
if _cfg.get("profile_dir"):
    from gilscope_harness.profiler import start_interpreter
    start_interpreter(_cfg["profile_dir"])
from gilscope_harness import worker as _worker

if _cfg["ref"] is not None:
    _worker.import_workload(*_cfg["ref"])
if _cfg.get("no_gc"):
    import gc
    gc.disable()


class PipeBarrier(object):
    """worker._warmup's barrier, across interpreters: a party writes one byte
    to the arrival pipe and waits (timeout seconds) for one byte on the
    release pipe, b"r" to go on, anything else (or none) if broken."""

    def __init__(self, arrive, release, timeout):
        self.arrive, self.release, self.timeout = arrive, release, timeout

    def wait(self):
        os.write(self.arrive, b"a")
        ready = select.select([self.release], [], [], self.timeout)[0]
        if not ready or os.read(self.release, 1) != b"r":
            raise threading.BrokenBarrierError


if _cfg["gate"] is not None:
    _worker._WORKER["barrier"] = PipeBarrier(*_cfg["gate"])
'''

# Defines, in a 3.12-3.13 worker interpreter's __main__, the function every
# call goes through: the pickled (fn, args) in, the pickled (True, value) or
# (False, "ExcType: message", traceback) out, written to descriptor `out`.
_REPLY = '''
def _gs_reply(out, payload):
    import os, pickle
    where = " (the call does not unpickle in the subinterpreter)"
    try:
        fn, args = pickle.loads(payload)
        where = ""
        value = fn(*args)
        where = " (the result does not pickle)"
        data = pickle.dumps((True, value))
    except BaseException as exc:
        import traceback
        text = " ".join(str(exc).split())
        line = type(exc).__name__ + (": " + text if text else "")
        data = pickle.dumps((False, line + where, traceback.format_exc()))
    os.ftruncate(out, 0)
    os.pwrite(out, data, 0)
'''


class NotShareableError(Exception):
    """What a 3.12-3.13 call raises when its function, arguments or result
    cannot cross between interpreters (3.14 raises its own
    concurrent.interpreters.NotShareableError); the message names which."""


class _InterpreterTraceback(Exception):
    """The traceback formatted in the worker interpreter, as the __cause__ of
    what a call raises (protocol.remote_traceback reads its tb)."""

    def __init__(self, tb):
        Exception.__init__(self, tb)
        self.tb = tb


def _with_traceback(exc, tb):
    """exc, with the worker interpreter's traceback tb as its cause."""
    if tb:
        exc.__cause__ = _InterpreterTraceback(tb)
    return exc


class _Failed(Exception):
    """A call into a worker interpreter failed: line is 'ExcType: message',
    tb the traceback there (or None)."""

    def __init__(self, line, tb=None):
        Exception.__init__(self, line)
        self.line = line
        self.tb = tb


def _memory_file():
    """A descriptor of an anonymous file: where a 3.12-3.13 interpreter
    writes what a call returns."""
    create = getattr(os, "memfd_create", None)
    if create is not None:
        return create("gilscope-subinterpreter", getattr(os, "MFD_CLOEXEC", 0))
    import tempfile

    f = tempfile.TemporaryFile()
    fd = os.dup(f.fileno())
    f.close()
    return fd


def _read_all(fd):
    size = os.fstat(fd).st_size
    chunks, offset = [], 0
    while offset < size:
        chunk = os.pread(fd, size - offset, offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


class _PrivateInterpreter(object):
    """One interpreter with its own GIL through 3.12's _xxsubinterpreters or
    3.13's _interpreters. Neither calls a function and returns its value, so
    call(fn, *args) runs _gs_reply in it, which unpickles (fn, args), calls,
    and writes the pickled outcome to this interpreter's memory file."""

    def __init__(self):
        if sys.version_info < (3, 13):
            import _xxsubinterpreters as mod

            self.id = mod.create(isolated=True)  # isolated: its own GIL and allocator
        else:
            import _interpreters as mod

            self.id = mod.create("isolated")
        self._mod = mod
        self._out = None
        try:
            self._out = _memory_file()
            self._run(_REPLY, {})
        except BaseException:
            self.close()
            raise

    def _run(self, source, shared):
        mod = self._mod
        if hasattr(mod, "RunFailedError"):  # 3.12: raises "<class 'ExcType'>: message"
            try:
                mod.run_string(self.id, source, shared)
            except mod.RunFailedError as exc:
                text = str(exc)
                if text.startswith("<class '") and "'>: " in text:
                    name, _, rest = text[len("<class '"):].partition("'>: ")
                    text = "%s: %s" % (name.rpartition(".")[2], rest)
                raise _Failed(text)
            return
        info = mod.exec(self.id, source, shared)  # 3.13: None, or what was raised
        if info is not None:
            raise _Failed("%s: %s" % (getattr(info.type, "__name__", "Exception"), info.msg),
                          getattr(info, "errdisplay", None) or getattr(info, "formatted", None))

    def call(self, fn, *args):
        """fn(*args) in the interpreter; raises _Failed."""
        import pickle

        try:
            payload = pickle.dumps((fn, args))
        except Exception as exc:
            raise _Failed("%s (the call does not pickle)" % exception_line(exc))
        self._run("_gs_reply(OUT, PAYLOAD)\n", {"OUT": self._out, "PAYLOAD": payload})
        reply = pickle.loads(_read_all(self._out))
        if reply[0]:
            return reply[1]
        raise _Failed(reply[1], reply[2])

    def close(self):
        if self.id is not None:
            try:
                self._mod.destroy(self.id)
            finally:
                self.id = None
                if self._out is not None:
                    os.close(self._out)
                    self._out = None


class _ExecutorInterpreter(object):
    """One interpreter through 3.14's concurrent.interpreters, with the
    interface of _PrivateInterpreter (for the trial)."""

    def __init__(self):
        from concurrent import interpreters

        self._api = interpreters
        self.interp = interpreters.create()

    def call(self, fn, *args):
        try:
            return self.interp.call(fn, *args)
        except self._api.ExecutionFailed as exc:
            info = exc.excinfo
            raise _Failed("%s: %s" % (getattr(info.type, "__name__", "Exception"), info.msg),
                          getattr(info, "errdisplay", None))
        except self._api.NotShareableError as exc:
            raise _Failed(exception_line(exc))

    def close(self):
        if self.interp is not None:
            self.interp.close()
            self.interp = None


def _interpreter():
    return _ExecutorInterpreter() if sys.version_info >= _EXECUTOR else _PrivateInterpreter()


_BROKEN = []  # the class below, made once concurrent.futures is imported


def _broken_pool():
    """BrokenInterpreterPool, the BrokenExecutor of a 3.12-3.13 pool whose
    worker interpreter could not start (as 3.14's pool has its own)."""
    if not _BROKEN:
        from concurrent.futures import BrokenExecutor

        class BrokenInterpreterPool(BrokenExecutor):
            """A worker interpreter could not start: the pool is not usable."""

        _BROKEN.append(BrokenInterpreterPool)
    return _BROKEN[0]


class _PrivatePool(object):
    """InterpreterPoolExecutor's shape on 3.12-3.13: `workers` threads, each
    running its own interpreter, which first runs the initializer
    exec(_BOOT, {"SETUP": setup}) and then the submitted calls, one at a time."""

    def __init__(self, workers, setup):
        import queue
        import threading

        self._queue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._broken = None
        self._closed = False
        self._threads = [threading.Thread(target=self._work, args=(setup,),
                                          name="InterpreterPool-%d" % k) for k in range(workers)]
        for t in self._threads:
            t.start()

    def submit(self, fn, *args):
        from concurrent.futures import Future

        with self._lock:
            if self._broken is not None:
                raise _broken_pool()(self._broken)
            if self._closed:
                raise RuntimeError("cannot schedule new futures after shutdown")
            f = Future()
            self._queue.put((f, fn, args))
        return f

    def _break(self, message):
        """Fails what is queued and what comes, as ThreadPoolExecutor does
        when an initializer fails."""
        import queue

        with self._lock:
            self._broken = self._broken or message
            stops = 0
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stops += 1
                elif item[0].set_running_or_notify_cancel():
                    item[0].set_exception(_broken_pool()(self._broken))
            for _ in range(stops):  # the other workers' stop signals stay
                self._queue.put(None)

    def _work(self, setup):
        try:
            interp = _PrivateInterpreter()
        except BaseException as exc:
            self._break("a worker interpreter could not be created: %s" % exception_line(exc))
            return
        try:
            try:
                interp.call(exec, _BOOT, {"SETUP": setup})
            except _Failed as failed:
                self._break("a worker interpreter could not load the workload: %s" % failed.line)
                return
            while True:
                item = self._queue.get()
                if item is None:
                    return
                f, fn, args = item
                if not f.set_running_or_notify_cancel():
                    continue
                try:
                    f.set_result(interp.call(fn, *args))
                except _Failed as failed:
                    f.set_exception(_with_traceback(NotShareableError(failed.line), failed.tb))
                except BaseException as exc:
                    f.set_exception(exc)
        finally:
            interp.close()

    def shutdown(self, wait=True, cancel_futures=False):
        import queue

        with self._lock:
            self._closed = True
            if cancel_futures:
                while True:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is not None:
                        item[0].cancel()
            for _ in self._threads:
                self._queue.put(None)
        if wait:
            for t in self._threads:
                t.join()


class _Gate(object):
    """The warm-up tasks' barrier: each worker writes a byte to `arrive` and
    waits for one on `release` (the PipeBarrier of _BOOT); open() waits in
    the harness's main thread until all have arrived, then releases them."""

    def __init__(self, parties):
        self.parties = parties
        self.arrive_r, self.arrive_w = os.pipe()
        self.release_r, self.release_w = os.pipe()
        self.released = False

    def worker_end(self):
        """What _BOOT's PipeBarrier takes: (arrive, release, timeout)."""
        return (self.arrive_w, self.release_r, BARRIER_TIMEOUT_S)

    def open(self, warm):
        """Waits for every party (as threading.Barrier does, the timeout runs
        from the first arrival; a warm-up that ends before the release has
        failed, which stops the wait), then lets them go; broken if not all
        arrived."""
        import select

        arrived, deadline = 0, None
        while arrived < self.parties:
            if any(f.done() for f in warm):
                break
            left = _GATE_POLL_S if deadline is None else min(_GATE_POLL_S, deadline - time.monotonic())
            if left <= 0:
                break
            if select.select([self.arrive_r], [], [], left)[0]:
                arrived += len(os.read(self.arrive_r, self.parties - arrived))
                if deadline is None:
                    deadline = time.monotonic() + BARRIER_TIMEOUT_S
        self._release(b"r" if arrived >= self.parties else b"b")

    def abort(self):
        """Lets every waiting party go, broken (threading.Barrier.abort)."""
        self._release(b"b")

    def _release(self, byte):
        if not self.released:
            self.released = True
            os.write(self.release_w, byte * self.parties)

    def close(self):
        for fd in (self.arrive_r, self.arrive_w, self.release_r, self.release_w):
            try:
                os.close(fd)
            except OSError:
                pass


def _setup(ref, gate, path=None, no_gc=False, profile_dir=None):
    """The pickled SETUP of _BOOT."""
    import pickle

    return pickle.dumps({"path": list(sys.path if path is None else path), "ref": ref,
                         "gate": None if gate is None else gate.worker_end(), "no_gc": no_gc,
                         "profile_dir": profile_dir})


def _try_interpreter(ref, path=None):
    """Tries, in this process, what a worker does: an interpreter with its
    own GIL runs _BOOT (which loads the workload of ref, if any) and a
    function whose result comes back. None if it worked, else why not."""
    try:
        interp = _interpreter()
    except ImportError as exc:
        return "this Python has no subinterpreter module (%s)" % exception_line(exc)
    except Exception as exc:
        return "a subinterpreter with its own GIL cannot be created here (%s)" % exception_line(exc)
    try:
        interp.call(exec, _BOOT, {"SETUP": _setup(ref, None, path)})
        back = interp.call(_warmup)
        if not (isinstance(back, tuple) and len(back) == 2):
            return "a function run in a subinterpreter returned %r, not its result" % (back,)
    except _Failed as failed:
        return failed.line
    finally:
        interp.close()
    return None


_INTERPRETER_PROBLEM = []  # what _try_interpreter(None) said, once per process


def _trial_main():
    """The child process of _workload_trial: reads the pickled (path, ref)
    from stdin, tries it, writes "ok" or the problem to stdout, and returns
    0, so that the interpreter then exits normally (a crash at exit shows)."""
    import pickle

    path, ref = pickle.loads(sys.stdin.buffer.read())
    problem = _try_interpreter(ref, path)
    sys.stdout.write("ok" if problem is None else problem)
    sys.stdout.flush()
    return 0


def _workload_trial(workload):
    """Loads the workload in a subinterpreter with its own GIL in a child
    process of the same interpreter: None if that worked and the child exited
    cleanly, else why not (the load error, or how the child died)."""
    import pickle
    import signal
    import subprocess

    code = ("import sys\nsys.path[:] = %r\n"
            "from gilscope_harness.strategies.interpreters import _trial_main\n"
            "sys.exit(_trial_main())\n" % (list(sys.path),))
    what = "%s cannot be loaded in a subinterpreter with its own GIL" % workload.filename
    try:
        p = subprocess.run([sys.executable, "-c", code], input=pickle.dumps((list(sys.path), workload.ref)),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TRIAL_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return "%s: trying took more than %d s" % (what, TRIAL_TIMEOUT_S)
    except OSError as exc:
        return "%s: the trial could not start (%s)" % (what, exception_line(exc))
    out = p.stdout.decode("utf-8", "replace").strip()
    if p.returncode == 0 and out == "ok":
        return None
    if p.returncode == 0 and out:
        return "%s: %s" % (what, out)
    err = [line.strip() for line in p.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    last = "; stderr: %s" % err[-1] if err else ""
    if p.returncode < 0:
        try:
            how = signal.Signals(-p.returncode).name
        except ValueError:
            how = "signal %d" % -p.returncode
        return "%s: it crashed Python %s (%s%s)" % (what, python_version(), how, last)
    return "%s: the trial exited with status %d%s" % (what, p.returncode, last)


def unavailable_reason(workload, python, opts):
    """3.12+ only; then a real trial: an interpreter with its own GIL must
    run a function and bring its result back (in this process, once), and
    the workload must load in one (in a child process, which a crash of the
    interpreter cannot take the harness down with)."""
    if tuple(python[:2]) < _FIRST:
        return "needs Python 3.12 or newer (per-interpreter GIL, PEP 684); this is %s" % (
            python_version(python))
    if sys.version_info >= _EXECUTOR:
        try:
            from concurrent.futures import InterpreterPoolExecutor  # noqa: F401
        except ImportError as exc:
            return "concurrent.futures.InterpreterPoolExecutor is missing (%s)" % exception_line(exc)
    if not _INTERPRETER_PROBLEM:
        _INTERPRETER_PROBLEM.append(_try_interpreter(None))
    if _INTERPRETER_PROBLEM[0] is not None:
        return _INTERPRETER_PROBLEM[0]
    if workload is not None:
        return _workload_trial(workload)
    return None


def preload(opts):
    import pickle  # noqa: F401
    import queue  # noqa: F401
    import select  # noqa: F401
    import concurrent.futures  # noqa: F401

    if sys.version_info >= _EXECUTOR:
        import concurrent.futures.interpreter  # noqa: F401
    elif sys.version_info >= (3, 13):
        import _interpreters  # noqa: F401
    else:
        import _xxsubinterpreters  # noqa: F401


def _start(workload, workers, opts):
    """The pool (its workers start when the warm-ups are submitted) and the
    gate its warm-up tasks wait at; opts.no_gc: each worker's collector off;
    opts.profile_dir: each worker profiled into it."""
    gate = _Gate(workers)
    setup = _setup(workload.ref, gate, no_gc=opts.no_gc, profile_dir=opts.profile_dir)
    if sys.version_info >= _EXECUTOR:
        from concurrent.futures import InterpreterPoolExecutor

        pool = InterpreterPoolExecutor(max_workers=workers, initializer=exec,
                                       initargs=(_BOOT, {"SETUP": setup}))
    else:
        pool = _PrivatePool(workers, setup)
    return pool, gate


def _broken(exc):
    return HarnessFailure("run", exception_line(exc), remote_traceback(exc), None)


def prepare(workload, args, workers, opts):
    """--warm-calls: the interpreters started and warm before the window opens."""
    from concurrent.futures import BrokenExecutor

    pool, gate = _start(workload, workers, opts)
    warm = []
    try:
        try:
            warm = [pool.submit(_warmup, None, workload.run, args, opts.warm_calls)
                    for _ in range(workers)]
        except BrokenExecutor as exc:
            raise _broken(exc)
        gate.open(warm)
        collect(warm, [])
    except HarnessFailure as failure:
        gate.abort()
        failure.cleanup.append(lambda: shutdown_nowait(pool, warm))
        raise
    return pool, gate


def execute(workload, args, workers, opts):
    """Starts the pool and its warm-up tasks (or takes the pool prepare
    warmed: no start-up in the window then), submits the tasks, opens the
    gate once every interpreter is up."""
    from concurrent.futures import BrokenExecutor

    run = workload.run
    if opts.prepared is not None:
        (pool, gate), warm = opts.prepared, []
    else:
        (pool, gate), warm = _start(workload, workers, opts), None
    futs = []
    try:
        try:
            if warm is None:
                warm = [pool.submit(_warmup) for _ in range(workers)]
            futs = warm + [pool.submit(_call, run, i, a) for i, a in enumerate(args)]
        except BrokenExecutor as exc:  # a worker interpreter already failed to start
            raise _broken(exc)
        if warm:
            gate.open(warm)
        results, records, ready = collect(warm, futs[len(warm):])
    except HarnessFailure as failure:
        gate.abort()
        failure.cleanup.append(lambda: shutdown_nowait(pool, futs or warm or []))
        raise
    pool.shutdown(wait=True)
    gate.close()
    return Outcome(results, records, ready if warm else None)
