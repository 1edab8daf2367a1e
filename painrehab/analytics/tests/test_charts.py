from painrehab.analytics.charts import line_chart_svg


def test_line_chart_places_points_and_escapes_labels():
    svg = line_chart_svg(
        labels=["före", "<slut>"], values=[10.0, 6.0], title="HADS & ångest"
    )
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    # 10 is the top (y = 240 − 40 − 160 = 40), 6 the bottom (y = 200)
    assert 'cx="40.0" cy="40.0"' in svg
    assert 'cx="440.0" cy="200.0"' in svg
    assert "&lt;slut&gt;" in svg
    assert "HADS &amp; ångest" in svg
    assert "<polyline" in svg


def test_line_chart_with_a_gap_draws_no_line_for_one_point():
    svg = line_chart_svg(labels=["a", "b"], values=[None, 3.0], title="t")
    assert "<polyline" not in svg
    assert svg.count("<circle") == 1
