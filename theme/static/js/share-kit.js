/* The share kit (partials/share_kit.html): from a link to a view of this site, a link to copy,
 * its QR code and a paragraph for an intranet page. The link comes from ?view= (the
 * directory's "Share this view with staff") or is pasted. Nothing is stored or sent: the only
 * request is for the filters' names (search/facets.json), from this site.
 */
(function () {
  "use strict";

  var kit = document.getElementById("share-kit");
  if (!kit || !window.kindredQr || !window.fetch) return;

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
  var facets = null; // search/facets.json, for the filters' names
  var downloadUrl = null;

  function loadFacets() {
    if (!facets) {
      facets = fetch(new URL("search/facets.json", siteRoot).href).then(function (response) {
        if (!response.ok) throw new Error("facets.json: HTTP " + response.status);
        return response.json();
      }).then(function (data) { return data.facets; });
    }
    return facets;
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
  function describe(url, known) {
    var path = url.pathname.slice(siteRoot.pathname.length).split("/").filter(Boolean);
    var chosen = [];
    var words = "";
    known.forEach(function (facet) {
      var slugs = [];
      if (path.length === 2 && path[0] === facet.key) slugs = [path[1]];
      if (path[0] === "groups" || path[0] === "embed") {
        slugs = (url.searchParams.get(facet.key) || "").split(",");
      }
      var labels = facet.values.filter(function (v) { return slugs.indexOf(v.slug) !== -1; }).map(function (v) { return v.label; });
      if (labels.length) chosen.push(facet.label + ": " + labels.join(" or "));
    });
    if (url.searchParams.get("q")) words = " matching \u201c" + url.searchParams.get("q").trim() + "\u201d";
    return chosen.length ? " for " + chosen.join("; ") + words : words;
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
    var url = onThisSite(el.input.value);
    if (!url) {
      el.result.hidden = true;
      el.error.textContent = "That is not a link to " + siteName + ". Paste a link that starts with " + siteRoot.href;
      return;
    }
    var code = window.kindredQr(url.href, "QR code: " + url.href);
    if (!code) {
      el.result.hidden = true;
      el.error.textContent = "That link is too long for a QR code. Choose fewer filters or fewer words, then try again.";
      return;
    }
    el.error.textContent = "";
    loadFacets().then(function (known) {
      var description = describe(url, known);
      el.describe.textContent = "Staff who open it see the directory" + (description || "") + ".";
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
