"""The ``bondlab`` command: the engine's commands (:mod:`bondlab.__main__`: list, run,
extinction, validate) plus the kit's own.

Usage::

    bondlab handouts --out DIR [--pdf | --no-pdf]
    bondlab run SCENARIO ... [--plot FILE.png]

Bad input exits with status 2 and a one-line message on stderr.
"""
from __future__ import annotations

import argparse
import sys

from bondlab import __main__ as engine
from workshop.style import OKABE_ITO

__all__ = ["build_parser", "main"]


def build_parser():
    p = engine.build_parser()
    p.description = "Bond Lab: the simulation engine and the workshop kit's handouts."
    p.subcommands.choices["run"].add_argument(
        "--plot", metavar="FILE.png", help="save a figure of attachment, mood and withdrawal")
    h = p.subcommands.add_parser("handouts", help="printable handouts (HTML, and PDF via Chromium)")
    h.add_argument("--out", required=True, metavar="DIR", help="folder to write them to")
    h.add_argument("--pdf", action=argparse.BooleanOptionalAction, default=None,
                   help="print PDFs with headless Chromium (default: when available)")
    return p


def _cmd_run(args, out):
    return engine._cmd_run(args, out, on_result=_plot if args.plot else None)


def _cmd_handouts(args, out):
    from workshop.handouts import main_handouts
    return main_handouts(args, out)


def _plot(result, args) -> str:
    """Attachment, mood and withdrawal (median and quartiles) around the day of leaving."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 7))
    axes = fig.subplots(3, 1, sharex=True)
    styles = {"attachment": (OKABE_ITO["blue"], "-"), "mood": (OKABE_ITO["orange"], "--"),
              "withdrawal": (OKABE_ITO["vermillion"], ":")}
    for ax, name in zip(axes, ("attachment", "mood", "withdrawal")):
        med, q25, q75 = result.band(name)
        colour, ls = styles[name]
        ax.fill_between(result.day, q25, q75, color=colour, alpha=0.25, linewidth=0)
        ax.plot(result.day, med, color=colour, linestyle=ls, label=f"{name} (median, quartiles)")
        ax.axvline(0, color="0.3", linewidth=1)
        ax.set_ylabel(name)
        ax.legend(loc="upper right", fontsize=8)
    axes[-1].set_xlabel("days relative to leaving (0 = first day apart)")
    fig.suptitle(f"Bond Lab scenario (simulated): {args.scenario}")
    fig.tight_layout()
    try:
        fig.savefig(args.plot, dpi=100)
    except OSError as e:
        raise ValueError(f"Cannot write the figure to {args.plot!r}: {e.strerror}.") from None
    return f"figure written to {args.plot}"


def main(argv=None):
    """Entry point for the ``bondlab`` command; returns the exit status."""
    return engine.main(argv, parser=build_parser(),
                       commands={**engine.COMMANDS, "run": _cmd_run, "handouts": _cmd_handouts})


if __name__ == "__main__":
    sys.exit(main())
