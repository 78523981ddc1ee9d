/* Reading pages: the chapter menu, and the chapter announced to screen readers. Without
   JavaScript the chapter menu has its Go button. (The text size buttons are display-menu.js's.) */
(function () {
  "use strict";
  // The "go to chapter" menu works without JavaScript (its Go button asks the server, which
  // answers with the chapter's address); with it, choosing is enough.
  document.querySelectorAll("select[data-chapter-jump]").forEach(function (select) {
    var go = select.form.querySelector("[data-no-js-only]");
    if (go) go.hidden = true;
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  // A live region is read when its text changes, not when the page arrives with it: the
  // chapter's name is written into it once the page is ready, so moving from chapter to
  // chapter (the pager, the menu) is announced as "Chapter 2 of 3: Title".
  document.querySelectorAll("[data-announce]").forEach(function (region) {
    window.setTimeout(function () {
      region.textContent = region.getAttribute("data-announce");
    }, 250);
  });
})();
