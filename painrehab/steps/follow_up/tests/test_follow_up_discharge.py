"""Follow-up windows on the worklist, follow-up records, discharge with an alternative plan (issue 7)."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from painrehab.documents.models import Letter, LetterKind
from painrehab.pathway.models import (
    DischargeRecord,
    Episode,
    EpisodeTransition,
    FollowUpRecord,
    RehabPlan,
)
from painrehab.pathway.services.follow_up import schedule_for
from painrehab.pathway.services.follow_ups_due import refresh_follow_ups_due
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import (
    GROUP_PROGRAMME_PATH,
    DischargeReason,
    State,
    TransitionRefused,
)
from painrehab.patients.tests.factories import PatientFactory
from painrehab.steps.discharge.services import discharge_episode
from painrehab.steps.follow_up.services import record_follow_up
from painrehab.steps.plan.services import add_goal
from painrehab.steps.worklist import worklist_for

# Every test sees one day: the clock fixture holds it still (conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def _today():  # noqa: ANN202
    return timezone.localdate()


# From triage to follow-up by the group programme.
PATH = GROUP_PROGRAMME_PATH[1 : GROUP_PROGRAMME_PATH.index(State.FOLLOW_UP) + 1]


def _in_follow_up(episode, physician, coordinator, *, ended_days_ago):  # noqa: ANN001, ANN202
    for state in PATH:
        move_episode(
            episode=episode,
            to=state,
            by=coordinator if state == State.WAITING_NEW_VISIT else physician,
        )
    # Noon on the day, in Stockholm: "days ago" counted in calendar days, the
    # same however late the test runs or whether a DST change lies between.
    ended = timezone.make_aware(
        datetime.combine(_today() - timedelta(days=ended_days_ago), time(12))
    )
    EpisodeTransition.objects.filter(episode=episode, to_state=State.FOLLOW_UP).update(
        at=ended
    )
    refresh_follow_ups_due([episode.pk])  # the day moved as a service would
    return Episode.objects.get(pk=episode.pk)


@pytest.mark.parametrize(
    ("days_ago", "section"),
    [(13, None), (14, "upcoming"), (27, "upcoming"), (28, "today"), (42, "today"), (43, "today")],
)  # fmt: skip
def test_four_to_six_week_contact_appears_14_days_before_its_window_opens(
    episode_a, physician, coordinator, days_ago, section
):
    _in_follow_up(episode_a, physician, coordinator, ended_days_ago=days_ago)
    items = [
        i
        for i in worklist_for(membership=coordinator, today=_today())
        if i.kind == "follow_up"
    ]
    assert [i.section for i in items] == ([section] if section else [])
    if section:
        assert items[0].overdue is (days_ago > 42)


def test_recorded_follow_up_leaves_the_worklist(episode_a, physician, coordinator):
    episode = _in_follow_up(episode_a, physician, coordinator, ended_days_ago=30)
    record_follow_up(
        by=coordinator,
        episode=episode,
        item_key="contact_4_6_weeks",
        outcome="done",
        held_on=_today(),
        mode="phone",
        maintenance_plan_completed=True,
        setbacks="Förkylning",
        contacts_needed="Företagshälsovården",
    )
    assert [
        i
        for i in worklist_for(membership=coordinator, today=_today())
        if i.kind == "follow_up"
    ] == []
    saved = FollowUpRecord.objects.get()
    assert (saved.maintenance_plan_completed, saved.setbacks) == (True, "Förkylning")


def test_on_site_follow_up_drafts_the_summary_and_with_consent_the_copy_to_fk(
    episode_a, physician, coordinator
):
    from painrehab.pathway.models import Referral

    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad"
    )
    episode = _in_follow_up(episode_a, physician, coordinator, ended_days_ago=100)
    _saved, letters, problems = record_follow_up(
        by=coordinator,
        episode=episode,
        item_key="on_site_3_4_months",
        outcome="done",
        held_on=_today(),
        team_summary="Arbetar 50 %, tränar regelbundet.",
        summary_to_forsakringskassan=True,
    )
    assert problems == []
    assert [letter.kind for letter in letters] == [
        LetterKind.FOLLOW_UP_SUMMARY,
        LetterKind.FOLLOW_UP_SUMMARY_FK,
    ]
    assert "Arbetar 50 %" in letters[0].body


def test_a_follow_up_cannot_be_recorded_twice_or_off_schedule(
    episode_a, physician, coordinator
):
    episode = _in_follow_up(episode_a, physician, coordinator, ended_days_ago=30)
    record_follow_up(
        by=coordinator,
        episode=episode,
        item_key="contact_4_6_weeks",
        outcome="not_reached",
        held_on=_today(),
    )
    with pytest.raises(TransitionRefused):
        record_follow_up(
            by=coordinator,
            episode=episode,
            item_key="contact_4_6_weeks",
            outcome="done",
            held_on=_today(),
        )
    with pytest.raises(TransitionRefused):
        record_follow_up(
            by=coordinator,
            episode=episode,
            item_key="krt_group_1_month",
            outcome="done",
            held_on=_today(),
        )


def test_individual_track_has_its_own_schedule(episode_a, physician, coordinator):
    episode = _in_follow_up(episode_a, physician, coordinator, ended_days_ago=1)
    RehabPlan.objects.create(
        episode=episode, track="individual", updated_by=physician.user
    )
    episode = Episode.objects.get(pk=episode.pk)
    assert [i.key for i in schedule_for(episode)] == [
        "individual_3_4_months",
        "registry_questionnaires_12_months",
        "feedback_12_months",
    ]


@pytest.mark.parametrize(
    "reason", [r for r in DischargeReason.values if r != DischargeReason.COMPLETED]
)
def test_every_discharge_reason_requires_and_stores_the_alternative_plan(
    episode_a, physician, coordinator, reason
):
    with pytest.raises(TransitionRefused, match="alternativa planen"):
        discharge_episode(
            by=physician,
            episode=episode_a,
            reason=reason,
            taken_over_by="",
            recommendation="",
        )
    assert Episode.objects.get(pk=episode_a.pk).state == State.REFERRAL_RECEIVED
    if reason == DischargeReason.ABSENCE:  # the patient was warned first
        from painrehab.documents.services import draft_letter, finalise_letter

        warning = draft_letter(
            by=coordinator, episode=episode_a, kind=LetterKind.ABSENCE_WARNING
        )
        finalise_letter(by=coordinator, letter=warning)
    discharge_episode(
        by=physician,
        episode=episode_a,
        reason=reason,
        taken_over_by="Vårdcentralen Exempel",
        recommendation="Fortsatt träning",
    )
    saved = DischargeRecord.objects.get(episode=episode_a)
    assert (saved.reason, saved.taken_over_by, saved.recommendation) == (
        reason,
        "Vårdcentralen Exempel",
        "Fortsatt träning",
    )
    assert Episode.objects.get(pk=episode_a.pk).discharge_reason == reason


def test_a_discharged_episode_refuses_edits_and_a_new_referral_opens_a_new_episode(
    episode_a, physician, coordinator, patient_a
):
    from painrehab.steps.investigation.services import save_investigation_record
    from painrehab.steps.referral.services import register_referral

    discharge_episode(
        by=physician,
        episode=episode_a,
        reason="patient_choice",
        taken_over_by="Patienten själv",
        recommendation="Hör av dig vid behov",
    )
    closed = Episode.objects.get(pk=episode_a.pk)
    with pytest.raises(TransitionRefused, match="avslutat"):
        save_investigation_record(
            by=physician,
            episode=closed,
            values={"assessment": "x"},
            expected_version=None,
        )
    with pytest.raises(TransitionRefused):
        move_episode(episode=closed, to=State.TRIAGED, by=physician)
    new = register_referral(
        by=coordinator, patient=patient_a, source="referral", received_on=_today()
    )
    assert new.pk != closed.pk
    assert new.state == State.REFERRAL_RECEIVED


def test_discharge_page_drafts_the_letter_and_keeps_typed_text_when_refused(
    client_for, physician, episode_a
):
    from painrehab.pathway.models import Referral

    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad"
    )
    client = client_for(physician)
    refused = client.post(
        f"/vardforlopp/{episode_a.pk}/utskrivning/",
        {"reason": "patient_choice", "taken_over_by": "", "recommendation": "Egenvård"},
    )
    assert refused.status_code == 400
    assert "Egenvård" in refused.content.decode()
    response = client.post(
        f"/vardforlopp/{episode_a.pk}/utskrivning/",
        {
            "reason": "patient_choice",
            "taken_over_by": "Dr Remiss",
            "recommendation": "Egenvård",
        },
    )
    letter = Letter.objects.get(kind=LetterKind.DISCHARGE)
    assert response["Location"] == f"/brev/{letter.pk}/"
    assert "Fortsatt ansvar: Dr Remiss" in letter.body


def test_goals_cannot_be_added_after_discharge(episode_a, physician):
    plan = RehabPlan.objects.create(
        episode=episode_a, track="group_programme", updated_by=physician.user
    )
    discharge_episode(
        by=physician,
        episode=episode_a,
        reason="patient_choice",
        taken_over_by="x",
        recommendation="y",
    )
    plan.episode.refresh_from_db()
    with pytest.raises(TransitionRefused):
        add_goal(
            by=physician,
            plan=plan,
            profession="physician",
            owner=physician.user,
            description="x",
            measure="y",
            target_date=_today(),
        )


def test_worklist_query_count_is_the_same_at_120_and_500_due_items(
    client_for, unit_a, coordinator, physician, django_assert_num_queries
):
    from painrehab.steps.referral.services import open_episode

    def add(n):  # noqa: ANN001, ANN202
        for patient in PatientFactory.create_batch(n, unit=unit_a):
            episode = open_episode(
                patient=patient,
                by=coordinator,
                source="referral",
                received_on=_today() - timedelta(days=22),  # due in 10 days
            )
            if patient.pk % 2:
                move_episode(
                    episode=episode, to=State.TRIAGED, by=physician
                )  # a visit to book

    client = client_for(coordinator)
    add(120)  # past one page of visits to book
    episode = open_episode(
        patient=PatientFactory.create(unit=unit_a),
        by=coordinator,
        source="referral",
        received_on=_today() - timedelta(days=200),
    )
    _in_follow_up(episode, physician, coordinator, ended_days_ago=30)
    with CaptureQueriesContext(connection) as at_120:
        response = client.get("/")
    assert len(response.context["items"]) == 50
    add(380)
    with django_assert_num_queries(len(at_120.captured_queries)):
        response = client.get("/")
    page = response.context["items"]
    assert len(page) == 50
    assert page.total >= 246
    order = [(item.upcoming, item.due_on) for item in page]
    assert order == sorted(order)


def test_worklist_pages_neither_repeat_nor_skip(unit_a, coordinator, physician):
    from painrehab.audit.models import AuditEvent
    from painrehab.steps.referral.services import open_episode

    for n, patient in enumerate(PatientFactory.create_batch(130, unit=unit_a)):
        episode = open_episode(
            patient=patient,
            by=coordinator,
            source="referral",
            received_on=_today() - timedelta(days=27 + n % 9),  # due -3 to +5 days
        )
        move_episode(episode=episode, to=State.TRIAGED, by=physician)
    pages = [
        worklist_for(membership=coordinator, today=_today(), page=n) for n in (1, 2, 3)
    ]
    shown = []
    for page in pages:
        for item in page:
            assert item.patient is not None
            shown.append((item.kind, item.patient.pk))
    assert [len(page) for page in pages] == [50, 50, 30]
    assert len(set(shown)) == 130
    assert [item.due_on for page in pages for item in page] == sorted(
        item.due_on for page in pages for item in page
    )
    assert worklist_for(membership=coordinator, today=_today(), page=99).number == 3
    last = (
        AuditEvent.objects.filter(what__startswith="worklist").order_by("-pk").first()
    )
    assert last is not None
    assert last.patients.count() == 30  # only the patients on the page shown


def test_unanswered_questionnaires_are_on_the_worklist_and_the_agenda(
    episode_a, physician, coordinator
):
    from painrehab.core.dates import week_monday
    from painrehab.questionnaires.sample_wording import install_sample_wordings
    from painrehab.questionnaires.services import send_package
    from painrehab.steps.patient_conference.selectors import patient_conference_agenda

    install_sample_wordings(unit=episode_a.unit, user=coordinator.user)
    for state in PATH[:7]:
        move_episode(
            episode=episode_a,
            to=state,
            by=coordinator if state == State.WAITING_NEW_VISIT else physician,
        )
    send_package(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        time_point="registry_before",
    )
    from painrehab.questionnaires.models import QuestionnaireRequest

    expires = QuestionnaireRequest.objects.get().expires_on
    for days_before, shown in [(15, 0), (14, 1), (0, 1), (-3, 1)]:
        day = expires - timedelta(days=days_before)
        kinds = [i.kind for i in worklist_for(membership=coordinator, today=day)]
        assert kinds.count("questionnaires") == shown
    [row] = patient_conference_agenda(
        membership=coordinator, week_of=week_monday(_today())
    )
    assert row.flags == ("questionnaires_missing",)


def test_conference_items_are_due_on_the_open_conferences_day_else_when_the_step_began(
    unit_a, coordinator, physician
):
    from datetime import datetime

    from painrehab.pathway.models import AssessmentConference
    from painrehab.steps.referral.services import open_episode

    def at_conference(days_ago):  # noqa: ANN001, ANN202
        episode = open_episode(
            patient=PatientFactory.create(unit=unit_a),
            by=coordinator,
            source="referral",
            received_on=_today() - timedelta(days=90),
        )
        since = timezone.make_aware(
            datetime.combine(
                _today() - timedelta(days=days_ago), datetime.min.time()
            ).replace(hour=0, minute=30)
        )
        Episode.objects.filter(pk=episode.pk).update(
            state=State.ASSESSMENT_CONFERENCE, state_since=since
        )
        return episode

    waiting = at_conference(
        days_ago=3
    )  # 00:30 local, 23:30 UTC the day before: the date is Stockholm's
    booked = at_conference(days_ago=20)
    AssessmentConference.objects.create(
        episode=booked,
        held_on=_today() + timedelta(days=2),
        criteria_template="specialist",
        criteria_version="1",
    )
    decided = at_conference(days_ago=10)
    AssessmentConference.objects.create(episode=decided, held_on=_today() - timedelta(days=30), criteria_template="specialist", criteria_version="1",
                                        decision="further_conference", decided_by=physician.user, decided_at=timezone.now())  # fmt: skip
    items = [
        item
        for item in worklist_for(membership=coordinator, today=_today())
        if item.kind == "conference"
    ]
    assert [i for i in worklist_for(membership=physician, today=_today()) if i.kind == "conference"] == []  # fmt: skip
    assert [(item.args[0], item.due_on, item.overdue) for item in items] == [
        (decided.pk, _today() - timedelta(days=10), True),
        (waiting.pk, _today() - timedelta(days=3), True),
        (booked.pk, _today() + timedelta(days=2), False),
    ]


def test_discharge_for_absence_needs_the_warning_the_patient_got_first(
    episode_a, coordinator
):
    from painrehab.documents.services import draft_letter, finalise_letter

    def discharge():  # noqa: ANN202
        return discharge_episode(
            by=coordinator,
            episode=Episode.objects.get(pk=episode_a.pk),
            reason="absence",
            taken_over_by="Vårdcentralen",
            recommendation="Fortsatt träning",
        )

    with pytest.raises(TransitionRefused, match="först har fått en varning"):
        discharge()
    warning = draft_letter(
        by=coordinator, episode=episode_a, kind=LetterKind.ABSENCE_WARNING
    )
    with pytest.raises(TransitionRefused):  # a draft was never sent
        discharge()
    finalise_letter(by=coordinator, letter=warning)
    assert discharge().reason == "absence"
    assert Episode.objects.get(pk=episode_a.pk).state == State.DISCHARGED


def test_completed_as_planned_is_only_the_discharge_after_follow_up(
    episode_a, coordinator
):
    # Found walking the pathway: a referral not yet booked was discharged as
    # "Genomfört enligt plan".
    with pytest.raises(TransitionRefused, match="Genomfört enligt plan"):
        discharge_episode(
            by=coordinator,
            episode=episode_a,
            reason=DischargeReason.COMPLETED,
            taken_over_by="Vårdcentralen",
            recommendation="Fortsatt träning",
        )
    assert Episode.objects.get(pk=episode_a.pk).state == State.REFERRAL_RECEIVED


def test_discharge_cancels_the_visits_still_to_come(
    episode_a, coordinator, physician, today, working_day
):
    from zoneinfo import ZoneInfo

    from painrehab.pathway.models import Booking
    from painrehab.steps.new_visit.services import book_new_visit
    from painrehab.steps.triage.services import triage_referral

    visit_day = working_day(today + timedelta(days=21))
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    visit = book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=datetime.combine(
            visit_day, time(9), tzinfo=ZoneInfo("Europe/Stockholm")
        ),
        physician=physician.user,
    )
    discharge_episode(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        reason=DischargeReason.PATIENT_CHOICE,
        taken_over_by="Vårdcentralen",
        recommendation="Fortsatt träning",
    )
    visit.refresh_from_db()
    assert (visit.status, visit.status_changed_on) == (
        Booking.Status.UNIT_CANCELLATION,
        today,
    )


def test_a_follow_up_whose_summary_cannot_be_drafted_is_not_recorded(
    episode_a, physician, coordinator, break_letters
):
    from painrehab.audit.models import AuditEvent
    from painrehab.pathway.models import FollowUpDue, Referral

    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad"
    )
    episode = _in_follow_up(episode_a, physician, coordinator, ended_days_ago=100)
    due_before = list(FollowUpDue.objects.filter(episode=episode).values())
    break_letters()
    with pytest.raises(RuntimeError, match="letter drafting broke"):
        record_follow_up(
            by=coordinator,
            episode=episode,
            item_key="on_site_3_4_months",
            outcome="done",
            held_on=_today(),
            team_summary="Arbetar 50 %.",
        )
    # The record, its due row and its audit row went with the letter.
    assert not FollowUpRecord.objects.filter(episode=episode).exists()
    assert list(FollowUpDue.objects.filter(episode=episode).values()) == due_before
    assert not AuditEvent.objects.filter(what="follow-up on_site_3_4_months").exists()


def test_a_discharge_whose_letter_cannot_be_drafted_is_not_made(
    client_for, physician, episode_a, break_letters
):
    from painrehab.pathway.models import Referral

    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad"
    )
    break_letters()
    with pytest.raises(RuntimeError, match="letter drafting broke"):
        client_for(physician).post(
            f"/vardforlopp/{episode_a.pk}/utskrivning/",
            {
                "reason": "patient_choice",
                "taken_over_by": "Dr Remiss",
                "recommendation": "Egenvård",
            },
        )
    assert Episode.objects.get(pk=episode_a.pk).state == State.REFERRAL_RECEIVED
    assert not DischargeRecord.objects.filter(episode=episode_a).exists()


def test_a_discharge_without_the_referrers_address_stands_with_a_warning(
    client_for, physician, episode_a
):
    from painrehab.pathway.models import Referral

    Referral.objects.filter(episode=episode_a).update(referrer_address="")
    response = client_for(physician).post(
        f"/vardforlopp/{episode_a.pk}/utskrivning/",
        {
            "reason": "patient_choice",
            "taken_over_by": "Dr Remiss",
            "recommendation": "Egenvård",
        },
        follow=True,
    )
    assert Episode.objects.get(pk=episode_a.pk).state == State.DISCHARGED
    assert not Letter.objects.filter(kind=LetterKind.DISCHARGE).exists()
    shown = [str(m) for m in response.context["messages"]]
    assert shown[0] == "Patienten är utskriven."
    assert len(shown) == 2
