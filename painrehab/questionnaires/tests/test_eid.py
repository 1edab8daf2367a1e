"""e-ID as the patient link's second factor, against a real OpenID provider
on 127.0.0.1 standing in for the e-ID broker (tests/oidc_provider)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.forms import ChoiceField

from painrehab.audit.models import AuditEvent
from painrehab.core.form_fields import field_of
from painrehab.questionnaires import links, services
from painrehab.questionnaires.forms import FormSettingsForm
from painrehab.questionnaires.models import FactorAttempt, SecondFactor, TimePoint
from tests.oidc_provider.fixtures import (
    EID_CLIENT,
    PNR_PATIENT_A,
    PNR_SOMEONE_ELSE,
    through_provider,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def eid_link(coordinator, episode_a, wordings_a):  # noqa: ANN001, ANN201
    """Unit A asks for e-ID; a package sent to patient A with that factor."""
    services.save_form_settings(
        by=coordinator, second_factor=SecondFactor.EID, expiry_days=14
    )
    return services.send_package(
        by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
    )


def _identify(client, provider, link, username):  # noqa: ANN001, ANN202
    """The button on the link page, the broker, and the broker's answer."""
    start = client.post(f"/f/{link.token}/")
    assert start.status_code == 302
    back = urlsplit(through_provider(provider, start["Location"], username))
    assert back.path == "/f/e-leg/"
    return client.get(f"{back.path}?{back.query}")


def test_the_link_page_offers_e_id_and_sends_to_the_broker_without_the_token(
    client, eid, eid_link
):
    page = client.get(f"/f/{eid_link.token}/")
    assert "Legitimera dig med e-legitimation" in page.content.decode()
    assert "BankID eller Freja eID" in page.content.decode()
    start = client.post(f"/f/{eid_link.token}/")
    assert start["Location"].startswith(eid.endpoint("authorization"))
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["client_id"] == [EID_CLIENT[0]]
    assert query["redirect_uri"] == ["http://testserver/f/e-leg/"]
    assert query["prompt"] == ["login"]
    assert query["code_challenge_method"] == ["S256"]
    assert eid_link.token not in start["Location"]


def test_the_right_patient_gets_in_and_it_is_audited(client, eid, eid_link, patient_a):
    assert patient_a.personnummer == PNR_PATIENT_A
    response = _identify(client, eid, eid_link, "bankid-patient-a")
    assert response.status_code == 302
    assert response["Location"] == "/f/svar/"
    assert client.get("/f/svar/").status_code == 200
    opened = AuditEvent.objects.get(what="patient opened questionnaire")
    assert [p.patient_id for p in opened.patients.all()] == [patient_a.pk]


def test_someone_else_is_refused_without_naming_anyone(
    client, eid, eid_link, patient_a, patient_b
):
    assert patient_b.personnummer == PNR_SOMEONE_ELSE
    response = _identify(client, eid, eid_link, "bankid-someone-else")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formuläret är till någon annan" in page
    for name in (
        patient_a.first_name,
        patient_a.last_name,
        patient_b.first_name,
        patient_b.last_name,
        PNR_PATIENT_A,
        PNR_SOMEONE_ELSE,
        PNR_PATIENT_A[2:8],
        PNR_SOMEONE_ELSE[2:8],
    ):
        assert name not in page
    assert client.get("/f/svar/").status_code == 403  # not bound
    refusal = AuditEvent.objects.get(action=AuditEvent.Action.REFUSED)
    assert refusal.what == "e-ID refused: personnummer is not the link's patient"
    assert [p.patient_id for p in refusal.patients.all()] == [patient_a.pk]
    assert not AuditEvent.objects.filter(what="patient opened questionnaire").exists()
    assert FactorAttempt.objects.get().succeeded is False


def test_the_brokers_answer_works_once_and_only_in_the_browser_that_asked(
    client, eid, eid_link
):
    from django.test import Client

    start = client.post(f"/f/{eid_link.token}/")
    back = urlsplit(through_provider(eid, start["Location"], "bankid-patient-a"))
    elsewhere = Client()
    assert elsewhere.get(f"{back.path}?{back.query}").status_code == 403
    assert elsewhere.get("/f/svar/").status_code == 403
    assert (
        AuditEvent.objects.get(action=AuditEvent.Action.REFUSED).what
        == "e-ID refused: state does not match"
    )


def test_a_cancelled_identification_is_refused_and_audited(client, eid, eid_link):
    client.post(f"/f/{eid_link.token}/")
    state = client.session["questionnaire_eid"]["state"]
    response = client.get(f"/f/e-leg/?error=access_denied&state={state}")
    assert response.status_code == 403
    assert "Legitimeringen gick inte igenom" in response.content.decode()
    assert (
        AuditEvent.objects.get(action=AuditEvent.Action.REFUSED).what
        == "e-ID refused: broker answered access_denied"
    )


def test_a_typed_personnummer_is_no_e_id(eid_link, patient_a):
    """Only an identity from the broker's signed token passes the factor."""
    factor = links.FACTORS[SecondFactor.EID]
    request = eid_link.request
    assert factor.verify(request, patient_a.personnummer) is False
    assert factor.verify(request, links.EidIdentity(PNR_SOMEONE_ELSE)) is False
    assert factor.verify(request, links.EidIdentity(PNR_PATIENT_A)) is True


def test_the_short_code_of_an_e_id_unit_leads_to_e_id_too(client, eid, eid_link):
    response = client.post(
        "/f/kod/", {"code": eid_link.short_code, "birth_date": "19850101"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(eid.endpoint("authorization"))
    assert "questionnaire_link" not in client.session


def test_without_a_broker_the_link_says_so_and_the_unit_cannot_choose_it(
    client, settings, eid_link
):
    settings.EID_ENABLED = False
    response = client.post(f"/f/{eid_link.token}/")
    assert response.status_code == 503
    assert "går inte att använda just nu" in response.content.decode()
    assert "questionnaire_link" not in client.session
    field = field_of(FormSettingsForm(), "second_factor", ChoiceField)
    assert not field.valid_value(SecondFactor.EID)  # not among the choices


def test_with_a_broker_the_unit_can_choose_e_id(eid):
    field = field_of(FormSettingsForm(), "second_factor", ChoiceField)
    assert field.valid_value(SecondFactor.EID)  # among the choices
