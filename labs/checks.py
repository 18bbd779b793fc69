"""Checks for the lab notebooks: run one after an exercise and it says, in plain words, what is off.

A check that holds prints a line starting "Well done". One that does not raises
:class:`NotYet`, which the notebook shows as its message alone, without a traceback, so
"Run All" stops at the first exercise still to do. A ``...`` left in an answer gets a
"Fill in ..." message, also when the ``...`` made another line fail first (for example a
model built with ``alpha=...``): importing this module asks IPython to show such errors
the same way.

The targets are the numbers the lecture view gives (``data/modules/*.md``, "Lecture") or
the published signatures ``bondlab validate`` checks; each check names its tolerance.

Example
-------
>>> check_misses_in_a_row(lambda p, k: (1 - p) ** k)
Well done: with p = 0.2, 10 misses in a row happen with chance 0.107 (about 1 in 9).
>>> try:
...     check_misses_in_a_row(lambda p, k: ...)
... except NotYet as e:
...     print(e)
Fill in what misses_in_a_row returns: it is still `...`.
"""
from __future__ import annotations

import math

import numpy as np

__all__ = [
    "NotYet", "check_misses_in_a_row", "check_rate", "check_yoked_interval",
    "check_rw_extinction", "check_pree_ratios", "check_doubling_p",
    "check_surprise_at_reward", "check_cue_and_omission", "check_mean_surprise",
    "check_fixed_opponent", "check_after_reaction", "check_tolerance",
    "check_days_to_confidence", "check_paradox", "check_contact", "check_hazard",
]


class NotYet(Exception):
    """An exercise is not done yet; the notebook shows only this message."""

    def _render_traceback_(self):  # IPython shows these lines instead of a traceback
        return [str(self)]


def _has_placeholder(value) -> bool:
    if value is Ellipsis:
        return True
    if isinstance(value, dict):
        return any(_has_placeholder(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_placeholder(v) for v in value)
    return False


def _mentions_placeholder(err: BaseException) -> bool:
    return "ellipsis" in str(err).lower()


def _filled(value, what: str):
    if value is Ellipsis:
        raise NotYet(f"Fill in {what}: it is still `...`.")
    if _has_placeholder(value):
        raise NotYet(f"Fill in {what}: it still has a `...` in it.")
    return value


def _call(fn, name: str, *args):
    """fn(*args), with a "Fill in" message for a `...` left in fn's body."""
    _filled(fn, name)
    try:
        out = fn(*args)
    except Exception as err:
        if _mentions_placeholder(err):
            raise NotYet(f"Fill in the `...` in {name}: Python stopped at it ({err}).") from None
        raise
    return _filled(out, f"what {name} returns")


def _number(value, what: str) -> float:
    _filled(value, what)
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise NotYet(f"{what} should be a number. Got {value!r}.") from None
    if math.isnan(x):
        raise NotYet(f"{what} is NaN (not a number): check for an empty selection or a 0/0.")
    return x


def _well_done(text: str) -> None:
    print(f"Well done: {text}")


# ----------------------------------------------------------------------------- Lab 1
def check_misses_in_a_row(misses_in_a_row):
    """Exercise 1.1: ``misses_in_a_row(p, k)`` is the chance (1 - p)**k."""
    for p, k in ((0.2, 10), (0.5, 3), (0.1, 25), (1.0, 1)):
        got = _number(_call(misses_in_a_row, "misses_in_a_row", p, k),
                      f"misses_in_a_row({p}, {k})")
        want = (1 - p) ** k
        if not math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9):
            hint = (" Each press misses with chance 1 - p, and the presses are independent."
                    if p == 0.2 else "")
            raise NotYet(f"Not yet: misses_in_a_row({p}, {k}) gave {got:.4g}; it should be "
                         f"{want:.4g}, the chance that {k} presses in a row all miss.{hint}")
    _well_done("with p = 0.2, 10 misses in a row happen with chance "
               f"{0.8 ** 10:.3f} (about 1 in {round(1 / 0.8 ** 10)}).")


