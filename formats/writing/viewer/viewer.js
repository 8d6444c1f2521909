/* kitcut marker viewer: draws the marker data embedded in the page on a <canvas>.
 * No network, no library. Every element div.kv[data-src=ID] is given a viewer of the JSON held in
 * the element whose id is ID (a script of type application/json). Coordinates are marker millimetres
 * (x along the roll, y across the width, y up); the screen shows y = 0 (one selvedge) at the bottom.
 */
(function () {
  "use strict";

  var LAYERS = [["notches", "notches", true], ["drills", "drills", true], ["grain", "grain", true],
    ["internal", "internal lines", true], ["sew", "sew lines", false], ["labels", "labels", true]];
  var MODES = [["size", "size", 0], ["order", "order", 1], ["category", "fabric category", 2]];
  var BG = "#d9dee5", FABRIC = "#fbf8f0";

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) { e.appendChild(c); });
    return e;
  }

  function colour(i, light) {
    var h = (i * 137.508 + 25) % 360;
    return "hsl(" + h.toFixed(1) + "," + (light ? "62%,80%)" : "55%,38%)");
  }

  function num(v, d) { return v.toLocaleString("en", {minimumFractionDigits: d, maximumFractionDigits: d}); }

  function pathOf(flat, W, closed) {
    var p = new Path2D();
    for (var i = 0; i < flat.length; i += 2) {
      if (i === 0) p.moveTo(flat[0], W - flat[1]); else p.lineTo(flat[i], W - flat[i + 1]);
    }
    if (closed) p.closePath();
    return p;
  }

  function inside(flat, x, y) {  /* even-odd point in polygon */
    var c = false, n = flat.length;
    for (var i = 0, j = n - 2; i < n; j = i, i += 2) {
      var yi = flat[i + 1], yj = flat[j + 1];
      if ((yi > y) !== (yj > y) && x < (flat[j] - flat[i]) * (y - yi) / (yj - yi) + flat[i]) c = !c;
    }
    return c;
  }

  function Viewer(root, data) {
    this.root = root; this.d = data; this.W = data.width; this.L = data.length;
    this.mode = "size"; this.layers = {}; this.match = null; this.hover = -1; this.pinned = -1;
    this.rulerOn = false; this.ruler = null; this.k = 1; this.tx = 0; this.ty = 0; this.moved = false;
    this.timings = {start: performance.now()};
    var self = this;
    LAYERS.forEach(function (l) { self.layers[l[0]] = l[2]; });
    this.build(); this.prepare();
    this.resize(); this.fit();
    new ResizeObserver(function () { self.resize(); }).observe(this.wrap);
    this.ready = true;
  }

  Viewer.prototype.build = function () {
    var d = this.d, self = this, u = d.unit;
    var len = u === "mm" ? num(d.length / 1000, 3) + " m" : num(d.length, 1) + " " + u;
    var stats = [d.name ? d.name : null, "length " + len, "width " + num(d.width, 0) + " " + u,
      "efficiency " + num(100 * d.efficiency, 1) + " %", d.pieces.length + (d.pieces.length === 1 ? " piece" : " pieces")];
    if (d.waste) stats.push("end waste " + (u === "mm" ? num(d.waste.area / 1e6, 3) + " m²" :
      num(d.waste.area, 1) + " " + u + "²") + " (" + num(100 * d.waste.share, 1) + " %)");
    this.stats = el("div", {"class": "kv-stats"}, stats.filter(Boolean).map(function (s) {
      return el("span", {text: s});
    }));
    this.modeSel = el("select", {"class": "kv-mode", "aria-label": "colour by"}, MODES.map(function (m) {
      return el("option", {value: m[0], text: m[1]});
    }));
    this.modeSel.addEventListener("change", function () { self.mode = self.modeSel.value; self.legend(); self.draw(); });
    var layerBoxes = LAYERS.map(function (l) {
      var box = el("input", {type: "checkbox", "data-layer": l[0]});
      box.checked = l[2];
      box.addEventListener("change", function () { self.layers[l[0]] = box.checked; self.draw(); });
      return el("label", {"class": "kv-layer"}, [box, document.createTextNode(" " + l[1])]);
    });
    this.search = el("input", {type: "search", "class": "kv-search", placeholder: "piece, size or order",
      "aria-label": "search"});
    this.search.addEventListener("input", function () { self.find(self.search.value); });
    this.count = el("span", {"class": "kv-count", "aria-live": "polite"});
    var fit = el("button", {type: "button", "class": "kv-fit", text: "fit"});
    fit.addEventListener("click", function () { self.fit(); });
    this.rulerBtn = el("button", {type: "button", "class": "kv-ruler-btn", "aria-pressed": "false", text: "ruler"});
    this.rulerBtn.addEventListener("click", function () { self.setRuler(!self.rulerOn); });
    this.rulerOut = el("div", {"class": "kv-ruler", "aria-live": "polite"});
    this.keys = el("div", {"class": "kv-legend"});
    var bar = el("div", {"class": "kv-bar"}, [fit, this.rulerBtn,
      el("label", {}, [document.createTextNode("colour by "), this.modeSel]),
      el("span", {"class": "kv-layers"}, layerBoxes), this.search, this.count]);
    this.base = el("canvas", {"class": "kv-base"});
    this.over = el("canvas", {"class": "kv-over", tabindex: "0", "aria-label": "marker drawing"});
    this.info = el("div", {"class": "kv-info", hidden: ""});
    this.wrap = el("div", {"class": "kv-canvas"}, [this.base, this.over, this.info, this.rulerOut]);
    [this.stats, bar, this.keys, this.wrap].forEach(function (e) { self.root.appendChild(e); });
    this.legend();
    this.events();
  };

  Viewer.prototype.prepare = function () {
    var W = this.W, ps = this.d.pieces, L = Math.max(this.L, 1);
    this.paths = ps.map(function (p) {
      var cut = pathOf(p.p, W, true);
      (p.h || []).forEach(function (h) { cut.addPath(pathOf(h, W, true)); });
      function strokes(list) {
        var s = new Path2D();
        (list || []).forEach(function (f) { s.addPath(pathOf(f, W, false)); });
        return s;
      }
      var drills = new Path2D();
      (p.dr || []).forEach(function (h) {
        var r = (h[2] || 3) / 2, x = h[0], y = W - h[1];
        drills.moveTo(x + r, y); drills.arc(x, y, r, 0, 2 * Math.PI);
        drills.moveTo(x - r, y); drills.lineTo(x + r, y); drills.moveTo(x, y - r); drills.lineTo(x, y + r);
      });
      return {cut: cut, notches: strokes(p.nt), grain: strokes(p.gr), internal: strokes(p.il),
        sew: strokes(p.sw), drills: drills};
    });
    if (this.d.waste && this.d.waste.poly.length) this.wastePath = pathOf(this.d.waste.poly, W, true);
    /* a uniform grid of piece bounding boxes: a hover looks at one cell only */
    var n = Math.max(ps.length, 1);
    this.gx = Math.max(1, Math.min(256, Math.round(Math.sqrt(n * L / W))));
    this.gy = Math.max(1, Math.min(256, Math.round(Math.sqrt(n * W / L))));
    this.cw = L / this.gx; this.ch = W / this.gy;
    var grid = this.grid = [];
    for (var c = 0; c < this.gx * this.gy; c++) grid.push([]);
    var self = this;
    ps.forEach(function (p, i) {
      var b = p.b, c0 = self.cell(b[0], b[1]), c1 = self.cell(b[2], b[3]);
      for (var cx = c0[0]; cx <= c1[0]; cx++)
        for (var cy = c0[1]; cy <= c1[1]; cy++) grid[cy * self.gx + cx].push(i);
    });
  };

  Viewer.prototype.cell = function (x, y) {
    return [Math.min(this.gx - 1, Math.max(0, Math.floor(x / this.cw))),
      Math.min(this.gy - 1, Math.max(0, Math.floor(y / this.ch)))];
  };

  /* the piece under marker point (x, y), or -1 */
  Viewer.prototype.hit = function (x, y) {
    if (x < 0 || y < 0 || x > this.L || y > this.W) return -1;
    var c = this.cell(x, y), list = this.grid[c[1] * this.gx + c[0]], ps = this.d.pieces;
    for (var j = list.length - 1; j >= 0; j--) {
      var p = ps[list[j]], b = p.b;
      if (x < b[0] || x > b[2] || y < b[1] || y > b[3] || !inside(p.p, x, y)) continue;
      if ((p.h || []).some(function (h) { return inside(h, x, y); })) continue;
      return list[j];
    }
    return -1;
  };

  Viewer.prototype.toMarker = function (sx, sy) { return [(sx - this.tx) / this.k, this.W - (sy - this.ty) / this.k]; };
  /* CSS pixels from the canvas' top-left corner of marker point (x, y) */
  Viewer.prototype.screenOf = function (x, y) { return [this.tx + x * this.k, this.ty + (this.W - y) * this.k]; };

  Viewer.prototype.resize = function () {
    var r = this.wrap.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    this.cssW = Math.max(1, r.width); this.cssH = Math.max(1, r.height);
    var self = this;
    [this.base, this.over].forEach(function (c) {
      c.width = Math.round(self.cssW * dpr); c.height = Math.round(self.cssH * dpr);
      c.style.width = self.cssW + "px"; c.style.height = self.cssH + "px";
    });
    this.dpr = dpr;
    if (!this.moved) this.fit(); else this.draw();
  };

  Viewer.prototype.fit = function () {
    var pad = Math.min(24, 0.05 * Math.min(this.cssW, this.cssH));
    var L = Math.max(this.L, 1e-6);
    this.k = Math.min((this.cssW - 2 * pad) / L, (this.cssH - 2 * pad) / this.W);
    this.tx = (this.cssW - L * this.k) / 2; this.ty = (this.cssH - this.W * this.k) / 2;
    this.moved = false; this.draw();
  };

  Viewer.prototype.zoom = function (f, sx, sy) {
    var k = Math.min(Math.max(this.k * f, 1e-4), 200);
    f = k / this.k;
    this.tx = sx - (sx - this.tx) * f; this.ty = sy - (sy - this.ty) * f; this.k = k;
    this.moved = true; this.draw();
  };

  Viewer.prototype.modeIndex = function () {
    for (var j = 0; j < MODES.length; j++) if (MODES[j][0] === this.mode) return MODES[j][2];
    return 0;
  };

  Viewer.prototype.colourOf = function (i, light) { return colour(this.d.pieces[i].k[this.modeIndex()], light); };

  Viewer.prototype.draw = function () {
    var self = this;
    if (this.frame) return;
    this.frame = requestAnimationFrame(function () { self.frame = 0; self.drawBase(); self.drawOver(); });
  };

  Viewer.prototype.drawBase = function () {
    var t0 = performance.now();
    var c = this.base.getContext("2d"), d = this.d, W = this.W, L = this.L, k = this.k, dpr = this.dpr;
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.fillStyle = BG; c.fillRect(0, 0, this.cssW, this.cssH);
    c.setTransform(dpr * k, 0, 0, dpr * k, dpr * this.tx, dpr * this.ty);
    c.lineJoin = "round";
    c.fillStyle = FABRIC; c.fillRect(0, 0, L, W);
    if (d.margin > 0) {
      c.fillStyle = "rgba(120,120,120,0.12)";
      c.fillRect(0, 0, L, d.margin); c.fillRect(0, W - d.margin, L, d.margin);
    }
    if (this.wastePath) {
      c.fillStyle = this.hatch(c); c.fill(this.wastePath);
    }
    var m0 = this.toMarker(0, this.cssH), m1 = this.toMarker(this.cssW, 0), ps = d.pieces, match = this.match;
    var px = 1 / k, shown = [];
    for (var i = 0; i < ps.length; i++) {
      var b = ps[i].b;
      if (b[2] < m0[0] || b[0] > m1[0] || b[3] < m0[1] || b[1] > m1[1]) continue;
      shown.push(i);
      c.globalAlpha = match && !match[i] ? 0.25 : 1;
      c.fillStyle = this.colourOf(i, true); c.fill(this.paths[i].cut, "evenodd");
      c.lineWidth = px; c.strokeStyle = "#222"; c.stroke(this.paths[i].cut);
    }
    c.globalAlpha = 1;
    var styles = {notches: ["#000", 1.2], drills: ["#8a1c1c", 1], grain: ["#1a4f9c", 1], internal: ["#555", 1],
      sew: ["#7a7a7a", 1]};
    for (var name in styles) {
      if (!this.layers[name]) continue;
      c.strokeStyle = styles[name][0]; c.lineWidth = styles[name][1] * px;
      c.setLineDash(name === "internal" || name === "sew" ? [4 * px, 3 * px] : []);
      shown.forEach(function (i) { c.stroke(this.paths[i][name]); }, this);
    }
    c.setLineDash([]);
    if (match) {
      c.strokeStyle = "#d10f5b"; c.lineWidth = 3 * px;
      shown.forEach(function (i) { if (match[i]) c.stroke(this.paths[i].cut); }, this);
    }
    c.strokeStyle = "#555"; c.lineWidth = px; c.strokeRect(0, 0, L, W);
    c.strokeStyle = "#c00"; c.lineWidth = 2 * px;
    c.beginPath(); c.moveTo(L, 0); c.lineTo(L, W); c.stroke();
    if (this.layers.labels) this.drawLabels(c, shown);
    this.timings.draw = performance.now() - t0;
    if (!this.timings.firstDraw) this.timings.firstDraw = performance.now();
  };

  Viewer.prototype.hatch = function (c) {
    if (!this.pattern) {
      var h = document.createElement("canvas");
      h.width = h.height = 8;
      var g = h.getContext("2d");
      g.strokeStyle = "rgba(200,40,40,0.55)"; g.lineWidth = 1.2;
      g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(6, 10); g.lineTo(10, 6);
      g.stroke();
      this.pattern = c.createPattern(h, "repeat");
    }
    return this.pattern;
  };

  Viewer.prototype.drawLabels = function (c, shown) {
    var dpr = this.dpr, ps = this.d.pieces;
    c.fillStyle = "#111"; c.textAlign = "center"; c.textBaseline = "middle";
    shown.forEach(function (i) {
      var lb = ps[i].lb;
      if (!lb || lb[2] * this.k < 6) return;
      var size = lb[2] * this.k;
      var s = this.screenOf(lb[0], lb[1]);
      c.setTransform(dpr, 0, 0, dpr, dpr * s[0], dpr * s[1]);
      c.rotate(-lb[3] * Math.PI / 180);
      c.font = Math.min(size, 48).toFixed(1) + "px sans-serif";
      c.fillText(lb[4], 0, 0);
    }, this);
  };

  Viewer.prototype.drawOver = function () {
    var c = this.over.getContext("2d"), dpr = this.dpr, k = this.k;
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.clearRect(0, 0, this.cssW, this.cssH);
    c.setTransform(dpr * k, 0, 0, dpr * k, dpr * this.tx, dpr * this.ty);
    [[this.pinned, "#0b57d0"], [this.hover, "#111"]].forEach(function (h) {
      if (h[0] < 0) return;
      c.fillStyle = "rgba(255,255,255,0.35)"; c.fill(this.paths[h[0]].cut, "evenodd");
      c.strokeStyle = h[1]; c.lineWidth = 3 / k; c.stroke(this.paths[h[0]].cut);
    }, this);
    if (this.ruler) {
      var a = this.ruler[0], b = this.ruler[1];
      c.setTransform(dpr, 0, 0, dpr, 0, 0);
      var sa = this.screenOf(a[0], a[1]), sb = this.screenOf(b[0], b[1]);
      c.strokeStyle = "#d10f5b"; c.lineWidth = 2;
      c.beginPath(); c.moveTo(sa[0], sa[1]); c.lineTo(sb[0], sb[1]); c.stroke();
      [sa, sb].forEach(function (s) { c.beginPath(); c.arc(s[0], s[1], 4, 0, 2 * Math.PI); c.stroke(); });
    }
  };

  Viewer.prototype.show = function () {
    var i = this.hover >= 0 ? this.hover : this.pinned, info = this.info;
    var t0 = performance.now();
    if (i < 0) { info.hidden = true; info.removeAttribute("data-piece"); return; }
    var p = this.d.pieces[i], u = this.d.unit, b = p.b, self = this;
    function len(v) { return u === "mm" ? num(v, 0) + " mm" : num(v, 1) + " " + u; }
    var area = u === "mm" ? num(p.a / 100, 1) + " cm²" : num(p.a, 1) + " " + u + "²";
    var rows = [["name", "piece", p.n], ["size", "size", p.s || "—"], ["copy", "copy", p.c],
      ["order", "order", p.o || "—"], ["garment", "garment", p.bu || p.g || "—"],
      ["category", "category", p.cat || "—"], ["rotation", "rotation", num(p.r, 1) + "°"],
      ["mirrored", "mirrored", p.m ? "yes" : "no"], ["area", "area", area],
      ["place", "place", "x " + len(b[0]) + " – " + len(b[2]) + ", y " + len(b[1]) + " – " + len(b[3])],
      ["index", "marker #", String(i)]];
    info.textContent = "";
    var table = el("table", {}, rows.map(function (r) {
      return el("tr", {"data-k": r[0]}, [el("th", {text: r[1]}), el("td", {text: r[2]})]);
    }));
    var sw = el("span", {"class": "kv-swatch"});
    sw.style.background = this.colourOf(i, true);
    info.appendChild(el("div", {"class": "kv-info-head"}, [sw, document.createTextNode(p.n + (p.s ? " (" + p.s + ")" : ""))]));
    info.appendChild(table);
    info.classList.toggle("kv-info-right", this.pointerX !== undefined && this.pointerX < this.cssW / 2);
    info.hidden = false; info.setAttribute("data-piece", String(i));
    self.timings.info = performance.now() - t0;
  };

  // what is typed and what is drawn, compared alike: composed (NFC: a keyboard or a file may give
  // "á" as a + accent), without case, and Turkish dotted and dotless i as i ("KOL AĞZI" finds
  // "kol ağzı": JavaScript lowers I to i and İ to i + dot)
  function fold(s) {
    return (s || "").normalize("NFC").toLowerCase().replace(/i\u0307/g, "i").replace(/\u0131/g, "i");
  }

  Viewer.prototype.find = function (text) {
    var q = fold(text.trim()), ps = this.d.pieces;
    if (!q) { this.match = null; this.count.textContent = ""; this.draw(); return 0; }
    function fields(p) { return [p.n, p.s, p.o, p.g, p.bu, p.cat].map(fold); }
    var exact = ps.map(function (p) { return fields(p).indexOf(q) >= 0; });
    var any = exact.some(Boolean);
    var m = any ? exact : ps.map(function (p) {
      return [p.n, p.o, p.bu].some(function (f) { return fold(f).indexOf(q) >= 0; });
    });
    var n = m.filter(Boolean).length;
    this.match = Uint8Array.from(m.map(Number));
    this.count.textContent = n + (n === 1 ? " piece" : " pieces");
    this.count.setAttribute("data-count", String(n));
    this.draw();
    return n;
  };

  /* the pieces of legend entry i (by the colour key, so "—", the pieces with no order or
     category, finds them too: typed, it matched nothing and cleared the search) */
  Viewer.prototype.findKey = function (i, name) {
    var mi = this.modeIndex();
    this.search.value = name;
    var m = this.d.pieces.map(function (p) { return p.k[mi] === i ? 1 : 0; });
    var n = m.filter(Boolean).length;
    this.match = Uint8Array.from(m);
    this.count.textContent = n + (n === 1 ? " piece" : " pieces");
    this.count.setAttribute("data-count", String(n));
    this.draw();
    return n;
  };

  Viewer.prototype.legend = function () {
    var mi = this.modeIndex(), self = this;
    var names = this.d.keys[this.mode], counts = names.map(function () { return 0; });
    this.d.pieces.forEach(function (p) { counts[p.k[mi]]++; });
    this.keys.textContent = "";
    names.forEach(function (name, i) {
      var sw = el("span", {"class": "kv-swatch"});
      sw.style.background = colour(i, true);
      var b = el("button", {type: "button", "class": "kv-key", title: "search " + name}, [sw,
        document.createTextNode(name + " " + counts[i])]);
      b.addEventListener("click", function () { self.findKey(i, name); });
      self.keys.appendChild(b);
    });
  };

  Viewer.prototype.setRuler = function (on) {
    this.rulerOn = on; this.rulerBtn.setAttribute("aria-pressed", String(on));
    if (on) { this.hover = -1; this.show(); }
    this.root.classList.toggle("kv-measuring", on);
    if (!on) { this.ruler = null; this.rulerOut.textContent = ""; }
    this.draw();
  };

  Viewer.prototype.measure = function () {
    var a = this.ruler[0], b = this.ruler[1], dx = b[0] - a[0], dy = b[1] - a[1], u = this.d.unit;
    var dist = Math.sqrt(dx * dx + dy * dy);
    this.rulerOut.setAttribute("data-mm", dist.toFixed(2));
    this.rulerOut.textContent = "ruler " + num(dist, 1) + " " + u + " (Δx " + num(Math.abs(dx), 1) + ", Δy " +
      num(Math.abs(dy), 1) + ")";
  };

  /* select piece i (e.g. from a pick list) and bring it into view */
  Viewer.prototype.focusPiece = function (i) {
    var b = this.d.pieces[i].b, cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2;
    var s = this.screenOf(cx, cy);
    this.tx += this.cssW / 2 - s[0]; this.ty += this.cssH / 2 - s[1];
    this.moved = true; this.pinned = i; this.hover = -1; this.show(); this.draw();
    this.root.scrollIntoView({block: "nearest"});
  };

  Viewer.prototype.events = function () {
    var self = this, cv = this.over, pts = {}, start = null, pinch = null;
    function pos(e) { var r = cv.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
    cv.addEventListener("wheel", function (e) {
      e.preventDefault();
      var p = pos(e), f = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      self.zoom(f, p[0], p[1]);
    }, {passive: false});
    cv.addEventListener("pointerdown", function (e) {
      cv.setPointerCapture(e.pointerId);
      pts[e.pointerId] = pos(e);
      var ids = Object.keys(pts);
      if (ids.length === 2) {
        var a = pts[ids[0]], b = pts[ids[1]];
        pinch = {d: Math.hypot(a[0] - b[0], a[1] - b[1]), k: self.k}; start = null; return;
      }
      start = {p: pos(e), tx: self.tx, ty: self.ty, moved: false};
      if (self.rulerOn) { var m = self.toMarker(start.p[0], start.p[1]); self.ruler = [m, m]; self.measure(); self.draw(); }
    });
    cv.addEventListener("pointermove", function (e) {
      var p = pos(e);
      self.pointerX = p[0];  /* the facts go to the other side of the drawing */
      if (pts[e.pointerId]) pts[e.pointerId] = p;
      var ids = Object.keys(pts);
      if (pinch && ids.length === 2) {
        var a = pts[ids[0]], b = pts[ids[1]], d = Math.hypot(a[0] - b[0], a[1] - b[1]);
        self.zoom(pinch.k * d / Math.max(pinch.d, 1) / self.k, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2); return;
      }
      if (start) {
        var dx = p[0] - start.p[0], dy = p[1] - start.p[1];
        if (Math.abs(dx) + Math.abs(dy) > 4) start.moved = true;
        if (self.rulerOn) { self.ruler[1] = self.toMarker(p[0], p[1]); self.measure(); self.draw(); return; }
        if (start.moved) { self.tx = start.tx + dx; self.ty = start.ty + dy; self.moved = true; self.draw(); }
        return;
      }
      if (e.pointerType === "mouse" && !self.rulerOn) {  /* measuring: no piece facts in the way */
        var t0 = performance.now(), m = self.toMarker(p[0], p[1]), i = self.hit(m[0], m[1]);
        if (i !== self.hover) { self.hover = i; self.show(); self.draw(); }
        self.timings.hover = performance.now() - t0;
      }
    });
    function up(e) {
      delete pts[e.pointerId];
      if (Object.keys(pts).length < 2) pinch = null;
      if (start && !start.moved && !self.rulerOn) {
        var m = self.toMarker(start.p[0], start.p[1]), i = self.hit(m[0], m[1]);
        self.pinned = i === self.pinned ? -1 : i;
        if (e.pointerType !== "mouse") self.hover = -1;
        self.show(); self.draw();
      }
      start = null;
    }
    cv.addEventListener("pointerup", up);
    cv.addEventListener("pointercancel", up);
    cv.addEventListener("pointerleave", function (e) {
      if (e.pointerType === "mouse" && self.hover >= 0) { self.hover = -1; self.show(); self.draw(); }
    });
    cv.addEventListener("dblclick", function (e) { var p = pos(e); self.zoom(2, p[0], p[1]); });
    cv.addEventListener("keydown", function (e) {
      if (e.key === "f") self.fit();
      else if (e.key === "+" || e.key === "=") self.zoom(1.25, self.cssW / 2, self.cssH / 2);
      else if (e.key === "-") self.zoom(0.8, self.cssW / 2, self.cssH / 2);
      else if (e.key === "Escape") { self.setRuler(false); self.pinned = -1; self.show(); self.draw(); }
    });
    this.search.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { self.search.value = ""; self.find(""); }
    });
  };

  function mountAll() {
    var list = [];
    document.querySelectorAll(".kv[data-src]").forEach(function (root) {
      var src = document.getElementById(root.getAttribute("data-src"));
      try {
        list.push(new Viewer(root, JSON.parse(src.textContent)));
      } catch (err) {
        root.textContent = "cannot show this marker: " + err;
        throw err;
      }
    });
    return list;
  }

  function pickRow(e) {  /* pick list rows: show the piece on its marker (a click, Enter or Space) */
    var row = e.target.closest ? e.target.closest("[data-kv-piece]") : null;
    if (!row) return;
    if (e.type === "keydown") {
      if (e.key !== "Enter" && e.key !== " ") return;
      e.preventDefault();
    }
    var v = window.kitcut.viewers[Number(row.getAttribute("data-kv-viewer"))];
    if (v) v.focusPiece(Number(row.getAttribute("data-kv-piece")));
  }
  document.addEventListener("click", pickRow);
  document.addEventListener("keydown", pickRow);

  window.kitcut = {Viewer: Viewer, viewers: mountAll()};
})();
