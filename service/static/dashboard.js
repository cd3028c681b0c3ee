// Draws every chart on the page from the Vega-Lite spec embedded next to it.
// vega, vega-lite and vega-embed are served from /static/vendor, never from a CDN.
(function () {
  "use strict";

  function draw(el) {
    var source = document.getElementById(el.dataset.spec);
    if (!source || typeof vegaEmbed !== "function") {
      el.textContent = "Charts need JavaScript.";
      return;
    }
    var spec = JSON.parse(source.textContent);
    vegaEmbed(el, spec, {
      renderer: "svg",
      // Export only: the editor links would send the data to an outside site.
      actions: { export: true, source: false, compiled: false, editor: false },
      tooltip: { theme: "light" },
    }).then(function () {
      el.dataset.rendered = "true";
    }).catch(function (err) {
      el.dataset.rendered = "error";
      el.textContent = "This chart could not be drawn: " + err;
    });
  }

  // Forms send empty fields as "name="; leave them out so links stay short and readable.
  function dropEmptyFields(form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.value === "" && field.tagName !== "BUTTON") {
          field.disabled = true;
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".vega[data-spec]").forEach(draw);
    document.querySelectorAll("form.filters").forEach(dropEmptyFields);
  });
})();
