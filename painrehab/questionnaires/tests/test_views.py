"""Staff pages: send, letter sheet, entry, results with bands, flags and charts."""

from datetime import date

import pytest

from painrehab.audit.models import AuditEvent
from painrehab.questionnaires import services
from painrehab.questionnaires.models import QuestionnaireRequest, Result, TimePoint


def test_the_coordinator_sends_a_package_and_gets_the_letter_sheet_once(
    client_for, coordinator, episode_a, wordings_a
):
    client = client_for(coordinator)
    form = client.get(f"/formular/vardforlopp/{episode_a.pk}/skicka/")
    assert "Före nybesök (registret)" in form.content.decode()
    response = client.post(
        f"/formular/vardforlopp/{episode_a.pk}/skicka/",
        {"time_point": TimePoint.REGISTRY_BEFORE},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    request = QuestionnaireRequest.objects.get()
    assert 'class="segno"' in html  # the QR code, inline SVG
    assert "http://testserver/f/" in html
    # The request page afterwards shows neither the link nor the code.
    detail = client.get(f"/formular/utskick/{request.pk}/").content.decode()
    assert "/f/" not in detail.replace("/f/kod/", "")
    assert AuditEvent.objects.filter(
        action="create", object_id=str(request.pk)
    ).exists()
    read = AuditEvent.objects.get(what="questionnaire request")
    assert list(read.patients.values_list("patient_id", flat=True)) == [
        episode_a.patient_id
    ]


def test_a_sports_leader_cannot_send(client_for, sports_leader, episode_a):
    response = client_for(sports_leader).post(
        f"/formular/vardforlopp/{episode_a.pk}/skicka/",
        {"time_point": TimePoint.REGISTRY_BEFORE},
    )
    assert response.status_code == 403
    assert not QuestionnaireRequest.objects.exists()


def test_another_units_request_and_result_are_404(
    client_for, coordinator, krt_sent, episode_b
):
    from painrehab.accounts.models import Membership

    by_b = Membership.objects.get(user__username="coordinator_b")
    rating = services.record_staff_rating(
        by=by_b,
        episode=episode_b,
        time_point=TimePoint.KRT_BEFORE,
        code="madrs",
        answers={n: 4 for n in range(1, 11)},
        rated_on=date(2026, 10, 1),
    )
    client = client_for(coordinator)
    for url in [
        f"/formular/utskick/{krt_sent.request.pk}/",
        f"/formular/utskick/{krt_sent.request.pk}/pappersformular/?instrument=hads",
        f"/formular/resultat/{rating.pk}/",
        f"/formular/vardforlopp/{episode_b.pk}/skattning/?instrument=madrs",
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/formular/utskick/{krt_sent.request.pk}/ny-lank/").status_code
        == 404
    )


def test_a_paper_form_entered_through_the_page_is_marked_as_paper(
    client_for, secretary, sent
):
    request = sent.request
    url = f"/formular/utskick/{request.pk}/pappersformular/?instrument=hads"
    page = client_for(secretary).get(url)
    assert page.status_code == 200
    data = {f"a{n}": "3" for n in range(1, 15)} | {"answered_on": "2026-11-02"}
    response = client_for(secretary).post(url, data)
    assert response.status_code == 302
    result = Result.objects.get(request=request, code="hads")
    assert result.source == Result.Source.PAPER
    assert result.answered_on == date(2026, 11, 2)
    assert result.subscales == {"anxiety": 21, "depression": 21}


def test_a_wrong_value_on_the_paper_page_is_shown_and_nothing_is_stored(
    client_for, secretary, sent
):
    url = f"/formular/utskick/{sent.request.pk}/pappersformular/?instrument=nprs"
    response = client_for(secretary).post(
        url, {"a1": "14", "answered_on": "2026-11-02"}
    )
    assert response.status_code == 400
    assert "Välj ett av svarsalternativen" in response.content.decode()
    assert not Result.objects.exists()


def test_the_physician_rates_madrs_from_the_episode_page(
    client_for, physician, episode_a
):
    client = client_for(physician)
    episode_page = client.get(f"/vardforlopp/{episode_a.pk}/").content.decode()
    assert "skattning/?instrument=madrs" in episode_page
    data = {f"a{n}": "3" for n in range(1, 11)} | {
        "answered_on": "2026-11-02",
        "time_point": TimePoint.KRT_BEFORE,
    }
    response = client.post(
        f"/formular/vardforlopp/{episode_a.pk}/skattning/?instrument=madrs", data
    )
    assert response.status_code == 302
    result = Result.objects.get(code="madrs")
    assert (result.source, result.total) == (Result.Source.STAFF_RATED, 30)


@pytest.fixture
def hads_results(sent, secretary, physician, coordinator, episode_a):  # noqa: ANN001, ANN201
    services.enter_paper_form(
        by=secretary,
        questionnaire_request=sent.request,
        code="hads",
        answers={n: 2 for n in range(1, 15)},
        answered_on=date(2026, 10, 20),
    )
    services.record_staff_rating(
        by=physician,
        episode=episode_a,
        time_point=TimePoint.KRT_BEFORE,
        code="madrs",
        answers={n: 3 for n in range(1, 11)},
        rated_on=date(2026, 10, 21),
    )


def test_the_patient_page_shows_scores_bands_flags_and_a_chart(
    client_for, coordinator, patient_a, hads_results
):
    html = client_for(coordinator).get(f"/patienter/{patient_a.pk}/").content.decode()
    assert "Formulärresultat" in html
    assert "HADS ångest ≥ 11" in html
    assert "Talar för ångest/depression (≥ 11)" in html
    assert "MADRS över 28 (exklusion KRT)" in html
    assert "Måttlig depression (20–34)" in html
    assert html.count('class="chart"') == 2
    assert "Pappersformulär inmatat av personal" in html
    assert "Skattat av personal" in html


def test_results_of_another_unit_never_show_on_a_patient_page(
    client_for, other_physician, patient_b, hads_results
):
    html = (
        client_for(other_physician).get(f"/patienter/{patient_b.pk}/").content.decode()
    )
    assert "Formulärresultat" not in html


def test_a_result_page_shows_the_answers_and_the_scoring_version_in_words(
    client_for, coordinator, hads_results
):
    result = Result.objects.get(code="hads")
    html = (
        client_for(coordinator).get(f"/formular/resultat/{result.pk}/").content.decode()
    )
    assert result.definition_version == "1.0+prorate-max1"
    assert (
        "Version 1.0 (högst en obesvarad fråga per delskala skattas utifrån de övriga)"
        in html
    )
    assert "prorate" not in html
    assert 'value="2" checked' in html
    event = AuditEvent.objects.filter(what="questionnaire result").get()
    assert event.object_id == str(result.pk)


def test_the_worklist_counts_outstanding_requests_and_the_list_is_audited(
    client_for, coordinator, sent, patient_a, rehabilitation_started
):
    from django.utils import timezone

    QuestionnaireRequest.objects.create(
        unit=sent.request.unit,
        episode=sent.request.episode,
        time_point=TimePoint.REGISTRY_END,
        codes=["nprs"],
        token_hash="b" * 64,
        code_hash="c" * 64,
        sent_on=date(2026, 1, 1),
        expires_on=date(2026, 2, 1),
        sent_by=coordinator.user,
    )
    client = client_for(coordinator)
    html = client.get("/").content.decode()
    assert "Formulär som väntar på svar" in html
    assert "<strong>1</strong> skickade, obesvarade" in html
    assert "<strong>1</strong> försenade" in html
    listing = client.get("/formular/utestaende/").content.decode()
    assert "Andersson, Anna" in listing
    assert "Försenad" in listing or "försenad" in listing.lower()
    event = AuditEvent.objects.get(what="outstanding questionnaires")
    assert list(event.patients.values_list("patient_id", flat=True)) == [patient_a.pk]
    assert timezone.localdate() > date(2026, 2, 1)


def test_the_unit_administrator_chooses_the_short_code_and_a_package(
    client_for, coordinator, physician
):
    assert client_for(physician).get("/formular/installningar/").status_code == 403
    client = client_for(coordinator)
    assert client.get("/formular/installningar/").status_code == 200
    response = client.post(
        "/formular/installningar/",
        {
            "second_factor": "short_code",
            "expiry_days": "30",
            TimePoint.REGISTRY_BEFORE: ["nprs", "hads"],
        },
    )
    assert response.status_code == 302
    assert (
        services.form_settings(unit=coordinator.unit_id).second_factor == "short_code"
    )
    from painrehab.questionnaires.models import Package

    package = Package.objects.get(
        unit=coordinator.unit, time_point=TimePoint.REGISTRY_BEFORE
    )
    assert package.codes == ["nprs", "hads"]  # in the order of the catalogue


def test_every_label_a_result_shows_has_english_for_the_english_interface():
    from painrehab.questionnaires import result_words as wording
    from painrehab.questionnaires.scoring import CODES, definition

    shown = set()
    for code in CODES:
        instrument = definition(code)
        shown |= {s.label for s in instrument.subscales}
        shown |= {b.label for b in instrument.bands + instrument.subscale_bands}
        if not instrument.licensed_text:
            shown |= {i.text for i in instrument.items if code == "lisat11"}
    assert shown - set(wording.ENGLISH_LABELS) == set()
