/* Reader tools on chapter pages: a text size remembered on this device, and the chapter menu.
   Without JavaScript the text size stays hidden and the chapter menu has its Go button. */
(function () {
  "use strict";
  var KEY = "fabula:text-scale";
  var MIN = 0.7, MAX = 2.0, STEP = 0.1;
  var root = document.documentElement;
  // A member's saved preference (set on <html> by the server), else 1.
  var base = parseFloat(root.getAttribute("data-text-scale")) || 1;

  function current() {
    var value = parseFloat(root.style.getPropertyValue("--text-scale"));
    return isNaN(value) ? base : value;
  }

  function apply(scale) {
    scale = Math.round(Math.min(MAX, Math.max(MIN, scale)) * 10) / 10;
    root.style.setProperty("--text-scale", String(scale));
    try {
      if (scale === base) localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, String(scale));
    } catch (e) { /* private mode: the size holds for this page only */ }
  }

  document.querySelectorAll("[data-js-only]").forEach(function (element) {
    element.hidden = false;
  });

  document.querySelectorAll("[data-text-size]").forEach(function (button) {
    button.addEventListener("click", function () {
      var step = parseInt(button.getAttribute("data-text-size"), 10);
      apply(step === 0 ? base : current() + step * STEP);
    });
  });

  // The "go to chapter" menu works without JavaScript (its Go button asks the server, which
  // answers with the chapter's address); with it, choosing is enough.
  document.querySelectorAll("select[data-chapter-jump]").forEach(function (select) {
    var go = select.form.querySelector("[data-no-js-only]");
    if (go) go.hidden = true;
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
})();
