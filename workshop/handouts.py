"""Printable handouts: one A4 page per module, and the facilitator guide.

``bondlab handouts --out DIR`` writes ``handout_01.html`` ... ``handout_06.html`` and
``facilitator_guide.html``, and, when headless Chromium is available, a PDF of each
(Chromium's own print, A4). Each module handout holds the module's key idea, one
figure computed by the engine (a PNG embedded as a data URI, with a text summary next
to it), the reflection questions (``data/reflections.json`` and the steps' "Think
about" questions), the help line (``data/crisis_resources.json``) and the sources the
module cites. Pages are self-contained: no external URL, no web font, no script.

Pure Python; the figures (:mod:`workshop.figures`, matplotlib) are imported late inside
:func:`module_figure`, mistune inside :func:`guide_html` and Playwright inside
:func:`write_pdfs`.

Example
-------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:                      # doctest: +SKIP
...     written = build_handouts(d, pdf=False)
"""
from __future__ import annotations

import base64
import difflib
import html
import io
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from workshop.content import (load_flags, load_module, load_references, load_reflections,
                             modules_dir)
from workshop.crisis import domestic_abuse_lines, load_crisis_resources
from workshop.references import certainty, format_reference_html, sort_references

__all__ = ["HANDOUT_MODULES", "build_handouts", "module_handout_html", "guide_html",
           "module_figure", "questions", "help_line", "chromium_path", "write_pdfs",
           "pdf_page_count"]

#: The modules that get a handout (the start page needs none).
HANDOUT_MODULES = ("01_why_rewards_hook_us", "02_consistent_vs_intermittent", "03_the_cycle",
                   "04_tolerance_and_withdrawal", "05_breaking_the_pull",
                   "06_moving_forward")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
_SEED = 0
_PEOPLE = 200

_CSS = """
@page { size: A4; margin: 10mm 12mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
       color: #1a1a1a; background: #fff; }
body { margin: 0 auto; max-width: 184mm; font-size: 9.6pt; line-height: 1.3; }
header { border-bottom: 1.5pt solid #0072B2; margin-bottom: 2.5mm; padding-bottom: 1mm; }
.kicker { font-size: 8.5pt; color: #444; margin: 0; }
h1 { font-size: 16pt; margin: 0.5mm 0 0; color: #123; }
h2 { font-size: 11pt; margin: 2.5mm 0 1mm; color: #123; }
.key-idea { border-left: 4pt solid #E69F00; background: #fff7e6; padding: 2mm 3mm;
            margin: 2mm 0; font-size: 10.5pt; }
.key-idea strong { display: block; font-size: 8.5pt; text-transform: uppercase;
                   letter-spacing: 0.05em; color: #5a3d00; }
figure { margin: 2mm 0; break-inside: avoid; }
figure img { display: block; width: 100%; height: auto; max-height: 70mm;
             object-fit: contain; }
figcaption { font-size: 8.5pt; color: #222; margin-top: 1mm; }
.textbox { border: 1pt solid #009E73; border-radius: 2mm; padding: 2mm 4mm; margin: 2mm 0; }
.textbox ul { margin: 1mm 0; padding-left: 5mm; }
ul.questions { margin: 0; padding-left: 5mm; }
ul.questions li { margin: 0.3mm 0 0.9mm; }
.lines { border-bottom: 0.5pt dotted #888; height: 5mm; }
.help { border: 1.2pt solid #0072B2; border-radius: 2mm; padding: 2mm 3mm; margin: 3mm 0 2mm;
        font-size: 8.6pt; break-inside: avoid; }
.help strong { color: #003a63; }
.services { display: block; margin-top: 1mm; font-size: 8.2pt; }
.sources { font-size: 7.4pt; line-height: 1.25; color: #222; columns: 2; column-gap: 6mm;
           margin: 0; padding-left: 4mm; }
.sources li { break-inside: avoid; margin-bottom: 0.8mm; }
.bondlab-certainty { color: #555; }
.source-note { font-size: 7.4pt; color: #333; margin: 0.5mm 0 0; }
footer { font-size: 7.5pt; color: #444; margin-top: 2mm; border-top: 0.5pt solid #bbb;
         padding-top: 1mm; }
table { border-collapse: collapse; margin: 2mm 0; font-size: 9.5pt; }
th, td { border: 0.6pt solid #999; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #eef4f9; }
.guide h2 { break-after: avoid; }
.guide table { break-inside: auto; }
.guide tr { break-inside: avoid; }
@media screen { body { padding: 8mm 4mm; } }
"""


