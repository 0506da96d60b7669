/* Catalogue filters: progressive enhancement over the plain HTML list (sangkien). */
(function () {
  "use strict";
  var form = document.getElementById("sk-filters");
  var list = document.getElementById("sk-catalogue");
  if (!form || !list) return;
  var items = Array.prototype.slice.call(list.children);
  var facets = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var sorter = form.querySelector("select[data-sort]");
  var count = document.getElementById("sk-count");
  var empty = document.getElementById("sk-empty");

  function num(item, key) {
    var v = parseFloat(item.getAttribute(key));
    return isNaN(v) ? -Infinity : v;
  }

  var orders = {
    "moi-nhat": function (a, b) { return num(a, "data-pos") - num(b, "data-pos"); },
    "cu-nhat": function (a, b) {
      var x = a.getAttribute("data-date"), y = b.getAttribute("data-date");
      return x === y ? num(a, "data-pos") - num(b, "data-pos") : (x < y ? -1 : 1);
    },
    "ket-qua": function (a, b) { return (num(b, "data-gain") - num(a, "data-gain")) || (num(a, "data-pos") - num(b, "data-pos")); },
    "nhan-rong": function (a, b) { return (num(b, "data-reps") - num(a, "data-reps")) || (num(a, "data-pos") - num(b, "data-pos")); }
  };

  function apply(push) {
    var shown = 0;
    items.forEach(function (item) {
      var ok = facets.every(function (sel) {
        if (!sel.value) return true;
        var have = (item.getAttribute("data-f-" + sel.getAttribute("data-facet")) || "").split(" ");
        return have.indexOf(sel.value) !== -1;
      });
      item.hidden = !ok;
      if (ok) shown++;
    });
    var order = orders[sorter.value] || orders["moi-nhat"];
    items.slice().sort(order).forEach(function (item) { list.appendChild(item); });
    count.textContent = shown === items.length
      ? items.length + " sáng kiến."
      : "Đang hiện " + shown + " trên " + items.length + " sáng kiến.";
    if (empty) empty.hidden = shown !== 0;
    if (push && window.history && window.history.replaceState) {
      var params = new URLSearchParams();
      facets.concat([sorter]).forEach(function (sel) {
        if (sel.value && !(sel === sorter && sel.value === "moi-nhat")) params.set(sel.name, sel.value);
      });
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    }
  }

  var start = new URLSearchParams(window.location.search);
  facets.concat([sorter]).forEach(function (sel) {
    var wanted = start.get(sel.name);
    if (wanted && sel.querySelector('option[value="' + wanted.replace(/["\\]/g, "") + '"]')) sel.value = wanted;
  });
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("reset", function () { window.setTimeout(function () { apply(true); }, 0); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  form.hidden = false;
  apply(false);
})();
