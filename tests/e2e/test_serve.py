"""End-to-end: gilscope serve, the loopback HTTP service on its own.

The URL line, 1,000 concurrent keep-alive connections, hostile clients (a
64 KiB header, a slowloris, a non-HTTP byte stream) while others are served,
a listener on 127.0.0.1 only, and SIGINT, SIGTERM and SIGHUP (inherited as
ignored too) ending it with exit 0 and nothing left listening.
Only generous physical relations are asserted about time.
"""
import os
import re
import resource
import select
import selectors
import shutil
import signal
import socket
import subprocess
import threading
import time
import unittest

import e2e_base
from e2e_base import GILSCOPE

HEAD_TIMEOUT_S = 5  # GS_HTTP_HEAD_TIMEOUT_MS


def listening(port):
    """The local addresses listening on TCP port, from /proc/net/tcp and tcp6."""
    found = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            addr, hexport = fields[1].rsplit(":", 1)
            if int(hexport, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.append(addr)
    return found


def read_response(sock, head_only=False):
    """(status, headers text, body) of one response read from a blocking socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError("closed after %r" % data[:200])
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    head = head.decode("latin-1")
    status = int(head.split()[1])
    m = re.search(r"\r\nContent-Length: (\d+)", head)
    length = 0 if head_only else int(m.group(1))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError("closed in the body")
        rest += chunk
    return status, head, rest[:length]


def get(port, path, sock=None):
    """GET path on sock (a new connection when None); returns (status, body)."""
    s = sock or socket.create_connection(("127.0.0.1", port), timeout=20)
    try:
        s.sendall(("GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % path).encode())
        status, _, body = read_response(s)
        return status, body
    finally:
        if sock is None:
            s.close()


def closed_by_server(sock):
    """Whether the server closes sock (EOF or reset) within the socket's timeout."""
    try:
        while True:
            if not sock.recv(65536):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


class Server:
    """A running `gilscope serve`: its URL, its port, and stop(signal)."""

    def __init__(self, *args, ignore=()):
        def preexec():
            for sig in ignore:
                signal.signal(sig, signal.SIG_IGN)
        self.proc = subprocess.Popen([GILSCOPE, "serve"] + list(args), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, preexec_fn=preexec if ignore else None)
        # The URL comes at once, flushed, on a line of its own.
        ready, _, _ = select.select([self.proc.stdout], [], [], 20)
        line = self.proc.stdout.readline().decode() if ready else ""
        self.url = line.rstrip("\n")
        m = re.match(r"^http://127\.0\.0\.1:(\d+)$", self.url)
        self.port = int(m.group(1)) if m else None

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Sends sig; returns (exit status, stdout after the URL line, stderr)."""
        self.proc.send_signal(sig)
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out.decode(), err.decode()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


class Serve(e2e_base.GilscopeTest):
    def serve(self, *args, **kw):
        s = Server(*args, **kw)
        self.addCleanup(s.kill)
        self.assertIsNotNone(s.port, "no URL line: %r" % s.url)
        return s

    def assertStoppedCleanly(self, s, sig):
        rc, out, err = s.stop(sig)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertRegex(lines[0], r"^gilscope: serve: stopped by %s: \d+ requests" % signal.Signals(sig).name)
        self.assertRegex(lines[0], r"service CPU \d+\.\d+ s")
        self.assertEqual(listening(s.port), [])
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", s.port), timeout=5).close()
        return lines[0]

    def test_url_line_endpoints_and_stop_signals(self):
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            with self.subTest(signal=sig):
                s = self.serve()
                status, body = get(s.port, "/")
                self.assertEqual(status, 200)
                self.assertIn(b"/delay/MS?bytes=N", body)
                self.assertEqual(get(s.port, "/echo?ping"), (200, b"ping"))
                line = self.assertStoppedCleanly(s, sig)
                self.assertRegex(line, r": 2 requests \(0 malformed, 0 timed out\), 2 connections")

    def test_signals_inherited_as_ignored_still_stop_it(self):
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            with self.subTest(signal=sig):
                s = self.serve(ignore=(signal.SIGINT, signal.SIGTERM, signal.SIGHUP))
                self.assertEqual(get(s.port, "/echo?x"), (200, b"x"))
                # Caught now, no longer ignored (/proc/PID/status: bit N-1 of the masks).
                with open("/proc/%d/status" % s.proc.pid) as f:
                    masks = dict(l.split(":\t", 1) for l in f.read().splitlines() if ":\t" in l)
                for n in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                    self.assertTrue(int(masks["SigCgt"], 16) >> (n - 1) & 1, masks["SigCgt"])
                    self.assertFalse(int(masks["SigIgn"], 16) >> (n - 1) & 1, masks["SigIgn"])
                self.assertStoppedCleanly(s, sig)

    def test_bound_to_loopback_only(self):
        s = self.serve()
        self.assertEqual(listening(s.port), ["0100007F"])  # 127.0.0.1, and no IPv6 socket
        if shutil.which("ss"):
            out = subprocess.run(["ss", "-ltnH"], stdout=subprocess.PIPE, universal_newlines=True).stdout
            ours = [l.split()[3] for l in out.splitlines() if l.split()[3].endswith(":%d" % s.port)]
            self.assertEqual(ours, ["127.0.0.1:%d" % s.port])
        self.assertStoppedCleanly(s, signal.SIGINT)

    def test_port_option_and_port_in_use(self):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        s = self.serve("--port", str(port))
        self.assertEqual(s.url, "http://127.0.0.1:%d" % port)
        rc, out, err = self.gs("serve", "--port", str(port), timeout=20)
        self.assertUsageError(rc, err, "in use")
        self.assertEqual(out, "")
        self.assertStoppedCleanly(s, signal.SIGTERM)
        rc, out, err = self.gs("serve", "--port", "65536")
        self.assertUsageError(rc, err, "--port")
        rc, out, err = self.gs("serve", "extra")
        self.assertUsageError(rc, err, "serve takes no arguments")
        rc, out, err = self.gs("serve", "--help")
        self.assertEqual(rc, 0)
        self.assertIn("Usage: gilscope serve", out)
        self.assertIn("--port N", out)

    def test_a_thousand_concurrent_keep_alive_connections(self):
        n = 1000
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard != resource.RLIM_INFINITY and hard < n + 200:
            self.skipTest("RLIMIT_NOFILE hard limit %d is below %d" % (hard, n + 200))
        want = n + 200 if hard == resource.RLIM_INFINITY else min(hard, max(soft, n + 200))
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))
        self.addCleanup(resource.setrlimit, resource.RLIMIT_NOFILE, (soft, hard))
        s = self.serve()
        socks = [socket.create_connection(("127.0.0.1", s.port), timeout=30) for _ in range(n)]
        self.addCleanup(lambda: [c.close() for c in socks])
        deadline = time.monotonic() + 60
        # Every connection asks once, all open at once; then each asks again on the same
        # connection, which shows they were kept alive.
        for round_ in range(2):
            for i, c in enumerate(socks):
                c.sendall(("GET /echo?c%d.r%d HTTP/1.1\r\nHost: t\r\n\r\n" % (i, round_)).encode())
            got = self.collect(socks, deadline)
            for i in range(n):
                self.assertEqual(got[i], "c%d.r%d" % (i, round_))
        # A delayed request on each of them: all answered together, not one after another.
        t0 = time.monotonic()
        for c in socks:
            c.sendall(b"GET /delay/200?bytes=10 HTTP/1.1\r\nHost: t\r\n\r\n")
        got = self.collect(socks, deadline)
        self.assertTrue(all(v == "0123456789" for v in got.values()))
        self.assertLess(time.monotonic() - t0, n * 0.2 / 10)  # one after another: 200 s
        for c in socks:
            c.close()
        line = self.assertStoppedCleanly(s, signal.SIGINT)
        self.assertRegex(line, r": %d requests \(0 malformed, 0 timed out\), %d connections" % (3 * n, n))
        self.assertEqual(int(re.search(r"at most (\d+) at once", line).group(1)), n)

    def collect(self, socks, deadline):
        """Reads one complete response from each socket, all at once with a selector;
        returns {index: body} of responses with status 200."""
        sel = selectors.DefaultSelector()
        bufs = {}
        for i, c in enumerate(socks):
            c.setblocking(False)
            sel.register(c, selectors.EVENT_READ, i)
            bufs[i] = b""
        done = {}
        try:
            while len(done) < len(socks):
                left = deadline - time.monotonic()
                self.assertGreater(left, 0, "%d of %d responses in time" % (len(done), len(socks)))
                for key, _ in sel.select(timeout=min(left, 1)):
                    i = key.data
                    chunk = key.fileobj.recv(65536)
                    self.assertTrue(chunk, "connection %d closed" % i)
                    bufs[i] += chunk
                    if b"\r\n\r\n" in bufs[i]:
                        head, body = bufs[i].split(b"\r\n\r\n", 1)
                        length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
                        if len(body) >= length:
                            self.assertTrue(head.startswith(b"HTTP/1.1 200 "), head)
                            self.assertIn(b"Connection: keep-alive", head)
                            done[i] = body.decode()
                            sel.unregister(key.fileobj)
        finally:
            sel.close()
            for c in socks:
                c.setblocking(True)
        return done

    def keeps_serving(self, port, stop_event, failures):
        """Serves as the 'other client': one request every 0.2 s on one connection."""
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=10)
            with c:
                i = 0
                while not stop_event.is_set():
                    if get(port, "/echo?o%d" % i, sock=c) != (200, ("o%d" % i).encode()):
                        failures.append(i)
                    i += 1
                    stop_event.wait(0.2)
        except Exception as e:  # noqa: BLE001 - reported by the test
            failures.append(repr(e))

    def with_other_client(self, s, hostile):
        """Runs hostile(port) while another client keeps being served; checks it was."""
        stop_event, failures = threading.Event(), []
        t = threading.Thread(target=self.keeps_serving, args=(s.port, stop_event, failures))
        t.start()
        try:
            hostile(s.port)
        finally:
            stop_event.set()
            t.join(30)
        self.assertEqual(failures, [])
        self.assertEqual(get(s.port, "/echo?after"), (200, b"after"))

    def test_a_64_kib_header_is_refused(self):
        s = self.serve()

        def hostile(port):
            c = socket.create_connection(("127.0.0.1", port), timeout=20)
            with c:
                try:
                    c.sendall(b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"b" * 65536 + b"\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the server may have closed before all of it was sent
                status, head, _ = read_response(c)
                self.assertIn(status, (400, 431))
                self.assertIn("Connection: close", head)
                self.assertTrue(closed_by_server(c))
        self.with_other_client(s, hostile)
        self.assertRegex(self.assertStoppedCleanly(s, signal.SIGTERM), r"\(1 malformed")

    def test_a_non_http_byte_stream_gets_400(self):
        s = self.serve()

        def hostile(port):
            c = socket.create_connection(("127.0.0.1", port), timeout=20)
            with c:
                stream = bytes((i * 7919 + 13) % 256 for i in range(256)) * 4096  # 1 MiB, no request line
                sender = threading.Thread(target=self.send_quietly, args=(c, stream))
                sender.start()
                status, head, body = read_response(c)
                self.assertEqual(status, 400)
                self.assertIn(b"400 Bad Request", body)
                self.assertTrue(closed_by_server(c))
                sender.join(30)
        self.with_other_client(s, hostile)
        self.assertStoppedCleanly(s, signal.SIGTERM)

    @staticmethod
    def send_quietly(c, data):
        try:
            c.sendall(data)
        except OSError:
            pass  # closed by the server: expected

    def test_slowloris_gets_408_within_the_head_timeout(self):
        s = self.serve()

        def hostile(port):
            c = socket.create_connection(("127.0.0.1", port), timeout=HEAD_TIMEOUT_S + 10)
            with c:
                t0 = time.monotonic()
                answer = b""
                for byte in b"GET / HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"s" * 60:
                    try:
                        c.sendall(bytes([byte]))
                    except (BrokenPipeError, ConnectionResetError):
                        break
                    ready, _, _ = select.select([c], [], [], 1.0)  # one byte a second
                    if ready:
                        answer = c.recv(65536)
                        break
                elapsed = time.monotonic() - t0
                self.assertTrue(answer.startswith(b"HTTP/1.1 408 ") or answer == b"", answer)
                self.assertGreaterEqual(elapsed, HEAD_TIMEOUT_S - 0.5)
                self.assertLess(elapsed, HEAD_TIMEOUT_S + 5)
                self.assertTrue(closed_by_server(c))
        self.with_other_client(s, hostile)
        self.assertRegex(self.assertStoppedCleanly(s, signal.SIGTERM), r", 1 timed out\)")


if __name__ == "__main__":
    unittest.main()