# ---------------------------------------------------------------- text pieces

def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", text.lower()).strip()


def _similar(a: str, b: str) -> bool:
    na, nb = _norm(a), _norm(b)
    return (na in nb or nb in na
            or difflib.SequenceMatcher(None, na, nb).ratio() > 0.8)


def questions(module) -> list[str]:
    """The module's reflection prompts (verbatim), then each step's "Think about"
    question that is not already (nearly) one of them."""
    out = list(load_reflections().get(module.number, []))
    for step in module.steps:
        q = " ".join(step.think.split())
        if q and not any(_similar(q, seen) for seen in out):
            out.append(q)
    return out


def help_line() -> str:
    """The crisis and safety-planning pointer printed on every handout."""
    res = load_crisis_resources()
    return f"{res['emergency']} {res['safety_planning']}"


def _services_line() -> str:
    """Each region's domestic-abuse lines (:func:`workshop.crisis.domestic_abuse_lines`:
    a number where there is one, else the service's name), as HTML."""
    res = load_crisis_resources()
    parts, checked = [], set()
    for region in res["regions"]:
        lines = domestic_abuse_lines(region)
        phoned = [e for e in lines if e.get("phone")]
        text = "; ".join(f"{e['name']}, {e['phone']}" for e in phoned) or lines[0]["name"]
        checked.update(e["checked"] for e in region["entries"])
        parts.append(f"<strong>{html.escape(region['name'])}:</strong> {html.escape(text)}")
    when = max(checked) if checked else ""
    return (" · ".join(parts) + (f". <em>Listed as of {html.escape(when)}, not verified "
                                 "online; check numbers before printing.</em>" if when else ""))


def _module_citations(module) -> list[str]:
    keys: list[str] = []
    for step in module.steps:
        keys += step.citations
    return list(dict.fromkeys(keys))


def _inline(text: str) -> str:
    """Escape, drop [@key] citations, keep **bold** and *italic*."""
    t = html.escape(re.sub(r"\s*\[@[^\]]+\]", "", text or ""), quote=False)
    t = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", t)
    return re.sub(r"(?<!\*)\*(?!\s)(.+?)(?<!\s)\*", r"<em>\1</em>", t)


# ---------------------------------------------------------------- figures

def _fig_cumulative(figures):
    """Module 1: cumulative records of four schedules, and presses after rewards stop."""
    import bondlab
    fig, (ax, bx) = figures.plain_figure(1, 2, figsize=(11, 4.4), width_ratios=(1.4, 1))
    agent = bondlab.RespondingAgent()
    specs = (("VR5", "unpredictably, 1 in 5 times"), ("FI10", "after a fixed wait"),
             ("VI10", "after an unpredictable wait"))
    ticks = 200
    finals, records = {}, []
    for spec, label in specs:
        rec = agent.run(bondlab.schedule_from_spec(spec), ticks=ticks + 300, people=5,
                        seed=_SEED, record_from=300)
        records.append((label, rec.cumulative()[0], np.flatnonzero(rec.reinforced[0])))
        finals[label] = int(np.median(rec.cumulative()[:, -1]))
    figures.draw_records(ax, records)
    presses = {t: bondlab.presses_after_rewards_stop(training=t, people=_PEOPLE, seed=_SEED)
               for t in ("continuous", "variable")}
    figures.draw_prediction(bx, presses)
    c, v = (float(np.median(presses[t])) for t in ("continuous", "variable"))
    summary = (f"Left: the running total of responses for one simulated person under three "
               f"schedules (steep = fast responding, flat = a pause); small ticks mark "
               f"rewards. Over {ticks} simulated ticks the median totals "
               f"were " + ", ".join(f"{n} {k}" for k, n in finals.items()) + ". Right: "
               f"after learning, the rewards stop. Simulated people rewarded every time "
               f"pressed about {c:.0f} more times; those rewarded unpredictably pressed "
               f"about {v:.0f} more times (medians of {_PEOPLE}; bars show quartiles).")
    alt = "Cumulative records of four schedules, and presses after rewards stop"
    return fig, alt, summary


