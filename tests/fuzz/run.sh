#!/bin/sh
# Builds the libFuzzer target of the HTTP request parser (tests/fuzz/fuzz_http.c)
# with clang, ASan and UBSan, and runs it for a fixed time.
#
#   sh tests/fuzz/run.sh OUT_DIR [SECONDS]      (default: 20 seconds)
#
# CLANG names the compiler (default: clang on PATH). The main build keeps its own
# compiler: only this target needs clang, for its libFuzzer runtime (Debian:
# clang and libclang-rt-dev; scripts/fuzz-deps.sh installs them, `make test` calls it).
# Exit status: 0 no finding; 1 a finding (its input is kept in OUT_DIR as crash-*,
# leak-* or timeout-*: replay it with OUT_DIR/fuzz_http FILE) or a build error;
# 77 skipped, with one line saying why: no clang, or no libFuzzer runtime.
set -eu

out=${1:?usage: run.sh OUT_DIR [SECONDS]}
secs=${2:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CLANG:-clang}
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

# shellcheck disable=SC2046
"$cc" -g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I "$root/include" -I "$root/runner/serve" \
    "$root/tests/fuzz/fuzz_http.c" "$root/runner/serve/http.c" "$root/runner/serve/routes.c" \
    $(pkg-config --cflags --libs libuv) -o "$out/fuzz_http"

echo "fuzz: running the HTTP request parser under libFuzzer for $secs s ($cc, ASan + UBSan)"
# The first corpus directory collects what the runs find; the second is the seeds.
exec "$out/fuzz_http" -max_total_time="$secs" -max_len=12288 -timeout=10 -rss_limit_mb=2048 \
    -dict="$root/tests/fuzz/http.dict" -artifact_prefix="$out/" -print_final_stats=1 \
    "$out/corpus" "$root/tests/fuzz/corpus"