def check_rate(rate_between):
    """Exercise 1.2: ``rate_between(N, start, end)`` is the slope (N[end] - N[start]) / (end - start)."""
    N = np.cumsum(np.array([[1, 0, 1, 1, 0, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1]]), axis=1)
    for start, end in ((0, 7), (4, 7), (2, 6)):
        got = np.asarray(_call(rate_between, "rate_between", N, start, end), dtype=float)
        want = (N[:, end] - N[:, start]) / (end - start)
        if got.shape != want.shape:
            raise NotYet(f"Not yet: rate_between should give one rate per person (shape "
                         f"{want.shape}); it gave shape {got.shape}. Work along axis 1 "
                         "(ticks).")
        if not np.allclose(got, want):
            raise NotYet(f"Not yet: for the record N = {N[0].tolist()} (one person), "
                         f"rate_between(N, {start}, {end}) gave {got[0]:.3g}; it should be "
                         f"{want[0]:.3g}: the responses added from tick {start} to tick "
                         f"{end}, divided by the {end - start} ticks.")
    _well_done("the slope of the cumulative record is the response rate.")


def check_yoked_interval(vi_interval, vr_record):
    """Exercise 1.3: the VI interval that pays as often as the VR did (ticks per reinforcer)."""
    got = _number(vi_interval, "vi_interval")
    want = 1 / max(float(vr_record.reinforcement_rate().mean()), 1e-9)
    if not 0.9 * want <= got <= 1.1 * want:
        raise NotYet(f"Not yet: vi_interval is {got:.3g} ticks; to pay as often as the VR "
                     f"schedule did, it should be the mean ticks between its reinforcers, "
                     f"about {want:.3g} (one over the reinforcers per tick), within 10 %.")
    _well_done(f"a VI of {got:.1f} ticks pays about as often as the VR schedule.")


# ----------------------------------------------------------------------------- Lab 2
def check_rw_extinction(extinction_trials):
    """Exercise 2.1: Rescorla–Wagner (alpha 0.1) takes ~22 trials from p = 1, ~9 from 0.25."""
    got = {p: _number(_call(extinction_trials, "extinction_trials", p),
                      f"extinction_trials({p})") for p in (1.0, 0.25)}
    for p, want, tol in ((1.0, 22, 2), (0.25, 9, 3)):
        if abs(got[p] - want) > tol:
            raise NotYet(
                f"Not yet: extinction_trials({p}) gave {got[p]:g}; Rescorla–Wagner with "
                f"alpha = 0.1 should need about {want} (±{tol}) extinction trials for V to "
                f"fall below 0.1 (V falls by 10 % a trial from about {p:g}). Count from the "
                "first trial with no reward, and take the median over people.")
    _well_done(f"{got[1.0]:g} trials after p = 1 but {got[0.25]:g} after p = 0.25: the "
               "intermittent learner stops first, the reverse of the data.")


def check_pree_ratios(ratios):
    """Exercise 2.2: change detection's trials-to-extinction ratios (Chan & Harris 2019)."""
    _filled(ratios, "ratios")
    if not isinstance(ratios, dict) or set(ratios) != {0.5, 0.33, 0.2}:
        raise NotYet("Not yet: ratios should be a dict with one entry for each p in "
                     "(0.5, 0.33, 0.2).")
    r = {p: _number(v, f"ratios[{p}]") for p, v in ratios.items()}
    if not (r[0.5] < r[0.33] < r[0.2]):
        raise NotYet(f"Not yet: the ratios should grow as p shrinks. Got {r}. Each is the "
                     "median trials to extinction at p divided by that after continuous "
                     "reward (\"CRF\").")
    if not (2.0 <= r[0.33] <= 4.5 and 3.5 <= r[0.2] <= 7.0):
        raise NotYet(f"Not yet: got {r[0.33]:.2f}x at p = 0.33 and {r[0.2]:.2f}x at 0.2. "
                     "Change detection should give about 3x and 5x (as rats did; tolerance "
                     "2-4.5x and 3.5-7x). Did you divide by the CRF median?")
    _well_done(f"{r[0.33]:.1f}x at 33 % and {r[0.2]:.1f}x at 20 %, close to the 3x and 5x "
               "Chan and Harris found.")


