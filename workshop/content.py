"""The workshop's text: module pages, quick checks, flags and reflection prompts from ``data/``.

Pure Python (no Jupyter imports). Every loader validates what it reads; a problem raises
:class:`ContentError` (a ``ValueError``) naming the file and the line or field, e.g.
``data/modules/01_why_rewards_hook_us.md, line 12: step 'Press the button' needs
'<!-- minutes: N -->'``.

Module format (``data/modules/NN_name.md``)::

    # 1 · Title
    <!-- minutes: 25 -->
    <!-- key_idea: One sentence. -->

    ## Goals
    - A goal.

    ## Step · Step title
    <!-- interactive: lever_game -->
    <!-- minutes: 6 -->

    Prose (Markdown; LaTeX in $...$; citations as [@key]).

    ### Think about
    One question.

    ### Facilitator
    - Prompt: ...
    - Watch for: ...

    ### Lecture
    Equations, citations and exercises.

Checks: the step minutes add up to the module's minutes; every interactive name is one of
the names given (``interactives``: the page passes :data:`widgets.registry.REGISTRY`, the
one list of components; without it, any lower-case name); every ``[@key]`` is an ``id`` in
``data/references.json``.

Example
-------
>>> m = load_module("01_why_rewards_hook_us")
>>> m.number, m.steps[0].interactive, sum(s.minutes for s in m.steps) == m.minutes
('01', 'lever_game', True)
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from workshop.crisis import data_dir

__all__ = [
    "ContentError", "Step", "Module", "modules_dir", "module_ids",
    "load_module", "load_modules", "parse_module", "load_references", "citation_keys",
    "load_quick_check", "load_flags", "load_reflections",
]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SECTIONS = {"think about": "think", "facilitator": "facilitator", "lecture": "lecture"}
_CITE = re.compile(r"\[@([A-Za-z0-9_:.\-]+)\]")
_COMMENT = re.compile(r"^<!--\s*([a-z_]+)\s*:\s*(.*?)\s*-->\s*$")
_STEP = re.compile(r"^## Step · (.+?)\s*$")
_ID = re.compile(r"^(\d\d)_[a-z0-9_]+$")


class ContentError(ValueError):
    """A content file is missing something or has a malformed field."""


@dataclass
class Step:
    """One step of a module: prose, one interactive, one question, and mode extras."""

    title: str
    interactive: str
    minutes: int
    body: str = ""
    think: str = ""
    facilitator: str = ""
    lecture: str = ""
    line: int = 0
    #: Facilitator bullets by label, e.g. {"Prompt": "...", "Watch for": "..."}.
    facilitator_items: dict = field(default_factory=dict)

    @property
    def citations(self) -> list[str]:
        return citation_keys("\n".join((self.body, self.think, self.facilitator, self.lecture)))


@dataclass
class Module:
    """A workshop module: ``id`` like ``01_why_rewards_hook_us``, ``number`` like ``01``."""

    id: str
    title: str
    minutes: int
    key_idea: str
    goals: list
    steps: list
    path: Path | None = None

    @property
    def number(self) -> str:
        return self.id[:2]

    @property
    def notebook(self) -> str:
        """The page's notebook file name, relative to notebooks/."""
        return f"{self.id}.ipynb"

    @property
    def short_title(self) -> str:
        """The title without its number: '1 · Why some rewards hook us' -> 'Why ...'."""
        return re.sub(r"^\d+\s*·\s*", "", self.title)


def modules_dir() -> Path:
    return data_dir() / "modules"


def _display(path: Path) -> str:
    try:
        return "data/" + path.resolve().relative_to(data_dir().resolve()).as_posix()
    except ValueError:
        return str(path)


def module_ids() -> list[str]:
    """Every module id, in order (``00_start``, ``01_...``, ...)."""
    return sorted(p.stem for p in modules_dir().glob("*.md") if _ID.match(p.stem))


