"""Schemathesis hooks: valid credentials for each API of the local runner (SCHEMATHESIS_HOOKS).

- Argus operator API: a fresh OperatorAuth token per request, signed (HS256) over the request's own
  path and body as Argus's CLI makes them, for a node made for the run (kid = its id, signed with the
  operator secret its creation answered), so that stopping or shutting it down leaves the default
  node's public /status and /buckets answering 200.
- Apex integration API: X-Target-Server as each endpoint wants it, and an access token of the seeded
  API key (fetched once from /auth/authenticate).
- Buddy distributions API: the token `local.jar distributions-token WORKSPACE` printed (BUDDY_TOKEN)
  for the run's workspace (BUDDY_WORKSPACE), which every request's `workspace` path parameter names
  (a workspace the token does not list is answered 404, as if it did not exist).
The secrets are the local runner's development defaults unless the environment says otherwise.

Real resources for the operations on existing ones (FUZZ_REAL_IDS, default true): generated ids would
only ever be answered 404, so the path ids of the Apex node and distributor operations are replaced by
ids of resources made for the run (a node, a distributor with a webhook, a delivery of it). Operations
that delete or rewrite a resource get a fresh one per request, so that one case's DELETE, or a PUT
that removes the webhook, does not turn later cases into 404s or into updates of another state (a
distributor's update keeps the webhook fields it leaves out, so it gets one with a webhook). The
stateful phase keeps its own ids except for updates (they come from the answers it follows, and
use-after-free checks depend on them). Likewise a new Account or SubAccount in a valid request names
a real parent of the type it needs (an Apex, an Account): `parent_id` is a reference, like a path id.
So does a valid login or refresh, for one generated credential in two: the seeded key's halves, or a
fresh refresh token (the others keep getting 401).

The Buddy distribution and route operations likewise get a distribution (scope WORKSPACE) and a
route of it made for the run, fresh ones per request for deletes and valid updates (a refused PATCH
changes nothing): a PATCH is validated
laid over the stored resource, and the document's PATCH schemas describe it over these (a WORKSPACE
distribution without owner fields; a route with a Default EXTERNAL target). Routes made by a create
use generated hosts, so they seldom collide with the run's route (a collision is 409, a real answer).

Every answer's status is counted per operation; FUZZ_STATUS_LOG names the JSON file written at exit.
"""
import atexit
import base64
import collections
import hashlib
import hmac
import json
import os
import threading
import time
import urllib.request
import zlib

import schemathesis

BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:3335")
API_KEY = os.environ.get("INTEGRATION_API_KEY", "dev-api-key")
API_SECRET = os.environ.get("INTEGRATION_API_SECRET", "dev-api-secret-change-me")
BUDDY_TOKEN = os.environ["BUDDY_TOKEN"]
BUDDY_WORKSPACE = os.environ.get("BUDDY_WORKSPACE", "my-workspace")
OPERATOR_PATHS = {"/api/v1/" + op for op in
                  ("stop-api", "start-api", "shutdown", "boot", "set-worker", "set-buckets", "report-usage")}
