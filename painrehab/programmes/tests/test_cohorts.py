"""Cohort services: places in order of decision, the group size rules (with the
administrator's override), the start of the programme and the year's plan."""

from datetime import date, timedelta

import pytest

from painrehab.audit.models import AuditEvent
from painrehab.pathway.models import Episode
from painrehab.pathway.states import State
from painrehab.programmes.models import Attendance, Cohort, CohortParticipant, Session
from painrehab.programmes.rules import Capacity
from painrehab.programmes.selectors import programme_candidates
from painrehab.programmes.services import ProgrammeRefused
from painrehab.programmes.services.cohorts import (
    add_participant,
    create_annual_plan,
    create_cohort,
    remove_participant,
    start_cohort,
)
from painrehab.programmes.services.templates import ensure_default_templates
from painrehab.programmes.tests.conftest import MONDAY
from painrehab.programmes.tests.factories import aware, decided_episode

BEFORE_START = aware(MONDAY - timedelta(days=7))


def test_create_cohort_runs_the_template_weeks_from_a_monday(
    coordinator, specialist, krt
) -> None:
    cohort = create_cohort(by=coordinator, template=specialist, start=MONDAY)
    assert (cohort.start, cohort.end) == (date(2026, 3, 2), date(2026, 4, 5))
    assert cohort.name == "Smärtrehabprogram, fem veckor, vecka 10 2026"
    krt_cohort = create_cohort(by=coordinator, template=krt, start=MONDAY)
    assert krt_cohort.end == date(2026, 4, 19)
    with pytest.raises(ProgrammeRefused) as refused:
        create_cohort(by=coordinator, template=specialist, start=date(2026, 3, 3))
    assert refused.value.message == "Ett program börjar på en måndag."


def test_candidates_are_offered_in_order_of_decision(
    unit_a, decided, coordinator, physician, specialist
) -> None:
    first, second = decided(2)
    earliest = decided_episode(
        unit=unit_a,
        physician=physician,
        coordinator=coordinator,
        decided_at=aware(date(2026, 1, 15)),
        to=State.PLANNING_MEETING,
    )
    candidates = list(programme_candidates(unit=unit_a, today=MONDAY))
    assert [e.pk for e in candidates] == [earliest.pk, first.pk, second.pk]
    assert candidates[0].decided_at == aware(date(2026, 1, 15))
    cohort = create_cohort(by=coordinator, template=specialist, start=MONDAY)
    add_participant(by=coordinator, cohort=cohort, episode=first, now=BEFORE_START)
    assert [e.pk for e in programme_candidates(unit=unit_a, today=MONDAY)] == [
        earliest.pk,
        second.pk,
    ]


def test_adding_a_patient_does_not_change_the_episode(
    decided, coordinator, specialist
) -> None:
    (episode,) = decided(1)
    version = episode.version
    cohort = create_cohort(by=coordinator, template=specialist, start=MONDAY)
    added = add_participant(
        by=coordinator,
        cohort=cohort,
        episode=episode,
        needs_patient_hotel=True,
        now=BEFORE_START,
    )
    stored = Episode.objects.get(pk=episode.pk)
    assert (stored.state, stored.version) == (State.PREPARATION, version)
    assert added.participant.needs_patient_hotel is True
    event = AuditEvent.objects.get(
        action="create", object_type="programmes.CohortParticipant"
    )
    assert list(event.patients.values_list("patient_id", flat=True)) == [
        episode.patient_id
    ]
    assert event.what == f"added to cohort {cohort.pk}"


def test_three_participants_warn(decided, coordinator, cohort_of, specialist) -> None:
    cohort = cohort_of(specialist, decided(2))
    (third,) = decided(1)
    added = add_participant(
        by=coordinator, cohort=cohort, episode=third, now=BEFORE_START
    )
    assert (added.capacity.participants, added.capacity.status) == (3, Capacity.TOO_FEW)