def _positive_int(value: str, where: str, field_name: str) -> int:
    if not re.fullmatch(r"\d{1,4}", value or "") or int(value) <= 0:
        raise ContentError(f"{where}: {field_name} must be a whole number of minutes above 0, "
                           f"got {value!r}")
    return int(value)


def parse_module(text: str, name: str = "<module>", module_id: str | None = None,
                 references: set | None = None, interactives=None) -> Module:
    """Parse one module's Markdown; ``name`` is used in error messages.

    ``references``: known citation keys (default: the ids in data/references.json).
    ``interactives``: the interactive names a step may use (default: any lower-case name;
    the page checks against :data:`widgets.registry.REGISTRY`).
    """
    lines = text.splitlines()
    where = lambda i: f"{name}, line {i + 1}"  # noqa: E731
    if not lines or not lines[0].startswith("# ") or not lines[0][2:].strip():
        raise ContentError(f"{name}, line 1: the file must start with '# Title'")
    title = lines[0][2:].strip()
    meta: dict = {}
    goals: list[str] = []
    steps: list[Step] = []
    section = "head"          # head | goals | step
    sub = "body"              # body | think | facilitator | lecture
    buf: dict[str, list[str]] = {}
    step: Step | None = None
    seen_goals = False

    def close_step():
        if step is None:
            return
        for key, value in buf.items():
            setattr(step, key, "\n".join(value).strip())
        if not step.interactive:
            raise ContentError(f"{where(step.line - 1)}: step {step.title!r} needs "
                               f"'<!-- interactive: NAME -->'")
        if not step.minutes:
            raise ContentError(f"{where(step.line - 1)}: step {step.title!r} needs "
                               f"'<!-- minutes: N -->'")
        if not step.body:
            raise ContentError(f"{where(step.line - 1)}: step {step.title!r} has no text")
        if not step.think:
            raise ContentError(f"{where(step.line - 1)}: step {step.title!r} needs a "
                               f"'### Think about' question")
        items = {}
        for bullet in re.findall(r"^- ([A-Z][A-Za-z ]{1,20}):\s*(.+)$", step.facilitator, re.M):
            items[bullet[0]] = bullet[1].strip()
        step.facilitator_items = items
        steps.append(step)

    for i, raw in enumerate(lines[1:], start=1):
        line = raw.rstrip()
        comment = _COMMENT.match(line.strip())
        if line.startswith("# "):
            raise ContentError(f"{where(i)}: only one '# Title' is allowed")
        if line.startswith("## "):
            if line.strip() == "## Goals":
                if section != "head":
                    raise ContentError(f"{where(i)}: '## Goals' must come before the steps")
                section, seen_goals = "goals", True
                continue
            match = _STEP.match(line)
            if not match:
                raise ContentError(f"{where(i)}: unknown heading {line.strip()!r}; expected "
                                   f"'## Goals' or '## Step · Title'")
            close_step()
            section, sub = "step", "body"
            step = Step(title=match.group(1), interactive="", minutes=0, line=i + 1)
            buf = {"body": [], "think": [], "facilitator": [], "lecture": []}
            continue
        if line.startswith("### "):
            if section != "step":
                raise ContentError(f"{where(i)}: {line.strip()!r} must be inside a step")
            key = _SECTIONS.get(line[4:].strip().lower())
            if key is None:
                raise ContentError(f"{where(i)}: unknown section {line.strip()!r}; expected "
                                   f"'### Think about', '### Facilitator' or '### Lecture'")
            if buf[key]:
                raise ContentError(f"{where(i)}: {line.strip()!r} appears twice in step "
                                   f"{step.title!r}")
            sub = key
            continue
        if comment and section != "goals":
            key, value = comment.groups()
            if section == "head":
                if key == "minutes":
                    meta["minutes"] = _positive_int(value, where(i), "minutes")
                elif key == "key_idea":
                    if not value:
                        raise ContentError(f"{where(i)}: key_idea must not be empty")
                    meta["key_idea"] = value
                else:
                    raise ContentError(f"{where(i)}: unknown field {key!r}; expected "
                                       f"'minutes' or 'key_idea'")
                continue
            if key == "interactive":
                if not _NAME.match(value) or (interactives is not None
                                              and value not in interactives):
                    known = (f"use one of: {', '.join(interactives)}" if interactives
                             is not None else "use a lower-case name such as lever_game")
                    raise ContentError(f"{where(i)}: interactive {value!r} is not known; "
                                       f"{known}")
                step.interactive = value
            elif key == "minutes":
                step.minutes = _positive_int(value, where(i), "minutes")
            else:
                raise ContentError(f"{where(i)}: unknown field {key!r} in step "
                                   f"{step.title!r}; expected 'interactive' or 'minutes'")
            continue
        if section == "head":
            if line.strip():
                raise ContentError(f"{where(i)}: unexpected text before '## Goals': "
                                   f"{line.strip()[:40]!r}")
        elif section == "goals":
            if line.startswith("- "):
                goals.append(line[2:].strip())
            elif line.strip():
                raise ContentError(f"{where(i)}: goals must be '- ' bullets")
        else:
            buf[sub].append(raw)
    close_step()

    for key in ("minutes", "key_idea"):
        if key not in meta:
            raise ContentError(f"{name}: missing '<!-- {key}: ... -->' under the title")
    if not seen_goals or not goals:
        raise ContentError(f"{name}: missing '## Goals' with at least one '- ' bullet")
    if not steps:
        raise ContentError(f"{name}: no '## Step · Title' sections")
    total = sum(s.minutes for s in steps)
    if total != meta["minutes"]:
        raise ContentError(f"{name}: minutes: the steps add up to {total} minutes but the "
                           f"module says {meta['minutes']}")
    known = set(load_references()) if references is None else set(references)
    for n, ln in enumerate(lines):
        for key in _CITE.findall(ln):
            if key not in known:
                raise ContentError(f"{where(n)}: citation [@{key}] is not in "
                                   f"data/references.json")
    return Module(id=module_id or "", title=title, minutes=meta["minutes"],
                  key_idea=meta["key_idea"], goals=goals, steps=steps)


