"""A page printed on A4 by Chromium, and what does not fit: the site's chrome still shown, a table or
chart wider than the printable width, a table hiding columns in a scroll area, a table row split
across pages, a chart's script left in, a PDF page that is not A4.

The page is laid out at the printable width of A4 (minus the 12 mm side margins of netkb.css) in
print media, then printed; one function for the service-site test and the demo's reports."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page

A4 = (595.0, 842.0)  # points
PRINTABLE_WIDTH = round((210 - 2 * 12) / 25.4 * 96)  # px: A4 minus the 12 mm side margins of netkb.css

PRINT_LAYOUT = """() => {
  const hidden = sel => [...document.querySelectorAll(sel)].every(
    e => getComputedStyle(e).display === 'none');
  const width = document.documentElement.clientWidth;
  const tables = [...document.querySelectorAll('.md-content table')];
  return {
    width,
    chromeHidden: ['.md-header', '.md-tabs', '.md-sidebar', '.md-footer'].map(hidden),
    tables: tables.map(t => ({
      right: t.getBoundingClientRect().right, scroll: t.scrollWidth, client: t.clientWidth})),
    rowsKeptWhole: [...document.querySelectorAll('.md-content tr')].every(
      r => getComputedStyle(r).breakInside === 'avoid'),
    charts: [...document.querySelectorAll('.md-content svg')].map(s => s.getBoundingClientRect().right),
    scripts: [...document.querySelectorAll('.netkb-chart script')].length,
  };
}"""


def media_boxes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of every page: Chromium writes each page's /MediaBox in plain text."""
    boxes = []
    for match in re.finditer(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", pdf):
        x0, y0, x1, y1 = (float(v) for v in match.groups())
        boxes.append((x1 - x0, y1 - y0))
    return boxes


def print_a4(page: Page) -> tuple[dict[str, Any], bytes]:
    """The page's print layout at A4's printable width, and the page printed to PDF on A4."""
    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    layout: dict[str, Any] = page.evaluate(PRINT_LAYOUT)
    return layout, page.pdf(format="A4", print_background=True)


def a4_problems(layout: dict[str, Any], pdf: bytes) -> list[str]:
    """Everything that does not fit A4 (empty: it fits)."""
    problems = []
    if layout["chromeHidden"] != [True, True, True, True]:
        problems.append(f"header, tabs, navigation, footer hidden: {layout['chromeHidden']}")
    width = layout["width"] + 0.5
    problems += [f"table wider than the page: {t}" for t in layout["tables"] if t["right"] > width]
    problems += [f"table in a scroll area: {t}" for t in layout["tables"] if t["scroll"] > t["client"] + 1]
    problems += [f"chart wider than the page: {right}" for right in layout["charts"] if right > width]
    if not layout["rowsKeptWhole"]:
        problems.append("table rows may break across pages")
    if layout["scripts"]:
        problems.append(f"{layout['scripts']} chart script(s) left in")
    boxes = media_boxes(pdf)
    if not pdf.startswith(b"%PDF") or not boxes:
        problems.append("not a PDF with pages")
    problems += [
        f"page not A4: {box}" for box in boxes if abs(box[0] - A4[0]) >= 1.5 or abs(box[1] - A4[1]) >= 1.5
    ]
    return problems
