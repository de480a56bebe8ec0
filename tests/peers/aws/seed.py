"""Creates the AWS side of the test bed in moto: a user pool in Oregon with an app client and
groups carrying IAM roles (with precedence), and an identity pool in Tokyo that trusts the user
pool. Writes what it made to a JSON file the hosted-UI stand-in and the tests read.

Usage: seed.py MOTO_URL OUT.json PORT [PORT ...]   (PORTs: the redirect ports to register)
"""
import json
import sys

import boto3

moto_url, out, ports = sys.argv[1], sys.argv[2], [int(p) for p in sys.argv[3:]]
kw = dict(endpoint_url=moto_url, aws_access_key_id="testing", aws_secret_access_key="testing")
USER_POOL_REGION, IDENTITY_POOL_REGION = "us-west-2", "ap-northeast-1"

iam = boto3.client("iam", region_name="us-east-1", **kw)
idp = boto3.client("cognito-idp", region_name=USER_POOL_REGION, **kw)

pool = idp.create_user_pool(PoolName="poolpass-test")["UserPool"]["Id"]
callbacks = [f"http://localhost:{p}/callback" for p in ports]
client = idp.create_user_pool_client(
    UserPoolId=pool,
    ClientName="poolpass-desktop",
    GenerateSecret=False,
    CallbackURLs=callbacks,
    LogoutURLs=[f"http://localhost:{p}/signed-out" for p in ports],
    AllowedOAuthFlows=["code"],
    AllowedOAuthScopes=["openid", "email", "profile"],
    AllowedOAuthFlowsUserPoolClient=True,
    SupportedIdentityProviders=["COGNITO", "Google", "Facebook", "LoginWithAmazon", "SignInWithApple"],
    ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
)["UserPoolClient"]["ClientId"]

trust = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
    }],
})
groups = []
for name, precedence in [("admins", 1), ("developers", 5), ("readonly", 10), ("auditors", 15), ("untrusted", 20)]:
    role = iam.create_role(RoleName=f"PoolPass-{name}", AssumeRolePolicyDocument=trust, MaxSessionDuration=43200)
    arn = role["Role"]["Arn"]
    idp.create_group(GroupName=name, UserPoolId=pool, RoleArn=arn, Precedence=precedence)
    groups.append({"name": name, "role_arn": arn, "precedence": precedence})



# A second pool in another region (several accounts/regions per connection), and one that
# stands for a pool with role mappings (moto has none; the proxy refuses the classic flow there).
def make_identity_pool(region, name, classic=True):
    client = boto3.client("cognito-identity", region_name=region, **kw)
    return client.create_identity_pool(
        IdentityPoolName=name,
        AllowUnauthenticatedIdentities=False,
        AllowClassicFlow=classic,
        CognitoIdentityProviders=[{
            "ProviderName": f"cognito-idp.{USER_POOL_REGION}.amazonaws.com/{pool}",
            "ClientId": client_id_for_pools,
            "ServerSideTokenCheck": False,
        }],
    )["IdentityPoolId"]

client_id_for_pools = client
identity_pool = make_identity_pool(IDENTITY_POOL_REGION, "poolpass_test")
second_identity_pool = make_identity_pool("eu-west-1", "poolpass_second")
role_mapped_pool = make_identity_pool("us-east-1", "poolpass_rolemapped")
third_identity_pool = make_identity_pool("ap-southeast-2", "poolpass_third")
no_classic_pool = make_identity_pool("eu-west-1", "poolpass_noclassic", classic=False)

seed = {
    "user_pool_id": pool,
    "client_id": client,
    "identity_pool_id": identity_pool,
    "second_identity_pool_id": second_identity_pool,
    "third_identity_pool_id": third_identity_pool,
    "role_mapped_pools": [role_mapped_pool],
    # moto does not enforce AllowClassicFlow; the proxy refuses the classic flow for these.
    "classic_disabled_pools": [no_classic_pool],
    "groups": groups,
    "default_groups": ["developers", "admins"],
    "users": {"reader": ["readonly"], "nogroups": [], "untrusting": ["developers", "untrusted"],
              "fourroles": ["admins", "developers", "readonly", "auditors"]},
    # Roles whose trust policy does not name the identity pool: AWS refuses them.
    "refused_roles": [g["role_arn"] for g in groups if g["name"] == "untrusted"],
    "redirect_ports": ports,
}
with open(out, "w") as f:
    json.dump(seed, f, indent=2)
print(f"seeded user pool {pool}, client {client}, identity pool {identity_pool}")
