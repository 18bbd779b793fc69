"""A real JupyterHub for the tests and the hub bench: the kit's hub configurations, loopback only.

The hub runs from this environment (jupyterhub, jupyterhub-idle-culler and
jupyterhub-tmpauthenticator from the `hub` extra) with the proxy that `make hub-proxy`
installs from npm; its own state (database, cookie secret, users' folders) stays in a
temporary folder. Users arrive over HTTP with their own cookies, as browsers do.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import uuid
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import requests
from traitlets.config.loader import PyFileConfigLoader
import websocket

from kit_browser import ROOT, free_port
from workshop.crisis import load_crisis_resources

PROXY = ROOT / ".venv" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
HUB_CONFIG = ROOT / "tests" / "hub_config.py"
SETTINGS = PyFileConfigLoader("bondlab_hub.py", path=str(ROOT / "hub")).load_config()
START_PAGE = SETTINGS.Spawner.default_url
EXIT_URL = SETTINGS.Spawner.environment["BONDLAB_EXIT_URL"]
NO_PROXY = ("configurable-http-proxy not found at {path}: `make hub-proxy` installs it from npm "
            "(`make test` does this first).")


def proxy_command() -> str:
    """The proxy `make hub-proxy` installed, else one on PATH; a clear error if neither."""
    found = str(PROXY) if PROXY.exists() else shutil.which("configurable-http-proxy")
    if not found:
        raise RuntimeError(NO_PROXY.format(path=PROXY))
    return found


class Hub:
    """``jupyterhub -f <config>`` on free loopback ports, its state in ``folder``."""

    def __init__(self, config: Path, folder: Path, env: dict | None = None):
        self.config, self.folder = Path(config), Path(folder)
        self.env = dict(os.environ, **(env or {}))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.folder / "hub.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> "Hub":
        self.folder.mkdir(parents=True, exist_ok=True)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(self.config),
             "--ip=127.0.0.1", f"--port={self.port}", f"--JupyterHub.hub_port={free_port()}",
             f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{free_port()}",
             f"--ConfigurableHTTPProxy.command={proxy_command()}"]
            # This sandbox runs as root; a real hub runs as an ordinary user (hub/).
            + (["--Spawner.args=['--allow-root']"] if os.geteuid() == 0 else []),
            cwd=self.folder, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {self.proc.returncode}: {self.tail()}")
            try:
                if requests.get(self.url + "/hub/api/", timeout=5).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"JupyterHub did not answer within {timeout} s: {self.tail()}")

    def tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def login(self, name: str | None = None, password: str = "x") -> requests.Session:
        """A browser-like session logged in as ``name`` (DummyAuthenticator's form), or, with
        no name, as whoever the hub makes of a new visitor (the temporary-account redirect)."""
        session = requests.Session()
        if name is None:
            session.get(self.url + "/hub/", timeout=60, allow_redirects=False)
            r = session.get(self.url + "/hub/tmplogin", timeout=60, allow_redirects=False)
        else:
            form = session.get(self.url + "/hub/login", timeout=60).text
            xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form)
            r = session.post(self.url + "/hub/login", timeout=60, allow_redirects=False,
                             data={"username": name, "password": password,
                                   "_xsrf": xsrf.group(1) if xsrf else ""})
        if r.status_code != 302:
            raise RuntimeError(f"login refused ({r.status_code}): {r.text[:500]}")
        return session

    def open_workshop(self, session: requests.Session, timeout: float = 240) -> requests.Response:
        """Follow the hub from /hub/ to the user's first page, as a browser would (the spawn
        can take a while: the pending page is polled until the server answers)."""
        deadline = time.monotonic() + timeout
        r = session.get(self.url + "/hub/", timeout=180)
        while (pending := re.search(r"/hub/spawn-pending/([^/?]+)", r.url)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{pending.group(1)}'s server did not start: {self.tail()}")
            time.sleep(0.5)
            r = session.get(f"{self.url}/user/{pending.group(1)}/", timeout=180)
            if r.status_code >= 500:
                raise RuntimeError(f"{pending.group(1)}'s server failed to start: {self.tail()}")
        return r

    def api(self, method: str, path: str, token: str, **kw) -> requests.Response:
        return requests.request(method, f"{self.url}/hub/api{path}", timeout=60,
                                headers={"Authorization": f"token {token}"}, **kw)

    def run_in_kernel(self, user: str, code: str, token: str) -> str:
        """Run ``code`` in a new kernel of ``user``'s server, through its REST API and kernel
        websocket as JupyterLab would, and return what it printed (an error raises)."""
        kernels = f"{self.url}/user/{user}/api/kernels"
        auth = {"Authorization": f"token {token}"}
        kernel = requests.post(kernels, headers=auth, json={"name": "python3"}, timeout=120)
        kernel.raise_for_status()
        kernel_id = kernel.json()["id"]
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{self.port}/user/{user}/api/kernels/{kernel_id}/channels",
            header=[f"Authorization: token {token}"], timeout=180)
        try:
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "tests",
                           "session": uuid.uuid4().hex, "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": False,
                            "user_expressions": {}, "allow_stdin": False}}))
            printed = []
            while True:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    printed.append(content["text"])
                elif kind == "error":
                    raise RuntimeError(f"{user}'s kernel: {content['ename']}: {content['evalue']}")
                elif kind == "status" and content["execution_state"] == "idle":
                    return "".join(printed)
        finally:
            ws.close()
            requests.delete(f"{kernels}/{kernel_id}", headers=auth, timeout=60)

    def stop(self) -> None:
        """End the hub this object started (it stops its users' servers first)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if getattr(self, "log", None):
            self.log.close()


def hub_for_tests(folder: Path, config: str, **env) -> Hub:
    """A hub serving ``hub/<config>`` through tests/hub_config.py, with an API token
    (``hub.token``) for the tests; ``env`` is passed to it (and so to its configuration)."""
    hub = Hub(HUB_CONFIG, folder, env={"BONDLAB_TEST_HUB": config,
                                       "BONDLAB_TEST_HUB_TOKEN": secrets.token_hex(16),
                                       **{k: str(v) for k, v in env.items()}})
    hub.token = hub.env["BONDLAB_TEST_HUB_TOKEN"]
    return hub


def check_workshop_page(response, name: str) -> None:
    """The workshop's first page under /user/<name>/, with the kit's template and shell."""
    html = response.text
    assert response.status_code == 200, html[:500]
    assert urlparse(response.url).path == f"/user/{name}{START_PAGE}"
    assert 'id="kit-exit"' in html and 'id="kit-help"' in html and 'class="kit-bar"' in html
    assert f'data-exit-url="{EXIT_URL}"' in html
    assert "<title>Notes</title>" in html
    first = load_crisis_resources()["regions"][0]["entries"][0]
    assert first["name"] in html
    hub_host = urlparse(response.url).netloc
    outside = [u for u in re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
               if urlparse(u).netloc != hub_host]
    assert outside == []
