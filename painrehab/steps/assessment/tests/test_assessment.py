"""Investigation, conference decision against the criteria, plan, goals, agenda (issue 5)."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from painrehab.accounts.models import Membership, User
from painrehab.core.history import StaleEdit
from painrehab.documents.models import Letter, LetterKind
from painrehab.pathway import criteria as rules
from painrehab.pathway.models import (
    AssessmentConference,
    Episode,
    GoalEvaluation,
    RehabPlan,
)
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State, TransitionRefused
from painrehab.patients.tests.factories import PatientFactory
from painrehab.steps.assessment.selectors import conference_page
from painrehab.steps.assessment.services import (
    decide_after_conference,
    save_investigation_record,
    start_conference,
    update_conference,
)
from painrehab.steps.plan.services import (
    add_goal,
    evaluate_goal,
    open_plan,
    plan_preparation,
    sign_rehab_plan,
    update_plan,
)

# Every test sees one day: the clock fixture holds it still (conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def _stored(pdf: bytes | memoryview | None) -> bytes:
    """A stored PDF field's bytes; the test fails if none is stored."""
    assert pdf is not None
    return bytes(pdf)


def _today() -> date:
    return timezone.localdate()


ALL_TEAM_CRITERIA = {
    c.key: c.kind == rules.CriterionKind.INCLUSION
    for c in rules.SPECIALIST_CRITERIA
    if c.rule is None and c.kind != rules.CriterionKind.INDIVIDUAL_REASON
}


def _to_investigation(episode, physician, coordinator):  # noqa: ANN001, ANN202
    for state, by in [
        (State.TRIAGED, physician),
        (State.WAITING_NEW_VISIT, coordinator),
        (State.NEW_VISIT, physician),
        (State.TEAM_INVESTIGATION, physician),
    ]:
        move_episode(episode=episode, to=state, by=by)
    return episode


@pytest.fixture
def investigated(episode_a, physician, coordinator):  # noqa: ANN001, ANN201
    from painrehab.pathway.models import Referral

    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad", pain_duration_months=24
    )
    return _to_investigation(
        Episode.objects.get(pk=episode_a.pk), physician, coordinator
    )


@pytest.fixture
def conference(investigated, physician, coordinator):  # noqa: ANN001, ANN201
    return start_conference(
        by=physician,
        episode=investigated,
        held_on=_today(),
        participants=[physician.user, coordinator.user],
    )


def test_each_profession_writes_its_own_record_with_history(investigated, physician):
    from painrehab.core.history import revisions_of

    record = save_investigation_record(
        by=physician,
        episode=investigated,
        values={"assessment": "Spridd smärta"},
        expected_version=None,
    )
    assert record.profession == "physician"
    save_investigation_record(
        by=physician,
        episode=investigated,
        values={"assessment": "Spridd smärta, sömnbrist"},
        expected_version=1,
    )
    with pytest.raises(StaleEdit):
        save_investigation_record(
            by=physician,
            episode=investigated,
            values={"assessment": "gammal"},
            expected_version=1,
        )
    assert [r.data["values"]["assessment"] for r in revisions_of(record)] == [
        "Spridd smärta",
        "Spridd smärta, sömnbrist",
    ]


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
    from painrehab.pathway.services.episodes import open_episode

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


@pytest.fixture
def planned(conference, physician):  # noqa: ANN001, ANN201
    update_conference(
        by=physician,
        conference=conference,
        expected_version=1,
        confirmations=ALL_TEAM_CRITERIA,
    )
    decide_after_conference(
        by=physician,
        conference=conference,
        decision="group_programme",
        expected_version=2,
    )
    return open_plan(
        by=physician, episode=Episode.objects.get(pk=conference.episode_id)
    )


def test_signed_plan_moves_to_preparation_and_drafts_the_copy_to_forsakringskassan(
    planned, physician
):
    with pytest.raises(TransitionRefused, match="minst ett mål"):
        sign_rehab_plan(
            by=physician,
            plan=planned,
            expected_version=1,
            signed_on=_today(),
            signature="paper",
            consent_to_forsakringskassan=True,
        )
    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=_today() + timedelta(days=60),
    )
    plan, letters, _ = sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=1,
        signed_on=_today(),
        signature="tablet",
        consent_to_forsakringskassan=True,
    )
    assert Episode.objects.get(pk=plan.episode_id).state == State.PREPARATION
    assert [letter.kind for letter in letters] == [LetterKind.PLAN_COPY_FK]
    assert letters[0].recipient_name == "Försäkringskassan"
    assert "Gå 30 minuter" in letters[0].body
    with pytest.raises(TransitionRefused):
        update_plan(
            by=physician,
            plan=RehabPlan.objects.get(pk=plan.pk),
            expected_version=plan.version,
            values="ändrat",
        )


