#!/bin/sh
# Debian's own CPython 3.14 and 3.15 for the harness tests (docs/pythons.md), unpacked into a
# private cache: $GILSCOPE_PYTHONS, else ${XDG_CACHE_HOME:-$HOME/.cache}/gilscope/pythons.
#
#   sh scripts/pythons.sh           fetch what is missing; $CACHE/bin/python3.14 (and python3.15)
#   sh scripts/pythons.sh --check   list the cached interpreters; exit 0 if python3.14 runs, else 77
#
# The binary packages come from Debian *sid* through `apt-get download` under a private apt
# configuration (its own sources list naming the machine's Debian mirror, its own lists, cache
# and status; the system's apt and dpkg state are neither used nor changed). Each version is
# unpacked with `dpkg-deb -x` into its own root together with sid's libc and the libraries the
# stdlib's extension modules need, and `patchelf` points the interpreter at them (the unpacked
# loader; an RPATH to the unpacked library directory), so it runs stand-alone, spawn pools too.
#
# Best effort, like browser-deps.sh: whatever is missing (apt-get, dpkg-deb, patchelf when not
# root, the network, a package in sid), it prints one line saying what and how to get it, and
# exits 0; the tests that need these Pythons are then skipped visibly. Idempotent: with every
# interpreter in place it only runs each once (well under a second, nothing networked). Each
# version is built in a temporary directory inside the cache and published last, after it ran,
# so an interrupted run never leaves a broken bin/python3.X.
set -eu

VERSIONS="3.14 3.15"    # 3.14 is the one --check requires; 3.15 is optional while sid lacks it
LIBS="libc6 libexpat1 zlib1g libffi8 libzstd1 libbz2-1.0 liblzma5 libsqlite3-0 libuuid1 libssl3t64
libncursesw6 libtinfo6 libreadline8t64 libdb5.3t64 libmpdec4"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
FALLBACK_MIRROR=http://deb.debian.org/debian

# Quick test of a published interpreter; prints its version.
QUICK='import sys, concurrent.futures as f; f.InterpreterPoolExecutor; print(sys.version.split()[0])'
# Full test before publishing: the stdlib found from the symlink, the modules that need the
# unpacked libraries, every shared extension module of lib-dynload (its libraries resolve), and
# a spawn pool round trip (a fresh interpreter started from sys.executable).
FULL='
import glob, importlib, os, sys
want = sys.argv[1]
if os.path.realpath(sys.prefix) != os.path.realpath(want):
    sys.exit("sys.prefix is %s, not %s" % (sys.prefix, want))
import ssl, sqlite3, ctypes, decimal, zlib, bz2, lzma, hashlib, pyexpat, uuid, readline, curses
dynload = os.path.join(sys.prefix, "lib", "python%d.%d" % sys.version_info[:2], "lib-dynload")
for so in sorted(glob.glob(os.path.join(dynload, "*.so"))):
    name = os.path.basename(so).split(".")[0]
    if not name.startswith(("_test", "xx", "_xxtest", "_ctypes_test")):
        importlib.import_module(name)
import concurrent.futures as f, multiprocessing as mp
f.InterpreterPoolExecutor
with f.ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as ex:
    if ex.submit(abs, -3).result(timeout=120) != 3:
        sys.exit("spawn pool: wrong result")
'

say() { printf 'pythons: %s\n' "$*" >&2; }
# The first error or warning apt printed, for a one-line message.
apt_said() {
    said=$(echo "$1" | grep -E '^(E|W|Err):' | head -n 1 | cut -c 1-240) || said=
    echo "${said:-nothing}"
}

MODE=fetch
case "${1:-}" in
    "") ;;
    --check) MODE=check ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) say "unknown argument '$1' (usage: sh scripts/pythons.sh [--check])"; exit 2 ;;
esac

# The cache: same rule as gilscope's --python lookup (runner/measure/interp.c) and CMakeLists.txt.
if [ -n "${GILSCOPE_PYTHONS:-}" ]; then
    CACHE=$GILSCOPE_PYTHONS
elif [ -n "${XDG_CACHE_HOME:-}" ]; then
    CACHE=$XDG_CACHE_HOME/gilscope/pythons
elif [ -n "${HOME:-}" ]; then
    CACHE=$HOME/.cache/gilscope/pythons
else
    say "no cache directory (GILSCOPE_PYTHONS, XDG_CACHE_HOME and HOME are all unset): set GILSCOPE_PYTHONS to a directory; the tests on Python 3.14/3.15 are skipped"
    [ "$MODE" = check ] && exit 77
    exit 0
