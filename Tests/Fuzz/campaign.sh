#!/usr/bin/env bash
# Tests/Fuzz/campaign.sh GOAL TARGET...
#
# A long fuzzing campaign that survives being stopped: fuzzes each TARGET (one at a time, or
# FUZZ_JOBS at a time through run.sh) in chunks of at most FUZZ_CHUNK executions (default
# 1,000,000) or FUZZ_CHUNK_SECONDS (default 1800), until the executions of its finished chunks
# add up to GOAL. Every chunk starts from the corpus the earlier ones grew (kept in the scratch
# path), so the chunks are one campaign; a chunk cut short by a stop is not counted, and the
# next campaign resumes from the ledger. Stops at the first crash (run.sh keeps the input).
#
# Ledger: SCRATCH/logs/TARGET.ledger, one line per finished chunk: "EXECUTIONS SECONDS" (where
# SCRATCH is FUZZ_SCRATCH, default .build-fuzz). Prints each target's total.
set -euo pipefail
cd "$(dirname "$0")/../.."

goal=${1:?usage: Tests/Fuzz/campaign.sh GOAL TARGET...}
shift
[ $# -gt 0 ] || { echo "usage: Tests/Fuzz/campaign.sh GOAL TARGET..." >&2; exit 64; }
case "$goal" in '' | *[!0-9]*) echo "campaign.sh: GOAL must be a whole number of executions, got '$goal'" >&2; exit 64 ;; esac
scratch=${FUZZ_SCRATCH:-.build-fuzz}
chunk=${FUZZ_CHUNK:-1000000}
chunk_seconds=${FUZZ_CHUNK_SECONDS:-1800}
mkdir -p "$scratch/logs"

total() { awk '{ n += $1 } END { print n + 0 }' "$scratch/logs/$1.ledger" 2>/dev/null || echo 0; }
seconds() { awk '{ n += $2 } END { print n + 0 }' "$scratch/logs/$1.ledger" 2>/dev/null || echo 0; }

for target in "$@"; do
    while [ "$(total "$target")" -lt "$goal" ]; do
        left=$((goal - $(total "$target")))
        runs=$((left < chunk ? left : chunk))
        status=0
        FUZZ_SCRATCH="$scratch" Tests/Fuzz/run.sh "$target" "$chunk_seconds" "$runs" >/dev/null || status=$?
        result=$(cat "$scratch/logs/$target.result" 2>/dev/null || true)
        if [ "$status" -ne 0 ] || ! [[ "$result" =~ ^$target:\ ([0-9]+)\ executions\ in\ ([0-9]+)s ]]; then
            echo "$target: stopped after $(total "$target") executions in earlier chunks:"
            echo "${result:-run.sh failed with status $status}"
            exit 1
        fi
        echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}" >>"$scratch/logs/$target.ledger"
    done
    executions=$(total "$target") took=$(seconds "$target")
    chunks=$(wc -l <"$scratch/logs/$target.ledger")
    echo "$target: $executions executions in $chunks chunks, ${took}s ($((executions / (took > 0 ? took : 1)))/s), 0 crashes"
done
