/* The share kit (partials/share_kit.html): from a link to a view of this site, a link to copy,
 * its QR code and a paragraph for an intranet page. The link comes from ?view= (the
 * directory's "Share this view with staff") or is pasted. Nothing is stored or sent: the only
 * requests are for the filters' names (search/facets.json and search/terms.bin, read with
 * words.js as the directory reads them), from this site.
 */
(function () {
  "use strict";

  var kit = document.getElementById("share-kit");
  if (!kit || !window.kindredQr || !window.fetch || !window.KindredSearchFiles) return;

  var siteRoot = new URL(kit.getAttribute("data-site-root"), document.baseURI);
  var siteName = kit.getAttribute("data-site-name");
  var el = {
    tool: document.getElementById("share-kit-tool"),
    manual: document.getElementById("share-kit-manual"),
    input: document.getElementById("share-kit-url"),
    make: document.getElementById("share-kit-make"),
    error: document.getElementById("share-kit-error"),
    result: document.getElementById("share-kit-result"),
    describe: document.getElementById("share-kit-describe"),
    link: document.getElementById("share-kit-link-out"),
    qr: document.getElementById("share-kit-qr"),
    download: document.getElementById("share-kit-download"),
    text: document.getElementById("share-kit-text"),
    copied: document.getElementById("share-kit-copied"),
  };
  var scriptUrl = document.currentScript.src;
  var SORTS = ["relevance", "name", "recent"]; // the orders the directory's address can name
  var reading = null; // what reading a link needs, as the finder reads it
  var downloadUrl = null;

  // The filters' names (search/facets.json), the words module and every name of every value
  // (search/terms.bin): a link is read as the directory reads it, "?condition=Grief" too.
  function loadReading() {
    if (!reading) {
      var facets = fetch(new URL("search/facets.json", siteRoot).href).then(function (response) {
        if (!response.ok) throw new Error("facets.json: HTTP " + response.status);
        return response.json();
      });
      var words = window.KindredSearchFiles.importModule(new URL("words.js", scriptUrl).href);
      // Without the other names (a browser that cannot inflate the file), slugs still read.
      var terms = window.KindredSearchFiles.fetchBytes(new URL("search/terms.bin", siteRoot).href)
        .then(function (buffer) { return JSON.parse(new TextDecoder().decode(buffer)); })
        .catch(function () { return {}; });
      reading = Promise.all([facets, words, terms]).then(function (loaded) {
        return { facets: loaded[0].facets, words: loaded[1], terms: loaded[1].termsFrom(loaded[2]) };
      }).catch(function (error) {
        reading = null; // the next try asks again
        throw error;
      });
    }
    return reading;
  }



  // A link to the directory as the directory itself would write it (values by slug, in the
  // taxonomy's order), what it shows, and what in it the directory leaves out.
  function readLink(url, known) {
    var path = url.pathname.slice(siteRoot.pathname.length).split("/").filter(Boolean);
    var chosen = {};
    var left = [];
    var typed = ""; // the words searched for (?q=, in any case)
    var byKey = Object.create(null); // looked up by the link's names: none inherited
    known.facets.forEach(function (facet) { byKey[facet.key] = facet; });
    if (path.length === 2 && byKey[path[0]]) {
      var page = known.words.valueWritten(byKey[path[0]], path[1], known.terms);
      if (page) chosen[path[0]] = [page.slug];
    }
    if (path[0] === "groups" || path[0] === "embed") {
      url.searchParams.forEach(function (raw, name) {
        var facet = byKey[name.toLowerCase()];
        if (!facet) {
          if (["q", "sort"].indexOf(name.toLowerCase()) === -1) left.push("\u201c" + name + "\u201d is not a filter");
          if (name.toLowerCase() === "q") typed = raw;
          return;
        }
        raw.split(",").forEach(function (one) {
          if (!one.trim()) return;
          var value = known.words.valueWritten(facet, one, known.terms);
          if (!value) left.push("\u201c" + one + "\u201d is not one of the choices for " + facet.label);
          else if (!value.n) left.push("no groups are listed under " + facet.label + ": " + value.label + " yet");
          else if ((chosen[facet.key] = chosen[facet.key] || []).indexOf(value.slug) === -1) chosen[facet.key].push(value.slug);
        });
      });
      var params = [];
      known.facets.forEach(function (facet) {
        var slugs = facet.values.map(function (v) { return v.slug; }).filter(function (slug) {
          return (chosen[facet.key] || []).indexOf(slug) !== -1;
        });
        if (slugs.length) params.push(facet.key + "=" + slugs.join(","));
      });
      var q = typed.trim();
      if (q) params.push("q=" + encodeURIComponent(q));
      var sort = url.searchParams.get("sort");
      if (SORTS.indexOf(sort) !== -1) params.push("sort=" + sort);
      url = new URL(url.pathname + (params.length ? "?" + params.join("&") : ""), url);
    }
    return { url: url, chosen: chosen, left: left };
  }

  // The pasted text as an address on this site, or null.
  function onThisSite(text) {
    var url;
    try {
      url = new URL(text.trim(), siteRoot);
    } catch (error) {
      return null;
    }
    if (url.origin !== siteRoot.origin || url.pathname.indexOf(siteRoot.pathname) !== 0) return null;
    url.hash = "";
    return url;
  }

  // What the view shows, in words: "for Condition: Depression or Anxiety; Cost: Free".
  function describe(read, known) {
    var parts = [];
    known.facets.forEach(function (facet) {
      var slugs = read.chosen[facet.key] || [];
      var labels = facet.values.filter(function (v) { return slugs.indexOf(v.slug) !== -1; }).map(function (v) { return v.label; });
      if (labels.length) parts.push(facet.label + ": " + labels.join(" or "));
    });
    var q = read.url.searchParams.get("q");
    var words = q ? " matching \u201c" + q + "\u201d" : "";
    return parts.length ? " for " + parts.join("; ") + words : words;
  }

  function paragraph(url, description) {
    var eap = kit.getAttribute("data-eap-name");
    var phone = kit.getAttribute("data-eap-phone");
    var help = eap
      ? "If you need to talk to someone now, contact " + eap + (phone ? " on " + phone : "") + ", or see Get help now on " + siteName + "."
      : "If you need to talk to someone now, see Get help now on " + siteName + ".";
    return "Online support groups" + description + ": " + url + "\n\n" +
      siteName + " is a free list of online support groups run by charities, health services, " +
      "peer fellowships and others. You do not need to sign up, and " + siteName + " sets no " +
      "cookies and does not track what you read. Work computers, phones and networks may keep " +
      "a record of the websites you visit, so you may prefer to use your own phone. " + help;
  }

  function make() {
    var pasted = onThisSite(el.input.value);
    if (!pasted) {
      el.result.hidden = true;
      el.error.textContent = "That is not a link to " + siteName + ". Paste a link that starts with " + siteRoot.href;
      return;
    }
    el.error.textContent = "";
    loadReading().then(function (known) {
      var read = readLink(pasted, known);
      var url = read.url;
      var code = window.kindredQr(url.href, "QR code: " + url.href);
      if (!code) {
        el.result.hidden = true;
        el.error.textContent = "That link is too long for a QR code. Choose fewer filters or fewer words, then try again.";
        return;
      }
      var description = describe(read, known);
      var left = read.left.length
        ? " The directory leaves out what it cannot read in the link you pasted: " + read.left.join("; ") + "."
        : "";
      el.describe.textContent = "Staff who open it see the directory" + (description || "") + "." + left;
      el.link.value = url.href;
      el.qr.replaceChildren(code);
      if (downloadUrl) URL.revokeObjectURL(downloadUrl);
      var svg = new XMLSerializer().serializeToString(code);
      downloadUrl = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
      el.download.href = downloadUrl;
      el.text.value = paragraph(url.href, description);
      el.result.hidden = false;
    }).catch(function (error) {
      el.error.textContent = "Sorry, the kit could not be made just now.";
      if (window.console) console.error(error);
    });
  }

  function copy(id) {
    var field = document.getElementById(id);
    var done = function () { el.copied.textContent = "Copied."; };
    var byHand = function () {
      field.focus();
      field.select();
      el.copied.textContent = "Copy the selected text (Ctrl+C, or long-press on a phone).";
    };
    if (!navigator.clipboard || !window.isSecureContext) return byHand();
    navigator.clipboard.writeText(field.value).then(done, byHand);
  }

  el.make.addEventListener("click", make);
  el.input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") make();
  });
  kit.addEventListener("click", function (event) {
    var target = event.target.closest("[data-copy]");
    if (target) copy(target.getAttribute("data-copy"));
  });
  el.tool.hidden = false;
  el.manual.hidden = true;
  var given = new URLSearchParams(window.location.search).get("view");
  el.input.value = given || "";
  if (given) make();
})();
