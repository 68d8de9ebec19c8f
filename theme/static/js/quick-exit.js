/* Kindred quick exit — enhances the "Exit this page" link (which already works without JS).
 *
 * In the manner of GOV.UK's "Exit this page" component:
 * - clicking the link, or pressing Escape 3 times within 2 seconds, blanks the page at once
 *   and replaces it in the history with a neutral site, so "Back" does not return here;
 * - screen readers hear how many more presses are needed;
 * - a page restored from the back/forward cache is shown again rather than left blank.
 */
(function () {
  "use strict";

  // Where to go: the link's own address, which the site's settings choose (KINDRED_QUICK_EXIT_URL).
  var link = document.querySelector("a.quick-exit");
  if (!link) return;
  var EXIT_URL = link.href;
  var PRESSES = 3;
  var WINDOW_MS = 2000;

  var presses = [];
  var status = null;
  var resetTimer = null;
  var title = document.title;

  function announce(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function exitPage(event) {
    if (event) {
      event.preventDefault();
    }
    presses = [];
    title = document.title;
    // Hide everything first, so nothing stays readable while the next site loads.
    document.body.hidden = true;
    document.title = "";
    // In a frame (the embedded finder's links say target="_top"), the whole page leaves.
    if (link.target === "_top" && window.top !== window) {
      try {
        window.top.location.replace(EXIT_URL);
        return;
      } catch (error) {
        // A page that forbids it: leave the frame at least.
      }
    }
    window.location.replace(EXIT_URL);
  }

  function onKeyUp(event) {
    var isEscape = event.key === "Escape" || event.key === "Esc" || event.keyCode === 27;
    if (!isEscape) {
      return;
    }
    var now = Date.now();
    presses.push(now);
    presses = presses.filter(function (t) { return now - t <= WINDOW_MS; });
    if (presses.length >= PRESSES) {
      exitPage();
      return;
    }
    var left = PRESSES - presses.length;
    announce("Escape pressed. Press " + left + " more time" + (left === 1 ? "" : "s") + " to exit this page.");
    window.clearTimeout(resetTimer);
    resetTimer = window.setTimeout(function () {
      presses = [];
      announce("");
    }, WINDOW_MS);
  }

  function init() {
    var links = document.querySelectorAll("a.quick-exit, a.sheet__exit"); // the filter sheet's too
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener("click", exitPage);
    }

    // The keyboard shortcut only exists with JavaScript, so only then do we mention it. The
    // stylesheet shows it where there is a mouse or trackpad; on a touch screen, only once Tab
    // or Escape is pressed (keys an on-screen keyboard does not have): a tablet's keyboard.
    var hints = document.querySelectorAll(".quick-exit-hint");
    for (var j = 0; j < hints.length; j++) {
      hints[j].hidden = false;
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Tab" || event.key === "Escape") {
        document.documentElement.classList.add("has-keyboard");
      }
    }, true);

    status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    if (links.length && links[0].parentNode) {
      links[0].parentNode.appendChild(status);
    } else {
      document.body.appendChild(status);
    }

    document.addEventListener("keyup", onKeyUp, true);

    // Some browsers restore the page from the back/forward cache exactly as it was left:
    // blank. Show it again.
    window.addEventListener("pageshow", function () {
      if (document.body.hidden) {
        document.body.hidden = false;
        document.title = title; // only a page this script blanked: others keep their own
      }
      presses = [];
      announce("");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
