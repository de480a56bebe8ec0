#!/usr/bin/env bash
# The desktop app's end-to-end test: the built debug app in a private X display (Xvfb),
# driven over WebDriver (tauri-driver in front of WebKitWebDriver) by app.test.mjs, against the
# running peers, with a scripted Chromium as the user's browser. The app gets a sandbox (demo
# configuration, AWS files, state, HOME); screenshots and logs go to the artifacts folder
# (kept after the run). Everything it starts is stopped by PID, on success, failure or Ctrl-C.
#
# Usage: tests/e2e/run.sh [PEERS_RUN_DIR]
#   with the peers' env loaded (scripts/test.sh does it), or given the run folder of
#   `tests/peers/start.sh PEERS_RUN_DIR`.
# Environment: POOLPASS_E2E_APP (default: TARGET/debug/poolpass-desktop),
#   POOLPASS_E2E_ARTIFACTS (default: target/e2e-artifacts of this checkout), CARGO_TARGET_DIR.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/tests/e2e"
# shellcheck source=tests/e2e/lib.sh
. "$here/lib.sh"
started=$(date +%s)

if [ $# -ge 1 ]; then
  set -a
  # shellcheck disable=SC1091
  . "$1/env"
  set +a
fi
if [ -z "${POOLPASS_TEST_RUN:-}" ]; then
  echo "The peers are not running (POOLPASS_TEST_RUN is unset). Start them and pass their folder:" >&2
  echo "  bash tests/peers/start.sh /tmp/e2e-run && bash tests/e2e/run.sh /tmp/e2e-run; bash tests/peers/stop.sh /tmp/e2e-run" >&2
  exit 2
fi

target="${CARGO_TARGET_DIR:-$repo/target}"
[[ "$target" = /* ]] || target="$PWD/$target"
app="${POOLPASS_E2E_APP:-$target/debug/poolpass-desktop}"
if [ ! -x "$app" ] || [ ! -x "$(dirname "$app")/poolpass-tray" ]; then
  echo "No app at $app, or no poolpass-tray beside it: build them first:" >&2
  echo "  (cd ui && npm run build) && cargo build -p poolpass-desktop -p poolpass-tray" >&2
  exit 2
fi
driver=$(command -v tauri-driver || echo "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver")
[ -x "$driver" ] || { echo "tauri-driver is missing: bash tests/peers/install.sh installs it" >&2; exit 2; }

# In this checkout's target/ even when CARGO_TARGET_DIR is shared: worktrees never mix them.
artifacts="${POOLPASS_E2E_ARTIFACTS:-$repo/target/e2e-artifacts}"
rm -rf "$artifacts"
mkdir -p "$artifacts/browser"
sandbox=$(mktemp -d "${TMPDIR:-/tmp}/poolpass-e2e.XXXXXX")
driver_pid=""
XVFB_PID=""
dunst_pid=""

finish() {
  local status=$?
  trap - EXIT INT TERM
  # tauri-driver's tree: WebKitWebDriver, the app, its WebKit processes, the browser it opened.
  [ -n "$driver_pid" ] && stop_tree "$driver_pid"
  stop_sandboxed "$sandbox"
  [ -n "$dunst_pid" ] && stop_tree "$dunst_pid"
  [ -n "$XVFB_PID" ] && stop_tree "$XVFB_PID"
  wait 2>/dev/null || true
  if [ "$status" = 0 ]; then
    rm -rf "$sandbox"
  else
    echo "e2e: FAILED (exit $status); the app's sandbox is kept in $sandbox"
    if [ -s "$artifacts/driver.log" ]; then
      echo "--- tauri-driver / WebKitWebDriver log, last lines ($artifacts/driver.log)"
      tail -n 15 "$artifacts/driver.log"
    fi
  fi
  echo "e2e: artifacts in $artifacts ($(ls "$artifacts"/*.png 2>/dev/null | wc -l) screenshots), $(($(date +%s) - started)) s"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The sandbox: the app and its browser never see the user's AWS files, state or HOME.
make_sandbox "$sandbox"
# The app as WebKitWebDriver starts it, with its output kept for the failure report.
cat > "$sandbox/app.sh" <<SH
#!/bin/sh
exec "$app" "\$@" >>"$artifacts/app.log" 2>&1
SH
chmod +x "$sandbox/app.sh"
: > "$artifacts/app.log"

start_xvfb "$sandbox"
# The desktop's notification service, on the peers' session bus: the app's notifications are
# shown as a user would see them, and the steps read them back (dunstctl history) and click
# their buttons (dunstctl context, answered by dunst-menu.sh).
: > "$artifacts/dunst-menu.txt"
# (dunst splits its dmenu command at spaces, which the checkout's path may hold: a wrapper in
# the sandbox, whose path has none.)
printf '#!/bin/sh\nexec "%s" "%s"\n' "$here/dunst-menu.sh" "$artifacts/dunst-menu.txt" > "$sandbox/dunst-menu"
chmod +x "$sandbox/dunst-menu"
printf '[global]\n    dmenu = %s\n' "$sandbox/dunst-menu" > "$sandbox/dunstrc"
dunst -config "$sandbox/dunstrc" > "$artifacts/dunst.log" 2>&1 &
dunst_pid=$!
port=$(free_port)
native_port=$(free_port)
while [ "$native_port" = "$port" ]; do native_port=$(free_port); done

# The app inherits tauri-driver's environment (through WebKitWebDriver): sandbox_env.
env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
  "${sandbox_env[@]}" \
  BROWSER="$POOLPASS_TEST_BROWSER" POOLPASS_TEST_LOGIN=e2e-user \
  POOLPASS_TEST_BROWSER_LOG="$artifacts/browser.log" POOLPASS_TEST_SCREENSHOTS="$artifacts/browser" \
  "$driver" --port "$port" --native-port "$native_port" > "$artifacts/driver.log" 2>&1 &
driver_pid=$!

echo "== desktop end to end: $app on $DISPLAY, tauri-driver :$port"
env "${sandbox_env[@]}" E2E_DRIVER_URL="http://127.0.0.1:$port" E2E_APP="$sandbox/app.sh" \
  E2E_ARTIFACTS="$artifacts" E2E_DUNST_MENU="$artifacts/dunst-menu.txt" E2E_APP_LOG="$artifacts/app.log" E2E_BROWSER_LOG="$artifacts/browser.log" \
  node --test --test-reporter=spec --test-timeout=90000 "$here/app.test.mjs"
