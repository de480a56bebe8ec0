#!/usr/bin/env bash
# The refresh benchmark: builds PoolPass in release mode, starts the peers, and prints wall
# time and requests per refresh (1 profile, 12 profiles, warm and cold credential-process) next
# to the AWS CLI chain and a boto3 script run against the same peers. Numbers only, no
# assertions. Not part of the test command (a release build takes ~8 minutes cold).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/peers/install.sh
venv=tests/bench/.venv
if [ ! -x "$venv/bin/aws" ] || [ tests/bench/requirements.txt -nt "$venv/.installed" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r tests/bench/requirements.txt
  touch "$venv/.installed"
fi
cargo build --release --locked
run=$(mktemp -d "${TMPDIR:-/tmp}/poolpass-bench-peers.XXXXXX")
trap 'bash tests/peers/stop.sh "$run"; rm -rf "$run"' EXIT
bash tests/peers/start.sh "$run"
set -a
# shellcheck disable=SC1091
. "$run/env"
set +a
"$venv/bin/python" tests/bench/refresh_bench.py "$PWD/target/release/poolpass"
