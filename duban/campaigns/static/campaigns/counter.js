// The +/- buttons of the scoring page: change the count input next to them (never below 0).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-step]");
    if (!button) { return; }
    var input = document.getElementById(button.getAttribute("data-for"));
    if (!input) { return; }
    var value = parseInt(input.value || "0", 10) || 0;
    input.value = Math.max(0, value + parseInt(button.getAttribute("data-step"), 10));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
