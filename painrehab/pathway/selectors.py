"""Reads of care episodes for screens. Lists name their patients in the audit log."""

import calendar
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, cast

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.access import may
from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.pathway.accessibility import WaitFigures, wait_figures
from painrehab.pathway.clocks import (
    GOAL_DAYS,
    GUARANTEE_DAYS,
    Absence,
    AbsenceKind,
    ClockStatus,
    Pause,
    absence_count,
    clock_status,
    days_waited,
    goal_date,
    guarantee_date,
    is_paused,
    should_flag_for_discharge,
)
from painrehab.pathway.models import (
    Booking,
    Episode,
    EpisodeTransition,
    Goal,
    NewVisitRecord,
    Referral,
    RehabPlan,
    TriageDecision,
    WaitingPause,
)
from painrehab.pathway.states import (
    ON_COHORT_PAGE,
    ON_EPISODE_PAGE,
    STATE_ORDER,
    State,
    Transition,
    next_steps,
)
from painrehab.patients.models import Patient


def episode_counts(*, membership: Membership) -> list[tuple[State, int]]:
    """Open and closed episodes of the current unit per state, in pathway order.

    Counts only: no patient is shown, so nothing is logged.
    """
    counts = Episode.objects.in_unit(membership.unit_id).count_by_state()
    return [(state, counts.get(state, 0)) for state in STATE_ORDER]


def episodes_in_state(
    *, membership: Membership, state: State, limit: int = 200
) -> list[Episode]:
    """The unit's episodes in one state, longest waiting first, logged as one read."""
    episodes = list(
        Episode.objects.in_unit(membership.unit_id)
        .filter(state=state)
        .select_related("patient", "referral")
        .order_by("state_since", "pk")[:limit]
    )
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[e.patient_id for e in episodes],
        what=f"episodes in state {state}",
    )
    return episodes


def patient_timeline(*, patient: Patient) -> QuerySet[Episode]:
    """The patient's episodes, newest first, each with its events in order."""
    return (
        Episode.objects.filter(patient=patient)
        .select_related("referral")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=EpisodeTransition.objects.select_related("by").order_by(
                    "at", "id"
                ),
            )
        )
        .order_by("-opened_on", "-pk")
    )


# The patient's records for the API; `patient` is one the member may see
# (get_patient_for_user), and each read keeps to the patient's unit.


def referrals_of(*, patient: Patient) -> QuerySet[Referral]:
    """The patient's referrals, newest first."""
    return Referral.objects.filter(
        episode__patient=patient, episode__unit=patient.unit_id
    ).order_by("-received_on", "-pk")


def plans_of(*, patient: Patient) -> QuerySet[RehabPlan]:
    """The patient's rehabilitation plans, newest first, with goals and evaluations."""
    return (
        RehabPlan.objects.filter(
            episode__patient=patient, episode__unit=patient.unit_id
        )
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.prefetch_related("evaluations"))
        )
        .order_by("-pk")
    )


def bookings_of(*, patient: Patient) -> QuerySet[Booking]:
    """The patient's bookings of the pathway (visits, investigation, follow-up)."""
    return Booking.objects.filter(episode__patient=patient, unit=patient.unit_id)


def available_steps(
    *, episode: Episode, membership: Membership
) -> list[dict[str, object]]:
    """The steps the table offers from the episode's state, marked allowed or
    not; at the planning meeting only the plan step of the decided track."""
    return [
        {
            "transition": t,
            "allowed": may(membership, t.permission),
            "url": _step_url(t, episode),
        }
        for t in next_steps(State(episode.state), decided_track=_decided_track(episode))
        if t.page != ON_EPISODE_PAGE
    ]


