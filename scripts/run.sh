#!/usr/bin/env bash
# Runs the PoolPass desktop app. With a configuration (POOLPASS_CONFIG, or poolpass/config.toml
# in the user's config folder) it opens on it. Without one it runs the local demo: it starts
# the test peers (a Cognito hosted-UI stand-in, moto, a private keyring) and opens the app on
# them, writing to a sandbox AWS folder under .demo/, never the user's. With no display it runs
# the same demo through the command line instead.
set -euo pipefail
cd "$(dirname "$0")/.."
config="${POOLPASS_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/poolpass/config.toml}"

bash tests/peers/install.sh
# The app embeds the built front end.
(cd ui && npm run --silent build)
cargo build --locked --quiet -p poolpass -p poolpass-desktop -p poolpass-tray
app=target/debug/poolpass-desktop
display="${DISPLAY:-}${WAYLAND_DISPLAY:-}"

if [ -f "$config" ]; then
  exec "$app"
fi

echo "No PoolPass configuration at $config: running the local demo."
demo="$PWD/.demo"
rm -rf "$demo" && mkdir -p "$demo"
run="$demo/peers"
# shellcheck source=tests/e2e/lib.sh
. tests/e2e/lib.sh
# The demo's PoolPass (window or tray program) goes with its peers.
trap 'stop_tree $(poolpass_pids "$demo/config.toml"); bash tests/peers/stop.sh "$run"' EXIT
bash tests/peers/start.sh "$run"
set -a
# shellcheck disable=SC1091
. "$run/env"
set +a

bash tests/peers/demo-config.sh "$demo/config.toml"

# Sandboxed: AWS files, PoolPass's state and the keychain are the demo's own.
export POOLPASS_CONFIG="$demo/config.toml"
export AWS_SHARED_CREDENTIALS_FILE="$demo/aws/credentials" AWS_CONFIG_FILE="$demo/aws/config"
export XDG_STATE_HOME="$demo/state"
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN

if [ -n "$display" ]; then
  # Click a sign-in button: the system browser opens the stand-in's page, where any user name
  # and password work (POOLPASS_DEMO_BROWSER=scripted lets a scripted Chromium do it).
  if [ "${POOLPASS_DEMO_BROWSER:-}" = scripted ]; then
    export BROWSER="$POOLPASS_TEST_BROWSER" POOLPASS_TEST_LOGIN=demo-user
  else
    unset BROWSER
  fi
  echo "Opening PoolPass on the local demo. Any user name and password work on the sign-in page."
  "$app"
  # Closing the window leaves PoolPass in the tray (the tray program): the demo, and its peers,
  # last until it is quit there, or until Ctrl+C here.
  if [ -n "$(poolpass_pids "$demo/config.toml")" ]; then
    echo "PoolPass is in the tray now: choose Quit PoolPass in its menu (or press Ctrl+C here) to end the demo."
    while [ -n "$(poolpass_pids "$demo/config.toml")" ]; do sleep 1; done
  fi
  exit 0
fi

echo "No display: the same demo through the command line."
if [ "${POOLPASS_DEMO_BROWSER:-}" = system ]; then
  unset BROWSER
  echo "Your browser will open the stand-in's sign-in page: any user name and password work."
else
  export BROWSER="$POOLPASS_TEST_BROWSER" POOLPASS_TEST_LOGIN=demo-user
  echo "A scripted Chromium plays the user (POOLPASS_DEMO_BROWSER=system to click through yourself)."
fi

echo; echo "\$ poolpass login --provider Google"
target/debug/poolpass login --provider Google
echo; echo "\$ poolpass list"
target/debug/poolpass list
echo; echo "\$ poolpass refresh   (no browser: the refresh token comes from the keychain)"
BROWSER=/bin/false target/debug/poolpass refresh
echo; echo "What botocore (the AWS CLI's engine) now reads for profile poolpass-demo:"
"$POOLPASS_TEST_PYTHON" - <<'PY'
import botocore.session
s = botocore.session.Session(profile="poolpass-demo")
c = s.get_credentials().get_frozen_credentials()
print(f"  access key {c.access_key}, secret ****{c.secret_key[-4:]}, region {s.get_config_variable('region')}")
PY
echo; echo "The sandbox AWS files are in $demo/aws/ (the demo's peers stop now)."
