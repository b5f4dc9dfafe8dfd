#!/usr/bin/env python3
"""The self-contained HTML report, opened in a real browser (headless Chromium).

    python3 tests/browser/test_browser.py

GILSCOPE names the binary (default ROOT/build/gilscope), GS_ROOT the source tree (default two
directories up), GS_BROWSER_REPORT a saved JSON report to render instead of
tests/golden/report.json, CHROMIUM the browser (default: chromium, chromium-browser or
google-chrome on PATH), GS_SCREENSHOT a file to copy the screenshot to (for docs/).

No benchmark runs: `gilscope report JSON --export-html` re-renders a saved report. Chromium
takes a screenshot of it (decoded here, standard library only) and dumps the DOM after load;
its log on stderr is searched for console messages. Without Chromium the test prints SKIP and
exits 77 (ctest's SKIP_RETURN_CODE); scripts/browser-deps.sh installs Debian's chromium.
"""
import collections
import math
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

ROOT = os.environ.get("GS_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
GILSCOPE = os.environ.get("GILSCOPE") or os.path.join(ROOT, "build", "gilscope")
GOLDEN_JSON = os.path.join(ROOT, "tests", "golden", "report.json")
REPORT_JSON = os.path.abspath(os.environ.get("GS_BROWSER_REPORT") or GOLDEN_JSON)
USING_GOLDEN = os.path.abspath(REPORT_JSON) == os.path.abspath(GOLDEN_JSON)

SKIP_STATUS = 77
SKIP_MESSAGE = ("SKIP: headless Chromium not found; install Debian's chromium "
                "(scripts/browser-deps.sh) to run this test")
TIMEOUT_S = 120
WINDOW_WIDTH = 1000

# Root on a closed network: without the sandbox (root), without a GPU, and with every
# background connection off (otherwise Chromium's refused connections flood the log).
BROWSER_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--force-device-scale-factor=1",
    "--enable-logging=stderr", "--v=0",
]

# The chart colours whose pixels must show (runner/export_html.c): the speedup bars, and the
# on-CPU and GIL-wait segments of the thread-state bars.
CHART_COLOURS = collections.OrderedDict([
    ("#3d7fc1", "speedup bar blue"),
    ("#2e9d4a", "on-CPU green"),
    ("#d1495b", "GIL-wait red"),
])
COLOUR_TOLERANCE = 10       # per channel, for anti-aliased edges
MIN_COLOUR_PIXELS = 200     # a colour is checked when the report paints at least this much of it
MIN_AREA_SHOWN = 0.75       # share of the painted area (from the SVG) that must show in the PNG
MIN_NON_WHITE = 0.03        # share of the screenshot that is not (near-)white (8% for the golden report)
MAX_ONE_COLOUR = 0.97       # largest share of any single colour
BOTTOM_ROWS = 24            # rows at the bottom that must be blank: nothing was cut off

# What Chromium logs on stderr when the page misbehaves. It logs every console message,
# whatever its level (console.log as much as console.error or an uncaught exception), as
# INFO:CONSOLE; the report has no script, so any console message at all is a problem.
# A failed load of the page itself: "Page load failed: net::ERR_FILE_NOT_FOUND". A failed
# load of a subresource (an image, a stylesheet, local or remote) logs nothing at all, so
# test_self_contained looks for such references in the HTML instead.
# Everything else on stderr is the noise of a headless machine and is ignored: the Debian
# launcher's "[: ...: unexpected operator" (it parses `findmnt` badly), dbus ERRORs (no
# system bus), vaapi (no GPU), "InitializeSandbox() called with multiple threads", idle_linux.
PROBLEM_PATTERNS = [
    re.compile(r":CONSOLE[:(]"),
    re.compile(r"Uncaught"),
    re.compile(r"Refused to (load|execute|apply|connect|frame)"),
    re.compile(r"Content Security Policy"),
    re.compile(r"net::ERR_"),
]


# ---- finding and running Chromium ------------------------------------------------------------