def _decided_track(episode: Episode) -> str:
    """The track of the plan, or before a plan the latest conference decision;
    read only at the planning meeting, where it chooses the next step."""
    if episode.state != State.PLANNING_MEETING:
        return ""
    plan_track = (
        RehabPlan.objects.filter(episode=episode)
        .values_list("track", flat=True)
        .first()
    )
    if plan_track:
        return plan_track
    decision = (
        episode.conferences.exclude(decision="")
        .order_by("-decided_at")
        .values_list("decision", flat=True)
        .first()
    )
    return decision or ""


def _step_url(transition: Transition, episode: Episode) -> str:
    """Where the step is made: its own page, or "" for the generic step form."""
    if not transition.page:
        return ""
    if transition.page == ON_COHORT_PAGE:
        return reverse(transition.page)
    return reverse(transition.page, args=[episode.pk])


# --- Waiting lists (seed 1 §5.2; 60-day goal, 90-day guarantee) -------------


class WaitingStep(models.TextChoices):
    NEW_VISIT = "new_visit", _("New visit")
    INVESTIGATION = "investigation", _("Team investigation")
    REHABILITATION = "rehabilitation", _("Programme or individual start")
    FOLLOW_UP = "follow_up", _("Follow-up")


WAITING_STATES: dict[str, tuple[State, ...]] = {
    WaitingStep.NEW_VISIT: (State.TRIAGED, State.WAITING_NEW_VISIT),
    WaitingStep.INVESTIGATION: (State.TEAM_INVESTIGATION,),
    WaitingStep.REHABILITATION: (State.PLANNING_MEETING, State.PREPARATION),
    WaitingStep.FOLLOW_UP: (State.FOLLOW_UP,),
}

# The waits the 60-day goal and the 90-day guarantee measure (seed 1 §5.2):
# to the new visit, and after a decision to the care decided, up to the start
# of rehabilitation. Follow-up is booked at set times after the rehabilitation
# (seed 1 §11), no wait under the goal or the guarantee.
GUARANTEED_WAITS: tuple[str, ...] = (
    WaitingStep.NEW_VISIT,
    WaitingStep.INVESTIGATION,
    WaitingStep.REHABILITATION,
)


def running_wait(state: State) -> str | None:
    """The waiting step whose 60/90-day clock runs while an episode is in
    `state`, or None when none runs (before triage, between the steps, in and
    after the rehabilitation): a clock is shown only while it runs."""
    return next(
        (step for step in GUARANTEED_WAITS if State(state) in WAITING_STATES[step]),
        None,
    )


@dataclass(frozen=True)
class WaitingRow:
    episode: Episode
    clock_started: date
    days_waited: int
    goal_date: date | None
    guarantee_date: date | None
    status: ClockStatus
    paused: bool
    next_booking: Booking | None
    absences: int
    flagged_for_discharge: bool
    goal_days: ClassVar[int] = GOAL_DAYS  # for the clock's labels
    guarantee_days: ClassVar[int] = GUARANTEE_DAYS

    @property
    def patient(self) -> Patient:
        return self.episode.patient

    @property
    def episode_pk(self) -> int:
        return self.episode.pk

    @property
    def last_name(self) -> str:
        return self.episode.patient.last_name

    @property
    def first_name(self) -> str:
        return self.episode.patient.first_name


@dataclass(frozen=True)
class WaitingClock:
    """The sortable part of a waiting row, computed from plain rows for the
    whole list; the page's rows are then read in full (`WaitingRow`)."""

    episode_pk: int
    last_name: str
    first_name: str
    clock_started: date
    days_waited: int
    guarantee_date: date | None
    status: ClockStatus


SORTS = {
    "days": lambda row: (-row.days_waited, row.episode_pk),
    "received": lambda row: (row.clock_started, row.episode_pk),
    "name": lambda row: (row.last_name, row.first_name, row.episode_pk),
    "guarantee": lambda row: (row.guarantee_date or date.max, row.episode_pk),
}


