"""grafana-token.py against a stand-in for Grafana's HTTP API on 127.0.0.1 (no Grafana runs in CI).

Run: python3 -m unittest discover -s provisioning/falcosidekick
"""
import json
import os
import runpy
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, HTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))


class FakeGrafana(BaseHTTPRequestHandler):
    state = {}

    def log_message(self, *args):
        pass

    def answer(self, code, body=None):
        raw = b"" if body is None else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        if self.path == "/login" and code == 200:
            self.send_header("Set-Cookie", "grafana_session=s3ss10n; Path=/; HttpOnly")
        self.end_headers()
        self.wfile.write(raw)

    def logged_in(self):
        return "grafana_session=s3ss10n" in (self.headers.get("Cookie") or "")

    def do_GET(self):
        s = self.state
        s["calls"].append(("GET", self.path))
        if self.path == "/api/health":
            s["health_calls"] += 1
            return self.answer(200, {"database": "ok" if s["health_calls"] > 1 else "starting"})
        if not self.logged_in():
            return self.answer(401, {"message": "Unauthorized"})
        if self.path.startswith("/api/serviceaccounts/search"):
            return self.answer(200, {"serviceAccounts": s["accounts"]})
        if self.path == "/api/serviceaccounts/7/tokens":
            return self.answer(200, s["tokens"])
        self.answer(404, {"message": "not found"})

    def do_POST(self):
        s = self.state
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"null")
        s["calls"].append(("POST", self.path, body))
        if self.path == "/login":
            ok = body == {"user": "admin", "password": s["password"]}
            return self.answer(200 if ok else 401, {"message": "Logged in" if ok else "Invalid username or password"})
        if not self.logged_in():
            return self.answer(401, {"message": "Unauthorized"})
        if self.path == "/api/serviceaccounts":
            s["accounts"].append({"id": 7, "name": body["name"], "role": body["role"]})
            return self.answer(201, s["accounts"][-1])
        if self.path == "/api/serviceaccounts/7/tokens":
            return self.answer(200, {"id": 99, "name": body["name"], "key": "glsa_fresh_token_abc"})
        self.answer(404, {"message": "not found"})

    def do_DELETE(self):
        self.state["calls"].append(("DELETE", self.path))
        self.answer(200, {"message": "deleted"})


class GrafanaTokenTest(unittest.TestCase):
    def run_script(self, accounts, tokens, password="admin"):
        FakeGrafana.state = {"calls": [], "health_calls": 0, "accounts": accounts, "tokens": tokens, "password": "admin"}
        server = HTTPServer(("127.0.0.1", 0), FakeGrafana)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        out = os.path.join(tempfile.mkdtemp(), "sidekick", "config.yaml")
        env = {"GRAFANA_URL": f"http://127.0.0.1:{server.server_port}", "GRAFANA_ADMIN_PASSWORD": password,
               "FALCO_INGEST_TOKEN": 'ingest,tok:en "quoted"', "FALCOSIDEKICK_CONFIG": out}
        old = dict(os.environ)
        os.environ.update(env)
        try:
            runpy.run_path(os.path.join(HERE, "grafana-token.py"), run_name="__main__")
        finally:
            os.environ.clear()
            os.environ.update(old)
        return out, FakeGrafana.state["calls"]

    def test_creates_a_viewer_account_and_writes_the_webhook_config(self):
        out, calls = self.run_script(accounts=[], tokens=[])
        self.assertIn(("POST", "/api/serviceaccounts", {"name": "falcosidekick", "role": "Viewer", "isDisabled": False}), calls)
        with open(out) as f:
            text = f.read()
        # JSON-quoted values are YAML double-quoted scalars: commas, colons and quotes survive, unlike the env form.
        self.assertIn('  address: "http://127.0.0.1:', text)
        self.assertIn('/api/datasources/uid/falco/resources/events"', text)
        self.assertIn('    Authorization: "Bearer glsa_fresh_token_abc"', text)
        self.assertIn('    X-Containersec-Ingest-Token: "ingest,tok:en \\"quoted\\""', text)
        self.assertEqual(oct(os.stat(out).st_mode & 0o777), "0o644")

    def test_reuses_the_account_and_replaces_old_tokens(self):
        _, calls = self.run_script(accounts=[{"id": 7, "name": "falcosidekick", "role": "Viewer"}],
                                   tokens=[{"id": 1, "name": "old"}, {"id": 2, "name": "older"}])
        self.assertNotIn("/api/serviceaccounts", [c[1] for c in calls if c[0] == "POST"])
        self.assertIn(("DELETE", "/api/serviceaccounts/7/tokens/1"), calls)
        self.assertIn(("DELETE", "/api/serviceaccounts/7/tokens/2"), calls)

    def test_wrong_admin_password_stops_with_a_reason(self):
        with self.assertRaises(SystemExit) as e:
            self.run_script(accounts=[], tokens=[], password="wrong")
        self.assertIn("logging in as admin failed (401)", str(e.exception))


if __name__ == "__main__":
    unittest.main()
