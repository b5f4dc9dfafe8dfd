"""the convoy effect: an I/O thread's requests per second, alone and beside CPU-bound threads

An experiment, not a race between strategies: task k runs k pure-Python CPU-bound threads
and, in the task's own thread, makes HTTP round trips (GET /echo on one keep-alive connection
to gilscope's loopback service) for SIZE milliseconds, counting them and timing each. Alone,
the I/O thread gets the GIL back as soon as its reply arrives. Beside a CPU-bound thread it
released the GIL to wait for the reply, and the CPU thread took it: getting it back means
asking, then waiting until the CPU thread is made to drop it, which happens only once the
switch interval (sys.getswitchinterval(), 5 ms by default) has passed. So each round trip
costs about one switch interval, whatever the network. The table gives the rate and the
latency per request for each number of CPU threads; the sentence under it reads them.
"""

import socket
import statistics
import sys
import threading
import time
import urllib.parse

KIND = "io"
DEFAULT_SIZE = 250           # milliseconds of round trips per task
NEEDS = ("http",)            # gilscope serves HTTP on 127.0.0.1 while this workload runs
STRATEGIES = ("serial",)     # one process, its threads made here: the experiment is the task

# What each task measures (the Workload API's MEASURES): key, label, unit. Each
# task returns a dict of these; gilscope shows them as a table, from the
# median run, with explain()'s sentence under it.
MEASURES = (
    ("cpu_threads", "CPU threads", ""),
    ("requests_per_s", "requests", "/s"),
    ("latency_p50_ms", "latency p50", "ms"),
    ("latency_p99_ms", "latency p99", "ms"),
    ("of_alone_pct", "rate vs alone", "%"),
    ("switch_interval_ms", "switch interval", "ms"),
)

_REQUEST = b"GET /echo?x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
_alone = {}   # size -> the rate task 0 measured in this process (for of_alone_pct)


def _url():
    import os

    url = os.environ.get("GILSCOPE_HTTP_URL")
    if not url:
        raise RuntimeError("GILSCOPE_HTTP_URL is not set: run this workload with gilscope, which starts "
                           "its HTTP service for it (or `gilscope serve` and set the variable)")
    return url


def make_tasks(n, size):
    """Task k: (service address, k CPU threads, SIZE ms of round trips)."""
    base = _url()
    return [(base, k, size) for k in range(n)]


def _spin(started, stop):
    """Pure-Python arithmetic until told to stop: holds the GIL except when made to drop it."""
    started.release()
    x = 0
    while not stop:
        for i in range(1000):
            x = (x * 31 + i) % 1000003
    return x


def _read_reply(sock, buf):
    """Reads one HTTP reply (headers with Content-Length, then the body)
    from sock; returns what was read beyond it."""
    while True:
        end = buf.find(b"\r\n\r\n")
        if end >= 0:
            break
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("the service closed the connection")
        buf += chunk
    head = buf[:end].decode("latin-1")
    if not head.startswith("HTTP/1.1 200"):
        raise RuntimeError("the service answered %r" % head.splitlines()[0])
    length = 0
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body_end = end + 4 + length
    while len(buf) < body_end:
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("the service closed the connection")
        buf += chunk
    return buf[body_end:]


def _percentile(sorted_values, q):
    i = min(len(sorted_values) - 1, int(q * len(sorted_values)))
    return sorted_values[i]


def run(arg):
    """Starts k CPU threads, makes round trips for ms milliseconds, stops the
    threads; returns the MEASURES of this task."""
    base, k, ms = arg
    url = urllib.parse.urlsplit(base)
    stop = []
    started = threading.Semaphore(0)
    threads = [threading.Thread(target=_spin, args=(started, stop), daemon=True) for _ in range(k)]
    sock = socket.create_connection((url.hostname, url.port), timeout=60)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for t in threads:
            t.start()
        for _ in threads:
            started.acquire()
        latencies = []
        buf = b""
        begin = time.perf_counter()
        deadline = begin + ms / 1000.0
        now = begin
        while now < deadline or not latencies:
            sock.sendall(_REQUEST)
            buf = _read_reply(sock, buf)
            done = time.perf_counter()
            latencies.append(done - now)
            now = done
        elapsed = now - begin
    finally:
        stop.append(True)
        for t in threads:
            t.join()
        sock.close()
    latencies.sort()
    rate = len(latencies) / elapsed
    if k == 0:
        _alone[ms] = rate
    alone = _alone.get(ms)
    return {
        "cpu_threads": k,
        "requests_per_s": round(rate, 1),
        "latency_p50_ms": round(statistics.median(latencies) * 1e3, 4),
        "latency_p99_ms": round(_percentile(latencies, 0.99) * 1e3, 4),
        "of_alone_pct": round(100.0 * rate / alone, 2) if alone else None,
        "switch_interval_ms": round(sys.getswitchinterval() * 1e3, 3),
    }


def explain(values):
    """One sentence read from the measured values (a list of MEASURES dicts,
    in task order): what one CPU thread did to the I/O thread's rate, and
    whether the latency per request says the switch interval is why."""
    alone = next((v for v in values if v["cpu_threads"] == 0), None)
    one = next((v for v in values if v["cpu_threads"] == 1), None)
    if alone is None or one is None:
        return None
    interval = one["switch_interval_ms"]
    share = 100.0 * one["requests_per_s"] / alone["requests_per_s"]
    text = ("With one CPU-bound thread beside it, the I/O thread made %s requests/s, %s of the %s it "
            "made alone, each taking %s ms instead of %s ms"
            % (_num(one["requests_per_s"]), _pct(share), _num(alone["requests_per_s"]),
               _ms(one["latency_p50_ms"]), _ms(alone["latency_p50_ms"])))
    if one["latency_p50_ms"] >= 0.5 * interval:
        text += (": every time it waits for a reply it releases the GIL, the CPU thread takes it, "
                 "and the I/O thread gets it back only when the CPU thread is made to drop it "
                 "after the switch interval (%s ms)." % _ms(interval))
    else:
        text += (", less than half the switch interval (%s ms): here the CPU thread gave the GIL "
                 "back sooner than the interval forces it to." % _ms(interval))
    return text


def _num(x):
    return "{:,.0f}".format(x) if x >= 100 else "%.3g" % x


def _pct(x):
    return "%.1f%%" % x if x < 10 else "%.0f%%" % x


def _ms(x):
    return "%.3g" % x
