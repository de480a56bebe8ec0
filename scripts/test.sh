#!/usr/bin/env bash
# Runs every test of PoolPass on a fresh Debian machine: installs what is missing (Debian
# packages, the peers' and the front end's Node packages, a Python venv with moto and
# botocore), runs the front end's unit tests and builds it, checks formatting and lints, builds
# (debug), starts the real peers on 127.0.0.1, runs all the tests against them (the Rust tests,
# then the desktop app end to end in Xvfb), and stops the peers by PID, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

bash tests/peers/install.sh

# The desktop shell embeds ui/dist when it compiles, so the front end is built first.
echo "== front end: types, unit tests, build"
(cd ui && npm test && npm run --silent build)

echo "== formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== build"
cargo build --workspace --all-targets --locked

echo "== peers"
run=$(mktemp -d "${TMPDIR:-/tmp}/poolpass-peers.XXXXXX")
finish() {
  status=$?
  if [ "$status" != 0 ]; then
    for log in "$run"/*.log; do echo "--- last lines of $log"; tail -n 20 "$log"; done
  fi
  bash tests/peers/stop.sh "$run"
  rm -rf "$run"
  echo "== test command took $(( $(date +%s) - started )) s"
  exit "$status"
}
trap finish EXIT
bash tests/peers/start.sh "$run"
set -a
# shellcheck disable=SC1091
. "$run/env"
set +a

echo "== tests"
# --show-output: the crash, race and corpus tests print what they proved (counts).
cargo test --workspace --all-targets --locked -- --test-threads 4 --show-output

echo "== desktop app, end to end (tests/e2e/README.md)"
bash tests/e2e/run.sh
