"""Gives falcosidekick a Grafana service account token, so its webhook reaches the Falco datasource with no manual step.

Grafana has no provisioning for service accounts, so this one-shot step of docker compose uses Grafana's HTTP API:
it logs in as the admin (basic auth is off in this image; a session cookie without an Origin header passes
Grafana's CSRF check), creates the Viewer service account "falcosidekick" if missing, replaces its tokens with a
fresh one, and writes falcosidekick's config file (webhook address and custom headers) to a volume only the two
containers share. Grafana checks the Bearer token and strips it; the plugin checks X-Containersec-Ingest-Token.
"""
import http.cookiejar
import json
import os
import sys
import time
import urllib.error
import urllib.request

GRAFANA = os.environ.get("GRAFANA_URL", "http://grafana:3000")
ADMIN_USER = os.environ.get("GRAFANA_ADMIN_USER", "admin")
ADMIN_PASSWORD = os.environ["GRAFANA_ADMIN_PASSWORD"]
INGEST_TOKEN = os.environ["FALCO_INGEST_TOKEN"]
DATASOURCE_UID = os.environ.get("FALCO_DATASOURCE_UID", "falco")
OUT = os.environ.get("FALCOSIDEKICK_CONFIG", "/falcosidekick/config.yaml")
ACCOUNT = "falcosidekick"

opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(GRAFANA + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with opener.open(req, timeout=10) as resp:
        raw = resp.read()
        return json.loads(raw) if raw else None


def wait_for_grafana():
    deadline = time.time() + 180
    while True:
        try:
            if call("GET", "/api/health").get("database") == "ok":
                return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        if time.time() > deadline:
            sys.exit("grafana-token: Grafana did not become healthy within 180 s")
        time.sleep(2)


def yaml_string(s):
    # JSON strings are valid YAML double-quoted scalars.
    return json.dumps(s)


def main():
    wait_for_grafana()
    try:
        call("POST", "/login", {"user": ADMIN_USER, "password": ADMIN_PASSWORD})
    except urllib.error.HTTPError as e:
        sys.exit(f"grafana-token: logging in as {ADMIN_USER} failed ({e.code}); is GRAFANA_ADMIN_PASSWORD right?")
    found = call("GET", f"/api/serviceaccounts/search?query={ACCOUNT}")
    account = next((a for a in found.get("serviceAccounts", []) if a.get("name") == ACCOUNT), None)
    if account is None:
        account = call("POST", "/api/serviceaccounts", {"name": ACCOUNT, "role": "Viewer", "isDisabled": False})
    sa = account["id"]
    # One token at a time: each `compose up` replaces the previous one instead of piling them up.
    for token in call("GET", f"/api/serviceaccounts/{sa}/tokens") or []:
        call("DELETE", f"/api/serviceaccounts/{sa}/tokens/{token['id']}")
    key = call("POST", f"/api/serviceaccounts/{sa}/tokens", {"name": f"{ACCOUNT}-{int(time.time())}"})["key"]

    config = "\n".join([
        "# Written by provisioning/falcosidekick/grafana-token.py at every `docker compose up`.",
        "webhook:",
        f"  address: {yaml_string(GRAFANA + '/api/datasources/uid/' + DATASOURCE_UID + '/resources/events')}",
        "  customHeaders:",
        f"    Authorization: {yaml_string('Bearer ' + key)}",
        f"    X-Containersec-Ingest-Token: {yaml_string(INGEST_TOKEN)}",
        "",
    ])
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        f.write(config)
    os.chmod(tmp, 0o644)  # falcosidekick's image runs as a non-root user
    os.replace(tmp, OUT)
    print(f"grafana-token: service account {ACCOUNT} (Viewer) has a fresh token; wrote {OUT}")


if __name__ == "__main__":
    main()
