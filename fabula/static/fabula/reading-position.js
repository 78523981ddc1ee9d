/* Where a member stopped in a chapter, kept on the server so any device can resume there.
   The place is how far down the chapter text the top of the window is (0 to 1), which survives
   a different screen size. Saved a moment after scrolling stops (and when leaving the page);
   restored when the member opens the same chapter again. Guests have no #reading-position. */
(function () {
  "use strict";
  var holder = document.getElementById("reading-position");
  var text = document.getElementById("text") || document.querySelector(".chapter-text");
  if (!holder || !text || !window.fetch) return;

  var DELAY = 600; // ms of stillness before saving
  var url = holder.getAttribute("data-url");
  var csrf = holder.getAttribute("data-csrf");
  var saved = parseFloat(holder.getAttribute("data-position"));
  var lastSent = null;
  var timer = null;

  function textTop() {
    return text.getBoundingClientRect().top + window.scrollY;
  }

  function currentPosition() {
    var height = text.offsetHeight;
    if (height <= 0) return 0;
    var position = (window.scrollY - textTop()) / height;
    return Math.min(1, Math.max(0, position));
  }

  function save() {
    timer = null;
    var position = Math.round(currentPosition() * 10000) / 10000;
    if (lastSent !== null && Math.abs(position - lastSent) < 0.0005) return;
    lastSent = position;
    var body = new URLSearchParams({ position: String(position) });
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-CSRFToken": csrf },
    }).catch(function () { /* offline: the next scroll tries again */ lastSent = null; });
  }

  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  }

  if (!isNaN(saved) && saved > 0) {
    window.scrollTo(0, textTop() + saved * text.offsetHeight);
    lastSent = Math.round(saved * 10000) / 10000;
  } else {
    save(); // opening a chapter puts it in the history, at its start
  }
  window.addEventListener("scroll", later, { passive: true });
  window.addEventListener("pagehide", function () { if (timer) { clearTimeout(timer); save(); } });
})();
