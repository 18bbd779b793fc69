"""The kit's one look for figures, shared by the widgets, the handouts and the command line:
the Okabe & Ito (2008) colour-blind-safe palette, line styles and hatches paired with it (colour
is never the only code), and font sizes for a projector."""
from __future__ import annotations

import contextlib

__all__ = ["OKABE_ITO", "COLORS", "LINESTYLES", "RC", "PHASE_COLORS", "PHASE_HATCHES",
           "plot_style"]

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9",
    "bluish_green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
    "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
#: The order series take: strong contrasts first (yellow last: low contrast on white).
COLORS = [OKABE_ITO[k] for k in ("blue", "vermillion", "bluish_green", "reddish_purple",
                                 "orange", "sky_blue", "black", "yellow")]
#: Line styles paired with COLORS, so colour is never the only code.
LINESTYLES = ["solid", "dashed", "dotted", "dashdot",
              (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 3)), (0, (3, 1, 1, 1))]

#: rcParams for a projector: large fonts, thick lines, no chart junk.
RC = {
    "font.size": 15, "axes.titlesize": 17, "axes.labelsize": 15,
    "xtick.labelsize": 13, "ytick.labelsize": 13, "legend.fontsize": 13,
    "lines.linewidth": 2.5, "axes.spines.top": False, "axes.spines.right": False,
    "axes.grid": True, "grid.alpha": 0.3, "figure.dpi": 100, "savefig.dpi": 100,
    "figure.facecolor": "white", "axes.facecolor": "white",
}


@contextlib.contextmanager
def plot_style():
    """Context manager: draw inside it to get the kit's style (fonts are read at creation)."""
    import matplotlib
    from cycler import cycler

    rc = dict(RC)
    rc["axes.prop_cycle"] = cycler(color=COLORS[:4]) + cycler(linestyle=LINESTYLES[:4])
    with matplotlib.rc_context(rc):
        yield


#: Hatching per cycle phase (tension, incident, reconciliation, calm): colour is never the
#: only code.
PHASE_HATCHES = ("//", "xx", "..", "")
PHASE_COLORS = (OKABE_ITO["orange"], OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"],
                OKABE_ITO["sky_blue"])
