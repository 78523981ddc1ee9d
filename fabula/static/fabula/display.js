/* Loaded (not deferred) in the head of every page: the reader's display choices saved on this
   device (theme, font, line width, text size; display-menu.js saves them) apply before the first
   paint. A choice saved here wins over the member's preference the server put on <html>; a guest
   has nothing else. A static file, not an inline script: the Content-Security-Policy runs scripts
   from the site's files only. */
(function () {
  "use strict";
  var root = document.documentElement;
  var CHOICES = {
    theme: ["auto", "light", "dark"],
    font: ["serif", "sans", "easy"],
    measure: ["narrow", "medium", "wide"],
  };
  var scale = root.getAttribute("data-text-scale");
  try {
    Object.keys(CHOICES).forEach(function (name) {
      var value = localStorage.getItem("fabula:" + name);
      if (CHOICES[name].indexOf(value) >= 0) root.setAttribute("data-" + name, value);
    });
    var saved = parseFloat(localStorage.getItem("fabula:text-scale"));
    if (saved >= 0.7 && saved <= 2) scale = String(saved);
  } catch (e) { /* private mode: the member's preferences, or the site's defaults */ }
  if (scale) root.style.setProperty("--text-scale", scale);
})();
