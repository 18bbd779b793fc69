"""What the workshop's text asks and says (issue 17).

- Every control a step's text asks the reader to use exists in that step's interactive
  (built for real, as the page builds it).
- Every mention of leaving or no contact carries the safety caveat: an advocate, a safety
  plan, and the Help link's services (module text, quick check, flags, the figures'
  generated sentences, handouts).
- Every generated sentence that reports a model outcome says it is simulated, and one whose
  outcome is put into the model by hand says it is assumed.
"""
from __future__ import annotations

import html
import re

import ipywidgets as w
import pytest

from workshop.content import load_flags, load_modules, load_quick_check
from widgets.registry import build_interactive

MODULES = load_modules()
STEPS = [(m, s) for m in MODULES for s in m.steps]

# ------------------------------------------------------------------ reading the text

#: A sentence that starts with one of these (after "Now", "Then", "Exercise:" or "In the
#: simulator,") asks the reader to work a control.
VERBS = ("move", "switch", "change", "set", "turn", "try", "add", "lengthen", "shorten",
         "raise", "lower", "choose", "pick", "select", "press", "click", "tick", "slide",
         "drag", "run", "repeat", "increase", "decrease", "make", "put", "type")
_LEAD = re.compile(r"^(?:(?:now|then|next|first|exercise|prompt|on the projected screen|"
                   r"in the [a-z ]+?|before explaining)[,:]?\s+)*", re.I)
_VERB = re.compile(r"\b(" + "|".join(VERBS) + r")\b\s+(?:the\s+)?\"([^\"]+)\"", re.I)
_QUOTED = re.compile(r"\"([^\"]+)\"")
#: Controls every page has around the step (the safety shell and the stepper).
SHELL = {"Quick exit", "Shift", "Help", "Back", "Next"}
#: Words that name a part of an interactive (a step without one cannot be asked to use it).
_WIDGET_WORDS = re.compile(r"\b(simulator|explorer|playground|timeline|figure|slider|menu|"
                           r"button|game|controls?)\b", re.I)


def _plain(text: str) -> str:
    """Markdown to plain sentences: a bold phrase reads as a quoted one (a control may be
    named either way), curly quotes and apostrophes made straight."""
    text = re.sub(r"\$[^$]*\$", "x", text or "")
    text = re.sub(r"\*\*(.+?)\*\*", r'"\1"', text)
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return text.replace("\u2019", "'")


def sentences(text: str) -> list[str]:
    """Sentences of a text (a bullet or a line break also ends one)."""
    out = []
    for line in _plain(text).splitlines():
        line = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", line).strip()
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"(])", line) if s.strip()]
    return out


def instructions(text: str) -> list[str]:
    """The sentences of ``text`` that ask the reader to work a control."""
    found = []
    for s in sentences(text):
        head = _LEAD.sub("", s)
        first = re.match(r"[A-Za-z]+", head)
        if (first and first.group(0).lower() in VERBS) or _VERB.search(s):
            found.append(s)
    return found


def labels_of(widget) -> set[str]:
    """Every control label in a built widget: descriptions, and a menu's choices."""
    seen, out = set(), set()

    def walk(obj):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, w.Widget):
            if getattr(obj, "description", ""):
                out.add(_plain(obj.description))
            if isinstance(obj, w.Dropdown):
                out.update(_plain(str(o[0] if isinstance(o, tuple) else o))
                           for o in obj.options)
            for value in vars(obj).values():   # also controls shown only later
                walk(value)
            for child in getattr(obj, "children", ()):
                walk(child)
        elif isinstance(obj, dict):
            for value in obj.values():
                walk(value)
        elif isinstance(obj, (list, tuple)):
            for value in obj:
                walk(value)

    walk(widget)
    return out


def widget_text(widget) -> str:
    """The text a built widget shows (its HTML pieces, tags removed)."""
    seen, parts = set(), []

    def walk(obj):
        if id(obj) in seen or not isinstance(obj, w.Widget):
            return
        seen.add(id(obj))
        if isinstance(obj, (w.HTML, w.HTMLMath, w.Label)):
            parts.append(html.unescape(re.sub(r"<[^>]+>", " ", obj.value)))
        for child in getattr(obj, "children", ()):
            walk(child)

    walk(widget)
    return " ".join(parts)


@pytest.fixture(scope="module")
def built():
    """Each interactive as the page builds it, once: name -> widget (None for 'none')."""
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = build_interactive(name)
        return cache[name]

    return get


# ------------------------------------------------------------------ controls


def _step_text(step) -> str:
    return "\n".join((step.body, step.lecture, step.facilitator_items.get("Prompt", "")))


def _where(module, step):
    return f"{module.id} · {step.title}"


