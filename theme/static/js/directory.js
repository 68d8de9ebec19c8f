/* The directory finder: search and filters on /groups/, with the whole view in the URL.
 *
 * Progressive enhancement: without JavaScript /groups/ is a complete list. With it, this file
 * shows the finder and keeps the state in the address bar (?q=…&condition=a,b&cost=free), so
 * reload, back/forward and a pasted link all give the same view.
 *
 * Two ways of answering, to keep phones' downloads small:
 *  - filters only: search/membership.bin holds one bitset per facet value; matches and counts
 *    are computed here, and only the cards being shown are fetched (search/cards-N.bin);
 *  - with words: Pagefind, which fetches just the parts of its index those words need.
 * Counts follow the usual finder rule: OR within a facet, AND across facets, so each count says
 * how many groups you would see if you ticked that box too.
 *
 * On phones the filters open in a sheet (a modal dialog) whose button says how many groups the
 * choice shows. Each history entry remembers how many cards were shown and where the page was
 * scrolled, so Back from a group page returns to the very same place.
 */
(function () {
  "use strict";

  var finder = document.getElementById("finder");
  if (!finder || !window.fetch || !window.DecompressionStream || !window.history.pushState) {
    return; // the static list stays: it is complete on its own
  }

  var PAGE_SIZE = 12; // cards per step: with words, each one costs a Pagefind fragment
  var TYPING_PAUSE_MS = 300;
  var SCROLL_PAUSE_MS = 200; // the place is remembered once scrolling stops
  var siteRoot = new URL(finder.getAttribute("data-site-root"), document.baseURI);
  var el = {
    form: finder.querySelector("form"),
    q: document.getElementById("finder-q"),
    facets: document.getElementById("finder-facets"),
    filtersTitle: document.getElementById("finder-filters-title"),
    panel: document.getElementById("finder-panel"),
    panelChosen: document.getElementById("finder-panel-chosen"),
    count: document.getElementById("finder-count"),
    selected: document.getElementById("finder-selected"),
    chips: document.getElementById("finder-chips"),
    clear: document.getElementById("finder-clear"),
    list: document.getElementById("finder-list"),
    more: document.getElementById("finder-more"),
    copy: document.getElementById("finder-copy"),
    link: document.getElementById("finder-link"),
    copied: document.getElementById("finder-copied"),
    staticList: document.getElementById("all-groups"),
    heading: document.getElementById("directory-title"),
    lead: document.getElementById("directory-lead"),
    results: document.getElementById("finder-results"),
    sort: document.getElementById("finder-sort"),
    openSheet: document.getElementById("finder-open-sheet"),
    sheetChosen: document.getElementById("finder-sheet-chosen"),
    sheet: document.getElementById("finder-sheet"),
    sheetBody: document.getElementById("finder-sheet-body"),
    sheetClose: document.getElementById("finder-sheet-close"),
    sheetClear: document.getElementById("finder-sheet-clear"),
    sheetShow: document.getElementById("finder-sheet-show"),
    sheetCount: document.getElementById("finder-sheet-count"),
  };
  var siteName = finder.getAttribute("data-site-name");
  var SORTS = ["relevance", "name", "recent"]; // the finder's orders, as the URL names them

  var meta = null; // search/facets.json: labels, number of groups, chunk size
  var state = { q: "", filters: {}, sort: "" }; // filters: facet key -> array of value slugs
  var shown = PAGE_SIZE;
  var latest = 0; // number of the newest update; older answers are dropped
  var typingTimer = null;
  var scrollTimer = null;
  var membershipPromise = null;
  var pagefindPromise = null;
  var cardChunks = {};
  var datesPromise = null;

  // ---------------------------------------------------------------- loading data

  function siteUrl(path) {
    return new URL(path, siteRoot).href;
  }

  function fetchBytes(path) {
    return fetch(siteUrl(path)).then(function (response) {
      if (!response.ok) throw new Error(path + ": HTTP " + response.status);
      return response.arrayBuffer();
    }).then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return buffer; // a server inflated it already
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).arrayBuffer();
    });
  }

  function loadMembership() {
    if (!membershipPromise) {
      membershipPromise = fetchBytes("search/membership.bin").then(function (buffer) {
        var words = Math.ceil(meta.count / 32);
        var offset = 0;
        return meta.facets.map(function (facet) {
          return facet.values.map(function () {
            var bits = new Uint32Array(buffer, offset * 4, words);
            offset += words;
            return bits;
          });
        });
      });
    }
    return membershipPromise;
  }

  function loadCardChunk(number) {
    if (!cardChunks[number]) {
      cardChunks[number] = fetchBytes("search/cards-" + number + ".bin").then(function (buffer) {
        return JSON.parse(new TextDecoder().decode(buffer));
      });
    }
    return cardChunks[number];
  }

  // Sorting by "recently added or checked": each group's latest date, in days (dates.bin holds
  // the added dates, then the last_verified ones, 0 when never).
  function loadDates() {
    if (!datesPromise) {
      datesPromise = fetchBytes("search/dates.bin").then(function (buffer) {
        var days = new DataView(buffer);
        var latest = new Uint16Array(meta.count);
        for (var i = 0; i < meta.count; i++) {
          latest[i] = Math.max(days.getUint16(i * 2, true), days.getUint16((meta.count + i) * 2, true));
        }
        return latest;
      });
    }
    return datesPromise;
  }

  function loadPagefind() {
    if (!pagefindPromise) {
      pagefindPromise = import(siteUrl("pagefind/pagefind.js")).then(function (pagefind) {
        return Promise.resolve(pagefind.options({ baseUrl: siteRoot.pathname })).then(function () {
          return pagefind;
        });
      });
    }
    return pagefindPromise;
  }

  // ---------------------------------------------------------------- state and the URL

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    meta.facets.forEach(function (facet) {
      var raw = params.getAll(facet.key).join(","); // a plain form repeats the name
      if (!raw) return;
      var wanted = raw.split(",");
      var chosen = facet.values.filter(function (v) { return wanted.indexOf(v.slug) !== -1; });
      if (chosen.length) filters[facet.key] = chosen.map(function (v) { return v.slug; });
    });
    var sort = params.get("sort");
    return {
      q: (params.get("q") || "").trim().slice(0, 200),
      filters: filters,
      sort: SORTS.indexOf(sort) !== -1 ? sort : "",
    };
  }

  // The order shown: the one chosen, else best match for words and name order without.
  function sortOrder(s) {
    if (s.sort && !(s.sort === "relevance" && !s.q)) return s.sort;
    return s.q ? "relevance" : "name";
  }

  function urlFor(s) {
    var parts = [];
    if (s.q) parts.push("q=" + encodeURIComponent(s.q));
    meta.facets.forEach(function (facet) {
      var chosen = s.filters[facet.key];
      if (chosen && chosen.length) parts.push(facet.key + "=" + chosen.join(","));
    });
    if (sortOrder(s) !== sortOrder({ q: s.q, filters: {}, sort: "" })) parts.push("sort=" + sortOrder(s));
    return window.location.pathname + (parts.length ? "?" + parts.join("&") : "");
  }

  // Record a change as a new history entry, then show it.
  function commit() {
    shown = PAGE_SIZE;
    var url = urlFor(state);
    if (url !== window.location.pathname + window.location.search) {
      saveView(); // the view being left, for Back
      window.history.pushState(null, "", url);
    }
    return update();
  }

  // How many cards are shown and how far the page is scrolled, kept in this history entry
  // (never stored anywhere else), so Back and reload return to the same place.
  function saveView() {
    var view = { shown: shown, scrollY: Math.round(window.scrollY) };
    window.history.replaceState(view, "", window.location.href);
  }

  function savedView(view) {
    return view && typeof view.shown === "number" && typeof view.scrollY === "number" ? view : null;
  }

  function restoreView(view) {
    shown = view ? Math.max(PAGE_SIZE, Math.min(view.shown, meta.count)) : PAGE_SIZE;
    return update().then(function () {
      if (view) window.scrollTo(0, view.scrollY);
    });
  }

  function toggle(key, slug, on) {
    var facet = facetByKey(key);
    var chosen = state.filters[key] || [];
    var next = facet.values.map(function (v) { return v.slug; }).filter(function (s) {
      return s === slug ? on : chosen.indexOf(s) !== -1;
    });
    if (next.length) state.filters[key] = next; else delete state.filters[key];
  }

  function facetByKey(key) {
    for (var i = 0; i < meta.facets.length; i++) if (meta.facets[i].key === key) return meta.facets[i];
    return null;
  }

  function labelOf(key, slug) {
    var facet = facetByKey(key);
    for (var i = 0; i < facet.values.length; i++) {
      if (facet.values[i].slug === slug) return facet.values[i].label;
    }
    return slug;
  }

  // ---------------------------------------------------------------- answering

  // Filters only: bitsets. Returns {total, cards, counts} with counts[key][slug], and the
  // cards of the first `limit` matches.
  function answerFromFilters(limit) {
    return loadMembership().then(function (sets) {
      var words = Math.ceil(meta.count / 32);
      var masks = meta.facets.map(function (facet, f) {
        var chosen = state.filters[facet.key];
        if (!chosen) return null;
        var mask = new Uint32Array(words);
        facet.values.forEach(function (value, v) {
          if (chosen.indexOf(value.slug) === -1) return;
          for (var w = 0; w < words; w++) mask[w] |= sets[f][v][w];
        });
        return mask;
      });
      var counts = {};
      meta.facets.forEach(function (facet, f) {
        var others = intersect(masks, f, words); // every other facet's choice
        counts[facet.key] = {};
        facet.values.forEach(function (value, v) {
          var n = 0;
          for (var w = 0; w < words; w++) n += popcount(others[w] & sets[f][v][w]);
          counts[facet.key][value.slug] = n;
        });
      });
      var matches = intersect(masks, -1, words);
      var positions = [];
      for (var w = 0; w < words; w++) {
        var word = matches[w];
        while (word) {
          var low = word & -word;
          positions.push(w * 32 + 31 - Math.clz32(low));
          word ^= low;
        }
      }
      return ordered(positions).then(function (sorted) {
        return cardsAt(sorted.slice(0, limit));
      }).then(function (cards) {
        return { total: positions.length, cards: cards, counts: counts };
      });
    });
  }

  // Positions are in name order already; "recent" puts the latest added or checked first.
  function ordered(positions) {
    if (sortOrder(state) !== "recent") return Promise.resolve(positions);
    return loadDates().then(function (latest) {
      return positions.slice().sort(function (a, b) { return latest[b] - latest[a] || a - b; });
    });
  }

  function intersect(masks, skip, words) {
    var result = new Uint32Array(words);
    for (var w = 0; w < words; w++) result[w] = 0xffffffff;
    var tail = meta.count % 32;
    if (tail) result[words - 1] = (1 << tail) - 1 >>> 0;
    masks.forEach(function (mask, f) {
      if (!mask || f === skip) return;
      for (var w = 0; w < words; w++) result[w] &= mask[w];
    });
    return result;
  }

  function popcount(x) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }

  // Cards are HTML the build rendered from the same template as the list without JavaScript
  // (see kindred/search_data.py): one definition of a card, shown the same either way.
  function cardsAt(positions) {
    var chunk = meta.chunk;
    return Promise.all(positions.map(function (p) {
      return loadCardChunk(Math.floor(p / chunk)).then(function (cards) { return cards[p % chunk]; });
    }));
  }

  // With words: Pagefind, relevance order. One extra search per facet with a choice gives
  // that facet's counts as if its own choice were not made (OR within a facet).
  function answerFromPagefind(limit) {
    return loadPagefind().then(function (pagefind) {
      var main = pagefind.search(state.q, { filters: pagefindFilters(null), sort: pagefindSort() });
      var perFacet = meta.facets.map(function (facet) {
        return state.filters[facet.key]
          ? pagefind.search(state.q, { filters: pagefindFilters(facet.key) })
          : main;
      });
      return Promise.all([main].concat(perFacet)).then(function (answers) {
        var search = answers[0];
        var counts = {};
        meta.facets.forEach(function (facet, f) {
          var found = (answers[f + 1].filters || {})[facet.key] || {};
          counts[facet.key] = {};
          facet.values.forEach(function (v) { counts[facet.key][v.slug] = found[v.slug] || 0; });
        });
        var page = search.results.slice(0, limit);
        return Promise.all(page.map(function (r) { return r.data(); })).then(function (data) {
          return { total: search.results.length, cards: data.map(cardFromPagefind), counts: counts };
        });
      });
    });
  }

  // Group pages carry the sort keys under the finder's own names (kindred/site/search_data.py).
  function pagefindSort() {
    var order = sortOrder(state);
    if (order === "name") return { name: "asc" };
    if (order === "recent") return { recent: "desc" };
    return undefined; // relevance: Pagefind's own order
  }

  function pagefindFilters(without) {
    var filters = { type: "group" };
    Object.keys(state.filters).forEach(function (key) {
      if (key !== without) filters[key] = { any: state.filters[key] };
    });
    return filters;
  }

  // A search result carries its group's card in the page's metadata (group.html).
  function cardFromPagefind(data) {
    return data.meta.card;
  }

  // ---------------------------------------------------------------- showing

  function update() {
    var number = ++latest;
    finder.setAttribute("aria-busy", "true");
    // Hold the list's height while the answer comes, so the page does not jump.
    el.list.style.minHeight = el.list.offsetHeight + "px";
    var answer = state.q ? answerFromPagefind(shown) : answerFromFilters(shown);
    return answer.then(function (result) {
      if (number !== latest) return; // a newer change is on its way
      show(result);
    }).catch(function (error) {
      if (number !== latest) return;
      el.count.textContent = "Sorry, searching is not working right now. All groups are listed below.";
      el.staticList.hidden = false;
      if (window.console) console.error(error);
    }).then(function () {
      if (number !== latest) return;
      el.list.style.minHeight = "";
      finder.removeAttribute("aria-busy");
    });
  }

  function show(result) {
    showCounts(result.counts);
    showChips();
    var words = state.q ? " for \u201c" + state.q + "\u201d" : "";
    if (result.total === 0) {
      el.count.textContent = "No groups match" + words + ". Try fewer filters or different words.";
    } else {
      el.count.textContent = result.total + (result.total === 1 ? " group matches" : " groups match") + words + ".";
    }
    var fragment = document.createDocumentFragment();
    result.cards.forEach(function (card) { fragment.appendChild(cardElement(card)); });
    el.list.replaceChildren(fragment);
    el.more.hidden = result.total <= shown;
    el.staticList.hidden = true;
    showHeading(result.total);
    showSheetCount(result.total);
    showSort();
  }

  // The heading and the page title say what is shown: "Depression, Free — 12 groups".
  function showHeading(total) {
    var parts = state.q ? ["\u201c" + state.q + "\u201d"] : [];
    meta.facets.forEach(function (facet) {
      var chosen = state.filters[facet.key];
      if (!chosen) return;
      parts.push(chosen.map(function (slug) { return labelOf(facet.key, slug); }).join(" or "));
    });
    var groups = total === 0 ? "no groups" : total + (total === 1 ? " group" : " groups");
    var heading = parts.length ? parts.join(", ") + " \u2014 " + groups : "All " + groups;
    el.heading.textContent = heading;
    document.title = heading + " \u2013 " + siteName;
    el.lead.hidden = parts.length > 0; // it describes the whole list
  }

  function showSheetCount(total) {
    el.sheetShow.textContent = total === 0 ? "No groups match"
      : "Show " + total + (total === 1 ? " group" : " groups");
    el.sheetCount.textContent = el.count.textContent;
  }

  function showSort() {
    var relevance = el.sort.querySelector('option[value="relevance"]');
    relevance.disabled = !state.q; // best match needs words to match
    el.sort.value = sortOrder(state);
  }

  function showCounts(counts) {
    meta.facets.forEach(function (facet) {
      var chosen = state.filters[facet.key] || [];
      var box = el.facets.querySelector('[data-facet="' + facet.key + '"]');
      box.querySelector(".facet__chosen").textContent = chosen.length ? chosen.length + " selected" : "";
      facet.values.forEach(function (value) {
        var input = document.getElementById("f-" + facet.key + "-" + value.slug);
        input.checked = chosen.indexOf(value.slug) !== -1;
        input.nextElementSibling.querySelector(".count").textContent = "(" + counts[facet.key][value.slug] + ")";
      });
    });
  }

  function showChips() {
    var items = document.createDocumentFragment();
    meta.facets.forEach(function (facet) {
      (state.filters[facet.key] || []).forEach(function (slug) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "chip";
        button.setAttribute("data-facet", facet.key);
        button.setAttribute("data-slug", slug);
        button.setAttribute("aria-label", "Remove filter: " + facet.label + ": " + labelOf(facet.key, slug));
        button.textContent = labelOf(facet.key, slug);
        var cross = document.createElement("span");
        cross.setAttribute("aria-hidden", "true");
        cross.className = "chip__x";
        cross.textContent = "\u00d7";
        button.appendChild(cross);
        li.appendChild(button);
        items.appendChild(li);
      });
    });
    el.chips.replaceChildren(items);
    var count = el.chips.children.length;
    el.selected.hidden = !count;
    el.panelChosen.textContent = count ? "(" + count + " selected)" : "";
    el.sheetChosen.textContent = count ? "(" + count + ")" : "";
  }

  function cardElement(html) {
    var template = document.createElement("template");
    template.innerHTML = html; // built and escaped by the site's own template, never user text
    return template.content.firstElementChild;
  }

  function textElement(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = text || "";
    return node;
  }

  // ---------------------------------------------------------------- building the panel

  function buildFacets() {
    var fragment = document.createDocumentFragment();
    meta.facets.forEach(function (facet) {
      var details = document.createElement("details");
      details.className = "facet";
      details.setAttribute("data-facet", facet.key);
      if (state.filters[facet.key]) details.open = true;
      var summary = document.createElement("summary");
      summary.appendChild(textElement("span", "facet__label", facet.label));
      summary.appendChild(document.createTextNode(" "));
      summary.appendChild(textElement("span", "facet__chosen", ""));
      details.appendChild(summary);
      var fieldset = document.createElement("fieldset");
      fieldset.appendChild(textElement("legend", "facet__question", facet.question));
      facet.values.forEach(function (value) {
        var id = "f-" + facet.key + "-" + value.slug;
        var row = document.createElement("div");
        row.className = "check";
        var input = document.createElement("input");
        input.type = "checkbox";
        input.id = id;
        input.value = value.slug;
        input.setAttribute("data-facet", facet.key);
        var label = document.createElement("label");
        label.htmlFor = id;
        label.appendChild(document.createTextNode(value.label + " "));
        label.appendChild(textElement("span", "count", ""));
        row.appendChild(input);
        row.appendChild(label);
        fieldset.appendChild(row);
      });
      details.appendChild(fieldset);
      fragment.appendChild(details);
    });
    el.facets.replaceChildren(fragment);
  }

  // ---------------------------------------------------------------- events

  function bind() {
    el.facets.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type !== "checkbox") return;
      toggle(input.getAttribute("data-facet"), input.value, input.checked);
      commit();
    });
    el.q.addEventListener("input", function () {
      window.clearTimeout(typingTimer);
      typingTimer = window.setTimeout(function () {
        state.q = el.q.value.trim().slice(0, 200);
        commit();
      }, TYPING_PAUSE_MS);
    });
    el.form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(typingTimer);
      state.q = el.q.value.trim().slice(0, 200);
      commit();
    });
    el.chips.addEventListener("click", function (event) {
      var chip = event.target.closest("button.chip");
      if (!chip) return;
      var next = chip.parentNode.nextElementSibling || chip.parentNode.previousElementSibling;
      var nextKey = next && next.firstChild.getAttribute("data-facet");
      var nextSlug = next && next.firstChild.getAttribute("data-slug");
      toggle(chip.getAttribute("data-facet"), chip.getAttribute("data-slug"), false);
      commit().then(function () {
        // Keep the keyboard where it was: on the neighbouring chip, or the panel heading.
        var target = nextKey && el.chips.querySelector('[data-facet="' + nextKey + '"][data-slug="' + nextSlug + '"]');
        focusOn(target || filtersControl());
      });
    });
    el.clear.addEventListener("click", function () {
      state.filters = {};
      commit().then(function () { focusOn(filtersControl()); });
    });
    el.more.addEventListener("click", function () {
      var before = el.list.children.length;
      shown += PAGE_SIZE;
      update().then(function () {
        saveView();
        var first = el.list.children[before];
        if (first) focusOn(first.querySelector("a"));
      });
    });
    el.copy.addEventListener("click", copyLink);
    window.addEventListener("popstate", function (event) {
      state = readUrl();
      el.q.value = state.q;
      restoreView(savedView(event.state));
    });
    bindLayout();
  }

  // The interface around the answers: sort order, the filter sheet, leaving for a group page.
  function bindLayout() {
    el.sort.addEventListener("change", function () {
      state.sort = el.sort.value;
      commit();
    });
    el.openSheet.addEventListener("click", openSheet);
    el.sheetClose.addEventListener("click", function () { el.sheet.close(); });
    el.sheetShow.addEventListener("click", function () { el.sheet.close(); });
    el.sheetClear.addEventListener("click", function () {
      state.filters = {};
      commit();
    });
    el.sheet.addEventListener("close", sheetClosed); // also after Escape
    el.sheet.addEventListener("keydown", keepFocusInSheet);
    el.list.addEventListener("click", openGroup);
    window.addEventListener("scroll", function () {
      window.clearTimeout(scrollTimer);
      scrollTimer = window.setTimeout(saveView, SCROLL_PAUSE_MS);
    }, { passive: true });
  }

  // The one set of filters moves into the sheet while it is open, and back after.
  function openSheet() {
    el.sheetBody.appendChild(el.facets);
    el.sheet.showModal();
  }

  // A modal dialog puts the page behind it out of reach, but Tab can still leave for the
  // browser's own controls: it wraps round inside the sheet instead.
  function keepFocusInSheet(event) {
    if (event.key !== "Tab") return;
    var reachable = Array.prototype.filter.call(
      el.sheet.querySelectorAll("a[href], button, input, select, summary"),
      function (node) { return !node.disabled && node.getClientRects().length > 0; }
    );
    var first = reachable[0];
    var last = reachable[reachable.length - 1];
    if (event.shiftKey ? document.activeElement !== first : document.activeElement !== last) return;
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  }

  function sheetClosed() {
    el.panel.appendChild(el.facets);
    el.openSheet.focus({ preventScroll: true });
    el.results.scrollIntoView({ block: "start" });
  }

  // A group page opened from here offers "Back to results" (back-to-results.js): it is told
  // which view it came from, and this entry remembers the cards shown and the scroll.
  function openGroup(event) {
    var link = event.target.closest("a");
    if (!link) return;
    saveView();
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var target = new URL(link.href);
    if (target.origin !== window.location.origin) return;
    target.searchParams.set("results", window.location.search);
    event.preventDefault();
    window.location.assign(target.href);
  }

  // Where the keyboard goes when the filter it was on disappears.
  function filtersControl() {
    return el.filtersTitle.offsetParent !== null ? el.filtersTitle : el.openSheet;
  }

  function focusOn(node) {
    if (!node) return;
    if (!node.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT)$/.test(node.tagName)) {
      node.setAttribute("tabindex", "-1");
    }
    node.focus();
  }

  function copyLink() {
    var url = window.location.href;
    var fallback = function () {
      el.link.hidden = false;
      el.link.value = url;
      el.link.focus();
      el.link.select();
      el.copied.textContent = "Copy the selected link (Ctrl+C, or long-press on a phone).";
    };
    if (!navigator.clipboard || !window.isSecureContext) return fallback();
    navigator.clipboard.writeText(url).then(function () {
      el.link.hidden = true;
      el.copied.textContent = "Link copied.";
    }, fallback);
  }

  // For theme/static/js/handout.js: the cards of every match of the current view (not only
  // those shown), and the view in words, for a printed hand-out.
  window.kindredFinder = {
    allCards: function () {
      var answer = state.q ? answerFromPagefind(Infinity) : answerFromFilters(Infinity);
      return answer.then(function (result) { return result.cards; });
    },
    view: function () {
      return {
        q: state.q,
        filters: meta.facets.filter(function (facet) { return state.filters[facet.key]; }).map(function (facet) {
          return { label: facet.label, values: state.filters[facet.key].map(function (slug) { return labelOf(facet.key, slug); }) };
        }),
      };
    },
  };

  // ---------------------------------------------------------------- start

  fetch(siteUrl("search/facets.json")).then(function (response) {
    if (!response.ok) throw new Error("facets.json: HTTP " + response.status);
    return response.json();
  }).then(function (data) {
    meta = data;
    state = readUrl();
    el.q.value = state.q;
    buildFacets();
    bind();
    window.history.scrollRestoration = "manual"; // restoreView scrolls once the cards are in
    var tidy = urlFor(state); // e.g. a plain form's ?format=a&format=b becomes ?format=a,b
    if (tidy !== window.location.pathname + window.location.search) {
      window.history.replaceState(window.history.state, "", tidy + window.location.hash);
    }
    finder.hidden = false;
    return restoreView(savedView(window.history.state));
  }).catch(function (error) {
    if (window.console) console.error(error); // the static list is still there
  });
})();
