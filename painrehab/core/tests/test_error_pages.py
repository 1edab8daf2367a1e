"""The error pages with DEBUG off: Swedish, in the site's look, no debug text.

The views below exist only in this module's URLconf, to provoke each error.
"""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import path
from django.utils import translation


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("bad")


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("broken")


urlpatterns = [
    path("forbjuden/", _forbidden),
    path("felaktig/", _bad),
    path("trasig/", _broken),
]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def production_client(client, settings):  # noqa: ANN001, ANN201
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/finns-inte/", 404, "Sidan finns inte"),
        ("/forbjuden/", 403, "Ingen behörighet"),
        ("/felaktig/", 400, "Begäran kunde inte läsas"),
        ("/trasig/", 500, "Något gick fel"),
    ],
)
def test_error_pages_are_swedish_with_debug_off(
    production_client, url, status, heading, caplog
):
    response = production_client.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in html
    assert 'lang="sv"' in html
    assert "css/app.css" in html  # the site's look
    for english in [
        "Not Found",
        "Server Error",
        "Forbidden",
        "Bad Request",
        "Traceback",
    ]:
        assert english not in html


@pytest.mark.urls("painrehab.urls")
def test_the_csrf_failure_page_shows_on_a_real_form(db, settings):  # noqa: ANN001, ARG001
    from django.test import Client

    settings.DEBUG = False
    response = Client(enforce_csrf_checks=True).post("/konto/logga-in/", {})
    assert response.status_code == 403
    assert "Sidan hade gått ut" in response.content.decode()


def test_the_500_page_renders_without_a_request():
    with translation.override("sv"):
        html = loader.get_template("500.html").render()
    assert "Något gick fel" in html
    with translation.override("en"):
        assert "Something went wrong" in loader.get_template("500.html").render()
