// The one workshop page (widgets/workshop_page.py), the browser's side. Two hidden widgets
// carry the place between the page and its kernel:
// - .bondlab-place-signal holds <span data-place="m=2&s=3"> (numbers only): kept in this
//   tab's sessionStorage, which is gone when the tab closes. Never the address, the history
//   or localStorage: nothing outlives the tab.
// - .bondlab-go is a text box the kernel listens to: links marked data-kit-go are sent
//   there instead of loading a page, and after a reload of the same address the kept
//   place is sent there once, so the person is back where they were.
// The same box takes "width=N": the CSS width of the module column (where the figures are),
// sent when it changes by 8 px or more, so every figure follows it (widgets/live_figure.py
// fit_page).
// Pages without these widgets are left alone.
(function () {
  "use strict";
  var KEY = "kit-place";
  var store = null;
  try { store = window.sessionStorage; } catch (error) { store = null; }
  var address = window.location.pathname + window.location.search;
  var pending = null;  // the place to restore once the page's widgets are there
  if (store) {
    try {
      var kept = JSON.parse(store.getItem(KEY) || "null");
      if (kept && kept.address === address && typeof kept.place === "string") {
        pending = kept.place;
      }
    } catch (error) { pending = null; }
  }
  var shown = null;
  var focusHeading = false;

  function send(text) {
    var box = document.querySelector(".bondlab-go input");
    if (!box) { return false; }
    box.value = text;
    box.dispatchEvent(new Event("input", {bubbles: true}));
    box.dispatchEvent(new Event("change", {bubbles: true}));
    return true;
  }

  function scan() {
    var signal = document.querySelector(".bondlab-place-signal [data-place]");
    if (!signal) { return; }
    if (pending !== null) {
      if (send(pending)) { pending = null; }
      return;  // keep the old place until the kernel has answered with the restored one
    }
    var place = signal.getAttribute("data-place");
    if (place !== shown) {
      var moved = shown !== null && place.split("&")[0] !== shown.split("&")[0];
      shown = place;
      if (store) {
        try { store.setItem(KEY, JSON.stringify({address: address, place: place})); } catch (error) { /* full or blocked: no reload memory */ }
      }
      if (moved) { focusHeading = true; }
    }
    if (focusHeading) {
      var active = document.activeElement;
      if (!active || active === document.body || !active.isConnected) {
        var heading = document.querySelector(".bondlab-workshop h1");
        if (heading) { heading.focus(); focusHeading = false; }
      }
    }
  }

  // -- Figures follow the column's width -------------------------------------------
  // Measured inside the step's card, where every figure sits at the card's full width
  // (whatever the canvas in it): the same width on a step with a figure and on one
  // without, so moving between them refits nothing. Between two steps (no card on the
  // page for a moment) the last measure stands. Debounced.
  var sentWidth = null;
  var measured = null;
  var widthTimer = null;
  function column() {
    return document.querySelector(".bondlab-workshop .bondlab-step-content");
  }
  function sendWidth() {
    widthTimer = null;
    if (!measured || !measured.isConnected) { return; }
    var style = window.getComputedStyle(measured);
    var width = Math.floor(measured.clientWidth - parseFloat(style.paddingLeft || 0)
                           - parseFloat(style.paddingRight || 0));
    if (!(width > 0) || (sentWidth !== null && Math.abs(width - sentWidth) < 8)) { return; }
    if (send("width=" + width)) {
      sentWidth = width;
      tries = 0;
      window.setTimeout(confirmWidth, 1500);
    }
  }
  // A message sent while the page's widgets are still connecting can be lost: until the
  // kernel's signal says the width it now uses, send it again (a few times at most).
  var tries = 0;
  function confirmWidth() {
    var signal = document.querySelector(".bondlab-place-signal [data-width]");
    var told = signal ? Number(signal.getAttribute("data-width")) : NaN;
    if (sentWidth === null || Math.abs(told - sentWidth) < 8 || tries >= 5) { return; }
    tries += 1;
    send("");  // the same text again would not count as a change
    send("width=" + sentWidth);
    window.setTimeout(confirmWidth, 1500);
  }
  var sizes = window.ResizeObserver ? new ResizeObserver(function () {
    if (widthTimer !== null) { window.clearTimeout(widthTimer); }
    widthTimer = window.setTimeout(sendWidth, 120);
  }) : null;
  function watchWidth() {
    var el = column();
    if (!sizes || !el || el === measured) { return; }
    if (measured) { sizes.unobserve(measured); }
    measured = el;
    sizes.observe(el);  // reports its size once at once, then on every change
  }

  // -- The fixed safety bar never hides the focused element (WCAG 2.4.11) ----------
  // On a narrow screen its buttons wrap onto two lines: the page's top padding and the
  // scroll padding (where focus scrolls an element to) follow its real height.
  var bar = document.querySelector(".kit-bar");
  if (bar && window.ResizeObserver) {
    new ResizeObserver(function () {
      var height = Math.ceil(bar.getBoundingClientRect().height);
      document.documentElement.style.scrollPaddingTop = (height + 12) + "px";
      var main = document.getElementById("kit-main");
      if (main) { main.style.paddingTop = (height + 8) + "px"; }
    }).observe(bar);
  }

  var queued = false;
  new MutationObserver(function () {
    if (queued) { return; }
    queued = true;
    window.requestAnimationFrame(function () { queued = false; scan(); watchWidth(); });
  }).observe(document.documentElement, {childList: true, subtree: true});

  // Before the shell's own link handler (document, capture): a link inside the page is
  // answered by the kernel, so no page is loaded and no history entry is made.
  window.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a[data-kit-go]");
    if (!a || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    if (send(a.getAttribute("data-kit-go"))) {
      event.preventDefault();
      focusHeading = true;
    }
  }, true);
})();
