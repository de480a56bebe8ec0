#!/usr/bin/env bash
# First paint against a same-machine reference: launches, in turn, an empty Tauri 2 window
# (tests/bench/empty-tauri, the same release profile, as it comes and with accelerated
# compositing off as PoolPass runs it) and PoolPass on the demo, ROUNDS times (default 6), in
# one private X display with pauses between launches, and prints each one's time from launch to
# its page's second animation frame (and to main). Numbers only, no assertions; not part of the
# test command (two cold release builds take ~20 minutes). Everything it starts is stopped by
# PID when it ends.
# Usage: scripts/bench-first-paint.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/e2e/lib.sh
. tests/e2e/lib.sh
rounds="${1:-6}"
pause=3

bash tests/peers/install.sh
build_release

bench_world "$(mktemp -d "${TMPDIR:-/tmp}/poolpass-bench-paint.XXXXXX")"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
declare -A paints mains
# launch NAME APP [VAR=VALUE...]: one launch; its first paint and main, from the launch.
launch() {
  local name="$1" app="$2" t0 at main
  shift 2
  t0=$(now_ms)
  env -u WEBKIT_DISABLE_COMPOSITING_MODE "${sandbox_env[@]}" POOLPASS_TIMING=1 "$@" "$app" > "$work/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 300); do grep -q "first paint" "$work/app.log" && break; sleep 0.05; done
  at=$(sed -n 's/.*first paint after [0-9]* ms (unix_ms \([0-9]*\)).*/\1/p' "$work/app.log" | head -n 1)
  main=$(sed -n 's/.*timing main (unix_ms \([0-9]*\)).*/\1/p' "$work/app.log" | head -n 1)
  paints[$name]+="${at:+$((at - t0))} "
  mains[$name]+="${main:+$((main - t0))} "
  sleep "$pause"
  stop_tree "$app_pid"; app_pid=""
  stop_sandboxed "$work"
  sleep "$pause"
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
  if (!NR) { print "-"; exit } m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "%s ms (%s-%s)", m, v[1], v[NR] }'; }

echo "== $rounds rounds, each: empty window, empty window without compositing, PoolPass"
for i in $(seq 1 "$rounds"); do
  launch "empty Tauri window" "$empty"
  launch "empty, no compositing" "$empty" WEBKIT_DISABLE_COMPOSITING_MODE=1
  launch "PoolPass (demo)" "$app"
  echo "round $i done"
done

echo
echo "== first paint from launch (median, range over $rounds launches; load $(cut -d ' ' -f 1 /proc/loadavg))"
for name in "empty Tauri window" "empty, no compositing" "PoolPass (demo)"; do
  # shellcheck disable=SC2086
  printf '%-24s first paint %-24s main %s\n' "$name" "$(median ${paints[$name]})" "$(median ${mains[$name]})"
done
