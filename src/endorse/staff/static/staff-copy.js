// "Copy" buttons: <button data-copy="ID"> copies the text of the element with that id.
// The button stays hidden without JavaScript (the text is selectable anyway); no inline
// script (CSP), and htmx swaps are covered by listening on the document.
(function () {
  function reveal(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (b) { b.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:afterSwap", function (event) { reveal(event.target); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentElement.querySelector("[data-copy-status]");
    var text = source ? (source.value || source.textContent) : "";
    function done(message) { if (status) { status.textContent = message; } }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done("Copied."); },
                                               function () { done("Select the text and copy it."); });
    } else {
      source.select();
      done(document.execCommand("copy") ? "Copied." : "Select the text and copy it.");
    }
  });
})();
