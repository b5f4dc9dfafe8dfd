#!/bin/sh
# Installs what gilscope needs to build and test, when it is missing.
# Root with apt-get: runs `apt-get update` then installs the missing Debian packages.
# Otherwise: names the exact command to run and exits 1.
set -eu

PKGS="build-essential cmake pkg-config python3 libuv1-dev libcmocka-dev libjansson-dev"

have_pkg() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=""
for p in $PKGS; do
    if ! have_pkg "$p"; then
        missing="$missing $p"
    fi
done

# A non-Debian machine (no dpkg) may still have everything: check by tool instead.
if ! command -v dpkg-query >/dev/null 2>&1; then
    ok=1
    for t in cc make cmake pkg-config python3; do
        command -v "$t" >/dev/null 2>&1 || ok=0
    done
    for m in libuv jansson cmocka; do
        pkg-config --exists "$m" 2>/dev/null || ok=0
    done
    if [ "$ok" = 1 ]; then exit 0; fi
    echo "deps: no dpkg here; install: a C compiler, make, cmake, pkg-config, python3, libuv, jansson, cmocka (with headers)" >&2
    exit 1
fi

if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: missing Debian packages:$missing" >&2
    echo "deps: run as root: apt-get update && apt-get install -y$missing" >&2
    exit 1
fi

echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing
