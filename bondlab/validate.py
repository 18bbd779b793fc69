"""Reproduction targets: what the literature reports, what the models give.

Each :class:`Target` runs a model and checks a published signature with a
stated tolerance.  ``bondlab validate`` prints the table; the science tests
(``tests/test_science.py``) run the same checks.  Negative controls
(``control=True``) are effects a model is known *not* to produce (plain
Rescorla–Wagner and TD have no partial-reinforcement extinction effect and
no reinstatement): such a row passes when the model fails, as the
literature says it should.

Examples
--------
>>> r = run_target("pree_rw")
>>> r.ok, r.target.control
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .affect import OpponentProcess, exposure_train
from .agent import RespondingAgent
from .learners import (ChangeDetection, RescorlaWagner, TemporalDifference,
                       trials_to_extinction)
from .partners import ConsistentPartner, IntermittentPartner
from .scenario import Scenario, contact_cost
from .schedules import VariableInterval

__all__ = ["Target", "TargetResult", "TARGETS", "run_target", "run_all", "format_table"]


@dataclass
class Target:
    """One row of the validation table."""

    key: str
    phenomenon: str
    citation: str
    literature: str
    model: str
    tolerance: str
    check: callable = field(repr=False)
    control: bool = False


@dataclass
class TargetResult:
    """The outcome of running one target: what the model gave, and pass/fail."""

    target: Target
    gives: str
    ok: bool
    values: dict

    @property
    def verdict(self):
        if self.target.control:
            return "pass (no effect, as expected)" if self.ok else "FAIL (effect appeared)"
        return "pass" if self.ok else "FAIL"

    def as_dict(self):
        t = self.target
        return {"key": t.key, "phenomenon": t.phenomenon, "citation": t.citation,
                "literature": t.literature, "model": t.model, "tolerance": t.tolerance,
                "negative_control": t.control, "gives": self.gives, "ok": bool(self.ok),
                "verdict": self.verdict, "values": _plain(self.values)}


def _plain(d):
    out = {}
    for k, v in d.items():
        if isinstance(v, (np.floating, float)):
            out[k] = round(float(v), 4)
        elif isinstance(v, (np.integer,)):
            out[k] = int(v)
        elif isinstance(v, (list, tuple, np.ndarray)):
            out[k] = [round(float(x), 4) for x in v]
        else:
            out[k] = v
    return out


# ---------------------------------------------------------------------------
PS = (1.0, 0.5, 0.33, 0.2)


def _extinction(learner, people=200, seed=0):
    specs = ["CRF"] + [f"RR{p}" for p in PS[1:]]
    return np.array([np.median(trials_to_extinction(s, learner, train_trials=100,
                                                    people=people, seed=seed))
                     for s in specs])


def _check_pree_cd():
    n = _extinction(ChangeDetection())
    ratio = n / n[0]
    ok = bool(np.all(np.diff(n) > 0) and 2.0 <= ratio[2] <= 4.5 and 3.5 <= ratio[3] <= 7.0)
    gives = (f"trials {n[0]:.0f}/{n[1]:.0f}/{n[2]:.0f}/{n[3]:.0f} at p=1/.5/.33/.2; "
             f"{ratio[2]:.1f}x at 33 %, {ratio[3]:.1f}x at 20 %")
    return gives, ok, {"trials": n, "ratio": ratio}


def _check_omitted_cd():
    n = _extinction(ChangeDetection())
    omitted = n * np.array(PS)
    spread = omitted.max() / omitted.min()
    gives = "trials x p = " + ", ".join(f"{x:.1f}" for x in omitted) + f" (max/min {spread:.2f})"
    return gives, bool(spread <= 1.5), {"omitted": omitted, "max_over_min": spread}


def _control_pree(learner):
    def check():
        n = _extinction(learner)
        ratio = n[3] / n[0]
        gives = (f"trials {n[0]:.0f}/{n[1]:.0f}/{n[2]:.0f}/{n[3]:.0f} at p=1/.5/.33/.2; "
                 f"{ratio:.2f}x at 20 %")
        return gives, bool(ratio <= 1.2), {"trials": n, "ratio_at_0.2": ratio}
    return check


def _check_td_pe():
    rng = np.random.default_rng(0)
    rows, ok = [], True
    for p in (0.25, 0.5, 0.75):
        x = (rng.random((300, 400)) < p).astype(float)
        h = TemporalDifference().run(x)
        late = slice(300, None)
        xs, su = x[:, late], h.surprise[:, late]
        rew, om = su[xs == 1].mean(), su[xs == 0].mean()
        cue = h.surprise_cue[:, late].mean()
        rows.append((p, cue, rew, om))
        ok &= abs(cue - p) < 0.1 and abs(rew - (1 - p)) < 0.1 and abs(om + p) < 0.1
    gives = "; ".join(f"p={p}: cue {c:+.2f}, reward {r:+.2f}, omission {o:+.2f}"
                      for p, c, r, o in rows)
    return gives, bool(ok), {"rows": [v for row in rows for v in row]}


def _after_stats(felt, end, level=0.05):
    after = felt[end:]
    depth = float(after.min())
    below = np.flatnonzero(after < -level)
    length = int(below[-1] + 1) if len(below) else 0
    return depth, length


def _check_op_shape():
    op = OpponentProcess()
    s = exposure_train(spacing=1, count=1, duration=40, lead=0, tail=200)
    f = op.run(s).felt[0]
    peak, steady = float(f[:40].max()), float(f[39])
    depth, length = _after_stats(f, 40)
    tau_a = op.validate()["tau_a"]
    ok = peak > 1.2 * steady > 0 and depth < -0.1 and length > 10 * tau_a
    gives = (f"peak {peak:.2f}, steady {steady:.2f}, after-reaction {depth:.2f} "
             f"lasting {length} steps")
    return gives, bool(ok), {"peak": peak, "steady": steady, "after": depth,
                             "after_length": length}


def _check_op_spacing():
    op = OpponentProcess()
    single = op.run(exposure_train(count=1, duration=10, lead=10, tail=300)).felt[0]
    d1, l1 = _after_stats(single, 20)
    res = {}
    for name, sp in (("close", 15), ("wide", 250)):
        f = op.run(exposure_train(spacing=sp, count=6, duration=10, lead=10,
                                  tail=300)).felt[0]
        starts = [10 + i * sp for i in range(6)]
        peaks = [float(f[s:s + 10].max()) for s in starts]
        d, l = _after_stats(f, starts[-1] + 10)
        res[name] = (peaks[0], peaks[-1], d, l)
    c, w = res["close"], res["wide"]
    ok = (c[1] < 0.85 * c[0] and c[2] < 1.3 * d1 and c[3] > 1.2 * l1
          and w[1] > 0.97 * w[0] and abs(w[2] - d1) < 0.15 * abs(d1))
    gives = (f"close: peak {c[0]:.2f}->{c[1]:.2f}, after {d1:.2f}->{c[2]:.2f}, "
             f"{l1}->{c[3]} steps; wide: peak {w[0]:.2f}->{w[1]:.2f}, after {w[2]:.2f}")
    return gives, bool(ok), {"close": list(c), "wide": list(w), "single_after": [d1, l1]}


def _check_op_relief():
    f = OpponentProcess().run(-exposure_train(count=1, duration=40, lead=0,
                                              tail=100)).felt[0]
    during, after = float(f[:40].min()), float(f[40:].max())
    return (f"during {during:.2f}, after-reaction {after:+.2f}",
            bool(during < 0 < after and after > 0.1), {"during": during, "after": after})


def _reinstate(learner):
    x = np.r_[np.ones(100), np.zeros(60), np.ones(1), np.ones(30)]
    first = np.r_[np.ones(31)]
    hx = learner.run(np.tile(x, (1, 1)))
    hf = learner.run(first[None, :])
    e = hx.expectation[0]
    # expectation before trial i+1 = after trial i
    trained = float(e[100])          # before the first extinction trial
    extinct = float(e[160])          # after 60 extinction trials
    one = float(e[161])              # after one reinforcer
    rel = (one - extinct) / max(trained - extinct, 1e-9)
    target = 0.8 * trained
    relearn = int(np.argmax(np.r_[e[161:], np.inf] >= target)) + 1
    learn = int(np.argmax(np.r_[hf.expectation[0][1:], np.inf] >= target)) + 1
    return rel, relearn, learn, trained, extinct, one


def _check_reinstate_cd():
    rel, relearn, learn, *_ = _reinstate(ChangeDetection())
    gives = (f"one reinforcer restores {rel:.0%} of the lost expectation; "
             f"relearning {relearn} trial(s) vs first learning {learn}")
    return gives, bool(rel > 0.8 and relearn < learn), {"restored": rel,
                                                         "relearn": relearn, "learn": learn}


def _check_reinstate_rw():
    rel, relearn, learn, *_ = _reinstate(RescorlaWagner())
    gives = (f"one reinforcer restores {rel:.0%}; relearning {relearn} vs first "
             f"learning {learn} trials")
    return gives, bool(rel < 0.3 and relearn >= 0.8 * learn), {
        "restored": rel, "relearn": relearn, "learn": learn}


def _paradox(learner=None, people=400):
    out = {}
    for name, p in (("consistent", ConsistentPartner()), ("intermittent",
                                                          IntermittentPartner())):
        out[name] = Scenario(partner=p, learner=learner, people=people, seed=0).run().summary()
    return out


def _check_paradox():
    s = _paradox()
    c, i = s["consistent"], s["intermittent"]
    ok = (i["total_warmth"] < 0.5 * c["total_warmth"]
          and i["persistence_days"] > 2 * c["persistence_days"])
    gives = (f"warmth {c['total_warmth']:.0f} vs {i['total_warmth']:.0f}; pull lasts "
             f"{c['persistence_days']:.0f} vs {i['persistence_days']:.0f} days "
             "(consistent vs intermittent)")
    return gives, bool(ok), {"consistent": [c["total_warmth"], c["persistence_days"]],
                             "intermittent": [i["total_warmth"], i["persistence_days"]]}


def _check_paradox_rw():
    s = _paradox(RescorlaWagner())
    c, i = s["consistent"], s["intermittent"]
    gives = (f"pull lasts {c['persistence_days']:.0f} vs {i['persistence_days']:.0f} days "
             "(consistent vs intermittent)")
    return gives, bool(i["persistence_days"] <= c["persistence_days"]), {
        "consistent": c["persistence_days"], "intermittent": i["persistence_days"]}


def _check_contact():
    base = Scenario(people=300, seed=0)
    warm = contact_cost(base, after_days=30)
    grey = contact_cost(base.clone(grey_rock=True), after_days=30)
    ok = (warm["pull_after_contact"] > warm["pull_before"] + 0.2
          and warm["extra_days_of_pull"] >= 5 and grey["extra_days_of_pull"] <= 1)
    gives = (f"pull {warm['pull_before']:.2f} -> {warm['pull_after_contact']:.2f} after a "
             f"message on day 30; +{warm['extra_days_of_pull']:.0f} days of pull "
             f"(grey rock: +{grey['extra_days_of_pull']:.0f})")
    return gives, bool(ok), {"warm": [warm["pull_before"], warm["pull_after_contact"],
                                      warm["extra_days_of_pull"]],
                             "grey_rock_extra_days": grey["extra_days_of_pull"]}


def _check_waves():
    r = Scenario(people=300, seed=0).run()
    wd = r.withdrawal[:, r.days_together:r.days_together + 90]
    rises = (np.diff(wd, axis=1) > 0.05).sum(axis=1)
    frac = float((rises >= 3).mean())
    return (f"{frac:.0%} of people have 3 or more rises of withdrawal in the first 90 days",
            bool(frac > 0.5), {"fraction_with_waves": frac,
                                "median_rises": float(np.median(rises))})


def _agent_runs(people=60, ticks=4000, train=2000):
    ag = RespondingAgent()
    vr = ag.run("VR10", ticks=ticks, people=people, seed=1, record_from=train)
    iri = 1 / max(vr.reinforcement_rate().mean(), 1e-9)
    vi = ag.run(VariableInterval(t=float(iri)), ticks=ticks, people=people, seed=2,
                record_from=train)
    return vr, vi, iri


def _check_vr_vi():
    vr, vi, iri = _agent_runs()
    a, b = float(vr.rate().mean()), float(vi.rate().mean())
    return (f"responses/tick VR10 {a:.2f} vs yoked VI{iri:.1f} {b:.2f} ({a / b:.2f}x)",
            bool(a > 1.15 * b), {"vr_rate": a, "vi_rate": b, "vi_interval": iri})


def _check_fr_pause():
    fr = RespondingAgent().run("FR10", ticks=4000, people=60, seed=3, record_from=2000)
    pause, irt = fr.post_reinforcement_pause()
    return (f"pause after reinforcer {pause:.2f} ticks vs {irt:.2f} between other "
            f"responses ({pause / irt:.2f}x)", bool(pause > 1.3 * irt),
            {"pause": pause, "irt": irt})


def _check_fi_scallop():
    fi = RespondingAgent().run("FI20", ticks=4000, people=60, seed=4, record_from=2000)
    prof = fi.profile(20, 4)
    ok = bool(np.all(np.diff(prof) > 0) and prof[-1] > 1.8 * prof[0])
    return ("response rate by quarter of the interval: " + ", ".join(f"{x:.2f}" for x in prof),
            ok, {"profile": prof})


CH = "Chan & Harris (2019), JEP:ALC 45(1), 43"
GG = "Gallistel & Gibbon (2000), Psych. Rev. 107, 289"
TARGETS = [
    Target("pree_cd", "Partial-reinforcement extinction effect", CH,
           "about 3x the trials to extinction after 33 % and 5x after 20 % reinforcement",
           "ChangeDetection", "ratio in [2, 4.5] at 33 %, [3.5, 7] at 20 %, rising",
           _check_pree_cd),
    Target("omitted_cd", "Omitted reinforcers to extinction roughly constant", GG,
           "trials to extinction x p is about constant", "ChangeDetection",
           "max/min of trials x p <= 1.5", _check_omitted_cd),
    Target("pree_rw", "No PREE in Rescorla-Wagner (negative control)",
           "Rescorla & Wagner (1972); Gallistel & Gibbon (2000)",
           "RW extinguishes at the same relative speed whatever p: no PREE",
           "RescorlaWagner", "ratio at 20 % <= 1.2", _control_pree(RescorlaWagner()),
           control=True),
    Target("pree_td", "No PREE in fixed-rate TD (negative control)",
           "Gallistel & Gibbon (2000); Gershman, Blei & Niv (2010)",
           "TD with a fixed learning rate fails the PREE like RW", "TemporalDifference",
           "ratio at 20 % <= 1.2", _control_pree(TemporalDifference()), control=True),
    Target("pe_td", "Prediction error vs reward probability",
           "Fiorillo, Tobler & Schultz (2003); Schultz, Dayan & Montague (1997)",
           "once learned: at cue ~ p, at reward ~ 1-p, at omission ~ -p",
           "TemporalDifference", "each within 0.1", _check_td_pe),
    Target("op_shape", "Opponent process: peak, adaptation, after-reaction",
           "Solomon & Corbit (1974); Solomon (1980)",
           "peak, adaptation to a lower steady level, opposite after-reaction decaying "
           "slowly", "OpponentProcess", "peak > 1.2 x steady; after < -0.1; lasts > 10 tau_a",
           _check_op_shape),
    Target("op_spacing", "Tolerance and withdrawal with close spacing",
           "Solomon (1980)",
           "close repetition: smaller peak, deeper and longer after-reaction; wide "
           "spacing changes little", "OpponentProcess",
           "peak -15 %; after deeper x1.3, longer x1.2; wide: peak within 3 %",
           _check_op_spacing),
    Target("op_relief", "Relief after an aversive event", "Solomon & Corbit (1974)",
           "an aversive stimulus is followed by a positive after-reaction",
           "OpponentProcess", "after-reaction > +0.1", _check_op_relief),
    Target("reinstate_cd", "Reinstatement and rapid reacquisition",
           "Bouton (2004); Rescorla & Heth (1975)",
           "a reinforcer after extinction restores responding; relearning is faster",
           "ChangeDetection", "> 80 % restored; relearning faster", _check_reinstate_cd),
    Target("reinstate_rw", "No reinstatement in Rescorla-Wagner (negative control)",
           "Bouton (2004)", "RW unlearns in extinction, so one reinforcer does little",
           "RescorlaWagner", "< 30 % restored; relearning not faster",
           _check_reinstate_rw, control=True),
    Target("paradox", "Less warmth, longer pull (the central paradox)",
           "Dutton & Painter (1993); PREE",
           "intermittency predicts attachment after leaving", "Scenario + ChangeDetection",
           "warmth < 0.5x and pull lasts > 2x", _check_paradox),
    Target("paradox_rw", "No paradox with Rescorla-Wagner (negative control)",
           "Rescorla & Wagner (1972)", "simple averaging cannot give the paradox",
           "Scenario + RescorlaWagner", "intermittent pull not longer",
           _check_paradox_rw, control=True),
    Target("contact", "One contact after no contact raises the pull", "Bouton (2004)",
           "reinstatement: a reinforcer after extinction brings responding back",
           "Scenario + ChangeDetection",
           "pull +0.2 and >= 5 extra days; grey rock <= 1 day", _check_contact),
    Target("waves", "Healing comes in waves, not a straight line",
           "Bouton (2004): renewal, spontaneous recovery",
           "cues bring craving back for a while", "Scenario (reminders, mood noise)",
           "> 50 % of people: >= 3 rises in 90 days", _check_waves),
    Target("vr_vi", "VR faster than yoked VI", "Cole (1999), JEAB 71, 319",
           "with reinforcement rates matched, VR responding is faster",
           "RespondingAgent (didactic)", "VR rate > 1.15 x VI rate", _check_vr_vi),
    Target("fr_pause", "Fixed-ratio post-reinforcement pause",
           "Ferster & Skinner (1957)", "a pause after each reinforcer, then a run",
           "RespondingAgent (didactic)", "pause > 1.3 x other gaps", _check_fr_pause),
    Target("fi_scallop", "Fixed-interval scallop", "Ferster & Skinner (1957)",
           "responding speeds up through the interval", "RespondingAgent (didactic)",
           "rising by quarter; last > 1.8 x first", _check_fi_scallop),
]

_BY_KEY = {t.key: t for t in TARGETS}


def run_target(key):
    """Run one target by key; returns a :class:`TargetResult`."""
    t = _BY_KEY[key]
    gives, ok, values = t.check()
    return TargetResult(t, gives, bool(ok), values)


def run_all():
    """Run every target; returns a list of :class:`TargetResult`."""
    return [run_target(t.key) for t in TARGETS]


def format_table(results, width=None):
    """A plain-text table: phenomenon, citation, literature, model gives, result."""
    lines = []
    for r in results:
        t = r.target
        lines.append(f"[{r.verdict}] {t.phenomenon}  ({t.model})")
        lines.append(f"    source:     {t.citation}")
        lines.append(f"    literature: {t.literature}")
        lines.append(f"    model:      {r.gives}")
        lines.append(f"    tolerance:  {t.tolerance}")
    n_ok = sum(r.ok for r in results)
    lines.append(f"{n_ok}/{len(results)} targets as claimed "
                 f"({sum(r.target.control for r in results)} are negative controls).")
    return "\n".join(lines)
