"""Reads of programme data for screens and for other apps.

Selectors that return patients name them for the caller to audit: a page
writes one audit row naming every patient it shows (see `audit_view`).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypedDict

from django.db import models
from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from painrehab.accounts.models import CareUnit, Membership
from painrehab.audit.services import Action, record
from painrehab.core.windows import (
    GROUP_SESSION_SPECS,
    Track,
    Window,
    follow_up_schedule,
    krt_follow_up_reference,
)
from painrehab.pathway.busy import staff_taken
from painrehab.pathway.models import Booking, Episode, EpisodeTransition
from painrehab.pathway.states import State
from painrehab.patients.models import Patient
from painrehab.programmes.calendar import local_datetime
from painrehab.programmes.models import (
    Appointment,
    Attendance,
    Cohort,
    CohortParticipant,
    Session,
    SessionStaff,
)
from painrehab.programmes.rate_words import rate_sentence
from painrehab.programmes.rules import (
    AbsenceRate,
    InterventionRate,
    intervention_rate,
    over_absence_threshold,
)
from painrehab.programmes.services.cohorts import WAITING_FOR_PROGRAMME


def audit_view(
    membership: Membership,
    *,
    patients: Iterable[int],
    what: str,
    obj: models.Model | None = None,
) -> None:
    """One audit row for a page view, naming every patient it showed."""
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=list(patients),
        obj=obj,
        what=what,
    )


# --- Places in cohorts ------------------------------------------------------


class _Decided(TypedDict):
    decided_at: datetime


def programme_candidates(
    *, unit: CareUnit | int, today: date
) -> "QuerySet[WithAnnotations[Episode, _Decided]]":
    """Episodes decided for a group programme and without a place in a cohort
    still to come or running, first decided first (seed 0 §9: places are
    offered in order of decision).

    `decided_at` is the time of the assessment conference's decision (the move
    to the planning meeting), or the time the episode entered its state.
    """
    placed = CohortParticipant.objects.filter(cohort__end__gte=today).values(
        "episode_id"
    )
    return (
        Episode.objects.in_unit(unit)
        .filter(state__in=WAITING_FOR_PROGRAMME)
        .exclude(pk__in=placed)
        .annotate(
            decided_at=Coalesce(
                Max(
                    "transitions__at",
                    filter=Q(transitions__to_state=State.PLANNING_MEETING),
                ),
                "state_since",
            )
        )
        .select_related("patient")
        .order_by("decided_at", "pk")
    )


def absence_rates(participants: Iterable[int]) -> dict[int, AbsenceRate]:
    """Recorded attendance at programme sessions per participant id, in one query."""
    Status = Attendance.Status
    # A group follow-up after the programme is not a programme session.
    rows = (
        Attendance.objects.filter(
            participant__in=list(participants), session__follow_up_key=""
        )
        .values("participant_id")
        .annotate(
            present=Count("pk", filter=Q(status=Status.PRESENT)),
            absent=Count("pk", filter=Q(status=Status.ABSENT)),
            excused=Count("pk", filter=Q(status=Status.EXCUSED)),
        )
    )
    return {
        row["participant_id"]: AbsenceRate(
            row["present"], row["absent"], row["excused"]
        )
        for row in rows
    }


@dataclass(frozen=True)
class ParticipantRow:
    participant: CohortParticipant
    rate: AbsenceRate
    flagged: bool

    @property
    def patient(self) -> Patient:
        return self.participant.episode.patient


def cohort_participants(cohort: Cohort) -> list[ParticipantRow]:
    """The cohort's participants in order, each with attendance and the flag
    for the template's absence threshold."""
    participants = list(
        cohort.participants.select_related("episode__patient").order_by("pk")
    )
    rates = absence_rates(p.pk for p in participants)
    threshold = cohort.template.absence_threshold_percent
    rows = []
    for participant in participants:
        rate = rates.get(participant.pk, AbsenceRate())
        flagged = over_absence_threshold(rate, threshold_percent=threshold)
        rows.append(ParticipantRow(participant, rate, flagged))
    return rows


@dataclass(frozen=True)
class AttendanceSheet:
    """One day of a cohort: its sessions with participants, and who is
    expected where (`cells`: session, participant, status recorded so far)."""

    day: date | None
    days: list[date]
    sessions: list[Session]
    rows: list[ParticipantRow]
    cells: list[tuple[Session, CohortParticipant, str]]
    editable: bool


