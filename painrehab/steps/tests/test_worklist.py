"""Each profession's worklist is its day (issue 16): whose work each item is,
the day it appears, the two sections, and a constant number of queries."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from painrehab.accounts.permissions import Profession
from painrehab.core.dates import week_monday
from painrehab.documents.models import Letter, LetterDispatch, LetterKind
from painrehab.pathway import work
from painrehab.pathway.models import (
    AssessmentConference,
    Booking,
    Episode,
    Goal,
    GoalEvaluation,
    InvestigationRecord,
    PreparatoryIntervention,
    RehabPlan,
)
from painrehab.pathway.states import State
from painrehab.pathway.work import Section
from painrehab.patients.tests.factories import PatientFactory
from painrehab.programmes.models import (
    Appointment,
    Attendance,
    Cohort,
    Session,
    SessionStaff,
)
from painrehab.programmes.services.templates import ensure_default_templates
from painrehab.programmes.tests.factories import team
from painrehab.steps.investigation.services import mark_visit_held
from painrehab.steps.worklist import PAGE_SIZE, worklist_for

MONDAY = date(2027, 3, 1)  # the day the rules below are given: data, not the clock
P = Profession

# -- the rules, without the database ------------------------------------------


@pytest.mark.parametrize(
    ("days", "section"),
    [(-30, Section.TODAY), (0, Section.TODAY), (1, Section.UPCOMING),
     (14, Section.UPCOMING), (15, None)],
)  # fmt: skip
def test_an_item_is_today_when_due_coming_within_14_days_and_hidden_after(
    days, section
):
    assert work.section_of(MONDAY + timedelta(days=days), today=MONDAY) == section


@pytest.mark.parametrize(
    ("kind", "profession", "is_author", "finishes"),
    [
        # drafted at triage by the physician: the office finishes it
        (LetterKind.RETURN_TO_REFERRER, P.PHYSICIAN, True, False),
        (LetterKind.RETURN_TO_REFERRER, P.COORDINATOR_NURSE, False, True),
        (LetterKind.CONFIRMATION_PATIENT, P.SECRETARY, False, True),
        (LetterKind.INVITATION, P.PSYCHOLOGIST, True, False),
        # the clinician's text: its author, and nobody else
        (LetterKind.FINAL_NOTE, P.REHAB_COORDINATOR, True, True),
        (LetterKind.FINAL_NOTE, P.COORDINATOR_NURSE, False, False),
        (LetterKind.TEAM_SUMMARY, P.SECRETARY, False, False),
    ],
)
def test_letters_fall_to_the_office_unless_the_text_is_the_clinicians(
    kind, profession, is_author, finishes
):
    assert (
        work.finishes_letter(kind, profession=profession, is_author=is_author)
        is finishes
    )


def test_only_the_office_sends_letters_and_a_final_letter_is_due_the_next_day():
    assert {p for p in P.values if work.sends_letters(p)} == {
        P.COORDINATOR_NURSE,
        P.SECRETARY,
    }
    assert work.letter_due(drafted_on=MONDAY, finalised_on=None) == date(2027, 3, 8)
    assert work.letter_due(drafted_on=MONDAY, finalised_on=date(2027, 3, 3)) == date(
        2027, 3, 4
    )


def test_the_conference_is_the_coordinators_and_theirs_who_met_the_patient():
    assert work.holds_conference(P.COORDINATOR_NURSE, met_patient=False) is True
    assert work.holds_conference(P.PHYSIOTHERAPIST, met_patient=True) is True
    assert work.holds_conference(P.PHYSIOTHERAPIST, met_patient=False) is False
    assert work.plans_with_patient(P.PSYCHOLOGIST, booked_at_meeting=False) is True
    assert work.plans_with_patient(P.SOCIAL_WORKER, booked_at_meeting=False) is False
    assert work.plans_with_patient(P.SOCIAL_WORKER, booked_at_meeting=True) is True


def test_the_new_visit_is_booked_in_time_for_the_invitation_four_weeks_ahead():
    assert work.BOOK_DAYS == 32  # 60-day goal, invitation 28 days before


def test_preparation_is_due_when_the_programme_starts_else_four_weeks_on():
    starts = date(2027, 4, 5)
    assert work.preparation_due(planned_on=MONDAY, programme_starts_on=starts) == starts
    assert work.preparation_due(planned_on=MONDAY, programme_starts_on=None) == date(
        2027, 3, 29
    )


def test_a_session_asks_to_be_run_then_for_attendance_until_it_is_registered():
    before, day, after = MONDAY - timedelta(days=1), MONDAY, MONDAY + timedelta(days=1)
    assert (
        work.session_work(on=day, today=before, attendance_recorded=False) == "session"
    )
    assert work.session_work(on=day, today=day, attendance_recorded=False) == "session"
    assert (
        work.session_work(on=day, today=after, attendance_recorded=False)
        == "attendance"
    )
    assert work.session_work(on=day, today=after, attendance_recorded=True) is None


@pytest.mark.parametrize(
    ("days_after_end", "section"),
    [(13, None), (14, Section.UPCOMING), (27, Section.UPCOMING), (28, Section.TODAY),
     (42, Section.TODAY), (43, Section.TODAY)],
)  # fmt: skip
def test_a_follow_up_is_coming_14_days_before_its_window_opens_and_today_while_open(
    days_after_end, section
):
    from painrehab.core.windows import follow_up_schedule, window_status
    from painrehab.steps.worklist import follow_up_section

    ended = MONDAY - timedelta(days=days_after_end)
    [contact] = follow_up_schedule(ended_on=ended, track="group_programme")[:1]
    status = window_status(contact.window, today=MONDAY, done=False, not_reached=False)
    assert follow_up_section(contact, today=MONDAY, status=status) == section
    done = window_status(contact.window, today=MONDAY, done=True, not_reached=False)
    assert follow_up_section(contact, today=MONDAY, status=done) is None


def test_a_goal_until_follow_up_is_evaluated_at_follow_up():
    assert work.evaluation_time(Goal.Phase.UNTIL_FOLLOW_UP) == "follow_up"
    assert work.evaluation_time(Goal.Phase.REHABILITATION) == "programme_end"


# -- the worklists of the whole team ------------------------------------------


def _a_coming_monday() -> date:
    """A Monday one to seven days after the run's day, and so after every
    fixture it makes (the clock of the run is read once, when the module is
    imported); on a day of the month that every month has, so that a year
    back is the same date."""
    day = week_monday(timezone.localdate()) + timedelta(days=7)
    while day.day > 28:  # noqa: PLR2004
        day += timedelta(days=7)
    return day


START = _a_coming_monday()  # the tests below travel to it and on from it


@pytest.fixture
def cast(unit_a, physician, coordinator, secretary, sports_leader):  # noqa: ANN001, ANN201
    """One member of every profession in unit A."""
    others = {m.profession: m for m in team(unit_a).values()}
    return {
        **others,
        P.PHYSICIAN: physician,
        P.COORDINATOR_NURSE: coordinator,
        P.SECRETARY: secretary,
        P.SPORTS_LEADER: sports_leader,
    }


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _episode(unit, state, *, opened_on=None, since=None):  # noqa: ANN001, ANN202
    patient = PatientFactory.create(unit=unit)
    closed = {"closed_on": START, "discharge_reason": "returned_at_triage"}
    return Episode.objects.create(
        patient=patient,
        unit=unit,
        state=state,
        state_since=_at(since or START),
        opened_on=opened_on or START - timedelta(days=30),
        **(closed if state == State.DISCHARGED else {}),
    )


def _booking(episode, kind, staff, day, profession=""):  # noqa: ANN001, ANN202
    return Booking.objects.create(
        episode=episode, unit=episode.unit, kind=kind, starts_at=_at(day),
        staff=staff.user, screening_profession=profession, booked_by=staff.user,
    )  # fmt: skip


def _letter(episode, kind, by, **extra):  # noqa: ANN001, ANN003, ANN202
    return Letter.objects.create(
        unit=episode.unit, patient=episode.patient, episode=episode, kind=kind,
        template_version="1", recipient="referrer", recipient_name="Dr Remiss",
        recipient_address="Box 1", subject="Ärende", body="Text", letter_date=START,
        created_by=by.user, **extra,
    )  # fmt: skip


def _cohort(unit, coordinator):  # noqa: ANN001, ANN202
    template = next(
        t for t in ensure_default_templates(unit) if t.key == "specialist_5_weeks"
    )
    return Cohort.objects.create(
        unit=unit, template=template, name="Våren", start=START,
        end=START + timedelta(days=34), created_by=coordinator.user,
    )  # fmt: skip


def _session(cohort, leader, day):  # noqa: ANN001, ANN202
    session = Session.objects.create(
        unit=cohort.unit, cohort=cohort, activity_key="training",
        activity_name="Träning i grupp", date=day, start=time(10), end=time(11),
        attendees=Session.Attendees.ALL,
    )  # fmt: skip
    SessionStaff.objects.create(
        session=session, user=leader.user, profession=leader.profession, minutes=60
    )
    return session


DUE = START + timedelta(days=20)


def _investigation_record(unit, cast):  # noqa: ANN001, ANN202
    episode = _episode(unit, State.TEAM_INVESTIGATION)
    _booking(
        episode, Booking.Kind.INVESTIGATION, cast[P.PSYCHOLOGIST], DUE, P.PSYCHOLOGIST
    )
    return "record", DUE, {P.PSYCHOLOGIST}


def _new_visit_record(unit, cast):  # noqa: ANN001, ANN202
    episode = _episode(unit, State.WAITING_NEW_VISIT)
    _booking(episode, Booking.Kind.NEW_VISIT, cast[P.PHYSICIAN], DUE)
    return "record", DUE, {P.PHYSICIAN}


def _goal(unit, cast):  # noqa: ANN001, ANN202
    episode = _episode(unit, State.GROUP_PROGRAMME)
    plan = RehabPlan.objects.create(episode=episode, track="group_programme",
                                    updated_by=cast[P.PHYSICIAN].user)  # fmt: skip
    physio = cast[P.PHYSIOTHERAPIST]
    Goal.objects.create(plan=plan, profession=physio.profession, owner=physio.user,
                        description="Gå 30 minuter", measure="minuter",
                        target_date=DUE, set_on=START)  # fmt: skip
    return "goal", DUE, {P.PHYSIOTHERAPIST}


def _preparation(unit, cast):  # noqa: ANN001, ANN202
    episode = _episode(unit, State.PREPARATION)
    PreparatoryIntervention.objects.create(
        episode=episode, profession=P.OCCUPATIONAL_THERAPIST,
        kind="aids_and_ergonomics", updated_by=cast[P.COORDINATOR_NURSE].user,
    )  # fmt: skip
    return "preparation", START + timedelta(days=28), {P.OCCUPATIONAL_THERAPIST}


def _group_session(unit, cast):  # noqa: ANN001, ANN202
    _session(_cohort(unit, cast[P.COORDINATOR_NURSE]), cast[P.SPORTS_LEADER], DUE)
    return "session", DUE, {P.SPORTS_LEADER}


def _appointment(unit, cast):  # noqa: ANN001, ANN202
    episode = _episode(unit, State.INDIVIDUAL_REHABILITATION)
    worker = cast[P.SOCIAL_WORKER]
    Appointment.objects.create(
        unit=unit, episode=episode, starts_at=_at(DUE), minutes=45, staff=worker.user,
        profession=worker.profession, created_by=worker.user,
    )  # fmt: skip
    return "appointment", DUE, {P.SOCIAL_WORKER}


def _letter_drafted_at_triage(unit, cast):  # noqa: ANN001, ANN202
    episode = _episode(unit, State.DISCHARGED)
    _letter(episode, LetterKind.RETURN_TO_REFERRER, cast[P.PHYSICIAN])
    return "letter", START + timedelta(days=7), {P.COORDINATOR_NURSE, P.SECRETARY}


def _final_note(unit, cast):  # noqa: ANN001, ANN202
    episode = _episode(unit, State.FOLLOW_UP)
    _letter(episode, LetterKind.FINAL_NOTE, cast[P.REHAB_COORDINATOR])
    return "letter", START + timedelta(days=7), {P.REHAB_COORDINATOR}


def _letter_to_send(unit, cast):  # noqa: ANN001, ANN202
    episode = _episode(unit, State.FOLLOW_UP)
    author = cast[P.PSYCHOLOGIST]
    _letter(episode, LetterKind.FINAL_NOTE, author, finalised_by=author.user,
            finalised_at=_at(START), sha256="0" * 64)  # fmt: skip
    return "letter", START + timedelta(days=1), {P.COORDINATOR_NURSE, P.SECRETARY}


def _conference(unit, cast):  # noqa: ANN001, ANN202
    episode = _episode(unit, State.ASSESSMENT_CONFERENCE)
    physio = cast[P.PHYSIOTHERAPIST]
    _booking(
        episode,
        Booking.Kind.INVESTIGATION,
        physio,
        START - timedelta(days=7),
        physio.profession,
    )
    InvestigationRecord.objects.create(episode=episode, profession=physio.profession,
                                       template_version="1", author=physio.user)  # fmt: skip
    AssessmentConference.objects.create(episode=episode, held_on=DUE,
                                        criteria_template="specialist", criteria_version="1")  # fmt: skip
    return "conference", DUE, {P.COORDINATOR_NURSE, P.PHYSIOTHERAPIST}


def _plan(unit, cast):  # noqa: ANN001, ANN202
    _episode(unit, State.PLANNING_MEETING, since=START)
    return "plan", START + timedelta(days=21), {P.COORDINATOR_NURSE, P.PSYCHOLOGIST}


def _triage(unit, cast):  # noqa: ANN001, ANN202
    _episode(unit, State.REFERRAL_RECEIVED, opened_on=START)
    return "triage", START + timedelta(days=7), {P.PHYSICIAN}


def _visit_to_book(unit, cast):  # noqa: ANN001, ANN202
    _episode(unit, State.TRIAGED, opened_on=START - timedelta(days=12))
    return "book", START + timedelta(days=20), {P.COORDINATOR_NURSE, P.SECRETARY}


WORK = {
    "investigation record": _investigation_record,
    "new visit record": _new_visit_record,
    "goal to evaluate": _goal,
    "preparatory intervention": _preparation,
    "group session": _group_session,
    "individual appointment": _appointment,
    "letter drafted at triage": _letter_drafted_at_triage,
    "final note": _final_note,
    "final letter to send": _letter_to_send,
    "assessment conference": _conference,
    "rehabilitation plan": _plan,
    "referral to triage": _triage,
    "visit to book": _visit_to_book,
}


def _lists(cast, kind):  # noqa: ANN001, ANN202
    """Each profession's items of `kind` on today's (the moved clock's) worklist."""
    today = timezone.localdate()
    return {
        profession: [
            item
            for item in worklist_for(membership=member, today=today)
            if item.kind == kind
        ]
        for profession, member in cast.items()
    }


@pytest.mark.parametrize("what", WORK)
def test_each_item_is_on_its_professions_list_only_from_14_days_before_its_day(
    what, unit_a, cast, travel
):
    travel(START)
    kind, due, owners = WORK[what](unit_a, cast)
    assert owners <= set(cast)

    travel(due - timedelta(days=15))  # not yet: more than 14 days ahead
    assert {p for p, items in _lists(cast, kind).items() if items} == set()

    travel(due - timedelta(days=14))  # the coming 14 days
    lists = _lists(cast, kind)
    assert {p for p, items in lists.items() if items} == owners
    assert {(i.section, i.due_on, i.overdue) for p in owners for i in lists[p]} == {
        (Section.UPCOMING, due, False)
    }

    travel(due)  # its day
    lists = _lists(cast, kind)
    assert {p for p, items in lists.items() if items} == owners
    assert {(i.section, i.overdue) for p in owners for i in lists[p]} == {
        (Section.TODAY, False)
    }

    travel(due + timedelta(days=1))  # overdue, still on the same lists only
    lists = _lists(cast, kind)
    assert {p for p, items in lists.items() if items} == owners
    assert {(i.section, i.overdue) for p in owners for i in lists[p]} == {
        (Section.TODAY, True)
    }
    for profession in owners:
        [item] = lists[profession]
        assert item.url.startswith("/")


def test_done_work_leaves_the_list(unit_a, cast, travel):
    """The record written, the visit marked held, the goal evaluated,
    attendance registered, the letter sent: each item is gone the same day."""
    travel(START)
    _investigation_record(unit_a, cast)
    _goal(unit_a, cast)
    _group_session(unit_a, cast)
    _letter_to_send(unit_a, cast)
    travel(DUE + timedelta(days=1))
    psychologist, physio = cast[P.PSYCHOLOGIST], cast[P.PHYSIOTHERAPIST]
    leader, office = cast[P.SPORTS_LEADER], cast[P.SECRETARY]
    kinds = {m: [i.kind for i in worklist_for(membership=m, today=timezone.localdate())]
             for m in (psychologist, physio, leader, office)}  # fmt: skip
    assert (kinds[psychologist], kinds[physio], kinds[leader], kinds[office]) == (
        ["record"],
        ["goal"],
        ["session"],
        # The investigation visit's day has gone by: held or not attended?
        ["letter", "visit_gone_by"],
    )
    [item] = worklist_for(membership=leader, today=timezone.localdate())
    assert str(item.label) == f"Registrera närvaro: Träning i grupp, {DUE.isoformat()}"

    booking = Booking.objects.get(kind=Booking.Kind.INVESTIGATION)
    InvestigationRecord.objects.create(episode=booking.episode, profession=P.PSYCHOLOGIST,
                                       template_version="1", author=psychologist.user)  # fmt: skip
    mark_visit_held(by=office, booking=booking)
    goal = Goal.objects.get()
    GoalEvaluation.objects.create(goal=goal, when="programme_end", result="met",
                                  evaluated_on=DUE, evaluated_by=physio.user)  # fmt: skip
    session = Session.objects.get()
    participant = session.cohort.participants.create(
        episode=_episode(unit_a, State.GROUP_PROGRAMME), added_by=leader.user,
        added_at=_at(START),
    )  # fmt: skip
    Attendance.objects.create(session=session, participant=participant, status="present",
                              recorded_by=leader.user, recorded_at=_at(DUE))  # fmt: skip
    LetterDispatch.objects.create(letter=Letter.objects.get(), channel="post",
                                  sent_to="Dr Remiss", sent_by=office.user, sent_at=_at(DUE))  # fmt: skip
    for member in (psychologist, physio, leader, office):
        assert list(worklist_for(membership=member, today=timezone.localdate())) == []


def test_another_units_member_sees_none_of_these_items(
    unit_a, cast, other_physician, travel
):
    travel(START)
    for make in WORK.values():
        make(unit_a, cast)
    travel(DUE)
    page = worklist_for(membership=other_physician, today=timezone.localdate())
    assert (list(page), page.total) == ([], 0)


def test_the_start_page_shows_both_sections_in_swedish(
    unit_a, cast, client_for, travel
):
    travel(START)
    _visit_to_book(unit_a, cast)  # due in 20 days
    _letter_drafted_at_triage(unit_a, cast)  # due in 7 days
    _episode(unit_a, State.TRIAGED, opened_on=START - timedelta(days=42))  # overdue
    travel(START + timedelta(days=7))
    response = client_for(cast[P.SECRETARY]).get("/")
    page = response.context["items"]
    assert ([i.kind for i in page.today], [i.kind for i in page.upcoming]) == (
        ["book", "letter"],
        ["book"],
    )
    html = response.content.decode()
    assert "Idag och försenat" in html
    assert "Kommande 14 dagar" in html
    assert "Skicka brevet" not in html  # drafted, not final
    assert "Slutför brevet: Återremiss" in html


# -- a constant number of queries ---------------------------------------------


def _fill(unit, cast, n, *, offset=0):  # noqa: ANN001, ANN202
    """`n` items of work spread over every source and profession, due within
    the coming 14 days or overdue."""
    makers = [_investigation_record, _new_visit_record, _goal, _preparation,
              _appointment, _letter_drafted_at_triage, _final_note, _conference,
              _plan, _visit_to_book]  # fmt: skip
    cohort = (
        _cohort(unit, cast[P.COORDINATOR_NURSE])
        if offset == 0
        else Cohort.objects.get()
    )
    for i in range(offset, offset + n):
        if i % 11 == 10:
            _session(cohort, cast[P.SPORTS_LEADER], START + timedelta(days=i // 11))
        else:
            makers[i % 11](unit, cast)


def test_each_professions_worklist_costs_the_same_queries_at_10_and_500_items(
    unit_a, cast, travel
):
    travel(START)
    _fill(unit_a, cast, 10)
    today = travel(DUE)

    def queries(member):  # noqa: ANN001, ANN202
        with CaptureQueriesContext(connection) as captured:
            page = worklist_for(membership=member, today=today)
        return len(captured.captured_queries), page

    at_10 = {profession: queries(member) for profession, member in cast.items()}
    travel(START)
    _fill(unit_a, cast, 490, offset=10)
    today = travel(DUE)
    at_500 = {profession: queries(member) for profession, member in cast.items()}
    assert {p: n for p, (n, _page) in at_500.items()} == {
        p: n for p, (n, _page) in at_10.items()
    }
    coordinator_page = at_500[P.COORDINATOR_NURSE][1]
    assert coordinator_page.total > PAGE_SIZE
    assert len(coordinator_page) == PAGE_SIZE
    assert all(page.total > at_10[p][1].total for p, (_n, page) in at_500.items())


def test_the_units_questionnaire_backlog_is_shown_to_those_who_send_the_forms(
    unit_a, cast, client_for
):
    shown = {
        profession
        for profession, member in cast.items()
        if "Formulär som väntar på svar" in client_for(member).get("/").content.decode()
    }
    assert shown == {P.COORDINATOR_NURSE, P.SECRETARY}


def test_twelve_month_items_of_a_discharged_episode_go_to_their_roles(
    unit_a, cast, travel
):
    from painrehab.core.windows import add_months
    from painrehab.pathway.models import EpisodeTransition
    from painrehab.pathway.services.follow_ups_due import refresh_follow_ups_due

    today = travel(START)

    def discharged(ended):  # noqa: ANN001, ANN202
        episode = _episode(unit_a, State.DISCHARGED)
        Episode.objects.filter(pk=episode.pk).update(closed_on=add_months(today, -8))
        RehabPlan.objects.create(episode=episode, track="group_programme",
                                 updated_by=cast[P.PHYSICIAN].user)  # fmt: skip
        EpisodeTransition.objects.create(episode=episode, from_state=State.GROUP_PROGRAMME,
                                         to_state=State.FOLLOW_UP, at=_at(ended),
                                         by=cast[P.PHYSICIAN].user)  # fmt: skip
        refresh_follow_ups_due([episode.pk])  # as the services do after a change
        return episode

    recent = discharged(add_months(today, -12))
    discharged(add_months(today, -21))  # its items closed seven months ago
    lists = _lists(cast, "follow_up")
    assert {p for p, items in lists.items() if items} == {
        P.COORDINATOR_NURSE,
        P.PSYCHOLOGIST,
    }
    [registry] = lists[P.COORDINATOR_NURSE]
    [feedback] = lists[P.PSYCHOLOGIST]
    assert (registry.args, registry.section, registry.query) == (
        (recent.pk,),
        Section.TODAY,
        "?punkt=registry_questionnaires_12_months",
    )
    assert (feedback.args, feedback.section, feedback.due_on) == (
        (recent.pk,),
        Section.UPCOMING,
        today + timedelta(days=14),
    )


def test_a_members_queries_are_compiled_once_a_day_and_read_the_data_each_time(
    unit_a, cast, travel
):
    """The kept SQL is the query, not its answer: work added after the first
    request is on the next one, with no query compiled again."""
    from painrehab.steps import worklist

    travel(START)
    _fill(unit_a, cast, 3)
    today = travel(DUE)
    coordinator = cast[P.COORDINATOR_NURSE]
    worklist._COMPILED.clear()  # ids repeat between tests on SQLite
    first = worklist_for(membership=coordinator, today=today)
    kept = dict(worklist._COMPILED)
    assert any(key[2] == coordinator.pk and key[7] == today for key in kept)
    travel(START)
    _visit_to_book(unit_a, cast)
    _visit_to_book(unit_a, cast)
    travel(DUE)
    second = worklist_for(membership=coordinator, today=today)
    assert second.total == first.total + 2
    assert all(worklist._COMPILED[key] is compiler for key, compiler in kept.items())
    assert len(worklist._COMPILED) == len(kept)
    worklist_for(membership=coordinator, today=today + timedelta(days=1))
    assert len(worklist._COMPILED) > len(kept)  # another day, its own queries


def test_a_session_for_one_participant_names_the_patient_not_the_group(
    unit_a, cast, travel
):
    travel(START)
    leader = cast[P.PSYCHOLOGIST]
    whole_group = _session(_cohort(unit_a, cast[P.COORDINATOR_NURSE]), leader, DUE)
    one = _session(whole_group.cohort, leader, DUE)
    one.attendees = Session.Attendees.INDIVIDUAL
    one.save(update_fields=["attendees"])
    episode = _episode(unit_a, State.GROUP_PROGRAMME)
    one.participants.add(
        whole_group.cohort.participants.create(
            episode=episode, added_by=leader.user, added_at=_at(START)
        )
    )
    travel(DUE)
    items = [
        i
        for i in worklist_for(membership=leader, today=timezone.localdate())
        if i.kind == "session"
    ]
    assert sorted((i.patient_id or 0, i.group) for i in items) == [
        (0, "Våren"),
        (episode.patient_id, ""),
    ]
