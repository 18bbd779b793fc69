"""The Littlest JupyterHub: Bond Lab for many rooms, with the workshop as every user's first page.

Install, with the repository at /srv/bondlab: put the kit in the user environment
(``sudo -E /opt/tljh/user/bin/pip install -e /srv/bondlab``), link this file into TLJH's
configuration (``sudo ln -s /srv/bondlab/hub/tljh_bondlab.py
/opt/tljh/config/jupyterhub_config.d/bondlab.py``), then ``sudo tljh-config reload``. TLJH
already culls idle user servers (jupyterhub-idle-culler) and enforces the memory limit.
On TLJH every user is a system account of their own, and the class experiment's store is
private to the account that made it (workshop/room.py): run a room's experiment from one
account, or serve rooms with a local spawner as public_bondlab.py does.
Everything each user's server gets is in bondlab_hub.py, which tests/test_hub.py serves
through a real JupyterHub.
"""
import os

load_subconfig(os.path.join(os.path.dirname(os.path.realpath(__file__)), "bondlab_hub.py"))  # noqa: F821