def attendance_sheet(
    *, cohort: Cohort, wanted: date | None, today: date
) -> AttendanceSheet:
    """The day `wanted` if the cohort has sessions with participants then,
    else the latest such day up to `today`, else its first. Only days up to
    today are editable."""
    with_patients = cohort.sessions.exclude(attendees=Session.Attendees.STAFF)
    days = list(
        with_patients.values_list("date", flat=True).distinct().order_by("date")
    )
    past = [day for day in days if day <= today]
    day: date | None = None
    if wanted in days:
        day = wanted
    elif past:
        day = past[-1]
    elif days:
        day = days[0]
    sessions = (
        list(
            with_patients.filter(date=day)
            .prefetch_related("participants", "attendance")
            .order_by("start", "pk")
        )
        if day is not None
        else []
    )
    rows = cohort_participants(cohort)
    cells = []
    for session in sessions:
        statuses = {a.participant_id: a.status for a in session.attendance.all()}
        expected = {p.pk for p in session.participants.all()}
        cells += [
            (session, row.participant, statuses.get(row.participant.pk, ""))
            for row in rows
            if row.participant.pk in expected
        ]
    editable = day is not None and day <= today
    return AttendanceSheet(day, days, sessions, rows, cells, editable)


@dataclass(frozen=True)
class AbsenceFlag:
    """A patient past their programme's absence threshold."""

    patient_id: int
    episode_id: int
    participant_id: int
    cohort_id: int
    cohort_name: str
    rate: AbsenceRate
    threshold_percent: int


def patients_over_absence_threshold(
    *, unit: CareUnit | int, today: date
) -> list[AbsenceFlag]:
    """Participants of the unit's cohorts running on `today` whose absence is
    over their template's threshold: the patient-conference agenda's list
    (seed 0 §8.2, §12.1). One query; writes no audit row (the agenda page
    names the patients it shows)."""
    Status = Attendance.Status
    places = (
        CohortParticipant.objects.filter(
            cohort__unit=unit, cohort__start__lte=today, cohort__end__gte=today
        )
        .annotate(
            present=Count("attendance", filter=Q(attendance__status=Status.PRESENT)),
            absent=Count("attendance", filter=Q(attendance__status=Status.ABSENT)),
            excused=Count("attendance", filter=Q(attendance__status=Status.EXCUSED)),
        )
        .values(
            "pk",
            "episode_id",
            "episode__patient_id",
            "cohort_id",
            "cohort__name",
            "cohort__template__absence_threshold_percent",
            "present",
            "absent",
            "excused",
        )
        .order_by("cohort__start", "pk")
    )
    flags = []
    for row in places:
        rate = AbsenceRate(row["present"], row["absent"], row["excused"])
        threshold = row["cohort__template__absence_threshold_percent"]
        if over_absence_threshold(rate, threshold_percent=threshold):
            flags.append(
                AbsenceFlag(
                    patient_id=row["episode__patient_id"],
                    episode_id=row["episode_id"],
                    participant_id=row["pk"],
                    cohort_id=row["cohort_id"],
                    cohort_name=row["cohort__name"],
                    rate=rate,
                    threshold_percent=threshold,
                )
            )
    return flags


