#!/usr/bin/env bash
# The instruction-count regression gate (issue 17): runs each hot path of `ticktop-bench count`
# on its fixed input under valgrind's callgrind, counts the instructions executed inside the
# path's function only, and compares them with the committed baseline. Fails (exit 1) when a
# path grew by more than the tolerance (10%); prints every count next to its baseline.
#
#   Tests/Bench/instruction-gate.sh [--config debug|release] [--tolerance 10] [--update] [--binary PATH] [--only PATH]
#
# `--config` picks the binary (.build/CONFIG/ticktop-bench, build it first) and the baseline
# (Tests/Bench/instruction-baseline-CONFIG.txt); `--update` rewrites that baseline from this run
# (after a deliberate change; commit it with the change and say why). Counts are stable for a
# given binary and toolchain: inputs are fixed, SWIFT_DETERMINISTIC_HASHING=1 fixes the hash
# seeds, and callgrind runs the threads one at a time. valgrind 3.19 cannot read the DWARF 5
# debug info Swift emits ("Possibly corrupted debuginfo file"), so the gate runs a copy of the
# binary with the debug info stripped (the symbol table, which names the functions, stays).
set -euo pipefail
cd "$(dirname "$0")/../.."

config=release tolerance=10 update=false binary="" only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --config) config=$2; shift 2 ;;
        --tolerance) tolerance=$2; shift 2 ;;
        --update) update=true; shift ;;
        --binary) binary=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        *) echo "usage: $0 [--config debug|release] [--tolerance PERCENT] [--update] [--binary PATH] [--only PATH]" >&2; exit 64 ;;
    esac
done
case "$config" in debug | release) ;; *) echo "--config must be debug or release, got '$config'" >&2; exit 64 ;; esac
binary=${binary:-.build/$config/ticktop-bench}
baseline=Tests/Bench/instruction-baseline-$config.txt
[ -x "$binary" ] || { echo "no executable at $binary (build it: swift build -c $config --product ticktop-bench)" >&2; exit 1; }
for tool in valgrind objcopy; do
    command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install valgrind binutils)" >&2; exit 1; }
done

# The function each path is counted in (callgrind --toggle-collect: on at its entry, off at its
# exit; the pattern must match that function only, not the closures inside it).
declare -A counted=(
    [decode]='$s13ticktop_bench16InstructionPathsO11countDecode*FZ'
    [validate]='$s13ticktop_bench16InstructionPathsO13countValidate*GFZ'
    [apply]='$s9Collector11MarketStateC5apply8accepted9anomalies6health*OGtF'
    [render]='$s13ticktop_bench16InstructionPathsO11countRender*FZ'
    [write]='$s13ticktop_bench16InstructionPathsO10countWrite*KFZ'
)
paths=(decode validate apply render write)
if [ -n "$only" ]; then
    [ -n "${counted[$only]:-}" ] || { echo "--only takes one of: ${paths[*]}" >&2; exit 64; }
    $update && { echo "--update rewrites every path: not with --only" >&2; exit 64; }
    paths=("$only")
fi

scratch=$(mktemp -d /tmp/ticktop-gate.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
objcopy --strip-debug "$binary" "$scratch/ticktop-bench"

declare -A now
for path in "${paths[@]}"; do
    if ! SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --collect-atstart=no \
        --toggle-collect="${counted[$path]}" --callgrind-out-file="$scratch/$path.out" \
        "$scratch/ticktop-bench" count "$path" >"$scratch/$path.log" 2>&1; then
        echo "FAIL: ticktop-bench count $path failed under valgrind:" >&2
        tail -20 "$scratch/$path.log" >&2
        exit 1
    fi
    count=$(sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' "$scratch/$path.log")
    if [ -z "$count" ] || [ "$count" -eq 0 ]; then
        echo "FAIL: no instructions counted for $path: no function matches ${counted[$path]} (renamed? inlined?)" >&2
        exit 1
    fi
    now[$path]=$count
done

if $update; then
    {
        echo "# Instructions per hot path (Tests/Bench/instruction-gate.sh --config $config --update), $(swift --version 2>/dev/null | head -1)"
        for path in "${paths[@]}"; do echo "$path ${now[$path]}"; done
    } >"$baseline"
    echo "wrote $baseline"
fi

[ -f "$baseline" ] || { echo "FAIL: no baseline at $baseline (make one with --update)" >&2; exit 1; }
failed=0
printf "%-9s %15s %15s %7s\n" path baseline now ratio
for path in "${paths[@]}"; do
    before=$(awk -v p="$path" '$1 == p { print $2 }' "$baseline")
    if [ -z "$before" ]; then
        echo "FAIL: $path has no line in $baseline" >&2
        failed=1
        continue
    fi
    verdict=$(awk -v b="$before" -v n="${now[$path]}" -v t="$tolerance" 'BEGIN {
        r = n / b
        printf "%.3f", r
        if (r > 1 + t / 100) printf " FAIL: more than %s%% over the baseline", t
        else if (r < 1 - t / 100) printf " (more than %s%% under: update the baseline?)", t
    }')
    printf "%-9s %15s %15s %s\n" "$path" "$before" "${now[$path]}" "$verdict"
    case "$verdict" in *FAIL*) failed=1 ;; esac
done
exit $failed
