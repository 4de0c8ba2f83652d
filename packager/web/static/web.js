// packager serve: drag-and-drop onto the upload form, and upload as soon as files are chosen.
// Event delegation, so it keeps working after htmx swaps the page.
(function () {
  "use strict";
  function zoneOf(event) { return event.target.closest ? event.target.closest(".dropzone") : null; }
  document.addEventListener("dragover", function (event) {
    var zone = zoneOf(event);
    if (!zone) { return; }
    event.preventDefault();
    zone.classList.add("over");
  });
  document.addEventListener("dragleave", function (event) {
    var zone = zoneOf(event);
    if (zone) { zone.classList.remove("over"); }
  });
  document.addEventListener("drop", function (event) {
    var zone = zoneOf(event);
    if (!zone) { return; }
    event.preventDefault();
    zone.classList.remove("over");
    var input = zone.querySelector("input[type=file]");
    if (input && event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      zone.requestSubmit();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches(".dropzone input[type=file]") && event.target.files.length) {
      event.target.form.requestSubmit();
    }
  });
})();
