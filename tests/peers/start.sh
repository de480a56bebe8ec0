#!/usr/bin/env bash
# Starts every test peer on 127.0.0.1, each on a free port, and writes RUN_DIR/env (the
# variables tests read) and RUN_DIR/pids (what stop.sh stops):
# - a private D-Bus session with GNOME Keyring unlocked (a real Secret Service, never the
#   user's own keyring),
# - moto's server (Cognito IdP, Cognito Identity, IAM, STS), seeded by aws/seed.py,
# - the recording proxy in front of moto (aws/proxy.py),
# - the hosted-UI stand-in (hosted-ui/server.mjs).
# Usage: start.sh RUN_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
run=$(mkdir -p "$1" && cd "$1" && pwd)
py="$here/.venv/bin/python"
: > "$run/pids"

free_ports() { "$py" - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}
wait_for() { # URL NAME LOG
  for _ in $(seq 1 100); do
    if "$py" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$2 did not start; its log:" >&2; tail -n 30 "$3" >&2; return 1
}

read -r moto_port proxy_port ui_port <<< "$(free_ports 3)"
# Several sign-ins may run at once; each takes the first free redirect port, as the app does.
read -r -a redirect_ports <<< "$(free_ports 12)"

# Keychain: private bus + unlocked GNOME Keyring with its own HOME.
mkdir -p "$run/keyring-home" "$run/xdg-runtime" && chmod 700 "$run/xdg-runtime"
{ read -r bus_address; read -r bus_pid; } < <(dbus-daemon --session --fork --print-address=1 --print-pid=1)
echo "$bus_pid" >> "$run/pids"
printf 'test-keyring-password' | env HOME="$run/keyring-home" XDG_RUNTIME_DIR="$run/xdg-runtime" \
  DBUS_SESSION_BUS_ADDRESS="$bus_address" gnome-keyring-daemon --foreground --unlock --components=secrets \
  > "$run/keyring.log" 2>&1 &
echo $! >> "$run/pids"

"$here/.venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" > "$run/moto.log" 2>&1 &
echo $! >> "$run/pids"
wait_for "http://127.0.0.1:$moto_port/moto-api/" moto "$run/moto.log"
"$py" "$here/aws/seed.py" "http://127.0.0.1:$moto_port" "$run/seed.json" "${redirect_ports[@]}"

"$py" "$here/aws/proxy.py" "$proxy_port" "http://127.0.0.1:$moto_port" "$run/seed.json" > "$run/proxy.log" 2>&1 &
echo $! >> "$run/pids"
node "$here/hosted-ui/server.mjs" --port "$ui_port" --seed "$run/seed.json" > "$run/hosted-ui.log" 2>&1 &
echo $! >> "$run/pids"
wait_for "http://127.0.0.1:$proxy_port/__proxy/log" "the AWS proxy" "$run/proxy.log"
wait_for "http://127.0.0.1:$ui_port/.well-known/openid-configuration" "the hosted-UI stand-in" "$run/hosted-ui.log"

# Wait until the Secret Service answers on the bus.
for _ in $(seq 1 50); do
  DBUS_SESSION_BUS_ADDRESS="$bus_address" dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true' && break
  sleep 0.1
done

cat > "$run/env" <<ENV
POOLPASS_TEST_RUN=$run
POOLPASS_TEST_SEED=$run/seed.json
POOLPASS_TEST_HOSTED_UI=http://127.0.0.1:$ui_port
POOLPASS_TEST_MOTO=http://127.0.0.1:$moto_port
POOLPASS_TEST_AWS=http://127.0.0.1:$proxy_port
POOLPASS_TEST_PYTHON=$py
POOLPASS_TEST_BROWSER=$here/browser/browser
DBUS_SESSION_BUS_ADDRESS=$bus_address
ENV
echo "Peers up: hosted UI :$ui_port, moto :$moto_port, AWS proxy :$proxy_port, keyring on $bus_address"
