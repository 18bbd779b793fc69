"""A public self-paced Bond Lab on JupyterHub: anyone opens the site, nobody signs up.

Each visitor gets a temporary account (jupyterhub-tmpauthenticator: a random name, no
password, no sign-up) and lands on the workshop page. When the visit ends (idle for
BONDLAB_VISIT_IDLE_SECONDS, default 20 minutes) the culler stops the server and deletes the
account, and the visit's folder (its home, and any room store) is removed: nothing is kept.
At most BONDLAB_MAX_VISITORS servers run at once (the sizing rule in README); a visitor past
the limit is asked to try again in a few minutes.

Run from the kit's own environment: ``make install-hub`` (JupyterHub, the culler, the
temporary accounts and the proxy), then
``PATH=$PWD/.venv/hub/node_modules/.bin:$PATH .venv/bin/jupyterhub -f hub/public_bondlab.py``
in a folder for the hub's own state, behind HTTPS.

Isolation: the local spawner runs every visitor's server as the hub's own system user, and
a Jupyter server runs any code its user sends. Run this hub as an unprivileged user on a
machine (or VM, or container) that holds nothing else, or use Zero to JupyterHub
(z2jh-values.yaml), which gives each visitor a container of their own.
"""
import os
import shutil
import sys

load_subconfig(os.path.join(os.path.dirname(os.path.realpath(__file__)), "bondlab_hub.py"))  # noqa: F821

# Where visits live while they last: one folder per visitor, removed when the server stops.
VISITS = os.environ.get("BONDLAB_VISITS_DIR", "/tmp/bondlab-visits")
IDLE_SECONDS = int(os.environ.get("BONDLAB_VISIT_IDLE_SECONDS", "1200"))
MAX_VISITORS = int(os.environ.get("BONDLAB_MAX_VISITORS", "20"))

c.JupyterHub.authenticator_class = "tmp"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.Spawner.cmd = [os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")]
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(VISITS, "{username}")
# A visitor's room store is their own, inside the visit's folder (no shared rooms here).
c.Spawner.environment["BONDLAB_STATE_DIR"] = lambda spawner: os.path.join(spawner.home_dir, "bondlab")


def _forget_the_visit(spawner):
    """The visit's folder goes with its server: nothing a visitor did stays on the machine."""
    for folder in (spawner.home_dir, spawner.environment["JUPYTER_RUNTIME_DIR"](spawner)):
        shutil.rmtree(folder, ignore_errors=True)


c.Spawner.post_stop_hook = _forget_the_visit

c.JupyterHub.active_server_limit = MAX_VISITORS
c.JupyterHub.concurrent_spawn_limit = max(2, MAX_VISITORS // 2)
# A visit ends after IDLE_SECONDS without activity: server stopped, account deleted.
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_SECONDS}",
                f"--cull-every={max(5, IDLE_SECONDS // 4)}", "--cull-users=true"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers",
               "admin:users"],
    "services": ["idle-culler"],
}]
