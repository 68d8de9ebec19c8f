/* Reading the finder's data files (kindred/site/search_data.py) and its script modules, for
 * directory.js, choose.js and share-kit.js.
 *
 * search/*.bin files are gzip: a server that inflated them already is fine too.
 * search/membership-<facet key>.bin holds one bitset per value of that filter facet, in
 * taxonomy order, each padded to whole 32-bit words; search/membership/<facet key>/<value
 * slug>.bin holds one value's alone, and search/beyond/<facet key>/<value slug>.bin its groups
 * that are also for a need of another family.
 */
window.KindredSearchFiles = (function () {
  "use strict";

  function fetchBytes(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.arrayBuffer();
    }).then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return buffer; // a server inflated it already
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).arrayBuffer();
    });
  }

  // The bitsets of one facet's values (`facet` as facets.json has it, over `count` groups),
  // from its own file: a view fetches only the facets it shows or filters by.
  function facetBitsets(siteUrl, facet, count) {
    var words = Math.ceil(count / 32);
    return fetchBytes(siteUrl("search/membership-" + facet.key + ".bin")).then(function (buffer) {
      return facet.values.map(function (value, v) {
        return new Uint32Array(buffer, v * words * 4, words);
      });
    });
  }

  // The bitset of one value of `facet`, from its own file: a view filtering by a value whose
  // facet's counts it need not work out fetches that alone. `folder`: "membership", or
  // "beyond" for its groups also for a need of another family.
  function valueBitset(siteUrl, facet, value, count, folder) {
    var path = "search/" + (folder || "membership") + "/" + facet.key + "/" + value.slug + ".bin";
    return fetchBytes(siteUrl(path)).then(function (buffer) {
      return new Uint32Array(buffer, 0, Math.ceil(count / 32));
    });
  }

  // A script module (words.js, Pagefind's). Chromium keeps a module that failed to load as
  // failed for the page's life, however often it is imported again, so after a failure (a
  // phone that lost its signal) the next try asks for the same file at a new address.
  var failedImports = Object.create(null);
  function importModule(url) {
    var tries = failedImports[url] || 0;
    var address = tries ? url + (url.indexOf("?") < 0 ? "?" : "&") + "try=" + tries : url;
    return import(address).catch(function (error) {
      failedImports[url] = tries + 1;
      throw error;
    });
  }

  return {
    fetchBytes: fetchBytes,
    facetBitsets: facetBitsets,
    valueBitset: valueBitset,
    importModule: importModule,
  };
})();
