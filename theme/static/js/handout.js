/* Printed hand-outs (partials/handout.html, partials/handout_list.html).
 *
 * Every page: just before printing, the date printed, and the QR code where only the browser
 * knows the page's address (a relative build, or the directory's view, which changes here).
 * The directory: "Print a hand-out" gathers every group of the current view, not only those
 * loaded on screen, under a heading that names the view, then prints. Printed another way
 * (Ctrl+P), the directory prints the groups on screen under the same heading, saying how many
 * more the button would print. "Share this view with staff" passes the view to the share kit.
 */
(function () {
  "use strict";

  var box = document.querySelector(".handout-box");
  var liveCode = box && box.querySelector("[data-qr-live]");
  var address = box && box.querySelector("[data-qr-address]");
  var dateSlot = box && box.querySelector("[data-print-date]");
  var finder = document.getElementById("finder");
  var button = document.getElementById("handout-print");
  var kit = document.getElementById("share-kit-link");
  var list = document.getElementById("handout-cards");
  var preparedFor = null; // the view whose every group the hand-out holds

  function viewUrl() {
    var url = new URL(window.location.href);
    url.hash = "";
    return url.href;
  }

  // An address as people write it on paper (kindred.site.handout.short_address).
  function shortAddress(href) {
    var url = new URL(href);
    var path = url.pathname === "/" ? "" : url.pathname;
    return url.host.replace(/^www\.(?=.*\.)/, "") + path + url.search;
  }

  function printedDate() {
    var options = { day: "numeric", month: "long", year: "numeric" };
    return " on " + new Date().toLocaleDateString("en-GB", options);
  }

  function drawCode() {
    if (!liveCode || !window.kindredQr) return;
    var url = viewUrl();
    if (liveCode.getAttribute("data-drawn") === url) return;
    var code = window.kindredQr(url, "QR code: " + shortAddress(url));
    liveCode.replaceChildren(code || ""); // none for an address too long for a code
    liveCode.setAttribute("data-drawn", url);
    if (address) {
      var strong = document.createElement("strong");
      strong.textContent = shortAddress(url);
      address.replaceChildren(", or go to ", strong);
    }
  }

  function prepare() {
    if (dateSlot) dateSlot.textContent = printedDate();
    drawCode();
  }

  // ------------------------------------------------------------ the directory's hand-out

  function heading(view) {
    var parts = view.filters.map(function (facet) {
      return facet.label + ": " + facet.values.join(" or ");
    });
    var title = parts.length ? "Support groups: " + parts.join("; ") : "All support groups";
    if (view.q) title += " \u2013 matching \u201c" + view.q + "\u201d";
    return title;
  }

  function fill(cards, total) {
    var view = window.kindredFinder.view();
    document.getElementById("handout-title").textContent = heading(view);
    var count = total + (total === 1 ? " group" : " groups");
    if (cards.length < total) {
      count = "The first " + cards.length + " of " + count + ". To print them all, use \u201cPrint a hand-out\u201d under the results.";
    }
    document.getElementById("handout-count").textContent = count;
    var fragment = document.createDocumentFragment();
    cards.forEach(function (html) {
      var template = document.createElement("template");
      template.innerHTML = html; // built and escaped by the site's own card template
      fragment.appendChild(template.content.firstElementChild);
    });
    list.replaceChildren(fragment);
    document.documentElement.classList.add("handout-ready");
  }

  function shownTotal() {
    var match = /^(\d+)/.exec(document.getElementById("finder-count").textContent);
    return match ? Number(match[1]) : 0;
  }

  function finderReady() {
    return finder && !finder.hidden && window.kindredFinder && list;
  }

  if (button && list) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (!finderReady()) return;
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      var url = viewUrl();
      window.kindredFinder.allCards().then(function (cards) {
        fill(cards, cards.length);
        preparedFor = url;
        prepare();
        window.print();
      }).catch(function (error) {
        if (window.console) console.error(error);
      }).then(function () {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  }

  // A page that prints as a hand-out as it is (a group's page).
  Array.prototype.forEach.call(document.querySelectorAll("[data-print-page]"), function (print) {
    print.parentNode.hidden = false;
    print.addEventListener("click", function () {
      prepare();
      window.print();
    });
  });

  if (kit) {
    kit.hidden = false;
    kit.addEventListener("click", function () {
      var target = new URL(kit.href);
      target.search = "?view=" + encodeURIComponent(viewUrl());
      kit.href = target.href;
    });
  }

  window.addEventListener("beforeprint", function () {
    if (finderReady() && preparedFor !== viewUrl()) {
      var shown = Array.prototype.map.call(document.querySelectorAll("#finder-list > .card"), function (card) {
        return card.outerHTML;
      });
      fill(shown, Math.max(shownTotal(), shown.length));
    }
    prepare();
  });
  prepare();
})();
