/* Queries as people type them, for Material's search (netkb).
 *
 * At build time jieba cuts the pages' Chinese into words (Material's search plugin), but nobody
 * types spaces between Chinese words: `门户认证`, `AP掉线`, `宿舍电源`. Material's worker then cuts
 * the query against its inverted index and, for a word whose first character is a word of its
 * own somewhere, searches that character alone (`保修` becomes `保*`, which matches 保持); and it
 * searches every word as a prefix, unstemmed, so a whole English word typed (`refuses`) misses
 * the stem the index holds (`refus`), and `fw-1` becomes "fw, without 1".
 *
 * This script rewrites the query before it reaches the worker:
 * - Chinese is cut into the index's own words (cut()): every run of two or more characters
 *   found inside a token of search/search_index.json (the file the worker loads, from this
 *   site), the fewest pieces, whole indexed words preferred to pieces of longer ones. Each word is
 *   searched wherever it stands inside an indexed word (`*策略*` finds 安全策略) and weighs more
 *   where it is an indexed word itself; its characters are joined by lunr's escape character so
 *   the worker's own cut leaves it whole (lunr's query lexer drops the backslashes).
 * - ASCII words (hostnames, addresses, models, incident ids, English) are searched as words
 *   (stemmed as the index is) and, the last one, as a prefix of what is still being typed; a
 *   hyphenated name is its parts.
 * - Every word is required first (the page that holds them all); only when no page holds them
 *   all is the query sent again with the words optional, as Material would (results()).
 *
 * Nothing leaves the site's origin; until the index has loaded, queries pass unchanged.
 */