def find_chromium():
    """The browser to run: CHROMIUM if set (None when it does not exist), else the first of
    chromium, chromium-browser, google-chrome on PATH, else None."""
    named = os.environ.get("CHROMIUM")
    if named:
        return shutil.which(named)
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserRun(object):
    def __init__(self, argv, returncode, stdout, stderr, seconds):
        self.argv, self.returncode = argv, returncode
        self.stdout, self.stderr, self.seconds = stdout, stderr, seconds

    def describe(self):
        return "%s\nexit status %s after %.1f s; stderr:\n%s" % (
            " ".join(self.argv), self.returncode, self.seconds, self.stderr.rstrip())


def kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_chromium(browser, url, extra, workdir, window_height=800, timeout=TIMEOUT_S):
    """Runs headless Chromium once on url with a fresh profile and a fresh HOME (both removed
    afterwards: even with --user-data-dir, Chromium writes ~/.config/chromium/Crash Reports and
    ~/.cache/dconf), in a process group of its own that is killed whole on timeout and after
    the run anyway."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=workdir)
    home = os.path.join(profile, "home")
    os.mkdir(home)
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_CACHE_HOME=os.path.join(home, ".cache"))
    argv = ([browser] + BROWSER_FLAGS +
            ["--user-data-dir=" + os.path.join(profile, "data"),
             "--window-size=%d,%d" % (WINDOW_WIDTH, window_height)] +
            list(extra) + [url])
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc.pid)
        out, err = proc.communicate()
        raise AssertionError("Chromium did not finish within %g s (its process group was killed):\n%s"
                             % (timeout, BrowserRun(argv, None, "", err.decode("utf-8", "replace"),
                                                    time.monotonic() - start).describe()))
    finally:
        kill_group(proc.pid)        # helpers left behind by the browser, if any
        shutil.rmtree(profile, ignore_errors=True)
    return BrowserRun(argv, proc.returncode, out.decode("utf-8", "replace"),
                      err.decode("utf-8", "replace"), time.monotonic() - start)


def console_problems(stderr):
    """The lines of Chromium's log that say the page misbehaved (see PROBLEM_PATTERNS)."""
    return [line for line in stderr.splitlines()
            if any(p.search(line) for p in PROBLEM_PATTERNS)]


# ---- PNG ---------------------------------------------------------------------------------------

class PNGError(ValueError):
    pass


def _add_bytes(a, b, mask7, mask8):
    """Byte-wise (a + b) mod 256 of two equal-length byte strings, on big integers."""
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    return (((x & mask7) + (y & mask7)) ^ ((x ^ y) & mask8)).to_bytes(len(a), "big")


