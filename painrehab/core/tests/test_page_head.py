"""Every page's head: htmx adds no inline styles (the Content-Security-Policy
allows none), and the icon the browser asks for is there."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.template import loader


@pytest.mark.parametrize("name", ["base.html", "errors/base.html"])
def test_the_page_head_names_an_icon_that_exists(name, rf):  # noqa: ANN001
    html = loader.get_template(name).render({}, rf.get("/"))
    link = re.search(r'<link rel="icon" href="/static/([^"]+)"', html)
    assert link is not None
    assert finders.find(link.group(1)) is not None


def test_htmx_is_told_to_add_no_inline_styles(rf):  # noqa: ANN001
    html = loader.get_template("base.html").render({}, rf.get("/"))
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    assert config is not None
    settings = json.loads(config.group(1))
    assert settings["includeIndicatorStyles"] is False
    # A swap that copied a style attribute would break the policy too.
    assert "style" not in settings["attributesToSettle"]
    css = finders.find("css/app.css")
    assert isinstance(css, str)
    with open(css, encoding="utf-8") as sheet:
        assert ".htmx-indicator" in sheet.read()


@pytest.mark.django_db
def test_the_old_icon_address_leads_to_the_icon(client):  # noqa: ANN001
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert finders.find(response["Location"].removeprefix("/static/")) is not None


@pytest.mark.parametrize("name", ["base.html", "errors/base.html"])
def test_no_template_comment_reaches_the_page(name, rf):  # noqa: ANN001
    # A {# … #} comment over two lines is not a comment to Django: it is printed.
    html = loader.get_template(name).render({}, rf.get("/"))
    assert "{#" not in html
    assert "#}" not in html


def test_every_template_comment_closes_on_its_own_line():
    import re
    from pathlib import Path

    from django.conf import settings

    unclosed = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in Path(settings.BASE_DIR, "painrehab").rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\{#(?!.*#\})", line)
    ]
    assert unclosed == []
