/* "Back to results" on a group page opened from the directory's finder.
 *
 * The finder opens a group page as groups/<id>/?results=<its own query>. This script keeps
 * that view in the page's history entry (and takes it out of the address, so the address
 * stays the group's own), then shows a link back to it. The link goes Back in the history
 * when it can, where the finder restores the cards shown and the scroll position; opened on
 * its own, it is an ordinary link to the same filtered view.
 */
(function () {
  "use strict";

  var link = document.getElementById("back-to-results");
  if (!link || !window.history.replaceState || !window.URLSearchParams) return;

  var params = new URLSearchParams(window.location.search);
  var state = window.history.state || {};
  if (params.has("results")) {
    state = { results: params.get("results") };
    params.delete("results");
    var rest = params.toString();
    var address = window.location.pathname + (rest ? "?" + rest : "") + window.location.hash;
    window.history.replaceState(state, "", address);
  }
  if (typeof state.results !== "string") return;

  var target = new URL(link.href); // the directory, wherever the site is served
  target.search = state.results;
  link.href = target.href;
  link.parentNode.hidden = false;
  link.addEventListener("click", function (event) {
    if (window.history.length < 2) return; // nothing to go back to: follow the link
    event.preventDefault();
    window.history.back();
  });
})();
