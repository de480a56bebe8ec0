"""A small proxy of PoolPass's own in front of moto's server, for what moto cannot do.

moto hands out the same fixed keys, valid 90 s, on every GetCredentialsForIdentity, accepts
any token, ignores CustomRoleArn, has no role mappings, and answers GetCallerIdentity with a
fixed user. This proxy:
- gives each GetCredentialsForIdentity and AssumeRoleWithWebIdentity answer fresh random keys
  (GetCredentialsForIdentity: AWS's one-hour expiry), remembering the role each was issued for;
- refuses a CustomRoleArn that is not among the token's cognito:roles, as AWS does;
- answers STS GetCallerIdentity, for keys it issued, with the assumed-role ARN;
- refuses GetOpenIdToken (the classic flow) for identities of the pools the seed lists as
  having role mappings or the classic flow switched off, with AWS's messages;
- answers ResourceNotFoundException for an identity id no GetId returned (a deleted identity);
- refuses tokens for accounts named `deny-<Exception>` (the user name in the ID token), e.g.
  `deny-NotAuthorizedException`, `deny-InvalidIdentityPoolConfigurationException`;
- refuses the next call of an operation once, as told by POST /__proxy/fail
  {"op": ..., "code": ..., "message": ...}: a failure at a moment a test chooses (a refresh
  from the tray, say), for a user whose sign-in is otherwise fine;
- records every call (operation, identity id, role, the credentials it issued) at
  GET /__proxy/log.
Everything else passes to moto unchanged. Test-only: it serves dummy credentials.

Usage: proxy.py LISTEN_PORT MOTO_URL SEED.json
"""
import base64
import json
import re
import urllib.parse
import secrets
import sys
import threading
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

listen_port, moto = int(sys.argv[1]), sys.argv[2].rstrip("/")
seed = json.load(open(sys.argv[3]))
log, lock = [], threading.Lock()
role_of_key = {}  # access key id -> role ARN it was issued for
pool_of_identity = {}  # identity id -> identity pool id
user_of_token = {}  # OpenID token from GetOpenIdToken -> cognito:username
faults = []  # refusals asked for by POST /__proxy/fail, each used once
ACCOUNT = "123456789012"


