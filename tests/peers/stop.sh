#!/usr/bin/env bash
# Stops what start.sh started, by PID, with everything those processes started (the D-Bus
# daemon's keyring, node's workers). Usage: stop.sh RUN_DIR
run="$1"
[ -f "$run/pids" ] || exit 0
# shellcheck source=tests/procs.sh
. "$(dirname "${BASH_SOURCE[0]}")/../procs.sh"
# shellcheck disable=SC2046
stop_tree $(cat "$run/pids")
: > "$run/pids"
exit 0