fi
case $CACHE in
    /*) ;;
    *) CACHE=$(pwd)/$CACHE ;;    # patchelf needs absolute paths
esac
CACHE=${CACHE%/}

# --check: every interpreter in the cache with its version; 0 when python3.14 runs, else 77.
if [ "$MODE" = check ]; then
    ok=77
    for py in "$CACHE"/bin/python3.*; do
        [ -e "$py" ] || [ -L "$py" ] || continue
        if ver=$("$py" -I -c "$QUICK" 2>/dev/null); then
            echo "$py $ver"
            [ "${py##*/}" != python3.14 ] || ok=0
        else
            echo "$py (does not run)"
        fi
    done
    if [ "$ok" != 0 ]; then
        say "no working python3.14 in $CACHE/bin: run 'make pythons' (sh scripts/pythons.sh) to fetch Debian sid's; the tests on Python 3.14/3.15 are skipped"
    fi
    exit "$ok"
fi

# Best effort: an unforeseen failure must not fail `make test` (signals still do). The
# temporary directory of this run goes in every case.
WORK=
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
    rc=$?
    if [ -n "$WORK" ]; then
        rm -rf "$WORK" "$CACHE"/bin/.python3.*.tmp-$$
    fi
    if [ "$rc" != 0 ] && [ "$rc" -lt 128 ]; then
        say "stopped by an unexpected failure (status $rc; messages above); the tests on Python 3.14/3.15 are skipped"
        exit 0
    fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# A version counts as present when its published interpreter passes the quick test. A version
# that sid lacked, or that failed to build, less than a day ago is not tried again until then
# ($CACHE/.skip-python3.X holds the reason; delete it to retry at once).
works() { [ -x "$CACHE/bin/python$1" ] && "$CACHE/bin/python$1" -I -c "$QUICK" >/dev/null 2>&1; }
recently_skipped() {
    [ -f "$CACHE/.skip-python$1" ] && [ -n "$(find "$CACHE/.skip-python$1" -mtime -1 2>/dev/null)" ]
}
skip_for_a_day() { echo "$2" >"$CACHE/.skip-python$1" 2>/dev/null || true; }
wanted() {
    need=
    for v in $VERSIONS; do
        works "$v" && continue
        if recently_skipped "$v"; then
            [ -n "${1:-}" ] || say "python$v: skipped, tried less than a day ago ($(date -r "$CACHE/.skip-python$v" '+%F %R' 2>/dev/null || echo 'recently')): $(head -n 1 "$CACHE/.skip-python$v"); delete $CACHE/.skip-python$v to retry now; its tests are skipped"
            continue
        fi
        need="$need $v"
    done
    need=${need# }
}
wanted
[ -n "$need" ] || exit 0

# ---- what fetching needs ---------------------------------------------------------------------
SKIP="the tests on Python $(echo "$need" | sed 's/ /, /g') are skipped"
for tool in apt-get apt-cache dpkg dpkg-deb; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        say "no $tool here: fetching Debian's CPython needs Debian's apt and dpkg (apt-get, dpkg-deb); $SKIP"
        exit 0
    fi
done
if [ ! -r "$KEYRING" ]; then
    say "no Debian archive keyring ($KEYRING) to check sid's packages: install it as root with: apt-get install -y debian-archive-keyring; $SKIP"
    exit 0
fi
if ! command -v patchelf >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
        say "no patchelf (needed to point the unpacked interpreter at its own libc): install it as root with: apt-get install -y patchelf; $SKIP"
        exit 0
    fi
    say "installing Debian's patchelf"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq --no-install-recommends patchelf >/dev/null; then
        if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends patchelf >/dev/null; }; then
            say "installing patchelf failed (apt-get's messages above); retry as root with: apt-get update && apt-get install -y patchelf; $SKIP"
            exit 0
        fi
    fi
    if ! command -v patchelf >/dev/null 2>&1; then
        say "apt-get installed patchelf, yet no patchelf is on PATH (is /usr/bin on PATH?); $SKIP"
        exit 0
    fi
fi

