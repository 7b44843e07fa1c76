"""Static SVG charts for the reports, as strings: no script, no external resource, every label
escaped (labels come from records and devices). A bar or line chart is followed by its text
alternative, its figures in a folded HTML table. They print on A4 as they are shown: a fixed
viewBox that scales to the page width, black text, one accent colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

ACCENT = "#3f51b5"
GRID = "#d0d0d0"
_FONT = 'font-family="sans-serif" font-size="11"'


def _nice_max(value: float) -> float:
    """The axis top: 1, 2, 2.5 or 5 times a power of ten, at least the value (1 when all are 0)."""
    if value <= 0:
        return 1.0
    scale = 1.0
    while scale * 10 <= value:
        scale *= 10
    while scale > value:
        scale /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * scale >= value:
            return step * scale
    return 10 * scale


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _frame(title: str, width: int, height: int, body: list[str]) -> str:
    safe = escape(title)
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'role="img" aria-label="{safe}" class="netkb-chart">',
            f"<title>{safe}</title>",
            f'<text x="{width / 2:g}" y="16" text-anchor="middle" {_FONT} font-weight="bold">{safe}</text>',
            *body,
            "</svg>",
        ]
    )


def _ticks(value: float, whole: bool) -> list[float]:
    """The axis's tick values from 0: four steps to a nice top; for counts (`whole`), whole-number
    steps only (0 1 2 3 for a largest count of 3, not 0 1.25 2.5 3.75 5)."""
    if not whole:
        top = _nice_max(value)
        return [top * i / 4 for i in range(5)]
    if value <= 4:
        return [float(i) for i in range(max(int(value), 1) + 1)]
    step = float(int(_nice_max(value / 4) + 0.999))
    return [step * i for i in range(int(-(-value // step)) + 1)]


def _whole(values: Sequence[float | None], unit: str) -> bool:
    """A count axis: no unit and nothing but whole numbers."""
    return not unit and all(v is None or float(v).is_integer() for v in values)


def figures(items: Sequence[tuple[str, float | None]], title: str, unit: str = "") -> str:
    """The chart's text alternative: its figures in a folded table (HTML, every label escaped),
    titled like the chart."""
    rows = "".join(
        f"<tr><td>{escape(label)}</td><td>{'—' if value is None else escape(_number(value) + unit)}</td></tr>"
        for label, value in items
    )
    return (
        f'<details class="netkb-chart-figures"><summary>{escape(title)}</summary>'
        f"<table><tbody>{rows}</tbody></table></details>"
    )


def _axes(ticks: list[float], left: int, right: int, y0: int, y1: int, unit: str) -> list[str]:
    parts = []
    top = ticks[-1]
    for value in ticks:
        y = y1 - (y1 - y0) * value / top
        parts.append(
            f'<line x1="{left}" y1="{y:g}" x2="{right}" y2="{y:g}" stroke="{GRID}" stroke-width="0.5"/>'
        )
        tick = escape(_number(value) + unit)
        parts.append(f'<text x="{left - 4}" y="{y + 4:g}" text-anchor="end" {_FONT}>{tick}</text>')
    return parts


def bar_chart(
    items: Sequence[tuple[str, float]], title: str, *, unit: str = "", width: int = 640, height: int = 240
) -> str:
    """Vertical bars, one per (label, value), the value above each bar."""
    left, right, y0, y1 = 44, width - 10, 28, height - 34
    ticks = _ticks(max((v for _, v in items), default=0), _whole([v for _, v in items], unit))
    top = ticks[-1]
    body = _axes(ticks, left, right, y0, y1, unit)
    slot = (right - left) / max(len(items), 1)
    bar = slot * 0.7
    rotate = len(items) > 16 or any(len(label) > slot / 7 for label, _ in items)
    for i, (label, value) in enumerate(items):
        x = left + i * slot + (slot - bar) / 2
        h = (y1 - y0) * (value / top)
        cx = x + bar / 2
        body.append(
            f'<rect x="{x:.1f}" y="{y1 - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{ACCENT}">'
            f"<title>{escape(label)}: {escape(_number(value) + unit)}</title></rect>"
        )
        if value:
            body.append(
                f'<text x="{cx:.1f}" y="{y1 - h - 3:.1f}" text-anchor="middle" {_FONT}>'
                f"{escape(_number(value))}</text>"
            )
        anchor = (
            f'text-anchor="end" transform="rotate(-45 {cx:.1f} {y1 + 12})"'
            if rotate
            else 'text-anchor="middle"'
        )
        body.append(f'<text x="{cx:.1f}" y="{y1 + 12}" {anchor} {_FONT}>{escape(label)}</text>')
    body.append(f'<line x1="{left}" y1="{y1}" x2="{right}" y2="{y1}" stroke="black" stroke-width="1"/>')
    return _frame(title, width, height, body) + "\n" + figures(items, title, unit)


def line_chart(
    points: Sequence[tuple[str, float | None]],
    title: str,
    *,
    unit: str = "",
    target: float | None = None,
    target_label: str = "target",
    width: int = 640,
    height: int = 240,
) -> str:
    """A line through (label, value) points; None leaves a gap. `target` draws a dashed line."""
    left, right, y0, y1 = 44, width - 10, 28, height - 34
    values = [v for _, v in points if v is not None]
    ticks = _ticks(max([*values, target or 0], default=0), _whole([*values, target], unit))
    top = ticks[-1]
    body = _axes(ticks, left, right, y0, y1, unit)
    step = (right - left) / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return y1 - (y1 - y0) * value / top

    if target is not None:
        body.append(
            f'<line x1="{left}" y1="{y(target):.1f}" x2="{right}" y2="{y(target):.1f}" stroke="#c62828" '
            f'stroke-dasharray="4 3"><title>{escape(target_label)} '
            f"{escape(_number(target) + unit)}</title></line>"
        )
    segment: list[str] = []
    for i, (label, value) in enumerate(points):
        x = left + i * step
        body.append(f'<text x="{x:.1f}" y="{y1 + 12}" text-anchor="middle" {_FONT}>{escape(label)}</text>')
        if value is None:
            if len(segment) > 1:
                body.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" stroke="{ACCENT}" stroke-width="2"/>'
                )
            segment = []
            continue
        segment.append(f"{x:.1f},{y(value):.1f}")
        body.append(
            f'<circle cx="{x:.1f}" cy="{y(value):.1f}" r="3" fill="{ACCENT}">'
            f"<title>{escape(label)}: {escape(_number(value) + unit)}</title></circle>"
        )
    if len(segment) > 1:
        body.append(
            f'<polyline points="{" ".join(segment)}" fill="none" stroke="{ACCENT}" stroke-width="2"/>'
        )
    body.append(f'<line x1="{left}" y1="{y1}" x2="{right}" y2="{y1}" stroke="black" stroke-width="1"/>')
    return _frame(title, width, height, body) + "\n" + figures(points, title, unit)


def sparkline(values: Sequence[float | None], label: str, *, width: int = 160, height: int = 32) -> str:
    """A one-line SVG trend: a line through `values` (None leaves a gap), its lowest and highest
    points marked. No axes: the figures are written next to it (and in a table) by the caller."""
    known = [v for v in values if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    span = (high - low) or 1.0
    step = (width - 6) / max(len(values) - 1, 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        return 3 + i * step, height - 4 - (height - 8) * (value - low) / span

    body: list[str] = []
    segment: list[str] = []
    for i, value in enumerate([*values, None]):
        if value is None:
            if len(segment) > 1:
                body.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{ACCENT}"/>')
            segment = []
            continue
        segment.append("{:.1f},{:.1f}".format(*xy(i, value)))
    for colour, target in (("#2e7d32", low), ("#c62828", high)):
        if known:
            x, y = xy(next(i for i, v in enumerate(values) if v == target), target)
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{colour}"/>')
    safe = escape(label)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{safe}" class="netkb-sparkline">'
        f"<title>{safe}</title>{''.join(body)}</svg>"
    )
