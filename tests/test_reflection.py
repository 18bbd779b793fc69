"""Reflection, FlagSort, QuickCheck, Resources: driven from Python."""
from __future__ import annotations

import html
from urllib.parse import unquote

from workshop.content import load_flags, load_quick_check, load_reflections
from widgets.flag_sort import FlagSort
from widgets.quick_check import QuickCheck
from widgets.reflection import FILE_NAME, PRIVACY_LINE, Reflection
from widgets.resources import Resources


def test_reflection_download_holds_the_notes_and_clear_wipes():
    r = Reflection(load_reflections()["01"])
    assert len(r.boxes) == 3 and all(b.description for b in r.boxes)
    assert "not saved on the server" in PRIVACY_LINE and PRIVACY_LINE in r.children[0].value
    r.boxes[0].value = "It felt <odd> & new"
    link = r.download.value
    assert f'download="{FILE_NAME}"' in link and link.count('href="data:text/plain') == 1
    text = unquote(link.split("charset=utf-8,")[1].split('"')[0])
    assert "It felt <odd> & new" in text and load_reflections()["01"][0] in text
    r.clear_button.click()
    assert all(b.value == "" for b in r.boxes) and "odd" not in unquote(r.download.value)
    assert "empty" in r.cleared.value


def test_flag_sort_explains_without_scoring():
    f = FlagSort()
    items = load_flags()
    assert f.next_button.disabled and "1 of" in f.counter.value
    wrong = "green" if items[0]["flag"] == "red" else "red"
    getattr(f, f"{wrong}_button").click()
    assert "usually seen as" in f.feedback.value and "Yes" not in f.feedback.value
    assert not f.next_button.disabled
    f.next_button.click()
    assert f.position == 1 and f.feedback.value == ""
    getattr(f, f"{items[1]['flag']}_button").click()
    assert f.feedback.value.count("Yes, this is usually seen as") == 1
    everything = " ".join(str(c.value) for c in f.children if hasattr(c, "value")).lower()
    for word in ("score", "you are", "wrong", "correct"):
        assert word not in everything.replace("nothing is scored", "")


def test_quick_check_explains_each_answer():
    q = QuickCheck(number="01")
    questions = load_quick_check()["01"]
    assert len(q.options) == len(questions) and q.options[0].index is None
    q.check_buttons[0].click()  # no choice yet: still explained
    assert questions[0]["explanation"][:30] in q.feedback[0].value
    q.options[1].index = questions[1]["answer"]
    q.check_buttons[1].click()
    assert "Yes, that's it" in q.feedback[1].value
    q.options[2].index = (questions[2]["answer"] + 1) % len(questions[2]["choices"])
    q.check_buttons[2].click()
    assert "Not quite" in q.feedback[2].value


def test_quick_check_without_questions():
    assert "no questions" in QuickCheck(number="00").children[0].value


def test_resources_list_every_service():
    from workshop.crisis import load_crisis_resources

    text = Resources().children[0].value
    for region in load_crisis_resources()["regions"]:
        assert all(html.escape(e["name"]) in text for e in region["entries"])
