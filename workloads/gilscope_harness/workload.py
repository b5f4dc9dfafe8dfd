"""Workloads (the Workload API, DESIGN.md): loading a built-in or a file,
checking what it declares, building its tasks, the info listing."""

import os
import sys
import traceback

from .protocol import HarnessFailure, exception_line
from .worker import import_workload

KINDS = ("cpu", "io", "mixed")
# What a workload may ask gilscope to run beside it (NEEDS): "http", the
# loopback HTTP service, whose address the runs get as GILSCOPE_HTTP_URL.
SERVICES = ("http",)
# Names in the workloads directory that are the harness, not workloads: the
# entry script, and the package (a directory, so never a NAME.py anyway; the
# name stays reserved so that no gilscope_harness.py can shadow it).
RESERVED = ("harness", "gilscope_harness")
USER_MODULE_PREFIX = "gilscope_user_"
# The built-ins live in this subdirectory of the workloads directory, loaded
# by path under BUILTIN_MODULE_PREFIX + name: the workloads directory is on
# sys.path (for this package), and a built-in called like a standard module
# (http) must not shadow it.
BUILTIN_DIR = "builtin"
BUILTIN_MODULE_PREFIX = "gilscope_builtin_"


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
        # The coroutine function for a native asyncio strategy, else None.
        self.run_async = run_async if self.has_async else None
        needs = getattr(module, "NEEDS", ())
        self.needs = list(needs) if isinstance(needs, (tuple, list)) else needs
        # The strategies that apply to it (None: every one); the others are
        # "not applicable", sent as unavailable.
        only = getattr(module, "STRATEGIES", None)
        self.strategies = list(only) if isinstance(only, (tuple, list)) else only
        # An experiment's figures (MEASURES): (key, label, unit) per column;
        # each task returns a dict of them, explain(values) reads them in one
        # sentence. None for a workload that only computes.
        measures = getattr(module, "MEASURES", None)
        self.measures = [tuple(m) if isinstance(m, (tuple, list)) else m for m in measures] \
            if isinstance(measures, (tuple, list)) else measures
        self.explain = getattr(module, "explain", None)

    @property
    def filename(self):
        return os.path.basename(self.path)

    @property
    def ref(self):
        """What a pool worker needs to import the same module: (name, path)."""
        return (self.module_name, self.path)

    def describe(self):
        return {"spec": self.spec, "name": self.name, "kind": self.kind, "builtin": self.builtin,
                "description": self.description, "default_size": self.default_size,
                "has_async": self.has_async, "needs": self.needs, "strategies": self.strategies,
                "measures": measures_info(self.measures), "sha256": file_sha256(self.path), "error": None}


def file_sha256(path):
    """sha256 hex of a workload's source file (what `gilscope compare` checks
    to know that two reports ran the same code), or None when unreadable."""
    import hashlib

    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except (IOError, OSError):
        return None


def workloads_dir():
    """The directory of the built-in workloads: the package's parent."""
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def spec_is_path(spec):
    return "/" in spec or spec.endswith(".py")


def builtin_dir():
    """The directory of the built-in workloads."""
    return os.path.join(workloads_dir(), BUILTIN_DIR)


def builtin_names(directory=None):
    """The built-in workloads: NAME.py in their directory, sorted."""
    directory = directory or builtin_dir()
    names = []
    for f in os.listdir(directory):
        if f.endswith(".py") and f[0] not in "_." and f[:-3] not in RESERVED:
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
        name = spec
        module_name = BUILTIN_MODULE_PREFIX + spec
        path = os.path.join(builtin_dir(), spec + ".py")
        filename = spec + ".py"
        builtin = True
    try:
        module = import_workload(module_name, path)
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
    if not isinstance(wl.needs, list) or any(n not in SERVICES for n in wl.needs):
        raise LoadError("%s: NEEDS must be a tuple of services among %s, not %r"
                        % (filename, ", ".join(SERVICES), getattr(module, "NEEDS", None)))
    if wl.strategies is not None:
        from . import strategies

        known = strategies.names()
        if not isinstance(wl.strategies, list) or not wl.strategies or any(
                n not in known for n in wl.strategies):
            raise LoadError("%s: STRATEGIES must be a tuple of strategies among %s, not %r"
                            % (filename, ", ".join(known), getattr(module, "STRATEGIES", None)))
    problem = _measures_problem(wl)
    if problem is not None:
        raise LoadError("%s: %s" % (filename, problem))
    return wl


# At most this many characters of explain()'s sentence are kept.
EXPLANATION_MAX = 4096
VALUE_TEXT_MAX = 64  # bytes of a name among the measures (GS_PROTO_VALUE_TEXT_MAX in proto.h)


