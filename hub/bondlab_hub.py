"""What every hub gives each user's server: the kit's start page, template and settings.

Loaded with ``load_subconfig`` by the hub configurations beside it (``tljh_bondlab.py``,
``public_bondlab.py``); ``z2jh-values.yaml`` carries the same values for Kubernetes and
tests/test_hub_config.py checks they agree. Each user's server is a Jupyter server with Voila
as an extension (etc/jupyter/jupyter_server_config.py), reading the kit's template and
settings through JUPYTER_PATH and JUPYTER_CONFIG_PATH, as under ``make workshop``.
"""
import os
import tempfile

c = get_config()  # noqa: F821 (provided by traitlets)

KIT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
# The page every participant lands on, under /user/<name>/: change it here and only here.
START_PAGE = "/voila/render/notebooks/index.ipynb"
# Quick exit leaves for a common neutral site: a page on the hub's own host would still name
# the kit in the browser's history. BBC Weather: widely visited, unremarkable on any device,
# and GOV.UK's own quick-exit pattern also sends people to a weather page.
EXIT_URL = "https://www.bbc.co.uk/weather"
# The class experiment's one store (its database and facilitator key), shared by every
# user's server on this hub: the hub's own BONDLAB_STATE_DIR, else /var/lib/bondlab.
ROOM_STORE = os.environ.get("BONDLAB_STATE_DIR", "/var/lib/bondlab")

c.Spawner.notebook_dir = KIT
c.Spawner.default_url = START_PAGE
c.Spawner.environment = {
    "JUPYTER_PATH": f"{KIT}/share/jupyter",
    "JUPYTER_CONFIG_PATH": f"{KIT}/etc/jupyter",
    "BONDLAB_EXIT_URL": EXIT_URL,
    "BONDLAB_STATE_DIR": ROOM_STORE,
    # The kernels talk over Unix sockets (etc/jupyter/voila.py), named after their connection
    # files; a socket's path must stay under 107 characters, which a runtime folder in a long
    # home folder breaks (a temporary account's name alone is 36). So: a short one per user.
    "JUPYTER_RUNTIME_DIR": lambda spawner: os.path.join(tempfile.gettempdir(),
                                                        f"bondlab-{spawner.user.id}"),
}
# The hub's own pages (sign-in, "your server is starting", "try again later") have quick exit too.
c.JupyterHub.template_paths = [os.path.join(KIT, "hub", "templates")]
c.JupyterHub.template_vars = {"bondlab_exit_url": EXIT_URL}
# One participant's page is ~110 MB (kernel and its share of the server; see README, Speed).
c.Spawner.mem_guarantee = "256M"
c.Spawner.mem_limit = "1G"
# A hub busy starting a room's servers can take more than the default 30 s to start one.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
