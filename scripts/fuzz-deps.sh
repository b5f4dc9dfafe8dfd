#!/bin/sh
# Installs clang with its libFuzzer runtime for the fuzz test of the HTTP request
# parser (tests/fuzz), when it is missing. The main build keeps its compiler (gcc):
# only that test needs clang.
# Root with apt-get: installs Debian's `clang` and `libclang-rt-dev` (the runtime
# libraries, libFuzzer among them, which `clang` only recommends), running
# `apt-get update` only when the install fails without it. Otherwise, or when the
# install fails: prints one line that says what is missing and how to install it, and
# exits 0 all the same — the fuzz test then skips itself visibly (exit 77), and the
# build never fails for want of clang.
set -eu

CC_FUZZ=${CLANG:-clang}

can_fuzz() {
    command -v "$CC_FUZZ" >/dev/null 2>&1 || return 1
    dir=$(mktemp -d)
    printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$dir/p.c"
    ok=0
    "$CC_FUZZ" -fsanitize=fuzzer,address,undefined "$dir/p.c" -o "$dir/p" >/dev/null 2>&1 || ok=1
    rm -rf "$dir"
    return $ok
}

if can_fuzz; then
    exit 0
fi

PKGS="clang libclang-rt-dev"
MISSING="fuzz-deps: no clang with libFuzzer ($CC_FUZZ -fsanitize=fuzzer does not link); the fuzz test will be skipped"
INSTALL="apt-get update && apt-get install -y --no-install-recommends $PKGS"

if ! command -v apt-get >/dev/null 2>&1; then
    echo "$MISSING; no apt-get here: install clang and its compiler-rt (libFuzzer) with this system's package manager" >&2
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "$MISSING; install it as root with: $INSTALL" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "fuzz-deps: installing Debian's $PKGS for the fuzz test" >&2
# shellcheck disable=SC2086
if ! apt-get install -y --no-install-recommends $PKGS; then
    echo "fuzz-deps: install failed with the current package lists; running apt-get update" >&2
    # shellcheck disable=SC2086
    if ! { apt-get update && apt-get install -y --no-install-recommends $PKGS; }; then
        echo "$MISSING; installing Debian's $PKGS failed (apt-get's messages above); retry as root: $INSTALL" >&2
        exit 0
    fi
fi

if ! can_fuzz; then
    echo "$MISSING; apt-get installed $PKGS, yet $CC_FUZZ cannot link libFuzzer" >&2
fi
exit 0