def _fig_attachment(figures):
    """Module 2: the attachment and withdrawal paradox, consistent vs intermittent."""
    from bondlab import presets
    names = ("consistent", "intermittent")
    res = {n: presets.load_scenario(n, people=_PEOPLE, seed=_SEED).run() for n in names}
    fig, axes = figures.plain_figure(1, 2, figsize=(11, 4.6), sharey=True)
    figures.draw_attachment(
        axes, [res[n] for n in names],
        [presets.preset_info("scenarios", n)["label"].split(",")[0] for n in names],
        [{k: res[n].band(k) for k in ("attachment", "withdrawal")} for n in names])
    sa, sb = res["consistent"].summary(), res["intermittent"].summary()
    summary = (f"Medians of {_PEOPLE} simulated people per side. In the simulation, the "
               f"consistent partner gave {sa['total_warmth']:.0f} days of warmth, the "
               f"intermittent partner {sb['total_warmth']:.0f}. Yet in the simulation, after "
               f"leaving, the pull lasted about "
               f"{figures.fmt_days(sa['persistence_days'])} for the consistent partner "
               f"and about "
               f"{figures.fmt_days(sb['persistence_days'])} for the intermittent one: less warmth, "
               f"a longer pull.")
    alt = "The pull toward a consistent and an intermittent partner, before and after leaving"
    return fig, alt, summary


def _fig_cycle(figures):
    """Module 3: the cycle with its four phases, felt mood and surprise of one person."""
    import bondlab
    from bondlab import PHASE_NAMES
    days = 70
    r = bondlab.Scenario(partner=bondlab.CyclePartner(), days_together=days, days_after=1,
                         people=100, seed=_SEED).run()
    phase, mood, sur = r.phase[0], r.mood[0, :days], r.surprise[0, :days]
    fig, axes = figures.plain_figure(2, 1, figsize=(11, 5.2), sharex=True,
                                     height_ratios=[1.6, 1])
    figures.draw_timeline(axes, np.arange(1, days + 1), phase, mood, sur)
    allmood, allsur = r.mood[:, :days], r.surprise[:, :days]
    by = [(float(np.mean(allmood[r.phase == k])), float(np.mean(allsur[r.phase == k])))
          for k in range(4)]
    top = int(np.argmax([s for _, s in by]))
    incidents = int(np.sum((phase[1:] == 1) & (phase[:-1] != 1)) + (phase[0] == 1))
    summary = (f"{days} simulated days with a partner who cycles through tension building, "
               f"an incident, reconciliation and calm ({incidents} incidents for this "
               f"simulated person). "
               f"Average felt mood by phase over 100 simulated people: "
               + ", ".join(f"{PHASE_NAMES[k]} {by[k][0]:+.2f}" for k in range(4))
               + f". In the model, the largest positive surprise comes in the "
                 f"{PHASE_NAMES[top]} phase: warmth after hurt is unexpected, and in the model "
                 "the unexpected is learned most strongly.")
    return fig, "Felt mood and surprise through the four phases of the cycle", summary


