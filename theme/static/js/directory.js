/* The directory finder: search and filters on /groups/, with the whole view in the URL.
 *
 * Progressive enhancement: without JavaScript /groups/ is a complete list. With it, this file
 * shows the finder and keeps the state in the address bar (?q=…&condition=a,b&cost=free), so
 * reload, back/forward and a pasted link all give the same view.
 *
 * One way of answering, whatever is asked, to keep phones' downloads small:
 *  - filters: search/membership-<facet>.bin holds one bitset per value of a facet (the groups
 *    its filter shows, values it includes counted in); matches and counts are computed here.
 *    A facet's file is fetched only when a view must work out its counts: the facet shows open
 *    on the screen (counts of a closed facet, or in the closed sheet on a phone, are not seen)
 *    and words or more than one value chosen elsewhere narrow the groups. Otherwise its counts
 *    are the catalog's own (facets.json), and a value chosen or named comes alone (search/membership/<facet>/<value>.bin): a link to one filter fetches
 *    one bitset. Only the cards being shown are fetched (search/cards-N.bin, or
 *    search/card/N.bin where a view shows few cards of a chunk);
 *  - words: Pagefind, which fetches just the parts of its index those words need. Its answers
 *    become a bitset too (search/pagefind-ids.bin says which index entry is which group), so
 *    words, filters, counts and the fallback below all combine the same way.
 * Counts follow the usual finder rule: OR within a facet, AND across facets, so each count says
 * how many groups you would see if you ticked that box too.
 *
 * Words are read the way people write them (words.js, loaded only once someone types): small
 * words are ignored, slips of the keyboard corrected, and words that name a filter value find
 * its groups and offer it as a one-tap button. When too few groups match every word, groups
 * matching some of them follow, and the page says so.
 *
 * On phones the filters open in a sheet (a modal dialog) whose button says how many groups the
 * choice shows; Back closes it. Each history entry remembers how many cards were shown and where the page was
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
    notice: document.getElementById("finder-notice"),
    count: document.getElementById("finder-count"),
    note: document.getElementById("finder-note"),
    suggest: document.getElementById("finder-suggest"),
    suggestions: document.getElementById("finder-suggestions"),
    selected: document.getElementById("finder-selected"),
    chips: document.getElementById("finder-chips"),
    clear: document.getElementById("finder-clear"),
    list: document.getElementById("finder-list"),
    more: document.getElementById("finder-more"),
    help: document.getElementById("finder-help"),
    urgent: document.getElementById("finder-urgent"),
    helpActions: document.getElementById("finder-help-actions"),
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

  var meta = null; // search/facets.json: labels, counts, number of groups, chunk size
  var state = { q: "", filters: {}, sort: "" }; // filters: facet key -> array of value slugs
  var notices = []; // what the address asked for that could not be used, said once
  var shown = PAGE_SIZE;
  var latest = 0; // number of the newest update; older answers are dropped
  var typingTimer = null;
  var scrollTimer = null;
  // While the filter sheet's own history entry is current: the address before it opened.
  var beforeSheet = null;
  var skipPopstate = false; // the sheet took back its entry itself (see sheetClosed)
  var fetched = {}; // data files, scripts and what is made of them, by name (see kept)
  var facetSets = []; // facet index -> promise of all its values' bitsets (the facet's file)
  var facetBits = []; // facet index -> its values' bitsets fetched so far, by value index
  var valueSets = {}; // "facet index/value index" -> promise of a value's bitset fetched alone
  // (and "beyond:facet index/value index" -> promise of its search/beyond file, into beyondBits)
  var beyondBits = {}; // "facet index/value index" -> bitset of search/beyond/<facet>/<value>.bin
  var countsShown = null; // the counts on the screen, by facet key and value slug
  var pairsFetched = null; // search/pairs.bin once fetched (see loadPairs)
  var textAnswers = Object.create(null); // by the words read: no "constructor" inherited
  var pagefindStopped = Promise.resolve(); // see restartPagefind
  var scriptUrl = document.currentScript.src;
  var cardChunks = {};
  var singleCards = {};
  // A card alone is about an eighth of a chunk of 32 (headers included): a chunk is fetched
  // for eight or more of the cards shown, each card alone for fewer. Many cards at once (a
  // hand-out of every match) come in chunks all the same: a request per 32 cards, not per card.
  var CHUNK_WORTH = 8;
  var MANY_CARDS = 2 * PAGE_SIZE;

  // ---------------------------------------------------------------- loading data

  function siteUrl(path) {
    return new URL(path, siteRoot).href;
  }

  function fetchBytes(path) {
    return window.KindredSearchFiles.fetchBytes(siteUrl(path));
  }

  function fetchJson(path) {
    return fetchBytes(path).then(function (buffer) {
      return JSON.parse(new TextDecoder().decode(buffer));
    });
  }

  // Every value's bitset of facet `f` (its counts need them all), from the facet's file.
  function loadFacet(f) {
    return kept(facetSets, f, function () {
      return window.KindredSearchFiles.facetBitsets(siteUrl, meta.facets[f], meta.count).then(function (bits) {
        facetBits[f] = bits;
        return bits;
      });
    });
  }

  // The bitset of value `v` of facet `f`: from the facet's file when that is fetched or on its
  // way, else alone.
  function loadValue(f, v) {
    if (facetSets[f]) return facetSets[f].then(function (bits) { return bits[v]; });
    return kept(valueSets, f + "/" + v, function () {
      var facet = meta.facets[f];
      return window.KindredSearchFiles.valueBitset(siteUrl, facet, facet.values[v], meta.count).then(function (bits) {
        (facetBits[f] || (facetBits[f] = []))[v] = bits;
        return bits;
      });
    });
  }

  // The bitsets of `values` ([{key, slug}]), for membersOf and chosenMasks; unknown ones are
  // skipped (a link may name a value the taxonomy no longer has). A value with part "beyond"
  // ({key, slug, part}) is its groups that are also for another kind of need (words.js).
  function loadValues(values) {
    return Promise.all(values.map(function (value) {
      var facet = facetByKey(value.key);
      var known = facet && valueBySlug(facet, value.slug);
      if (!known) return null;
      var f = meta.facets.indexOf(facet);
      var v = facet.values.indexOf(known);
      return value.part === "beyond" ? loadBeyond(f, v) : loadValue(f, v);
    }));
  }

  // Only a ranking: without it (a failed fetch, a file from another build) the words are
  // answered all the same, and the next answer asks again.
  function loadBeyond(f, v) {
    return kept(valueSets, "beyond:" + f + "/" + v, function () {
      var facet = meta.facets[f];
      return window.KindredSearchFiles.valueBitset(siteUrl, facet, facet.values[v], meta.count, "beyond").then(function (bits) {
        beyondBits[f + "/" + v] = bits;
      });
    }).catch(function () {});
  }

  // The values chosen in `filters` (facet key -> slugs), as [{key, slug}].
  function chosenValues(filters) {
    var values = [];
    Object.keys(filters).forEach(function (key) {
      filters[key].forEach(function (slug) { values.push({ key: key, slug: slug }); });
    });
    return values;
  }

  // Where facet `f`'s counts come from when no bitset of it is needed (OR within a facet: its
  // own choice does not narrow them): {catalog: true} when nothing else narrows the groups
  // (facets.json's counts); {pair: i} when one value chosen in one other facet is all that
  // does (value i of search/pairs.bin, in facets.json's order). Else null: they are worked
  // out from every value's bitset (words, or more than one value elsewhere).
  function countsSource(f, filters, q) {
    if (q) return null;
    var narrowing = [];
    meta.facets.forEach(function (facet, g) {
      if (g === f) return;
      (filters[facet.key] || []).forEach(function (slug) {
        var value = valueBySlug(facet, slug);
        narrowing.push(value ? pairIndex(g, facet.values.indexOf(value)) : -1);
      });
    });
    if (!narrowing.length) return { catalog: true };
    return narrowing.length === 1 && narrowing[0] >= 0 ? { pair: narrowing[0] } : null;
  }

  // The place of value `v` of facet `f` among every filter value, in facets.json's order.
  function pairIndex(f, v) {
    var before = 0;
    for (var g = 0; g < f; g++) before += meta.facets[g].values.length;
    return before + v;
  }

  // search/pairs.bin: how many groups the filters of two values of different facets both
  // show, for each value with each later one of another facet; as a square over every value
  // (pairIndex), row by row.
  function loadPairs() {
    return kept(fetched, "pairs", function () {
      return fetchBytes("search/pairs.bin").then(function (buffer) {
        var shared = new Uint32Array(buffer);
        var facetOf = [];
        meta.facets.forEach(function (facet, f) { facet.values.forEach(function () { facetOf.push(f); }); });
        var all = facetOf.length;
        var square = new Uint32Array(all * all);
        var next = 0;
        for (var i = 0; i < all; i++) {
          for (var j = i + 1; j < all; j++) {
            if (facetOf[i] === facetOf[j]) continue;
            square[i * all + j] = square[j * all + i] = shared[next++];
          }
        }
        // From another build than facets.json (a page left open while the site was published):
        // fail, and be fetched again, rather than show every count shifted.
        if (next !== shared.length) throw new Error("search/pairs.bin does not match search/facets.json");
        pairsFetched = square;
        return square;
      });
    });
  }

  // A facet the view filters by, or whose counts show (its section is open), while the
  // filters are on the screen.
  function facetInView(f) {
    if (!filtersShown()) return false;
    var facet = meta.facets[f];
    var box = el.facets.querySelector('[data-facet="' + facet.key + '"]');
    return !!(state.filters[facet.key] || []).length || !!(box && box.open);
  }

  // Whether the filters are on the screen. On a phone they wait in the closed sheet, and the
  // side panel can be folded shut: counts nobody sees are not worked out (a facet's file is
  // over a hundred KB at 100,000 groups). When the filters show, see countsNowSeen.
  // (Asked of the sheet and the panel, not of the page: the finder itself is hidden until its
  // first answer, which should come with its counts.)
  function filtersShown() {
    if (!window.ResizeObserver || el.sheet.open) return true;
    return el.panel.open && window.getComputedStyle(el.panel.parentNode).display !== "none";
  }

  // The filters came on the screen (the sheet opened, the panel unfolded, a tablet turned) or
  // a section opened: the counts of facets now in view that the last answer left out.
  function countsNowSeen() {
    if (!countsShown) return; // the first answer is on its way
    var missing = meta.facets.some(function (facet, f) { return facetInView(f) && !countsShown[facet.key]; });
    if (missing) update();
  }

  // A fetch kept until it fails: a failed one is tried again when next needed.
  function kept(cache, key, fetchIt) {
    if (!cache[key]) {
      cache[key] = fetchIt().catch(function (error) {
        delete cache[key];
        throw error;
      });
    }
    return cache[key];
  }

  function loadCardChunk(number) {
    return kept(cardChunks, number, function () { return fetchJson("search/cards-" + number + ".bin"); });
  }

  function loadCard(position) {
    return kept(singleCards, position, function () {
      return fetchBytes("search/card/" + position + ".bin").then(function (buffer) {
        return new TextDecoder().decode(buffer);
      });
    });
  }

  // Who can join by age: {min, max} per group, 0 when the group sets none (ages.bin).
  function loadAges() {
    return kept(fetched, "ages", function () {
      return fetchBytes("search/ages.bin").then(function (buffer) {
        return { min: new Uint8Array(buffer, 0, meta.count), max: new Uint8Array(buffer, meta.count, meta.count) };
      });
    });
  }

  // Sorting by "recently added or checked": each group's latest date, in days (dates.bin holds
  // the added dates, then the last_verified ones, 0 when never).
  function loadDates() {
    return kept(fetched, "dates", function () {
      return fetchBytes("search/dates.bin").then(function (buffer) {
        var days = new DataView(buffer);
        var latest = new Uint16Array(meta.count);
        for (var i = 0; i < meta.count; i++) {
          latest[i] = Math.max(days.getUint16(i * 2, true), days.getUint16((meta.count + i) * 2, true));
        }
        return latest;
      });
    });
  }

  function loadPagefind() {
    return kept(fetched, "pagefind", function () {
      var loading = window.KindredSearchFiles.importModule(siteUrl("pagefind/pagefind.js"));
      return Promise.all([loading, pagefindStopped]).then(function (both) {
        var pagefind = both[0];
        return Promise.resolve(pagefind.options({ baseUrl: siteRoot.pathname })).then(function () {
          return pagefind;
        });
      });
    });
  }

  // Pagefind keeps a failure for good (to start, or to fetch a fragment): after one it is
  // stopped and what was made with it forgotten, so the next need starts it afresh. (A part of
  // its index that it could not fetch, it takes for an empty one, and says so only in the
  // console: that, nothing here can see.) `started`: the start that failed. A late failure of
  // one already stopped (stopping it ends what it was still doing) leaves the new one be.
  function restartPagefind(error, started) {
    if (started === fetched.pagefind) {
      ["pagefind", "search", "reader"].forEach(function (name) { delete fetched[name]; });
      textAnswers = Object.create(null);
      pagefindStopped = started.then(function (pagefind) { return pagefind.destroy(); }).catch(function () {});
    }
    throw error;
  }

  // Pagefind id of each group's page -> the group's position (its bit in the bitsets), by the
  // start of the id's hash that tells the entries apart (kindred.site.search_index.page_key).
  function loadPageIds() {
    return kept(fetched, "pageIds", function () {
      return fetchBytes("search/pagefind-ids.bin").then(function (buffer) {
        var text = new TextDecoder().decode(buffer);
        var width = parseInt(text, 10);
        var keys = text.slice(text.indexOf("\n") + 1);
        var positions = {};
        for (var p = 0; p * width < keys.length; p++) positions[keys.substr(p * width, width).replace(/-+$/, "")] = p;
        return function (id) { return positions[id.slice(id.lastIndexOf("_") + 1).slice(0, width)]; };
      });
    });
  }

  // ---------------------------------------------------------------- state and the URL

  // The view the address asks for. Values are matched as people write them ("Free", "UK",
  // "alcohol use"); what cannot be matched, or has no groups, becomes a notice, never silence.
  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var asked = [];
    var others = [];
    var q = "";
    params.forEach(function (raw, name) {
      var key = name.toLowerCase();
      var facet = facetByKey(key);
      if (key === "q") q = raw;
      else if (facet) asked.push({ facet: facet, values: raw.split(",") });
      else if (key !== "sort") others.push(name);
    });
    var odd = asked.some(function (a) {
      return a.values.some(function (raw) { return raw.trim() && !valueBySlug(a.facet, raw); });
    });
    var loading = [others.length || odd ? loadWords() : null, odd ? loadTerms() : null];
    return Promise.all(loading).then(function (loaded) {
      var words = loaded[0];
      var terms = loaded[1];
      others.forEach(function (name) {
        var near = closeFacet(name.toLowerCase(), words);
        if (near) notices.push("\u201c" + name + "\u201d is not a filter here; did you mean " + near.label + "?");
      });
      var filters = {};
      asked.forEach(function (a) {
        a.values.forEach(function (raw) {
          if (!raw.trim()) return;
          var value = valueBySlug(a.facet, raw) || words.valueWritten(a.facet, raw, terms);
          if (!value) {
            notices.push("\u201c" + raw + "\u201d is not one of the choices for " + a.facet.label + ", so it is left out.");
          } else if (!value.n) {
            notices.push("No groups are listed under " + a.facet.label + ": " + value.label + " yet, so that filter is left out.");
          } else {
            var chosen = filters[a.facet.key] || (filters[a.facet.key] = []);
            if (chosen.indexOf(value.slug) === -1) chosen.push(value.slug);
          }
        });
      });
      Object.keys(filters).forEach(function (key) { filters[key] = inTaxonomyOrder(key, filters[key]); });
      var sort = params.get("sort");
      return { q: q.trim().slice(0, 200), filters: filters, sort: SORTS.indexOf(sort) !== -1 ? sort : "" };
    });
  }

  // The order shown: the one chosen, else best match for words and name order without.
  function sortOrder(s) {
    if (s.sort && !(s.sort === "relevance" && !s.q)) return s.sort;
    return s.q ? "relevance" : "name";
  }

  function valueBySlug(facet, slug) {
    for (var i = 0; i < facet.values.length; i++) if (facet.values[i].slug === slug) return facet.values[i];
    return null;
  }

  // A parameter one slip away from a filter's name ("conditon"): named, not guessed at, since
  // the address may carry parameters of its own.
  function closeFacet(name, words) {
    var found = meta.facets.filter(function (facet) { return words.editDistance(name, facet.key, 1) <= 1; });
    return found.length === 1 ? found[0] : null;
  }

  function inTaxonomyOrder(key, slugs) {
    return facetByKey(key).values.map(function (v) { return v.slug; }).filter(function (s) {
      return slugs.indexOf(s) !== -1;
    });
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

  // Record a change as a new history entry, then show it. Choices made in the filter sheet
  // share the entry opening it added (see openSheet).
  function commit() {
    shown = PAGE_SIZE;
    notices = [];
    var url = urlFor(state);
    if (url !== address()) {
      if (beforeSheet !== null) {
        window.history.replaceState(null, "", url);
      } else {
        saveView(); // the view being left, for Back
        window.history.pushState(null, "", url);
      }
    }
    return update();
  }

  function address() {
    return window.location.pathname + window.location.search;
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
    var chosen = (state.filters[key] || []).filter(function (s) { return s !== slug; });
    if (on) chosen.push(slug);
    if (chosen.length) state.filters[key] = inTaxonomyOrder(key, chosen); else delete state.filters[key];
  }

  function facetByKey(key) {
    for (var i = 0; i < meta.facets.length; i++) if (meta.facets[i].key === key) return meta.facets[i];
    return null;
  }

  function labelOf(key, slug) {
    var value = valueBySlug(facetByKey(key), slug);
    return value ? value.label : slug;
  }

  // ---------------------------------------------------------------- reading the words

  // The words are read by words.js (see there), fetched the first time someone types.
  function loadWords() {
    return kept(fetched, "words", function () {
      return window.KindredSearchFiles.importModule(new URL("words.js", scriptUrl).href);
    });
  }

  // search/terms.bin: every name of every filter value, for reading words.
  function loadTerms() {
    return kept(fetched, "terms", function () {
      return Promise.all([loadWords(), fetchJson("search/terms.bin")]).then(function (both) {
        var keys = function (test) { return meta.facets.filter(test).map(function (f) { return f.key; }); };
        var refining = keys(function (f) { return f.refines; });
        var needs = keys(function (f) { return f.similar && !f.refines; });
        return both[0].termsFrom(both[1], refining, needs);
      });
    });
  }

  function loadReader() {
    return kept(fetched, "reader", function () {
      var language = readersLanguage();
      return Promise.all([loadWords(), loadTerms(), loadSearch(), loadValues(language ? [language] : [])]).then(function (all) {
        return all[0].reader(all[1], all[2], membersOf, language, loadValues, loadAges);
      });
    });
  }

  // The value of the language facet (the taxonomy's `language` role) the reader reads: the
  // first of the browser's languages that groups are in, else the page's own. Groups in it
  // come first among equally good answers to words; nothing is stored or sent.
  function readersLanguage() {
    var facet = meta.facets.filter(function (f) { return f.is_language; })[0];
    if (!facet) return null;
    var wanted = (navigator.languages || [navigator.language]).concat([document.documentElement.lang]);
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i] || "").toLowerCase().split("-")[0];
      var value = valueBySlug(facet, code);
      if (value && value.n) return { key: facet.key, slug: value.slug };
    }
    return null;
  }

  function textAnswer(q) {
    return kept(textAnswers, q, function () {
      return loadReader().then(function (read) { return read(q); });
    });
  }

  // The positions of the groups a filter on `value` ({key, slug}, or its part "beyond") shows;
  // its bitset is fetched already (loadValues).
  function membersOf(value) {
    var f = meta.facets.indexOf(facetByKey(value.key));
    var v = meta.facets[f].values.indexOf(valueBySlug(meta.facets[f], value.slug));
    if (value.part === "beyond") return beyondBits[f + "/" + v] ? positionsIn(beyondBits[f + "/" + v]) : [];
    return positionsIn(facetBits[f][v]);
  }

  // Pagefind, answering with groups: search(text) gives [{position, score, result}] in its
  // order of relevance. Answers are kept: typing asks for the same words again and again.
  function loadSearch() {
    return kept(fetched, "search", function () {
      var started = loadPagefind();
      var restart = function (error) { return restartPagefind(error, started); };
      return Promise.all([started, loadPageIds()]).then(function (both) {
        var pagefind = both[0];
        var positionOf = both[1];
        var answers = Object.create(null);
        return function (text) {
          return kept(answers, text, function () {
            return pagefind.search(text).then(function (search) {
              var found = [];
              search.results.forEach(function (result) {
                var position = positionOf(result.id);
                if (position !== undefined) found.push({ position: position, score: result.score, result: fragmentOf(result, restart) });
              });
              return found;
            }).catch(restart);
          });
        };
      });
    });
  }

  // A result whose data() (its fragment: the card) restarts Pagefind when it cannot be had.
  function fragmentOf(result, restart) {
    return {
      data: function () {
        return result.data().then(function (data) {
          if (!data) throw new Error("Pagefind gave no fragment for " + result.id);
          return data;
        }).catch(restart);
      },
    };
  }

  // ---------------------------------------------------------------- answering

  // Everything the view shows: {total, cards, counts[key][slug], text (textAnswer or null),
  // without[key] (how many groups dropping that facet's choice gives), withoutWords,
  // suggestions: [{values: [{key, slug}], clearsWords, n}]}.
  function answer(limit) {
    var chosen = copyOf(state.filters); // the filters asked for now, whatever changes meanwhile
    var q = state.q;
    var text = q ? textAnswer(q) : Promise.resolve(null);
    var sources = meta.facets.map(function (facet, f) { return countsSource(f, chosen, q); });
    var counted = []; // the facets in view whose counts must be worked out
    var paired = []; // those in view whose counts search/pairs.bin gives
    meta.facets.forEach(function (facet, f) {
      if (!facetInView(f)) return;
      if (!sources[f]) counted.push(f);
      else if (!sources[f].catalog) paired.push(f);
    });
    // The pairs, unless the files of the facets they stand in for cost less (few groups).
    var files = paired.reduce(function (sum, f) { return sum + (facetSets[f] ? 0 : meta.facets[f].bytes); }, 0);
    var usePairs = paired.length && (pairsFetched || files > meta.pairs_bytes);
    if (!usePairs) counted = counted.concat(paired);
    var pairs = null; // search/pairs.bin, when fetched
    var loading = [loadValues(chosenValues(chosen)), text, Promise.all(counted.map(loadFacet)), usePairs ? loadPairs() : null];
    return Promise.all(loading).then(function (loaded) {
      var found = loaded[1];
      pairs = loaded[3] || pairsFetched; // fetched for this view, or already there
      // The values the words name: each is offered as a filter, with its count.
      return found ? loadValues(found.named).then(function () { return found; }) : null;
    }).then(function (found) {
      var sets = facetBits;
      var all = pairs ? Math.round(Math.sqrt(pairs.length)) : 0; // values in a row of pairs
      var words = Math.ceil(meta.count / 32);
      var scope = found ? scopeOf(found, words) : null; // the words' groups, or all
      var masks = chosenMasks(sets, chosen, words);
      var counts = {};
      var without = {};
      meta.facets.forEach(function (facet, f) {
        var others = within(intersect(masks, f, words), scope);
        if (masks[f]) without[facet.key] = popcountAnd(others, null);
        var source = sources[f];
        if (source && source.catalog) {
          counts[facet.key] = {};
          facet.values.forEach(function (value) { counts[facet.key][value.slug] = value.n; });
        } else if (source && pairs) {
          counts[facet.key] = {};
          facet.values.forEach(function (value, v) { counts[facet.key][value.slug] = pairs[pairIndex(f, v) * all + source.pair]; });
        } else if (facetWhole(f)) {
          counts[facet.key] = {};
          facet.values.forEach(function (value, v) { counts[facet.key][value.slug] = popcountAnd(others, sets[f][v]); });
        } // else a closed facet the view does not need: its counts are not seen
      });
      var matches = within(intersect(masks, -1, words), scope);
      var ranked = found
        ? (found.ranked || positionsIn(matches)).filter(function (p) { return matches[p >>> 5] & (1 << (p & 31)); })
        : positionsIn(matches);
      var result = {
        total: ranked.length,
        counts: counts,
        text: found,
        without: without,
        withoutWords: found ? popcountAnd(intersect(masks, -1, words), null) : 0,
        suggestions: found ? suggestionsFor(found, sets, scope, words, chosen) : [],
      };
      return inOrder(ranked).then(function (ordered) {
        return cardsFor(ordered.slice(0, limit), found);
      }).then(function (cards) {
        result.cards = cards;
        return result;
      });
    });
  }

  // Whether every value's bitset of facet `f` is fetched.
  function facetWhole(f) {
    var bits = facetBits[f];
    if (!bits) return false;
    for (var v = 0; v < meta.facets[f].values.length; v++) if (!bits[v]) return false;
    return true;
  }

  // The groups the words find; every group when they only leave some out ("not 12 step").
  function scopeOf(found, words) {
    var scope = found.ranked ? bitsetOf(found.ranked, words) : intersect([], -1, words);
    found.excluded.forEach(function (p) { scope[p >>> 5] &= ~(1 << (p & 31)) >>> 0; });
    return scope;
  }

  // Positions come in name order, or best match first with words; "name" and "recent" reorder
  // them ("recent": the latest added or checked first).
  function inOrder(positions) {
    var order = sortOrder(state);
    if (order === "name") return Promise.resolve(positions.slice().sort(function (a, b) { return a - b; }));
    if (order !== "recent") return Promise.resolve(positions);
    return loadDates().then(function (latest) {
      return positions.slice().sort(function (a, b) { return latest[b] - latest[a] || a - b; });
    });
  }

  // Per facet: the union of its chosen values' bitsets, or null when nothing is chosen there.
  function chosenMasks(sets, filters, words) {
    return meta.facets.map(function (facet, f) {
      var chosen = filters[facet.key];
      if (!chosen || !chosen.length) return null;
      var mask = new Uint32Array(words);
      facet.values.forEach(function (value, v) {
        if (chosen.indexOf(value.slug) === -1) return;
        for (var w = 0; w < words; w++) mask[w] |= sets[f][v][w];
      });
      return mask;
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

  function within(bits, scope) {
    if (scope) for (var w = 0; w < bits.length; w++) bits[w] &= scope[w];
    return bits;
  }

  function bitsetOf(positions, words) {
    var bits = new Uint32Array(words);
    positions.forEach(function (p) { bits[p >>> 5] |= 1 << (p & 31); });
    return bits;
  }

  function positionsIn(bits) {
    var positions = [];
    for (var w = 0; w < bits.length; w++) {
      var word = bits[w];
      while (word) {
        var low = word & -word;
        positions.push(w * 32 + 31 - Math.clz32(low));
        word ^= low;
      }
    }
    return positions;
  }

  function popcountAnd(a, b) {
    var n = 0;
    for (var w = 0; w < a.length; w++) n += popcount(b ? a[w] & b[w] : a[w]);
    return n;
  }

  function popcount(x) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }

  // The filters the words name, not yet chosen, each with the number of groups tapping it
  // gives. When the named filters account for every meaningful word, the last one to tap also
  // takes the words away (the filters then say it all), and the rest are offered together as
  // one button too: "free anonymous chat for anxiety" is one tap from its view.
  function suggestionsFor(found, sets, scope, words, chosen) {
    var values = found.named.filter(function (n) {
      var facet = facetByKey(n.key);
      var value = facet && valueBySlug(facet, n.slug);
      return value && value.n && (chosen[n.key] || []).indexOf(n.slug) === -1;
    });
    var last = found.covered && values.length === 1;
    var offered = values.map(function (n) {
      return { values: [n], clearsWords: last, n: countWith([n], sets, last ? null : scope, words, chosen) };
    });
    if (found.covered && values.length > 1) {
      offered.unshift({ values: values, clearsWords: true, n: countWith(values, sets, null, words, chosen) });
    }
    return offered.filter(function (s) { return s.n > 0; });
  }

  // Filters (facet key -> value slugs) as a copy that changing either leaves the other alone.
  function copyOf(filters) {
    var copy = {};
    Object.keys(filters).forEach(function (key) { copy[key] = filters[key].slice(); });
    return copy;
  }

  function countWith(values, sets, scope, words, chosen) {
    var filters = copyOf(chosen);
    values.forEach(function (n) { (filters[n.key] || (filters[n.key] = [])).push(n.slug); });
    return popcountAnd(within(intersect(chosenMasks(sets, filters, words), -1, words), scope), null);
  }

  // Cards are HTML the build rendered from the same template as the list without JavaScript
  // (see kindred/site/search_data.py): one definition of a card, shown the same either way.
  // With words, each comes with its Pagefind result (group.html puts it in the page's
  // metadata), which costs less than a chunk of 32 cards for one of them. Without, a chunk
  // comes when the view shows enough of its cards, and each card alone otherwise.
  function cardsFor(positions, found) {
    var chunk = meta.chunk;
    var wanted = {}; // how many cards not yet fetched each chunk holds
    var fresh = 0;
    positions.forEach(function (p) {
      if ((found && found.hits[p]) || singleCards[p]) return;
      var number = Math.floor(p / chunk);
      wanted[number] = (wanted[number] || 0) + 1;
      fresh += 1;
    });
    return Promise.all(positions.map(function (p) {
      var hit = found && found.hits[p];
      if (hit) return hit.data().then(function (data) { return data.meta.card; });
      var number = Math.floor(p / chunk);
      var few = singleCards[p] || (fresh <= MANY_CARDS && wanted[number] < CHUNK_WORTH);
      if (!cardChunks[number] && few) return loadCard(p);
      return loadCardChunk(number).then(function (cards) { return cards[p % chunk]; });
    }));
  }

  // ---------------------------------------------------------------- showing

  function update() {
    var number = ++latest;
    finder.setAttribute("aria-busy", "true");
    // Hold the list's height while the answer comes, so the page does not jump.
    el.list.style.minHeight = el.list.offsetHeight + "px";
    return answer(shown).then(function (result) {
      if (number !== latest) return; // a newer change is on its way
      show(result);
    }).catch(function (error) {
      if (number !== latest) return;
      el.count.textContent = "Sorry, searching is not working right now. All groups are listed below.";
      finder.hidden = false;
      el.staticList.hidden = false;
      if (window.console) console.error(error);
    }).then(function () {
      if (number !== latest) return;
      el.list.style.minHeight = "";
      finder.removeAttribute("aria-busy");
    });
  }

  // The crisis lines come before any group when the filters or the words name a need that
  // can be an emergency (a value marked urgent in the taxonomy: "suicidal", or a slip of it)
  // or ask for help now (its urgent_terms: "someone to talk to"). No group is a crisis service.
  function showUrgent(result) {
    // Values asked to be left out count too: "not suicidal" still shows where help is.
    var named = result.text ? result.text.named.concat(result.text.unwanted) : [];
    named = named.concat(chosenValues(state.filters));
    var urgent = named.some(function (n) {
      var value = valueBySlug(facetByKey(n.key), n.slug);
      return !!(value && value.urgent);
    });
    if (result.text) {
      var said = " " + result.text.said + " ";
      urgent = urgent || (meta.urgent || []).some(function (term) { return said.indexOf(" " + term + " ") !== -1; });
    }
    el.urgent.hidden = !urgent;
    // Said with the count, which screen readers hear, since the box itself appears silently.
    if (urgent) el.count.textContent += " The crisis lines come first, above the groups.";
  }

  function show(result) {
    countsShown = result.counts;
    showCounts(result.counts);
    showChips();
    showNotices();
    el.count.textContent = countSentence(result);
    el.note.textContent = noteAbout(result.text);
    el.note.hidden = !el.note.textContent;
    showSuggestions(result.suggestions);
    showHelp(result);
    showUrgent(result);
    var fragment = document.createDocumentFragment();
    result.cards.forEach(function (card) { fragment.appendChild(cardElement(card)); });
    el.list.replaceChildren(fragment);
    el.more.hidden = result.total <= shown;
    // Shown and hidden together, so nothing below them moves twice as the page sets up.
    finder.hidden = false;
    el.staticList.hidden = true;
    showHeading(result.total);
    showSheetCount(result.total);
    showSort();
  }

  // The heading and the page title say what is shown: "Depression, Free — 12 groups". The
  // embedded finder keeps its own heading: only the title changes there.
  // The heading says what is shown. The page title, which the browser keeps in its history
  // after the page is left (even by "Exit this page"), never holds a person's own words.
  function showHeading(total) {
    var filters = [];
    meta.facets.forEach(function (facet) {
      var chosen = state.filters[facet.key];
      if (!chosen) return;
      filters.push(chosen.map(function (slug) { return labelOf(facet.key, slug); }).join(" or "));
    });
    var groups = total === 0 ? "no groups" : total + (total === 1 ? " group" : " groups");
    var shown = function (parts) { return parts.length ? parts.join(", ") + " \u2014 " + groups : "All " + groups; };
    var heading = shown(state.q ? [inQuotes(state.q)].concat(filters) : filters);
    if (el.heading) el.heading.textContent = heading;
    document.title = shown(state.q ? ["Search results"].concat(filters) : filters) + " \u2013 " + siteName;
    if (el.lead) el.lead.hidden = Boolean(state.q) || filters.length > 0; // it describes the whole list
  }

  // Words in quotation marks, once: “grief”, not ““grief”” when they were typed in quotes.
  function inQuotes(words) {
    return "\u201c" + words.replace(/^["'\u201c\u201d\u2018\u2019]+|["'\u201c\u201d\u2018\u2019]+$/g, "") + "\u201d";
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

  function countSentence(result) {
    var words = state.q ? " " + inQuotes(state.q) : "";
    var filtered = Object.keys(state.filters).length;
    if (result.total === 0) {
      if (!words) return "No groups match these filters.";
      return "No groups match" + words + (filtered ? " with these filters." : ".");
    }
    var groups = result.total === 1 ? "1 group matches" : result.total + " groups match";
    if (result.text && result.text.kind === "some") return groups + " some of the words in" + words + ".";
    return groups + (words ? " for" + words : "") + ".";
  }

  // How the words were read: corrections, words no group has, a partial match.
  function noteAbout(text) {
    if (!text) return "";
    var notes = [];
    text.corrected.forEach(function (c) {
      var named = text.terms.byTerm[c.use];
      var meant = named && !text.terms.names.has(c.use) ? labelOf(named.key, named.slug) : c.use;
      notes.push("Searched for \u201c" + meant + "\u201d instead of \u201c" + c.word + "\u201d.");
    });
    if (text.unknown.length) {
      notes.push("No group mentions " + quoted(text.unknown) + ", so " + (text.unknown.length === 1 ? "it was" : "they were") + " left out; check the spelling or try another word.");
    }
    if (text.age) {
      notes.push("Only groups that take people aged " + text.age + " are shown, those made for that age first.");
    }
    if (text.unwanted.length) {
      var labels = text.unwanted.map(function (n) { return labelOf(n.key, n.slug); });
      notes.push("Groups marked " + quoted(labels) + " are left out.");
    }
    if (text.kind === "some") {
      var first = text.every === 1 ? "Only the first group matches" : "Only the first " + text.every + " groups match";
      notes.push((text.every ? first + " every word; the others" : "No group matches every word, so these") +
        " match some of them (" + quoted(text.matched) + "), those matching more words first.");
    }
    return notes.join(" ");
  }

  function quoted(words) {
    return words.map(function (w) { return "\u201c" + w + "\u201d"; }).join(", ");
  }

  function showNotices() {
    el.notice.replaceChildren();
    notices.forEach(function (text) { el.notice.appendChild(textElement("p", "", text)); });
    el.notice.hidden = !notices.length;
  }

  function showCounts(counts) {
    meta.facets.forEach(function (facet) {
      var chosen = state.filters[facet.key] || [];
      var box = el.facets.querySelector('[data-facet="' + facet.key + '"]');
      box.querySelector(".facet__chosen").textContent = chosen.length ? chosen.length + " selected" : "";
      facet.values.forEach(function (value) {
        var input = document.getElementById("f-" + facet.key + "-" + value.slug);
        if (!input) return; // a value with no groups is not offered
        input.checked = chosen.indexOf(value.slug) !== -1;
        var n = counts[facet.key] ? "(" + counts[facet.key][value.slug] + ")" : "";
        input.nextElementSibling.querySelector(".count").textContent = n;
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

  // One-tap filters the words name: "Anxiety — 25 groups". Values of one facet are joined
  // with "or", as the filters combine them; different facets with "+".
  function showSuggestions(suggestions) {
    var items = document.createDocumentFragment();
    suggestions.forEach(function (s) {
      var labels = meta.facets.map(function (facet) {
        return s.values.filter(function (n) { return n.key === facet.key; })
          .map(function (n) { return labelOf(n.key, n.slug); }).join(" or ");
      }).filter(Boolean).join(" + ");
      var button = textElement("button", "chip", labels + " \u2014 " + s.n + (s.n === 1 ? " group" : " groups"));
      button.type = "button";
      button.setAttribute("data-values", s.values.map(function (n) { return n.key + "=" + n.slug; }).join("&"));
      if (s.clearsWords) button.setAttribute("data-clears-words", "");
      var li = document.createElement("li");
      li.appendChild(button);
      items.appendChild(li);
    });
    el.suggestions.replaceChildren(items);
    el.suggest.hidden = !suggestions.length;
  }

  // No results: the nearest views that have some, each with its count.
  function showHelp(result) {
    var items = document.createDocumentFragment();
    if (result.total === 0) {
      meta.facets.forEach(function (facet) {
        var n = result.without[facet.key];
        if (!n) return;
        var labels = state.filters[facet.key].map(function (slug) { return labelOf(facet.key, slug); }).join(", ");
        items.appendChild(helpAction("Remove " + facet.label + ": " + labels, n, "data-drop", facet.key));
      });
      if (state.q && result.withoutWords && Object.keys(state.filters).length) {
        items.appendChild(helpAction("Show these filters without the words", result.withoutWords, "data-drop-words", ""));
      }
    }
    el.helpActions.replaceChildren(items);
    el.helpActions.hidden = !el.helpActions.children.length;
    el.help.hidden = result.total !== 0;
  }

  function helpAction(text, n, attribute, value) {
    var li = document.createElement("li");
    var button = textElement("button", "link-button", text + " \u2014 " + n + (n === 1 ? " group" : " groups"));
    button.type = "button";
    button.setAttribute(attribute, value);
    li.appendChild(button);
    return li;
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
        if (!value.n) return; // no groups yet: not offered as a live filter
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
    // A facet opened, or the filters coming on the screen: the counts they now show.
    el.facets.addEventListener("toggle", function (event) {
      if (event.target.open && event.target.matches("details.facet")) countsNowSeen();
    }, true);
    if (window.ResizeObserver) new ResizeObserver(countsNowSeen).observe(el.facets);
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
      // On a touch screen, pressing Search puts the on-screen keyboard away, as a page load
      // would: otherwise it covers the results it asked for.
      if (window.matchMedia("(pointer: coarse)").matches) el.q.blur();
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
    el.suggestions.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-values]");
      if (!button) return;
      var first = null;
      new URLSearchParams(button.getAttribute("data-values")).forEach(function (slug, key) {
        toggle(key, slug, true);
        first = first || { key: key, slug: slug };
      });
      if (button.hasAttribute("data-clears-words")) {
        state.q = "";
        el.q.value = "";
      }
      commit().then(function () { focusOnChip(first); });
    });
    el.helpActions.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      if (button.hasAttribute("data-drop")) delete state.filters[button.getAttribute("data-drop")];
      if (button.hasAttribute("data-drop-words")) {
        state.q = "";
        el.q.value = "";
      }
      commit().then(function () { focusOn(el.count); });
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
      if (skipPopstate) { skipPopstate = false; return; }
      if (beforeSheet !== null) { backFromSheet(); return; }
      notices = [];
      readUrl().then(function (read) {
        state = read;
        el.q.value = state.q;
        restoreView(savedView(event.state));
      });
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

  // The one set of filters moves into the sheet while it is open, and back after. On a phone
  // Back closes the sheet, as it closes any full-screen panel, rather than undoing the last
  // tick behind it: opening the sheet adds a history entry, what is chosen in the sheet
  // replaces that entry's address, and Back keeps the choices (one more Back undoes them).
  function openSheet() {
    saveView();
    beforeSheet = address();
    window.history.pushState({ shown: shown, scrollY: Math.round(window.scrollY) }, "", beforeSheet);
    el.sheetBody.appendChild(el.facets);
    el.sheet.showModal();
  }

  // Back was pressed with the sheet open: the browser is on the entry before the sheet.
  function backFromSheet() {
    var chosen = urlFor(state);
    beforeSheet = null;
    if (chosen !== address()) window.history.pushState(null, "", chosen);
    el.sheet.close();
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
    // Closed by its own buttons or Escape: its entry stays when something was chosen in it,
    // and is taken back when nothing was, so that Back is never a step that changes nothing.
    if (beforeSheet !== null && beforeSheet === address()) {
      skipPopstate = true;
      window.history.back();
    }
    beforeSheet = null;
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

  function focusOnChip(value) {
    var chip = value && el.chips.querySelector('[data-facet="' + value.key + '"][data-slug="' + value.slug + '"]');
    focusOn(chip || el.count);
  }

  function focusOnChip(value) {
    var chip = value && el.chips.querySelector('[data-facet="' + value.key + '"][data-slug="' + value.slug + '"]');
    focusOn(chip || el.count);
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
      return answer(Infinity).then(function (result) { return result.cards; });
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
    return readUrl();
  }).then(function (read) {
    state = read;
    // The address bar shows the view as understood, so a copied link is the tidy one.
    // (A plain form's ?format=a&format=b becomes ?format=a,b.)
    var url = urlFor(state);
    if (url !== address()) {
      window.history.replaceState(window.history.state, "", url + window.location.hash);
    }
    el.q.value = state.q;
    buildFacets();
    bind();
    window.history.scrollRestoration = "manual"; // restoreView scrolls once the cards are in
    // The finder appears with its first results (see show), in the frame the static list goes.
    return restoreView(savedView(window.history.state));
  }).catch(function (error) {
    if (window.console) console.error(error); // the static list is still there
  });
})();
