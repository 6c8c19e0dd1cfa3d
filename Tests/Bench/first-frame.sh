#!/usr/bin/env bash
# Time to the live board's first frame on a big database (issue 17's "fast start"): fills a
# fresh SQLite database with --bars bars (default 1,000,000: minute bars ending now for the
# watched symbols plus 400 daily bars each) and a latest quote per symbol, then starts the real `ticktop` board under tmux
# and prints how long the first frame took and how many symbols it showed with a value, from
# the board's log line "first frame drawn after N ms, K of M symbols with a value" (timed from
# the start of the command), and from exec (dynamic loading included, from the log's clock).
#
#   Tests/Bench/first-frame.sh [--bars 1000000] [--symbols 50] [--runs 3] [--binary .build/release/ticktop]
set -euo pipefail
cd "$(dirname "$0")/../.."

bars=1000000 symbols=50 runs=3 binary=.build/release/ticktop
while [ $# -gt 0 ]; do
    case "$1" in
        --bars) bars=$2; shift 2 ;;
        --symbols) symbols=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --binary) binary=$2; shift 2 ;;
        *) echo "usage: $0 [--bars N] [--symbols N] [--runs N] [--binary PATH]" >&2; exit 64 ;;
    esac
done
[ -x "$binary" ] || { echo "no executable at $binary (build it: swift build -c release --product ticktop)" >&2; exit 1; }
for tool in tmux python3; do command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }; done
binary=$(realpath "$binary")

home=$(mktemp -d /tmp/ticktop-first-frame.XXXXXX)
session="first-frame-$$"
cleanup() {
    tmux kill-session -t "$session" 2>/dev/null || true
    rm -rf "$home"
}
trap cleanup EXIT
export HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_STATE_HOME=$home/state
database=$home/data/ticktop/ticktop.sqlite

# The schema comes from ticktop itself (a one-shot --once with no backfill creates and migrates
# the database); the rows from Python's sqlite3, in one transaction.
python3 - "$symbols" "$home" <<'PY'
import os, sys
count, home = int(sys.argv[1]), sys.argv[2]
def name(i):
    s = ""
    while True:
        s = chr(65 + i % 26) + s
        i = i // 26
        if i == 0: return "S" + s
        i -= 1
names = ", ".join('"%s"' % name(i) for i in range(count))
os.makedirs(home + "/config/ticktop", exist_ok=True)
for file, backfill in (("config.toml", ""), ("seed.toml", "[collect]\nbackfill_daily_days = 0\nbackfill_minute_days = 0\n")):
    with open(home + "/config/ticktop/" + file, "w") as f:
        f.write('[general]\nwatchlist = "bench"\nlog_file = "%s/ticktop.log"\n[watchlists]\nbench = [%s]\n%s' % (home, names, backfill))
PY
"$binary" --config "$home/config/ticktop/seed.toml" --once --deadline 1 >/dev/null 2>&1 || true
[ -f "$database" ] || { echo "ticktop did not create $database; its log:" >&2; cat "$home/ticktop.log" >&2; exit 1; }
python3 - "$database" "$symbols" "$bars" <<'PY'
import sqlite3, sys, time
path, count, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def name(i):
    s = ""
    while True:
        s = chr(65 + i % 26) + s
        i = i // 26
        if i == 0: return "S" + s
        i -= 1
symbols = [name(i) for i in range(count)]
now = int(time.time()) // 60 * 60
daily = min(400, total // count)
minute = (total - daily * count) // count
def rows():
    for s in symbols:
        price = 100.0
        for d in range(daily):
            start = (now // 86400 - daily + d) * 86400
            yield (s, "1Day", "sim", start * 10**9, price, price + 1, price - 1, price + 0.5, 1e6, price, 1000, now * 10**9)
        for m in range(minute):
            start = now - (minute - m) * 60
            p = price + (m % 50) * 0.01
            yield (s, "1Min", "sim", start * 10**9, p, p + 0.02, p - 0.02, p + 0.01, 1000.0, p, 10, now * 10**9)
db = sqlite3.connect(path)
db.execute("PRAGMA synchronous = NORMAL")
with db:
    db.executemany("INSERT OR REPLACE INTO bars (symbol, timeframe, source, start, open, high, low, close, volume, vwap, "
                   "trade_count, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows())
    # What the last run left as each symbol's latest quote (the first frame shows these).
    db.executemany("INSERT OR REPLACE INTO latest_quotes (symbol, source, bid, bid_size, ask, ask_size, last, exchange_time, "
                   "received_at, previous_close, day_volume) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                   [(s, "sim", 100.49, 100, 100.51, 200, 100.5, (now - 60) * 10**9, (now - 60) * 10**9, 100.0, 1e6)
                    for s in symbols])
stored = db.execute("SELECT count(*) FROM bars").fetchone()[0]
db.close()
print("database: %d bars (%d symbols: %d minute bars and %d daily bars each)" % (stored, count, minute, daily))
PY
ls -l "$database" | awk '{ printf "database file: %.0f MB\n", $5 / 1048576 }'

for ((run = 1; run <= runs; run++)); do
    : >"$home/ticktop.log"
    tmux new-session -d -s "$session" -x 200 -y 60 \
        "date +%s%N >$home/exec-ns; exec env TERM=xterm-256color LANG=C.UTF-8 $binary"
    line=""
    for _ in $(seq 300); do
        line=$(grep -m1 "first frame drawn after" "$home/ticktop.log" || true)
        [ -n "$line" ] && break
        sleep 0.1
    done
    tmux send-keys -t "$session" q
    for _ in $(seq 100); do tmux has-session -t "$session" 2>/dev/null || break; sleep 0.1; done
    tmux kill-session -t "$session" 2>/dev/null || true
    [ -n "$line" ] || { echo "no first frame within 30 s; the log:" >&2; cat "$home/ticktop.log" >&2; exit 1; }
    drawn_ns=$(date -d "${line%% *}" +%s%N)
    exec_ns=$(cat "$home/exec-ns")
    echo "run $run: ${line#*first frame drawn after } (from the command's start); $(((drawn_ns - exec_ns) / 1000000)) ms from exec"
done