ARCH=$(dpkg --print-architecture)
TRIPLET=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null) || TRIPLET=
if [ -z "$TRIPLET" ]; then
    case $ARCH in
        amd64) TRIPLET=x86_64-linux-gnu ;;
        arm64) TRIPLET=aarch64-linux-gnu ;;
        i386) TRIPLET=i386-linux-gnu ;;
        armhf) TRIPLET=arm-linux-gnueabihf ;;
        armel) TRIPLET=arm-linux-gnueabi ;;
        ppc64el) TRIPLET=powerpc64le-linux-gnu ;;
        s390x) TRIPLET=s390x-linux-gnu ;;
        riscv64) TRIPLET=riscv64-linux-gnu ;;
        *) say "unknown multiarch triplet for architecture $ARCH (install dpkg-dev for dpkg-architecture); $SKIP"; exit 0 ;;
    esac
fi

# The Debian mirror this machine already uses (its first http(s) URI ending in /debian, in
# one-line or deb822 sources), else deb.debian.org.
system_mirror() {
    {
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [ -r "$f" ] || continue
            awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ } print $i }' "$f"
        done
        for f in /etc/apt/sources.list.d/*.sources; do
            [ -r "$f" ] || continue
            awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f"
        done
    } | grep -E '^https?://[^[:space:]]+/debian/?$' | head -n 1 | sed 's:/*$::'
}
MIRROR=$(system_mirror 2>/dev/null) || MIRROR=
[ -n "$MIRROR" ] || MIRROR=$FALLBACK_MIRROR

# ---- one run at a time; clear what an interrupted run left -----------------------------------
if ! mkdir -p "$CACHE/bin" 2>/dev/null || [ ! -w "$CACHE" ]; then
    say "cannot write the cache directory $CACHE: set GILSCOPE_PYTHONS to a writable directory; $SKIP"
    exit 0
fi
if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE/.lock"
    flock 9
    wanted quiet    # another run may have fetched them meanwhile
    [ -n "$need" ] || exit 0
fi
for d in "$CACHE"/.tmp-* "$CACHE"/bin/.python3.*.tmp-*; do
    [ -e "$d" ] || [ -L "$d" ] || continue
    kill -0 "${d##*.tmp-}" 2>/dev/null || rm -rf "$d"
done

WORK=$CACHE/.tmp-$$
mkdir -p "$WORK"

# ---- private apt: its own sources, lists, cache and status -----------------------------------
APT=$WORK/apt
mkdir -p "$APT/etc/sources.list.d" "$APT/etc/preferences.d" "$APT/lists/partial" "$APT/cache/archives/partial"
: >"$APT/status"
printf 'deb [arch=%s signed-by=%s] %s sid main\n' "$ARCH" "$KEYRING" "$MIRROR" >"$APT/etc/sources.list"
apt_() {
    tool=$1
    shift
    "$tool" \
        -o "Dir::Etc::SourceList=$APT/etc/sources.list" \
        -o "Dir::Etc::SourceParts=$APT/etc/sources.list.d" \
        -o "Dir::Etc::Preferences=/dev/null" \
        -o "Dir::Etc::PreferencesParts=$APT/etc/preferences.d" \
        -o "Dir::State::Lists=$APT/lists" \
        -o "Dir::Cache=$APT/cache" \
        -o "Dir::State::status=$APT/status" \
        -o "APT::Sandbox::User=root" \
        -o "Acquire::http::Timeout=30" -o "Acquire::https::Timeout=30" \
        "$@"
}

say "fetching Debian sid's python$(echo "$need" | sed 's/ /, python/g') from $MIRROR into $CACHE"
# apt-get update exits 0 even when the index could not be fetched: what counts is what it found.
out=$(apt_ apt-get -qq update 2>&1) || true

pkgs_of() { echo "python$1 python$1-minimal libpython$1-minimal libpython$1-stdlib"; }
all=$LIBS
for v in $need; do all="$all $(pkgs_of "$v")"; done
# shellcheck disable=SC2086  # word lists
found=$(apt_ apt-cache show --no-all-versions $all 2>/dev/null | sed -n 's/^Package: //p') || found=
if [ -z "$found" ]; then
    say "could not fetch Debian sid's package index from $MIRROR (no network, or a proxy needed? apt-get said: $(apt_said "$out")); $SKIP"
    exit 0
fi
missing_of() {
    m=
    for p in "$@"; do
        echo "$found" | grep -qxF "$p" || m="$m $p"
    done
    echo "${m# }"
}
# shellcheck disable=SC2086
miss=$(missing_of $LIBS)
if [ -n "$miss" ]; then
    say "Debian sid has no $miss (renamed? scripts/pythons.sh lists the libraries it unpacks); $SKIP"
    exit 0
fi

build=
for v in $need; do
    # shellcheck disable=SC2046
    miss=$(missing_of $(pkgs_of "$v"))
    if [ -n "$miss" ]; then
        skip_for_a_day "$v" "Debian sid has no $miss"
        if [ "$v" = 3.14 ]; then
            say "python$v: Debian sid has no $miss; its tests are skipped (looking again in a day)"
        else
            say "python$v: not in Debian sid yet (no $miss), a note, not a failure; its tests are skipped (looking again in a day)"
        fi
        continue
    fi
    build="$build $v"
done
[ -n "$build" ] || exit 0

# ---- download: the libraries once, each version's own packages -------------------------------
mkdir -p "$WORK/debs/lib"
# shellcheck disable=SC2086
if ! out=$(cd "$WORK/debs/lib" && apt_ apt-get -qq download $LIBS 2>&1); then
    say "downloading sid's libraries from $MIRROR failed (apt-get said: $(apt_said "$out")); $SKIP"
    exit 0
fi

# Builds $CACHE/python$1 and publishes $CACHE/bin/python$1; one line on failure.
build_version() {
    v=$1
    root=$CACHE/python$v
    stage=$WORK/root-$v
    if ! mkdir -p "$WORK/debs/$v" "$stage"; then
        say "python$v: cannot create $stage; its tests are skipped"
        return 1
    fi
    # shellcheck disable=SC2046
    if ! out=$(cd "$WORK/debs/$v" && apt_ apt-get -qq download $(pkgs_of "$v") 2>&1); then
        say "python$v: downloading it from $MIRROR failed (apt-get said: $(apt_said "$out")); its tests are skipped"
        return 1
    fi
    for deb in "$WORK"/debs/lib/*.deb "$WORK/debs/$v"/*.deb; do
        if ! dpkg-deb -x "$deb" "$stage"; then
            say "python$v: dpkg-deb -x ${deb##*/} failed (messages above); its tests are skipped"
            return 1
        fi
    done
    exe=$stage/usr/bin/python$v
    loader=$(patchelf --print-interpreter "$exe" 2>/dev/null) || loader=
    if [ ! -f "$exe" ] || [ -z "$loader" ]; then
        say "python$v: the packages hold no usr/bin/python$v with an ELF interpreter; its tests are skipped"
        return 1
    fi
    ld=
    for cand in "usr/lib/$TRIPLET" "lib/$TRIPLET" usr/lib64 lib64 usr/lib lib; do
        if [ -e "$stage/$cand/${loader##*/}" ]; then
            ld=$cand/${loader##*/}
            break
        fi
    done
    if [ -z "$ld" ]; then
        say "python$v: sid's libc6 holds no ${loader##*/} (the loader $loader); its tests are skipped"
        return 1
    fi
    rpath=$root/usr/lib/$TRIPLET
    if [ -d "$stage/lib/$TRIPLET" ] && [ ! -L "$stage/lib" ]; then
        rpath=$rpath:$root/lib/$TRIPLET
    fi
    # The paths are the final ones: the root is renamed into place before the test run.
    if ! patchelf --set-interpreter "$root/$ld" --force-rpath --set-rpath "$rpath" "$exe"; then
        say "python$v: patchelf failed on usr/bin/python$v (messages above); its tests are skipped"
        return 1
    fi
    link=$CACHE/bin/.python$v.tmp-$$
    if ! { rm -rf "$root" && mv "$stage" "$root" && ln -s "../python$v/usr/bin/python$v" "$link"; }; then
        say "python$v: cannot move it into $root (messages above); its tests are skipped"
        return 1
    fi
    if ! out=$("$link" -I -c "$FULL" "$root/usr" 2>&1); then
        out=$(echo "$out" | tail -n 1)
        say "python$v: the unpacked interpreter does not work: $out; its tests are skipped (trying again in a day)"
        skip_for_a_day "$v" "the unpacked interpreter did not work: $out"
        rm -rf "$link" "$root"
        return 1
    fi
    if ! mv -f "$link" "$CACHE/bin/python$v"; then
        say "python$v: cannot publish $CACHE/bin/python$v (messages above); its tests are skipped"
        return 1
    fi
    rm -f "$CACHE/.skip-python$v"
    say "python$v $("$CACHE/bin/python$v" -I -c "$QUICK") ready: $CACHE/bin/python$v"
}

for v in $build; do
    # A published interpreter that no longer runs is withdrawn before its root is rebuilt.
    rm -f "$CACHE/bin/python$v"
    build_version "$v" || true
done
exit 0
