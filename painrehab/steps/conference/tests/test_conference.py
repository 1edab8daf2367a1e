"""The assessment conference: its decision against the criteria (issue 5)."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from painrehab.accounts.models import Membership, User
from painrehab.core.history import StaleEdit
from painrehab.documents.models import Letter, LetterKind
from painrehab.pathway import criteria as rules
from painrehab.pathway.models import (
    AssessmentConference,
    Episode,
)
from painrehab.pathway.states import State, TransitionRefused
from painrehab.patients.tests.factories import PatientFactory
from painrehab.steps.conference.selectors import conference_page
from painrehab.steps.conference.services import (
    decide_after_conference,
    start_conference,
    update_conference,
)
from painrehab.steps.tests.fixtures import ALL_TEAM_CRITERIA, _to_investigation, _today

# Every test sees one day: the clock fixture holds it still (conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def test_starting_the_conference_moves_the_episode(conference, investigated):
    assert Episode.objects.get(pk=investigated.pk).state == State.ASSESSMENT_CONFERENCE
    assert conference.criteria_template == "specialist"
    assert conference.participants.count() == 2


def test_programme_decision_is_refused_until_every_criterion_is_met(
    conference, physician
):
    with pytest.raises(TransitionRefused, match="Ha långvarig icke-malign smärta"):
        decide_after_conference(
            by=physician,
            conference=conference,
            decision="group_programme",
            expected_version=conference.version,
        )
    assert AssessmentConference.objects.get(pk=conference.pk).decision == ""
    update_conference(
        by=physician,
        conference=conference,
        expected_version=1,
        confirmations=ALL_TEAM_CRITERIA,
        main_problems="Smärta",
    )
    decided, letters, problems = decide_after_conference(
        by=physician,
        conference=conference,
        decision="group_programme",
        expected_version=2,
    )
    assert decided.decision == "group_programme"
    assert Episode.objects.get(pk=conference.episode_id).state == State.PLANNING_MEETING
    assert [letter.kind for letter in letters] == [LetterKind.TEAM_SUMMARY]
    assert "Huvudsakliga problem: Smärta" in letters[0].body
    assert problems == []


def test_an_exclusion_that_applies_blocks_the_decision(conference, physician):
    confirmations = {**ALL_TEAM_CRITERIA, "active_substance_abuse": True}
    update_conference(
        by=physician,
        conference=conference,
        expected_version=1,
        confirmations=confirmations,
    )
    with pytest.raises(TransitionRefused, match="Exklusionskriteriet gäller"):
        decide_after_conference(
            by=physician,
            conference=conference,
            decision="group_programme",
            expected_version=2,
        )


def test_working_age_is_decided_from_the_personnummer(unit_a, coordinator, physician):
    from painrehab.steps.referral.services import open_episode

    old = PatientFactory.create(
        unit=unit_a, birth_date=date(1950, 3, 1), personnummer="195003012386"
    )
    episode = _to_investigation(
        open_episode(
            patient=old,
            by=coordinator,
            source="referral",
            received_on=_today() - timedelta(days=40),
        ),
        physician,
        coordinator,
    )
    conference = start_conference(
        by=physician, episode=episode, held_on=_today(), participants=[physician.user]
    )
    update_conference(
        by=physician,
        conference=conference,
        expected_version=1,
        confirmations=ALL_TEAM_CRITERIA,
    )
    with pytest.raises(TransitionRefused, match="arbetsför ålder"):
        decide_after_conference(
            by=physician,
            conference=conference,
            decision="group_programme",
            expected_version=2,
        )


def test_individual_needs_a_section_10_3_reason(conference, physician):
    update_conference(
        by=physician,
        conference=conference,
        expected_version=1,
        confirmations=ALL_TEAM_CRITERIA,
    )
    with pytest.raises(
        TransitionRefused, match="Välj skälet för individuell rehabilitering."
    ):
        decide_after_conference(
            by=physician,
            conference=conference,
            decision="individual",
            expected_version=2,
        )
    decided, _letters, _ = decide_after_conference(
        by=physician,
        conference=conference,
        decision="individual",
        expected_version=2,
        individual_reason="practical_reasons",
    )
    assert decided.individual_reason == "practical_reasons"


def test_not_suitable_discharges_with_the_alternatives(conference, physician):
    with pytest.raises(TransitionRefused, match="alternativ"):
        decide_after_conference(
            by=physician,
            conference=conference,
            decision="not_suitable",
            expected_version=1,
        )
    decide_after_conference(
        by=physician,
        conference=conference,
        decision="not_suitable",
        expected_version=1,
        alternatives="Fysioterapi i primärvården",
    )
    episode = Episode.objects.get(pk=conference.episode_id)
    assert (episode.state, episode.discharge_reason) == (
        State.DISCHARGED,
        "not_suitable",
    )


def test_further_conference_returns_to_investigation(conference, physician):
    decide_after_conference(
        by=physician,
        conference=conference,
        decision="further_conference",
        expected_version=1,
    )
    assert (
        Episode.objects.get(pk=conference.episode_id).state == State.TEAM_INVESTIGATION
    )
    assert Letter.objects.filter(kind=LetterKind.TEAM_SUMMARY).count() == 0


def test_two_clinicians_editing_the_assessment_the_second_is_refused(
    conference, physician, coordinator
):
    update_conference(
        by=physician,
        conference=AssessmentConference.objects.get(pk=conference.pk),
        expected_version=1,
        main_problems="Läkarens text",
    )
    with pytest.raises(StaleEdit):
        update_conference(
            by=coordinator,
            conference=AssessmentConference.objects.get(pk=conference.pk),
            expected_version=1,
            main_problems="Koordinatorns text",
        )
    assert (
        AssessmentConference.objects.get(pk=conference.pk).main_problems
        == "Läkarens text"
    )


def test_stale_save_through_the_page_keeps_the_typed_text_and_shows_the_saved(
    client_for, conference, physician, coordinator
):
    update_conference(
        by=physician,
        conference=conference,
        expected_version=1,
        main_problems="Sparad text",
    )
    response = client_for(coordinator).post(
        f"/vardforlopp/{conference.episode_id}/bedomningskonferens/spara/",
        {
            "version": 1,
            "main_problems": "Min nya text",
            "contributing_factors": "",
            "resources": "",
            "expectations": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Min nya text" in html
    assert "Sparad text" in html
    assert "Någon annan sparade" in html


def test_conference_page_query_count_does_not_grow_with_participants(
    client_for, conference, coordinator, unit_a, django_assert_num_queries
):
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as first:
        client.get(f"/vardforlopp/{conference.episode_id}/bedomningskonferens/")
    for n in range(15):
        user = User.objects.create_user(username=f"extra{n}", password="x-password-123")
        Membership.objects.create(user=user, unit=unit_a, profession="psychologist")
        conference.participants.add(user)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(f"/vardforlopp/{conference.episode_id}/bedomningskonferens/")


KRT_TEAM_CRITERIA = {
    c.key: c.kind == rules.CriterionKind.INCLUSION
    for c in rules.KRT_CRITERIA
    if c.rule is None and c.kind != rules.CriterionKind.INDIVIDUAL_REASON
}


@pytest.fixture
def krt_conference(episode_b, other_physician):  # noqa: ANN001, ANN201
    from painrehab.accounts.models import Membership
    from painrehab.pathway.models import Referral

    coordinator_b = Membership.objects.get(user__username="coordinator_b")
    Referral.objects.filter(episode=episode_b).update(
        referrer_address="Box 9\n111 99 Stad",
        pain_duration_months=12,
        sick_leave="partly",
        sick_leave_percent=50,
    )
    episode = _to_investigation(
        Episode.objects.get(pk=episode_b.pk), other_physician, coordinator_b
    )
    conference = start_conference(
        by=other_physician,
        episode=episode,
        held_on=_today(),
        participants=[other_physician.user],
    )
    update_conference(
        by=other_physician,
        conference=conference,
        expected_version=1,
        facts={"has_pending_investigations": False},
        confirmations=KRT_TEAM_CRITERIA,
    )
    return AssessmentConference.objects.get(pk=conference.pk)


def _madrs(episode, by, total_per_item):  # noqa: ANN001, ANN202
    from painrehab.questionnaires.models import TimePoint
    from painrehab.questionnaires.services import record_staff_rating

    record_staff_rating(
        by=by,
        episode=episode,
        time_point=TimePoint.KRT_BEFORE,
        code="madrs",
        answers={n: total_per_item for n in range(1, 11)},
        rated_on=_today(),
    )


def test_a_primary_care_unit_decides_individual_rehabilitation_on_its_own_reasons(
    krt_conference, other_physician
):
    # Found walking the pathway: a KRT unit could never decide individual
    # rehabilitation ("Inget skäl … är uppfyllt").
    _madrs(krt_conference.episode, other_physician, 1)  # 10: no severe depression
    page = conference_page(episode=krt_conference.episode)
    assert [c.key for c in page["individual_reasons"]] == [
        "krt_no_group_in_time",
        "krt_practical_reasons",
        "krt_group_not_suitable",
    ]
    decided, _letters, _problems = decide_after_conference(
        by=other_physician,
        conference=krt_conference,
        decision="individual",
        individual_reason="krt_no_group_in_time",
        expected_version=2,
    )
    assert decided.decision == "individual"
    assert Episode.objects.get(pk=krt_conference.episode_id).state == (
        State.PLANNING_MEETING
    )


def test_madrs_above_28_from_a_scored_form_excludes_and_overriding_needs_a_reason(
    krt_conference, other_physician
):
    _madrs(krt_conference.episode, other_physician, 3)  # 10 items × 3 = 30
    page = conference_page(episode=krt_conference.episode)
    assert page["scored_madrs"] is not None
    assert (page["scored_madrs"].label, page["scored_madrs"].total) == ("MADRS", 30)
    depression = next(
        row for row in page["checklist"] if row.criterion.key == "severe_depression"
    )
    assert depression.result.outcome == rules.Outcome.MET  # the exclusion applies
    with pytest.raises(TransitionRefused):
        decide_after_conference(
            by=other_physician,
            conference=krt_conference,
            decision="group_programme",
            expected_version=2,
        )
    with pytest.raises(TransitionRefused, match="Senast poängsatta MADRS är 30"):
        update_conference(
            by=other_physician,
            conference=krt_conference,
            expected_version=2,
            facts={"has_pending_investigations": False, "madrs_total": 20},
        )
    update_conference(
        by=other_physician,
        conference=AssessmentConference.objects.get(pk=krt_conference.pk),
        expected_version=2,
        facts={
            "has_pending_investigations": False,
            "madrs_total": 20,
            "madrs_reason": "Ny skattning vid läkarbesöket; formuläret besvarades under akut kris.",
        },
    )
    again = conference_page(episode=krt_conference.episode)
    depression = next(
        row for row in again["checklist"] if row.criterion.key == "severe_depression"
    )
    assert depression.result.outcome == rules.Outcome.NOT_MET


def _typed_conference(conference, decision):  # noqa: ANN001, ANN202
    data = {
        "version": conference.version,
        "main_problems": "Smärta och sömnbrist",
        "contributing_factors": "Stillasittande arbete",
        "resources": "",
        "expectations": "",
        "has_pending_investigations": "no",
        "decision": decision,
        "alternatives": "",
    }
    data.update(
        {
            f"confirm_{key}": "yes" if yes else "no"
            for key, yes in ALL_TEAM_CRITERIA.items()
        }
    )
    return data


def test_recording_the_decision_saves_the_assessment_typed_above_it(
    client_for, physician, conference
):
    # Found walking the conference page: "Registrera beslut" without first
    # pressing "Spara bedömning" wiped the assessment and the 14 answers.
    response = client_for(physician).post(
        f"/vardforlopp/{conference.episode_id}/bedomningskonferens/beslut/",
        _typed_conference(conference, "group_programme"),
    )
    assert response.status_code == 302
    saved = AssessmentConference.objects.get(pk=conference.pk)
    assert (saved.decision, saved.main_problems) == (
        "group_programme",
        "Smärta och sömnbrist",
    )
    assert saved.confirmations == {
        c.key: ALL_TEAM_CRITERIA[c.key]
        for c in rules.SPECIALIST_CRITERIA
        if c.key in ALL_TEAM_CRITERIA and c.checked_at_assessment
    }


def test_a_refused_decision_keeps_everything_typed(client_for, physician, conference):
    data = _typed_conference(conference, "not_suitable")  # needs alternatives
    response = client_for(physician).post(
        f"/vardforlopp/{conference.episode_id}/bedomningskonferens/beslut/", data
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Skriv de rekommenderade alternativen." in html
    assert "Stillasittande arbete" in html
    key = next(iter(ALL_TEAM_CRITERIA))
    answer = "yes" if ALL_TEAM_CRITERIA[key] else "no"
    assert f'name="confirm_{key}" value="{answer}" checked' in html
    found = re.search(r'<input[^>]*value="not_suitable"[^>]*>', html)
    assert found is not None
    chosen = found.group(0)
    assert "checked" in chosen
    assert AssessmentConference.objects.get(pk=conference.pk).decision == ""


def test_a_decision_whose_summary_cannot_be_drafted_is_not_recorded(
    conference, physician, break_letters
):
    break_letters()
    with pytest.raises(RuntimeError, match="letter drafting broke"):
        decide_after_conference(
            by=physician,
            conference=conference,
            decision="not_suitable",
            expected_version=1,
            alternatives="Fysioterapi i primärvården",
        )
    # Neither the decision nor the discharge it made stands without the letter.
    saved = AssessmentConference.objects.get(pk=conference.pk)
    assert (saved.decision, saved.version) == ("", 1)
    episode = Episode.objects.get(pk=conference.episode_id)
    assert (episode.state, episode.discharge_reason) == (
        State.ASSESSMENT_CONFERENCE,
        "",
    )


def _hidden_version(html: str) -> str:
    found = re.search(r'<input[^>]*name="version"[^>]*>', html)
    assert found is not None
    value = re.search(r'value="(\d+)"', found.group(0))
    assert value is not None
    return value.group(1)


def test_choosing_the_decision_after_a_missing_one_records_it(
    client_for, physician, conference
):
    # Found walking the conference page: "Registrera beslut" without a
    # decision saved the assessment, and the page shown again kept the old
    # version, so the second press was taken for someone else's save.
    client = client_for(physician)
    url = f"/vardforlopp/{conference.episode_id}/bedomningskonferens/beslut/"
    first = client.post(url, _typed_conference(conference, ""))
    html = first.content.decode()
    assert first.status_code == 400
    assert "Välj ett beslut." in html
    again = {
        **_typed_conference(conference, "group_programme"),
        "version": _hidden_version(html),
    }
    second = client.post(url, again)
    assert second.status_code == 302
    saved = AssessmentConference.objects.get(pk=conference.pk)
    assert (saved.decision, saved.main_problems) == (
        "group_programme",
        "Smärta och sömnbrist",
    )


def test_starting_without_a_date_shows_the_page_again_with_the_ticks(
    client_for, physician, coordinator, investigated
):
    # Found walking the page: the start redirected on the error and the
    # ticked participants were gone.
    response = client_for(physician).post(
        f"/vardforlopp/{investigated.pk}/bedomningskonferens/ny/",
        {"held_on": "", "participants": [coordinator.user.pk]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ange datum och minst en deltagare." in html
    ticked = re.findall(r'<input[^>]*name="participants"[^>]*>', html)
    assert [box for box in ticked if "checked" in box] == [
        box for box in ticked if f'value="{coordinator.user.pk}"' in box
    ]
    assert any("checked" in box for box in ticked)
    assert not AssessmentConference.objects.filter(episode=investigated).exists()


def test_saving_a_bad_value_does_not_ask_for_the_untouched_decision(
    client_for, physician, conference
):
    # Found walking the page: "Spara bedömning" with MADRS 999 also marked
    # the decision, which belongs to the other button, as required.
    data = {**_typed_conference(conference, ""), "madrs_total": "999"}
    response = client_for(physician).post(
        f"/vardforlopp/{conference.episode_id}/bedomningskonferens/spara/", data
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Kontrollera att detta värde är mindre än eller lika med 60." in html
    assert "Det här fältet är obligatoriskt." not in html
    assert "Smärta och sömnbrist" in html


def test_a_refused_start_keeps_the_date_and_ticks(
    client_for, physician, coordinator, investigated
):
    later = (_today() + timedelta(days=3)).isoformat()
    response = client_for(physician).post(
        f"/vardforlopp/{investigated.pk}/bedomningskonferens/ny/",
        {"held_on": later, "participants": [coordinator.user.pk]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Datumet kan inte ligga i framtiden." in html
    assert f'value="{later}"' in html
    box = re.search(
        rf'<input[^>]*name="participants"[^>]*value="{coordinator.user.pk}"[^>]*>',
        html,
    )
    assert box is not None
    assert "checked" in box.group(0)


def test_the_page_before_the_investigation_says_when_it_applies(
    episode_a, physician, client_for
):
    html = (
        client_for(physician)
        .get(f"/vardforlopp/{episode_a.pk}/bedomningskonferens/")
        .content.decode()
    )
    assert "Bedömningskonferensen hålls när teamutredningen är klar" in html
    assert "Vårdförloppets aktuella steg: Remiss mottagen." in html
    assert (
        f'<a href="/vardforlopp/{episode_a.pk}/">Tillbaka till vårdförloppet</a>'
        in html
    )
    assert "Starta konferensen" not in html


def test_the_page_in_the_investigation_offers_the_start_and_no_explanation(
    investigated, physician, client_for
):
    html = (
        client_for(physician)
        .get(f"/vardforlopp/{investigated.pk}/bedomningskonferens/")
        .content.decode()
    )
    assert "Starta konferensen" in html
    assert "Vårdförloppets aktuella steg" not in html
