"""PoolPass refresh benchmark: wall time and requests per refresh, against the local peers,
beside the AWS CLI chain and a boto3 script doing the same job against the same peers.

Prints numbers; asserts nothing about time. Run by scripts/bench.sh (release build, peers up).
Usage: refresh_bench.py POOLPASS_BINARY   (with the bench venv's python: awscli, boto3, secretstorage)
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

poolpass = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
env0 = dict(os.environ)
seed = json.load(open(env0["POOLPASS_TEST_SEED"]))
ui, aws, moto = env0["POOLPASS_TEST_HOSTED_UI"], env0["POOLPASS_TEST_AWS"], env0["POOLPASS_TEST_MOTO"]
cli_venv = os.path.join(here, ".venv")
root = tempfile.mkdtemp(prefix="poolpass-bench-")
provider = f"cognito-idp.us-west-2.amazonaws.com/{seed['user_pool_id']}"
for v in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
    env0.pop(v, None)


def get_json(url):
    with urllib.request.urlopen(url) as r:
        return json.load(r)


def sandbox(name, pools):
    d = os.path.join(root, name)
    os.makedirs(os.path.join(d, "home"))
    ports = ", ".join(map(str, seed["redirect_ports"]))
    cfg = f"""[[connection]]
name = "bench-{name}"
user_pool_id = "{seed['user_pool_id']}"
client_id = "{seed['client_id']}"
domain = "https://bench.auth.us-west-2.amazoncognito.com"
providers = ["Google", "COGNITO"]
redirect_ports = [{ports}]
{pools}
[connection.endpoints]
hosted_ui = "{ui}"
issuer = "{ui}"
cognito_identity = "{aws}"
sts = "{aws}"
"""
    open(os.path.join(d, "config.toml"), "w").write(cfg)
    env = dict(env0, HOME=os.path.join(d, "home"), POOLPASS_CONFIG=os.path.join(d, "config.toml"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(d, "credentials"), AWS_CONFIG_FILE=os.path.join(d, "config"))
    env.pop("XDG_STATE_HOME", None)
    return env


def pool(pid, profile, extra=""):
    return f'[[connection.identity_pool]]\nid = "{pid}"\nprofile = "{profile}"\n{extra}\n'


def login(env, user):
    e = dict(env, BROWSER=env0["POOLPASS_TEST_BROWSER"], POOLPASS_TEST_LOGIN=user)
    r = subprocess.run([poolpass, "login", "--provider", "COGNITO"], env=e, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"sign-in for the benchmark failed:\n{r.stdout}\n{r.stderr}")


def timed(cmd, env, runs, shell=False):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, shell=shell)
        times.append(time.perf_counter() - t)
        if r.returncode != 0:
            sys.exit(f"{cmd} failed:\n{r.stdout}\n{r.stderr}")
    return statistics.median(times), sorted(times)[int(len(times) * 0.9) - 1]


def requests_of(user, action):
    """Requests the peers saw from one run of `action`: (token requests, AWS calls by op)."""
    tokens0 = len(get_json(f"{ui}/__test/log")["tokens"])
    calls0 = len(get_json(f"{aws}/__proxy/log"))
    action()
    tokens = [t for t in get_json(f"{ui}/__test/log")["tokens"][tokens0:] if t.get("user") == user]
    calls = get_json(f"{aws}/__proxy/log")[calls0:]
    ops = {}
    for c in calls:
        if c.get("user") == user or c["op"] == "GetCallerIdentity":
            ops[c["op"]] = ops.get(c["op"], 0) + 1
    return len(tokens), ops


rows = []


def row(what, value, target="", note=""):
    rows.append((what, value, target, note))
    print(f"  {what}: {value}  {target}  {note}", flush=True)


print(f"PoolPass refresh benchmark ({poolpass}), peers on loopback", flush=True)

# 1 profile.
one = sandbox("one", pool(seed["identity_pool_id"], "bench-one"))
login(one, "bench-alice")
tokens, ops = requests_of("bench-alice", lambda: subprocess.run([poolpass, "refresh"], env=one, capture_output=True))
one_med, one_p90 = timed([poolpass, "refresh"], one, 20)
row("poolpass refresh, 1 profile", f"median {one_med*1000:.1f} ms, p90 {one_p90*1000:.1f} ms", "(target <= 50 ms)")
row("  requests per refresh", f"{tokens} token + {sum(ops.values())} AWS ({ops})", "(target: exactly 2)")

# 12 profiles: 3 pools x 4 roles.
pools12 = "".join(pool(seed[k], f"{k.split('_')[0]}-{{role_name}}", 'roles = "all"')
                  for k in ("identity_pool_id", "second_identity_pool_id", "third_identity_pool_id"))
twelve = sandbox("twelve", pools12)
login(twelve, "fourroles-bench")
r = subprocess.run([poolpass, "list"], env=twelve, capture_output=True, text=True)
n_profiles = len([l for l in r.stdout.splitlines()[1:] if l.strip()])
tokens, ops = requests_of("fourroles-bench", lambda: subprocess.run([poolpass, "refresh"], env=twelve, capture_output=True))
tw_med, tw_p90 = timed([poolpass, "refresh"], twelve, 10)
row(f"poolpass refresh, {n_profiles} profiles (3 pools x 4 roles)", f"median {tw_med*1000:.1f} ms, p90 {tw_p90*1000:.1f} ms",
    f"(target <= 1.3 x 1 profile = {1.3*one_med*1000:.1f} ms)", f"ratio {tw_med/one_med:.2f}")
row("  requests per refresh", f"{tokens} token + {sum(ops.values())} AWS ({ops})", "(target: 1 + 12)")

# The peers alone, for scale: moto and the proxy are single Python processes that serialize
# concurrent calls, which real AWS does not. The 12-profile time above includes this.
import base64, http.client, threading  # noqa: E401,E402
host, port = aws.replace("http://", "").split(":")
fake = "x." + base64.urlsafe_b64encode(json.dumps({"cognito:username": "bench-peers"}).encode()).decode().rstrip("=") + ".y"
def peer_call(op, body):
    c = http.client.HTTPConnection(host, int(port))
    c.request("POST", "/", json.dumps(body), {"X-Amz-Target": f"AWSCognitoIdentityService.{op}", "Content-Type": "application/x-amz-json-1.1"})
    return json.loads(c.getresponse().read())
iid = peer_call("GetId", {"IdentityPoolId": seed["identity_pool_id"], "Logins": {provider: fake}})["IdentityId"]
def concurrent(n):
    samples = []
    for _ in range(7):
        threads = [threading.Thread(target=peer_call, args=("GetCredentialsForIdentity", {"IdentityId": iid, "Logins": {provider: fake}})) for _ in range(n)]
        t = time.perf_counter()
        [th.start() for th in threads]
        [th.join() for th in threads]
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)
p1, p12 = concurrent(1), concurrent(12)
row("  the peers alone: 12 concurrent GetCredentialsForIdentity vs 1", f"{p12*1000:.1f} ms vs {p1*1000:.1f} ms (ratio {p12/p1:.1f})", "",
    f"PoolPass's own cost for the 11 extra profiles: about {max(0.0, (tw_med - one_med) - (p12 - p1))*1000:.0f} ms")

# credential_process: warm (from the keychain cache) and 10 concurrent cold calls.
proc = sandbox("process", pool(seed["identity_pool_id"], "bench-process", 'mode = "credential_process"'))
login(proc, "bench-proc")
cp = [poolpass, "credential-process", "--profile", "bench-process"]
warm_med, warm_p90 = timed(cp, proc, 40)
row("poolpass credential-process, warm", f"median {warm_med*1000:.1f} ms, p90 {warm_p90*1000:.1f} ms", "(target <= 10 ms)")
import secretstorage  # noqa: E402  (only the cold case needs it)
conn = secretstorage.dbus_init()
for item in secretstorage.get_default_collection(conn).search_items({"service": "poolpass-credentials", "username": "bench-process"}):
    item.delete()
def ten_cold():
    procs = [subprocess.Popen(cp, env=proc, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(10)]
    for p in procs:
        p.wait()
t = time.perf_counter()
tokens, ops = requests_of("bench-proc", ten_cold)
row("10 concurrent cold credential-process calls", f"{tokens} token request(s), {sum(ops.values())} AWS call(s), {1000*(time.perf_counter()-t):.0f} ms in all", "(target: exactly 1 token request)")

# The same job the ways users do it today, against the same kind of peers: a refresh token
# from moto's user pool (REFRESH_TOKEN_AUTH), then GetId and GetCredentialsForIdentity through
# the same AWS proxy, then the profile written.
import boto3  # noqa: E402
idp = boto3.client("cognito-idp", region_name="us-west-2", endpoint_url=moto, aws_access_key_id="x", aws_secret_access_key="x")
try:
    idp.admin_create_user(UserPoolId=seed["user_pool_id"], Username="benchuser", MessageAction="SUPPRESS")
except idp.exceptions.UsernameExistsException:
    pass
idp.admin_set_user_password(UserPoolId=seed["user_pool_id"], Username="benchuser", Password="Bench-Passw0rd!", Permanent=True)
auth = idp.initiate_auth(ClientId=seed["client_id"], AuthFlow="USER_PASSWORD_AUTH",
                         AuthParameters={"USERNAME": "benchuser", "PASSWORD": "Bench-Passw0rd!"})["AuthenticationResult"]
refresh_token = auth["RefreshToken"]
cli_env = dict(env0, RT=refresh_token, CLIENT=seed["client_id"], MOTO=moto, AWSP=aws, POOL=seed["identity_pool_id"], PROVIDER=provider,
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(root, "cli-credentials"), AWS_CONFIG_FILE=os.path.join(root, "cli-config"),
               PATH=os.path.join(cli_venv, "bin") + ":" + env0["PATH"])
chain = """set -e
id=$(aws cognito-idp initiate-auth --no-sign-request --region us-west-2 --endpoint-url "$MOTO" --client-id "$CLIENT" \
  --auth-flow REFRESH_TOKEN_AUTH --auth-parameters REFRESH_TOKEN="$RT" --query AuthenticationResult.IdToken --output text)