REAL_IDS = os.environ.get("FUZZ_REAL_IDS", "true") == "true"
STATUS_LOG = os.environ.get("FUZZ_STATUS_LOG")
_access = {}
_lock = threading.RLock()
_statuses = collections.defaultdict(collections.Counter)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def operator_token(path: str, body) -> str:
    node = fuzz_node()
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": node["id"]}).encode())
    now = int(time.time())
    payload = _b64(json.dumps({"reqUrl": path, "reqBody": body, "iat": now, "exp": now + 60}).encode())
    signature = hmac.new(node["operator_secret"].encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def authenticate() -> dict:
    """The seeded key's login: its access and refresh tokens."""
    request = urllib.request.Request(BASE_URL + "/api/v1/integration/auth/authenticate", method="POST",
                                     data=json.dumps({"api_key": API_KEY, "secret_key": API_SECRET}).encode(),
                                     headers={"Content-Type": "application/json",
                                              "X-Target-Server": "authentication"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def access_token() -> str:
    if "token" not in _access or _access["expires"] < time.time() + 60:
        _access["token"] = authenticate()["access_token"]
        _access["expires"] = time.time() + 3000
    return _access["token"]


def _real_half(value) -> bool:
    """Whether a valid login case gets the seeded key's credential in place of a generated one: one
    generated value in two (by its CRC, so the run stays deterministic); the others keep testing 401."""
    return isinstance(value, str) and zlib.crc32(value.encode()) % 2 == 0


def _real_credentials(case) -> None:
    """Valid login and refresh requests name real credentials (a reference, like a path id): generated ones
    are only ever answered 401, so these two operations never got past it. Each half of a login is
    replaced where the request carries it (body field or header); a refresh gets a fresh refresh token."""
    body = case.body if isinstance(case.body, dict) else None
    headers = case.headers if case.headers is not None else {}
    if case.path == "/api/v1/integration/auth/authenticate":
        key = body.get("api_key") if body is not None and body.get("api_key") is not None else headers.get("Api-Key")
        if not _real_half(key):
            return
        for field, header, real in (("api_key", "Api-Key", API_KEY), ("secret_key", "Api-Secret", API_SECRET)):
            if body is not None and body.get(field) is not None:
                body[field] = real
            elif header in headers:
                headers[header] = real
    elif case.path == "/api/v1/integration/auth/refresh" and body is not None and _real_half(body.get("refresh_token")):
        body["refresh_token"] = authenticate()["refresh_token"]


def apex(method: str, path: str, body=None):
    """One Apex integration request with the seeded key's access token; the answer's JSON (or None)."""
    request = urllib.request.Request(BASE_URL + "/api/v1/integration" + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "X-Target-Server": "integration",
                                              "Authorization": "Bearer " + access_token()})
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def fuzz_node() -> dict:
    """An Apex node of the seeded key's tenant, made once: its id and operator secret."""
    with _lock:
        if "node" not in _access:
            _access["node"] = apex("POST", "/nodes", {"name": "schemathesis", "type": 1})
        return _access["node"]


def new_distributor() -> str:
    """A distributor of the run's node with a webhook (a host no resolver knows: nothing is sent)."""
    meta = {"host": "https://hooks.schemathesis.example", "path": "/hook", "method": 2,
            "authentication": {"type": 2, "token": "fuzz-token"}}
    return apex("POST", "/distributors/nodes/" + fuzz_node()["id"], {"meta": meta})["id"]


def fuzz_distributor() -> str:
    """The run's distributor, made once, and (once the node's first event reached it) one of its deliveries."""
    with _lock:
        if "distributor" not in _access:
            _access["distributor"] = new_distributor()
        return _access["distributor"]


def fuzz_delivery() -> str | None:
    """A delivery of the run's distributor: a set-worker of the run's node is an event fanned out to it."""
    with _lock:
        if "delivery" not in _access:
            distributor = fuzz_distributor()
            node = fuzz_node()
            body = {"workerId": 7}
            request = urllib.request.Request(BASE_URL + "/api/v1/set-worker", method="POST", data=json.dumps(body).encode(),
                                             headers={"Content-Type": "application/json",
                                                      "Authorization": "Bearer " + operator_token("/api/v1/set-worker", body)})
            urllib.request.urlopen(request, timeout=30).close()
            # Up to 60 s: the relay and the fan-out run on their own schedules, and a loaded CI machine once took
            # longer than the 10 s this waited before (the redeliver operation then only met unknown ids).
            for _ in range(600):
                page = apex("GET", "/distributors/" + distributor + "/deliveries")
                if page["deliveries"]:
                    _access["delivery"] = page["deliveries"][0]["id"]
                    break
                time.sleep(0.1)
            else:
                _access["delivery"] = None
        return _access["delivery"]


def buddy(method: str, path: str, body=None):
    """One Buddy request of the run's workspace with the run's token; the answer's JSON (or None)."""
    request = urllib.request.Request(BASE_URL + "/workspaces/" + BUDDY_WORKSPACE + "/distributions" + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer " + BUDDY_TOKEN})
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def new_distribution() -> str:
    """A distribution of the run's workspace, scope WORKSPACE (its identifier is made from the name, unique)."""
    return buddy("POST", "", {"name": "schemathesis", "scope": "WORKSPACE"})["id"]


def fuzz_distribution() -> str:
    with _lock:
        if "distribution" not in _access:
            _access["distribution"] = new_distribution()
        return _access["distribution"]


RUN_ROUTE_HOST = "run.schemathesis.example"


def new_route(distribution: str, subdomain: str | None = None) -> str:
    """A route of the distribution, for a host of its own (the same host and path in two routes is 409)."""
    if subdomain is None:
        with _lock:
            _access["routes"] = _access.get("routes", 0) + 1
            subdomain = f"r{_access['routes']}"
    body = {"type": "PROXY", "subdomain": subdomain, "domain": "schemathesis.example",
            "targets": {"Default": {"type": "EXTERNAL", "external_url": "https://origin.schemathesis.example"}}}
    return buddy("POST", "/" + distribution + "/routes", body)["id"]


def fuzz_route() -> str:
    with _lock:
        if "route" not in _access:
            _access["route"] = new_route(fuzz_distribution(), RUN_ROUTE_HOST.split(".")[0])
        return _access["route"]


# (method, path) -> path parameter -> the id it takes
def _real_ids(method: str, path: str, positive: bool = True) -> dict:
    node = lambda: fuzz_node()["id"]
    fresh_node = lambda: apex("POST", "/nodes", {"name": "schemathesis-" + method.lower(), "type": 1})["id"]
    if path.startswith("/api/v1/integration/nodes/{id}"):
        return {"id": fresh_node if method == "DELETE" else node}
    if path == "/api/v1/integration/distributors/nodes/{nodeId}":
        return {"nodeId": node}
    if path.startswith("/api/v1/nodes/{nodeId}"):
        return {"nodeId": node}
    if path == "/api/v1/integration/distributors/{id}" and method in ("PUT", "DELETE"):
        return {"id": new_distributor}
    if path.startswith("/workspaces/{workspace}/distributions"):
        ids = {}
        # a refused (invalid) PATCH changes nothing, so only valid ones and deletes need fresh resources
        fresh = method == "DELETE" or (method == "PATCH" and positive)
        if path == "/workspaces/{workspace}/distributions/{id}" and fresh:
            ids["id"] = new_distribution
        elif path == "/workspaces/{workspace}/distributions/{id}/routes/{routeId}" and fresh:
            distribution = new_distribution()
            ids["id"] = lambda: distribution
            ids["routeId"] = lambda: new_route(distribution)
        else:
            ids["id"] = fuzz_distribution
            ids["routeId"] = fuzz_route
        return ids
    if path.startswith("/api/v1/integration/distributors/{id}"):
        ids = {"id": fuzz_distributor}
        if "{deliveryId}" in path:
            ids["deliveryId"] = fuzz_delivery
        return ids
    return {}


def fuzz_account() -> str:
    """An Account under the run's node, made once: the parent a new SubAccount needs."""
    with _lock:
        if "account" not in _access:
            _access["account"] = apex("POST", "/nodes", {"name": "schemathesis-account", "type": 2,
                                                          "parent_id": fuzz_node()["id"]})["id"]
        return _access["account"]


def _positive(case) -> bool:
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


def _phase(case) -> str:
    meta = getattr(case, "meta", None)
    return str(meta.phase.name) if meta is not None and meta.phase is not None else ""


def _buddy_rules_json_schema_cannot_say(method: str, path: str, body: dict):
    """A valid Buddy body as the document states in words (docs/contract.md): a user or group id once per
    list (UniqueGrantIds: no JSON Schema keyword compares items by one field), and a non-empty subdomain
    and the domain at most 253 characters together (over the run's stored route for a PATCH)."""
    permissions = body.get("permissions")
    if isinstance(permissions, dict):
        for kind in ("users", "groups"):
            grants = permissions.get(kind)
            if isinstance(grants, list):
                seen, kept = set(), []
                for grant in grants:
                    if isinstance(grant, dict) and grant.get("id") in seen:
                        continue
                    seen.add(grant.get("id") if isinstance(grant, dict) else None)
                    kept.append(grant)
                permissions[kind] = kept
    if "/routes" in path and method in ("POST", "PATCH"):
        stored = {"subdomain": "r0000", "domain": "schemathesis.example"} if method == "PATCH" else {}
        subdomain = body.get("subdomain", stored.get("subdomain")) or ""
        domain = body.get("domain", stored.get("domain")) or ""
        if isinstance(subdomain, str) and isinstance(domain, str) and subdomain and len(subdomain) + 1 + len(domain) > 253:
            body["subdomain"] = ""


@schemathesis.hook
def before_call(context, case, kwargs):
    """X-Target-Server is part of every Apex request (not a credential): set as each endpoint wants it."""
    path = case.formatted_path
    if path.startswith("/api/v1/integration/"):
        headers = case.headers if case.headers is not None else {}
        headers["X-Target-Server"] = "authentication" if path.startswith("/api/v1/integration/auth/") else "integration"
        case.headers = headers
    if case.query and not _positive(case):
        # An object or array (or null) in a query string may be sent as an empty value (`page=`), which the
        # lists read as the parameter left out (blank = default): the same request as a valid one. Such a
        # negative case is sent with a value that stays invalid (not an integer) and is not blank.
        for name, value in list(case.query.items()):
            if name in ("page", "per_page") and (value is None or isinstance(value, (dict, list))
                                                 or (isinstance(value, str) and not value.strip())):
                case.query[name] = "not-a-number"
    if not REAL_IDS:
        return
    if _positive(case):
        _real_credentials(case)
    method = case.method.upper()
    stateful = _phase(case) == "stateful"
    if case.path_parameters and "workspace" in case.path_parameters:
        case.path_parameters["workspace"] = BUDDY_WORKSPACE  # in every phase: the token's one workspace
    if case.path_parameters and (not stateful or method in ("PUT", "PATCH")):
        for name, supply in _real_ids(method, case.path, _positive(case)).items():
            if name in case.path_parameters:
                value = supply()
                if value is not None:
                    case.path_parameters[name] = value
    if case.path.startswith("/workspaces/") and _positive(case) and isinstance(case.body, dict):
        _buddy_rules_json_schema_cannot_say(method, case.path, case.body)
    if case.path == "/workspaces/{workspace}/distributions/{id}/resolve" and _positive(case) and case.query \
            and case.query.get("host") is not None:
        fuzz_route()
        case.query["host"] = RUN_ROUTE_HOST  # a host of the run's route: a reference, like an id
    if (method, case.path) == ("POST", "/api/v1/integration/nodes") and _positive(case) and isinstance(case.body, dict):
        if case.body.get("type") == 2:
            case.body["parent_id"] = fuzz_node()["id"]
        elif case.body.get("type") == 3:
            case.body["parent_id"] = fuzz_account()


@schemathesis.hook
def after_call(context, case, response):
    with _lock:
        _statuses[case.operation.label][str(response.status_code)] += 1


@atexit.register
def _write_statuses():
    if STATUS_LOG:
        with open(STATUS_LOG, "w") as out:
            json.dump({label: dict(counts) for label, counts in sorted(_statuses.items())}, out, indent=1)


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
