#!/usr/bin/env bash
# Runs PoolPass. With a configuration (POOLPASS_CONFIG, or poolpass/config.toml in the user's
# config folder) it signs in for real and lists the profiles. Without one it runs the local
# demo: it starts the test peers (a Cognito hosted-UI stand-in, moto, a private keyring),
# signs in through them and writes to a sandbox AWS folder under .demo/, never the user's.
set -euo pipefail
cd "$(dirname "$0")/.."
config="${POOLPASS_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/poolpass/config.toml}"

if [ -f "$config" ]; then
  cargo build --locked --quiet
  target/debug/poolpass --config "$config" login "$@"
  exec target/debug/poolpass list
fi

echo "No PoolPass configuration at $config: running the local demo."
bash tests/peers/install.sh
cargo build --locked --quiet
demo="$PWD/.demo"
rm -rf "$demo" && mkdir -p "$demo"
run="$demo/peers"
trap 'bash tests/peers/stop.sh "$run"' EXIT
bash tests/peers/start.sh "$run"
set -a
# shellcheck disable=SC1091
. "$run/env"
set +a

seed() { "$POOLPASS_TEST_PYTHON" -c "import json,sys; s=json.load(open('$POOLPASS_TEST_SEED')); print(eval(sys.argv[1]))" "$1"; }
cat > "$demo/config.toml" <<TOML
# The demo's configuration: the shape an administrator hands out, pointed at local peers.
[[connection]]
name = "demo"
user_pool_id = "$(seed 's["user_pool_id"]')"
client_id = "$(seed 's["client_id"]')"
domain = "https://demo.auth.us-west-2.amazoncognito.com"
providers = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple", "COGNITO"]
redirect_ports = [$(seed '", ".join(map(str, s["redirect_ports"]))')]

[[connection.identity_pool]]
id = "$(seed 's["identity_pool_id"]')"
profile = "poolpass-demo"
region = "ap-northeast-1"

[connection.endpoints]
hosted_ui = "$POOLPASS_TEST_HOSTED_UI"
issuer = "$POOLPASS_TEST_HOSTED_UI"
cognito_identity = "$POOLPASS_TEST_AWS"
sts = "$POOLPASS_TEST_AWS"
TOML

# Sandboxed: AWS files, PoolPass's state and the keychain are the demo's own.
export POOLPASS_CONFIG="$demo/config.toml"
export AWS_SHARED_CREDENTIALS_FILE="$demo/aws/credentials" AWS_CONFIG_FILE="$demo/aws/config"
export XDG_STATE_HOME="$demo/state"
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
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
