/* Reader tools on chapter pages: a text size remembered on this device, and the chapter menu.
   Without JavaScript both stay hidden and the page reads as it is. */
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

  document.querySelectorAll("select[data-chapter-jump]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.value) window.location.href = select.value;
    });
  });
})();
