"""Line charts as SVG text, rendered on the server (pages and PDFs alike).

A pure function of its inputs and the active language (decimal separator):
no database, no clock. Each series is one line
across the time points; a value of None leaves a gap. Thresholds (e.g. HADS
11, MADRS 28) are dashed lines. The one chart engine of the system: patient
results and the team's outcome means alike. The chart carries a <title> and <desc> for
screen readers; the page shows the same numbers in a table.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils import formats

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 14, 58
COLOURS = ("#0b6e8a", "#a4262c", "#1e7b45", "#9a5b00", "#5b3f99")
MARKERS = ("circle", "square", "diamond", "circle", "square")

Number = int | float


@dataclass(frozen=True)
class Series:
    label: str
    values: list[Number | None]


def data_range(values: list[Number | None]) -> tuple[Number, Number]:
    """The lowest and the highest value shown, as a chart's `value_range`:
    a range one wide when they are equal, (0, 1) when there is no value."""
    known = [v for v in values if v is not None]
    low, high = min(known, default=0), max(known, default=1)
    return (low, high) if high > low else (low, low + 1)


def _fmt(value: Number) -> str:
    """A value to one decimal at most, with the active language's decimal
    separator ("42,5" on a Swedish page, "42.5" on an English one)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


def _label_lines(label: str) -> list[str]:
    """A time point label on two lines: "Före nybesök" / "(registret)"."""
    head, sep, tail = label.partition(" (")
    return [head, f"({tail}"] if sep else [label]


def _shorten(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return (
            f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y:.1f} L{x:.1f} {y + 5:.1f} '
            f'L{x - 5:.1f} {y:.1f} Z" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart(
    *,
    title: str,
    x_labels: list[str],
    series: list[Series],
    value_range: tuple[Number, Number],
    thresholds: Sequence[Number] = (),
) -> str:
    """An SVG line chart of `series` over `x_labels` within `value_range`."""
    if not x_labels:
        raise ValueError("a chart needs at least one time point")
    if any(len(s.values) != len(x_labels) for s in series):
        raise ValueError("every series needs one value per time point")
    low, high = value_range
    if high <= low:
        raise ValueError("value_range must go upwards")
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / len(x_labels)

    def x_at(index: int, series_number: int | None = None) -> float:
        x = LEFT + step * (index + 0.5)
        if series_number is not None and len(series) > 1:
            # Side by side, so equal values of two series stay visible.
            x += (series_number - (len(series) - 1) / 2) * 6
        return x

    def y_at(value: Number) -> float:
        clamped = min(max(value, low), high)
        return TOP + plot_h * (1 - (clamped - low) / (high - low))

    desc = "; ".join(
        f"{s.label}: "
        + ", ".join(
            f"{x} {'–' if v is None else _fmt(v)}"
            for x, v in zip(x_labels, s.values, strict=True)
        )
        for s in series
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" font-family="sans-serif" font-size="10">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" '
        f'fill="#fff" stroke="#d5dde2"/>',
    ]
    for level in (low, (low + high) / 2, high):
        y = y_at(level)
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end" fill="#5b6b76">'
            f"{_fmt(level)}</text>"
        )
    for threshold in thresholds:
        y = y_at(threshold)
        parts.append(
            f'<line class="threshold" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="#9a5b00" stroke-dasharray="4 3"/>'
        )
    for index, label in enumerate(x_labels):
        x = x_at(index)
        lines = "".join(
            f'<tspan x="{x:.1f}" dy="{0 if n == 0 else 11}">{escape(_shorten(line))}</tspan>'
            for n, line in enumerate(_label_lines(label))
        )
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" '
            f'text-anchor="middle" fill="#1d2a33">{lines}</text>'
        )
    for number, s in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        marker = MARKERS[number % len(MARKERS)]
        runs: list[list[tuple[float, float]]] = [[]]
        for index, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append((x_at(index, number), y_at(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(
                    f'<polyline class="series" points="{points}" fill="none" '
                    f'stroke="{colour}" stroke-width="2"/>'
                )
        for index, value in enumerate(s.values):
            if value is None:
                continue
            x, y = x_at(index, number), y_at(value)
            parts.append(_marker(marker, x, y, colour))
            # Labels of a second series go to the left, so equal values stay legible.
            left = len(series) > 1 and number % 2 == 0
            parts.append(
                f'<text x="{x - 6 if left else x + 6:.1f}" y="{y - 5:.1f}" '
                f'text-anchor="{"end" if left else "start"}" fill="{colour}">'
                f"{_fmt(value)}</text>"
            )
    if len(series) > 1:
        for number, s in enumerate(series):
            colour = COLOURS[number % len(COLOURS)]
            x = LEFT + number * (plot_w / len(series))
            y = HEIGHT - 6
            parts.append(_marker(MARKERS[number % len(MARKERS)], x + 4, y - 3, colour))
            parts.append(
                f'<text x="{x + 12:.1f}" y="{y:.1f}" fill="#1d2a33">{escape(s.label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