def load_module(module_id: str, path: str | Path | None = None, interactives=None) -> Module:
    """Load and validate ``data/modules/<module_id>.md`` (cached per file version);
    ``interactives`` as in :func:`parse_module`."""
    path = Path(path) if path is not None else modules_dir() / f"{module_id}.md"
    if not _ID.match(module_id or ""):
        raise ContentError(f"module id {module_id!r} must look like '01_short_name'")
    try:
        stat = path.stat()
    except OSError:
        raise ContentError(f"{_display(path)}: file not found") from None
    names = None if interactives is None else tuple(interactives)
    return _load_module_cached(module_id, str(path), stat.st_mtime_ns, names)


@lru_cache(maxsize=32)
def _load_module_cached(module_id: str, path: str, _mtime: int, interactives) -> Module:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(f"{_display(p)}: not UTF-8 text ({exc.reason})") from None
    module = parse_module(text, _display(p), module_id, interactives=interactives)
    module.path = p
    return module


def load_modules(interactives=None) -> list[Module]:
    """Every module, validated, in order (``interactives`` as in :func:`parse_module`)."""
    return [load_module(m, interactives=interactives) for m in module_ids()]


def citation_keys(text: str) -> list[str]:
    """The ``[@key]`` citation keys in a text, in order of first use."""
    return list(dict.fromkeys(_CITE.findall(text or "")))


# ------------------------------------------------------------------------- JSON data