def check_doubling_p(p_double):
    """Exercise 2.3: persistence doubles from p0 = 0.5 at p = 1 - sqrt(1 - p0) ≈ 0.29."""
    got = _number(p_double, "p_double")
    want = 1 - math.sqrt(0.5)
    if abs(got - want) > 0.005:
        raise NotYet(f"Not yet: p_double is {got:.4g}. Persistence doubles when the evidence "
                     "per miss halves: -ln(1 - p) = -ln(1 - 0.5) / 2. Solve that for p "
                     "(within 0.005).")
    _well_done(f"p = {got:.3f}: half the evidence per miss, twice the misses.")


# ----------------------------------------------------------------------------- Lab 3
def _pe_rows(fn, name, ps=(0.9, 0.5, 0.2)):
    return {p: _call(fn, name, p) for p in ps}


def check_surprise_at_reward(surprise_at_reward):
    """Exercise 3.1: once learned, TD's prediction error at a reward is about 1 - p."""
    for p, v in _pe_rows(surprise_at_reward, "surprise_at_reward").items():
        got = _number(v, f"surprise_at_reward({p})")
        if abs(got - (1 - p)) > 0.1:
            raise NotYet(f"Not yet: surprise_at_reward({p}) gave {got:.2f}; once learned it "
                         f"should be about 1 - p = {1 - p:.2f} (within 0.1). Average the "
                         "surprise over rewarded trials late in training only.")
    _well_done("the surprise at a reward is about 1 - p: large when the reward was unlikely.")


def check_cue_and_omission(cue_and_omission):
    """Exercise 3.2: at the cue about p, at an omission about -p."""
    for p, v in _pe_rows(cue_and_omission, "cue_and_omission").items():
        _filled(v, f"cue_and_omission({p})")
        if not isinstance(v, (tuple, list)) or len(v) != 2:
            raise NotYet(f"Not yet: cue_and_omission({p}) should return two numbers "
                         f"(at the cue, at an omission). Got {v!r}.")
        cue = _number(v[0], f"the surprise at the cue for p = {p}")
        om = _number(v[1], f"the surprise at an omission for p = {p}")
        if abs(cue - p) > 0.1 or abs(om + p) > 0.1:
            raise NotYet(f"Not yet: for p = {p} you got {cue:+.2f} at the cue and {om:+.2f} "
                         f"at an omission; once learned they should be about {p:+.2f} and "
                         f"{-p:+.2f} (within 0.1). The cue surprise is in surprise_cue; "
                         "omissions are the trials with no reward.")
    _well_done("about p at the cue and -p at an omission, as Fiorillo and colleagues found.")


def check_mean_surprise(mean_surprise, p):
    """Exercise 3.3: once learned, the average prediction error per trial is about 0."""
    got = _number(mean_surprise, "mean_surprise")
    if abs(got) > 0.03:
        raise NotYet(f"Not yet: mean_surprise is {got:+.3f}; once learned, p(1 - p) + "
                     f"(1 - p)(-p) = 0, so the mean over all late trials should be near 0 "
                     "(within 0.03). Include omissions as well as rewards.")
    _well_done(f"at p = {p} the surprises average {got:+.3f}: on average the learner "
               "expects what it gets.")


