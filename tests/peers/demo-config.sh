#!/usr/bin/env bash
# Writes the local demo's PoolPass configuration: the shape an administrator hands out (one
# connection "demo", every provider, one identity pool writing profile "poolpass-demo"),
# pointed at the running peers. The run command's demo, the desktop end-to-end test and the
# desktop benchmark share it.
# Usage: demo-config.sh OUT.toml   (with the peers' env loaded: . RUN_DIR/env)
set -euo pipefail
out="$1"
for v in POOLPASS_TEST_SEED POOLPASS_TEST_PYTHON POOLPASS_TEST_HOSTED_UI POOLPASS_TEST_AWS; do
  [ -n "${!v:-}" ] || { echo "demo-config.sh: $v is not set: start the peers and load their env first" >&2; exit 1; }
done

seed() { "$POOLPASS_TEST_PYTHON" -c "import json,sys; s=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))" "$1" "$POOLPASS_TEST_SEED"; }
mkdir -p "$(dirname "$out")"
cat > "$out" <<TOML
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
