/* "Help me choose": the taxonomy's own questions, one at a time, with a live count.
 *
 * Without JavaScript the page is one plain form with every question, whose answer opens the
 * directory (/groups/?condition=…&cost=…). This script asks the questions one at a time, each
 * answer showing how many groups it would leave, and opens the directory at the end with the
 * same filters in the finder's own form (?condition=a,b&cost=free): a link to share or keep.
 * The counts come from the finder's data (search/facets.json and each facet's
 * search/membership-<facet>.bin, see kindred/site/search_data.py): OR within a question, AND
 * across questions.
 */
(function () {
  "use strict";

  var form = document.getElementById("chooser");
  if (!form || !window.fetch || !window.DecompressionStream || !window.history.pushState) return;

  var steps = Array.prototype.slice.call(form.querySelectorAll(".chooser__step"));
  var count = document.getElementById("chooser-count");
  var plainSubmit = form.querySelector(".chooser__submit");
  var nav = form.querySelector(".chooser__nav");
  var next = nav.querySelector('[data-step="next"]');
  var nextLabel = next.innerHTML; // "Next question", until the last question
  var back = nav.querySelector('[data-step="back"]');
  var total = 0;
  var siteRoot = new URL(form.getAttribute("data-site-root"), document.baseURI);
  var current = 0;
  var data = null; // { words, sets: facet key -> value slug -> Uint32Array }

  function siteUrl(path) {
    return new URL(path, siteRoot).href;
  }

  function load() {
    return fetch(siteUrl("search/facets.json")).then(function (response) {
      if (!response.ok) throw new Error("facets.json: HTTP " + response.status);
      return response.json();
    }).then(function (meta) {
      var files = window.KindredSearchFiles;
      var asked = steps.map(keyOf); // only the facets the questions ask about
      var facets = meta.facets.filter(function (facet) { return asked.indexOf(facet.key) !== -1; });
      var each = facets.map(function (facet) { return files.facetBitsets(siteUrl, facet, meta.count); });
      return Promise.all(each).then(function (bitsets) {
        var words = Math.ceil(meta.count / 32);
        var sets = {};
        facets.forEach(function (facet, f) {
          sets[facet.key] = {};
          facet.values.forEach(function (value, v) { sets[facet.key][value.slug] = bitsets[f][v]; });
        });
        var all = new Uint32Array(words).fill(0xffffffff);
        if (meta.count % 32) all[words - 1] = (1 << (meta.count % 32)) - 1 >>> 0;
        return { words: words, sets: sets, all: all };
      });
    });
  }

  // ---------------------------------------------------------------- answers and counts

  function keyOf(step) {
    return step.getAttribute("data-facet");
  }

  function answers() {
    var found = [];
    steps.forEach(function (step) {
      var ticked = step.querySelectorAll("input:checked");
      if (ticked.length) {
        found.push({ key: keyOf(step), slugs: Array.prototype.map.call(ticked, function (i) { return i.value; }) });
      }
    });
    return found;
  }

  // Groups that fit every answer, leaving out the question `skipKey`.
  function fitting(given, skipKey) {
    var result = data.all.slice();
    given.forEach(function (answer) {
      if (answer.key === skipKey) return;
      var any = new Uint32Array(data.words);
      answer.slugs.forEach(function (slug) {
        var bits = data.sets[answer.key][slug];
        for (var w = 0; w < data.words; w++) any[w] |= bits[w];
      });
      for (var w = 0; w < data.words; w++) result[w] &= any[w];
    });
    return result;
  }

  function countBoth(a, b) {
    var n = 0;
    for (var w = 0; w < data.words; w++) n += popcount(a[w] & (b ? b[w] : 0xffffffff));
    return n;
  }

  function popcount(x) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }

  function groups(n) {
    return n + (n === 1 ? " group" : " groups");
  }

  function showCounts() {
    var given = answers();
    total = countBoth(fitting(given, null), null);
    count.textContent = given.length
      ? groups(total) + " fit your answers so far."
      : "All " + groups(total) + " to start with.";
    showNext();
    steps.forEach(function (step) {
      var others = fitting(given, keyOf(step));
      Array.prototype.forEach.call(step.querySelectorAll("input"), function (input) {
        var n = countBoth(others, data.sets[keyOf(step)][input.value]);
        input.nextElementSibling.querySelector(".count").textContent = "(" + n + ")";
      });
    });
  }

  // ---------------------------------------------------------------- one question at a time

  function show(index, focus) {
    current = index;
    steps.forEach(function (step, i) { step.hidden = i !== index; });
    back.hidden = index === 0;
    showNext();
    if (focus) steps[index].querySelector(".chooser__question").focus();
  }

  // After the last question the way on is the groups themselves.
  function showNext() {
    if (current < steps.length - 1) next.innerHTML = nextLabel; // the page's own markup
    else next.textContent = total ? "Show the " + groups(total) : "Show the groups";
  }

  // The question shown and the answers given are kept in the history entry (never stored),
  // so a reload, or a phone bringing the tab back, returns to the same question and answers.
  function remember() {
    window.history.replaceState({ step: current, answers: answers() }, "", window.location.href);
  }

  function restore(given) {
    (given || []).forEach(function (answer) {
      var step = steps.filter(function (s) { return keyOf(s) === answer.key; })[0];
      if (!step) return;
      Array.prototype.forEach.call(step.querySelectorAll("input"), function (input) {
        input.checked = answer.slugs.indexOf(input.value) !== -1;
      });
    });
  }

  function go(index) {
    window.history.pushState({ step: index, answers: answers() }, "", window.location.href);
    show(index, true);
  }

  // The directory with these answers, as the finder writes its own addresses.
  function finish() {
    var parts = answers().map(function (answer) { return answer.key + "=" + answer.slugs.join(","); });
    window.location.assign(siteUrl("groups/") + (parts.length ? "?" + parts.join("&") : ""));
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-step]");
    if (!button) return;
    var action = button.getAttribute("data-step");
    if (action === "back") {
      window.history.back(); // the question before, as the browser's own Back does
      return;
    }
    if (action === "skip") {
      Array.prototype.forEach.call(steps[current].querySelectorAll("input:checked"), function (input) {
        input.checked = false;
      });
      showCounts();
      remember();
    }
    if (current === steps.length - 1) finish();
    else go(current + 1);
  });
  form.addEventListener("change", function () {
    remember(); // first: before the counts can be worked out, a tick is still kept
    if (data) showCounts();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    finish();
  });
  window.addEventListener("popstate", function (event) {
    var step = event.state && typeof event.state.step === "number" ? event.state.step : 0;
    show(Math.min(step, steps.length - 1), true);
    remember(); // the answers as they are now: going back to a question keeps them
  });

  load().then(function (loaded) {
    data = loaded;
    nav.hidden = false;
    plainSubmit.hidden = true;
    var saved = window.history.state;
    if (saved && Array.isArray(saved.answers)) restore(saved.answers);
    show(saved && typeof saved.step === "number" ? Math.min(saved.step, steps.length - 1) : 0, false);
    showCounts();
  }).catch(function (error) {
    if (window.console) console.error(error); // the plain form still works
  });
})();