# ----------------------------------------------------------------------------- Lab 4
def check_fixed_opponent(op, steady):
    """Exercise 4.1: tau_a 1, tau_b 10, A 1, g 0.5 held fixed; steady felt level A(1 - g)."""
    _filled(op, "op")
    v = op.validate()
    want = {"tau_a": 1.0, "tau_b": 10.0, "gain": 1.0, "opponent": 0.5}
    for k, x in want.items():
        if not math.isclose(v[k], x):
            raise NotYet(f"Not yet: {k} is {v[k]:g}; the exercise asks for {k} = {x:g}.")
    if v["growth"] != 0 and v["opponent_max"] != v["opponent"]:
        raise NotYet("Not yet: g should stay at 0.5. Set growth=0 (or opponent_max=0.5) "
                     "so the opponent gain does not grow with use.")
    got = _number(steady, "steady")
    if abs(got - 0.5) > 0.02:
        raise NotYet(f"Not yet: steady is {got:.3g}; the felt level once a and b have "
                     "settled should be A(1 - g) = 0.5. Read felt at the end of the long "
                     "exposure (within 0.02).")
    _well_done("the felt level settles at A(1 - g) = 0.5 while the stimulus stays on.")


def check_after_reaction(steps):
    """Exercise 4.2: the after-reaction falls below 10 % in about tau_b ln 10 ≈ 23 steps."""
    got = _number(steps, "steps")
    if not 20 <= got <= 27:
        raise NotYet(f"Not yet: steps is {got:g}. Count the steps after the stimulus stops "
                     "until b is below 10 % of its value at the offset; expect about "
                     "tau_b ln 10 ≈ 23 (20 to 27 allowed).")
    _well_done(f"{got:g} steps, close to tau_b ln 10 = {10 * math.log(10):.0f}.")


def check_tolerance(peak_ratio):
    """Exercise 4.3: close spacing shrinks the last peak (>15 %); wide spacing does not."""
    close = _number(_call(peak_ratio, "peak_ratio", 15), "peak_ratio(15)")
    wide = _number(_call(peak_ratio, "peak_ratio", 250), "peak_ratio(250)")
    if not close < 0.85:
        raise NotYet(f"Not yet: peak_ratio(15) gave {close:.2f}. With exposures 15 steps "
                     "apart the last peak should be at least 15 % below the first (ratio "
                     "< 0.85). Divide the last exposure's peak felt level by the first's.")
    if not wide > 0.97:
        raise NotYet(f"Not yet: peak_ratio(250) gave {wide:.2f}. With exposures 250 steps "
                     "apart the opponent has recovered, so the ratio should be near 1 "
                     "(> 0.97).")
    _well_done(f"last/first peak {close:.2f} at spacing 15, {wide:.2f} at 250: tolerance "
               "needs the next exposure before the opponent has faded.")


# ----------------------------------------------------------------------------- Lab 5
def check_days_to_confidence(days_to_confidence):
    """Exercise 5.1: ceil(ln(c / (1 - c)) / -ln(1 - p)) days, from even odds."""
    for p, want in ((0.3, 9), (0.1, 28), (0.5, 5)):
        got = _number(_call(days_to_confidence, "days_to_confidence", p, 0.95),
                      f"days_to_confidence({p}, 0.95)")
        if got != want:
            raise NotYet(f"Not yet: days_to_confidence({p}, 0.95) gave {got:g}; it should "
                         f"be {want}. Solve k * (-ln(1 - p)) = ln(0.95 / 0.05) for k and "
                         "round up to whole days.")
    _well_done("9 days at p = 0.3 but 28 at p = 0.1: the rarer the warmth was, the longer "
               "a silence takes to mean something.")


