#!/usr/bin/env bash
# Tests/Fuzz/run.sh TARGET|all [SECONDS [RUNS]]
#
# Builds ticktop-fuzz with libFuzzer and AddressSanitizer (release, in its own scratch path
# .build-fuzz, so the normal .build is untouched) and fuzzes TARGET, or every target, for
# SECONDS each (default 60; with RUNS, until RUNS executions or SECONDS, whichever comes first), starting from the seeds in Tests/Fuzz/Corpus/TARGET. New inputs
# go to .build-fuzz/corpus/TARGET (kept between runs), crashing ones to .build-fuzz/crashes/.
# Prints executions and crashes per target; exits 1 when any target crashed.
# A crash is replayed with: .build-fuzz/release/ticktop-fuzz TARGET CRASH-FILE
#
# FUZZ_JOBS=N fuzzes N targets at a time (default 1). Throughput: each target has a maximum
# input length its format needs (below), and ASan keeps no allocation stacks while fuzzing
# (replaying a crash with the binary above, without ASAN_OPTIONS, reports them in full).
#
# FUZZ_TIMEOUT=S: an input running longer than S seconds of wall time counts as a hang (default
# 20). libFuzzer measures wall time, so a campaign at nice 19 beside builds may need more: one
# input that runs in 8 ms alone was reported after 26 s while the machine's load was 10.
set -euo pipefail
cd "$(dirname "$0")/../.."

case "${FUZZ_TIMEOUT:-20}" in '' | *[!0-9]* | 0) echo "run.sh: FUZZ_TIMEOUT must be a whole number of seconds above 0, got '$FUZZ_TIMEOUT'" >&2; exit 64 ;; esac
target=${1:?usage: Tests/Fuzz/run.sh TARGET|all [SECONDS]}
seconds=${2:-60}
runs=${3:--1}
scratch=${FUZZ_SCRATCH:-.build-fuzz}
export PATH="$PATH:/opt/swift/usr/bin"

runtime="$(dirname "$(readlink -f "$(command -v swiftc)")")/../lib/swift/clang/lib/linux"
fuzzer="$runtime/libclang_rt.fuzzer_no_main-$(uname -m).a"
[ -f "$fuzzer" ] || { echo "run.sh: libFuzzer not found at $fuzzer" >&2; exit 2; }

started=$(date +%s)
# Coverage for ticktop's own modules only (Package.swift reads TICKTOP_FUZZ_COVERAGE); every
# module gets AddressSanitizer.
TICKTOP_FUZZ_COVERAGE=1 swift build --scratch-path "$scratch" -c release --product ticktop-fuzz \
    -Xswiftc -sanitize=address -Xswiftc -DTICKTOP_FUZZ -Xlinker "$fuzzer" -Xlinker -lstdc++ 2>&1 | grep -E "error|warning: .*ticktop|Compiling ticktop|Build complete" || true
binary="$scratch/release/ticktop-fuzz"
[ -x "$binary" ] || { echo "run.sh: the fuzz build failed" >&2; exit 2; }
echo "fuzz build: $(( $(date +%s) - started ))s"

if [ "$target" = all ]; then
    targets=$(ls Tests/Fuzz/Corpus)
else
    targets=$target
fi

# The longest input worth mutating per target: a few times the largest seed, so structure can
# grow, without spending executions on megabytes no format needs.
max_len() {
    case $1 in
        symbol) echo 256 ;;
        duration | date) echo 64 ;;
        config) echo 8192 ;;
        *) echo 4096 ;;
    esac
}

# The memory a target may use. TOMLKit (config, theme, watchlist) leaks about 0.6 KB per parse
# (the parse error it allocates and never frees, and every key list: `tableGetKeys` strdup's the
# keys, the Swift side never frees them): harmless in ticktop, which reads each file once, but a
# fuzzer's 10 million parses grow by about 6 GB, and the 2 GB default stops them as "out of memory"
# at about 3.6 million.
rss_limit() {
    case $1 in
        config | theme | watchlist) echo 10240 ;;
        *) echo 2048 ;;
    esac
}

# Fuzzes one target; prints its line and writes it to logs/TARGET.result.
fuzz_one() {
    local name=$1 corpus="$scratch/corpus/$1" log="$scratch/logs/$1.log" status=0 line
    mkdir -p "$corpus"
    # No Swift backtracer (it would hold the crashed process), no leak checks (the runtime's
    # caches look like leaks at exit), no allocation stacks (recording them cost a tenth).
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:handle_abort=1:malloc_context_size=0 \
        "$binary" "$name" "$corpus" "Tests/Fuzz/Corpus/$name" -max_total_time="$seconds" -runs="$runs" -timeout="${FUZZ_TIMEOUT:-20}" \
        -rss_limit_mb="$(rss_limit "$name")" -max_len="$(max_len "$name")" -print_final_stats=1 -artifact_prefix="$scratch/crashes/$name-" \
        >"$log" 2>&1 || status=$?
    local executions rate
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    if [ "$status" -ne 0 ]; then
        local artifact
        artifact=$(grep -o "Test unit written to .*" "$log" | sed 's/Test unit written to //' | tail -1)
        line="$name: CRASH after ${executions} executions: ${artifact:-see $log}"
        line+=$'\n'"$(grep -m3 -E "ERROR|Fatal error|SUMMARY" "$log" | sed 's/^/    /' || true)"
    else
        local took
        took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' || echo "$seconds")
        line="$name: ${executions} executions in ${took}s (${rate}/s), 0 crashes"
    fi
    echo "$line" | tee "$scratch/logs/$name.result"
}

mkdir -p "$scratch/crashes" "$scratch/logs"
jobs=${FUZZ_JOBS:-1}
for name in $targets; do
    rm -f "$scratch/logs/$name.result"
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    fuzz_one "$name" &
done
wait
failed=0
for name in $targets; do
    grep -q CRASH "$scratch/logs/$name.result" 2>/dev/null && failed=1
    [ -f "$scratch/logs/$name.result" ] || failed=1
done
exit $failed
