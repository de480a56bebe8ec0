"""A small proxy of PoolPass's own in front of moto's server, for what moto cannot do.

moto hands out the same fixed keys, valid 90 s, on every GetCredentialsForIdentity and accepts
any token. This proxy:
- gives each GetCredentialsForIdentity answer fresh random keys and AWS's real one-hour expiry,
  so a test can tell new credentials from stale ones;
- refuses tokens the way AWS does for accounts named `deny-<Exception>` (the user name in the ID
  token), e.g. `deny-NotAuthorizedException`, `deny-InvalidIdentityPoolConfigurationException`;
- records every call (operation, identity id, the credentials it issued) at GET /__proxy/log.
Everything else passes to moto unchanged. Test-only: it serves dummy credentials.

Usage: proxy.py LISTEN_PORT MOTO_URL
"""
import base64
import json
import secrets
import sys
import threading
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

listen_port, moto = int(sys.argv[1]), sys.argv[2].rstrip("/")
log, lock = [], threading.Lock()


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

    def do_GET(self):
        if self.path == "/__proxy/log":
            with lock:
                return self.reply(200, log, [("Content-Type", "application/json")])
        self.forward(b"")

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        target = self.headers.get("X-Amz-Target", "")
        op = target.split(".")[-1] if target else None
        entry = {"op": op, "at": time.time()}
        body = {}
        if op:
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                pass
            user = claims_of(body).get("cognito:username", "")
            entry.update(user=user, identity_id=body.get("IdentityId"), custom_role_arn=body.get("CustomRoleArn"))
            login = user.split("_", 1)[-1]
            if login.startswith("deny-") and op in ("GetId", "GetCredentialsForIdentity"):
                code = login[len("deny-"):]
                entry["refused"] = code
                with lock:
                    log.append(entry)
                return self.reply(400, {"__type": code, "message": f"refused by the test proxy ({code})"},
                                  [("Content-Type", "application/x-amz-json-1.1")])
        status, headers, data = self.forward(raw, send=False)
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
server = ThreadingHTTPServer(("127.0.0.1", listen_port), Handler)
print(f"aws proxy on 127.0.0.1:{listen_port} -> {moto}", flush=True)
server.serve_forever()
