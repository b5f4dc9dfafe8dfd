#!/bin/sh
# Installs headless Chromium for the browser test (tests/browser), when it is missing.
# Root with apt-get: installs Debian's `chromium` (running `apt-get update` only when the
# install fails without it). Otherwise, or when the install fails: prints one line that says
# what is missing and how to install it, and exits 0 all the same — the browser test then
# skips itself visibly (exit 77), and the build never fails for want of a browser.
set -eu

have_browser() {
    if [ -n "${CHROMIUM:-}" ] && command -v "$CHROMIUM" >/dev/null 2>&1; then
        return 0
    fi
    for b in chromium chromium-browser google-chrome; do
        if command -v "$b" >/dev/null 2>&1; then
            return 0
        fi
    done
    return 1
}

if have_browser; then
    exit 0
fi

MISSING="browser-deps: headless Chromium not found (no chromium, chromium-browser or google-chrome on PATH, no CHROMIUM); the browser test will be skipped"
INSTALL="apt-get update && apt-get install -y --no-install-recommends chromium"

if ! command -v apt-get >/dev/null 2>&1; then
    echo "$MISSING; no apt-get here: install Chromium with this system's package manager, or set CHROMIUM to its binary" >&2
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "$MISSING; install it as root with: $INSTALL" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "browser-deps: installing Debian's chromium for the browser test" >&2
if ! apt-get install -y --no-install-recommends chromium; then
    echo "browser-deps: install failed with the current package lists; running apt-get update" >&2
    if ! { apt-get update && apt-get install -y --no-install-recommends chromium; }; then
        echo "$MISSING; installing Debian's chromium failed (apt-get's messages above); retry as root: $INSTALL" >&2
        exit 0
    fi
fi

if ! have_browser; then
    echo "$MISSING; apt-get installed chromium, yet no chromium is on PATH (is /usr/bin on PATH?)" >&2
fi
exit 0
