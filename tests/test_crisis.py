"""The crisis resources (data/crisis_resources.json, workshop/crisis.py): what the Help panel,
the in-page Resources step and the handouts tell people."""
from __future__ import annotations

import html
import json
import re

import pytest

from bondlab.presets import data_dir
from widgets.resources import Resources
from workshop import handouts
from workshop.crisis import KINDS, domestic_abuse_lines, help_html, load_crisis_resources

HELP = load_crisis_resources()
REGIONS = {r["id"]: r for r in HELP["regions"]}


def test_the_emergency_line_names_every_listed_regions_number():
    assert set(REGIONS) >= {"us", "uk", "ca", "au", "ie", "nz"}
    for rid, region in REGIONS.items():
        if rid == "international":
            continue
        assert region.get("emergency"), f"{rid} has no emergency number"
        assert re.search(rf"\b{region['emergency']}\b", HELP["emergency"]), rid
    assert "111 in New Zealand" in HELP["emergency"]


def test_the_emergency_line_says_what_to_do_when_you_cannot_speak():
    line = HELP["emergency"]
    assert "cannot speak" in line
    assert "999" in line and "press 55" in line and "Silent Solution" in line
    assert "text 911 where text-to-911 is available" in line


def test_a_region_whose_emergency_number_is_not_in_the_line_is_refused(tmp_path):
    raw = json.loads((data_dir() / "crisis_resources.json").read_text(encoding="utf-8"))
    raw["regions"][0]["emergency"] = "118"
    bad = tmp_path / "crisis.json"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ValueError, match="118 is not in the emergency line"):
        load_crisis_resources(bad)


def test_every_region_has_a_domestic_abuse_line_and_every_entry_a_kind():
    for region in HELP["regions"]:
        assert domestic_abuse_lines(region), region["id"]
        assert all(e["kind"] in KINDS for e in region["entries"])
    assert any(e.get("phone") for e in domestic_abuse_lines(REGIONS["ca"])), \
        "Canada needs a domestic-abuse phone line, not only a suicide line"


def _handout_regions() -> dict[str, str]:
    text = html.unescape(handouts._services_line())
    parts = re.findall(r"<strong>([^<]+):</strong> ([^·]+?)(?= · <strong>|\. <em>|$)", text)
    return dict(parts)


def test_handouts_print_a_domestic_abuse_line_for_every_region():
    printed = _handout_regions()
    assert set(printed) == {r["name"] for r in HELP["regions"]}
    for region in HELP["regions"]:
        line = printed[region["name"]]
        names = [e["name"] for e in domestic_abuse_lines(region)]
        assert any(name in line for name in names), (region["id"], line)
        others = [e for e in region["entries"] if e["kind"] != "domestic abuse"]
        assert not any(f"{e['name']}, {e.get('phone')}" in line for e in others), line
    assert "988" not in printed["Canada"]


def test_the_uk_handout_line_covers_the_four_nations_and_men():
    uk = _handout_regions()["United Kingdom"]
    for words in ("England", "Wales", "Scotland", "Northern Ireland", "Men's Advice Line",
                  "LGBT+"):
        assert words in uk, words


def test_chat_text_and_lines_for_lgbtq_people_and_men_where_well_established():
    def find(rid, words):
        return [e for e in REGIONS[rid]["entries"] if words in e["name"] + e.get("description", "")]

    assert find("us", "chat") and find("uk", "chat") and find("ie", "messaging")
    assert any("text" in e for e in REGIONS["uk"]["entries"])      # Shout
    assert any("text" in e for e in REGIONS["nz"]["entries"])      # 1737
    assert find("us", "LGBTQ") and find("uk", "LGBT") and find("au", "LGBTIQ")
    assert find("ie", "LGBT") and find("nz", "LGBTQIA")
    assert find("uk", "men experiencing") and find("ie", "men experiencing")
    assert find("ie", "Samaritans"), "Ireland's own list has the Samaritans too"


def test_every_entry_keeps_its_date_and_says_it_was_not_verified_online():
    for region in HELP["regions"]:
        for e in region["entries"]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", e["checked"])
            assert "not verified online" in e["how_checked"].lower(), e["name"]
    assert "not verified online" in help_html(HELP)


def test_no_free_and_confidential_promise():
    texts = [json.dumps(HELP)] + [(data_dir() / "modules" / name).read_text(encoding="utf-8")
                                  for name in ("00_start.md", "06_moving_forward.md")]
    for text in texts:
        assert not re.search(r"free,? (and )?confidential", text, re.I)
    about = HELP["about_services"]
    assert "cost money" in about and "immediate danger" in about


def test_the_help_puts_the_monitored_device_advice_before_the_services():
    panel = help_html(HELP)
    device = panel.index('class="kit-device"')
    assert device < panel.index("<h3>United States</h3>")
    assert device < panel.index(HELP["safety_planning"])
    advice = html.unescape(panel[device:panel.index("</section>", device)])
    for words in ("history keeps the address", "delete those entries one by one",
                  "call log", "Freephone numbers", "often do not appear on phone bills",
                  "Google, Apple or Microsoft account", "refugetechsafety.org",
                  "techsafety.org"):
        assert words in advice, words


def test_the_help_panel_and_the_resources_step_are_the_same_and_link_no_site():
    panel = help_html(HELP)
    assert Resources().children[0].value == panel
    assert not re.search(r'<a [^>]*href="https?:', panel), "web addresses are text, not links"
    assert 'href="tel:08082000247"' in panel  # numbers are tappable; the text says what it leaves
    for region in HELP["regions"]:
        for e in region["entries"]:
            assert html.escape(e["url"]) in panel


def test_the_guide_keeps_the_checking_step():
    guide = (data_dir() / "modules" / "facilitator_guide.md").read_text(encoding="utf-8")
    assert "Check the crisis numbers for your region" in guide
    assert "verified online" in guide
