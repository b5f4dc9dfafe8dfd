"""The GIL latency probe (docs/measurement.md): a harness thread that sleeps
1 ms in a loop and records how late it got to run Python again."""

import threading
import time


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
