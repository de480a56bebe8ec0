#!/usr/bin/env bash
# Stops what start.sh started, by PID. Usage: stop.sh RUN_DIR
run="$1"
[ -f "$run/pids" ] || exit 0
while read -r pid; do
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
done < "$run/pids"
sleep 0.3
while read -r pid; do
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
done < "$run/pids"
: > "$run/pids"
exit 0