def test_without_consent_no_copy_is_drafted(planned, physician):
    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Sömn",
        measure="ISI",
        target_date=_today() + timedelta(days=30),
    )
    _plan, letters, _ = sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=1,
        signed_on=_today(),
        signature="paper",
        consent_to_forsakringskassan=False,
    )
    assert letters == []


def test_plan_edits_are_version_checked(planned, physician, coordinator):
    update_plan(
        by=physician,
        plan=RehabPlan.objects.get(pk=planned.pk),
        expected_version=1,
        values="Familjen",
    )
    with pytest.raises(StaleEdit):
        update_plan(
            by=coordinator,
            plan=RehabPlan.objects.get(pk=planned.pk),
            expected_version=1,
            values="Arbete",
        )


def test_goal_is_evaluated_once_per_time(planned, physician):
    goal = add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="x",
        measure="y",
        target_date=_today(),
    )
    evaluate_goal(
        by=physician,
        goal=goal,
        when="programme_end",
        result="partly_met",
        comment="Nästan",
    )
    with pytest.raises(TransitionRefused):
        evaluate_goal(by=physician, goal=goal, when="programme_end", result="met")
    evaluate_goal(by=physician, goal=goal, when="follow_up", result="met")
    assert list(
        GoalEvaluation.objects.filter(goal=goal).values_list("when", "result")
    ) == [("programme_end", "partly_met"), ("follow_up", "met")]


def test_preparatory_interventions_only_for_programme_patients(planned, physician):
    item = plan_preparation(
        by=physician,
        episode=planned.episode,
        profession="physician",
        kind="medication_tapering",
    )
    assert item.status == "planned"


def test_agenda_flags_goals_due_and_keeps_a_constant_query_count(
    client_for, unit_a, coordinator, physician, planned, django_assert_num_queries
):
    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="x",
        measure="y",
        target_date=_today(),
    )
    sign_rehab_plan(
        by=physician,
        plan=RehabPlan.objects.get(pk=planned.pk),
        expected_version=1,
        signed_on=_today(),
        signature="paper",
        consent_to_forsakringskassan=False,
    )
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as first:
        response = client.get("/vardforlopp/patientkonferens/")
    [row] = response.context["rows"]
    assert row.flags == ("goals_due",)
    from painrehab.pathway.services.episodes import open_episode

    for patient in PatientFactory.create_batch(12, unit=unit_a):
        episode = _to_investigation(
            open_episode(
                patient=patient,
                by=coordinator,
                source="referral",
                received_on=_today() - timedelta(days=50),
            ),
            physician,
            coordinator,
        )
        for state in [
            State.ASSESSMENT_CONFERENCE,
            State.PLANNING_MEETING,
            State.PREPARATION,
        ]:
            move_episode(episode=episode, to=state, by=physician)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get("/vardforlopp/patientkonferens/")
    assert len(response.context["rows"]) == 13


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


def test_unit_administrator_changes_the_criteria_as_a_new_version(
    client_for, coordinator, physician
):
    import json

    from painrehab.pathway.models import CriteriaSet

    current = [c.to_dict() for c in rules.KRT_CRITERIA]
    current[2]["params"] = {"minimum": 18, "maximum": 65}
    response = client_for(coordinator).post(
        "/vardforlopp/kriterier/krt/", {"criteria": json.dumps(current)}
    )
    assert response.status_code == 302
    saved = CriteriaSet.objects.get()
    assert (saved.version, saved.criteria[2]["params"]) == (
        1,
        {"minimum": 18, "maximum": 65},
    )
    assert client_for(physician).get("/vardforlopp/kriterier/krt/").status_code == 403


def _criteria_rows(criteria) -> dict[str, str]:  # noqa: ANN001
    """The criteria page's form as posted unchanged, one row per criterion."""
    data = {"rows": str(len(criteria))}
    for i, c in enumerate(criteria):
        data |= {
            f"c-{i}-key": c.key,
            f"c-{i}-rule": c.rule or "",
            f"c-{i}-source": c.source,
            f"c-{i}-text_sv": c.text_sv,
            f"c-{i}-text_en": c.text_en,
            f"c-{i}-kind": str(c.kind),
            f"c-{i}-discharge_reason": c.discharge_reason,
            **({f"c-{i}-checked": "1"} if c.checked_at_assessment else {}),
            **{f"c-{i}-param-{k}": str(v) for k, v in c.params.items()},
        }
    return data