@pytest.mark.parametrize("module, step", STEPS, ids=[_where(m, s) for m, s in STEPS])
def test_every_control_a_step_asks_for_is_in_that_step(module, step, built):
    """In a step with controls, each instruction names one by its label (in quotes); in
    any step, a label asked for ("move "X"") is one of the step's own controls."""
    asks = [s for s in instructions(_step_text(step)) if "JupyterLab" not in s]
    if not asks:
        return
    widget = built(step.interactive)
    labels = labels_of(widget) if widget is not None else set()
    for sentence in asks:
        for label in (m.group(2) for m in _VERB.finditer(sentence)):
            assert label in labels | SHELL, (f"{_where(module, step)}: {sentence!r} asks "
                                             f"for {label!r}; the step has {sorted(labels)}")
        if not labels:
            continue                  # no controls: see the next test
        named = _QUOTED.findall(sentence)
        assert any(n in labels for n in named), (
            f"{_where(module, step)}: {sentence!r} asks the reader to use a control "
            f"without naming one of the step's: {sorted(labels)}")


@pytest.mark.parametrize("module, step", STEPS, ids=[_where(m, s) for m, s in STEPS])
def test_a_step_without_controls_never_asks_for_one(module, step):
    if step.interactive not in ("none", "reflection", "resources", "quick_check"):
        return
    for sentence in instructions(_step_text(step)):
        if "JupyterLab" in sentence or set(_QUOTED.findall(sentence)) & SHELL:
            continue
        assert not _WIDGET_WORDS.search(sentence), (
            f"{_where(module, step)}: {sentence!r} refers to an interactive the step "
            f"does not have")


@pytest.mark.parametrize("text, expect", [
    ("Switch on a pleasant event for a while, then switch it off.", 1),
    ("The simulator can show waves. Try adding a reminder at different times.", 1),
    ('Exercise: in the timeline, raise "Incident (days)" and watch.', 1),
    ('Compare the two panels, then move "Contact every (days)".', 1),
    ("Take a moment for yourself. Breathe out slowly.", 0),
])
def test_instructions_are_found(text, expect):
    assert len(instructions(text)) == expect


# ------------------------------------------------------------------ the safety caveat

#: Leaving a relationship, or no contact (not leaving a page, a room or the workshop).
LEAVING = re.compile(
    r"(?<!before they )\bleav(?:e|ing)\b(?!\s+(?:at any time|for another day|early|them alone|this page|you \w+ing|out\b|"
    r"the (?:page|room|session|workshop)|a message))"
    r"|\b(?:have|has|had|recently|who|you|they)\s+(?:recently\s+)?left\b(?!\s+the room)"
    r"|\bno[ -]contact\b|\bcut(?:ting)?\s+(?:off\s+)?contact\b|\breduc\w*\s+contact\b", re.I)


def caveat(text: str) -> list[str]:
    """What the safety caveat lacks in ``text``: an advocate, a plan, the services."""
    t = _plain(text)
    missing = []
    if not re.search(r"\badvocate", t):
        missing.append("an advocate")
    if not re.search(r"\bsafety plan|\bplan (it|this|leaving|for your safety|safely)\b|"
                     r"\bhelp you plan\b", t):
        missing.append("a safety plan")
    if not re.search(r"Help (link|panel)|services below|services that can help", t):
        missing.append("the Help link's services")
    return missing


@pytest.mark.parametrize("module, step", STEPS, ids=[_where(m, s) for m, s in STEPS])
def test_every_mention_of_leaving_in_a_step_carries_the_caveat(module, step, built):
    own = "\n".join((step.body, step.think, step.facilitator, step.lecture))
    if step is module.steps[0]:                     # the goals show above the first step
        own = "\n".join([module.key_idea] + module.goals + [own])
    mentions = [s for s in sentences(own) if LEAVING.search(s)]
    if not mentions:
        return
    widget = built(step.interactive)
    shown = own + "\n" + (widget_text(widget) if widget is not None else "")
    assert not caveat(shown), (f"{_where(module, step)} mentions leaving ({mentions[0]!r}) "
                               f"without {', '.join(caveat(shown))}")


def _data_items():
    for number, questions in load_quick_check().items():
        for i, q in enumerate(questions):
            yield f"quick_check {number}[{i}]", " ".join([q["question"], *q["choices"],
                                                          q["explanation"]])
    for i, f in enumerate(load_flags()):
        yield f"flags [{i}]", f"{f['statement']} {f['explanation']}"


DATA_ITEMS = list(_data_items())


@pytest.mark.parametrize("where, text", DATA_ITEMS, ids=[w_ for w_, _ in DATA_ITEMS])
def test_every_mention_of_leaving_in_the_data_carries_the_caveat(where, text):
    if LEAVING.search(_plain(text)):
        assert not caveat(text), f"{where} mentions leaving without {caveat(text)}: {text!r}"


@pytest.mark.parametrize("text, mentions", [
    ("You can stop and leave at any time.", False),
    ("Leaving can be the most dangerous time.", True),
    ("women who had recently left", True),
    ("Try it with no contact at all.", True),
    ("A private window leaves less history behind.", False),
])
def test_leaving_is_recognised(text, mentions):
    assert bool(LEAVING.search(text)) is mentions


# ------------------------------------------------------------------ generated sentences

