import pytest

from painrehab.pathway.models import Episode
from painrehab.pathway.states import State
from painrehab.patients.tests.factories import PatientFactory


def _episodes(unit, coordinator, n):  # noqa: ANN001, ANN202
    from datetime import date

    from painrehab.pathway.services.episodes import open_episode

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


def test_physician_moves_an_episode_through_the_page(client_for, physician, episode_a):
    response = client_for(physician).post(
        f"/vardforlopp/{episode_a.pk}/steg/",
        {"to": "triaged", "version": episode_a.version, "note": ""},
    )
    assert response.status_code == 302
    assert Episode.objects.get(pk=episode_a.pk).state == State.TRIAGED


def test_refused_step_explains_in_swedish_and_keeps_the_note(
    client_for, physician, episode_a
):
    response = client_for(physician).post(
        f"/vardforlopp/{episode_a.pk}/steg/",
        {
            "to": "discharged",
            "version": episode_a.version,
            "note": "Patienten vill avsluta",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Välj en orsak till utskrivning." in html
    assert "Patienten vill avsluta" in html
    assert Episode.objects.get(pk=episode_a.pk).state == State.REFERRAL_RECEIVED


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
