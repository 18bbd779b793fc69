"""Bond Lab under a Jupyter server (Binder, JupyterHub): Voila runs as a server extension.

The same settings as a standalone `make workshop` (etc/jupyter/voila.py), loaded from
that file, so the two cannot drift apart. Found through JUPYTER_CONFIG_PATH, which
Binder's `start` and the hub configurations in hub/ set.
"""
import os

c = get_config()  # noqa: F821 (provided by traitlets)
load_subconfig(os.path.join(os.path.dirname(os.path.abspath(__file__)), "voila.py"))  # noqa: F821

# No request leaves the server: under a Jupyter server, Voila's pages would load MathJax from
# a CDN (its default URL, used unless the server's settings name none). Standalone Voila
# names none, and so does this (tests/test_hub.py watches a hub user's page in Chromium).
c.ServerApp.tornado_settings = {"mathjax_url": None, "mathjax_config": None}
