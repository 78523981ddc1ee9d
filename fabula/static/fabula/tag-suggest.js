/* Type-ahead for a text box naming one tag (the wrangling forms): a native <datalist> filled
   from the kind's suggestions (`browse/<kind>/suggest.json`), canonical tags first. Without
   JavaScript the box still takes a name typed in full.

   <input list="x-list" data-suggest="/browse/tags/suggest.json"> or, when a menu chooses the
   kind, data-suggest-from="menu-id" with each <option data-suggest="..."> */
(function () {
  "use strict";
  var WAIT = 200; // ms after the last key before asking

  function urlOf(input) {
    var from = input.getAttribute("data-suggest-from");
    if (from) {
      var menu = document.getElementById(from);
      var option = menu && menu.options[menu.selectedIndex];
      return option ? option.getAttribute("data-suggest") : null;
    }
    return input.getAttribute("data-suggest");
  }

  function setUp(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value.trim(), url = urlOf(input);
        if (!text || !url || text === asked) return;
        asked = text;
        fetch(url + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
          .then(function (answer) {
            list.textContent = "";
            answer.tags.forEach(function (tag) {
              var option = document.createElement("option");
              option.value = tag.name;
              option.label = tag.found_as ? tag.name + " (as " + tag.found_as + ")"
                : tag.canonical ? tag.name : tag.name + " (not wrangled)";
              list.appendChild(option);
            });
          })
          .catch(function () { /* the box still takes a name typed in full */ });
      }, WAIT);
    });
  }

  document.querySelectorAll("input[list][data-suggest], input[list][data-suggest-from]")
    .forEach(setUp);
})();
