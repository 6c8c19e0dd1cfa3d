#!/usr/bin/env bash
# The live board's footprint: starts the real `ticktop` board under tmux (a 200x60 terminal,
# a fresh temporary HOME, SQLite store, the simulated market on N symbols), waits for the
# start-up backfill to finish and lets it settle, then prints its memory (VmRSS at the end, VmHWM = peak) and CPU (utime+stime over the
# measured window, % of one core) from /proc. No timing happens in any test: this is the
# figure-printing benchmark for the "light board" goals of issue 17.
#
#   Tests/Bench/board-footprint.sh [--symbols 50] [--tick 250ms] [--settle 10] [--seconds 60]
#                            [--binary .build/release/ticktop]
#
# Quotes per second are about symbols / tick (200 symbols at 50ms = 4,000 quotes/s).
set -euo pipefail
cd "$(dirname "$0")/../.."

symbols=50 tick=250ms settle=10 seconds=60 binary=.build/release/ticktop
while [ $# -gt 0 ]; do
    case "$1" in
        --symbols) symbols=$2; shift 2 ;;
        --tick) tick=$2; shift 2 ;;
        --settle) settle=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --binary) binary=$2; shift 2 ;;
        *) echo "usage: $0 [--symbols N] [--tick DURATION] [--settle S] [--seconds S] [--binary PATH]" >&2; exit 64 ;;
    esac
done
[ -x "$binary" ] || { echo "no executable at $binary (build it: swift build -c release --product ticktop)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 1; }
binary=$(realpath "$binary")

home=$(mktemp -d /tmp/ticktop-footprint.XXXXXX)
session="footprint-$$"
cleanup() {
    tmux kill-session -t "$session" 2>/dev/null || true
    rm -rf "$home"
}
trap cleanup EXIT

# N distinct valid symbols: SA, SB, ..., SAA, ...
list=""
for ((i = 0; i < symbols; i++)); do
    name="" n=$i
    while :; do
        name=$(printf "\\$(printf '%03o' $((65 + n % 26)))")$name
        n=$((n / 26))
        [ $n -eq 0 ] && break
        n=$((n - 1))
    done
    list+="\"S$name\", "
done
mkdir -p "$home/config/ticktop"
cat >"$home/config/ticktop/config.toml" <<TOML
[general]
watchlist = "bench"
log_file = "$home/ticktop.log"
[watchlists]
bench = [${list%, }]
[sources.sim]
kind = "simulated"
tick_interval = "$tick"
TOML

tmux new-session -d -s "$session" -x 200 -y 60 \
    "env HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_STATE_HOME=$home/state TERM=xterm-256color LANG=C.UTF-8 ${TICKTOP_FOOTPRINT_ENV:-} $binary"
pid=$(tmux list-panes -t "$session" -F '#{pane_pid}')
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
status_kb() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$pid/status"; }

# The start-up backfill first (the log says when it finished; at most 10 minutes), then --settle.
for _ in $(seq 600); do
    grep -q "backfill finished" "$home/ticktop.log" 2>/dev/null && break
    [ -d "/proc/$pid" ] || break
    sleep 1
done
sleep "$settle"
[ -d "/proc/$pid" ] || { echo "ticktop exited during start-up; its log:" >&2; cat "$home/ticktop.log" >&2 || true; exit 1; }
grep -q "backfill finished" "$home/ticktop.log" || echo "note: the start-up backfill had not finished after 10 minutes" >&2
start_ticks=$(cpu_ticks)
start_ns=$(date +%s%N)
max_rss=0
for ((s = 0; s < seconds; s++)); do
    sleep 1
    rss=$(status_kb VmRSS)
    [ "$rss" -gt "$max_rss" ] && max_rss=$rss
done
end_ticks=$(cpu_ticks)
end_ns=$(date +%s%N)
rss=$(status_kb VmRSS)
hwm=$(status_kb VmHWM)
threads=$(status_kb Threads)
tmux send-keys -t "$session" q
for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done

awk -v symbols="$symbols" -v tick="$tick" -v rss="$rss" -v max="$max_rss" -v hwm="$hwm" -v threads="$threads" \
    -v cpu="$((end_ticks - start_ticks))" -v hz="$ticks" -v ns="$((end_ns - start_ns))" -v seconds="$seconds" 'BEGIN {
    printf "board %d symbols, tick %s: RSS %.1f MB at the end (max %.1f MB over %d s), peak VmHWM %.1f MB, CPU %.2f%% of a core, %d threads\n",
        symbols, tick, rss / 1024, max / 1024, seconds, hwm / 1024, 100 * (cpu / hz) / (ns / 1e9), threads
    printf "{\"symbols\":%d,\"tick\":\"%s\",\"rss_mb\":%.1f,\"max_rss_mb\":%.1f,\"hwm_mb\":%.1f,\"cpu_percent\":%.2f,\"threads\":%d}\n",
        symbols, tick, rss / 1024, max / 1024, hwm / 1024, 100 * (cpu / hz) / (ns / 1e9), threads
}'
