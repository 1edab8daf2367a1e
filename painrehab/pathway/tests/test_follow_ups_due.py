"""Due follow-up rows: the rule, the services that keep them, and the worklist
items they give, which are those of the computation they replaced."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from painrehab.accounts.models import CareUnit
from painrehab.accounts.permissions import Profession as P
from painrehab.core.windows import (
    AFTER_DISCHARGE,
    AFTER_DISCHARGE_MONTHS,
    FOLLOW_UP_SPECS,
    add_months,
    follow_up_schedule,
    krt_follow_up_reference,
    window_status,
)
from painrehab.pathway import work
from painrehab.pathway.follow_ups_due import NO_END, due_follow_ups
from painrehab.pathway.models import (
    Episode,
    EpisodeTransition,
    FollowUpDue,
    FollowUpRecord,
    RehabPlan,
)
from painrehab.pathway.services.follow_up import schedule_for, track_for
from painrehab.pathway.services.follow_ups_due import refresh_all_follow_ups_due
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import GROUP_PROGRAMME_PATH, State
from painrehab.pathway.work import Section
from painrehab.patients.tests.factories import PatientFactory
from painrehab.programmes.models import Cohort, CohortParticipant, Session
from painrehab.programmes.services.follow_ups_due import refresh_cohort_follow_ups_due
from painrehab.programmes.services.sessions import change_session
from painrehab.programmes.services.templates import ensure_default_templates
from painrehab.programmes.tests.factories import member
from painrehab.steps.follow_up.services import record_follow_up
from painrehab.steps.worklist import (
    PLAN_TRACKS,
    WorkItem,
    _follow_ups,
    follow_up_section,
)

PATH = GROUP_PROGRAMME_PATH[1 : GROUP_PROGRAMME_PATH.index(State.FOLLOW_UP) + 1]
BASE = date(2024, 1, 31)  # a month end, and a leap year ahead: clamped months


# -- the rule, without the database ---------------------------------------------


def _listed(item, today):  # noqa: ANN001, ANN202
    return item.listed_from <= today <= item.listed_until


def test_in_follow_up_every_item_is_listed_from_14_days_before_it_opens():
    items = due_follow_ups(state=State.FOLLOW_UP, track="group_programme",
                           reference_on=BASE, ended_on=BASE, closed_on=None)  # fmt: skip
    schedule = follow_up_schedule(ended_on=BASE, track="group_programme")
    assert [(i.key, i.opens_on, i.closes_on) for i in items] == [
        (s.key, s.window.opens_on, s.window.closes_on) for s in schedule
    ]
    assert {i.listed_until for i in items} == {NO_END}
    assert [i.listed_from for i in items] == [
        s.window.opens_on - timedelta(days=14) for s in schedule
    ]


def test_outside_follow_up_and_discharge_no_item_is_due():
    for state in (State.GROUP_PROGRAMME, State.PREPARATION, State.TRIAGED):
        assert due_follow_ups(state=state, track="group_programme", reference_on=BASE,
                              ended_on=BASE, closed_on=None) == []  # fmt: skip
    assert due_follow_ups(state=State.FOLLOW_UP, track="krt", reference_on=None,
                          ended_on=None, closed_on=None) == []  # fmt: skip


@pytest.mark.parametrize("closed_months", [3, 8, 13, 30])
@pytest.mark.parametrize("ended", [BASE, date(2023, 2, 28), date(2024, 12, 31)])
def test_after_discharge_the_12_month_items_are_listed_exactly_when_the_rule_says(
    ended, closed_months
):
    closed = add_months(ended, closed_months)
    items = due_follow_ups(state=State.DISCHARGED, track="individual",
                           reference_on=ended, ended_on=ended, closed_on=closed)  # fmt: skip
    assert {i.key for i in items} == AFTER_DISCHARGE
    for offset in range(0, 1000):
        today = ended + timedelta(days=offset)
        earliest = add_months(today, -AFTER_DISCHARGE_MONTHS)
        in_range = (
            add_months(earliest, -work.OVERDUE_MONTHS)
            <= ended
            < add_months(work.horizon(today), -12) + timedelta(days=1)
        )
        for item in items:
            listed = (
                in_range and closed >= earliest and item.opens_on <= work.horizon(today)
            )
            assert _listed(item, today) is listed, (item.key, today)


# -- the services keep the rows --------------------------------------------------


def _in_follow_up(episode, physician, coordinator):  # noqa: ANN001, ANN202
    for state in PATH:
        by = coordinator if state == State.WAITING_NEW_VISIT else physician
        move_episode(episode=episode, to=state, by=by)
    return Episode.objects.get(pk=episode.pk)


def _rows(episode):  # noqa: ANN001, ANN202
    return {
        row.item_key: row
        for row in FollowUpDue.objects.filter(episode=episode).order_by("pk")
    }


def test_entering_follow_up_writes_the_schedule_and_discharge_keeps_the_12_months(
    episode_a, physician, coordinator, today
):
    episode = _in_follow_up(episode_a, physician, coordinator)
    schedule = follow_up_schedule(ended_on=today, track="group_programme")
    rows = _rows(episode)
    assert {key: (r.opens_on, r.closes_on, r.role, r.outcome, r.patient_id, r.unit_id)
            for key, r in rows.items()} == {
        s.key: (s.window.opens_on, s.window.closes_on, s.role, "", episode.patient_id,
                episode.unit_id)
        for s in schedule
    }  # fmt: skip
    assert _windows_shown(episode) == {
        key: (row.opens_on, row.closes_on) for key, row in rows.items()
    }
    move_episode(episode=episode, to=State.DISCHARGED, by=physician,
                 discharge_reason="completed", note="Klar")  # fmt: skip
    rows = _rows(episode)
    assert set(rows) == AFTER_DISCHARGE
    assert all(r.listed_until < NO_END for r in rows.values())


def test_recording_a_follow_up_marks_its_row_only(
    episode_a, physician, coordinator, today
):
    episode = _in_follow_up(episode_a, physician, coordinator)
    record_follow_up(by=coordinator, episode=episode, item_key="contact_4_6_weeks",
                     outcome="not_reached", held_on=today)  # fmt: skip
    assert {k: r.outcome for k, r in _rows(episode).items()} == {
        "contact_4_6_weeks": "not_reached",
        "on_site_3_4_months": "",
        "registry_questionnaires_12_months": "",
        "feedback_12_months": "",
    }


def test_a_moved_krt_theory_session_moves_the_follow_ups(
    unit_a, episode_a, physician, coordinator, today
):
    unit_a.kind = CareUnit.Kind.PRIMARY_CARE
    unit_a.save(update_fields=["kind"])
    physio = member(unit_a, "sjukgymnast", "physiotherapist")
    episode = _in_follow_up(episode_a, physician, coordinator)
    assert _rows(episode)["krt_group_1_month"].opens_on == today - timedelta(days=7)
    template = next(
        t for t in ensure_default_templates(unit_a) if t.key == "krt_primary_care"
    )
    last_theory = add_months(today, -2)
    cohort = Cohort.objects.create(
        unit=unit_a, template=template, name="KRT", start=last_theory - timedelta(days=17),
        end=last_theory + timedelta(days=31), created_by=coordinator.user,
    )  # fmt: skip
    CohortParticipant.objects.create(cohort=cohort, episode=episode,
                                     added_by=coordinator.user, added_at=timezone.now())  # fmt: skip
    theory = Session.objects.create(
        unit=unit_a, cohort=cohort, activity_key="krt_theory", activity_name="Teori",
        date=last_theory - timedelta(days=3), start=time(10), end=time(12),
        attendees="all",
    )  # fmt: skip
    refresh_cohort_follow_ups_due(cohort.pk)
    training_end = add_months(last_theory - timedelta(days=3), 1)
    assert _rows(episode)["krt_group_1_month"].closes_on == training_end + timedelta(
        days=7
    )
    change_session(by=coordinator, session=theory, day=last_theory, start=time(10),
                   room=None, place="Rum 1", staff=[physio])  # fmt: skip
    expected = add_months(last_theory, 1) + timedelta(days=7)
    assert _rows(episode)["krt_group_1_month"].closes_on == expected
    # The follow-up page reads the schedule; it shows the rows' windows.
    assert _windows_shown(episode) == {
        key: (row.opens_on, row.closes_on) for key, row in _rows(episode).items()
    }


def _windows_shown(episode):  # noqa: ANN001, ANN202
    shown = Episode.objects.select_related("unit", "plan").get(pk=episode.pk)
    return {i.key: (i.window.opens_on, i.window.closes_on) for i in schedule_for(shown)}


# -- the worklist gives what the former computation gave -------------------------


def _former_follow_ups(membership, today):  # noqa: ANN001, ANN202, C901
    """The worklist's follow-ups as computed before the rows (commit 356f4e6):
    the windows of each episode in follow-up or recently discharged, in Python."""
    from painrehab.programmes.selectors import last_theory_sessions

    unit_kind = membership.unit.kind
    profession = membership.profession
    tracks = {track_for(unit_kind=unit_kind, plan_track=p) for p in PLAN_TRACKS}
    if not any(s.role == profession for t in tracks for s in FOLLOW_UP_SPECS[t]):
        return []
    earliest = add_months(today, -AFTER_DISCHARGE_MONTHS)
    ended_from = add_months(earliest, -work.OVERDUE_MONTHS)
    ended_by = add_months(work.horizon(today), -12) + timedelta(days=1)

    def start(day):  # noqa: ANN001, ANN202
        return timezone.make_aware(datetime.combine(day, time.min))

    ended_in_range = EpisodeTransition.objects.filter(
        to_state=State.FOLLOW_UP, at__gte=start(ended_from), at__lt=start(ended_by)
    ).values("episode_id")
    episodes = Episode.objects.in_unit(membership.unit_id).filter(
        Q(state=State.FOLLOW_UP)
        | Q(pk__in=ended_in_range, state=State.DISCHARGED, closed_on__gte=earliest)
    )
    rows = list(episodes.values_list("pk", "patient_id", "plan__track", "state"))
    ids = [row[0] for row in rows] or [0]
    ended = EpisodeTransition.objects.last_entered(ids, State.FOLLOW_UP)
    if unit_kind == CareUnit.Kind.PRIMARY_CARE:
        theory = last_theory_sessions(ended)
        ended = {
            pk: krt_follow_up_reference(
                last_theory_session_on=theory.get(pk), rehabilitation_ended_on=day
            )
            or day
            for pk, day in ended.items()
        }
    recorded = {
        (e, k): o
        for e, k, o in FollowUpRecord.objects.filter(episode_id__in=ids).values_list(
            "episode_id", "item_key", "outcome"
        )
    }
    items = []
    for episode_id, patient_id, plan_track, state in rows:
        if episode_id not in ended:
            continue
        track = track_for(unit_kind=unit_kind, plan_track=plan_track)
        specs = [s for s in FOLLOW_UP_SPECS[track] if s.role == profession]
        for item in follow_up_schedule(ended_on=ended[episode_id], track=track,
                                       specs=specs):  # fmt: skip
            if state == State.DISCHARGED and item.key not in AFTER_DISCHARGE:
                continue
            outcome = recorded.get((episode_id, item.key))
            status = window_status(item.window, today=today, done=outcome == "done",
                                   not_reached=outcome == "not_reached")  # fmt: skip
            section = follow_up_section(item, today=today, status=status)
            if section is None:
                continue
            due = (
                item.window.closes_on
                if section == Section.TODAY
                else item.window.opens_on
            )
            items.append(WorkItem("follow_up", item.label, patient_id, due,
                                  status == "overdue", "pathway:follow_up",
                                  (episode_id,), f"?punkt={item.key}", section=section))  # fmt: skip
    return items


def _facts(items):  # noqa: ANN001, ANN202
    return sorted(
        (str(i.label), i.patient_id, i.due_on, i.overdue, i.args, i.query, i.section)
        for i in items
    )


def _episode_ended(unit, by, *, state, ended, closed=None, track=None):  # noqa: ANN001, ANN202
    discharged = {"closed_on": closed, "discharge_reason": "completed"}
    episode = Episode.objects.create(
        patient=PatientFactory.create(unit=unit), unit=unit, state=state,
        state_since=timezone.make_aware(datetime.combine(closed or ended, time(9))),
        opened_on=ended - timedelta(days=200),
        **(discharged if state == State.DISCHARGED else {}),
    )  # fmt: skip
    if track:
        RehabPlan.objects.create(episode=episode, track=track, updated_by=by.user)
    EpisodeTransition.objects.create(
        episode=episode, from_state=State.GROUP_PROGRAMME, to_state=State.FOLLOW_UP,
        at=timezone.make_aware(datetime.combine(ended, time(14))), by=by.user,
    )  # fmt: skip
    return episode


def test_the_worklist_lists_the_follow_ups_the_former_computation_listed(
    unit_a, unit_b, physician, coordinator
):
    unit_b.kind = CareUnit.Kind.PRIMARY_CARE
    unit_b.save(update_fields=["kind"])
    members = [
        coordinator,
        member(unit_a, "psykolog", P.PSYCHOLOGIST),
        member(unit_a, "sjukgymnast", P.PHYSIOTHERAPIST),
        member(unit_b, "sjukgymnast-b", P.PHYSIOTHERAPIST),
        member(unit_b, "psykolog-b", P.PSYCHOLOGIST),
        member(unit_b, "koordinator-b", P.COORDINATOR_NURSE),
    ]
    recorded = []
    for n, days in enumerate([5, 20, 40, 100, 130, 370, 400, 430, 800]):
        ended = BASE - timedelta(days=days)
        for track in ("group_programme", "individual", None):
            recorded.append(_episode_ended(unit_a, physician, state=State.FOLLOW_UP,
                                           ended=ended, track=track))  # fmt: skip
        _episode_ended(unit_b, physician, state=State.FOLLOW_UP, ended=ended)
        for closed_after in (3, 8, 13, 16):
            ended = add_months(BASE, -(n * 3 + 2)) - timedelta(days=n)
            _episode_ended(unit_a, physician, state=State.DISCHARGED, ended=ended,
                           closed=add_months(ended, closed_after),
                           track="individual" if n % 2 else "group_programme")  # fmt: skip
    for n, episode in enumerate(recorded[::4]):
        keys = ["contact_4_6_weeks", "registry_questionnaires_12_months",
                "feedback_12_months", "individual_3_4_months"]  # fmt: skip
        FollowUpRecord.objects.create(
            episode=episode, item_key=keys[n % 4],
            outcome="done" if n % 3 else "not_reached",
            held_on=BASE, recorded_by=coordinator.user,
        )  # fmt: skip
    assert refresh_all_follow_ups_due() > 0
    compared = 0
    for offset in range(-100, 500, 11):
        today = BASE + timedelta(days=offset)
        for membership in members:
            former = _former_follow_ups(membership, today)
            found = _follow_ups(membership, today, 10_000)
            assert _facts(found.items) == _facts(former), (membership, today)
            assert (found.total, found.today) == (
                len(former),
                sum(1 for i in former if i.section == Section.TODAY),
            )
            compared += len(former)
    assert compared > 1000  # the comparison saw a good many items
