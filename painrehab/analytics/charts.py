"""Server-rendered SVG charts: pure functions from numbers to SVG text."""

from collections.abc import Sequence
from html import escape

WIDTH = 480
HEIGHT = 240
MARGIN = 40


def line_chart_svg(
    *, labels: Sequence[str], values: Sequence[float | None], title: str
) -> str:
    """A line of mean values over time points; None values leave a gap."""
    known = [v for v in values if v is not None]
    low = min(known, default=0.0)
    high = max(known, default=1.0)
    if high == low:
        high = low + 1
    step = (WIDTH - 2 * MARGIN) / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return MARGIN + i * step

    def y(v: float) -> float:
        return HEIGHT - MARGIN - (v - low) / (high - low) * (HEIGHT - 2 * MARGIN)

    points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" '
        f'y2="{HEIGHT - MARGIN}" stroke="#555"/>',
    ]
    for level in {low, high} if known else set():
        parts.append(
            f'<text x="{MARGIN - 6}" y="{y(level) + 4:.1f}" text-anchor="end" '
            f'font-size="11">{level:.1f}</text>'
        )
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1f5f8b"/>')
    for i, v in enumerate(values):
        # the outer labels align to the plot's edges so that they stay inside
        anchor = "middle"
        if len(values) > 1 and i == 0:
            anchor = "start"
        elif len(values) > 1 and i == len(values) - 1:
            anchor = "end"
        x_text = {"start": 4, "end": WIDTH - 4}.get(anchor, x(i))
        parts.append(
            f'<text x="{x_text:.1f}" y="{HEIGHT - MARGIN / 3:.1f}" '
            f'text-anchor="{anchor}" font-size="11">{escape(labels[i])}</text>'
        )
        if v is not None:
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="#1f5f8b">'
                f"<title>{v:.1f}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)
