/* Chinese queries as people type them, for Material's search (netkb).
 *
 * At build time jieba cuts the pages' Chinese into words (Material's search plugin), but nobody
 * types spaces between Chinese words: `门户认证`, `AP掉线`, `宿舍电源`. Material's worker then cuts
 * the query against its inverted index and, for a word whose first character is a word of its
 * own somewhere, searches that character alone (`保修` becomes `保*`, which matches 保持).
 *
 * This script cuts the query before it reaches the worker, by forward maximum match on the
 * index's own vocabulary: every run of two or more Chinese characters found inside a token of
 * search/search_index.json (the same file the worker loads, from this site). Each word is then
 * searched wherever it stands inside an indexed word (`*门户*` finds 门户网站, `*策略*` finds
 * 安全策略), and its characters are joined by lunr's escape character so the worker's own cut
 * leaves the word whole (lunr's query lexer drops the backslashes). ASCII (hostnames, IP
 * addresses, models, incident ids) passes through, but for its hyphens (see hyphenated()).
 *
 * Nothing leaves the site's origin; until the index has loaded, queries pass unchanged.
 */
(function () {
  "use strict";
  var HAN = /\p{sc=Han}+/gu;
  var SETUP = 0; // Material's SearchMessageType (SETUP 0, READY 1, QUERY 2, RESULT 3)
  var QUERY = 2;
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

  // Forward maximum match: the longest known word at each position; an unknown character is
  // kept alone (it is searched only if the query holds nothing else).
  function cut(run) {
    var out = [];
    for (var i = 0; i < run.length; ) {
      var n = Math.min(longest, run.length - i);
      while (n > 1 && !words.has(run.slice(i, i + n))) n--;
      out.push(run.slice(i, i + n));
      i += n;
    }
    return out;
  }

  // lunr reads the hyphen of `core-2` as "without 2": the parts of a hostname, an incident id
  // or a contract number are all required instead, the last one as typed so far.
  function hyphenated(word) {
    var parts = word.split("-").filter(Boolean);
    return parts
      .map(function (part, i) {
        return "+" + part + (i === parts.length - 1 ? "*" : "");
      })
      .join(" ");
  }

  // A Chinese word may stand inside a longer indexed word (`*门\户`, no boost); where it is an
  // indexed word itself it is also searched as such, and that weighs more (`门\户^10`, which
  // Material leaves without a wildcard): a long rare word that merely holds it (a runbook's
  // tag 设备无法采集) must not outweigh the word. lunr's escape character keeps the word whole
  // through the worker's own cut.
  function term(word) {
    if (!/^\p{sc=Han}+$/u.test(word)) return /\w-\w/.test(word) ? hyphenated(word) : word;
    if (word.length < 2) return word;
    var escaped = Array.from(word).join("\\");
    return (tokens.has(word) ? escaped + "^" + EXACT + " " : "") + "*" + escaped;
  }

  function segment(query) {
    if (!words) return query;
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
    return (whole.length ? whole : terms).map(term).join(" ");
  }

  window.netkbSearchQuery = segment; // what the worker is sent for a query typed

  // The index reaches the worker in Material's setup message: the vocabulary is read from it
  // before any query can be sent. Should this script run after that message, it reads the
  // same file itself (from the browser's cache, on this site's origin).
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === SETUP && message.data && message.data.docs)
      words = vocabulary(message.data);
    else if (message && message.type === QUERY && typeof message.data === "string")
      arguments[0] = { type: QUERY, data: segment(message.data) };
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
