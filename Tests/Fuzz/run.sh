#!/usr/bin/env bash
# Tests/Fuzz/run.sh TARGET|all [SECONDS [RUNS]]
#
# Builds ticktop-fuzz with libFuzzer and AddressSanitizer (release, in its own scratch path
# .build-fuzz, so the normal .build is untouched) and fuzzes TARGET, or every target, for
# SECONDS each (default 60; with RUNS, until RUNS executions or SECONDS, whichever comes first), starting from the seeds in Tests/Fuzz/Corpus/TARGET. New inputs
# go to .build-fuzz/corpus/TARGET (kept between runs), crashing ones to .build-fuzz/crashes/.
# Prints executions and crashes per target; exits 1 when any target crashed.
# A crash is replayed with: .build-fuzz/release/ticktop-fuzz TARGET CRASH-FILE
set -euo pipefail
cd "$(dirname "$0")/../.."

target=${1:?usage: Tests/Fuzz/run.sh TARGET|all [SECONDS]}
seconds=${2:-60}
runs=${3:--1}
scratch=${FUZZ_SCRATCH:-.build-fuzz}
export PATH="$PATH:/opt/swift/usr/bin"

runtime="$(dirname "$(readlink -f "$(command -v swiftc)")")/../lib/swift/clang/lib/linux"
fuzzer="$runtime/libclang_rt.fuzzer_no_main-$(uname -m).a"
[ -f "$fuzzer" ] || { echo "run.sh: libFuzzer not found at $fuzzer" >&2; exit 2; }

started=$(date +%s)
swift build --scratch-path "$scratch" -c release --product ticktop-fuzz \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,trace-cmp,pc-table \
    -Xswiftc -DTICKTOP_FUZZ -Xlinker "$fuzzer" -Xlinker -lstdc++ 2>&1 | grep -E "error|warning: .*ticktop|Compiling ticktop|Build complete" || true
binary="$scratch/release/ticktop-fuzz"
[ -x "$binary" ] || { echo "run.sh: the fuzz build failed" >&2; exit 2; }
echo "fuzz build: $(( $(date +%s) - started ))s"

if [ "$target" = all ]; then
    targets=$(ls Tests/Fuzz/Corpus)
else
    targets=$target
fi

mkdir -p "$scratch/crashes" "$scratch/logs"
failed=0
for name in $targets; do
    corpus="$scratch/corpus/$name"
    mkdir -p "$corpus"
    log="$scratch/logs/$name.log"
    status=0
    # No Swift backtracer (it would hold the crashed process), no leak checks (the runtime's
    # caches look like leaks at exit).
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:handle_abort=1 \
        "$binary" "$name" "$corpus" "Tests/Fuzz/Corpus/$name" -max_total_time="$seconds" -runs="$runs" -timeout=20 \
        -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 -artifact_prefix="$scratch/crashes/$name-" \
        >"$log" 2>&1 || status=$?
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    if [ "$status" -ne 0 ]; then
        failed=1
        artifact=$(grep -o "Test unit written to .*" "$log" | sed 's/Test unit written to //' | tail -1)
        echo "$name: CRASH after ${executions} executions: ${artifact:-see $log}"
        grep -m3 -E "ERROR|Fatal error|SUMMARY" "$log" | sed 's/^/    /' || true
    else
        took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' || echo "$seconds")
        echo "$name: ${executions} executions in ${took}s, 0 crashes"
    fi
done
exit $failed