def test_the_criteria_page_reads_as_sentences_not_as_data(client_for, coordinator):
    html = client_for(coordinator).get("/vardforlopp/kriterier/krt/").content.decode()
    assert "Ålder 18–67 år på konferensdagen, enligt personnumret" in html
    assert "Teamet, vid konferensen" in html
    # The rule's key and the source stay in hidden fields, never shown.
    for code in ["age_between {", "{&#x27;minimum", '"rule":', ">seed 2"]:
        assert code not in html


def test_the_unit_administrator_changes_a_value_adds_and_removes_in_the_form(
    client_for, coordinator
):
    from painrehab.pathway.models import CriteriaSet

    current = list(rules.KRT_CRITERIA)
    age = next(i for i, c in enumerate(current) if c.rule == "age_between")
    data = _criteria_rows(current)
    data[f"c-{age}-param-maximum"] = "65"
    data["c-0-remove"] = "1"
    new = len(current)
    data |= {
        f"c-{new}-text_sv": "Kunna delta i gruppsamtal på svenska.",
        f"c-{new}-text_en": "Can take part in group talks in Swedish.",
        f"c-{new}-kind": "inclusion",
        f"c-{new}-checked": "1",
    }
    response = client_for(coordinator).post("/vardforlopp/kriterier/krt/", data)
    assert response.status_code == 302
    saved = {c["key"]: c for c in CriteriaSet.objects.get().criteria}
    assert saved[current[age].key]["params"] == {"minimum": 18, "maximum": 65}
    assert current[0].key not in saved
    added = saved["can_take_part_in_group_talks_in_swedish"]
    assert (added["rule"], added["kind"], added["checked_at_assessment"]) == (
        None,
        "inclusion",
        True,
    )


def test_broken_criteria_are_refused_and_the_text_is_kept(client_for, coordinator):
    from painrehab.pathway.models import CriteriaSet

    current = list(rules.KRT_CRITERIA)
    age = next(i for i, c in enumerate(current) if c.rule == "age_between")
    data = _criteria_rows(current)
    data[f"c-{age}-param-maximum"] = "sextiofem"
    data["c-1-text_sv"] = "Min ändrade text"
    response = client_for(coordinator).post("/vardforlopp/kriterier/krt/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "kunde inte sparas" in html
    assert "Ange ett heltal" in html
    assert "Min ändrade text" in html
    assert CriteriaSet.objects.count() == 0


def test_criteria_posted_as_data_are_still_checked(client_for, coordinator):
    from painrehab.pathway.models import CriteriaSet

    response = client_for(coordinator).post(
        "/vardforlopp/kriterier/krt/",
        {"criteria": '[{"key": "x", "kind": "nonsense"}]'},
    )
    assert response.status_code == 400
    assert "kunde inte sparas" in response.content.decode()
    assert CriteriaSet.objects.count() == 0


def test_record_template_changes_apply_to_new_records(
    client_for, coordinator, investigated, unit_a
):
    from painrehab.pathway.models import InvestigationRecord

    client_for(coordinator).post(
        "/vardforlopp/journalmall/physician/", {"labels": "Anamnes\nStatus\n"}
    )
    physician = Membership.objects.create(
        user=User.objects.create_user(username="dr2", password="x-password-123"),
        unit=unit_a,
        profession="physician",
    )
    save_investigation_record(
        by=physician,
        episode=investigated,
        values={"field_1": "A", "field_2": "S"},
        expected_version=None,
    )
    record = InvestigationRecord.objects.get()
    assert record.template_version == "v1"
    assert record.rows == [("Anamnes", "A"), ("Status", "S")]


def test_investigation_visits_are_booked_per_profession(
    client_for, investigated, coordinator, unit_a, working_day
):
    from painrehab.pathway.models import Booking

    psychologist = Membership.objects.create(
        user=User.objects.create_user(username="psy", password="x-password-123"),
        unit=unit_a,
        profession="psychologist",
    )
    client = client_for(coordinator)
    day = working_day(_today() + timedelta(days=7)).isoformat()
    wrong = {
        "book-profession": "physiotherapist",
        "book-staff": psychologist.user_id,
        "book-day": day,
        "book-start": "10:00",
        "book-minutes": 60,
        "book-mode": "on_site",
    }
    client.post(f"/vardforlopp/{investigated.pk}/utredning/boka/", wrong)
    assert Booking.objects.filter(kind="investigation").count() == 0
    client.post(
        f"/vardforlopp/{investigated.pk}/utredning/boka/",
        {**wrong, "book-profession": "psychologist"},
    )
    booking = Booking.objects.get(kind="investigation")
    assert (booking.staff_id, booking.screening_profession) == (
        psychologist.user_id,
        "psychologist",
    )
    page = client.get(f"/vardforlopp/{investigated.pk}/utredning/").content.decode()
    assert "Utredningsbesök" in page


def test_the_signed_plan_is_kept_as_signed_when_a_goal_is_added_later(
    planned, physician, client_for
):
    import hashlib
    import io

    from pypdf import PdfReader

    def text(pdf: bytes) -> str:
        return "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages
        )

    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=_today() + timedelta(days=60),
    )
    client = client_for(physician)
    draft = client.get(f"/vardforlopp/{planned.episode_id}/plan/pdf/").content
    assert "Utkast – ännu inte undertecknad" in text(draft)
    plan, _letters, _problems = sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=1,
        signed_on=_today(),
        signature="paper",
        consent_to_forsakringskassan=False,
    )
    signed = client.get(f"/vardforlopp/{planned.episode_id}/plan/pdf/").content
    # Found walking the pathway: the PDF was rebuilt on every download, so a
    # goal added after signing appeared in the "signed" plan.
    add_goal(
        by=physician,
        plan=RehabPlan.objects.get(pk=plan.pk),
        profession="physician",
        owner=physician.user,
        description="Tillagt efter underskriften",
        measure="självskattning",
        target_date=_today() + timedelta(days=30),
    )
    later = client.get(f"/vardforlopp/{planned.episode_id}/plan/pdf/").content
    assert later == signed
    assert "Gå 30 minuter" in text(later)
    assert "Tillagt efter underskriften" not in text(later)
    stored = RehabPlan.objects.get(pk=plan.pk)
    assert stored.signed_sha256 == hashlib.sha256(later).hexdigest()


