# Shell helpers shared by the desktop end-to-end test (tests/e2e/run.sh) and the desktop
# benchmark (scripts/bench-desktop.sh): a private X display, and process trees found through
# /proc (the app's WebKit processes, WebKitWebDriver's app) to measure or to stop by PID.
# Source it; it sets no shell options of its own.

# start_xvfb DIR: starts Xvfb on the first free display, exports DISPLAY, sets XVFB_PID.
start_xvfb() {
  local dir="$1"
  : > "$dir/xvfb-display"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$dir/xvfb-display" >"$dir/xvfb.log" 2>&1 &
  XVFB_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$dir/xvfb-display" ] && break
    sleep 0.05
  done
  [ -s "$dir/xvfb-display" ] || { echo "Xvfb did not start; its log:" >&2; cat "$dir/xvfb.log" >&2; return 1; }
  DISPLAY=":$(head -n 1 "$dir/xvfb-display")"
  export DISPLAY
}

# shellcheck source=tests/procs.sh
. "$(dirname "${BASH_SOURCE[0]}")/../procs.sh"

# pss_kb PID: the process's proportional set size in kB (0 when it is gone).
pss_kb() {
  local kb
  kb=$(awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null)
  echo "${kb:-0}"
}

# poolpass_pids CONFIG: the PoolPass processes (window or tray program) whose POOLPASS_CONFIG is
# CONFIG.
poolpass_pids() {
  local p
  for p in $(pgrep '^poolpass-' || true); do
    tr '\0' '\n' 2>/dev/null < "/proc/$p/environ" | grep -qxF "POOLPASS_CONFIG=$1" && echo "$p"
  done
  return 0
}

# stop_sandboxed DIR: every PoolPass process of the sandbox DIR (see make_sandbox). The tray
# program, and a window it opened, outlive the process tree that started them.
stop_sandboxed() {
  local pids
  read -r -a pids <<< "$(poolpass_pids "$1/poolpass.toml" | tr '\n' ' ')"
  ((${#pids[@]})) && stop_tree "${pids[@]}"
  return 0
}

# bench_world DIR: what the benchmarks launch the app in, in DIR: the peers (their env
# loaded), the sandbox (sandbox_env) and a private display. All of it, the app whose PID the
# script keeps in app_pid, and the sandbox's PoolPass processes are stopped, and DIR removed,
# when the script exits.
bench_world() {
  work="$1" app_pid="" XVFB_PID=""
  trap bench_world_end EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  bash "$(dirname "${BASH_SOURCE[0]}")/../peers/start.sh" "$work/peers"
  set -a
  # shellcheck disable=SC1091
  . "$work/peers/env"
  set +a
  make_sandbox "$work"
  start_xvfb "$work"
}

bench_world_end() {
  trap - EXIT INT TERM
  [ -n "$app_pid" ] && stop_tree "$app_pid"
  stop_sandboxed "$work"
  [ -n "$XVFB_PID" ] && stop_tree "$XVFB_PID"
  bash "$(dirname "${BASH_SOURCE[0]}")/../peers/stop.sh" "$work/peers"
  wait 2>/dev/null || true
  rm -rf "$work"
}

# free_port: a TCP port free on 127.0.0.1 right now.
free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# make_sandbox DIR: the app's private world (HOME, XDG folders, AWS files, the demo
# configuration pointed at the running peers) and, in the array `sandbox_env`, the variables
# that put the app in it. No accessibility bus: GTK and WebKit would otherwise have the peers'
# session bus start at-spi-bus-launcher, which outlives the run.
make_sandbox() {
  local dir="$1"
  mkdir -p "$dir"/{aws,state,config,data,cache,home,runtime}
  chmod 700 "$dir/runtime"
  bash "$(dirname "${BASH_SOURCE[0]}")/../peers/demo-config.sh" "$dir/poolpass.toml"
  sandbox_env=(
    HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data"
    XDG_CACHE_HOME="$dir/cache" XDG_STATE_HOME="$dir/state" XDG_RUNTIME_DIR="$dir/runtime"
    POOLPASS_CONFIG="$dir/poolpass.toml"
    AWS_SHARED_CREDENTIALS_FILE="$dir/aws/credentials" AWS_CONFIG_FILE="$dir/aws/config"
    NO_AT_BRIDGE=1 GTK_A11Y=none WEBKIT_A11Y_BUS_ADDRESS=
  )
}

# build_release: the release programs the benchmarks launch: the front end, PoolPass's window
# and tray programs, and the reference window (tests/bench/empty-tauri: an empty Tauri 2 window
# with the same release profile, in its own workspace and target folder). Sets `app` and
# `empty` to their paths. A cold build of both takes ~10 minutes here.
build_release() {
  local repo target
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  echo "== release builds (PoolPass, and the empty reference window)"
  (cd "$repo/ui" && npm run --silent build)
  (cd "$repo" && cargo build --release -p poolpass-desktop -p poolpass-tray --locked)
  (cd "$repo/tests/bench/empty-tauri" && CARGO_TARGET_DIR="$repo/tests/bench/empty-tauri/target" cargo build --release --locked)
  target="${CARGO_TARGET_DIR:-$repo/target}"
  [[ "$target" = /* ]] || target="$repo/$target"
  app="$target/release/poolpass-desktop"
  empty="$repo/tests/bench/empty-tauri/target/release/empty-tauri"
}
