// prospector report: sort, filter and page the opportunities table from the embedded JSON,
// and copy drafts. Every value goes into the page as text (textContent), never as HTML, and
// only http(s) URLs become links. No network, no framework.
(function () {
  "use strict";
  var PAGE = 100;
  var data = JSON.parse(document.getElementById("opp-data").textContent);
  var fields = data.fields, all = data.rows.map(function (row) {
    var o = {}; fields.forEach(function (f, i) { o[f] = row[i]; }); return o;
  });
  var table = document.getElementById("opp-table"), body = table.tBodies[0];
  var state = { sort: "priority", dir: -1, page: 0, rows: all };
  var text = document.getElementById("f-text"), minConf = document.getElementById("f-confidence");
  var selects = Array.prototype.slice.call(document.querySelectorAll("#filters select"));

  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (content !== undefined && content !== null && content !== "") node.textContent = String(content);
    return node;
  }
  function web(url) { return /^https?:\/\//i.test(String(url || "").trim()); }
  function link(url, label) {
    if (!web(url)) return el("span", "", label || url);
    var a = el("a", "", label || url); a.href = String(url).trim(); return a;
  }
  var labels = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent.trim(); });
  var verdictHelp = JSON.parse(document.getElementById("verdict-help").textContent);
  function cell(children, cls) {
    var td = el("td", cls || "");
    children.forEach(function (c) { if (c) td.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return td;
  }
  function row(o) {
    var page = el("div", "sub"); page.appendChild(link(o.page_url, o.page_title || o.page_url));
    var why = el("div", "sub", o.reason + (o.archived_title ? " · once “" + o.archived_title + "”" : ""));
    var badge = el("span", "v " + o.verdict, o.verdict);
    if (verdictHelp[o.verdict]) badge.title = verdictHelp[o.verdict];
    var suggestion;
    if (o.suggested_url) {
      suggestion = [link(o.suggested_url, o.suggested_title || o.suggested_url),
                    el("div", "sub", "score " + o.score + " · confidence " + o.confidence + " · " + o.match_reason)];
      if (o.other_suggestions) suggestion.push(el("div", "sub", "also: " + o.other_suggestions));
    } else {
      suggestion = [el("span", "none", "nothing of yours fits"), el("div", "sub", o.match_reason)];
    }
    if (o.use === "skip") suggestion.push(el("div", "pick", "your pick: skip (left out of the emails)"));
    else if (o.use) { var pick = el("div", "pick", "your pick: "); pick.appendChild(link(o.use)); suggestion.push(pick); }
    var cells = [
      cell([String(o.priority)], "num"),
      cell([link(o.prospect), page,
            o.page_kind === "resource page" ? el("div", "sub", "resource page (score " + o.resource_score + ")") : null,
            o.contact_email ? el("div", "sub", "contact: " + o.contact_email) : null,
            o.prospect_notes ? el("div", "sub", o.prospect_notes) : null]),
      cell([el("b", "", o.anchor_text), el("div", "sub context", o.context)]),
      cell([badge, " ", el("span", "url", o.dead_url), why]),
      cell([o.placement + (o.rel ? " · " + o.rel : ""), el("div", "sub", o.link_kind)]),
      cell(suggestion),
    ];
    var tr = document.createElement("tr");
    cells.forEach(function (td, i) { td.dataset.label = labels[i]; tr.appendChild(td); });  // shown on a phone
    return tr;
  }
  function compare(a, b) {
    var x = a[state.sort], y = b[state.sort];
    if (x === "" || x === null) return 1;
    if (y === "" || y === null) return -1;
    var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return c * state.dir || (b.priority - a.priority);
  }
  function apply() {
    var needle = text.value.trim().toLowerCase(), floor = parseFloat(minConf.value) || 0;
    var wanted = selects.map(function (s) { return [s.dataset.field, s.value]; }).filter(function (p) { return p[1]; });
    state.rows = all.filter(function (o) {
      for (var i = 0; i < wanted.length; i++) if (String(o[wanted[i][0]]) !== wanted[i][1]) return false;
      if (floor > 0 && !(o.confidence >= floor)) return false;
      if (!needle) return true;
      return [o.anchor_text, o.context, o.dead_url, o.page_url, o.page_title, o.suggested_url, o.suggested_title,
              o.prospect, o.archived_title].join(" ").toLowerCase().indexOf(needle) >= 0;
    }).sort(compare);
    state.page = 0;
    remember();
    draw();
  }
  // The filters and the sort live in the address (#opportunities?verdict=dead&q=…): a reload,
  // a bookmark or a link to a colleague opens the same view.
  function remember() {
    var params = new URLSearchParams();
    if (text.value.trim()) params.set("q", text.value.trim());
    selects.forEach(function (s) { if (s.value) params.set(s.dataset.field, s.value); });
    if (parseFloat(minConf.value) > 0) params.set("confidence", minConf.value);
    if (state.sort !== "priority" || state.dir !== -1) { params.set("sort", state.sort); params.set("dir", String(state.dir)); }
    var query = params.toString();
    var hash = query ? "#opportunities?" + query : (location.hash.indexOf("#opportunities?") === 0 ? "#opportunities" : location.hash);
    if (hash !== location.hash) history.replaceState(null, "", hash || location.pathname + location.search);
  }
  function restore() {
    var at = location.hash.indexOf("?");
    if (location.hash.indexOf("#opportunities?") !== 0 || at < 0) return;
    var params = new URLSearchParams(location.hash.slice(at + 1));
    text.value = params.get("q") || "";
    selects.forEach(function (s) {
      var wanted = params.get(s.dataset.field);
      if (wanted !== null && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) s.value = wanted;
    });
    if (params.get("confidence")) minConf.value = params.get("confidence");
    if (params.get("sort") && fields.indexOf(params.get("sort")) >= 0) {
      state.sort = params.get("sort");
      state.dir = params.get("dir") === "1" ? 1 : -1;
    }
  }
  // The rows the filters show, as a CSV a spreadsheet opens (BOM, formulas defused as the
  // export does, the table's order).
  function downloadRows() {
    var names = fields.filter(function (f) { return f !== "link_kind"; }).concat(["link_kind"]);
    function quoted(value) {
      var v = value === null || value === undefined ? "" : String(value);
      if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;
      return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
    }
    var lines = [names.join(",")].concat(state.rows.map(function (o) {
      return names.map(function (f) { return quoted(o[f]); }).join(",");
    }));
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "opportunities-filtered.csv";
    document.body.appendChild(a); a.click(); document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  function draw() {
    var pages = Math.max(1, Math.ceil(state.rows.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    var fragment = document.createDocumentFragment();
    state.rows.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (o) { fragment.appendChild(row(o)); });
    body.replaceChildren(fragment);
    document.getElementById("shown").textContent = state.rows.length + " of " + all.length + " shown";
    document.getElementById("opp-pager").hidden = pages < 2;
    document.getElementById("page-of").textContent = "page " + (state.page + 1) + " of " + pages;
    document.getElementById("prev").disabled = state.page === 0;
    document.getElementById("next").disabled = state.page >= pages - 1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.setAttribute("aria-sort", th.dataset.sort === state.sort ? (state.dir > 0 ? "ascending" : "descending") : "none");
    });
  }
  selects.forEach(function (s) {
    var values = {};
    all.forEach(function (o) { values[o[s.dataset.field]] = (values[o[s.dataset.field]] || 0) + 1; });
    Object.keys(values).filter(function (v) { return v !== ""; }).sort().forEach(function (v) {
      var option = el("option", "", v + " (" + values[v] + ")"); option.value = v; s.appendChild(option);
    });
    s.addEventListener("change", apply);
  });
  text.addEventListener("input", apply);
  minConf.addEventListener("input", apply);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var field = th.dataset.sort;
      state.dir = field === state.sort ? -state.dir : (th.dataset.type === "number" ? -1 : 1);
      state.sort = field;
      state.rows.sort(compare);
      state.page = 0;
      remember();
      draw();
    });
  });
  document.getElementById("prev").addEventListener("click", function () { state.page -= 1; draw(); });
  document.getElementById("next").addEventListener("click", function () { state.page += 1; draw(); });
  document.getElementById("download").addEventListener("click", downloadRows);
  var rest = document.getElementById("opp-rest");
  if (rest) rest.hidden = true;
  restore();
  apply();
  document.documentElement.dataset.ready = String(Math.round(performance.now()));  // ms to a usable table

  Array.prototype.forEach.call(document.querySelectorAll("button.copy"), function (button) {
    button.addEventListener("click", function () {
      var content = "Subject: " + button.dataset.subject + "\n\n" + document.getElementById(button.dataset.target).textContent;
      function done(ok) { button.textContent = ok ? "Copied" : "Select the text and copy it"; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(content).then(function () { done(true); }, function () { done(fallback(content)); });
      } else {
        done(fallback(content));
      }
    });
  });
  function fallback(content) {
    var area = document.createElement("textarea");
    area.value = content; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
})();