def clock_start(episode: Episode, *, step: str) -> date:
    """The day a step's clock starts: the referral's arrival for the new visit
    (seed 1 §5.2); for later steps the day the episode entered the step, as the
    care guarantee counts from the decision (uses prefetched transitions)."""
    if step == WaitingStep.NEW_VISIT:
        return episode.opened_on
    first_state = WAITING_STATES[step][0]
    entered = [t.at for t in episode.transitions.all() if t.to_state == first_state]
    return (
        timezone.localdate(max(entered))
        if entered
        else timezone.localdate(episode.state_since)
    )


def waiting_row(
    episode: Episode, *, step: str, today: date, absence_limit: int
) -> WaitingRow:
    """One patient's place on a waiting list, from prefetched pauses and bookings."""
    pauses = [Pause(start=p.start, end=p.end) for p in episode.pauses.all()]
    received = clock_start(episode, step=step)
    bookings = list(episode.bookings.all())
    absences = [
        Absence(
            on=b.status_changed_on or timezone.localdate(b.starts_at),
            kind=AbsenceKind(b.status),
        )
        for b in bookings
        if b.status in AbsenceKind.values
    ]
    upcoming = [b for b in bookings if b.status == Booking.Status.BOOKED]
    return WaitingRow(
        episode=episode,
        clock_started=received,
        days_waited=days_waited(
            received=received, today=max(today, received), pauses=pauses
        ),
        goal_date=goal_date(received=received, pauses=pauses),
        guarantee_date=guarantee_date(received=received, pauses=pauses),
        status=clock_status(
            received=received, today=max(today, received), pauses=pauses
        ),
        paused=is_paused(today=today, pauses=pauses),
        next_booking=min(upcoming, key=lambda b: b.starts_at) if upcoming else None,
        absences=absence_count(absences),
        flagged_for_discharge=should_flag_for_discharge(absences, limit=absence_limit),
    )


WAITING_PAGE_SIZE = 50


def _waiting_episodes(membership: Membership, step: str) -> QuerySet[Episode]:
    return Episode.objects.in_unit(membership.unit_id).filter(
        state__in=WAITING_STATES[step]
    )


def _with_clock_facts(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    return episodes.select_related("patient", "referral", "triage").prefetch_related(
        "pauses",
        Prefetch("bookings", queryset=Booking.objects.select_related("staff")),
        Prefetch(
            "transitions",
            queryset=EpisodeTransition.objects.only("episode_id", "to_state", "at"),
        ),
    )


def waiting_clocks(
    *, membership: Membership, step: str, today: date
) -> list[WaitingClock]:
    """Every waiting patient's clock from plain rows (three queries), as
    `waiting_row` computes it from the full objects."""
    episodes = _waiting_episodes(membership, step)
    pauses: dict[int, list[Pause]] = {}
    for episode_id, start, end in WaitingPause.objects.filter(
        episode__in=episodes
    ).values_list("episode_id", "start", "end"):
        pauses.setdefault(episode_id, []).append(Pause(start=start, end=end))
    entered: dict[int, date] = {}
    if step != WaitingStep.NEW_VISIT:
        first_state = WAITING_STATES[step][0]
        entered = EpisodeTransition.objects.last_entered(episodes, first_state)
    clocks = []
    for pk, opened_on, state_since, last, first in episodes.values_list(
        "pk", "opened_on", "state_since", "patient__last_name", "patient__first_name"
    ):
        if step == WaitingStep.NEW_VISIT:
            received = opened_on
        else:
            received = entered.get(pk) or timezone.localdate(state_since)
        own = pauses.get(pk, [])
        clocks.append(
            WaitingClock(
                episode_pk=pk,
                last_name=last,
                first_name=first,
                clock_started=received,
                days_waited=days_waited(
                    received=received, today=max(today, received), pauses=own
                ),
                guarantee_date=guarantee_date(received=received, pauses=own),
                status=clock_status(
                    received=received, today=max(today, received), pauses=own
                ),
            )  # fmt: skip
        )
    return clocks


def waiting_list_page(
    *,
    membership: Membership,
    step: str,
    today: date,
    page: int | str = 1,
    sort: str = "days",
    status: str = "",
    clocks: list[WaitingClock] | None = None,
) -> Page[WaitingRow]:
    """One page of the waiting list. Every patient's clock is computed from
    plain rows for the sort and the status filter; only the page's episodes
    are read in full, rendered and logged as read. A fixed number of queries.
    `clocks`: the step's `waiting_clocks`, when the caller has read them."""
    if clocks is None:
        clocks = waiting_clocks(membership=membership, step=step, today=today)
    if status:
        clocks = [clock for clock in clocks if clock.status == status]
    ordered = sorted(clocks, key=SORTS.get(sort, SORTS["days"]))
    of_clocks = Paginator(ordered, WAITING_PAGE_SIZE).get_page(page)
    order = [clock.episode_pk for clock in of_clocks]
    episodes = _with_clock_facts(
        _waiting_episodes(membership, step).filter(pk__in=order)
    ).in_bulk()
    limit = membership.unit.absence_limit
    rows = [
        waiting_row(episodes[pk], step=step, today=today, absence_limit=limit)
        for pk in order
    ]
    # The same page of the same paginator, holding the rows of its clocks; the
    # paginator counts clocks, one per row (only its counts are shown).
    paginator = cast("Paginator[WaitingRow]", of_clocks.paginator)
    shown = Page(rows, of_clocks.number, paginator)
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[row.episode.patient_id for row in shown],
        what=f"waiting list {step} page {shown.number}",
    )
    return shown


