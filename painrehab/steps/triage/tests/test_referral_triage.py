"""Referral registration, triage and the letters they draft (seed 1 §5–6)."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from painrehab.documents.models import Letter, LetterKind
from painrehab.pathway.models import Episode, TriageDecision
from painrehab.pathway.states import DischargeReason, State, TransitionRefused
from painrehab.steps.referral.services import (
    OpenEpisodeExists,
    register_referral,
    request_completion,
)
from painrehab.steps.triage.services import triage_referral

REFERRER: dict[str, Any] = {
    "referrer_name": "Dr Remiss",
    "referrer_unit": "Vårdcentralen Exempel",
    "referrer_address": "Box 9\n111 99 Stad",
}
RECEIVED_DAYS_AGO = 14  # the referrals below came a fortnight before the test's day


@pytest.fixture
def referred(patient_a, coordinator, today):  # noqa: ANN001, ANN201
    return register_referral(
        by=coordinator,
        patient=patient_a,
        source="referral",
        received_on=today - timedelta(days=RECEIVED_DAYS_AGO),
        pain_duration_months=18,
        sick_leave="partly",
        sick_leave_percent=50,
        **REFERRER,
    )


def test_referral_stores_the_checklist_content(referred):
    referral = Episode.objects.get(pk=referred.pk).referral
    assert (
        referral.pain_duration_months,
        referral.sick_leave,
        referral.sick_leave_percent,
    ) == (18, "partly", 50)
    assert referral.referrer_address_lines == ["Box 9", "111 99 Stad"]


def test_second_referral_while_an_episode_is_open_points_to_it(
    referred, patient_a, coordinator
):
    with pytest.raises(OpenEpisodeExists) as refused:
        register_referral(
            by=coordinator,
            patient=patient_a,
            source="referral",
            received_on=date(2026, 11, 1),
        )
    assert refused.value.episode.pk == referred.pk
    assert Episode.objects.filter(patient=patient_a).count() == 1


def test_referral_in_the_future_or_before_birth_is_refused(patient_a, coordinator):
    with pytest.raises(TransitionRefused, match="framtiden"):
        register_referral(
            by=coordinator,
            patient=patient_a,
            source="referral",
            received_on=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(TransitionRefused, match="före patientens födelse"):
        register_referral(
            by=coordinator,
            patient=patient_a,
            source="referral",
            received_on=date(1980, 1, 1),
        )
    assert Episode.objects.count() == 0


def test_completion_requested_marks_the_referral_incomplete(
    referred, coordinator, today
):
    referral = request_completion(by=coordinator, episode=referred, today=today)
    assert referral.awaiting_completion is True
    assert Episode.objects.get(pk=referred.pk).referral.completion_requested_on == today


def test_physician_triages_to_screening_and_both_confirmations_are_drafted(
    referred, physician
):
    decision, letters, problems = triage_referral(
        by=physician,
        episode=referred,
        outcome="screening",
        screening_profession="physiotherapist",
    )
    assert Episode.objects.get(pk=referred.pk).state == State.TRIAGED
    assert decision.screening_profession == "physiotherapist"
    assert problems == []
    assert sorted(letter.kind for letter in letters) == [
        LetterKind.CONFIRMATION_PATIENT,
        LetterKind.CONFIRMATION_REFERRER,
    ]
    to_patient = Letter.objects.get(kind=LetterKind.CONFIRMATION_PATIENT)
    assert to_patient.recipient_address == "Storgatan 1\n111 22 Stad"
    assert "läkare och fysioterapeut" in to_patient.body
    assert "60 dagar" in to_patient.body
    to_referrer = Letter.objects.get(kind=LetterKind.CONFIRMATION_REFERRER)
    assert to_referrer.recipient_address == "Vårdcentralen Exempel\nBox 9\n111 99 Stad"
    assert to_patient.is_final is False


def test_return_to_referrer_needs_a_reason_discharges_and_drafts_the_return_letter(
    referred, physician
):
    with pytest.raises(TransitionRefused, match="orsaken"):
        triage_referral(by=physician, episode=referred, outcome="return")
    _decision, letters, _ = triage_referral(
        by=physician, episode=referred, outcome="return", reason="MMRpv ej prövad."
    )
    episode = Episode.objects.get(pk=referred.pk)
    assert (episode.state, episode.discharge_reason) == (
        State.DISCHARGED,
        DischargeReason.RETURNED_AT_TRIAGE,
    )
    assert [letter.kind for letter in letters] == [LetterKind.RETURN_TO_REFERRER]
    assert "MMRpv ej prövad." in letters[0].body


@pytest.mark.parametrize("member", ["coordinator", "secretary"])
def test_only_a_physician_triages(referred, member, request):
    with pytest.raises(TransitionRefused, match="läkare"):
        triage_referral(
            by=request.getfixturevalue(member), episode=referred, outcome="new_visit"
        )
    assert TriageDecision.objects.count() == 0
    assert Episode.objects.get(pk=referred.pk).state == State.REFERRAL_RECEIVED


def test_screening_without_a_profession_is_refused(referred, physician):
    with pytest.raises(TransitionRefused, match="yrkesgrupp"):
        triage_referral(by=physician, episode=referred, outcome="screening")


def test_patient_without_address_gets_no_letter_and_the_reason_is_reported(
    referred, physician, patient_a
):
    type(patient_a).objects.filter(pk=patient_a.pk).update(street_address="")
    referred.patient.street_address = ""
    _decision, letters, problems = triage_referral(
        by=physician, episode=referred, outcome="new_visit"
    )
    assert [letter.kind for letter in letters] == [LetterKind.CONFIRMATION_REFERRER]
    assert len(problems) == 1
    assert "saknar postadress" in problems[0]


def test_triage_page_refuses_a_secretary(client_for, secretary, referred):
    assert (
        client_for(secretary)
        .get(f"/vardforlopp/{referred.pk}/remissbedomning/")
        .status_code
        == 403
    )


def test_triage_form_keeps_the_text_when_the_reason_is_missing(
    client_for, physician, referred
):
    response = client_for(physician).post(
        f"/vardforlopp/{referred.pk}/remissbedomning/",
        {"outcome": "screening", "reason": "Nacksmärta"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Välj vilken yrkesgrupp" in html
    assert "Nacksmärta" in html


def test_registering_a_referral_for_a_new_patient_creates_both(client_for, secretary):
    response = client_for(secretary).post(
        "/vardforlopp/remiss/ny/",
        {
            "personnummer": "19850101-2382",
            "first_name": "Anna",
            "last_name": "Andersson",
            "street_address": "Storgatan 1",
            "postal_code": "111 22",
            "city": "Stad",
            "source": "referral",
            "received_on": "2026-10-01",
            "needs_interpreter": "on",
            "interpreter_language": "arabiska",
            **REFERRER,
        },
    )
    episode = Episode.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/vardforlopp/{episode.pk}/"
    assert episode.patient.needs_interpreter is True
    assert episode.patient.interpreter_language == "arabiska"
    assert episode.referral.referrer_name == "Dr Remiss"


@pytest.fixture
def own_request(patient_a, coordinator, today):  # noqa: ANN001, ANN201
    return register_referral(
        by=coordinator,
        patient=patient_a,
        source="own_request",
        received_on=today - timedelta(days=RECEIVED_DAYS_AGO),
        pain_duration_months=18,
    )


def test_an_own_request_returned_at_triage_is_answered_to_the_patient(
    own_request, physician, today
):
    # Found walking the pathway: returning an own request was a dead end, "no
    # letter can be written to anyone (Remissen saknar remittentens adress)".
    _decision, letters, problems = triage_referral(
        by=physician,
        episode=own_request,
        outcome="return",
        reason="Behandlas bäst på vårdcentralen först.",
    )
    assert problems == []
    [letter] = letters
    assert (letter.kind, letter.recipient_name) == (
        LetterKind.OWN_REQUEST_DECLINED,
        "Anna Andersson",
    )
    received = today - timedelta(days=RECEIVED_DAYS_AGO)
    assert f"din egen vårdbegäran den {received.isoformat()}" in letter.body
    assert "Behandlas bäst på vårdcentralen först." in letter.body


def test_an_accepted_own_request_confirms_to_the_patient_only(own_request, physician):
    _decision, letters, problems = triage_referral(
        by=physician, episode=own_request, outcome="new_visit"
    )
    assert [letter.kind for letter in letters] == [LetterKind.CONFIRMATION_PATIENT]
    assert problems == []
    assert "din egen vårdbegäran" in letters[0].body


def test_a_referral_is_corrected_before_triage_and_the_earlier_content_is_kept(
    referred, coordinator, physician, client_for, today
):
    from painrehab.core.history import revisions_of

    # A fortnight after the referral came, it turns out to have come 3 days earlier.
    corrected = today - timedelta(days=RECEIVED_DAYS_AGO + 3)

    client = client_for(coordinator)
    url = f"/vardforlopp/{referred.pk}/remiss/ratta/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Rätta remissen" in page.content.decode()
    data = {
        key: value
        for key, value in page.context["form"].initial.items()
        if value is not None and key != "id"
    }
    data.update(
        received_on=corrected.isoformat(),
        referrer_address="Box 10\n111 99 Stad",
        version=1,
    )
    response = client.post(url, data)
    assert response.status_code == 302
    episode = Episode.objects.get(pk=referred.pk)
    assert episode.referral.referrer_address == "Box 10\n111 99 Stad"
    assert episode.opened_on == corrected  # the clocks count from it
    assert [r.data["referrer_address"] for r in revisions_of(episode.referral)] == [
        "Box 10\n111 99 Stad"
    ]
    stale = client.post(url, {**data, "referrer_address": "Gammal"})
    assert stale.status_code == 400
    assert "Gammal" in stale.content.decode()  # the typed text stays
    triage_referral(by=physician, episode=episode, outcome="new_visit")
    assert client.get(url).status_code == 200
    refused = client.post(url, {**data, "version": 2})
    assert "Remissen är bedömd" in refused.content.decode()


def test_another_units_member_cannot_correct_the_referral(
    referred, episode_b, client_for
):
    from painrehab.accounts.models import Membership

    client = client_for(Membership.objects.get(user__username="coordinator_b"))
    assert client.get(f"/vardforlopp/{referred.pk}/remiss/ratta/").status_code == 404


def test_a_triage_whose_letters_cannot_be_drafted_is_not_recorded(
    referred, physician, break_letters
):
    break_letters()
    with pytest.raises(RuntimeError, match="letter drafting broke"):
        triage_referral(
            by=physician,
            episode=referred,
            outcome="return",
            reason="Behandlas bäst på vårdcentralen.",
        )
    # Neither the decision nor the discharge it made stands without the letter.
    episode = Episode.objects.get(pk=referred.pk)
    assert (episode.state, episode.discharge_reason) == (State.REFERRAL_RECEIVED, "")
    assert not TriageDecision.objects.filter(episode=referred).exists()
