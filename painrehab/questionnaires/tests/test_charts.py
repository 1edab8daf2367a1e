"""The SVG chart is a pure function: same input, same text; values in place."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from painrehab.questionnaires.charts import BOTTOM, HEIGHT, TOP, Series, line_chart

NS = "{http://www.w3.org/2000/svg}"


def _chart(**overrides):  # noqa: ANN003, ANN202
    arguments = {
        "title": "HADS <ångest>",
        "x_labels": ["Före", "Efter", "3 mån"],
        "series": [Series("Ångest", [14, None, 6]), Series("Depression", [9, 8, 7])],
        "value_range": (0, 21),
        "thresholds": [11],
    }
    return line_chart(**{**arguments, **overrides})


def _one(root: ET.Element, tag: str) -> ET.Element:
    found = root.find(f"{NS}{tag}")
    assert found is not None
    return found


def _attr(element: ET.Element, name: str) -> str:
    value = element.get(name)
    assert value is not None
    return value


def test_the_chart_is_well_formed_svg_with_an_escaped_title():
    root = ET.fromstring(_chart())
    assert root.tag == f"{NS}svg"
    assert _one(root, "title").text == "HADS <ångest>"
    assert "Ångest: Före 14, Efter –, 3 mån 6" in (_one(root, "desc").text or "")


def test_a_gap_breaks_the_line_and_a_full_series_is_one_line():
    root = ET.fromstring(_chart())
    lines = root.findall(f"{NS}polyline")
    # Ångest has values only at 1 and 3 (no line across the gap); Depression 3 points.
    assert [len(_attr(line, "points").split()) for line in lines] == [3]


def test_a_higher_value_is_drawn_higher():
    root = ET.fromstring(
        _chart(series=[Series("Total", [10, 20, 0])], value_range=(0, 20))
    )
    ys = [float(_attr(c, "cy")) for c in root.findall(f"{NS}circle")]
    assert ys[1] == pytest.approx(TOP)  # the top of the range
    assert ys[0] > ys[1]
    assert ys[2] == max(ys) < HEIGHT


def test_the_threshold_is_a_dashed_line_at_its_value():
    root = ET.fromstring(
        _chart(
            series=[Series("Total", [0, 0, 0])], value_range=(0, 60), thresholds=[30]
        )
    )
    line = _one(root, "line")
    assert line.get("class") == "threshold"
    mid = TOP + (HEIGHT - TOP - BOTTOM) / 2
    assert float(_attr(line, "y1")) == pytest.approx(mid, abs=0.1)


def test_the_same_input_gives_the_same_text():
    assert _chart() == _chart()


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="one value per time point"):
        _chart(series=[Series("x", [1])])


def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{NS}text")]


def test_decimals_use_the_swedish_comma_on_swedish_pages():
    with translation.override("sv"):
        svg = _chart(series=[Series("TSK", [48.5, None, 17])], value_range=(17, 68))
    texts = _texts(svg)
    assert "42,5" in texts  # the middle of the axis
    assert "48,5" in texts  # the value's label
    assert not any("." in text for text in texts)
    assert "TSK: Före 48,5, Efter –, 3 mån 17" in svg


def test_decimals_keep_the_point_in_english():
    with translation.override("en"):
        texts = _texts(
            _chart(series=[Series("TSK", [48.5, None, 17])], value_range=(17, 68))
        )
    assert "42.5" in texts
    assert "48.5" in texts
