"""The engine's commands: list presets, run scenarios, extinction, validate.

Usage::

    python -m bondlab list
    python -m bondlab run SCENARIO [--set name=value ...] [--people N] [--days D] [--seed S]
                                   [--json]
    bondlab extinction --schedule SPEC --learner NAME [--people N] [--seed S] [--json]
    python -m bondlab validate [--json]

The installed ``bondlab`` command (:mod:`workshop.cli`) has these and adds the kit's own:
``bondlab handouts`` and ``bondlab run ... --plot FILE.png``. Bad input exits with status 2 and a one-line message on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys

from .stats import band


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _Usage(f"{self.prog}: {message}")


class _Usage(Exception):
    pass


def _parse_value(text):
    t = text.strip()
    low = t.lower()
    if low in ("true", "yes", "on"):
        return True
    if low in ("false", "no", "off"):
        return False
    if low in ("none", "null"):
        return None
    if low in ("[]", ""):
        return [] if low == "[]" else t
    try:
        return int(t)
    except ValueError:
        pass
    try:
        return float(t)
    except ValueError:
        pass
    if "," in t or (t.startswith("[") and t.endswith("]")):
        items = [x for x in t.strip("[]").split(",") if x.strip()]
        try:
            return [int(x) for x in items]
        except ValueError:
            return t
    return t


def _sets(pairs):
    out = {}
    for pair in pairs or ():
        if "=" not in pair:
            raise ValueError(f"--set needs name=value. Got {pair!r}.")
        k, v = pair.split("=", 1)
        if not k.strip():
            raise ValueError(f"--set needs name=value. Got {pair!r}.")
        value = _parse_value(v)
        if k.strip().endswith("contacts") and isinstance(value, int) and not isinstance(
                value, bool):
            value = [value]
        out[k.strip()] = value
    return out


def _whole_number(name, minimum=1):
    """An argparse type: a whole number of at least ``minimum``, refused with a one-line reason."""
    def conv(text):
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, got {text!r}")
        if v < minimum:
            bound = "0 or more" if minimum == 0 else f"at least {minimum}"
            raise argparse.ArgumentTypeError(f"{name} must be {bound}, got {v}")
        return v
    return conv


_seed = _whole_number("the seed", minimum=0)


def build_parser():
    p = _Parser(prog="bondlab", description="Bond Lab simulation engine.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.add_parser("list", help="list the presets")
    r = sub.add_parser("run", help="run a scenario preset")
    r.add_argument("scenario", help="a scenario preset name (see 'bondlab list')")
    r.add_argument("--set", action="append", metavar="NAME=VALUE", default=[],
                   help="change a parameter of the scenario, its partner, learner or "
                        "affect (e.g. p_warmth=0.2, contacts=30,60, learner.hazard=0.01)")
    r.add_argument("--people", type=_whole_number("--people"), help="simulated people")
    r.add_argument("--days", type=_whole_number("--days"),
                   help="days simulated after leaving (days_after)")
    r.add_argument("--seed", type=_seed, help="random seed")
    r.add_argument("--json", action="store_true", help="print one JSON object")
    e = sub.add_parser("extinction", help="trials to extinction after training")
    e.add_argument("--schedule", required=True, help="e.g. CRF, RR0.3, VR5, FR3")
    e.add_argument("--learner", required=True, help="rw, td or cd")
    e.add_argument("--people", type=_whole_number("--people"), default=200)
    e.add_argument("--train", type=_whole_number("--train"), default=100,
                   help="training trials (default 100)")
    e.add_argument("--seed", type=_seed, default=0)
    e.add_argument("--json", action="store_true")
    v = sub.add_parser("validate", help="check the models against the literature")
    v.add_argument("--json", action="store_true")
    p.subcommands = sub  # workshop.cli adds the kit's commands here
    return p


def _cmd_list(args, out):
    from . import presets
    for kind, names in presets.list_presets().items():
        print(f"{kind}:", file=out)
        for n in names:
            info = presets.preset_info(kind, n)
            print(f"  {n:<30} {info['label']}", file=out)
    return 0


def _cmd_run(args, out, on_result=None):
    """``on_result(result, args)``, if given, runs after the scenario and returns a line to
    print (workshop.cli draws the --plot figure this way)."""
    from . import presets
    overrides = _sets(args.set)
    if args.people is not None:
        overrides["people"] = args.people
    if args.days is not None:
        overrides["days_after"] = args.days
    if args.seed is not None:
        overrides["seed"] = args.seed
    scn = presets.load_scenario(args.scenario, **overrides)
    result = scn.run()
    summary = result.summary()
    note = on_result(result, args) if on_result else None
    if args.json:
        doc = {"command": "run", "inputs": {
            "scenario": args.scenario, "set": overrides,
            "parameters": _params_json(scn)}}
        doc.update(result.to_dict())
        json.dump(doc, out, allow_nan=False)
        out.write("\n")
    else:
        print(f"scenario {args.scenario}: {result.people} people, "
              f"{result.days_together} days together, {result.days_after} after", file=out)
        for k, v in summary.items():
            print(f"  {k:<24} {v:.4g}" if isinstance(v, float) else f"  {k:<24} {v}",
                  file=out)
        if note:
            print(f"  {note}", file=out)
    return 0


def _params_json(scn):
    v = scn.validate()
    d = {}
    for k, val in v.items():
        if hasattr(val, "get_params"):
            d[k] = {"kind": type(val).__name__, **val.validate()}
        elif isinstance(val, tuple):
            d[k] = list(val)
        else:
            d[k] = val
    return d


def _cmd_extinction(args, out):
    from .learners import learner_from_name, trials_to_extinction
    from .schedules import schedule_from_spec
    sched = schedule_from_spec(args.schedule)
    learner = learner_from_name(args.learner)
    trials = trials_to_extinction(sched, learner, train_trials=args.train,
                                  people=args.people, seed=args.seed)
    med, q25, q75 = band(trials)
    if args.json:
        json.dump({"command": "extinction", "inputs": {
            "schedule": sched.spec(), "learner": type(learner).__name__,
            "learner_parameters": learner.validate(), "train_trials": args.train,
            "people": args.people, "seed": args.seed},
            "trials_to_extinction": {"median": float(med), "q25": float(q25),
                                     "q75": float(q75)}}, out)
        out.write("\n")
    else:
        print(f"{type(learner).__name__} after {args.train} trials of {sched.spec()}: "
              f"{med:g} trials to extinction (quartiles {q25:g}-{q75:g}, "
              f"{args.people} people)", file=out)
    return 0


def _cmd_validate(args, out):
    from .validate import format_table, run_all
    results = run_all()
    ok = all(r.ok for r in results)
    if args.json:
        json.dump({"command": "validate", "all_ok": ok,
                   "targets": [r.as_dict() for r in results]}, out)
        out.write("\n")
    else:
        print(format_table(results), file=out)
    return 0 if ok else 1


COMMANDS = {"list": _cmd_list, "run": _cmd_run, "extinction": _cmd_extinction,
            "validate": _cmd_validate}


def main(argv=None, parser=None, commands=None):
    """Entry point for ``python -m bondlab`` (and, with the kit's ``parser`` and
    ``commands``, for the ``bondlab`` command); returns the exit status."""
    out = sys.stdout
    commands = commands or COMMANDS
    try:
        args = (parser or build_parser()).parse_args(argv)
        if not args.command:
            raise _Usage("bondlab: choose a command: " + ", ".join(commands)
                         + " (see bondlab --help)")
        return commands[args.command](args, out)
    except _Usage as e:
        print(str(e), file=sys.stderr)
        return 2
    except (ValueError, KeyError) as e:
        msg = str(e).strip("'\"").splitlines()[0] if str(e) else type(e).__name__
        print(f"bondlab: {msg}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except MemoryError:
        print("bondlab: not enough memory for this run; use fewer people or days.",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
