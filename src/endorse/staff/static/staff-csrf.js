// Every htmx request from a staff page carries the session's CSRF token (the server refuses
// unsafe requests without it). Read from <meta name="csrf-token">: no inline script (CSP).
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) {
    event.detail.headers["X-CSRF-Token"] = meta.content;
  }
});