def _measures_problem(wl):
    """What is wrong with MEASURES and explain, or None."""
    m = wl.measures
    if m is None:
        if wl.explain is not None:
            return "explain() needs MEASURES, the figures it reads"
        return None
    if not isinstance(m, list) or not m or any(
            not isinstance(c, tuple) or len(c) != 3 or not all(isinstance(x, str) for x in c) for c in m):
        return ("MEASURES must be a tuple of (key, label, unit) string triples, not %r"
                % (getattr(wl.module, "MEASURES", None),))
    keys = [c[0] for c in m]
    if len(set(keys)) != len(keys) or not all(keys):
        return "MEASURES must name each key once, not %r" % (keys,)
    if wl.explain is not None and not callable(wl.explain):
        return "explain must be a function explain(values), not %r" % (wl.explain,)
    return None


def measures_info(measures):
    """MEASURES as the info message lists it, or None."""
    if measures is None:
        return None
    return [{"key": k, "label": label, "unit": unit} for k, label, unit in measures]


def measured_values(wl, results):
    """(values, explanation) of an experiment's run: per task (in task order)
    its MEASURES as a list in their order, each a finite number, a str of at
    most VALUE_TEXT_MAX bytes (a name: the row's class, say) or None; the
    sentence explain() wrote from them (None without explain, cut at
    EXPLANATION_MAX characters). Raises HarnessFailure naming the task and
    the key when a result is not such a dict, or when explain fails."""
    import math

    keys = [k for k, _, _ in wl.measures]
    rows, dicts = [], []
    for i, r in enumerate(results):
        if not isinstance(r, dict) or set(r) != set(keys):
            raise HarnessFailure("run", "%s: task %d returned %s, not a dict of its MEASURES (%s)"
                                 % (wl.filename, i, _short(r), ", ".join(keys)))
        row = []
        for k in keys:
            v = r[k]
            if isinstance(v, str):
                if len(v.encode("utf-8", "surrogatepass")) > VALUE_TEXT_MAX:
                    raise HarnessFailure("run", "%s: task %d returned %s=%s: a name among the measures "
                                         "is at most %d bytes" % (wl.filename, i, k, _short(v), VALUE_TEXT_MAX))
            elif v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))
                                    or not math.isfinite(v)):
                raise HarnessFailure("run", "%s: task %d returned %s=%s: each measure must be a "
                                     "finite number, a short str (a name) or None" % (wl.filename, i, k, _short(v)))
            row.append(v)
        rows.append(row)
        dicts.append(dict(r))
    explanation = None
    if wl.explain is not None:
        try:
            explanation = wl.explain(dicts)
        except Exception as exc:
            raise HarnessFailure("run", "%s: explain() failed: %s" % (wl.filename, exception_line(exc)),
                                 traceback.format_exc(), None)
        if explanation is not None and not isinstance(explanation, str):
            raise HarnessFailure("run", "%s: explain() returned %s, not a str or None"
                                 % (wl.filename, _short(explanation)), None, None)
        if explanation is not None and len(explanation) > EXPLANATION_MAX:
            explanation = explanation[:EXPLANATION_MAX - 1] + "\u2026"
    return rows, explanation


def _short(x):
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def not_applicable(wl, name):
    """Why strategy name does not apply to workload wl (its STRATEGIES), or
    None when it does."""
    if wl.strategies is None or name in wl.strategies:
        return None
    return "not applicable to %s: it runs under %s only (its STRATEGIES)" % (
        wl.filename, ", ".join(wl.strategies))


def make_tasks(wl, n, size):
    """The task arguments, from the workload's make_tasks or [size] * n."""
    maker = getattr(wl.module, "make_tasks", None)
    if maker is None:
        return [size] * n
    filename = wl.filename
    try:
        tasks = list(maker(n, size))
    except BaseException as exc:
        raise LoadError("%s: make_tasks(%d, %d) failed: %s" % (filename, n, size, exception_line(exc)),
                        traceback.format_exc())
    if len(tasks) != n:
        raise LoadError("%s: make_tasks(%d, %d) returned %d tasks" % (filename, n, size, len(tasks)))
    return tasks


def info(specs):
    """The "workloads" of the info message: each spec (every built-in when
    there is none) described, or its load error."""
    out = []
    for spec in specs or builtin_names():
        try:
            out.append(load_workload(spec).describe())
        except LoadError as exc:
            out.append({"spec": spec, "name": None, "kind": None, "builtin": not spec_is_path(spec),
                        "description": None, "default_size": None, "has_async": None,
                        "needs": None, "strategies": None, "measures": None, "sha256": None,
                        "error": exc.message})
    return out