# --- The primary-care (KRT) track: individual rehabilitation, MADRS from forms ---

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


def test_a_goal_is_owned_by_someone_of_its_profession(planned, physician):
    with pytest.raises(TransitionRefused, match="målets yrkesroll"):
        add_goal(
            by=physician,
            plan=planned,
            profession="physiotherapist",
            owner=physician.user,
            description="Gå 30 minuter",
            measure="minuter per dag",
            target_date=_today() + timedelta(days=60),
        )
    assert not planned.goals.exists()


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


def test_a_goal_added_after_signing_makes_a_new_version_to_sign(
    planned, physician, client_for, travel
):
    from painrehab.pathway.models import SignedPlanVersion
    from painrehab.steps.plan.services import sign_changed_plan

    first_day = travel("2027-03-08")
    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=first_day + timedelta(days=60),
    )
    sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=1,
        signed_on=first_day,
        signature="paper",
        consent_to_forsakringskassan=False,
    )
    later = travel("2027-03-22")
    plan = RehabPlan.objects.get(pk=planned.pk)
    add_goal(
        by=physician,
        plan=plan,
        profession="physician",
        owner=physician.user,
        description="Cykla till arbetet",
        measure="dagar per vecka",
        target_date=later + timedelta(days=30),
    )
    client = client_for(physician)
    page = client.get(f"/vardforlopp/{planned.episode_id}/plan/").content.decode()
    assert "Version 1: Undertecknad på papper 2027-03-08" in page
    assert "den nya versionen behöver patientens underskrift" in page
    response = client.post(
        f"/vardforlopp/{planned.episode_id}/plan/spara/",
        {
            "action": "sign_again",
            "version": plan.version,
            "signed_on": later.isoformat(),
            "signature": "tablet",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.changed_after_signing is False
    versions = list(SignedPlanVersion.objects.filter(plan=plan))
    assert [(v.number, v.signed_on, v.signature) for v in versions] == [
        (1, first_day, "paper"),
        (2, later, "tablet"),
    ]
    assert bytes(versions[1].pdf) == _stored(plan.signed_pdf)
    assert bytes(versions[0].pdf) != bytes(versions[1].pdf)  # the first stays as signed
    with pytest.raises(TransitionRefused, match="inte ändrats"):
        sign_changed_plan(by=physician, plan=plan, signed_on=later, signature="paper")


def test_the_copy_to_forsakringskassan_encloses_the_plan_exactly_as_signed(
    planned, physician, client_for, travel
):
    from painrehab.documents.models import Letter
    from painrehab.steps.plan.services import sign_changed_plan

    first_day = travel("2027-03-08")
    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=first_day + timedelta(days=60),
    )
    plan, letters, _problems = sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=1,
        signed_on=first_day,
        signature="paper",
        consent_to_forsakringskassan=True,
    )
    copy = Letter.objects.get(pk=letters[0].pk)
    assert _stored(copy.enclosure_pdf) == _stored(plan.signed_pdf)
    assert copy.enclosure_sha256 == plan.signed_sha256
    assert (
        copy.enclosure_name == "Rehabiliteringsplan undertecknad 2027-03-08 (version 1)"
    )

    later = travel("2027-03-22")
    add_goal(
        by=physician,
        plan=RehabPlan.objects.get(pk=plan.pk),
        profession="physician",
        owner=physician.user,
        description="Cykla till arbetet",
        measure="dagar per vecka",
        target_date=later + timedelta(days=30),
    )
    client = client_for(physician)
    sent = client.get(f"/brev/{copy.pk}/bilaga/")
    assert sent.status_code == 200
    assert sent.content == _stored(plan.signed_pdf)  # the later goal is not in it
    page = client.get(f"/brev/{copy.pk}/").content.decode()
    assert "Bilaga" in page
    assert copy.enclosure_name in page

    _version, new_letters, _problems = sign_changed_plan(
        by=physician,
        plan=RehabPlan.objects.get(pk=plan.pk),
        signed_on=later,
        signature="tablet",
    )
    again = Letter.objects.get(pk=new_letters[0].pk)
    assert again.enclosure_name.endswith("(version 2)")
    assert _stored(again.enclosure_pdf) != _stored(copy.enclosure_pdf)
    assert _stored(Letter.objects.get(pk=copy.pk).enclosure_pdf) == sent.content


