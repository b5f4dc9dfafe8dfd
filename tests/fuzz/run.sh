#!/bin/sh
# Builds one libFuzzer target (tests/fuzz/fuzz_TARGET.c) with clang, ASan and
# UBSan, and runs it for a fixed time. Targets: http (the HTTP request parser),
# linebuf (the line buffer), proto (the harness protocol, read through the line
# buffer), report (the report loader and every renderer).
#
#   sh tests/fuzz/run.sh TARGET OUT_DIR [SECONDS]      (default: 20 seconds)
#
# CLANG names the compiler (default: clang on PATH). The main build keeps its own
# compiler: only this target needs clang, for its libFuzzer runtime (Debian:
# clang and libclang-rt-dev; scripts/fuzz-deps.sh installs them, `make test` calls it).
# Exit status: 0 no finding; 1 a finding (its input is kept in OUT_DIR as crash-*,
# leak-* or timeout-*: replay it with OUT_DIR/fuzz_TARGET FILE) or a build error;
# 77 skipped, with one line saying why: no clang, or no libFuzzer runtime.
set -eu

target=${1:?usage: run.sh TARGET OUT_DIR [SECONDS]}
out=${2:?usage: run.sh TARGET OUT_DIR [SECONDS]}
secs=${3:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CLANG:-clang}
# What each target is built from, the largest input worth trying, its dictionary and seeds.
case $target in
http) srcs="runner/serve/http.c runner/serve/routes.c"; max_len=12288; dict=http.dict; seeds=corpus ;;
linebuf) srcs="runner/measure/linebuf.c"; max_len=4096; dict=; seeds= ;;
proto) srcs="runner/measure/proto.c runner/measure/linebuf.c"; max_len=16384; dict=proto.dict; seeds=corpus-proto ;;
report)
    # The renderers and what they read: gilscope's library, all but main.
    srcs=$(cd "$root" && ls runner/*/*.c | tr '\n' ' ')
    max_len=65536; dict=report.dict; seeds=corpus-report ;;
*) echo "fuzz: unknown target \"$target\" (http, linebuf, proto, report)"; exit 2 ;;
esac
out=$out/$target
mkdir -p "$out/corpus"

if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: skipped: no $cc on PATH (Debian: apt-get install clang libclang-rt-dev, or make fuzz-deps as root)"
    exit 77
fi
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
    >"$out/probe.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$out/probe.c" -o "$out/probe" 2>"$out/probe.log"; then
    echo "fuzz: skipped: $cc cannot link libFuzzer with ASan/UBSan ($(head -n 1 "$out/probe.log")); Debian: apt-get install libclang-rt-dev"
    exit 77
fi

abs=
for f in $srcs; do abs="$abs $root/$f"; done
# shellcheck disable=SC2046,SC2086
"$cc" -g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -DGS_SOURCE_WORKLOADS="\"$root/workloads\"" -I "$root/include" -I "$root/runner/serve" -I "$root/runner/render" -I "$root/runner/cli" \
    "$root/tests/fuzz/fuzz_$target.c" $abs \
    $(pkg-config --cflags --libs libuv jansson) -lpthread -lm -o "$out/fuzz_$target"

echo "fuzz: running the $target target under libFuzzer for $secs s ($cc, ASan + UBSan)"
set -- -max_total_time="$secs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/" -print_final_stats=1
[ -n "$dict" ] && set -- "$@" -dict="$root/tests/fuzz/$dict"
# The first corpus directory collects what the runs find; the second is the seeds.
if [ -n "$seeds" ]; then
    exec "$out/fuzz_$target" "$@" "$out/corpus" "$root/tests/fuzz/$seeds"
fi
exec "$out/fuzz_$target" "$@" "$out/corpus"