def _fig_opponent(figures):
    """Module 4: an opponent-process exposure train: tolerance, then withdrawal."""
    import bondlab
    stim = bondlab.exposure_train(spacing=20, count=6)
    h = bondlab.OpponentProcess().run(stim)
    t = np.arange(stim.size)
    fig, axes = figures.plain_figure(2, 1, figsize=(11, 4.8), sharex=True,
                                     height_ratios=[1, 2.4])
    figures.draw_playground(axes, t, stim, h.a[0], h.b[0], h.felt[0])
    on = stim > 0
    runs = np.flatnonzero(np.diff(np.r_[0, on.astype(int)]) == 1)
    peaks = [float(h.felt[0, s:s + 12].max()) for s in runs]
    last_end = int(np.flatnonzero(on)[-1])
    dip = float(h.felt[0, last_end:].min())
    summary = (f"{len(runs)} simulated exposures. In the model, the felt high of the first "
               f"was {peaks[0]:.2f} and of the last {peaks[-1]:.2f}: the slow opposite "
               f"reaction grows with use (tolerance). In the model, after the last exposure, "
               f"felt mood dips to {dip:.2f}, below neutral, and then slowly returns towards "
               f"zero: what the model calls withdrawal, and it fades. Nobody has measured "
               f"whether withdrawal after a relationship follows the model.")
    return fig, "Felt mood over repeated exposures, then withdrawal", summary


def _fig_leaving(figures):
    """Module 5: withdrawal after leaving under four ways of handling contact."""
    from bondlab import presets
    runs = (("intermittent", "no contact"), ("intermittent_grey_rock", "grey rock"),
            ("intermittent_contact", "occasional contact"),
            ("intermittent_support", "support from others"))
    peaks, contacts, medians, panels = {}, (), {}, []
    for name, label in runs:
        r = presets.load_scenario(name, people=_PEOPLE, seed=_SEED).run()
        after = r.day >= 0
        band = r.band("withdrawal", after_leaving=True)
        medians[label] = band[0]
        example = r.withdrawal[0, after]
        if name == "intermittent":
            ups = int(np.sum(np.diff(np.sign(np.diff(example))) < 0))
        panels.append((label.capitalize(), (np.arange(1, after.sum() + 1), band, example,
                                            list(r.scenario.contacts))))
        s = r.summary()
        peaks[label] = (s["peak_withdrawal"], s["days_to_recover"])
        if name == "intermittent_contact" and r.scenario is not None:
            contacts = tuple(r.scenario.contacts)
    fig, axes = figures.plain_figure(2, 2, figsize=(11, 6.0), sharex=True, sharey=True)
    figures.draw_leaving(axes.ravel(), panels)
    when = " and ".join(f"day {c}" for c in contacts) if contacts else "some days"
    grey = float(np.max(np.abs(medians["grey rock"] - medians["no contact"])))
    grey_text = ("stays close to no contact" if grey < 0.1
                 else "sets it back less than ordinary contact")
    summary = (f"Median withdrawal of {_PEOPLE} simulated people after leaving an "
               f"intermittent partner. In the simulation, occasional contact (on {when}) sets "
               f"withdrawal back each time. Grey rock (contact kept dull) {grey_text} and "
               f"support from others lowers the worst point only because the model assumes "
               f"they do: grey rock multiplies a contact's warmth by "
               f"{presets.load_scenario('intermittent_grey_rock').grey_rock_factor:g}, "
               f"and support eases craving (simulated worst withdrawal: "
               + ", ".join(f"{k} {v[0]:.2f}" for k, v in peaks.items())
               + f"). The example person, simulated, has {ups} ups and downs; the model puts "
                 "them in by hand (random reminders and a noise setting), so they are "
                 "assumed, not a finding about healing. A model, not a prediction for any one "
                 "person; plan leaving with an advocate.")
    return fig, "Withdrawal after leaving with no contact, grey rock, contact or support", summary


_FIGURES = {"01": _fig_cumulative, "02": _fig_attachment, "03": _fig_cycle,
            "04": _fig_opponent, "05": _fig_leaving}


def module_figure(number: str):
    """``(png_bytes, alt, summary)`` for a module's figure, or None (module 6, start).

    Drawn by the same functions as the workshop's figures (:mod:`workshop.figures`, on a
    plain matplotlib Figure, never pyplot), imported here and nowhere else in this module.
    """
    make = _FIGURES.get(number)
    if make is None:
        return None
    from workshop import figures

    fig, alt, summary = make(figures)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue(), alt, summary