# --- Week views -------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of a week view: a session, an individual appointment or a
    visit of the pathway (new, return or investigation visit …)."""

    day: date
    start: time
    end: time
    title: str
    place: str
    staff: list[str]
    patients: list[Patient]
    kind: str  # Session.Attendees value, "appointment" or "visit"
    locked: bool = False
    session_id: int | None = None
    cohort: str = ""


@dataclass
class Week:
    monday: date
    days: list[date]
    rows: list[dict[str, object]] = field(default_factory=list)
    entries: int = 0
    patient_ids: set[int] = field(default_factory=set)

    @property
    def previous(self) -> date:
        return self.monday - timedelta(weeks=1)

    @property
    def next(self) -> date:
        return self.monday + timedelta(weeks=1)


DAY_HOURS = range(8, 16)  # the patient day, 08–16 (seed 0 §9.2)


def _sessions(filters: Q, monday: date, last: date | None = None) -> list[Session]:
    """The sessions from `monday` to `last` (the Sunday after when not given),
    with what a week view shows of them."""
    last = last or monday + timedelta(days=6)
    return list(
        Session.objects.filter(filters, date__gte=monday, date__lte=last)
        .select_related("room", "cohort")
        .prefetch_related(
            Prefetch("staff", queryset=SessionStaff.objects.select_related("user")),
            Prefetch(
                "participants",
                queryset=CohortParticipant.objects.select_related(
                    "episode__patient"
                ).order_by("pk"),
            ),
        )
        .order_by("date", "start", "pk")
    )


def _session_entry(session: Session) -> Entry:
    named = session.attendees in (Session.Attendees.INDIVIDUAL, Session.Attendees.GROUP)
    return Entry(
        day=session.date,
        start=session.start,
        end=session.end,
        title=session.activity_name,
        place=session.place_label,
        staff=[str(booking.user) for booking in session.staff.all()],
        patients=[p.episode.patient for p in session.participants.all()]
        if named
        else [],
        kind=session.attendees,
        locked=session.locked,
        session_id=session.pk,
        cohort=session.cohort.name,
    )


def _appointment_entry(appointment: Appointment) -> Entry:
    begins = timezone.localtime(appointment.starts_at)
    ends = begins + timedelta(minutes=appointment.minutes)
    return Entry(
        day=begins.date(),
        start=begins.time(),
        end=ends.time(),
        title=appointment.get_profession_display(),
        place=appointment.get_mode_display(),
        staff=[str(appointment.staff)],
        patients=[appointment.episode.patient],
        kind="appointment",
    )


def _week(monday: date, entries: list[Entry]) -> Week:
    days = [monday + timedelta(n) for n in range(5)]
    weekend = [e for e in entries if e.day.weekday() >= 5]
    if weekend:
        days += sorted({e.day for e in weekend})
    cells: dict[tuple[int, date], list[Entry]] = defaultdict(list)
    patients: set[int] = set()
    for entry in sorted(entries, key=lambda e: (e.day, e.start)):
        hour = min(max(entry.start.hour, DAY_HOURS.start), DAY_HOURS.stop - 1)
        cells[(hour, entry.day)].append(entry)
        patients.update(p.pk for p in entry.patients)
    rows = [
        {"hour": time(hour), "cells": [cells[(hour, day)] for day in days]}
        for hour in DAY_HOURS
    ]
    return Week(monday, days, rows, len(entries), patients)


def cohort_week(*, cohort: Cohort, monday: date) -> Week:
    """The cohort's sessions of one week, names shown for individual and
    small-group sessions. Constant number of queries."""
    sessions = _sessions(Q(cohort=cohort), monday)
    return _week(monday, [_session_entry(s) for s in sessions])


def _visit_entry(booking: Booking) -> Entry:
    begins = timezone.localtime(booking.starts_at)
    ends = begins + timedelta(minutes=booking.minutes)
    return Entry(
        day=begins.date(),
        start=begins.time(),
        end=ends.time(),
        title=booking.get_kind_display(),
        place=booking.get_mode_display(),
        staff=[str(u) for u in (booking.staff, booking.second_staff) if u],
        patients=[booking.episode.patient],
        kind="visit",
    )


@dataclass
class StaffCalendar:
    """What a staff member is booked on in a period, in the member's unit:
    the sessions, individual appointments and visits, each read once."""

    sessions: list[Session]
    appointments: list[Appointment]
    visits: list[Booking]


def staff_calendar(
    *, member: Membership, first: date, last: date, for_screen: bool = True
) -> StaffCalendar:
    """A staff member's time from `first` to `last` (days, both included) as
    the booking check sees it (`busy.staff_taken`), limited to the member's
    unit. `for_screen` loads the patients a page names. Constant number of
    queries."""
    taken = staff_taken(
        unit_id=member.unit_id,
        staff_id=member.user_id,
        first=local_datetime(first, time(0)),
        last=local_datetime(last + timedelta(days=1), time(0)),
    )
    refs: dict[str, list[int]] = defaultdict(list)
    for item in taken:
        if item.ref is not None:
            refs[item.ref[0]].append(item.ref[1])
    unit = Q(unit=member.unit_id)
    sessions = (
        _sessions(unit & Q(pk__in=refs["Session"]), first, last)
        if for_screen
        else sessions_between(
            filters=unit & Q(pk__in=refs["Session"]), first=first, last=last
        )
    )
    appointments = Appointment.objects.filter(unit, pk__in=refs["Appointment"])
    visits = Booking.objects.filter(unit, pk__in=refs["Booking"]).select_related(
        "staff", "second_staff"
    )
    if for_screen:
        appointments = appointments.select_related("episode__patient", "staff")
        visits = visits.select_related("episode__patient")
    return StaffCalendar(
        sessions=sessions,
        appointments=list(appointments.order_by("starts_at", "pk")),
        visits=list(visits.order_by("starts_at", "pk")),
    )


def staff_week(*, member: Membership, monday: date) -> Week:
    """Everything a staff member is booked on in the unit in one week:
    programme sessions, individual appointments and the pathway's visits
    (new, return and investigation visits …). Constant number of queries."""
    found = staff_calendar(member=member, first=monday, last=monday + timedelta(days=6))
    entries = [_session_entry(s) for s in found.sessions]
    entries += [_appointment_entry(a) for a in found.appointments]
    entries += [_visit_entry(b) for b in found.visits]
    return _week(monday, entries)


def room_week(*, room_id: int, unit_id: int, monday: date) -> Week:
    """The sessions in a room in one week. Constant number of queries."""
    sessions = _sessions(Q(unit=unit_id, room=room_id), monday)
    return _week(monday, [_session_entry(s) for s in sessions])


def sessions_between(*, filters: Q, first: date, last: date) -> list[Session]:
    """Sessions for a calendar export, with staff, room and cohort."""
    return list(
        Session.objects.filter(filters, date__gte=first, date__lte=last)
        .select_related("room", "cohort")
        .prefetch_related(
            Prefetch("staff", queryset=SessionStaff.objects.select_related("user"))
        )
        .order_by("date", "start", "pk")
    )


def appointments_of(*, patient: Patient) -> QuerySet[Appointment]:
    """The individual appointments of a patient the member may see
    (get_patient_for_user), in the patient's unit."""
    return Appointment.objects.filter(episode__patient=patient, unit=patient.unit_id)


