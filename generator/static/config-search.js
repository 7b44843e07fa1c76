// Config search: match a string or a regular expression against every device's current config.
// A plain query understands configs: interface names in any vendor's spelling or abbreviation
// (GE1/0/1 = Gi1/0/1 = GigabitEthernet1/0/1), and VLAN lists and ranges (`vlan 203` finds
// `port trunk permit vlan 10 201 to 204` and `switchport trunk allowed vlan 10,201-204`). The
// vendor knowledge comes with the data (generator/static/config-syntax.yaml).
// Each hit is shown under the lines of the block it belongs to (its interface or section).
// Everything shown is inserted with textContent: config text is data, never markup.
(function () {
  "use strict";
  var form = document.getElementById("netkb-config-search");
  var out = document.getElementById("netkb-config-results");
  if (!form || !out) return;
  var labels = JSON.parse(form.getAttribute("data-labels"));
  var data = null;
  var MAX_HITS = 8;

  function load() {
    if (data) return Promise.resolve(data);
    return fetch(form.getAttribute("data-source"))
      .then(function (r) { if (!r.ok) throw new Error(r.status + " " + r.statusText); return r.json(); })
      .then(function (d) { d.syntax = compile(d.syntax); data = d; return d; });
  }

  function escapeRe(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function byLength(a, b) { return b.length - a.length; }

  // The syntax file as a normaliser (interface names) and a list reader (VLAN lists).
  function compile(syntax) {
    var canon = {};
    var full = [];
    var short = [];
    syntax.interfaces.forEach(function (family) {
      // A marker before the family's name: `gigabitethernet1/0/1` is not found in
      // `ten-gigabitethernet1/0/1`.
      var name = "\u00a7" + family.names[0].toLowerCase();
      family.names.forEach(function (n) { canon[n.toLowerCase()] = name; full.push(escapeRe(n.toLowerCase())); });
      family.short.forEach(function (n) { canon[n.toLowerCase()] = name; short.push(escapeRe(n.toLowerCase())); });
    });
    var port = new RegExp(
      "(?<![a-z0-9-])(?:(" + full.sort(byLength).join("|") + ") ?|(" + short.sort(byLength).join("|") + "))" +
      "(\\d+(?:/\\d+)*(?:[.:]\\d+)?)", "g");
    var lists = syntax.lists;
    var union = { through: [], between: [] };
    Object.keys(lists.ranges).forEach(function (p) {
      union.through = union.through.concat(lists.ranges[p].through);
      union.between = union.between.concat(lists.ranges[p].between);
    });
    return {
      normalize: function (text) {
        return text.toLowerCase()
          .replace(port, function (m, long, abbr, number) { return canon[long || abbr] + number; })
          .replace(/\s+/g, " ").trim();
      },
      ranges: function (platform) { return lists.ranges[platform] || union; },
      keywords: lists.keywords,
      modifiers: lists.modifiers
    };
  }

  // The numbers listed from tokens[start] on, as [low, high] ranges; `used` counts the tokens read.
  function readList(tokens, start, ranges) {
    var items = [];
    var pending = false;
    var i = start;
    var separators = ranges.between.filter(function (b) { return b.trim(); });
    var splitter = separators.length ? new RegExp("[" + separators.map(escapeRe).join("") + "]") : null;
    for (; i < tokens.length; i++) {
      var pieces = splitter ? tokens[i].split(splitter) : [tokens[i]];
      var ok = true;
      pieces.forEach(function (piece) {
        if (!ok || piece === "") return;
        var range = /^(\d+)-(\d+)$/.exec(piece);
        if (/^\d+$/.test(piece)) {
          var n = Number(piece);
          if (pending && items.length) { items[items.length - 1][1] = n; pending = false; } else items.push([n, n]);
        } else if (range && ranges.through.indexOf("-") !== -1) {
          items.push([Number(range[1]), Number(range[2])]);
        } else if (ranges.through.indexOf(piece) !== -1 && items.length) {
          pending = true;
        } else {
          ok = false;
        }
      });
      if (!ok) break;
    }
    return { items: items, used: i - start };
  }

  // Every list in a line (after each keyword and its modifiers).
  function listsOf(line, ranges, syntax) {
    var tokens = line.toLowerCase().trim().split(/\s+/);
    var found = [];
    tokens.forEach(function (token, i) {
      if (syntax.keywords.indexOf(token) === -1) return;
      var j = i + 1;
      while (j < tokens.length && syntax.modifiers.indexOf(tokens[j]) !== -1) j++;
      var list = readList(tokens, j, ranges);
      if (list.items.length) found.push({ start: i, end: j + list.used, items: list.items });
    });
    return found;
  }

  function covers(items, value) {
    return items.some(function (r) { return r[0] <= value && value <= r[1]; });
  }

  // A query that is only a keyword and a list (`vlan 203`, `vlan 201 to 204`): its values.
  function queryList(query, syntax) {
    var tokens = query.toLowerCase().trim().split(/\s+/);
    var lists = listsOf(query, syntax.ranges(""), syntax);
    if (lists.length !== 1 || lists[0].start !== 0 || lists[0].end !== tokens.length) return null;
    var values = [];
    lists[0].items.forEach(function (r) { for (var v = r[0]; v <= r[1] && values.length < 4095; v++) values.push(v); });
    return values;
  }

  function matcher(query, regex, caseSensitive, syntax) {
    if (regex) {
      var re = new RegExp(query, caseSensitive ? "" : "i");
      return function (line) { return re.test(line); };
    }
    if (caseSensitive) return function (line) { return line.indexOf(query) !== -1; };
    var values = queryList(query, syntax);
    if (values) {
      return function (line, platform) {
        return listsOf(line, syntax.ranges(platform), syntax).some(function (list) {
          return values.every(function (v) { return covers(list.items, v); });
        });
      };
    }
    // A number in the query is a whole number in the line: `vlan 20` is not `vlan 201`.
    var q = syntax.normalize(query);
    var bounded = new RegExp((/^\d/.test(q) ? "(?<!\\d)" : "") + escapeRe(q) + (/\d$/.test(q) ? "(?!\\d)" : ""));
    var normalized = {};
    return function (line) {
      if (!(line in normalized)) normalized[line] = syntax.normalize(line);
      return bounded.test(normalized[line]);
    };
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  // The block lines above a hit (outermost first).
  function sectionOf(d, dev, position) {
    var chain = [];
    for (var p = dev.parents[position]; p !== -1 && p !== undefined; p = dev.parents[p]) chain.unshift(p);
    return chain;
  }

  function showDevice(d, hit) {
    var item = el("li");
    var a = el("a", hit.dev.name);
    a.href = hit.dev.url + "#config";
    item.appendChild(a);
    item.appendChild(document.createTextNode(" (" + hit.positions.length + ")"));
    var code = el("code");
    var shownBlock = "";
    hit.positions.slice(0, MAX_HITS).forEach(function (position) {
      var chain = sectionOf(d, hit.dev, position);
      if (chain.join(",") !== shownBlock) {
        chain.forEach(function (p) { code.appendChild(el("span", d.lines[hit.dev.lines[p]] + "\n", "netkb-section")); });
        shownBlock = chain.join(",");
      }
      code.appendChild(el("span", d.lines[hit.dev.lines[position]] + "\n", "netkb-hit"));
    });
    if (hit.positions.length > MAX_HITS) code.appendChild(document.createTextNode("…\n"));
    var pre = el("pre");
    pre.appendChild(code);
    item.appendChild(pre);
    return item;
  }

  function show(d, test) {
    out.textContent = "";
    var hits = [];
    var memo = {};
    d.devices.forEach(function (dev) {
      var seen = memo[dev.platform] || (memo[dev.platform] = {});
      var positions = [];
      dev.lines.forEach(function (i, position) {
        if (!(i in seen)) seen[i] = test(d.lines[i], dev.platform);
        if (seen[i]) positions.push(position);
      });
      if (positions.length) hits.push({ dev: dev, positions: positions });
    });
    out.appendChild(el("p", hits.length + " / " + d.devices.length, "netkb-count"));
    var list = el("ul");
    hits.forEach(function (hit) { list.appendChild(showDevice(d, hit)); });
    out.appendChild(list);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = form.elements.q.value;
    if (!query.trim()) return;
    load().then(function (d) {
      var test;
      try {
        test = matcher(query, form.elements.regex.checked, form.elements["case"].checked, d.syntax);
      } catch (err) {
        out.textContent = labels.regex + ": " + err.message;
        return;
      }
      show(d, test);
    }, function (err) { out.textContent = String(err); });
  });
  var params = new URLSearchParams(window.location.search);
  // Not "q": Material opens its own search for ?q=.
  if (params.get("config")) { form.elements.q.value = params.get("config"); form.requestSubmit(); }
})();
