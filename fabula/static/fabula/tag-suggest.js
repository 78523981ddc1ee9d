/* Type-ahead for a text box naming tags (the wrangling forms; the post form's additional tags):
   a native <datalist> filled from the kind's suggestions (`browse/<kind>/suggest.json`),
   canonical tags first. Without JavaScript the box still takes names typed in full.

   <input data-suggest="/browse/tags/suggest.json"> names one tag; data-suggest-many names
   several, separated by commas (what is typed after the last comma is looked for, and each
   option keeps what comes before it); data-suggest-from="menu-id" takes the address from the
   chosen <option data-suggest="..."> of a menu choosing the kind. */
(function () {
  "use strict";
  var WAIT = 200; // ms after the last key before asking
  var counter = 0;

  function urlOf(input) {
    var from = input.getAttribute("data-suggest-from");
    if (from) {
      var menu = document.getElementById(from);
      var option = menu && menu.options[menu.selectedIndex];
      return option ? option.getAttribute("data-suggest") : null;
    }
    return input.getAttribute("data-suggest") || input.getAttribute("data-suggest-many");
  }

  function setUp(input) {
    var many = input.hasAttribute("data-suggest-many");
    var list = document.getElementById(input.getAttribute("list") || "");
    if (!list) {
      list = document.createElement("datalist");
      list.id = "tag-suggestions-" + (++counter);
      input.insertAdjacentElement("afterend", list);
      input.setAttribute("list", list.id);
      input.setAttribute("autocomplete", "off");
    }
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var value = input.value, cut = many ? value.lastIndexOf(",") + 1 : 0;
        var head = value.slice(0, cut), text = value.slice(cut).trim(), url = urlOf(input);
        if (!text || !url || value === asked) return;
        asked = value;
        fetch(url + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
          .then(function (answer) {
            list.textContent = "";
            answer.tags.forEach(function (tag) {
              var option = document.createElement("option");
              option.value = (head ? head.replace(/\s*$/, " ") : "") + tag.name;
              option.label = tag.found_as ? tag.name + " (as " + tag.found_as + ")"
                : tag.canonical ? tag.name : tag.name + " (not wrangled)";
              list.appendChild(option);
            });
          })
          .catch(function () { /* the box still takes names typed in full */ });
      }, WAIT);
    });
  }

  document.querySelectorAll("input[data-suggest], input[data-suggest-many], input[data-suggest-from]")
    .forEach(setUp);
})();
