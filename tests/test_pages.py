"""Every page of the workshop, in a real browser: clean, private, safe, and keyboard-usable."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from workshop.crisis import load_crisis_resources
from kit_browser import READY_JS, notebook_pages, wait_ready

pytestmark = pytest.mark.browser
PAGES = notebook_pages()
INTERACTIVE = ("a[href], button, input, select, textarea, [role=slider], [role=button], "
               "[role=checkbox], [role=radio], [role=tab], [contenteditable=true], [tabindex='0']")


def open_page(page, voila, notebook, query=""):
    page.goto(voila.page_url(notebook, query))
    wait_ready(page)


def test_there_are_pages():
    assert "00_start.ipynb" in PAGES


@pytest.mark.parametrize("notebook", PAGES)
def test_renders_cleanly_and_privately(page, voila, notebook):
    open_page(page, voila, notebook)
    text = page.inner_text("body")
    assert "Traceback" not in text and "Error" not in page.title()
    assert page.locator("[data-mime-type='application/vnd.jupyter.error'], "
                        "[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert page.watch.problems() == []
    assert page.watch.outside_requests == []
    assert page.locator("#kit-lost").is_hidden()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title() == "Notes", "page titles stay neutral in the browser's history"
    serious = [v["id"] for v in Axe().run(page).response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def _exit_and_go_back(page, voila, notebook, exit_action, block_kernel=False):
    before = voila.url + "/voila/templates/kit/static/weather.html?before"
    page.goto(before)
    if block_kernel:  # the kernel never answers: the shell must work without it
        page.route_web_socket("**/api/kernels/**", lambda ws: None)
        page.goto(voila.page_url(notebook), wait_until="domcontentloaded")
        assert not page.evaluate(READY_JS)
    else:
        open_page(page, voila, notebook)
    exit_action(page)
    page.wait_for_url(re.compile(r"/weather\.html"), timeout=10_000)
    assert "render" not in page.url
    page.go_back()
    assert page.url == before, "Back must not return to the workshop page"


def _click(page):
    page.click("#kit-exit")


def _shift_three_times(page):
    for _ in range(3):
        page.keyboard.press("Shift")


# Every combination on the start page; on every other page the shell is the same template,
# so one combination per page (alternating) shows it is there and works.
QUICK_EXIT_CASES = [("00_start.ipynb", how, kernel) for how in ("click", "shift") for kernel in ("ready", "not ready")]
QUICK_EXIT_CASES += [(nb, ("click", "shift")[i % 2], ("not ready", "ready")[i % 2])
                     for i, nb in enumerate(p for p in PAGES if p != "00_start.ipynb")]


@pytest.mark.parametrize("notebook, how, kernel", QUICK_EXIT_CASES)
def test_quick_exit(page, voila, notebook, how, kernel):
    _exit_and_go_back(page, voila, notebook, {"click": _click, "shift": _shift_three_times}[how],
                      block_kernel=kernel == "not ready")


def test_two_shifts_do_not_exit(page, voila):
    open_page(page, voila, "00_start.ipynb")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    page.keyboard.press("Shift")
    assert "render/00_start" in page.url


@pytest.mark.parametrize("notebook", PAGES)
def test_help_panel_lists_the_resources(page, voila, notebook):
    help = load_crisis_resources()
    open_page(page, voila, notebook)
    panel = page.locator("#kit-help")
    assert panel.is_hidden()
    page.focus("#kit-help-link")
    page.keyboard.press("Enter")
    assert panel.is_visible()
    assert page.evaluate("document.activeElement.id") == "kit-help-title"
    text = panel.inner_text()
    assert help["emergency"] in text and "safety plan" in text.lower()
    for region in help["regions"]:
        assert region["name"] in text
        for entry in region["entries"]:
            assert entry["name"] in text and entry["checked"] in text
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert page.evaluate("document.activeElement.id") == "kit-help-link"


@pytest.mark.parametrize("notebook", PAGES)
def test_every_control_is_reached_by_tab(page, voila, notebook):
    open_page(page, voila, notebook)
    controls = page.evaluate(f"""() => {{
        const all = [...document.querySelectorAll({INTERACTIVE!r})].filter(el =>
            el.checkVisibility({{visibilityProperty: true}}) && !el.disabled && el.tabIndex >= 0 && !el.closest('[hidden]'));
        all.forEach((el, i) => el.dataset.kitControl = i);
        return all.length;
    }}""")
    assert controls >= 2  # at least the shell's help and quick-exit buttons
    seen = set()
    for _ in range(controls * 3 + 10):
        page.keyboard.press("Tab")
        index = page.evaluate("document.activeElement && document.activeElement.dataset.kitControl")
        if index is not None:
            seen.add(int(index))
        if len(seen) == controls:
            break
    missing = page.evaluate("""(seen) => [...document.querySelectorAll('[data-kit-control]')]
        .filter(el => !seen.includes(Number(el.dataset.kitControl)))
        .map(el => el.outerHTML.slice(0, 120))""", sorted(seen))
    assert missing == []


@pytest.mark.parametrize("size", [{"width": 320, "height": 640}, {"width": 640, "height": 450}, {"width": 1200, "height": 900}])
def test_shell_fits_small_screens_and_zoom(chromium, voila, size):
    """320 px wide, and a 1280 px window at 200 % zoom (640 CSS px)."""
    context = chromium.new_context(viewport=size)
    page = context.new_page()
    page.goto(voila.page_url("00_start.ipynb"))
    wait_ready(page)
    for selector in ("#kit-exit", "#kit-help-link"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
        assert box["height"] >= 24 and box["width"] >= 24
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    bar = page.locator(".kit-bar").bounding_box()
    first = page.locator("#rendered_cells h1, #rendered_cells h2").first.bounding_box()
    assert first["y"] >= bar["y"] + bar["height"], "the page's title must not hide under the bar"
    context.close()


def test_root_opens_the_workshop_page(page, voila):
    page.goto(voila.url + "/", wait_until="commit")  # the one workshop page (issue 14)
    page.wait_for_url("**/voila/render/index.ipynb", wait_until="commit")
    wait_ready(page)
    page.go_back()
    assert "/voila/tree" not in page.url, "the file list must not stay in the history"


def test_after_moving_between_pages_back_still_leaves_the_workshop(page, voila):
    """The kit keeps one history entry, so Back after quick exit never shows a kit page."""
    before = voila.url + "/voila/templates/kit/static/weather.html?before"
    page.goto(before)
    open_page(page, voila, "01_why_rewards_hook_us.ipynb")
    page.click("a.bondlab-home")                   # the stepper's link to the module list
    page.wait_for_url("**/00_start.ipynb")
    wait_ready(page)
    page.click("#kit-exit")
    page.wait_for_url(re.compile(r"/weather\.html\?v="), timeout=10_000)
    page.go_back()
    assert page.url == before


@pytest.mark.parametrize("path", ["/voila/render/no_such_page.ipynb", "/no/such/address?mode=<b>"])
def test_an_unknown_address_still_has_the_safety_shell(page, voila, path):
    """A mistyped link shows a calm page with quick exit and help, never a bare server error."""
    response = page.goto(voila.url + path)
    assert response.status == 404
    assert page.title() == "Notes"
    assert "This page is not here" in page.inner_text("main")
    assert "Not Found" not in page.inner_text("body")
    page.click("#kit-help-link")
    assert page.locator("#kit-help").is_visible()
    assert "emergency" in page.inner_text("#kit-help").lower()
    page.keyboard.press("Escape")
    serious = [v["id"] for v in Axe().run(page).response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert page.watch.outside_requests == []
    page.click("#kit-exit")
    page.wait_for_url(re.compile(r"/weather\.html"), timeout=10_000)
    page.go_back()
    assert "no_such_page" not in page.url and "/no/such" not in page.url


def test_an_unknown_address_links_back_to_the_start_page(page, voila):
    page.goto(voila.url + "/voila/render/no_such_page.ipynb")
    page.click("text=Go to the start page", no_wait_after=True)
    page.wait_for_url("**/voila/render/index.ipynb", wait_until="commit")  # `/` opens it
    wait_ready(page)
