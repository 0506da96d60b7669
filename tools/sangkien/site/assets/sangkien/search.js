/* Vietnamese search for the sangkien catalogue. No library, no third-party request.
 *
 * The index is built by sangkien/site/search.py (see dev/search-design.md); this file is the
 * twin of its IndexReader: same words, same fold, same ranking. Change both together.
 *   fold: lower case, NFD, strip U+0300-U+036F, đ -> d (sangkien.textnorm.fold); the search key
 *   also spells a final y after consonants as i (kỹ = kĩ), as search.tokens does.
 *   query: every word must match (AND); a last word that is not a whole indexed word matches as
 *   a prefix; ranking = exact spelling first, then title matches, whole words, summary matches.
 *   A common key (in m.common) is a bitmap of the docs holding it, which filters, and the postings
 *   of its title spellings (when small enough), which rank.
 */
(function () {
  "use strict";

  var TITLE = 1, SUMMARY = 2;
  var script = document.currentScript;
  var BASE = new URL("../../", script ? script.src : location.href).href; // site root
  var INDEX = BASE + "tim-kiem/chi-muc/";

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d");
  }

  // search key = fold, then a consonant(s) + "y" syllable spelt with "i" (kỹ/kĩ, lý/lí, quý/quí)
  var Y_FINAL = /^(b|c|ch|d|g|gh|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)y$/;

  function key(word) { return fold(word).replace(Y_FINAL, "$1i"); }

  function tokens(text) {
    var words = text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
    return words.map(function (w) { return [w, key(w)]; });
  }

  var MAX_WORDS = 8; // = search.MAX_WORDS: bounds what a first query fetches

  function allWords(text) {
    var seen = {}, out = [];
    tokens(text).forEach(function (t) {
      if (!Object.prototype.hasOwnProperty.call(seen, t[1])) { seen[t[1]] = true; out.push(t); }
    });
    return out;
  }

  function queryWords(text) { return allWords(text).slice(0, MAX_WORDS); }

  // ------------------------------------------------------------ fetching, cached per page
  var cache = {};
  var manifestPromise = null;
  var fetched = []; // index files requested, for tests and the benchmark

  function getJSON(name, version) {
    if (!cache[name]) {
      fetched.push(name);
      var url = INDEX + name + (version ? "?v=" + version : "");
      cache[name] = fetch(url, version ? {} : { cache: "no-cache" }).then(function (r) {
        if (!r.ok) { throw new Error(name + ": " + r.status); }
        return r.json();
      });
      cache[name].catch(function () { delete cache[name]; });
    }
    return cache[name];
  }

  function manifest() {
    if (!manifestPromise) {
      manifestPromise = getJSON("manifest.json", null);
      manifestPromise.catch(function () { manifestPromise = null; });
    }
    return manifestPromise;
  }

  function shardOf(bounds, key) {
    var lo = 0, hi = bounds.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (bounds[mid] <= key) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function merge(found) {
    var out = new Map();
    found.forEach(function (f) {
      var forms = f[1], wanted = f[2], prefix = f[3];
      forms.forEach(function (pair) {
        var spelling = pair[0], values = pair[1];
        var exact = (prefix ? spelling.indexOf(wanted) === 0 : spelling === wanted) ? 1 : 0;
        var doc = 0;
        for (var i = 0; i < values.length; i++) {
          var v = values[i];
          doc += Math.floor(v / 8);
          var old = out.get(doc) || [0, 0, 0];
          out.set(doc, [Math.max(old[0], exact), old[1] | (v % 8), Math.max(old[2], prefix ? 0 : 1)]);
        }
      });
    });
    return out;
  }

  // index of a common key in the sorted list m.common (its bitmap is b/<index>.json), else -1
  function lowerBound(list, key) {
    var lo = 0, hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid] < key) { lo = mid + 1; } else { hi = mid; } }
    return lo;
  }

  // a common key: every doc whose bit is set matches; those with the key in their title rank as
  // a shard's postings do (file = [bitmap in base64, title postings]); the others rank by nothing
  function bitmap(m, n, form, prefix, out) {
    return getJSON("b/" + n + ".json", m.build).then(function (file) {
      var ranked = merge([["", file[1], form, prefix]]);
      var bytes = atob(file[0]);
      for (var i = 0; i < bytes.length; i++) {
        var byte = bytes.charCodeAt(i);
        if (!byte) { continue; }
        for (var b = 0; b < 8; b++) {
          if (!((byte >> b) & 1)) { continue; }
          var d = i * 8 + b, hit = ranked.get(d) || [0, 0, prefix ? 0 : 1], old = out.get(d) || [0, 0, 0];
          out.set(d, [Math.max(old[0], hit[0]), old[1] | hit[1], Math.max(old[2], hit[2])]);
        }
      }
      return out;
    });
  }

  function matches(m, form, key, last) {
    var common = m.common;
    var c = lowerBound(common, key);
    if (c < common.length && common[c] === key) { return bitmap(m, c, form, false, new Map()); }
    var bounds = m.shards;
    var n = shardOf(bounds, key);
    var first = n >= 0 ? getJSON("t/" + n + ".json", m.build) : Promise.resolve({});
    return first.then(function (shard) {
      if (Object.prototype.hasOwnProperty.call(shard, key)) { return merge([[key, shard[key], form, false]]); }
      if (!last || key.length < 2) { return new Map(); }
      var start = Math.max(n, 0), end = start;
      while (end + 1 < bounds.length && bounds[end + 1].indexOf(key) === 0) { end++; }
      var cEnd = c;
      while (cEnd < common.length && common[cEnd].indexOf(key) === 0) { cEnd++; }
      if (end - start + 1 > m.prefix_shards || cEnd - c > m.prefix_common) { return new Map(); }
      var wanted = [];
      for (var s = start; s <= end; s++) { wanted.push(getJSON("t/" + s + ".json", m.build)); }
      return Promise.all(wanted).then(function (shards) {
        var found = [];
        shards.forEach(function (sh) {
          Object.keys(sh).forEach(function (k) { if (k.indexOf(key) === 0) { found.push([k, sh[k], form, true]); } });
        });
        var out = merge(found), chain = Promise.resolve(out);
        for (var b = c; b < cEnd; b++) { chain = chain.then(bitmap.bind(null, m, b, form, true, out)); }
        return chain;
      });
    });
  }

  // -> Promise of {docs: [doc numbers, best first], manifest}
  function query(text) {
    return manifest().then(function (m) {
      var words = queryWords(text);
      if (!words.length || !(m.shards.length || m.common.length)) { return { docs: [], manifest: m }; }
      // fetch in parallel, combine in query order (AND)
      return Promise.all(words.map(function (w, i) { return matches(m, w[0], w[1], i === words.length - 1); })).then(function (all) {
        var hits = null;
        all.forEach(function (found) {
          if (hits === null) {
            hits = new Map();
            found.forEach(function (_v, d) { hits.set(d, { doc: d, exact: 0, title: 0, full: 0, summary: 0 }); });
          } else {
            hits.forEach(function (_h, d) { if (!found.has(d)) { hits.delete(d); } });
          }
          found.forEach(function (v, d) {
            var h = hits.get(d);
            if (!h) { return; }
            h.exact += v[0];
            h.title += (v[1] & TITLE) ? 1 : 0;
            h.summary += (v[1] & SUMMARY) ? 1 : 0;
            h.full += v[2];
          });
        });
        var ranked = Array.from(hits.values()).sort(function (a, b) {
          return (b.exact - a.exact) || (b.title - a.title) || (b.full - a.full) || (b.summary - a.summary) || (a.doc - b.doc);
        });
        return { docs: ranked.map(function (h) { return h.doc; }), manifest: m };
      });
    });
  }

  function records(m, docs) {
    var names = [];
    docs.forEach(function (d) {
      var name = "d/" + Math.floor(d / m.chunk) + ".json";
      if (names.indexOf(name) < 0) { names.push(name); }
    });
    return Promise.all(names.map(function (n) { return getJSON(n, m.build); })).then(function () {
      return Promise.all(docs.map(function (d) {
        return getJSON("d/" + Math.floor(d / m.chunk) + ".json", m.build).then(function (rows) { return rows[d % m.chunk]; });
      }));
    });
  }

  // ------------------------------------------------------------ the page
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  function render(list, rows) {
    rows.forEach(function (row) {
      var li = el("li", "sk-hit");
      var a = el("a", "sk-hit-title", row[0]);
      // national mode: a harvested initiative links to its page at its source (a plain link, never fetched)
      if (/^https?:\/\//i.test(row[1])) { a.href = row[1]; a.rel = "nofollow noopener"; } else { a.href = BASE + row[1]; }
      li.appendChild(a);
      if (row[6]) { li.appendChild(el("span", "sk-badge", "Bài minh họa")); }
      var meta = [row[2], row[3], row[4] ? "công nhận năm " + row[4] : ""].filter(Boolean).join(" · ");
      if (meta) { li.appendChild(el("div", "sk-hit-meta", meta)); }
      if (row[5]) { li.appendChild(el("p", "sk-hit-summary", row[5])); }
      list.appendChild(li);
    });
  }

  function addStyle() {
    if (document.querySelector("link[data-sk-search]")) { return; }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = BASE + "assets/sangkien/search.css";
    link.setAttribute("data-sk-search", "");
    document.head.appendChild(link);
  }

  function init() {
    var form = document.getElementById("sk-search");
    if (!form || form.getAttribute("data-ready")) { return; }
    form.setAttribute("data-ready", "1");
    addStyle();
    var input = document.getElementById("sk-q");
    var status = document.getElementById("sk-status");
    var list = document.getElementById("sk-results");
    var more = document.getElementById("sk-more");
    var current = { text: null, docs: [], shown: 0, manifest: null, run: 0 };

    function showMore() {
      var m = current.manifest, run = current.run;
      var next = current.docs.slice(current.shown, current.shown + m.page);
      return records(m, next).then(function (rows) {
        if (run !== current.run) { return; }
        render(list, rows);
        current.shown += next.length;
        more.hidden = current.shown >= current.docs.length;
      });
    }

    function run(text) {
      text = text.trim();
      if (text === current.text) { return Promise.resolve(); }
      current.text = text;
      var runId = ++current.run;
      list.textContent = "";
      more.hidden = true;
      if (!queryWords(text).length) {
        status.textContent = text ? "Hãy gõ ít nhất một chữ hoặc số." : "";
        form.setAttribute("data-done", String(runId));
        return Promise.resolve();
      }
      status.textContent = "Đang tìm…";
      return query(text).then(function (res) {
        if (runId !== current.run) { return; }
        current.docs = res.docs;
        current.shown = 0;
        current.manifest = res.manifest;
        if (!res.docs.length) {
          status.textContent = "Không tìm thấy sáng kiến nào chứa tất cả các từ «" + text + "». Hãy thử bớt từ, kiểm tra chính tả hoặc gõ không dấu.";
          return;
        }
        var cut = allWords(text).length > MAX_WORDS ? " Chỉ dùng " + MAX_WORDS + " từ đầu tiên." : "";
        status.textContent = "Tìm thấy " + res.docs.length + " sáng kiến cho «" + text + "»." + cut;
        return showMore();
      }).catch(function () {
        if (runId === current.run) {
          status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy kiểm tra kết nối rồi tải lại trang.";
        }
      }).then(function () {
        if (runId === current.run) { form.setAttribute("data-done", String(runId)); }
      });
    }

    function remember(text) {
      var url = new URL(location.href);
      if (text.trim()) { url.searchParams.set("q", text.trim()); } else { url.searchParams.delete("q"); }
      history.replaceState(history.state, "", url.href);
    }

    var timer = null;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      remember(input.value);
      run(input.value);
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { remember(input.value); run(input.value); }, 300);
    });
    more.addEventListener("click", function () { showMore(); });

    var q = new URL(location.href).searchParams.get("q");
    if (q) { input.value = q; run(q); }
  }

  window.sangkienSearch = { fold: fold, tokens: tokens, query: query, records: records, fetched: fetched, maxWords: MAX_WORDS };

  // init() runs once per page; Material's instant navigation swaps pages without reloading
  // scripts, so also follow its document$ when it exists.
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { init(); });
  }
})();