def _textbox(module) -> str:
    """Module 6's box in place of a figure: green flags from data/flags.json."""
    greens = [f["statement"] for f in load_flags() if f["flag"] == "green"][:5]
    items = "".join(f"<li>{html.escape(s)}</li>" for s in greens)
    return ('<div class="textbox" role="note"><strong>Some green flags</strong>'
            f'<ul>{items}</ul><span class="small">Signs of a relationship that leaves you '
            'free. Nobody is perfect; what matters is the pattern over time.</span></div>')


# ---------------------------------------------------------------- pages

def _page(title: str, body: str, extra_class: str = "") -> str:
    cls = f' class="{extra_class}"' if extra_class else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
            f"<body{cls}>\n{body}\n</body>\n</html>\n")


def module_handout_html(module_id: str, figure=True) -> str:
    """One module's handout as a complete HTML document.

    ``figure``: True to compute the engine figure, or a precomputed ``(png, alt,
    summary)``; False for none (tests of the text only).
    """
    m = load_module(module_id)
    refs = load_references()
    parts = [f'<header><p class="kicker">Bond Lab · workshop notes · module {int(m.number)}'
             f' · about {m.minutes} minutes</p><h1>{html.escape(m.short_title)}</h1></header>',
             f'<div class="key-idea"><strong>Key idea</strong>{_inline(m.key_idea)}</div>']
    fig = module_figure(m.number) if figure is True else (figure or None)
    if fig:
        png, alt, summary = fig
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        parts.append(f'<figure><img src="{uri}" alt="{html.escape(alt)}">'
                     f'<figcaption><strong>What the figure shows.</strong> '
                     f'{html.escape(summary)}</figcaption></figure>')
    elif m.number == "06":
        parts.append(_textbox(m))
    qs = "".join(f"<li>{_inline(q)}</li>" for q in questions(m))
    parts.append(f'<h2>Questions to think about</h2><ul class="questions">{qs}</ul>')
    parts.append('<div class="help" role="note"><strong>If you need help:</strong> '
                 f'{html.escape(help_line())}<br><span class="services">'
                 f'{_services_line()}</span></div>')
    keys = _module_citations(m)
    if keys:
        entries = sort_references([refs[k] for k in keys])
        items = "".join(f"<li>{format_reference_html(e, note=False)}"
                        f"{' †' if 'recalled' in certainty(e) else ''}</li>" for e in entries)
        mark = ('<p class="source-note">† Some details recalled, not yet checked against the '
                'source: verify before quoting. The workshop\'s Notes page gives the '
                'certainty of every source.</p>'
                if any("recalled" in certainty(e) for e in entries) else "")
        parts.append(f'<h2>Sources</h2><ul class="sources">{items}</ul>{mark}')
    parts.append('<footer>Psychoeducation, not therapy or diagnosis. Abuse is never the fault '
                 'of the person it happens to. Made with Bond Lab'
                 + ('; the figure comes from a simulation, not from any real person.'
                    if fig else '.') + '</footer>')
    return _page(f"Notes · {int(m.number)}", "\n".join(parts))


def guide_html() -> str:
    """The facilitator guide (``data/modules/facilitator_guide.md``) as HTML."""
    import mistune
    text = (modules_dir() / "facilitator_guide.md").read_text(encoding="utf-8")
    md = mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])
    body = md(text)
    body = re.sub(r'<a href="(https?:)?//[^"]*">(.*?)</a>', r"\2", body)
    help_box = ('<div class="help" role="note"><strong>If you need help:</strong> '
                f'{html.escape(help_line())}</div>')
    return _page("Notes · guide", f'<main class="guide">{body}{help_box}</main>', "guide")


# ---------------------------------------------------------------- PDF