def decode_png(data):
    """Decodes a non-interlaced 8-bit greyscale, grey+alpha, RGB or RGBA PNG.
    Returns (width, height, channels, pixels) with the rows concatenated, unfiltered."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise PNGError("not a PNG file (bad signature %r)" % data[:8])
    pos, ihdr, idat = 8, None, []
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise PNGError("truncated %r chunk" % kind)
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        if zlib.crc32(kind + body) & 0xffffffff != crc:
            raise PNGError("bad CRC in %r chunk" % kind)
        pos += 12 + length
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if ihdr is None or not idat:
        raise PNGError("no IHDR or no IDAT chunk")
    width, height, depth, colour_type, compression, filter_method, interlace = ihdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour_type)
    if depth != 8 or channels is None or interlace or compression or filter_method:
        raise PNGError("unsupported PNG: bit depth %d, colour type %d, interlace %d (this decoder "
                       "reads non-interlaced 8-bit grey, grey+alpha, RGB and RGBA)"
                       % (depth, colour_type, interlace))
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    if len(raw) != height * (stride + 1):
        raise PNGError("image data has %d bytes, %d×%d×%d needs %d"
                       % (len(raw), width, height, channels, height * (stride + 1)))
    mask7 = int.from_bytes(b"\x7f" * stride, "big")
    mask8 = int.from_bytes(b"\x80" * stride, "big")
    bpp = channels
    prior = bytes(stride)
    rows = []
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        if ftype == 0:
            cur = line
        elif ftype == 2:                                # Up
            cur = _add_bytes(line, prior, mask7, mask8)
        elif ftype in (1, 3, 4):
            cur = bytearray(line)
            if ftype == 1:                              # Sub
                for i in range(bpp, stride):
                    cur[i] = (cur[i] + cur[i - bpp]) & 0xff
            elif ftype == 3:                            # Average
                for i in range(stride):
                    left = cur[i - bpp] if i >= bpp else 0
                    cur[i] = (cur[i] + ((left + prior[i]) >> 1)) & 0xff
            else:                                       # Paeth
                for i in range(stride):
                    if i >= bpp:
                        a, c = cur[i - bpp], prior[i - bpp]
                    else:
                        a = c = 0
                    b = prior[i]
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    if pa <= pb and pa <= pc:
                        pred = a
                    elif pb <= pc:
                        pred = b
                    else:
                        pred = c
                    cur[i] = (cur[i] + pred) & 0xff
            cur = bytes(cur)
        else:
            raise PNGError("row %d has unknown filter type %d" % (y, ftype))
        rows.append(cur)
        prior = cur
    return width, height, channels, b"".join(rows)


def to_rgb(channels, px):
    """(r, g, b) of one pixel's bytes, composited on white when it has alpha."""
    if channels == 1:
        return (px[0],) * 3
    if channels == 2:
        g = (px[0] * px[1] + 255 * (255 - px[1])) // 255
        return (g, g, g)
    if channels == 3:
        return tuple(px)
    alpha = px[3]
    return tuple((v * alpha + 255 * (255 - alpha)) // 255 for v in px[:3])


def colour_histogram(width, height, channels, pixels, rows=None):
    """Counter of (r, g, b) over the image, or over a range of rows."""
    start, stop = (0, height) if rows is None else rows
    stride = width * channels
    exact = collections.Counter(pixels[i:i + channels]
                                for i in range(start * stride, stop * stride, channels))
    hist = collections.Counter()
    for px, n in exact.items():
        hist[to_rgb(channels, px)] += n
    return hist


def hex_rgb(colour):
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def pixels_near(hist, rgb, tolerance=COLOUR_TOLERANCE):
    return sum(n for c, n in hist.items() if all(abs(c[k] - rgb[k]) <= tolerance for k in range(3)))


# ---- the HTML itself ----------------------------------------------------------------------------

def painted_areas(html):
    """Pixels each fill colour covers in the SVG rects, from their width and height."""
    areas = collections.Counter()
    for rect in re.findall(r"<rect\b[^>]*>", html):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', rect))
        try:
            areas[attrs.get("fill", "").lower()] += float(attrs["width"]) * float(attrs["height"])
        except (KeyError, ValueError):
            pass
    return areas


def window_height_for(html):
    """A window tall enough for the whole page at WINDOW_WIDTH px (checked afterwards: the
    bottom rows of the screenshot must be blank)."""
    height = 150
    for h in re.findall(r'<svg\b[^>]*\bheight="([\d.]+)"', html):
        height += float(h) + 16
    for block in re.findall(r"<(?:h1|h2|h3|p|li|tr|pre)\b[^>]*>(.*?)</", html, re.S):
        text = re.sub(r"<[^>]*>", "", block)
        height += 30 + 24 * max(1, math.ceil(len(text) / 95.0))
    return int(min(12000, max(800, height * 1.1)))


def count_tag(html, tag):
    """Elements named tag, outside comments."""
    return len(re.findall(r"<%s\b" % tag, re.sub(r"<!--.*?-->", "", html, flags=re.S), re.I))


def external_references(html):
    """What the page would fetch or run: scripts, stylesheets, frames, and src/href or url()
    values that are not fragments (#...) or data: URLs."""
    found = []
    for tag in ("script", "link", "iframe", "object", "embed"):
        if count_tag(html, tag):
            found.append("<%s> element(s)" % tag)
    for value in re.findall(r'\b(?:src|href|xlink:href)\s*=\s*["\']([^"\']*)', html, re.I):
        if not value.startswith(("#", "data:")):
            found.append("reference %r" % value)
    for value in re.findall(r"url\(\s*['\"]?([^'\")]*)", html, re.I):
        if not value.startswith(("#", "data:")):
            found.append("url(%s)" % value)
    if re.search(r"@import", html, re.I):
        found.append("@import")
    return found


# ---- the tests -----------------------------------------------------------------------------------

class BrowserReport(unittest.TestCase):
    """One rendering of the report, shared by the tests: a screenshot and a DOM dump."""

    @classmethod
    def setUpClass(cls):
        cls.browser = find_chromium()
        if cls.browser is None:
            raise unittest.SkipTest(SKIP_MESSAGE)
        cls.tmp = tempfile.mkdtemp(prefix="gilscope-browser-")
        try:
            cls._render()
        except BaseException:
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise

    @classmethod
    def _render(cls):
        if not os.access(GILSCOPE, os.X_OK):
            raise AssertionError("no gilscope binary at %s (make build, or set GILSCOPE)" % GILSCOPE)
        cls.html_path = os.path.join(cls.tmp, "report.html")
        cmd = [GILSCOPE, "report", REPORT_JSON, "--export-html", cls.html_path]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=TIMEOUT_S)
        if p.returncode != 0 or not os.path.exists(cls.html_path):
            raise AssertionError("%s exited %d:\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
        with open(cls.html_path, encoding="utf-8") as f:
            cls.html = f.read()
        cls.url = "file://" + cls.html_path
        cls.window_height = window_height_for(cls.html)

        cls.png_path = os.path.join(cls.tmp, "screenshot.png")
        cls.shot = run_chromium(cls.browser, cls.url, ["--screenshot=" + cls.png_path], cls.tmp,
                                cls.window_height)
        if os.path.exists(cls.png_path) and os.environ.get("GS_SCREENSHOT"):
            shutil.copyfile(cls.png_path, os.environ["GS_SCREENSHOT"])
        cls.dom = run_chromium(cls.browser, cls.url, ["--dump-dom"], cls.tmp, cls.window_height)
        sys.stderr.write("browser: %s; report %s; window %d×%d; screenshot %.1f s, DOM dump %.1f s\n"
                         % (cls.browser, os.path.relpath(REPORT_JSON, ROOT), WINDOW_WIDTH,
                            cls.window_height, cls.shot.seconds, cls.dom.seconds))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def image(self):
        if not hasattr(type(self), "_image"):
            self.assertEqual(self.shot.returncode, 0, "the screenshot run failed:\n" + self.shot.describe())
            self.assertTrue(os.path.exists(self.png_path),
                            "Chromium wrote no screenshot at %s:\n%s" % (self.png_path, self.shot.describe()))
            with open(self.png_path, "rb") as f:
                data = f.read()
            try:
                type(self)._image = decode_png(data)
            except (PNGError, zlib.error, struct.error) as e:
                self.fail("the screenshot %s (%d bytes) does not decode: %s" % (self.png_path, len(data), e))
        return type(self)._image

    def histogram(self):
        if not hasattr(type(self), "_hist"):
            type(self)._hist = colour_histogram(*self.image())
        return type(self)._hist

    def test_screenshot_decodes_at_window_size(self):
        width, height, channels, pixels = self.image()
        self.assertEqual((width, height), (WINDOW_WIDTH, self.window_height),
                         "the screenshot is %d×%d, the window %d×%d" % (width, height, WINDOW_WIDTH,
                                                                       self.window_height))

    def test_page_is_not_blank(self):
        hist = self.histogram()
        total = sum(hist.values())
        non_white = sum(n for c, n in hist.items() if min(c) < 240)
        colour, most = hist.most_common(1)[0]
        self.assertGreaterEqual(non_white / total, MIN_NON_WHITE,
                                "only %.1f%% of the screenshot is not white: the page looks blank"
                                % (100.0 * non_white / total))
        self.assertLessEqual(most / total, MAX_ONE_COLOUR,
                             "%.1f%% of the screenshot is one colour %r" % (100.0 * most / total, colour))

    def test_nothing_cut_off_at_the_bottom(self):
        width, height, channels, pixels = self.image()
        bottom = colour_histogram(width, height, channels, pixels, (height - BOTTOM_ROWS, height))
        inked = sum(n for c, n in bottom.items() if min(c) < 245)
        self.assertEqual(inked, 0, "%d pixels drawn in the bottom %d rows of the %d px window: the "
                         "page is taller than window_height_for() guessed, so the screenshot is cut "
                         "off" % (inked, BOTTOM_ROWS, height))

    def test_chart_colours_are_painted(self):
        areas = painted_areas(self.html)
        hist = self.histogram()
        checked = []
        for colour, name in CHART_COLOURS.items():
            expected = areas.get(colour, 0.0)
            if expected < MIN_COLOUR_PIXELS:
                self.assertFalse(USING_GOLDEN, "the HTML rendered from the golden report paints only "
                                 "%.0f px of the %s %s: the renderer lost it (or, if the golden report "
                                 "changed, pick colours it really shows)" % (expected, name, colour))
                sys.stderr.write("browser: %s %s not checked: this report paints only %.0f px of it\n"
                                 % (name, colour, expected))
                continue
            shown = pixels_near(hist, hex_rgb(colour))
            need = max(MIN_COLOUR_PIXELS, MIN_AREA_SHOWN * expected)
            self.assertGreaterEqual(shown, need,
                                    "%s %s: %d pixels in the screenshot (±%d per channel), the SVG "
                                    "paints %.0f px, at least %.0f expected"
                                    % (name, colour, shown, COLOUR_TOLERANCE, expected, need))
            checked.append(colour)
        self.assertIn("#3d7fc1", checked, "every report has speedup bars")

    def test_dom_keeps_every_chart(self):
        self.assertEqual(self.dom.returncode, 0, "the DOM dump failed:\n" + self.dom.describe())
        svgs = count_tag(self.html, "svg")
        self.assertGreater(svgs, 0, "the HTML file has no <svg> at all")
        workloads = count_tag(self.html, "h2")
        self.assertGreaterEqual(svgs, workloads, "%d workload headings but only %d <svg> in the HTML file"
                                % (workloads, svgs))
        self.assertEqual(count_tag(self.dom.stdout, "svg"), svgs,
                         "the file has %d <svg>, the DOM after load %d:\n%s"
                         % (svgs, count_tag(self.dom.stdout, "svg"), self.dom.stdout[:2000]))
        self.assertEqual(count_tag(self.dom.stdout, "rect"), count_tag(self.html, "rect"),
                         "the DOM after load lost or gained <rect> elements")
        self.assertIn("gilscope report", self.dom.stdout,
                      "the DOM after load lacks the text 'gilscope report':\n" + self.dom.stdout[:2000])
        # the speedup chart's axis: labelled ticks, 1× among them, kept by the browser
        ticks = re.findall(r'<text class="tick"[^>]*>([0-9.]+)×</text>', self.dom.stdout)
        self.assertIn("1", ticks, "the speedup axis has no 1× tick in the DOM after load")
        self.assertEqual(len(ticks), len(re.findall(r'<text class="tick"', self.html)))

    def test_numbers_and_lost_time_follow_the_report(self):
        """A plain report: per workload a table of numbers with one row per cell (one per
        strategy unavailable at several worker counts for one reason); per parallel
        cell that lost time, bars whose lost part is to the ideal part as lost_s to ideal_s."""
        import json
        with open(REPORT_JSON, encoding="utf-8") as f:
            report = json.load(f)
        if "sources" in report:
            self.skipTest("a merged report shows a matrix instead of a table of numbers")
        dom = self.dom.stdout
        tables = re.findall(r'<table class="numbers">(.*?)</table>', dom, re.S)
        names = []
        for w in report["workloads"]:
            if w["name"] not in names and not w.get("error"):
                names.append(w["name"])
        self.assertEqual(len(tables), len(names), "one table of numbers per workload in the DOM")
        collapsed = 0
        for name, table in zip(names, tables):
            cells = [c for c in report["cells"] if c["workload"] == name]
            # A strategy unavailable at several worker counts for one reason is one row ("1,2").
            rows = 0
            for i, c in enumerate(cells):
                prev = cells[i - 1] if i else None
                rows += not (prev is not None and c["available"] is False and prev["available"] is False
                             and c["strategy"] == prev["strategy"]
                             and c.get("start_method") == prev.get("start_method")
                             and c.get("unavailable_reason") == prev.get("unavailable_reason"))
            collapsed += len(cells) - rows
            self.assertEqual(len(re.findall(r"<tr>", table)) - 1, rows,
                             "%s: one row per cell under the heads, one per unavailable strategy" % name)
        self.assertGreater(collapsed, 0, "the report chosen for this test has such a strategy")
        lost = [c["shortfall"] for c in report["cells"]
                if isinstance(c.get("shortfall"), dict) and c["shortfall"]["lost_s"] > 0]
        self.assertTrue(lost, "the report chosen for this test has cells that lost time")
        svgs = re.findall(r'<svg[^>]*aria-label="lost time by cause".*?</svg>', dom, re.S)
        rows = []
        for svg in svgs:
            for row in re.split(r'<rect class="ideal"', svg)[1:]:
                ideal = float(re.match(r'[^>]*width="([0-9.]+)"', row).group(1))
                losses = [float(x) for x in re.findall(r'<rect class="loss"[^>]*width="([0-9.]+)"', row)]
                rows.append((ideal, sum(losses)))
        self.assertEqual(len(rows), len(lost), "one bar of lost time per cell that lost time")
        for (ideal, loss), sf in zip(rows, lost):
            self.assertAlmostEqual(loss / ideal, sf["lost_s"] / sf["ideal_s"], delta=0.02 * loss / ideal + 0.01)

    def test_no_console_errors(self):
        for what, run in (("screenshot", self.shot), ("DOM dump", self.dom)):
            problems = console_problems(run.stderr)
            self.assertEqual(problems, [], "Chromium's log during the %s reports the page misbehaving:\n%s"
                             % (what, "\n".join(problems)))

    def test_self_contained(self):
        self.assertEqual(external_references(self.html), [],
                         "the report must fetch and run nothing (docs/exports.md)")


class ConsoleCheck(unittest.TestCase):
    """The console check itself: a real script error must be seen, harmless noise must not."""

    def test_failing_script_is_detected(self):
        browser = find_chromium()
        if browser is None:
            self.skipTest(SKIP_MESSAGE)
        tmp = tempfile.mkdtemp(prefix="gilscope-browser-neg-")
        try:
            page = os.path.join(tmp, "broken.html")
            with open(page, "w", encoding="utf-8") as f:
                f.write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>broken</title></head>"
                        "<body><p>broken page</p><script>gs_no_such_function();</script></body></html>\n")
            run = run_chromium(browser, "file://" + page, ["--dump-dom"], tmp)
            self.assertIn("broken page", run.stdout, "the broken page did not load:\n" + run.describe())
            problems = console_problems(run.stderr)
            self.assertTrue(any("gs_no_such_function" in line for line in problems),
                            "a script error went unnoticed, so test_no_console_errors proves nothing; "
                            "has Chromium's log format changed?\n" + run.describe())
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_noise_is_not_a_problem(self):
        noise = """\
/usr/bin/chromium: 9: [: 25276514304: unexpected operator
[4232:4261:1128/001204.700983:ERROR:dbus/bus.cc:405] Failed to connect to the bus: Failed to connect to socket /run/dbus/system_bus_socket: No such file or directory
[4232:4232:1128/001205.039818:ERROR:dbus/object_proxy.cc:572] Failed to call method: org.freedesktop.DBus.NameHasOwner: object_path= /org/freedesktop/DBus: unknown error type:
[4275:4275:1128/001204.840813:WARNING:media/gpu/vaapi/vaapi_wrapper.cc:1655] drmGetDevices2() has not found any devices
[4275:4275:1128/001204.851585:WARNING:sandbox/policy/linux/sandbox_linux.cc:405] InitializeSandbox() called with multiple threads in process gpu-process.
[4232:4232:1128/001205.135969:WARNING:ui/base/idle/idle_linux.cc:111] None of the known D-Bus ScreenSaver services could be used.
104013 bytes written to file /tmp/shot.png
"""
        self.assertEqual(console_problems(noise), [])
        bad = ('[1:1:1128/001213.274257:INFO:CONSOLE:3] "Uncaught ReferenceError: f is not defined", '
               'source: file:///tmp/bad.html (3)\n'
               '[1:1:1128/001314.723358:ERROR:components/headless/command_handler/'
               'headless_command_handler.cc:403] Page load failed: net::ERR_FILE_NOT_FOUND\n')
        self.assertEqual(len(console_problems(noise + bad)), 2)


