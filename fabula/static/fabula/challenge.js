/* The proof of work of the challenge page (templates/challenge.html, lib/scrapers.py): find a
   number n such that SHA-256("<token>:<n>") starts with `difficulty` zero bits, post it to
   /challenge/ (which answers with a pass cookie), then load the page that was asked for.
   SHA-256 is written out here because crypto.subtle exists only on HTTPS pages, and a plain
   loop is faster than its promises for many tiny inputs. Work is done in slices so the page
   stays responsive. */
(function () {
  "use strict";
  var box = document.getElementById("challenge");
  if (!box) return;
  var token = box.getAttribute("data-token");
  var difficulty = parseInt(box.getAttribute("data-difficulty"), 10);
  var next = box.getAttribute("data-next") || "/";
  var status = document.getElementById("challenge-status");

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var m = new Int32Array(64);

  // SHA-256 of an ASCII string (the token is URL-safe base64 and colons), as 8 words.
  function sha256(text) {
    var length = text.length, blocks = ((length + 8) >> 6) + 1;
    var words = new Int32Array(blocks * 16), i, t;
    for (i = 0; i < length; i++) words[i >> 2] |= text.charCodeAt(i) << (24 - (i & 3) * 8);
    words[length >> 2] |= 0x80 << (24 - (length & 3) * 8);
    words[blocks * 16 - 1] = length * 8;
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    for (var start = 0; start < words.length; start += 16) {
      for (t = 0; t < 16; t++) m[t] = words[start + t];
      for (t = 16; t < 64; t++) {
        var x = m[t - 15], y = m[t - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        m[t] = (m[t - 16] + s0 + m[t - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (t = 0; t < 64; t++) {
        var e1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var t1 = (k + e1 + ((e & f) ^ (~e & g)) + K[t] + m[t]) | 0;
        var a0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var t2 = (a0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    return h;
  }

  function zeroBits(h) {
    var bits = 0;
    for (var i = 0; i < 8; i++) {
      if (h[i] === 0) { bits += 32; continue; }
      return bits + Math.clz32(h[i]);
    }
    return bits;
  }

  function answer(n) {
    var body = "token=" + encodeURIComponent(token) + "&answer=" + n;
    fetch("/challenge/", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body
    }).then(function (response) {
      if (response.ok) { window.location.replace(next); return; }
      return response.text().then(function (text) { status.textContent = text; });
    });
  }

  var n = 0;
  function work() {
    var stop = n + 20000;
    for (; n < stop; n++) {
      if (zeroBits(sha256(token + ":" + n)) >= difficulty) { answer(n); return; }
    }
    setTimeout(work, 0);
  }
  setTimeout(work, 0);
})();