def test_an_eighth_participant_is_refused_unless_an_administrator_gives_a_reason(
    decided, coordinator, physician, cohort_of, specialist
) -> None:
    cohort = cohort_of(specialist, decided(7))
    (eighth,) = decided(1)
    with pytest.raises(ProgrammeRefused) as refused:
        add_participant(by=physician, cohort=cohort, episode=eighth, now=BEFORE_START)
    assert refused.value.message == (
        "Gruppen är full (högst 7 deltagare). En enhetsadministratör kan lägga "
        "till fler med en motivering."
    )
    with pytest.raises(ProgrammeRefused) as refused:
        add_participant(
            by=coordinator,
            cohort=cohort,
            episode=eighth,
            over_capacity_reason="  ",
            now=BEFORE_START,
        )
    assert refused.value.message == (
        "Gruppen är full (högst 7 deltagare). Skriv motiveringen till att lägga "
        "till fler."
    )
    assert cohort.participants.count() == 7
    assert not AuditEvent.objects.filter(what__contains="over the maximum").exists()

    added = add_participant(
        by=coordinator,
        cohort=cohort,
        episode=eighth,
        over_capacity_reason="Lång väntetid, nästa program först i augusti",
        now=BEFORE_START,
    )
    assert added.capacity.status == Capacity.TOO_MANY
    assert cohort.participants.count() == 8
    assert (
        CohortParticipant.objects.get(episode=eighth).over_capacity_reason
        == "Lång väntetid, nästa program först i augusti"
    )
    event = AuditEvent.objects.get(what__contains="over the maximum")
    assert event.what == (
        f"added to cohort {cohort.pk}, over the maximum of 7: "
        "Lång väntetid, nästa program först i augusti"
    )
    assert event.actor_label == "coordinator_a"


def test_krt_group_of_seven_is_refused(decided, physician, cohort_of, krt) -> None:
    cohort = cohort_of(krt, decided(6))
    (seventh,) = decided(1)
    with pytest.raises(ProgrammeRefused) as refused:
        add_participant(by=physician, cohort=cohort, episode=seventh, now=BEFORE_START)
    assert "högst 6 deltagare" in refused.value.message
    assert cohort.participants.count() == 6


def test_only_patients_decided_for_a_programme_get_a_place(
    episode_a, decided, coordinator, specialist, cohort_of
) -> None:
    cohort = create_cohort(by=coordinator, template=specialist, start=MONDAY)
    with pytest.raises(ProgrammeRefused) as refused:
        add_participant(
            by=coordinator, cohort=cohort, episode=episode_a, now=BEFORE_START
        )
    assert refused.value.message.startswith("Bara patienter med beslut om")
    (episode,) = decided(1)
    add_participant(by=coordinator, cohort=cohort, episode=episode, now=BEFORE_START)
    with pytest.raises(ProgrammeRefused, match="redan en plats i det här programmet"):
        add_participant(
            by=coordinator, cohort=cohort, episode=episode, now=BEFORE_START
        )
    later = create_cohort(
        by=coordinator, template=specialist, start=MONDAY + timedelta(weeks=8)
    )
    with pytest.raises(ProgrammeRefused, match="redan en plats i ett annat program"):
        add_participant(by=coordinator, cohort=later, episode=episode, now=BEFORE_START)


def test_other_units_episode_is_refused(
    decided, coordinator, specialist, episode_b
) -> None:
    cohort = create_cohort(by=coordinator, template=specialist, start=MONDAY)
    with pytest.raises(ProgrammeRefused, match="annan enhet"):
        add_participant(
            by=coordinator, cohort=cohort, episode=episode_b, now=BEFORE_START
        )


def test_sports_leader_without_the_permission_to_run_may_not_create(
    secretary, specialist
) -> None:
    with pytest.raises(ProgrammeRefused):
        create_cohort(by=secretary, template=specialist, start=MONDAY)
    assert Cohort.objects.count() == 0


def test_starting_moves_prepared_participants_and_skips_unsigned_plans(
    decided, coordinator, physician, cohort_of, specialist
) -> None:
    prepared = decided(3)
    # The fourth patient's plan is not signed yet: still at the planning meeting.
    planning = decided_episode(
        unit=specialist.unit,
        physician=physician,
        coordinator=coordinator,
        decided_at=aware(date(2026, 2, 10)),
        to=State.PLANNING_MEETING,
    )
    cohort = cohort_of(specialist, [*prepared, planning])
    started = start_cohort(by=coordinator, cohort=cohort, now=aware(MONDAY, 8))
    assert [p.episode_id for p in started.moved] == [e.pk for e in prepared]
    assert [(p.episode_id, reason) for p, reason in started.skipped] == [
        (planning.pk, "Vårdförloppet är i ”Planeringsträff”.")
    ]
    states = dict(
        Episode.objects.filter(cohort_places__cohort=cohort).values_list("pk", "state")
    )
    assert states == {
        prepared[0].pk: State.GROUP_PROGRAMME,
        prepared[1].pk: State.GROUP_PROGRAMME,
        prepared[2].pk: State.GROUP_PROGRAMME,
        planning.pk: State.PLANNING_MEETING,
    }
    transition = Episode.objects.get(pk=prepared[0].pk).transitions.last()
    assert transition is not None
    assert (transition.from_state, transition.to_state, transition.note) == (
        State.PREPARATION,
        State.GROUP_PROGRAMME,
        f"Programmet {cohort.name} startar",
    )
    cohort.refresh_from_db()
    assert cohort.started_at == aware(MONDAY, 8)
    again = start_cohort(by=coordinator, cohort=cohort, now=aware(MONDAY, 9))
    assert again.moved == []


