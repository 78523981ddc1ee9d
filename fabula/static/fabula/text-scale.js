/* Loaded (not deferred) in the head of pages that show a story's text: the reader's text size
   applies before the first paint. The size saved on this device wins; else the member's
   preference the server put on <html data-text-scale>. A static file, not an inline script:
   the Content-Security-Policy runs scripts from the site's files only. */
(function () {
  "use strict";
  var root = document.documentElement;
  var scale = root.getAttribute("data-text-scale");
  try {
    scale = localStorage.getItem("fabula:text-scale") || scale;
  } catch (e) { /* private mode: the member's preference, or the normal size */ }
  if (scale) root.style.setProperty("--text-scale", scale);
})();
