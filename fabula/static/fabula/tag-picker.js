/* Type-ahead over the archive's tags on the post and edit forms (docs/decisions.md, "Tag
   fields: checkboxes with a type-ahead of our own").

   Without JavaScript a tag field is a list of checkboxes grouped by fandom, and the form sends
   those. This script keeps them as the truth and adds, above them, the ARIA 1.2 combobox
   pattern: a text box (role=combobox) whose list (role=listbox, grouped by fandom) shows the
   tags matching what is typed; arrows move, Enter or a click chooses (it ticks the checkbox),
   Escape closes. Chosen tags show as buttons that remove them. The full list folds into a
   "Browse all" disclosure. */
(function () {
  "use strict";
  var MOST = 30; // options shown at once; typing more narrows them
  var counter = 0;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function setUp(picker) {
    var n = ++counter;
    var kind = picker.getAttribute("data-kind") || "tags";
    var boxes = Array.prototype.slice.call(picker.querySelectorAll("input[type=checkbox]"));
    var tags = boxes.map(function (box) {
      var name = box.parentNode.textContent.trim();
      return { box: box, name: name, group: box.getAttribute("data-group") || "", key: fold(name) };
    });

    var wrap = el("div", { class: "tag-search" });
    var inputId = "tag-search-" + n, listId = "tag-options-" + n;
    var inputLabel = el("label", { for: inputId, class: "visually-hidden" }, "Find " + kind);
    var input = el("input", {
      type: "text", id: inputId, role: "combobox", "aria-autocomplete": "list",
      "aria-expanded": "false", "aria-controls": listId, autocomplete: "off",
      placeholder: "Type to find " + kind + "…"
    });
    var list = el("div", { id: listId, role: "listbox", class: "tag-options", "aria-label": kind });
    list.hidden = true;
    var chosen = el("ul", { class: "tag-chosen plain-list", "aria-label": "Chosen " + kind });
    var status = el("p", { class: "visually-hidden", "aria-live": "polite" });
    wrap.append(inputLabel, input, list, chosen, status);

    var details = el("details", { class: "tag-browse" });
    details.append(el("summary", {}, "Browse all " + kind + " (" + tags.length + ")"));
    picker.parentNode.insertBefore(wrap, picker);
    picker.parentNode.insertBefore(details, picker);
    details.append(picker);

    var shown = [], active = -1;

    function showChosen() {
      chosen.textContent = "";
      tags.filter(function (t) { return t.box.checked; }).forEach(function (t) {
        var remove = el("button", { type: "button", class: "chip", "aria-label": "Remove " + t.name },
          t.name + " ×");
        remove.addEventListener("click", function () {
          t.box.checked = false;
          showChosen();
          status.textContent = t.name + " removed.";
          input.focus();
        });
        var item = el("li");
        item.append(remove);
        chosen.append(item);
      });
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      shown.forEach(function (t, i) { t.option.setAttribute("aria-selected", String(i === index)); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", shown[index].option.id);
        shown[index].option.scrollIntoView({ block: "nearest" });
      }
    }

    function choose(t) {
      t.box.checked = true;
      showChosen();
      status.textContent = t.name + " chosen.";
      input.value = "";
      close();
      input.focus();
    }

    function search() {
      var query = fold(input.value.trim());
      list.textContent = "";
      shown = [];
      if (!query) { close(); return; }
      var groups = {};
      tags.forEach(function (t) {
        if (t.box.checked || shown.length >= MOST) return;
        if (t.key.indexOf(query) === -1 && fold(t.group).indexOf(query) === -1) return;
        if (!groups[t.group]) {
          var gid = listId + "-g" + Object.keys(groups).length;
          var group = el("div", { role: "group", "aria-labelledby": gid, class: "tag-option-group" });
          group.append(el("div", { id: gid, role: "presentation", class: "tag-option-heading" },
            t.group || "Other"));
          groups[t.group] = group;
          list.append(group);
        }
        t.option = el("div", { role: "option", id: listId + "-" + shown.length,
          "aria-selected": "false", class: "tag-option" }, t.name);
        t.option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        t.option.addEventListener("click", function () { choose(t); });
        groups[t.group].append(t.option);
        shown.push(t);
      });
      if (!shown.length) list.append(el("div", { class: "tag-option-empty" }, "No " + kind + " match."));
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = shown.length + (shown.length === 1 ? " match." : " matches.");
      mark(shown.length ? 0 : -1);
    }

    input.addEventListener("input", search);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { search(); return; }
        if (!shown.length) return;
        var step = event.key === "ArrowDown" ? 1 : -1;
        mark((active + step + shown.length) % shown.length);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) { event.preventDefault(); choose(shown[active]); }
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
    boxes.forEach(function (box) { box.addEventListener("change", showChosen); });
    showChosen();
  }

  document.querySelectorAll("[data-tag-picker]").forEach(setUp);
})();