def test_a_letter_without_enclosure_has_none_to_show(planned, physician, client_for):
    from painrehab.documents.services import draft_letter

    letter = draft_letter(
        by=physician, episode=planned.episode, kind=LetterKind.FIRST_NOTICE
    )
    assert client_for(physician).get(f"/brev/{letter.pk}/bilaga/").status_code == 404


def test_a_post_with_no_criteria_saves_nothing(client_for, coordinator):
    from painrehab.pathway.models import CriteriaSet

    response = client_for(coordinator).post(
        "/vardforlopp/kriterier/krt/", {"rows": "0"}
    )
    assert response.status_code == 400
    assert "Behåll minst ett kriterium" in response.content.decode()
    assert CriteriaSet.objects.count() == 0


def test_the_criteria_page_links_to_each_template(client_for, coordinator):
    html = client_for(coordinator).get("/vardforlopp/kriterier/krt/").content.decode()
    assert 'href="/vardforlopp/kriterier/specialist/"' in html
    assert 'href="/vardforlopp/kriterier/krt/" aria-current="page"' in html


def test_a_copy_to_forsakringskassan_drafted_by_hand_encloses_the_signed_plan(
    planned, physician, travel
):
    from painrehab.documents.services import LetterRefused, draft_letter

    first_day = travel("2027-03-08")
    with pytest.raises(LetterRefused, match="inte undertecknad"):
        draft_letter(
            by=physician, episode=planned.episode, kind=LetterKind.PLAN_COPY_FK
        )
    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=first_day + timedelta(days=60),
    )
    plan, _letters, _problems = sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=1,
        signed_on=first_day,
        signature="paper",
        consent_to_forsakringskassan=False,
    )
    letter = draft_letter(
        by=physician,
        episode=Episode.objects.get(pk=plan.episode_id),
        kind=LetterKind.PLAN_COPY_FK,
    )
    assert _stored(letter.enclosure_pdf) == _stored(plan.signed_pdf)
    assert letter.enclosure_name.endswith("(version 1)")


def test_a_record_template_without_fields_is_refused_and_the_text_stays(
    client_for, coordinator
):
    from painrehab.pathway.models import InvestigationTemplate

    response = client_for(coordinator).post(
        "/vardforlopp/journalmall/physician/", {"labels": "  \n\t\n"}
    )
    html = response.content.decode()
    assert "Ange minst ett fält." in html
    assert "  \n\t\n</textarea>" in html  # what was typed stays
    assert InvestigationTemplate.objects.count() == 0


def test_an_investigation_record_with_a_version_that_is_no_number_is_not_saved(
    client_for, physician, investigated
):
    from painrehab.pathway.models import InvestigationRecord

    url = f"/vardforlopp/{investigated.pk}/utredning/"
    client = client_for(physician)
    client.post(url, {"previous": "Första", "version": ""})
    for version in ["1" * 5000, "9" * 30, "-1", "ett"]:
        response = client.post(url, {"previous": "Skrivet", "version": version})
        assert response.status_code == 400, version
        assert "Skrivet" in response.content.decode()  # what was typed stays
    assert InvestigationRecord.objects.get().values["previous"] == "Första"
