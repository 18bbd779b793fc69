"""Voila settings for Bond Lab. Voila reads them through JUPYTER_CONFIG_PATH=etc/jupyter,
which `make workshop`, the tests and Binder's `start` set.

Everything a facilitator might change is an environment variable, listed in the README.
"""
import logging
import os

from server.preheat import WORKSHOP_PAGE, one_page_pool, pool_config, room_size
from server.privacy import install_in_voila
from server.shell import shell_resources
from server.voila_fixes import fix_binary_frames, fix_lost_wakeup

c = get_config()  # noqa: F821 (provided by traitlets when Voila loads this file)

# The kit's template: the safety shell on every page, nothing fetched from other hosts.
c.VoilaConfiguration.template = "kit"
c.VoilaConfiguration.resources = shell_resources(os.environ.get("BONDLAB_EXIT_URL"))

# Participants never see code or a traceback; a failing cell shows this calm line.
c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.show_tracebacks = False
def log_cell_error(cell, cell_index, execute_reply, **_):
    """Voila shows the participant the calm line below; the error itself goes to the server log."""
    content = execute_reply.get("content", {})
    logging.getLogger("bondlab.pages").error(
        "cell %s failed: %s: %s\n%s", cell_index, content.get("ename"), content.get("evalue"),
        "\n".join(content.get("traceback", [])))


c.VoilaExecutor.on_cell_error = log_cell_error
# A failing cell does not stop the cells after it.
c.VoilaExecutor.allow_errors = True
# A cell's output can reach Voila well after the cell's reply when a room opens the link at
# once on 2 cores (load 15: 25 cells in one burst took more than 4 s). nbclient waits only
# `iopub_timeout` (default 4 s) for it, then logs "Timeout waiting for IOPub output" and
# drops it: the participant got the page's shell and nothing else. The output does come;
# wait for it (tests/test_serving.py). nbclient still stops within a second if the kernel
# dies.
c.VoilaExecutor.iopub_timeout = 120
c.VoilaExecutor.cell_error_instruction = (
    "This part of the page could not be shown. The rest of the page still works; "
    "you can reload the page, or carry on without it."
)

# Ready kernels ("preheated": the page already built) for the one workshop page only, which
# every participant opens: ROOM of them for a room (`ROOM=30 make workshop`), else one, so
# the server stays light for a person alone. Every other page starts its kernel when opened.
# The pool fills one kernel at a time, and only when no page has been taken for a few
# seconds, so refilling never competes with a room that has just arrived (server/preheat.py).
# The console says "room ready: N of M".
ROOM = room_size()
c.VoilaConfiguration.preheat_kernel = True
c.VoilaConfiguration.default_pool_size = 0
c.VoilaKernelManager.kernel_pools_config = pool_config(ROOM)
one_page_pool(ROOM)
print(f"\n  Keeping {ROOM} workshop page{'s' if ROOM != 1 else ''} ready ({WORKSHOP_PAGE}; "
      f"set ROOM=30 for a room of 30).\n", flush=True)

# The room's experiment (class_experiment.ipynb): the facilitator key, made once in the data
# directory (or read from BONDLAB_FACILITATOR_KEY_FILE) and printed for whoever started the
# server; kernels read the same file. See workshop/room.py.
try:
    from workshop.room import facilitator_key, key_path
    print(f"\n  Facilitator key for the room's experiment: {facilitator_key()}\n"
          f"  Open class_experiment.ipynb?mode=facilitator and type it there (kept in "
          f"{key_path()}).\n", flush=True)
except Exception as error:  # noqa: BLE001 -- the workshop runs without the experiment
    logging.getLogger("bondlab.room").error("no facilitator key: %s", error)

# Expired class-experiment results are purged at start and every 10 minutes, and quick exit's
# beacon gets a Clear-Site-Data answer (server/privacy.py; under a Jupyter server, the same
# as a server extension in jupyter_server_config.py).
install_in_voila()

# Pages stuck on "Executing N of M" when many open at once: two causes, two fixes
# (see server/voila_fixes.py). A lost wake-up in Voila's kernel client, re-armed here;
# kernel port collisions over TCP, gone with IPC transport (Unix sockets).
fix_lost_wakeup()
c.KernelManager.transport = "ipc"
# The whole server freezing when one client uses the older kernel-websocket protocol
# (Voila reads its figure frames as protocol v1; see server/voila_fixes.py).
fix_binary_frames()

# A day-long workshop must not collect kernels of closed pages (voila #1458):
# kernels with no page attached are shut down after 10 idle minutes.
c.MappingKernelManager.cull_idle_timeout = int(os.environ.get("BONDLAB_CULL_IDLE_SECONDS", "600"))
c.MappingKernelManager.cull_interval = 60
c.MappingKernelManager.cull_connected = False

# Voila's own pages (a page that is not there, an error) carry the same safety shell as the
# workshop pages: the kit's error.html reads the shell's text from these template variables.
# An address the server does not know at all gets that page too, not Tornado's bare one.
_kit_vars = {"kit": c.VoilaConfiguration.resources["kit"]}
c.ServerApp.jinja_template_vars = _kit_vars


def _not_found_page():
    """Tornado's default handler for unknown addresses: the kit's "not here" page."""
    from tornado.web import HTTPError
    from voila.configuration import VoilaConfiguration
    from voila.handler import BaseVoilaHandler

    class NotFoundPage(BaseVoilaHandler):
        def initialize(self):
            self.voila_configuration = VoilaConfiguration(template="kit")

        async def prepare(self):
            await super().prepare()
            raise HTTPError(404)

    return NotFoundPage


c.Voila.tornado_settings = {"jinja_template_vars": _kit_vars,
                            "default_handler_class": _not_found_page()}