def encode_png(width, height, colour_type, pixels, filters, depth=8):
    """A plain PNG encoder for the decoder's self-test: row y uses filters[y % len(filters)]."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour_type]
    stride, bpp = width * channels, channels
    out, prior = bytearray(), bytes(stride)
    for y in range(height):
        row, ftype = pixels[y * stride:(y + 1) * stride], filters[y % len(filters)]
        out.append(ftype)
        for i in range(stride):
            a = row[i - bpp] if i >= bpp else 0
            b = prior[i]
            c = prior[i - bpp] if i >= bpp else 0
            p = a + b - c
            paeth = a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else (
                b if abs(p - b) <= abs(p - c) else c)
            pred = (0, a, b, (a + b) >> 1, paeth)[ftype]
            out.append((row[i] - pred) & 0xff)
        prior = row

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(out))) + chunk(b"IEND", b""))


class PNGDecoder(unittest.TestCase):
    def test_every_filter_and_colour_type(self):
        width, height = 7, 10
        for colour_type, channels in ((0, 1), (2, 3), (4, 2), (6, 4)):
            pixels = bytes((x * 37 + y * 101 + k * 53 + (x * y) % 7) & 0xff
                           for y in range(height) for x in range(width) for k in range(channels))
            data = encode_png(width, height, colour_type, pixels, [0, 1, 2, 3, 4])
            self.assertEqual(decode_png(data), (width, height, channels, pixels),
                             "colour type %d does not round-trip" % colour_type)

    def test_other_formats_are_refused_clearly(self):
        palette = encode_png(2, 2, 3, bytes(4), [0])
        with self.assertRaisesRegex(PNGError, "colour type 3"):
            decode_png(palette)
        with self.assertRaisesRegex(PNGError, "not a PNG"):
            decode_png(b"GIF89a" + bytes(20))

    def test_alpha_is_composited_on_white(self):
        self.assertEqual(to_rgb(4, b"\x00\x00\x00\x00"), (255, 255, 255))
        self.assertEqual(to_rgb(4, b"\x3d\x7f\xc1\xff"), (0x3d, 0x7f, 0xc1))


if __name__ == "__main__":
    if find_chromium() is None:
        if os.environ.get("CHROMIUM"):
            print("SKIP: CHROMIUM=%s is not an executable; " % os.environ["CHROMIUM"]
                  + SKIP_MESSAGE[len("SKIP: "):])
        else:
            print(SKIP_MESSAGE)
        sys.stdout.flush()
        sys.exit(SKIP_STATUS)
    unittest.main(verbosity=2)