def claims_of(body):
    """The user name in the first Logins token (unverified: moto does not verify either)."""
    for token in (body.get("Logins") or {}).values():
        try:
            part = token.split(".")[1]
            return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        except Exception:
            return {}
    return {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def reply(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def refuse(self, entry, why, code, message):
        """Answers as AWS does when it refuses, and logs why."""
        entry["refused"] = why
        with lock:
            log.append(entry)
        return self.reply(400, {"__type": code, "message": message}, [("Content-Type", "application/x-amz-json-1.1")])

    def do_GET(self):
        if self.path == "/__proxy/log":
            with lock:
                return self.reply(200, log, [("Content-Type", "application/json")])
        self.forward(b"")

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/__proxy/fail":
            fault = json.loads(raw)
            with lock:
                faults.append(fault)
            return self.reply(200, fault, [("Content-Type", "application/json")])
        target = self.headers.get("X-Amz-Target", "")
        op = target.split(".")[-1] if target else None
        entry = {"op": op, "at": time.time()}
        body = {}
        if op:
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                pass
            claims = claims_of(body)
            user = claims.get("cognito:username", "")
            entry.update(user=user, identity_id=body.get("IdentityId"), custom_role_arn=body.get("CustomRoleArn"))
            roles = claims.get("cognito:roles") or []
            custom = body.get("CustomRoleArn")
            provider = f"cognito-idp.us-west-2.amazonaws.com/{seed['user_pool_id']}"
            if op in ("GetId", "GetCredentialsForIdentity", "GetOpenIdToken") and body.get("Logins") and provider not in body["Logins"]:
                return self.refuse(entry, "wrong provider", "NotAuthorizedException", "Token is not from a supported provider of this identity pool.")
            if op in ("GetCredentialsForIdentity", "GetOpenIdToken") and body.get("IdentityId") not in pool_of_identity:
                return self.refuse(entry, "unknown identity", "ResourceNotFoundException", f"Identity '{body.get('IdentityId')}' not found.")
            if op == "GetCredentialsForIdentity" and custom in seed.get("refused_roles", []):
                return self.refuse(entry, "trust policy", "InvalidIdentityPoolConfigurationException", "Invalid identity pool configuration. Check assigned IAM roles for this pool.")
            if op == "GetCredentialsForIdentity" and custom and custom not in roles:
                return self.refuse(entry, "role not in token", "NotAuthorizedException", "Invalid login token. Role is not among the token's cognito:roles.")
            if op == "GetOpenIdToken" and pool_of_identity.get(body.get("IdentityId")) in seed.get("classic_disabled_pools", []):
                return self.refuse(entry, "classic flow disabled", "InvalidParameterException", "Basic (classic) flow is not enabled, please use enhanced flow.")
            if op == "GetOpenIdToken" and pool_of_identity.get(body.get("IdentityId")) in seed.get("role_mapped_pools", []):
                return self.refuse(entry, "classic flow with role mappings", "InvalidParameterException", "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.")
            with lock:
                fault = next((f for f in faults if f["op"] == op), None)
                if fault:
                    faults.remove(fault)
            if fault:
                return self.refuse(entry, "asked for", fault["code"], fault["message"])
            login = user.split("_", 1)[-1]
            if login.startswith("deny-") and op in ("GetId", "GetCredentialsForIdentity"):
                code = login[len("deny-"):]
                return self.refuse(entry, code, code, f"refused by the test proxy ({code})")
        form = {}
        if not op:
            form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode(errors="replace")).items()}
            entry["op"] = form.get("Action")
        if form.get("Action") == "GetCallerIdentity":
            m = re.search(r"Credential=([A-Z0-9]+)/", self.headers.get("Authorization", ""))
            key = m.group(1) if m else None
            role = role_of_key.get(key)
            entry.update(access_key_id=key, role=role)
            with lock:
                log.append(entry)
            if not role:
                return self.reply(403, b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>", [("Content-Type", "text/xml")])
            name = role.split("/")[-1]
            xml = (f'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
                   f'<Arn>arn:aws:sts::{ACCOUNT}:assumed-role/{name}/CognitoIdentityCredentials</Arn>'
                   f'<UserId>AROA{secrets.token_hex(8).upper()}:CognitoIdentityCredentials</UserId><Account>{ACCOUNT}</Account>'
                   f'</GetCallerIdentityResult><ResponseMetadata><RequestId>{secrets.token_hex(8)}</RequestId></ResponseMetadata></GetCallerIdentityResponse>')
            return self.reply(200, xml.encode(), [("Content-Type", "text/xml")])
        status, headers, data = self.forward(raw, send=False)
        if op == "GetId" and status == 200:
            pool_of_identity[json.loads(data)["IdentityId"]] = body.get("IdentityPoolId")
            entry["identity_pool_id"] = body.get("IdentityPoolId")
        if op == "GetOpenIdToken" and status == 200:
            user_of_token[json.loads(data).get("Token")] = entry.get("user")
        if form.get("Action") == "AssumeRoleWithWebIdentity" and status == 200:
            key, secret, token = "ASIA" + secrets.token_hex(8).upper(), secrets.token_urlsafe(30), secrets.token_urlsafe(60)
            text = data.decode()
            text = re.sub(r"<AccessKeyId>.*?</AccessKeyId>", f"<AccessKeyId>{key}</AccessKeyId>", text)
            text = re.sub(r"<SecretAccessKey>.*?</SecretAccessKey>", f"<SecretAccessKey>{secret}</SecretAccessKey>", text)
            text = re.sub(r"<SessionToken>.*?</SessionToken>", f"<SessionToken>{token}</SessionToken>", text)
            data = text.encode()
            expiry = re.search(r"<Expiration>(.*?)</Expiration>", text)
            role_of_key[key] = form.get("RoleArn")
            entry.update(role=form.get("RoleArn"), duration_seconds=int(form.get("DurationSeconds", 3600)),
                         user=user_of_token.get(form.get("WebIdentityToken"), ""),
                         issued={"AccessKeyId": key, "SecretKey": secret, "SessionToken": token,
                                 "Expiration": expiry.group(1) if expiry else None})
        if op == "GetCredentialsForIdentity" and status == 200:
            out = json.loads(data)
            expiry = datetime.now(timezone.utc) + timedelta(hours=1)
            out["Credentials"] = {
                "AccessKeyId": "ASIA" + secrets.token_hex(8).upper(),
                "SecretKey": secrets.token_urlsafe(30),
                "SessionToken": secrets.token_urlsafe(60),
                "Expiration": expiry.timestamp(),
            }
            entry["issued"] = out["Credentials"]
            # As AWS: the role asked for, else the token's preferred role.
            role = body.get("CustomRoleArn") or claims_of(body).get("cognito:preferred_role")
            role_of_key[out["Credentials"]["AccessKeyId"]] = role
            entry["role"] = role
            data = json.dumps(out).encode()
        with lock:
            log.append(entry)
        headers = [(k, v) for k, v in headers if k.lower() not in ("content-length", "transfer-encoding", "connection")]
        self.reply(status, data, headers)

    def forward(self, raw, send=True):
        req = urllib.request.Request(moto + self.path, data=raw or None, method=self.command)
        for k, v in self.headers.items():
            if k.lower() not in ("host", "content-length", "connection"):
                req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                result = (r.status, list(r.headers.items()), r.read())
        except urllib.error.HTTPError as e:
            result = (e.code, list(e.headers.items()), e.read())
        if send:
            status, headers, data = result
            headers = [(k, v) for k, v in headers if k.lower() not in ("content-length", "transfer-encoding", "connection")]
            self.reply(status, data, headers)
        return result


ThreadingHTTPServer.daemon_threads = True
# socketserver listens with a backlog of 5: a dozen concurrent connections (one refresh of
# 12 profiles) overflow it and the dropped SYNs come back after TCP's 1 s retransmit.
ThreadingHTTPServer.request_queue_size = 128
server = ThreadingHTTPServer(("127.0.0.1", listen_port), Handler)
print(f"aws proxy on 127.0.0.1:{listen_port} -> {moto}", flush=True)
server.serve_forever()
