"""A page shows the panels other apps registered for it, computed in the
view: the templates receive HTML and read nothing from the database."""

from pathlib import Path

from django.test import RequestFactory

from painrehab.core import panels


def test_panels_are_shown_in_their_order_and_a_hidden_one_is_left_out(settings):
    page = "a test page"
    panels.register(page, panels.Panel("_shown.html", lambda **i: None, order=5))
    for order, word in [(9, "second"), (1, "first")]:
        panels.register(
            page,
            panels.Panel(
                "questionnaires/_outstanding_summary.html",
                lambda *, word=word, **inputs: {"counts": None, "word": word},
                order=order,
            ),
        )
    assert [p.order for p in panels._PANELS[page]] == [1, 5, 9]
    html = panels.render_panels(page, RequestFactory().get("/"), today=None)
    assert len(html) == 2  # the panel whose values are None is not shown


def test_no_template_tag_of_the_apps_reads_the_database():
    root = Path(panels.__file__).resolve().parents[1]
    tags = [
        path.relative_to(root)
        for path in root.glob("*/templatetags/*.py")
        if path.name != "__init__.py"
        and any(
            word in path.read_text() for word in (".objects", "selectors", "models")
        )
    ]
    assert tags == []
