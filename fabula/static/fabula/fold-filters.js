// Folds the filter sidebar on narrow screens. Loaded (not deferred) right inside its
// <details open>, so it runs before the page is first drawn; without scripts it stays open.
(function (script) {
  if (window.matchMedia("(max-width: 48rem)").matches) script.parentElement.open = false;
})(document.currentScript);
