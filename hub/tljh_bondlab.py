"""The Littlest JupyterHub: Bond Lab for many rooms, with Voila as every user's first page.

Install: copy this file to /opt/tljh/config/jupyterhub_config.d/bondlab.py, put the kit
in the user environment (`sudo -E /opt/tljh/user/bin/pip install -e /srv/bondlab`) with
the repository at /srv/bondlab, then `sudo tljh-config reload`. TLJH already culls idle
user servers (jupyterhub-idle-culler).
"""
BONDLAB = "/srv/bondlab"

c = get_config()  # noqa: F821 (provided by traitlets)
c.Spawner.notebook_dir = BONDLAB
c.Spawner.default_url = "/voila/render/notebooks/00_start.ipynb"
c.Spawner.environment = {
    "JUPYTER_PATH": f"{BONDLAB}/share/jupyter",
    "JUPYTER_CONFIG_PATH": f"{BONDLAB}/etc/jupyter",
}