#: Words that report what a model run did (with a number, any sentence does).
_OUTCOME = re.compile(r"\d|\b(pull|withdrawal|expect\w*|surprise|mood|felt|respond\w*|"
                      r"checking|lasted|faded|tolerance|relief|ups and downs|worst|settled|"
                      r"incidents?|lifts|learned|marks)\b", re.I)
_SIMULATED = re.compile(r"simulat|\bmodel\b", re.I)
#: Outcomes the model is given by hand: grey rock's factor, support's effect, the noise.
_BY_HAND = re.compile(r"grey rock|support|ups and downs|waves|healing", re.I)


def model_outcomes(text: str) -> list[str]:
    """Sentences of a generated text that report a model outcome (not the player's own)."""
    return [s for s in sentences(html.unescape(re.sub(r"<[^>]+>", " ", text)))
            if _OUTCOME.search(s) and not re.search(r"\b(you|your)\b", s, re.I)]


def _played(kind, checks=40):
    from widgets.lever_game import LeverGame
    game = LeverGame(seed=3, kind=kind)
    for _ in range(checks):
        game.check_button.click()
    game.stop_button.click()
    return game


#: What the panels with generated sentences show around them (filled by ``generated``).
PANEL_TEXT: dict[str, str] = {}


@pytest.fixture(scope="module")
def generated():
    """Every sentence the components generate from a real model run: (where, text)."""
    from widgets.attachment_figure import AttachmentFigure
    from widgets.cycle_timeline import CycleTimeline
    from widgets.leaving_simulator import LeavingSimulator, cost_sentence
    from widgets.opponent_playground import OpponentPlayground
    from widgets.schedule_explorer import ScheduleExplorer

    out = []
    fig = AttachmentFigure(people=100)
    PANEL_TEXT["attachment figure"] = widget_text(fig)
    out += [("attachment figure", fig.paradox_text()), ("attachment figure", fig.describe())]
    fig.right.value = "intermittent_rescorla_wagner"
    out += [("attachment figure, negative control", fig.paradox_text())]
    sim = LeavingSimulator(people=100)
    PANEL_TEXT["leaving simulator"] = widget_text(sim)
    out += [("leaving simulator", sim.describe()),
            ("leaving simulator", cost_sentence(sim.cost))]
    out += [("cycle timeline", CycleTimeline(people=50).describe())]
    pg = OpponentPlayground()
    out += [("opponent playground", pg.describe())]
    pg.sliders["intensity"].value = -1.0
    out += [("opponent playground, unpleasant", pg.describe())]
    ex = ScheduleExplorer(people=5)
    ex.extinction.value = True
    out += [("schedule explorer", ex.describe())]
    for kind in ("continuous", "variable"):
        game = _played(kind)
        out += [(f"lever game, {kind}", game.describe()), (f"lever game, {kind}", game.explain())]
    return out


@pytest.fixture(scope="module")
def handout_summaries():
    from workshop.handouts import HANDOUT_MODULES, module_figure
    out = []
    for module_id in HANDOUT_MODULES:
        fig = module_figure(module_id[:2])
        if fig is not None:
            out.append((module_id, fig[2]))
    assert len(out) == 5
    return out


def _check_outcomes(where, text):
    for s in model_outcomes(text):
        assert _SIMULATED.search(s), f"{where}: {s!r} reports a model outcome without saying " \
                                     f"it is simulated"
        if _BY_HAND.search(s):
            assert re.search(r"\bassum", s, re.I), (
                f"{where}: {s!r} reports an outcome put into the model by hand without "
                f"saying it is assumed")


def test_every_generated_sentence_says_it_is_simulated(generated):
    assert len(generated) >= 12
    for where, text in generated:
        assert model_outcomes(text) or "lever game" in where, (where, text)
        _check_outcomes(where, text)


def test_every_handout_figure_sentence_says_it_is_simulated(handout_summaries):
    for where, text in handout_summaries:
        assert model_outcomes(text), (where, text)
        _check_outcomes(where, text)


def test_the_lever_game_reads_the_effect_as_a_group_difference(generated):
    for where, text in generated:
        for s in sentences(text):
            if re.search(r"partial.reinforcement extinction effect", s, re.I):
                assert re.search(r"many people|between groups|group", s, re.I), (where, s)


def test_generated_mentions_of_leaving_carry_the_caveat(generated, handout_summaries):
    from workshop.handouts import module_handout_html
    checked = set()
    for where, text in generated:
        if LEAVING.search(_plain(text)):
            panel = PANEL_TEXT.get(where.split(",")[0])
            assert panel is not None and not caveat(panel), (where, text)
            checked.add(where.split(",")[0])
    for module_id, text in handout_summaries:
        if LEAVING.search(_plain(text)):
            page = html.unescape(re.sub(r"<[^>]+>", " ", module_handout_html(
                module_id, figure=(b"", "figure", text))))
            assert text in page and not caveat(page), module_id
            checked.add(module_id)
    assert {"attachment figure", "leaving simulator", "05_breaking_the_pull"} <= checked