def _read_json(filename: str, path=None):
    path = Path(path) if path is not None else data_dir() / filename
    shown = _display(path)
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh), shown
    except FileNotFoundError:
        raise ContentError(f"{shown}: file not found") from None
    except json.JSONDecodeError as exc:
        raise ContentError(f"{shown}, line {exc.lineno}: not valid JSON ({exc.msg})") from None


def _need_text(value, where):
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where} must be a non-empty string, got {value!r}")
    return value.strip()


def _module_keyed(data, shown: str, what: str):
    """``(number, items)`` of a JSON object keyed by two-digit module number, each holding
    a non-empty list of ``what``."""
    if not isinstance(data, dict):
        raise ContentError(f"{shown}: must be an object keyed by module number ('01', ...)")
    for number, items in data.items():
        if not re.fullmatch(r"\d\d", number):
            raise ContentError(f"{shown}: key {number!r} must be a two-digit module number")
        if not isinstance(items, list) or not items:
            raise ContentError(f"{shown}: [{number!r}] must be a non-empty list of {what}")
        yield number, items


def load_references(path=None) -> dict:
    """CSL-JSON references by id (``data/references.json``)."""
    data, shown = _read_json("references.json", path)
    if not isinstance(data, list):
        raise ContentError(f"{shown}: must be a list of CSL-JSON entries")
    out = {}
    for i, entry in enumerate(data):
        if not isinstance(entry, dict):
            raise ContentError(f"{shown}: [{i}] must be an object")
        key = _need_text(entry.get("id"), f"{shown}: [{i}].id")
        _need_text(entry.get("title"), f"{shown}: [{i}].title ({key})")
        if key in out:
            raise ContentError(f"{shown}: [{i}].id {key!r} appears twice")
        out[key] = entry
    return out


def load_quick_check(path=None) -> dict:
    """Questions by module number: ``{"01": [{"question", "choices", "answer",
    "explanation"}, ...]}``."""
    data, shown = _read_json("quick_check.json", path)
    out = {}
    for number, questions in _module_keyed(data, shown, "questions"):
        for i, q in enumerate(questions):
            at = f"{shown}: [{number!r}][{i}]"
            if not isinstance(q, dict):
                raise ContentError(f"{at} must be an object")
            _need_text(q.get("question"), f"{at}.question")
            choices = q.get("choices")
            if (not isinstance(choices, list) or len(choices) < 2
                    or not all(isinstance(c, str) and c.strip() for c in choices)):
                raise ContentError(f"{at}.choices must be a list of at least 2 non-empty "
                                   f"strings")
            answer = q.get("answer")
            if (isinstance(answer, bool) or not isinstance(answer, int)
                    or not 0 <= answer < len(choices)):
                raise ContentError(f"{at}.answer must be an index into choices "
                                   f"(0 to {len(choices) - 1}), got {answer!r}")
            _need_text(q.get("explanation"), f"{at}.explanation")
        out[number] = questions
    return out


def load_flags(path=None) -> list:
    """Statements to sort: ``[{"statement", "flag": "red"|"green", "explanation"}]``."""
    data, shown = _read_json("flags.json", path)
    if not isinstance(data, list) or not data:
        raise ContentError(f"{shown}: must be a non-empty list of statements")
    for i, item in enumerate(data):
        at = f"{shown}: [{i}]"
        if not isinstance(item, dict):
            raise ContentError(f"{at} must be an object")
        _need_text(item.get("statement"), f"{at}.statement")
        if item.get("flag") not in ("red", "green"):
            raise ContentError(f"{at}.flag must be 'red' or 'green', got {item.get('flag')!r}")
        _need_text(item.get("explanation"), f"{at}.explanation")
    return data


def load_reflections(path=None) -> dict:
    """Reflection prompts by module number: ``{"01": ["prompt", ...]}``."""
    data, shown = _read_json("reflections.json", path)
    for number, prompts in _module_keyed(data, shown, "prompts"):
        for i, p in enumerate(prompts):
            _need_text(p, f"{shown}: [{number!r}][{i}]")
    return data