def check_paradox(summaries):
    """Exercise 5.2: the intermittent partner gives less warmth, yet the pull lasts longer."""
    _filled(summaries, "summaries")
    if not isinstance(summaries, dict) or set(summaries) != {"consistent", "intermittent"}:
        raise NotYet("Not yet: summaries should be a dict with the keys 'consistent' and "
                     "'intermittent', each a run's .summary().")
    c, i = summaries["consistent"], summaries["intermittent"]
    for name, s in summaries.items():
        if not isinstance(s, dict) or "persistence_days" not in s:
            raise NotYet(f"Not yet: summaries[{name!r}] should be a result's .summary() "
                         "(a dict with 'total_warmth' and 'persistence_days').")
    if not i["total_warmth"] < c["total_warmth"]:
        raise NotYet("Not yet: the intermittent run should get less warmth in total. Did "
                     "you give each scenario its own partner?")
    if not i["persistence_days"] > c["persistence_days"]:
        raise NotYet("Not yet: the pull should last longer after the intermittent partner. "
                     "Keep the default learner (change detection) and the same seed.")
    _well_done(f"{c['total_warmth']:.0f} vs {i['total_warmth']:.0f} warmth, but the pull "
               f"lasts {c['persistence_days']:.0f} vs {i['persistence_days']:.0f} days.")


def check_contact(costs):
    """Exercise 5.3: one message on day 30 adds days of pull under change detection, not RW."""
    _filled(costs, "costs")
    if not isinstance(costs, dict) or set(costs) != {"cd", "rw"}:
        raise NotYet("Not yet: costs should be a dict with the keys 'cd' and 'rw', each "
                     "what bondlab.contact_cost returned.")
    cd, rw = (_number(costs[k]["extra_days_of_pull"], f"costs[{k!r}]['extra_days_of_pull']")
              for k in ("cd", "rw"))
    if not cd >= 5:
        raise NotYet(f"Not yet: change detection gave {cd:g} extra days of pull; one "
                     "message on day 30 should add at least 5. Use after_days=30.")
    if not rw < cd:
        raise NotYet(f"Not yet: Rescorla–Wagner gave {rw:g} extra days, not fewer than "
                     f"change detection's {cd:g}. Did you pass learner=bondlab."
                     "RescorlaWagner() to its scenario?")
    _well_done(f"+{cd:g} days of pull with change detection, +{rw:g} with Rescorla–Wagner: "
               "only a learner that can be reminded the old pattern is back shows "
               "reinstatement.")


def check_hazard(persistence):
    """Exercise 5.4: a smaller hazard (changes believed rarer) makes the pull last longer."""
    _filled(persistence, "persistence")
    if not isinstance(persistence, dict) or len(persistence) < 3:
        raise NotYet("Not yet: persistence should map at least three hazard values to the "
                     "median persistence_days of a run with that hazard.")
    hs = sorted(persistence)
    days = [_number(persistence[h], f"persistence[{h}]") for h in hs]
    if not all(a >= b for a, b in zip(days, days[1:])) or days[0] == days[-1]:
        raise NotYet(f"Not yet: by hazard {hs} you got {days} days. A learner that believes "
                     "changes are rarer (smaller hazard) should hold on longer. Did each run "
                     "get ChangeDetection(hazard=h)?")
    _well_done(f"from {days[-1]:g} to {days[0]:g} days across hazards {hs[-1]:g} to "
               f"{hs[0]:g}: the result leans on an assumption no study cited here has measured.")


# ----------------------------------------------------------------------------- IPython
def _show_placeholder_errors_plainly():
    """In IPython, show an error caused by a `...` as a "Fill in" line, not a traceback."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return

    def handler(shell, etype, value, tb, tb_offset=None):
        if _mentions_placeholder(value):
            stb = ["Fill in: a `...` still stands where a value belongs, in this cell or in "
                   f"an exercise above it. (Python said: {value})"]
        else:
            stb = shell.InteractiveTB.structured_traceback(etype, value, tb,
                                                           tb_offset=tb_offset)
        shell._showtraceback(etype, value, stb)

    shell.set_custom_exc((TypeError, ValueError, AttributeError), handler)


_show_placeholder_errors_plainly()