# --- Accessibility figures per unit and month --------------------------------


@dataclass(frozen=True)
class MonthFigures:
    year: int
    month: int
    referrals_in: int
    triage_outcomes: dict[str, int]
    waits: WaitFigures


def accessibility_figures(
    *, membership: Membership, year: int, month: int
) -> MonthFigures:
    """Referrals in, triage outcomes and new-visit waiting times for one month.

    Aggregates only (no patient is shown), so nothing is logged per patient.
    """
    unit = membership.unit_id
    referrals = Referral.objects.filter(
        episode__unit=unit, received_on__year=year, received_on__month=month
    ).count()
    outcomes = dict(
        TriageDecision.objects.filter(
            episode__unit=unit, decided_at__year=year, decided_at__month=month
        )
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    first_of_month = date(year, month, 1)
    last_of_month = date(year, month, calendar.monthrange(year, month)[1])
    waits = new_visit_waits(unit=unit, start=first_of_month, end=last_of_month)
    return MonthFigures(
        year=year,
        month=month,
        referrals_in=referrals,
        triage_outcomes={o: outcomes.get(o, 0) for o in TriageDecision.Outcome.values},
        waits=wait_figures(waits),
    )


def new_visit_waits(*, unit: int, start: date, end: date) -> list[int]:
    """Days waited to the first new visit of each episode whose visit fell in
    `start`–`end` (both included), patient-chosen waiting left out."""
    visits = (
        NewVisitRecord.objects.filter(episode__unit=unit, held_on__range=(start, end))
        .select_related("episode")
        .prefetch_related("episode__pauses")
        .order_by("episode_id", "held_on")
    )
    waits, seen = [], set()
    for visit in visits:
        if visit.episode_id in seen or visit.held_on < visit.episode.opened_on:
            continue
        seen.add(visit.episode_id)
        pauses = [Pause(start=p.start, end=p.end) for p in visit.episode.pauses.all()]
        waits.append(
            days_waited(
                received=visit.episode.opened_on, today=visit.held_on, pauses=pauses
            )
        )
    return waits


def patient_episodes(*, patient: Patient) -> dict[str, object]:
    """The patient page's care episodes card: the patient's timeline."""
    return {"episodes": patient_timeline(patient=patient)}
