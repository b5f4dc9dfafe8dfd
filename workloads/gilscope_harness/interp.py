"""Facts about the interpreter the harness runs on: the hello message, the
CPUs this process may use, the multiprocessing start methods."""

import os
import sys

from .protocol import PROTOCOL

START_METHODS = ("fork", "spawn", "forkserver")


def cores():
    """CPUs this process may run on (like uv_available_parallelism)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def version_info():
    """This interpreter's (major, minor, micro): what a strategy's
    unavailable_reason receives."""
    return tuple(sys.version_info[:3])


def python_version(version=None):
    """"3.11.7": of version (a tuple like version_info()), else this interpreter."""
    v = version or sys.version_info
    return "%d.%d.%d" % (v[0], v[1], v[2])


def gil_enabled():
    """Whether this interpreter runs with its GIL now: sys._is_gil_enabled()
    where it exists (3.13+; on a free-threaded build it honours PYTHON_GIL and
    -X gil, and turns true when an extension module without free-threading
    support is imported), else True."""
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return bool(is_gil_enabled()) if is_gil_enabled else True


def hello_message():
    import platform
    import sysconfig

    # sys.version is "3.11.7 (main, Jan  1 2024, 00:00:00) [GCC 12.2.0]".
    rest = sys.version.partition(" ")[2].replace("\n", "")
    close = rest.find(")")
    build = rest[1:close] + " " + rest[close + 1:].strip() if rest.startswith("(") else rest.strip()
    return {
        "type": "hello", "protocol": PROTOCOL, "pid": os.getpid(),
        "python": {
            "implementation": platform.python_implementation(),
            "version": platform.python_version(),
            "executable": os.path.realpath(sys.executable) if sys.executable else "",
            "build": build,
            "gil_enabled": gil_enabled(),
            "free_threaded": sysconfig.get_config_var("Py_GIL_DISABLED") == 1,
            "python_gil_env": os.environ.get("PYTHON_GIL"),
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