def schedule_sessions(
    *, cohort: Cohort, monday: date, participant: CohortParticipant | None
) -> list[Session]:
    """The sessions of a printed week schedule: the whole group's, or all that
    `participant` takes part in (never another participant's own)."""
    sessions = sessions_between(
        filters=Q(cohort=cohort) & ~Q(attendees=Session.Attendees.STAFF),
        first=monday,
        last=monday + timedelta(days=6),
    )
    if participant is None:
        return [s for s in sessions if s.attendees == Session.Attendees.ALL]
    mine = set(participant.sessions.values_list("pk", flat=True))
    return [s for s in sessions if s.pk in mine]


# --- Individual rehabilitation (seed 0 §10.3) --------------------------------


@dataclass(frozen=True)
class IndividualSummary:
    appointments: list[Appointment]
    start: date | None
    until: date | None
    rate: InterventionRate | None
    planned: int

    @property
    def rate_sentence(self) -> str:
        """The rate in words, with the bookings still ahead ("" before a start)."""
        return (
            "" if self.rate is None else rate_sentence(self.rate, booked=self.planned)
        )


def individual_summary(*, episode: Episode, today: date) -> IndividualSummary:
    """The episode's appointments and the §10.3 check of at least six
    interventions a month on average, counted from the move to individual
    rehabilitation to today (or to the end of the rehabilitation)."""
    appointments = list(
        episode.rehab_appointments.select_related("staff").order_by("starts_at")
    )
    moves = EpisodeTransition.objects.filter(episode=episode).filter(
        Q(to_state=State.INDIVIDUAL_REHABILITATION)
        | Q(from_state=State.INDIVIDUAL_REHABILITATION)
    )
    started = ended = None
    for move in moves.order_by("at", "pk"):
        if move.to_state == State.INDIVIDUAL_REHABILITATION:
            started, ended = timezone.localdate(move.at), None
        elif started is not None:
            ended = timezone.localdate(move.at)
    if started is None:
        return IndividualSummary(appointments, None, None, None, 0)
    until = ended or today
    held = [
        timezone.localdate(a.starts_at)
        for a in appointments
        if a.status == Appointment.Status.HELD
    ]
    planned = sum(
        1
        for a in appointments
        if a.status == Appointment.Status.BOOKED
        and timezone.localdate(a.starts_at) >= today
    )
    rate = intervention_rate(held_on=held, start=started, until=max(until, started))
    return IndividualSummary(appointments, started, until, rate, planned)


# --- Staff time (for the cost analysis of the analytics issue) ---------------


def staff_minutes(
    *, unit: CareUnit | int, first: date, last: date
) -> dict[str, dict[str, int]]:
    """Staff minutes per profession from `first` to `last`, split into group
    sessions ("sessions") and individual appointments held ("appointments")."""
    minutes: dict[str, dict[str, int]] = defaultdict(
        lambda: {"sessions": 0, "appointments": 0}
    )
    sessions = (
        SessionStaff.objects.filter(
            session__unit=unit, session__date__gte=first, session__date__lte=last
        )
        .values("profession")
        .annotate(total=Sum("minutes"))
    )
    for row in sessions:
        minutes[row["profession"]]["sessions"] = row["total"]
    appointments = (
        Appointment.objects.filter(
            unit=unit,
            status=Appointment.Status.HELD,
            starts_at__gte=local_datetime(first, time(0)),
            starts_at__lt=local_datetime(last + timedelta(days=1), time(0)),
        )
        .values("profession")
        .annotate(total=Sum("minutes"))
    )
    for row in appointments:
        minutes[row["profession"]]["appointments"] = row["total"]
    return dict(minutes)