iid=$(aws cognito-identity get-id --no-sign-request --region ap-northeast-1 --endpoint-url "$AWSP" --identity-pool-id "$POOL" \
  --logins "$PROVIDER=$id" --query IdentityId --output text)
set -- $(aws cognito-identity get-credentials-for-identity --no-sign-request --region ap-northeast-1 --endpoint-url "$AWSP" \
  --identity-id "$iid" --logins "$PROVIDER=$id" --query 'Credentials.[AccessKeyId,SecretKey,SessionToken]' --output text)
aws configure set aws_access_key_id "$1" --profile cli-chain
aws configure set aws_secret_access_key "$2" --profile cli-chain
aws configure set aws_session_token "$3" --profile cli-chain
"""
cli_med, cli_p90 = timed(["bash", "-c", chain], cli_env, 5)
row("AWS CLI chain (initiate-auth, get-id, get-credentials-for-identity, 3 x configure set)",
    f"median {cli_med*1000:.0f} ms, p90 {cli_p90*1000:.0f} ms", "", f"PoolPass is {cli_med/one_med:.0f}x faster")
script = f"""
import boto3, configparser, os
idp = boto3.client("cognito-idp", region_name="us-west-2", endpoint_url=os.environ["MOTO"], aws_access_key_id="x", aws_secret_access_key="x")
tok = idp.initiate_auth(ClientId=os.environ["CLIENT"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={{"REFRESH_TOKEN": os.environ["RT"]}})["AuthenticationResult"]["IdToken"]
ci = boto3.client("cognito-identity", region_name="ap-northeast-1", endpoint_url=os.environ["AWSP"], aws_access_key_id="x", aws_secret_access_key="x")
logins = {{os.environ["PROVIDER"]: tok}}
iid = ci.get_id(IdentityPoolId=os.environ["POOL"], Logins=logins)["IdentityId"]
c = ci.get_credentials_for_identity(IdentityId=iid, Logins=logins)["Credentials"]
cp = configparser.RawConfigParser(); path = os.environ["AWS_SHARED_CREDENTIALS_FILE"]; cp.read(path)
cp["boto3-script"] = {{"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretKey"], "aws_session_token": c["SessionToken"]}}
cp.write(open(path, "w"))
"""
py_med, py_p90 = timed([sys.executable, "-c", script], cli_env, 10)
row("boto3 script (same three calls, one process)", f"median {py_med*1000:.0f} ms, p90 {py_p90*1000:.0f} ms", "", f"PoolPass is {py_med/one_med:.0f}x faster")

shutil.rmtree(root, ignore_errors=True)
print("done")
