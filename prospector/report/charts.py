"""Bar charts as inline SVG, drawn in Python: the report needs no charting library and no
network. Pure: (label, value) pairs in, SVG text out, every label escaped."""

from __future__ import annotations

from html import escape

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 18, 6, 220, 360, 60


def bar_chart(rows: list[tuple[str, int]], title: str, colours: dict[str, str] | None = None) -> str:
    """A horizontal bar chart, one bar per (label, value); `colours` by label (default: one)."""
    if not rows:
        return f'<p class="empty">{escape(title)}: nothing to show.</p>'
    top = max(value for _, value in rows) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        length = max(1, round(BAR_WIDTH * value / top)) if value else 0
        colour = (colours or {}).get(label, "#4a6fa5")
        shown = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 5}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{colour}">'
            f'<title>{escape(label)}: {value:,}</title></rect>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + BAR_HEIGHT - 5}">{value:,}</text>')
    parts.append("</svg>")
    return "".join(parts)
