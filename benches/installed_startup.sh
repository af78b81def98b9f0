#!/usr/bin/env bash
# Start-up of an installed mqscope under Xvfb, as a user starting it from the menu would wait:
# RUNS runs (10 by default), each with an empty home (no profiles, no saved window state), so
# the connection manager opens. Per run it prints
#   exec: from starting the process until its first frame is drawn (the "first frame drawn"
#         log line's own timestamp, less the time the process was started), loading included;
#   app:  what the app logs on that line, main() until the first frame.
# then the medians. Usage: benches/installed_startup.sh [BINARY] (default /usr/bin/mqscope).
# Needs Xvfb. See BENCHMARKS.md.
set -euo pipefail
bin=${1:-/usr/bin/mqscope}
runs=${RUNS:-10}
[ -x "$bin" ] || { echo "no mqscope at $bin (install the package, or name the binary)" >&2; exit 2; }
command -v Xvfb >/dev/null || { echo "needs Xvfb (apt-get install xvfb)" >&2; exit 2; }
display=":$((400 + RANDOM % 400))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=""
work=$(mktemp -d)
cleanup() {
  [ -z "$app" ] || kill "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
sleep 1
exec_ms=() app_ms=()
for run in $(seq "$runs"); do
  home="$work/home$run"
  mkdir -p "$home"
  log="$home/log"
  started=$(date +%s%N)
  DISPLAY=$display HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share \
    XDG_CACHE_HOME=$home/.cache XDG_RUNTIME_DIR=$home RUST_LOG=mqscope=info "$bin" 2>"$log" &
  app=$!
  line=""
  for _ in $(seq 200); do
    line=$(grep -m1 'first frame drawn' "$log" 2>/dev/null || true)
    [ -z "$line" ] || break
    sleep 0.05
  done
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  app=""
  [ -n "$line" ] || { echo "run $run: no first frame within 10 s; the log:" >&2; cat "$log" >&2; exit 1; }
  # The line starts with its RFC 3339 time stamp; ANSI colours are off when stderr is a file.
  stamp=$(date -d "$(cut -d' ' -f1 <<<"$line")" +%s%N)
  e=$(((stamp - started) / 1000000))
  a=$(sed -n 's/.*ms=\([0-9]*\).*/\1/p' <<<"$line")
  exec_ms+=("$e") app_ms+=("$a")
  echo "run $run: exec ${e} ms, app ${a} ms"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
range() { printf '%s\n' "$@" | sort -n | sed -n '1p;$p' | paste -sd- -; }
echo "median of $runs: exec $(median "${exec_ms[@]}") ms ($(range "${exec_ms[@]}")), app $(median "${app_ms[@]}") ms ($(range "${app_ms[@]}"))"
