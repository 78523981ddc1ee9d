/* The Display menu (in every page's header) and the text size buttons of reading pages: each
   choice applies at once and is kept in this browser's local storage, never in a session or
   cookie, so guests have it too; display.js applies it on the next page. Without JavaScript
   the menu stays hidden (members still have their preferences page). */
(function () {
  "use strict";
  var root = document.documentElement;
  var MIN = 0.7, MAX = 2.0, STEP = 0.1;
  // A member's saved text size (set on <html> by the server), else 1.
  var base = parseFloat(root.getAttribute("data-text-scale")) || 1;
  var defaults = { theme: "auto", font: "serif", measure: "medium" };

  // A choice is kept even when it is the default (it must still win over a member's
  // preference); null forgets it.
  function save(key, value) {
    try {
      if (value === null) localStorage.removeItem("fabula:" + key);
      else localStorage.setItem("fabula:" + key, value);
    } catch (e) { /* private mode: the choice holds for this page only */ }
  }

  function currentScale() {
    var value = parseFloat(root.style.getPropertyValue("--text-scale"));
    return isNaN(value) ? base : value;
  }

  function setScale(scale) {
    scale = Math.round(Math.min(MAX, Math.max(MIN, scale)) * 10) / 10;
    root.style.setProperty("--text-scale", String(scale));
    save("text-scale", scale === base ? null : String(scale));
  }

  document.querySelectorAll("[data-js-only]").forEach(function (element) {
    element.hidden = false;
  });

  document.querySelectorAll("[data-text-size]").forEach(function (button) {
    button.addEventListener("click", function () {
      var step = parseInt(button.getAttribute("data-text-size"), 10);
      setScale(step === 0 ? base : currentScale() + step * STEP);
    });
  });

  // The menu folds again with Escape (the focus back on its summary) or a click elsewhere.
  document.querySelectorAll("details.display-menu").forEach(function (menu) {
    menu.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !menu.open) return;
      menu.open = false;
      menu.querySelector("summary").focus();
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });

  // Radio groups named theme, font and measure: the checked one is what the page shows now.
  document.querySelectorAll("form[data-display]").forEach(function (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    Object.keys(defaults).forEach(function (name) {
      var shown = root.getAttribute("data-" + name) || defaults[name];
      form.querySelectorAll("input[name=" + name + "]").forEach(function (radio) {
        radio.checked = radio.value === shown;
        radio.addEventListener("change", function () {
          root.setAttribute("data-" + name, radio.value);
          save(name, radio.value);
        });
      });
    });
  });
})();