def chromium_path() -> str | None:
    """Headless Chromium for PDFs: ``$BONDLAB_CHROMIUM`` when set (and only it), else
    /usr/bin/chromium or ``chromium`` on PATH; None when there is none."""
    override = os.environ.get("BONDLAB_CHROMIUM")
    for cand in ((override,) if override else ("/usr/bin/chromium", "chromium",
                                               "chromium-browser")):
        if not cand:
            continue
        if Path(cand).is_file():
            return cand
        found = shutil.which(cand)
        if found:
            return found
    return None


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF (Chromium's: page objects are not compressed), without a PDF library."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def write_pdfs(html_files, chromium: str, one_page=()) -> dict:
    """Print each HTML file to a PDF next to it (A4, print CSS). Returns ``{pdf: pages}``.

    Files named in ``one_page`` must fit one page: if Chromium's first print runs over,
    they are printed again at a slightly smaller scale (down to 0.7).
    """
    from playwright.sync_api import sync_playwright

    counts = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            # Belt and braces: a handout never fetches anything but itself.
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(("file:", "data:")) else route.abort())
            for path in map(Path, html_files):
                page.goto(path.resolve().as_uri(), wait_until="load")
                out = path.with_suffix(".pdf")
                scales = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7) if path in map(Path, one_page) \
                    else (1.0,)
                for scale in scales:
                    data = page.pdf(format="A4", print_background=True, scale=scale,
                                    prefer_css_page_size=True)
                    pages = pdf_page_count(data)
                    if pages <= 1:
                        break
                out.write_bytes(data)
                counts[out] = pages
        finally:
            browser.close()
    return counts


# ---------------------------------------------------------------- the command

def _out_dir(out) -> Path:
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise ValueError(f"--out {str(out)!r} is a file; give a folder for the handouts.")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ValueError(f"--out {str(out)!r}: cannot create the folder "
                         f"({e.strerror or e}).") from None
    if not os.access(path, os.W_OK):
        raise ValueError(f"--out {str(out)!r}: the folder is not writable.")
    return path


def build_handouts(out, pdf=None, modules=HANDOUT_MODULES) -> dict:
    """Write the handouts and the facilitator guide into ``out``.

    ``pdf``: True/None print PDFs when Chromium is available (None: quietly decide), False
    writes HTML only. Returns ``{"html": [paths], "pdf": {path: pages}, "notice": str}``.
    Raises ``ValueError`` with a one-line message for a bad ``out``.
    """
    folder = _out_dir(out)
    written, one_page = [], []
    for module_id in modules:
        number = load_module(module_id).number
        path = folder / f"handout_{number}.html"
        try:
            path.write_text(module_handout_html(module_id), encoding="utf-8")
        except OSError as e:
            raise ValueError(f"cannot write {path}: {e.strerror or e}.") from None
        written.append(path)
        one_page.append(path)
    guide = folder / "facilitator_guide.html"
    guide.write_text(guide_html(), encoding="utf-8")
    written.append(guide)
    result = {"html": written, "pdf": {}, "notice": ""}
    if pdf is False:
        return result
    chromium = chromium_path()
    if chromium is None:
        result["notice"] = ("Chromium not found (set BONDLAB_CHROMIUM or install chromium): "
                            "wrote HTML only; print them from a browser for paper copies.")
        return result
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        result["notice"] = ("Playwright is not installed (pip install playwright): wrote HTML "
                            "only; print them from a browser for paper copies.")
        return result
    # Playwright's sync API refuses to run where an asyncio loop is running (a Jupyter
    # kernel, or a process already driving a browser): print from a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        result["pdf"] = pool.submit(write_pdfs, written, chromium, one_page).result()
    return result


def main_handouts(args, out) -> int:
    """``bondlab handouts --out DIR [--pdf/--no-pdf]`` (called by :mod:`workshop.cli`)."""
    import sys
    result = build_handouts(args.out, pdf=args.pdf)
    for path in result["html"]:
        line = str(path)
        pdf = path.with_suffix(".pdf")
        if pdf in result["pdf"]:
            n = result["pdf"][pdf]
            line += f"  +  {pdf.name} ({n} page{'s' if n != 1 else ''})"
        print(line, file=out)
    if result["notice"]:
        print(f"bondlab: {result['notice']}", file=sys.stderr)
    return 0