def cohort_staff_minutes(cohort: Cohort) -> list[tuple[str, int]]:
    """Staff minutes per profession over the cohort's sessions."""
    rows = (
        SessionStaff.objects.filter(session__cohort=cohort)
        .values("profession")
        .annotate(total=Sum("minutes"))
        .order_by("profession")
    )
    return [(row["profession"], row["total"]) for row in rows]


# The KRT template's theory sessions (templates_data.KRT_GROUP: krt_theory and
# krt_theory_physician); the month of training starts after the last of them.
KRT_THEORY_PREFIX = "krt_theory"


def last_theory_sessions(episode_ids: Iterable[int]) -> dict[int, date]:
    """The day of the last KRT theory session of each episode's cohort, by
    episode id (episodes in no scheduled KRT cohort are left out); one query."""
    rows = (
        Session.objects.filter(
            cohort__participants__episode_id__in=list(episode_ids),
            activity_key__startswith=KRT_THEORY_PREFIX,
            follow_up_key="",
        )
        .values("cohort__participants__episode_id")
        .annotate(last=Max("date"))
        .order_by()
    )
    return {row["cohort__participants__episode_id"]: row["last"] for row in rows}


@dataclass(frozen=True)
class GroupFollowUp:
    """One group follow-up of a KRT cohort: the window the rule proposes and
    the session booked for it, if any."""

    key: str
    label: str
    window: Window
    session: Session | None


def group_follow_ups(cohort: Cohort) -> list[GroupFollowUp]:
    """The KRT cohort's 1-, 2- and 3-month group follow-ups, dated from the
    end of its training month (core.windows.krt_follow_up_reference; before
    its theory sessions are scheduled, from the cohort's last day), each with
    its booked session. Empty outside primary care."""
    if cohort.unit.kind != CareUnit.Kind.PRIMARY_CARE:
        return []
    last_theory = (
        cohort.sessions.filter(
            activity_key__startswith=KRT_THEORY_PREFIX, follow_up_key=""
        )
        .aggregate(last=Max("date"))
        .get("last")
    )
    reference = krt_follow_up_reference(
        last_theory_session_on=last_theory, rehabilitation_ended_on=cohort.end
    )
    booked = {
        session.follow_up_key: session
        for session in cohort.sessions.exclude(follow_up_key="")
        .select_related("room")
        .prefetch_related("staff__user")
    }
    items = follow_up_schedule(
        ended_on=reference, track=Track.KRT, specs=GROUP_SESSION_SPECS.values()
    )
    return [
        GroupFollowUp(item.key, str(item.label), item.window, booked.get(item.key))
        for item in items
    ]


def follow_up_sessions(*, episode_id: int) -> dict[str, Session]:
    """The group follow-up sessions the episode's patient is booked into, by
    follow-up key (the latest cohort's when there are several)."""
    sessions = (
        Session.objects.filter(participants__episode_id=episode_id)
        .exclude(follow_up_key="")
        .select_related("room")
        .order_by("cohort__start", "date")
    )
    return {session.follow_up_key: session for session in sessions}


def rehabilitation_card(*, episode: Episode, today: date, **_: object) -> dict:
    """The episode page's programme card: each cohort place with its absence
    (flagged past the template's threshold), and the individual interventions
    with the §10.3 check when the episode is or was in individual rehabilitation.
    Shown on the episode page, whose view already logged the read."""
    places = list(
        episode.cohort_places.select_related("cohort__template").order_by("-pk")
    )
    rates = absence_rates(p.pk for p in places)
    rows = []
    for place in places:
        rate = rates.get(place.pk, AbsenceRate())
        threshold = place.cohort.template.absence_threshold_percent
        rows.append(
            {
                "participant": place,
                "rate": rate,
                "flagged": over_absence_threshold(rate, threshold_percent=threshold),
            }
        )
    summary = individual_summary(episode=episode, today=today)
    show_individual = (
        episode.state == State.INDIVIDUAL_REHABILITATION
        or summary.rate is not None
        or bool(summary.appointments)
    )
    return {
        "episode": episode,
        "places": rows,
        "summary": summary,
        "show_individual": show_individual,
    }
