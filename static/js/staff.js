// Small behaviours of the staff pages, kept out of the HTML so the Content-Security-Policy can
// forbid inline script. Every page works without this file; it only makes some of them nicer.
(function () {
  "use strict";

  // <form data-confirm="Question?">: ask before sending (e.g. removing a closure).
  document.addEventListener("submit", function (event) {
    var form = event.target.closest ? event.target.closest("form[data-confirm]") : null;
    if (form && !window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  });

  // The activity form: show only the questions that belong to the chosen repetition.
  var form = document.querySelector(".activity-form");
  if (form && form.querySelector(".repeat-weekly")) {
    var update = function () {
      var checked = form.querySelector("input[name=repeat]:checked");
      var repeat = checked ? checked.value : null;
      form.querySelector(".repeat-weekly").hidden = repeat !== "weekly";
      form.querySelector(".repeat-monthly").hidden = repeat !== "monthly";
    };
    form.addEventListener("change", update);
    update();
  }
})();
