"""Running past one machine: Binder, The Littlest JupyterHub and Zero to JupyterHub configs."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

from kit_browser import ROOT, free_port

START_URL = "/voila/render/notebooks/00_start.ipynb"


def _notebook_of(url: str) -> Path:
    return ROOT / url.split("/voila/render/", 1)[1]


def test_binder_environment_is_valid_conda_yaml():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip


def test_binder_start_points_voila_at_the_kit(tmp_path):
    out = subprocess.run(["bash", str(ROOT / "start"), "env"], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={"PATH": os.environ["PATH"]}).stdout
    assert f"JUPYTER_PATH={ROOT}/share/jupyter" in out
    assert f"JUPYTER_CONFIG_PATH={ROOT}/etc/jupyter" in out


def test_binder_start_sends_quick_exit_to_a_common_neutral_site():
    """A public copy must not exit to a page on its own host (which names the repository)."""
    def exit_url(env):
        out = subprocess.run(["bash", str(ROOT / "start"), "env"], cwd=ROOT, text=True,
                             capture_output=True, check=True,
                             env={"PATH": os.environ["PATH"], **env}).stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)[
            "BONDLAB_EXIT_URL"]

    assert exit_url({}) == "https://www.bbc.co.uk/weather"
    assert exit_url({"BONDLAB_EXIT_URL": "https://example.org/news"}) == "https://example.org/news"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "https://www.bbc.co.uk/weather" in readme and "`start`" in readme


def test_tljh_config_opens_the_start_page():
    config = PyFileConfigLoader("tljh_bondlab.py", path=str(ROOT / "hub")).load_config()
    assert _notebook_of(config.Spawner.default_url).exists()
    env = config.Spawner.environment
    kit = Path(config.Spawner.notebook_dir)
    for var, folder in (("JUPYTER_PATH", "share/jupyter"), ("JUPYTER_CONFIG_PATH", "etc/jupyter")):
        assert env[var] == str(kit / folder) and (ROOT / folder).is_dir()


def test_z2jh_values_open_the_start_page():
    values = yaml.safe_load((ROOT / "hub" / "z2jh-values.yaml").read_text())
    single = values["singleuser"]
    assert _notebook_of(single["defaultUrl"]).exists()
    assert single["extraEnv"]["JUPYTER_CONFIG_PATH"].endswith("/etc/jupyter")
    assert single["extraEnv"]["JUPYTER_PATH"].endswith("/share/jupyter")
    assert values["cull"]["enabled"] is True


def test_jupyter_server_serves_the_start_page_through_voila(tmp_path):
    """What Binder and a hub run: jupyter server + the Voila extension + etc/jupyter settings."""
    port = free_port()
    env = dict(os.environ, JUPYTER_PATH=str(ROOT / "share" / "jupyter"),
               JUPYTER_CONFIG_PATH=str(ROOT / "etc" / "jupyter"),
               BONDLAB_STATE_DIR=str(tmp_path / "data"))
    from workshop import room

    db = tmp_path / "data" / "rooms.sqlite3"
    db.parent.mkdir()
    room.start_room(retention_days=1, path=db)
    with sqlite3.connect(db) as conn:  # a room whose day has passed: purged at start
        conn.execute("UPDATE rooms SET created = created - 2 * 86400")
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter-server"), "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", f"--ServerApp.root_dir={ROOT}", "--allow-root"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        html = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{START_URL}", timeout=60) as r:
                    html = r.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert 'id="kit-exit"' in html and 'id="kit-help"' in html, (tmp_path / "server.log").read_text()[-2000:]
        assert "cdn.jsdelivr" not in html and "<title>Notes</title>" in html
        # A mistyped page address: the kit's calm page with the safety shell, not a bare error.
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/notebooks/no_such.ipynb", timeout=60)
            raise AssertionError("a missing page must answer 404")
        except urllib.error.HTTPError as error:
            assert error.code == 404
            missing = error.read().decode()
        assert 'id="kit-exit"' in missing and "This page is not here" in missing
        # Quick exit's clearing handler, from the kit's server extension (server/privacy.py).
        clear = urllib.request.Request(f"http://127.0.0.1:{port}/voila/bondlab/clear-site-data",
                                       data=b"", method="POST")
        with urllib.request.urlopen(clear, timeout=30) as r:
            assert r.status == 204 and r.headers["Clear-Site-Data"] == '"cache", "storage"'
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT COUNT(*) FROM rooms").fetchone()[0] == 0
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
