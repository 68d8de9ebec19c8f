/* The embedded finder (embed.html), shown in a frame on an intranet page. Links open the full
 * site in a new tab rather than inside the small frame; "Open the full site" keeps the view.
 */
(function () {
  "use strict";

  var full = document.getElementById("embed-full-site");
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || link.getAttribute("href").charAt(0) === "#" || link.target) return;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
  });
  if (full) {
    full.addEventListener("click", function () {
      var target = new URL(full.href);
      target.search = window.location.search;
      full.href = target.href;
    });
  }
})();
