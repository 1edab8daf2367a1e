import pytest

from painrehab.pathway.models import DischargeRecord, Episode, TriageDecision
from painrehab.pathway.states import State
from painrehab.patients.tests.factories import PatientFactory


def _episodes(unit, coordinator, n):  # noqa: ANN001, ANN202
    from datetime import date

    from painrehab.steps.referral.services import open_episode

    for patient in PatientFactory.create_batch(n, unit=unit):
        open_episode(
            patient=patient,
            by=coordinator,
            source="referral",
            received_on=date(2026, 9, 1),
        )


@pytest.mark.parametrize(
    "url", ["/", "/vardforlopp/lage/referral_received/", "/patienter/"]
)
def test_list_pages_use_the_same_number_of_queries_at_10_and_200_rows(
    client_for, coordinator, unit_a, django_assert_num_queries, url
):
    client = client_for(coordinator)
    _episodes(unit_a, coordinator, 10)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as at_10:
        assert client.get(url).status_code == 200
    _episodes(unit_a, coordinator, 190)
    with django_assert_num_queries(len(at_10.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_patient_page_shows_the_episode_timeline(
    client_for, coordinator, episode_a, physician
):
    from painrehab.pathway.services.transitions import move_episode

    move_episode(
        episode=episode_a,
        to=State.TRIAGED,
        by=physician,
        note="Screening fysioterapeut",
    )
    response = client_for(coordinator).get(f"/patienter/{episode_a.patient_id}/")
    html = response.content.decode()
    assert "Remiss mottagen" in html
    assert "Remissbedömd, att boka" in html
    assert "Screening fysioterapeut" in html


@pytest.mark.parametrize(
    ("to", "step"),
    [("triaged", "Remissbedöm till nybesök"), ("discharged", "Skriv ut patienten")],
)
def test_the_generic_step_page_refuses_a_step_that_has_its_own_page(
    client_for, physician, episode_a, to, step
):
    # Found walking the pathway: "Skriv ut…" on the episode page closed the
    # episode with no alternative plan, no discharge record and no letter, and
    # a physician could "triage" with no triage decision.
    response = client_for(physician).post(
        f"/vardforlopp/{episode_a.pk}/steg/",
        {
            "to": to,
            "version": episode_a.version,
            "note": "Patienten vill avsluta",
            "discharge_reason": "patient_choice",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f"”{step}” görs på sin egen sida." in html
    episode_a.refresh_from_db()
    assert episode_a.state == State.REFERRAL_RECEIVED
    assert not DischargeRecord.objects.filter(episode=episode_a).exists()
    assert not TriageDecision.objects.filter(episode=episode_a).exists()


def test_the_episode_page_leads_each_step_to_its_own_page(
    client_for, physician, episode_a
):
    html = client_for(physician).get(f"/vardforlopp/{episode_a.pk}/").content.decode()
    assert f'href="/vardforlopp/{episode_a.pk}/utskrivning/"' in html
    assert f'href="/vardforlopp/{episode_a.pk}/remissbedomning/"' in html
    assert f'action="/vardforlopp/{episode_a.pk}/steg/"' not in html


def test_episode_detail_offers_only_the_steps_the_profession_may_take(
    client_for, secretary, physician, episode_a
):
    secretary_html = (
        client_for(secretary).get(f"/vardforlopp/{episode_a.pk}/").content.decode()
    )
    physician_html = (
        client_for(physician).get(f"/vardforlopp/{episode_a.pk}/").content.decode()
    )
    assert "Remissbedöm till nybesök" not in secretary_html
    assert "Remissbedöm till nybesök" in physician_html


def test_referral_date_in_the_future_is_refused_and_the_form_keeps_the_input(
    client_for, coordinator, patient_a
):
    response = client_for(coordinator).post(
        f"/vardforlopp/patient/{patient_a.pk}/ny-remiss/",
        {
            "source": "referral",
            "received_on": "2999-01-01",
            "referrer_name": "Dr Remiss",
        },
    )
    html = response.content.decode()
    assert "Datumet kan inte ligga i framtiden." in html
    assert 'value="Dr Remiss"' in html
    assert Episode.objects.filter(patient=patient_a).count() == 0


def test_a_preparation_status_is_read_with_a_form_and_a_bad_one_is_refused(
    client_for, physician, episode_a
):
    from django.urls import reverse

    from painrehab.pathway.models import PreparatoryIntervention, RehabPlan

    RehabPlan.objects.create(
        episode=episode_a, track="group_programme", updated_by=physician.user
    )
    item = PreparatoryIntervention.objects.create(
        episode=episode_a,
        profession="physician",
        kind="other",
        updated_by=physician.user,
    )
    url = reverse("pathway:preparation_status", args=[item.pk])
    client = client_for(physician)
    response = client.post(url, {"status": "kanske"})
    assert response.status_code == 400
    assert "Välj en av statusarna." in response.content.decode()
    item.refresh_from_db()
    assert item.status == "planned"
    client.post(url, {"status": "done"})
    item.refresh_from_db()
    assert item.status == "done"
