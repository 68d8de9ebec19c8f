/* QR codes made in the browser, as SVG, where an address is only known there: the
 * directory's live view, the share kit, and pages of a build without an absolute SITEURL.
 * Codes the build can make itself are made with segno (kindred.site.handout).
 *
 * A small encoder of what these codes hold (ISO/IEC 18004): web addresses, as UTF-8 bytes,
 * with error correction level M, in the smallest version (1 to 40) that holds them. It is
 * ours rather than a general library's, which would be four times the size for modes and
 * outputs never used here. tests/browser/test_handout.py checks, at every version's limits,
 * that each code is the smallest the standard allows and that a camera reads it back.
 */
(function () {
  "use strict";

  var QUIET = 4; // modules of white around the code, as the standard asks
  var SVG = "http://www.w3.org/2000/svg";
  // Level M, by version (index 0 unused): error correction codewords per block, and blocks.
  var ECC_PER_BLOCK = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26,
    26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28];
  var BLOCKS = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18,
    20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];
  var LEVEL_M = 0; // the two bits that name level M in the format information
  var MASKS = [
    function (x, y) { return (x + y) % 2 === 0; },
    function (x, y) { return y % 2 === 0; },
    function (x) { return x % 3 === 0; },
    function (x, y) { return (x + y) % 3 === 0; },
    function (x, y) { return (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0; },
    function (x, y) { return (x * y) % 2 + (x * y) % 3 === 0; },
    function (x, y) { return ((x * y) % 2 + (x * y) % 3) % 2 === 0; },
    function (x, y) { return ((x + y) % 2 + (x * y) % 3) % 2 === 0; }
  ];

  function bit(value, index) { return ((value >>> index) & 1) === 1; }

  // Modules that carry data and error correction, once the fixed patterns are placed.
  function dataModules(version) {
    var count = (16 * version + 128) * version + 64;
    if (version >= 2) {
      var aligns = Math.floor(version / 7) + 2;
      count -= (25 * aligns - 10) * aligns - 55;
      if (version >= 7) count -= 36;
    }
    return count;
  }

  function dataCodewords(version) {
    return Math.floor(dataModules(version) / 8) - ECC_PER_BLOCK[version] * BLOCKS[version];
  }

  // The bit stream of `bytes` in byte mode, ended and padded to fill `version`.
  function encode(bytes, version) {
    var bits = [];
    function put(value, length) { for (var i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1); }
    put(4, 4); // byte mode
    put(bytes.length, version < 10 ? 8 : 16);
    bytes.forEach(function (b) { put(b, 8); });
    var capacity = dataCodewords(version) * 8;
    put(0, Math.min(4, capacity - bits.length));
    put(0, (8 - bits.length % 8) % 8);
    for (var pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) put(pad, 8);
    var codewords = [];
    for (var i = 0; i < bits.length; i += 8) {
      var value = 0;
      for (var j = 0; j < 8; j++) value = (value << 1) | bits[i + j];
      codewords.push(value);
    }
    return codewords;
  }

  // Reed–Solomon over GF(256) with the standard's polynomial x^8 + x^4 + x^3 + x^2 + 1.
  function multiply(a, b) {
    var product = 0;
    for (var i = 7; i >= 0; i--) {
      product = (product << 1) ^ ((product >>> 7) * 0x11d);
      product ^= ((b >>> i) & 1) * a;
    }
    return product;
  }

  function divisor(degree) {
    var result = [];
    for (var i = 0; i < degree - 1; i++) result.push(0);
    result.push(1);
    var root = 1;
    for (i = 0; i < degree; i++) {
      for (var j = 0; j < degree; j++) {
        result[j] = multiply(result[j], root);
        if (j + 1 < degree) result[j] ^= result[j + 1];
      }
      root = multiply(root, 2);
    }
    return result;
  }

  function remainder(data, by) {
    var result = by.map(function () { return 0; });
    data.forEach(function (b) {
      var factor = b ^ result.shift();
      result.push(0);
      by.forEach(function (coefficient, i) { result[i] ^= multiply(coefficient, factor); });
    });
    return result;
  }

  // The data split into blocks, each followed by its error correction, then interleaved.
  function withErrorCorrection(data, version) {
    var blocks = BLOCKS[version];
    var eccLength = ECC_PER_BLOCK[version];
    var raw = Math.floor(dataModules(version) / 8);
    var shortBlocks = blocks - raw % blocks;
    var shortLength = Math.floor(raw / blocks);
    var by = divisor(eccLength);
    var split = [];
    for (var i = 0, start = 0; i < blocks; i++) {
      var length = shortLength - eccLength + (i < shortBlocks ? 0 : 1);
      var block = data.slice(start, start + length);
      start += length;
      var ecc = remainder(block, by);
      if (i < shortBlocks) block.push(0); // a place holder, so every block is as long
      split.push(block.concat(ecc));
    }
    var result = [];
    for (i = 0; i < split[0].length; i++) {
      split.forEach(function (b, j) {
        if (i !== shortLength - eccLength || j >= shortBlocks) result.push(b[i]);
      });
    }
    return result;
  }

  function alignmentPositions(version, size) {
    if (version === 1) return [];
    var count = Math.floor(version / 7) + 2;
    var step = Math.floor((version * 8 + count * 3 + 5) / (count * 4 - 4)) * 2;
    var result = [6];
    for (var position = size - 7; result.length < count; position -= step) result.splice(1, 0, position);
    return result;
  }

  function Matrix(version) {
    var size = version * 4 + 17;
    this.size = size;
    this.dark = [];
    this.fixed = [];
    for (var y = 0; y < size; y++) {
      this.dark.push(new Array(size).fill(false));
      this.fixed.push(new Array(size).fill(false));
    }
    for (var i = 0; i < size; i++) {
      this.set(6, i, i % 2 === 0);
      this.set(i, 6, i % 2 === 0);
    }
    this.finder(3, 3);
    this.finder(size - 4, 3);
    this.finder(3, size - 4);
    var aligns = alignmentPositions(version, size);
    var last = aligns.length - 1;
    for (i = 0; i < aligns.length; i++) {
      for (var j = 0; j < aligns.length; j++) {
        var corner = (i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0);
        if (!corner) this.alignment(aligns[i], aligns[j]);
      }
    }
    this.format(0); // reserves the format areas; the real mask's bits replace them
    if (version >= 7) this.version(version);
  }

  Matrix.prototype.set = function (x, y, dark) {
    this.dark[y][x] = dark;
    this.fixed[y][x] = true;
  };

  Matrix.prototype.finder = function (cx, cy) {
    for (var dy = -4; dy <= 4; dy++) {
      for (var dx = -4; dx <= 4; dx++) {
        var x = cx + dx, y = cy + dy;
        var distance = Math.max(Math.abs(dx), Math.abs(dy));
        if (x >= 0 && x < this.size && y >= 0 && y < this.size) this.set(x, y, distance !== 2 && distance !== 4);
      }
    }
  };

  Matrix.prototype.alignment = function (cx, cy) {
    for (var dy = -2; dy <= 2; dy++) {
      for (var dx = -2; dx <= 2; dx++) this.set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  };

  Matrix.prototype.format = function (mask) {
    var data = (LEVEL_M << 3) | mask;
    var rem = data;
    for (var i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    var bits = ((data << 10) | rem) ^ 0x5412;
    var size = this.size;
    for (i = 0; i <= 5; i++) this.set(8, i, bit(bits, i));
    this.set(8, 7, bit(bits, 6));
    this.set(8, 8, bit(bits, 7));
    this.set(7, 8, bit(bits, 8));
    for (i = 9; i < 15; i++) this.set(14 - i, 8, bit(bits, i));
    for (i = 0; i < 8; i++) this.set(size - 1 - i, 8, bit(bits, i));
    for (i = 8; i < 15; i++) this.set(8, size - 15 + i, bit(bits, i));
    this.set(8, size - 8, true); // the one module that is always dark
  };

  Matrix.prototype.version = function (version) {
    var rem = version;
    for (var i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    var bits = (version << 12) | rem;
    for (i = 0; i < 18; i++) {
      var a = this.size - 11 + (i % 3), b = Math.floor(i / 3);
      this.set(a, b, bit(bits, i));
      this.set(b, a, bit(bits, i));
    }
  };

  // Codewords go in two-module columns, zigzagging up and down from the bottom right.
  Matrix.prototype.place = function (codewords) {
    var size = this.size, i = 0;
    for (var right = size - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5; // the vertical timing pattern is skipped
      var upward = ((right + 1) & 2) === 0;
      for (var step = 0; step < size; step++) {
        var y = upward ? size - 1 - step : step;
        for (var j = 0; j < 2; j++) {
          var x = right - j;
          if (this.fixed[y][x] || i >= codewords.length * 8) continue;
          this.dark[y][x] = bit(codewords[i >>> 3], 7 - (i & 7));
          i++;
        }
      }
    }
  };

  Matrix.prototype.mask = function (mask) {
    var flip = MASKS[mask];
    for (var y = 0; y < this.size; y++) {
      for (var x = 0; x < this.size; x++) {
        if (!this.fixed[y][x] && flip(x, y)) this.dark[y][x] = !this.dark[y][x];
      }
    }
  };

  // The standard's penalty for patterns that are hard to scan; the lowest wins.
  Matrix.prototype.penalty = function () {
    var size = this.size, dark = this.dark, total = 0, darkCount = 0;
    var finderLike = [[1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1]];
    function at(x, y, vertical) { return vertical ? dark[x][y] : dark[y][x]; }
    for (var vertical = 0; vertical < 2; vertical++) {
      for (var y = 0; y < size; y++) {
        var run = 1;
        for (var x = 1; x <= size; x++) {
          if (x < size && at(x, y, vertical) === at(x - 1, y, vertical)) {
            run++;
            continue;
          }
          if (run >= 5) total += 3 + run - 5;
          run = 1;
        }
        for (x = 0; x + 11 <= size; x++) {
          finderLike.forEach(function (pattern) {
            if (pattern.every(function (d, k) { return at(x + k, y, vertical) === (d === 1); })) total += 40;
          });
        }
      }
    }
    for (y = 0; y < size; y++) {
      for (x = 0; x < size; x++) {
        if (dark[y][x]) darkCount++;
        if (x + 1 < size && y + 1 < size) {
          var c = dark[y][x];
          if (dark[y][x + 1] === c && dark[y + 1][x] === c && dark[y + 1][x + 1] === c) total += 3;
        }
      }
    }
    var cells = size * size;
    total += (Math.ceil(Math.abs(darkCount * 20 - cells * 10) / cells) - 1) * 10;
    return total;
  };

  // Which modules of the code for `text` are dark (rows of booleans); null when too long.
  function modules(text) {
    var bytes = Array.from(new TextEncoder().encode(text));
    var version = 1;
    while (version <= 40 && 4 + (version < 10 ? 8 : 16) + bytes.length * 8 > dataCodewords(version) * 8) version++;
    if (version > 40) return null;
    var codewords = withErrorCorrection(encode(bytes, version), version);
    var best = null, lowest = Infinity;
    for (var mask = 0; mask < 8; mask++) {
      var matrix = new Matrix(version);
      matrix.place(codewords);
      matrix.mask(mask);
      matrix.format(mask);
      var penalty = matrix.penalty();
      if (penalty < lowest) {
        best = matrix;
        lowest = penalty;
      }
    }
    return best.dark;
  }

  function element(name, attributes) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    return node;
  }

  // An <svg> of `text` as a QR code, named by `title` for screen readers; null when the text
  // is longer than a QR code holds (2,331 bytes).
  window.kindredQr = function (text, title) {
    var rows = modules(text);
    if (!rows) return null;
    var count = rows.length;
    var size = count + 2 * QUIET;
    var path = [];
    rows.forEach(function (row, y) {
      row.forEach(function (isDark, x) {
        if (isDark) path.push("M" + (x + QUIET) + " " + (y + QUIET) + "h1v1h-1z");
      });
    });
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
