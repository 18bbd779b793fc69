"""Running past one machine: Binder, The Littlest JupyterHub and Zero to JupyterHub configs."""
from __future__ import annotations

import json
import os
import re
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

START_URL = "/voila/render/notebooks/index.ipynb"


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


def _hub_config(name: str):
    return PyFileConfigLoader(name, path=str(ROOT / "hub")).load_config()


HUB_CONFIGS = ("bondlab_hub.py", "tljh_bondlab.py", "public_bondlab.py")
Z2JH = yaml.safe_load((ROOT / "hub" / "z2jh-values.yaml").read_text())


@pytest.mark.parametrize("name", HUB_CONFIGS)
def test_hub_configs_open_the_start_page_with_the_kit(name):
    config = _hub_config(name)
    assert _notebook_of(config.Spawner.default_url).exists()
    env = config.Spawner.environment
    kit = Path(config.Spawner.notebook_dir)
    assert kit == ROOT
    for var, folder in (("JUPYTER_PATH", "share/jupyter"), ("JUPYTER_CONFIG_PATH", "etc/jupyter")):
        assert env[var] == str(kit / folder) and (ROOT / folder).is_dir()


@pytest.mark.parametrize("name", HUB_CONFIGS + ("z2jh-values.yaml",))
def test_every_hub_config_sends_quick_exit_to_a_common_neutral_site(name):
    env = Z2JH["singleuser"]["extraEnv"] if name.endswith(".yaml") else _hub_config(name).Spawner.environment
    exit_url = env["BONDLAB_EXIT_URL"]
    assert exit_url == "https://www.bbc.co.uk/weather"


def test_the_public_config_keeps_nothing_and_limits_servers():
    config = _hub_config("public_bondlab.py")
    assert config.JupyterHub.authenticator_class == "tmp"
    assert config.JupyterHub.active_server_limit > 0 and config.Spawner.mem_limit
    culler = config.JupyterHub.services[0]["command"]
    assert "jupyterhub_idle_culler" in culler and "--cull-users=true" in culler
    assert callable(config.Spawner.post_stop_hook)


def test_z2jh_values_match_the_tested_configuration():
    """Kubernetes gets what the hub tests serve: page, environment, exit, limits, culling."""
    common, public = _hub_config("bondlab_hub.py"), _hub_config("public_bondlab.py")
    single = Z2JH["singleuser"]
    kit = single["notebookDir"]
    assert single["defaultUrl"] == common.Spawner.default_url
    env = common.Spawner.environment
    for var in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH"):
        assert single["extraEnv"][var] == env[var].replace(str(ROOT), kit)
    assert single["extraEnv"]["BONDLAB_EXIT_URL"] == env["BONDLAB_EXIT_URL"]
    assert single["memory"] == {"guarantee": common.Spawner.mem_guarantee,
                                "limit": common.Spawner.mem_limit}
    assert single["startTimeout"] == common.Spawner.start_timeout
    assert single["storage"] == {"type": "none"}  # nothing kept after a visit
    hub = Z2JH["hub"]["config"]["JupyterHub"]
    assert hub["authenticator_class"] == public.JupyterHub.authenticator_class
    for limit in ("active_server_limit", "concurrent_spawn_limit"):
        assert hub[limit] == public.JupyterHub[limit]
    assert Z2JH["hub"]["config"]["Authenticator"]["allow_all"] is public.Authenticator.allow_all
    culler = public.JupyterHub.services[0]["command"]
    cull = Z2JH["cull"]
    assert cull["enabled"] is True and cull["users"] is ("--cull-users=true" in culler)
    assert f"--timeout={cull['timeout']}" in culler and f"--cull-every={cull['every']}" in culler


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
        # Voila's page would fetch MathJax from a CDN if the server named a MathJax URL.
        config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', html, re.S).group(1))
        assert config["fullMathjaxUrl"] is None and config["mathjaxConfig"] is None
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
