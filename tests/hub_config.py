"""The hubs tests/test_hub.py starts: a configuration from hub/, plus an API token for the tests.

``BONDLAB_TEST_HUB`` names the configuration. TLJH's (tljh_bondlab.py) gets a local spawner and
test accounts (DummyAuthenticator) in place of TLJH's own systemd spawner and sign-in, with
every user's folder under ``BONDLAB_TEST_HOMES``; the public one (public_bondlab.py) runs as it
is. Either way, what each user's server gets comes from hub/bondlab_hub.py.
"""
import os
import sys

c = get_config()  # noqa: F821 (provided by traitlets)
HUB = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "hub")
load_subconfig(os.path.join(HUB, os.environ["BONDLAB_TEST_HUB"]))  # noqa: F821

if os.environ["BONDLAB_TEST_HUB"] == "tljh_bondlab.py":
    c.JupyterHub.authenticator_class = "dummy"
    c.Authenticator.allow_all = True
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(
        os.environ["BONDLAB_TEST_HOMES"], "{username}")
    c.Spawner.cmd = [os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")]

c.JupyterHub.services.append({"name": "tests", "api_token": os.environ["BONDLAB_TEST_HUB_TOKEN"]})
c.JupyterHub.load_roles.append({"name": "tests", "services": ["tests"], "scopes": [
    "admin:users", "admin:servers", "access:servers", "read:users"]})
