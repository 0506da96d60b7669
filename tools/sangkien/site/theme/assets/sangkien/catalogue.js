/* Catalogue filters (sangkien): progressive enhancement over the plain HTML list.
   Small catalogue: every item is in the page with data-f-* facets; filter and sort in place.
   Paged catalogue (list has data-source): the first filter fetches danh-muc.json and the list
   shows the matching rows, SHOW at a time. Text goes in with textContent, never as HTML. */
(function () {
  "use strict";
  var form = document.getElementById("sk-filters");
  var list = document.getElementById("sk-catalogue");
  if (!form || !list) return;
  var SHOW = 100;
  var facets = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var sorter = form.querySelector("select[data-sort]");
  var count = document.getElementById("sk-count");
  var empty = document.getElementById("sk-empty");
  var pager = document.getElementById("sk-pager");
  var moreBox = document.getElementById("sk-more-box");
  var more = document.getElementById("sk-more");
  var source = list.getAttribute("data-source");
  var original = Array.prototype.slice.call(list.children);
  var initialCount = count.textContent;
  var rows = null, shown = SHOW, matches = [];

  function key(v) { return v === null || v === undefined || v === "" || isNaN(v) ? -Infinity : +v; }
  function attr(el, name) { return el.getAttribute(name); }

  // The same four orders for DOM items and JSON rows; `pos` is the newest-first position.
  function compare(get) {
    var byPos = function (a, b) { return get(a, "pos") - get(b, "pos"); };
    return {
      "moi-nhat": byPos,
      "cu-nhat": function (a, b) {
        var x = get(a, "date"), y = get(b, "date");
        return x === y ? byPos(a, b) : (x < y ? -1 : 1);
      },
      "ket-qua": function (a, b) { return (key(get(b, "gain")) - key(get(a, "gain"))) || byPos(a, b); },
      "nhan-rong": function (a, b) { return (key(get(b, "reps")) - key(get(a, "reps"))) || byPos(a, b); }
    };
  }
  var domOrders = compare(function (el, k) {
    var v = attr(el, "data-" + k);
    return k === "date" ? v : (k === "pos" ? +v : (v === "" ? null : parseFloat(v)));
  });
  var rowOrders = compare(function (row, k) {
    return { pos: row._pos, date: row.d, gain: row.g, reps: row.r }[k];
  });

  function chosen() {
    return facets.filter(function (s) { return s.value; }).map(function (s) {
      return [s.getAttribute("data-facet"), s.value];
    });
  }

  function say(n, total) {
    count.textContent = n === total ? total + " sáng kiến." : "Đang hiện " + n + " trên " + total + " sáng kiến.";
    if (empty) empty.hidden = n !== 0;
  }

  function remember() {
    if (!window.history || !window.history.replaceState) return;
    var params = new URLSearchParams();
    facets.concat([sorter]).forEach(function (sel) {
      if (sel.value && !(sel === sorter && sel.value === "moi-nhat")) params.set(sel.name, sel.value);
    });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  function applyDom() {
    var want = chosen(), n = 0;
    original.forEach(function (item) {
      var ok = want.every(function (pair) {
        return (attr(item, "data-f-" + pair[0]) || "").split(" ").indexOf(pair[1]) !== -1;
      });
      item.hidden = !ok;
      if (ok) n++;
    });
    original.slice().sort(domOrders[sorter.value] || domOrders["moi-nhat"]).forEach(function (item) { list.appendChild(item); });
    say(n, original.length);
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function card(row) {
    var li = el("li", "sk-item");
    var h = el("h3", "sk-item__title");
    var a = el("a", "", row.t);
    a.href = encodeURIComponent(row.i) + "/";
    h.appendChild(a);
    li.appendChild(h);
    var bits = [row.u, row.n ? "QĐ " + row.n + " (" + row.dv + ")" : "", row.l, row.r ? row.r + " đơn vị nhân rộng" : ""];
    var meta = el("p", "sk-item__meta", bits.filter(Boolean).join(" · ") + " ");
    if (row.m) meta.appendChild(el("span", "sk-badge sk-badge--demo", "Minh họa"));
    li.appendChild(meta);
    li.appendChild(el("p", "sk-item__summary", row.s));
    if (row.h) {
      var ul = el("ul", "sk-results sk-results--one");
      ul.appendChild(el("li", "", row.h));
      li.appendChild(ul);
    }
    return li;
  }

  function drawRows() {
    list.textContent = "";
    matches.slice(0, shown).forEach(function (row) { list.appendChild(card(row)); });
    moreBox.hidden = matches.length <= shown;
    say(matches.length, rows.length);
  }

  function applyRows() {
    var want = chosen();
    var pristine = !want.length && (sorter.value || "moi-nhat") === "moi-nhat";
    if (pristine) {  // back to the page as served, with its pager
      list.textContent = "";
      original.forEach(function (item) { list.appendChild(item); });
      if (pager) pager.hidden = false;
      moreBox.hidden = true;
      count.textContent = initialCount;
      if (empty) empty.hidden = true;
      return;
    }
    matches = rows.filter(function (row) {
      return want.every(function (pair) { return (row.f[pair[0]] || []).indexOf(pair[1]) !== -1; });
    }).sort(rowOrders[sorter.value] || rowOrders["moi-nhat"]);
    shown = SHOW;
    if (pager) pager.hidden = true;
    drawRows();
  }

  function apply(push) {
    if (!source) {
      applyDom();
    } else if (rows) {
      applyRows();
    } else if (chosen().length || sorter.value !== "moi-nhat") {
      count.textContent = "Đang tải danh mục…";
      fetch(source).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (data) {
        rows = data.items;
        rows.forEach(function (row, i) { row._pos = i; });
        applyRows();
      }).catch(function () {
        count.textContent = "Không tải được danh mục để lọc; hãy xem theo từng trang bên dưới.";
      });
    }
    if (push) remember();
  }

  var start = new URLSearchParams(window.location.search);
  facets.concat([sorter]).forEach(function (sel) {
    var wanted = start.get(sel.name);
    if (!wanted) return;
    for (var i = 0; i < sel.options.length; i++) {
      if (sel.options[i].value === wanted) sel.value = wanted;
    }
  });
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("reset", function () { window.setTimeout(function () { apply(true); }, 0); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  if (more) more.addEventListener("click", function () { shown += SHOW; drawRows(); });
  form.hidden = false;
  apply(false);
})();