def test_a_place_with_attendance_cannot_be_taken_back(
    decided, coordinator, cohort_of, specialist
) -> None:
    cohort = cohort_of(specialist, decided(2))
    first, second = cohort.participants.order_by("pk")
    session = Session.objects.create(
        unit=cohort.unit,
        cohort=cohort,
        activity_key="acceptance",
        activity_name="Acceptans",
        date=MONDAY,
        start="09:00",
        end="10:00",
        attendees="all",
    )
    session.participants.add(first, second)
    Attendance.objects.create(
        session=session,
        participant=first,
        status="present",
        recorded_by=coordinator.user,
        recorded_at=aware(MONDAY),
    )
    with pytest.raises(
        ProgrammeRefused, match="^Närvaro är registrerad för deltagaren"
    ):
        remove_participant(by=coordinator, participant=first)
    remove_participant(by=coordinator, participant=second)
    assert list(cohort.participants.all()) == [first]
    assert list(session.participants.all()) == [first]


def test_new_participant_joins_the_whole_group_sessions_ahead(
    decided, coordinator, cohort_of, specialist
) -> None:
    cohort = cohort_of(specialist, decided(1))
    kinds = {"all": "Acceptans", "individual": "Enskilt"}
    for attendees, name in kinds.items():
        Session.objects.create(
            unit=cohort.unit,
            cohort=cohort,
            activity_key=attendees,
            activity_name=name,
            date=MONDAY,
            start="09:00",
            end="10:00",
            attendees=attendees,
        )
    (late,) = decided(1)
    add_participant(by=coordinator, cohort=cohort, episode=late, now=BEFORE_START)
    joined = Session.objects.filter(participants__episode=late)
    assert list(joined.values_list("activity_name", flat=True)) == ["Acceptans"]


def test_the_annual_plan_creates_six_cohorts_once(
    unit_a, coordinator, physician
) -> None:
    template = next(
        t for t in ensure_default_templates(unit_a) if t.key == "specialist_5_weeks"
    )
    created = create_annual_plan(by=coordinator, template=template, year=2026)
    assert [c.start for c in created] == [
        date(2026, 1, 12),
        date(2026, 3, 9),
        date(2026, 5, 4),
        date(2026, 8, 17),
        date(2026, 9, 28),
        date(2026, 11, 9),
    ]
    assert create_annual_plan(by=coordinator, template=template, year=2026) == []
    with pytest.raises(ProgrammeRefused):
        create_annual_plan(by=physician, template=template, year=2027)
    assert Cohort.objects.count() == 6


def test_a_programme_cannot_start_before_its_first_day(
    decided, coordinator, cohort_of, specialist
) -> None:
    # Found walking the pathway: "Starta programmet" moved the group into the
    # programme five weeks before its first day.
    cohort = cohort_of(specialist, decided(2))
    with pytest.raises(ProgrammeRefused, match="Programmet börjar måndag 2 mars 2026"):
        start_cohort(
            by=coordinator, cohort=cohort, now=aware(MONDAY - timedelta(days=35))
        )
    assert set(
        Episode.objects.filter(cohort_places__cohort=cohort).values_list(
            "state", flat=True
        )
    ) == {State.PREPARATION}
    assert (
        len(start_cohort(by=coordinator, cohort=cohort, now=aware(MONDAY)).moved) == 2
    )


def test_a_place_taken_back_after_the_start_returns_the_patient_to_the_waiting_list(
    decided, coordinator, cohort_of, specialist
) -> None:
    from painrehab.pathway.selectors import WAITING_STATES, WaitingStep

    cohort = cohort_of(specialist, decided(2))
    start_cohort(by=coordinator, cohort=cohort, now=aware(MONDAY, 8))
    first = cohort.participants.order_by("pk").first()
    remove_participant(by=coordinator, participant=first)
    episode = Episode.objects.get(pk=first.episode_id)
    assert episode.state == State.PREPARATION
    assert episode.state in WAITING_STATES[WaitingStep.REHABILITATION]
    last = episode.transitions.last()
    assert last is not None
    assert last.note == f"Platsen i {cohort.name} togs tillbaka"
