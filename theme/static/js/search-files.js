/* Reading the finder's data files (kindred/site/search_data.py), for directory.js and choose.js.
 *
 * search/*.bin files are gzip: a server that inflated them already is fine too.
 * search/membership.bin holds one bitset per filter value, in taxonomy order, each padded to
 * whole 32-bit words.
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

  // The bitsets of membership.bin as [facet][value], in the order of facets.json's `meta`.
  function membership(buffer, meta) {
    var words = Math.ceil(meta.count / 32);
    var offset = 0;
    return meta.facets.map(function (facet) {
      return facet.values.map(function () {
        var bits = new Uint32Array(buffer, offset * 4, words);
        offset += words;
        return bits;
      });
    });
  }

  return { fetchBytes: fetchBytes, membership: membership };
})();
