// kehoach review report: sortable tables, values highlighted in the text and on the page
// images, and the reviewer's corrections of words, exported as corrected lines for
// `kehoach train`. No library, no network: works from file://.
(function () {
  "use strict";
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var textBox = $("#text");
  var main = $("main.doc");

  // Sortable tables: numbers as numbers, the rest in Vietnamese order.
  $$("table.sortable").forEach(function (table) {
    $$("thead th", table).forEach(function (th, col) {
      th.addEventListener("click", function () {
        var asc = !th.classList.contains("asc");
        $$("thead th", table).forEach(function (h) { h.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        var body = table.tBodies[0];
        var key = function (tr) {
          var td = tr.cells[col];
          return td ? (td.hasAttribute("data-v") ? td.getAttribute("data-v") : td.textContent.trim()) : "";
        };
        var rows = Array.prototype.slice.call(body.rows);
        var numeric = rows.every(function (r) { var k = key(r); return k === "" || !isNaN(+k); });
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = numeric ? (+x || 0) - (+y || 0) : x.localeCompare(y, "vi");
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  if (!textBox) return;

  var pieces = $$("[data-s]", textBox);
  var chars = Array.from(pieces.map(function (p) { return p.textContent; }).join(""));

  // Highlight the item's span in the text and outline the image of its page.
  function highlight(el, scroll) {
    $$(".hl", textBox).forEach(function (p) { p.classList.remove("hl"); });
    $$(".item.active").forEach(function (i) { i.classList.remove("active"); });
    $$("figure.hl-page").forEach(function (f) { f.classList.remove("hl-page"); });
    var span = (el.getAttribute("data-span") || "").split(",").map(Number);
    if (span.length !== 2) return;
    el.classList.add("active");
    var first = null;
    pieces.forEach(function (p) {
      var s = +p.getAttribute("data-s");
      if (s >= span[0] && s < span[1]) {
        p.classList.add("hl");
        first = first || p;
      }
    });
    var fig = $("#page-" + el.getAttribute("data-page"));
    if (fig) fig.classList.add("hl-page");
    if (scroll) {
      if (first) scrollWithin(textBox.parentNode, first);
      if (fig) scrollWithin($("#pages"), fig);
    }
  }
  function scrollWithin(box, el) {
    if (!box) return;
    var top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }
  $$(".item").forEach(function (el) {
    el.addEventListener("mouseenter", function () { highlight(el, false); });
    el.addEventListener("focus", function () { highlight(el, true); });
    el.addEventListener("click", function (ev) {
      ev.stopPropagation();
      highlight(el, true);
      if (el.id && history.replaceState) history.replaceState(null, "", "#" + el.id);
    });
  });
  // A click on a page image gives the pages half the screen (the tables' column folds away);
  // another click gives it back.
  $$("figure.page img").forEach(function (img) {
    img.addEventListener("click", function () {
      main.classList.toggle("zoomed");
      scrollWithin($("#pages"), img.parentNode);
    });
  });

  // Corrections: {s, e, from, to} in chars of the text, kept in the browser per document.
  var key = "kehoach-fix:" + (main ? main.getAttribute("data-doc") : "");
  var fixes = [];
  try { fixes = JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { fixes = []; }
  function save() { try { localStorage.setItem(key, JSON.stringify(fixes)); } catch (e) { /* private mode */ } }
  function addFix(s, e, to) {
    var from = chars.slice(s, e).join("");
    fixes = fixes.filter(function (f) { return f.e <= s || f.s >= e; });
    if (to && to !== from) fixes.push({ s: s, e: e, from: from, to: to });
    fixes.sort(function (a, b) { return a.s - b.s; });
    save();
    showFixes();
  }
  // Every line holding a correction, with all of its line's corrections applied.
  function correctedLines() {
    var lines = {};
    fixes.forEach(function (f) {
      var a = f.s, b = f.e;
      while (a > 0 && chars[a - 1] !== "\n") a--;
      while (b < chars.length && chars[b] !== "\n") b++;
      lines[a] = lines[a] || { a: a, b: b, fixes: [] };
      lines[a].fixes.push(f);
    });
    return Object.keys(lines).map(Number).sort(function (x, y) { return x - y; }).map(function (a) {
      var l = lines[a], out = chars.slice(l.a, l.b);
      l.fixes.sort(function (x, y) { return y.s - x.s; }).forEach(function (f) {
        out.splice(f.s - l.a, f.e - f.s, f.to);
      });
      return out.join("").trim();
    });
  }
  function showFixes() {
    var list = $("#fix-list");
    list.innerHTML = "";
    fixes.forEach(function (f, i) {
      var li = document.createElement("li");
      li.textContent = f.from + " → " + f.to + " ";
      li.setAttribute("data-span", f.s + "," + f.e);
      var x = document.createElement("button");
      x.type = "button"; x.textContent = "×"; x.title = "bỏ";
      x.addEventListener("click", function () { fixes.splice(i, 1); save(); showFixes(); });
      li.appendChild(x);
      list.appendChild(li);
    });
    $("#fix-count").textContent = fixes.length;
    var lines = correctedLines();
    $("#corrections-out").textContent = lines.length ? lines.join("\n") + "\n" : "";
    $$("mark.unc", textBox).forEach(function (m) {
      var w = m.getAttribute("data-w").split(",").map(Number);
      m.classList.toggle("fixed", fixes.some(function (f) { return f.s === w[0] && f.e === w[1]; }));
    });
  }

  var dialog = $("#fix"), input = $("#fix-input"), current = null;
  function openFix(s, e, alts, info, near) {
    current = { s: s, e: e };
    var word = chars.slice(s, e).join("");
    $("#fix-word").textContent = word;
    $("#fix-info").textContent = info || "";
    var box = $("#fix-alts");
    box.innerHTML = "";
    alts.forEach(function (a) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "alt"; b.textContent = a;
      b.addEventListener("click", function () { input.value = a; input.focus(); });
      box.appendChild(b);
    });
    var fixed = fixes.filter(function (f) { return f.s === s && f.e === e; })[0];
    input.value = fixed ? fixed.to : word;
    var r = near.getBoundingClientRect();
    dialog.style.left = Math.min(r.left, window.innerWidth - 320) + "px";
    dialog.style.top = Math.min(r.bottom + 6, window.innerHeight - 120) + "px";
    dialog.hidden = false;
    input.focus();
  }
  $("#fix-save").addEventListener("click", function () {
    if (current) addFix(current.s, current.e, input.value.trim());
    dialog.hidden = true;
  });
  $("#fix-cancel").addEventListener("click", function () { dialog.hidden = true; });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") $("#fix-save").click();
    if (ev.key === "Escape") dialog.hidden = true;
  });
  $$("mark.unc", textBox).forEach(function (m) {
    m.addEventListener("click", function () {
      var w = m.getAttribute("data-w").split(",").map(Number);
      var alts = [m.getAttribute("data-restored"), m.getAttribute("data-original")]
        .concat((m.getAttribute("data-alts") || "").split("|"))
        .filter(function (a, i, all) { return a && all.indexOf(a) === i; });
      openFix(w[0], w[1], alts, m.title, m);
    });
  });
  textBox.addEventListener("dblclick", function (ev) {
    var sel = window.getSelection();
    if (!sel || !sel.rangeCount || ev.target.closest("mark.unc")) return;
    var range = sel.getRangeAt(0), node = range.startContainer;
    var piece = node.parentNode && node.parentNode.closest("[data-s]");
    var raw = sel.toString(), word = raw.trim();
    if (!piece || !word || /\s/.test(word)) return;
    var lead = Array.from(raw).length - Array.from(raw.replace(/^\s+/, "")).length;
    var s = +piece.getAttribute("data-s") + Array.from(node.data.slice(0, range.startOffset)).length + lead;
    openFix(s, s + Array.from(word).length, [], "", piece);
  });
  $("#fix-export").addEventListener("click", function () {
    var blob = new Blob([$("#corrections-out").textContent], { type: "text/plain;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "corrections-" + (main ? main.getAttribute("data-doc") : "document") + ".txt";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });
  $("#fix-clear").addEventListener("click", function () { fixes = []; save(); showFixes(); });

  // The fragment names an item to highlight (`#task-3`, also `#task=3`) and may carry
  // corrections (`&fix=120-125:Sổ`), so that a link shows a colleague what to look at.
  function fromHash() {
    decodeURIComponent(location.hash.replace(/^#/, "")).split("&").forEach(function (part) {
      var m = /^fix=(\d+)-(\d+):(.+)$/.exec(part);
      if (m) { addFix(+m[1], +m[2], m[3]); return; }
      var el = part && document.getElementById(part.replace("=", "-"));
      if (el) highlight(el, true);
    });
  }
  showFixes();
  fromHash();
  window.addEventListener("hashchange", fromHash);
})();
