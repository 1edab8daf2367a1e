"""Staff single sign-on against a real OpenID provider on 127.0.0.1
(django-oauth-toolkit in a second process: tests/oidc_provider)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from painrehab.audit.models import AuditEvent
from tests.oidc_provider.fixtures import (
    HSA_PHYSICIAN,
    HSA_WITHOUT_UNIT,
    STAFF_CLIENT,
    through_provider,
)

pytestmark = pytest.mark.django_db


def _sign_on(client, provider, username):  # noqa: ANN001, ANN202
    """The whole round trip: the app's SITHS button, the provider, the callback."""
    start = client.get("/konto/siths/")
    assert start.status_code == 302
    back = urlsplit(through_provider(provider, start["Location"], username))
    assert back.path == "/konto/siths/tillbaka/"
    return client.get(f"{back.path}?{back.query}")


@pytest.fixture
def sso_physician(physician):  # noqa: ANN001, ANN201
    physician.user.hsa_id = HSA_PHYSICIAN
    physician.user.save()
    return physician


def test_sso_login_lands_on_the_start_page_and_is_audited(
    client, sso, sso_physician, episode_a
):
    response = _sign_on(client, sso, "siths-physician")
    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert page.wsgi_request.user == sso_physician.user
    login = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert (login.actor_id, login.unit_id, login.what) == (
        sso_physician.user.pk,
        sso_physician.unit_id,
        "logged in with SITHS (OIDC)",
    )


def test_the_authorization_request_uses_pkce_a_nonce_and_our_client(client, sso):
    start = client.get("/konto/siths/")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["client_id"] == [STAFF_CLIENT[0]]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["nonce"][0]) >= 32
    assert query["redirect_uri"] == ["http://testserver/konto/siths/tillbaka/"]


def test_unknown_hsa_id_is_refused_in_swedish_and_audited(client, sso, physician):
    response = _sign_on(client, sso, "siths-unknown")
    assert response.status_code == 302
    assert response["Location"] == "/konto/logga-in/"
    page = client.get("/konto/logga-in/")
    assert "inte kopplat till något konto" in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated
    refusal = AuditEvent.objects.get(action=AuditEvent.Action.REFUSED)
    assert (
        refusal.what
        == "single sign-on refused: no account has HSA-id SE2321000016-T999"
    )
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()


def test_a_user_without_membership_sees_no_patient(
    client, sso, django_user_model, patient_a, episode_a
):
    django_user_model.objects.create_user(
        username="new_colleague", hsa_id=HSA_WITHOUT_UNIT
    )
    response = _sign_on(client, sso, "siths-without-unit")
    assert response["Location"] == "/konto/ingen-enhet/"
    page = client.get("/konto/ingen-enhet/")
    assert page.status_code == 200
    assert "Ingen vårdenhet" in page.content.decode()
    for url in ("/", f"/patienter/{patient_a.pk}/", "/patienter/?q=Andersson"):
        seen = client.get(url)
        assert seen.status_code == 404, url
        assert "Andersson" not in seen.content.decode()
        assert patient_a.personnummer not in seen.content.decode()


@pytest.mark.parametrize(
    ("username", "reason"),
    [
        ("siths-wrong-audience", "id_token: wrong audience"),
        ("siths-expired", "id_token: expired"),
    ],
)
def test_an_id_token_the_provider_signed_wrongly_is_refused(
    client, sso, sso_physician, username, reason
):
    response = _sign_on(client, sso, username)
    assert response["Location"] == "/konto/logga-in/"
    assert not client.get("/").wsgi_request.user.is_authenticated
    refusal = AuditEvent.objects.get(action=AuditEvent.Action.REFUSED)
    assert refusal.what == f"single sign-on refused: {reason}"


def test_a_token_that_expires_while_on_its_way_is_refused(
    client, sso, sso_physician, time_machine
):
    start = client.get("/konto/siths/")
    back = urlsplit(through_provider(sso, start["Location"], "siths-physician"))
    # The provider's id_tokens live 5 minutes (tests/oidc_provider/settings.py).
    time_machine.move_to(timezone.now() + timedelta(minutes=7), tick=True)
    response = client.get(f"{back.path}?{back.query}")
    assert response["Location"] == "/konto/logga-in/"
    assert (
        AuditEvent.objects.get(action=AuditEvent.Action.REFUSED).what
        == "single sign-on refused: id_token: expired"
    )


def test_the_callback_url_logs_in_only_the_browser_that_started_it(
    client, sso, sso_physician
):
    """A stolen or replayed callback URL: another browser has no state for it."""
    from django.test import Client

    start = client.get("/konto/siths/")
    back = urlsplit(through_provider(sso, start["Location"], "siths-physician"))
    elsewhere = Client()
    response = elsewhere.get(f"{back.path}?{back.query}")
    assert response["Location"] == "/konto/logga-in/"
    assert not elsewhere.get("/").wsgi_request.user.is_authenticated
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()


def test_an_answer_with_a_state_this_browser_never_sent_is_refused(
    client, sso, sso_physician
):
    client.get("/konto/siths/")
    response = client.get("/konto/siths/tillbaka/?code=forged&state=forged")
    assert response["Location"] == "/konto/logga-in/"
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert (
        AuditEvent.objects.get(action=AuditEvent.Action.REFUSED).what
        == "single sign-on refused: state not sent by this browser"
    )


def test_logout_ends_the_session_and_the_providers(client, sso, sso_physician):
    _sign_on(client, sso, "siths-physician")
    response = client.post("/konto/logga-ut/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == sso.endpoint(
        "end_session"
    )
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/konto/logga-in/"]
    assert query["id_token_hint"][0].count(".") == 2
    assert not client.get("/").wsgi_request.user.is_authenticated
    logout = AuditEvent.objects.get(what="logged out")
    assert (logout.actor_id, logout.unit_id) == (
        sso_physician.user.pk,
        sso_physician.unit_id,
    )


def test_login_page_shows_the_siths_button_only_when_configured(client, settings):
    settings.OIDC_ENABLED = False
    assert "SITHS" not in client.get("/konto/logga-in/").content.decode()
    assert client.get("/konto/siths/").status_code == 404
    assert client.get("/konto/siths/tillbaka/").status_code == 404


def test_login_page_shows_the_siths_button(client, sso):
    page = client.get("/konto/logga-in/").content.decode()
    assert "Logga in med e-tjänstekort (SITHS)" in page
    assert 'href="/konto/siths/"' in page


def test_an_hsa_id_is_unique_when_set_and_checked_for_its_form(django_user_model):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    django_user_model.objects.create_user(username="a")  # no HSA-id
    django_user_model.objects.create_user(username="b")  # nor this one
    first = django_user_model.objects.create_user(username="c", hsa_id=HSA_PHYSICIAN)
    with transaction.atomic(), pytest.raises(IntegrityError):
        django_user_model.objects.create_user(username="d", hsa_id=HSA_PHYSICIAN)
    for good in ("SE2321000016-1234", "SE162321000024-0001"):
        first.hsa_id = good
        first.full_clean()
    for bad in ("2321000016-1234", "SE23-1", "SE2321000016-", "SE2321000016 1234"):
        first.hsa_id = bad
        with pytest.raises(ValidationError):
            first.full_clean()
