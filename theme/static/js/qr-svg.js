/* QR codes made in the browser, as SVG, where an address is only known there: the
 * directory's live view, the share kit, and pages of a build without an absolute SITEURL.
 * The encoding is done by the vendored qrcode-generator (vendor/, MIT licence); this file only
 * draws its modules. Codes the build can make itself are made with segno (kindred.site.handout).
 */
(function () {
  "use strict";

  if (typeof window.qrcode !== "function") return;
  var SVG = "http://www.w3.org/2000/svg";
  var QUIET = 4; // modules of white around the code, as the standard asks
  window.qrcode.stringToBytes = window.qrcode.stringToBytesFuncs["UTF-8"];

  function element(name, attributes) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    return node;
  }

  // An <svg> of `text` as a QR code (error correction M), named by `title` for screen readers.
  window.kindredQr = function (text, title) {
    var code = window.qrcode(0, "M"); // 0: the smallest version that holds the text
    code.addData(text);
    code.make();
    var count = code.getModuleCount();
    var size = count + 2 * QUIET;
    var path = [];
    for (var row = 0; row < count; row++) {
      for (var col = 0; col < count; col++) {
        if (code.isDark(row, col)) path.push("M" + (col + QUIET) + " " + (row + QUIET) + "h1v1h-1z");
      }
    }
    var svg = element("svg", { viewBox: "0 0 " + size + " " + size, class: "qr", role: "img" });
    svg.setAttribute("shape-rendering", "crispEdges");
    var name = element("title", {});
    name.textContent = title || "QR code";
    svg.appendChild(name);
    svg.appendChild(element("path", { fill: "#fff", d: "M0 0h" + size + "v" + size + "h-" + size + "z" }));
    svg.appendChild(element("path", { fill: "#000", d: path.join("") }));
    return svg;
  };
})();
