// The transition form on the traject page shows only the fields of the chosen action. Without JavaScript every
// group shows, each with a legend that says when it applies. No inline script: the CSP forbids it.
(function () {
  "use strict";

  function sync(form) {
    var select = form.querySelector("select[name=action]");
    if (!select) return;
    var action = select.value;
    form.querySelectorAll("[data-actions]").forEach(function (group) {
      var show = group.getAttribute("data-actions").split(" ").indexOf(action) !== -1;
      group.hidden = !show;
      // Hidden fields are not sent, so nothing typed for another action is stored by mistake.
      group.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !show; });
    });
  }

  function init(root) {
    (root || document).querySelectorAll("form.transition-form").forEach(function (form) {
      if (form.dataset.enhanced) return;
      form.dataset.enhanced = "1";
      form.addEventListener("change", function (event) {
        if (event.target.name === "action") sync(form);
      });
      sync(form);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
