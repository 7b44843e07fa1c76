// The device index's filter: building, role and platform, offline, in the page.
// The index has one section per building (a heading and a table of its devices); the options are
// read from the page itself and every name is inserted with textContent (names are device data).
(function () {
  "use strict";
  var form = document.getElementById("netkb-device-filter");
  if (!form) return;
  var content = form.closest("article") || document.body;
  var roleColumn = Number(form.getAttribute("data-role-column"));
  var platformColumn = Number(form.getAttribute("data-platform-column"));
  var allLabel = form.getAttribute("data-all");

  // Each building's heading, the elements up to the next heading, and its table's rows.
  var sections = [];
  content.querySelectorAll("h2").forEach(function (heading) {
    var parts = [];
    var rows = [];
    for (var el = heading.nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) {
      parts.push(el);
      el.querySelectorAll("tbody tr").forEach(function (row) { rows.push(row); });
    }
    if (rows.length) sections.push({ name: heading.textContent.replace(/¶$/, "").trim(), heading: heading, parts: parts, rows: rows });
  });

  function cell(row, column) {
    var c = row.cells[column];
    return c ? c.textContent.trim() : "";
  }

  function fill(select, values) {
    var all = document.createElement("option");
    all.value = "";
    all.textContent = allLabel;
    select.appendChild(all);
    Array.from(new Set(values)).sort().forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    });
  }

  var rows = [];
  sections.forEach(function (s) { rows = rows.concat(s.rows); });
  fill(form.elements.building, sections.map(function (s) { return s.name; }));
  fill(form.elements.role, rows.map(function (r) { return cell(r, roleColumn); }));
  fill(form.elements.platform, rows.map(function (r) { return cell(r, platformColumn); }));
  var count = form.querySelector(".netkb-count");

  function apply() {
    var building = form.elements.building.value;
    var role = form.elements.role.value;
    var platform = form.elements.platform.value;
    var shown = 0;
    sections.forEach(function (s) {
      var visible = 0;
      s.rows.forEach(function (row) {
        var keep = (!building || s.name === building) &&
          (!role || cell(row, roleColumn) === role) &&
          (!platform || cell(row, platformColumn) === platform);
        row.style.display = keep ? "" : "none";
        if (keep) visible += 1;
      });
      // style, not the hidden attribute: the theme's table rule (display: inline-block) beats it.
      [s.heading].concat(s.parts).forEach(function (el) { el.style.display = visible ? "" : "none"; });
      shown += visible;
    });
    if (count) count.textContent = shown + " / " + rows.length;
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
})();
