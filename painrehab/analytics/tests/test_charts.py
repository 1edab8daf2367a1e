"""The outcome page's charts: a line of mean values over the time points,
drawn by the one chart engine (questionnaires.charts) and scaled to the
lowest and highest mean shown."""

import re

from painrehab.questionnaires.charts import (
    BOTTOM,
    HEIGHT,
    TOP,
    Series,
    data_range,
    line_chart,
)


def _means_chart(labels, values, title):  # noqa: ANN001, ANN202
    return line_chart(
        title=title,
        x_labels=labels,
        series=[Series(title, values)],
        value_range=data_range(values),
    )


def _marker_heights(svg: str) -> list[float]:
    return [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]


def test_line_chart_places_points_and_escapes_labels():
    svg = _means_chart(["före", "<slut>"], [10.0, 6.0], "HADS & ångest")
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    # 10 is the top of the plot, 6 the bottom
    assert _marker_heights(svg) == [TOP, HEIGHT - BOTTOM]
    assert "&lt;slut&gt;" in svg
    assert "HADS &amp; ångest" in svg
    assert "<polyline" in svg


def test_line_chart_with_a_gap_draws_no_line_for_one_point():
    svg = _means_chart(["a", "b"], [None, 3.0], "t")
    assert "<polyline" not in svg
    assert svg.count("<circle") == 1


def test_the_scale_runs_from_the_lowest_to_the_highest_mean():
    assert data_range([10.0, None, 6.0]) == (6.0, 10.0)
    assert data_range([4.0, 4.0]) == (4.0, 5.0)  # equal means: one unit wide
    assert data_range([None]) == (0, 1)
