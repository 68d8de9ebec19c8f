/* Your region's helplines first: the crisis band (on a phone it shows only its first line)
 * and the get-help page put first the region the browser's own language settings name
 * ("en-GB": United Kingdom); for a region the band leaves out, its "More helplines" leads to
 * that region's lines. Nothing is stored or sent: the browser already knows this. Without
 * JavaScript, or for a region with no lines of its own, the band stays the site's.
 */
(function () {
  "use strict";

  // Region subtags of the browser's languages, most preferred first, in lower case.
  var regions = (navigator.languages || [navigator.language]).map(function (tag) {
    var match = /^[a-z]{2,3}-([a-z]{2})\b/i.exec(tag || "");
    return match ? match[1].toLowerCase() : "";
  }).filter(Boolean);
  if (!regions.length) return;
  // The regions the get-help page lists, named by the band's "More helplines".
  var band = document.querySelector("[data-regions-listed]");

  // In each list, the first item serving the first region that has one moves to the top.
  // The band leaves some regions out: for a reader from one of those, "More helplines" leads
  // straight to their region's lines on the get-help page (in the band, and in the finder's
  // box for urgent needs). The band's first line stays beside it: a browser's language is a
  // weak sign of where its reader is.
  function yoursFirst(list) {
    var items = Array.prototype.filter.call(list.children, function (item) { return item.dataset.regions; });
    var more = list.querySelector("[data-regions-listed], [data-regions-more]");
    var listed = band ? band.dataset.regionsListed.split(" ") : [];
    var led = false; // "More helplines" leads to the first such region's lines
    for (var r = 0; r < regions.length; r++) {
      for (var i = 0; i < items.length; i++) {
        if (items[i].dataset.regions.split(" ").indexOf(regions[r]) !== -1) {
          if (i > 0) list.insertBefore(items[i], items[0]);
          return;
        }
      }
      if (!led && more && listed.indexOf(regions[r]) !== -1) {
        var link = more.querySelector("a");
        link.href = link.href.split("#")[0] + "#help-" + regions[r];
        link.textContent = "Helplines for your country";
        led = true;
      }
    }
  }

  document.querySelectorAll(".crisis__lines, [data-regions-list]").forEach(yoursFirst);
})();