(function () {
  "use strict";
  var HAN = /\p{sc=Han}+/gu;
  var SETUP = 0; // Material's SearchMessageType (SETUP 0, READY 1, QUERY 2, RESULT 3)
  var QUERY = 2;
  var RESULT = 3;
  var words = null; // Set of Chinese strings found inside indexed tokens
  var tokens = new Set(); // the indexed Chinese words themselves
  var longest = 0;
  var EXACT = 2; // the weight of a word found as itself

  function vocabulary(index) {
    var separator = new RegExp(index.config.separator, "g");
    var found = new Set();
    index.docs.forEach(function (doc) {
      (doc.title + " " + doc.text).split(separator).forEach(function (token) {
        (token.match(HAN) || []).forEach(function (run) {
          tokens.add(run);
          if (found.has(run)) return;
          for (var i = 0; i < run.length - 1; i++)
            for (var j = i + 2; j <= run.length; j++) found.add(run.slice(i, j));
        });
      });
    });
    found.forEach(function (word) {
      longest = Math.max(longest, word.length);
    });
    return found;
  }

  // The cheapest cut of a run of Chinese characters: an indexed word costs 1, a piece of a longer
  // indexed word a little more, an unknown character (kept alone, searched only if the query
  // holds nothing else) much more. Fewest pieces first, so `私接路由器` is 私接 + 路由器 and not
  // 私 + 接路 + 由器; whole words next, so a long tag does not cut a query across its words.
  function cut(run) {
    var cost = [0];
    var from = [0];
    for (var end = 1; end <= run.length; end++) {
      cost[end] = Infinity;
      for (var start = Math.max(0, end - longest); start < end; start++) {
        var piece = run.slice(start, end);
        var known = piece.length > 1 && words.has(piece);
        if (!known && piece.length > 1) continue;
        var price = cost[start] + (tokens.has(piece) ? 1 : known ? 1.1 : 3);
        if (price < cost[end]) {
          cost[end] = price;
          from[end] = start;
        }
      }
    }
    var out = [];
    for (var at = run.length; at > 0; at = from[at]) out.unshift(run.slice(from[at], at));
    return out;
  }

  // One word of the query as lunr terms: `required` puts `+` before the term that must match.
  // A Chinese word stands anywhere inside an indexed word (`*门\户*`), weighing more where it is
  // one (`门\户^2`: a long rare tag that merely holds it must not outweigh the word). An ASCII word
  // is matched as a word (`refuses^2`, stemmed by the worker: Material's `refuses*` is not) and,
  // as the last word typed, as a prefix too (`+fa*`). A hyphenated name requires all its parts.
  function term(word, required, last) {
    var must = required ? "+" : "";
    if (/^\p{sc=Han}+$/u.test(word)) {
      if (word.length < 2) return required || !tokens.has(word) ? word : word + "^1";
      var escaped = Array.from(word).join("\\");
      return must + "*" + escaped + "* " + (tokens.has(word) ? escaped + "^" + EXACT : "");
    }
    var parts = word.split("-").filter(Boolean);
    if (parts.length > 1 || /^-|-$/.test(word))
      return parts
        .map(function (part, i) {
          return term(part, true, last && i === parts.length - 1);
        })
        .join(" ");
    if (required) return "+" + word + (last ? "*" : "");
    return word + "^" + EXACT + " " + word + "*";
  }

  // The words of a query: Chinese runs cut, ASCII kept whole. A single Chinese character is
  // required only when the query holds nothing else; where it is an indexed word of its own
  // (`10月`, `3号楼`) it still weighs, optional.
  function split(query) {
    var terms = [];
    query.split(/\s+/).forEach(function (part) {
      var last = 0;
      part.replace(HAN, function (run, at) {
        if (at > last) terms.push(part.slice(last, at));
        terms.push.apply(terms, cut(run));
        last = at + run.length;
        return run;
      });
      if (last < part.length) terms.push(part.slice(last));
    });
    var whole = terms.filter(function (t) {
      return t && !/^\p{sc=Han}$/u.test(t);
    });
    if (!whole.length) return { words: terms.filter(Boolean), single: [] };
    var single = terms.filter(function (t) {
      return /^\p{sc=Han}$/u.test(t) && tokens.has(t);
    });
    return { words: whole, single: single };
  }

  // The queries to try, strictest first: every word required as typed (the last ASCII word also
  // as a prefix, for a word still being typed), then every word optional.
  function queries(query) {
    var asked = split(query);
    var parts = asked.words;
    if (!parts.length) return [query];
    var extra = asked.single.map(function (word) {
      return term(word, false, false);
    });
    function all(required, prefix) {
      return parts
        .map(function (word, i) {
          return term(word, required, prefix && i === parts.length - 1);
        })
        .concat(extra)
        .join(" ")
        .trim();
    }
    var tries = [all(true, false), all(true, true), all(false, false)];
    return tries.filter(function (q, i) {
      return tries.indexOf(q) === i;
    });
  }

  function segment(query) {
    return words ? queries(query) : [query];
  }

  window.netkbSearchQuery = segment; // what the worker is sent for a query typed, in order

  // A page whose title holds the query as typed, as a whole (`dorm-03` in "dorm-03", not in
  // "acc-dorm-03"; `CHG-2026-046` in its change request's title), comes before the pages that
  // only hold its words: lunr scores words, not where they stand.
  var plain = document.createElement("textarea");

  function titled(groups, typed) {
    var query = typed.trim().toLowerCase().replace(/\s+/g, " ");
    if (!query) return groups;
    var escaped = query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    var whole = new RegExp("(^|[^\\w-])" + escaped + "($|[^\\w-])", "u");
    function holds(group) {
      var article = group.filter(function (item) {
        return item.location.indexOf("#") < 0;
      })[0];
      if (!article) return false;
      plain.innerHTML = String(article.title).replace(/<[^>]*>/g, "");
      return whole.test(plain.value.replace(/\u200b/g, "").replace(/\s+/g, " ").toLowerCase());
    }
    return groups.filter(holds).concat(
      groups.filter(function (group) {
        return !holds(group);
      })
    );
  }

  // The queries sent, oldest first, each with what was typed and the looser queries still to
  // try. The worker answers in order. An empty answer to the newest query is held back (Material
  // is shown a message type it ignores) and the next looser query sent instead. Material's
  // listener was added before this script ran, so the answer is changed where Material reads it:
  // the `data` of the worker's message events, once per event.
  var sent = [];
  var post = Worker.prototype.postMessage;
  var watched = new WeakSet();
  var HELD = -1;

  function answer(worker, message) {
    var query = sent.shift();
    if (!query) return message;
    var items = message.data.items;
    if (items.length || !query.rest.length || sent.length)
      return { type: RESULT, data: Object.assign({}, message.data, { items: titled(items, query.typed) }) };
    sent.push({ typed: query.typed, rest: query.rest.slice(1) });
    post.call(worker, { type: QUERY, data: query.rest[0] });
    return { type: HELD };
  }

  var read = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data");
  var answers = new WeakMap();
  Object.defineProperty(MessageEvent.prototype, "data", {
    configurable: true,
    enumerable: read.enumerable,
    get: function () {
      var message = read.get.call(this);
      if (!watched.has(this.target) || !message || message.type !== RESULT) return message;
      if (!answers.has(this)) answers.set(this, answer(this.target, message));
      return answers.get(this);
    },
  });

  function watch(worker) {
    watched.add(worker);
  }

  // The index reaches the worker in Material's setup message: the vocabulary is read from it
  // before any query can be sent. Should this script run after that message, it reads the
  // same file itself (from the browser's cache, on this site's origin).
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === SETUP && message.data && message.data.docs) {
      words = vocabulary(message.data);
      watch(this);
    } else if (message && message.type === QUERY && typeof message.data === "string") {
      watch(this);
      var tries = segment(message.data);
      sent.push({ typed: message.data, rest: tries.slice(1) });
      arguments[0] = { type: QUERY, data: tries[0] };
    }
    return post.apply(this, arguments);
  };

  window.addEventListener("load", function () {
    if (words) return;
    var config = JSON.parse(document.getElementById("__config").textContent);
    fetch(new URL("search/search_index.json", new URL(config.base + "/", location.href)))
      .then(function (response) {
        return response.json();
      })
      .then(function (index) {
        if (!words) words = vocabulary(index);
      });
  });
})();
