"""Schemathesis hooks: valid credentials for each API of the local runner (SCHEMATHESIS_HOOKS).

- Argus operator API: a fresh OperatorAuth token per request, signed (HS256) over the request's own
  path and body as Argus's CLI makes them, for a node made for the run (kid = its id, signed with the
  operator secret its creation answered), so that stopping or shutting it down leaves the default
  node's public /status and /buckets answering 200.
- Apex integration API: X-Target-Server as each endpoint wants it, and an access token of the seeded
  API key (fetched once from /auth/authenticate).
- Buddy distributions API: the token `local.jar distributions-token` printed (BUDDY_TOKEN).
The secrets are the local runner's development defaults unless the environment says otherwise.
"""
import base64
import hashlib
import hmac
import json
import os
import time
import urllib.request

import schemathesis

BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:3335")
API_KEY = os.environ.get("INTEGRATION_API_KEY", "dev-api-key")
API_SECRET = os.environ.get("INTEGRATION_API_SECRET", "dev-api-secret-change-me")
BUDDY_TOKEN = os.environ["BUDDY_TOKEN"]
OPERATOR_PATHS = {"/api/v1/" + op for op in
                  ("stop-api", "start-api", "shutdown", "boot", "set-worker", "set-buckets", "report-usage")}
_access = {}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def operator_token(path: str, body) -> str:
    node = fuzz_node()
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": node["id"]}).encode())
    now = int(time.time())
    payload = _b64(json.dumps({"reqUrl": path, "reqBody": body, "iat": now, "exp": now + 60}).encode())
    signature = hmac.new(node["operator_secret"].encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def access_token() -> str:
    if "token" not in _access or _access["expires"] < time.time() + 60:
        request = urllib.request.Request(BASE_URL + "/api/v1/integration/auth/authenticate", method="POST",
                                         data=json.dumps({"api_key": API_KEY, "secret_key": API_SECRET}).encode(),
                                         headers={"Content-Type": "application/json",
                                                  "X-Target-Server": "authentication"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            _access["token"] = json.load(answer)["access_token"]
        _access["expires"] = time.time() + 3000
    return _access["token"]


def fuzz_node() -> dict:
    """An Apex node of the seeded key's tenant, made once: its id and operator secret."""
    if "node" not in _access:
        request = urllib.request.Request(BASE_URL + "/api/v1/integration/nodes", method="POST",
                                         data=json.dumps({"name": "schemathesis", "type": 1}).encode(),
                                         headers={"Content-Type": "application/json", "X-Target-Server": "integration",
                                                  "Authorization": "Bearer " + access_token()})
        with urllib.request.urlopen(request, timeout=30) as answer:
            _access["node"] = json.load(answer)
    return _access["node"]


@schemathesis.hook
def before_call(context, case, kwargs):
    """X-Target-Server is part of every Apex request (not a credential): set as each endpoint wants it."""
    path = case.formatted_path
    if path.startswith("/api/v1/integration/"):
        headers = case.headers if case.headers is not None else {}
        headers["X-Target-Server"] = "authentication" if path.startswith("/api/v1/integration/auth/") else "integration"
        case.headers = headers


@schemathesis.auth()
class Credentials:
    """Valid credentials of each API; Schemathesis also sends requests without them, expecting 401."""

    def get(self, case, context):
        return True

    def set(self, case, data, context):
        headers = case.headers if case.headers is not None else {}
        case.headers = headers
        path = case.formatted_path
        if path in OPERATOR_PATHS:
            body = case.body if isinstance(case.body, (dict, list)) else {}
            headers["Authorization"] = "Bearer " + operator_token(path, body)
        elif path.startswith("/api/v1/integration/") and not path.startswith("/api/v1/integration/auth/"):
            headers["Authorization"] = "Bearer " + access_token()
        elif path.startswith("/workspaces/"):
            headers["Authorization"] = "Bearer " + BUDDY_TOKEN
