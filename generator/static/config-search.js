// Config search: match a string or a regular expression against every device's current config.
// Everything shown is inserted with textContent: config text is data, never markup.
(function () {
  "use strict";
  var form = document.getElementById("netkb-config-search");
  var out = document.getElementById("netkb-config-results");
  if (!form || !out) return;
  var labels = JSON.parse(form.getAttribute("data-labels"));
  var data = null;
  var MAX_LINES = 5;

  function load() {
    if (data) return Promise.resolve(data);
    return fetch(form.getAttribute("data-source"))
      .then(function (r) { if (!r.ok) throw new Error(r.status + " " + r.statusText); return r.json(); })
      .then(function (d) { data = d; return d; });
  }

  function matcher(query, regex, caseSensitive) {
    if (regex) {
      var re = new RegExp(query, caseSensitive ? "" : "i");
      return function (line) { return re.test(line); };
    }
    if (!caseSensitive) {
      var q = query.toLowerCase();
      return function (line) { return line.toLowerCase().indexOf(q) !== -1; };
    }
    return function (line) { return line.indexOf(query) !== -1; };
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function show(d, test) {
    out.textContent = "";
    var hits = [];
    var lineHit = d.lines.map(function (line) { return test(line); });
    d.devices.forEach(function (dev) {
      var lines = [];
      dev.lines.forEach(function (i) { if (lineHit[i]) lines.push(d.lines[i]); });
      if (lines.length) hits.push({ dev: dev, lines: lines });
    });
    out.appendChild(el("p", hits.length + " / " + d.devices.length, "netkb-count"));
    var list = el("ul");
    hits.forEach(function (hit) {
      var item = el("li");
      var a = el("a", hit.dev.name);
      a.href = hit.dev.url + "#config";
      item.appendChild(a);
      item.appendChild(document.createTextNode(" (" + hit.lines.length + ")"));
      var pre = el("pre");
      pre.appendChild(el("code", hit.lines.slice(0, MAX_LINES).join("\n") + (hit.lines.length > MAX_LINES ? "\n…" : "")));
      item.appendChild(pre);
      list.appendChild(item);
    });
    out.appendChild(list);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = form.elements.q.value;
    if (!query) return;
    var test;
    try {
      test = matcher(query, form.elements.regex.checked, form.elements["case"].checked);
    } catch (err) {
      out.textContent = labels.regex + ": " + err.message;
      return;
    }
    load().then(function (d) { show(d, test); }, function (err) { out.textContent = String(err); });
  });
  var params = new URLSearchParams(window.location.search);
  // Not "q": Material opens its own search for ?q=.
  if (params.get("config")) { form.elements.q.value = params.get("config"); form.requestSubmit(); }
})();
