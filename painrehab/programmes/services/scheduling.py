"""Automatic scheduling of a cohort: the database in, the CP-SAT proposal out.

`scheduling_problem` reads everything the scheduler needs (the template's
demands, the unit's staff with their hours, absences and bookings elsewhere,
the rooms with their hours and bookings by other cohorts, the cohort's locked
sessions); `schedule_cohort` solves it and stores the proposal as sessions.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.access import require
from painrehab.accounts.models import Membership, valid_during
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.closed_days import swedish_closed_days
from painrehab.pathway.models import Booking
from painrehab.programmes import scheduler as cp
from painrehab.programmes.models import (
    Appointment,
    Attendance,
    Cohort,
    CohortParticipant,
    Room,
    Session,
    SessionStaff,
    StaffAbsence,
    full_patient_day,
)
from painrehab.programmes.services import (
    NOT_PERMITTED,
    ProgrammeRefused,
    require_unit,
)
from painrehab.programmes.services.follow_ups_due import refresh_cohort_follow_ups_due
from painrehab.programmes.services.templates import template_data
from painrehab.programmes.templates_data import (
    ProgrammeTemplate as ProgrammeTemplateData,
)
from painrehab.programmes.templates_data import (
    cohort_from_template,
    split_into_groups,
)

# The web request waits for the solver: at most 20 s (issue 6); one cohort of
# the shipped templates is usually solved to optimality in well under a second.
SCHEDULING_SECONDS = 15.0


@dataclass(frozen=True)
class DemandInfo:
    """What a scheduler demand key means for the sessions stored from it."""

    name: str
    attendees: str
    participants: tuple[CohortParticipant, ...]


@dataclass(frozen=True)
class Prepared:
    problem: cp.SchedulingProblem
    demands: dict[str, DemandInfo]
    members: dict[str, Membership]  # scheduler staff id -> membership
    rooms: dict[str, Room]  # scheduler room id -> room


@dataclass(frozen=True)
class SchedulingResult:
    """Sessions created and kept, or the conflicting rules (in the user's language)."""

    created: int
    kept: int
    stats: cp.SolverStats
    conflicts: tuple[str, ...] = ()
    proven: bool = True

    @property
    def ok(self) -> bool:
        return not self.conflicts


def schedule_cohort(
    *,
    by: Membership,
    cohort: Cohort,
    time_limit_seconds: float = SCHEDULING_SECONDS,
    now: datetime | None = None,
) -> SchedulingResult:
    """Propose a complete schedule for `cohort` and store it as its sessions.

    Locked sessions stay exactly as they are; every other session of the
    cohort is replaced. Nobody (staff member or room) is booked twice,
    counting the unit's other cohorts, individual appointments and pathway
    bookings. When no schedule exists nothing changes and the result names
    the conflicting rules. Refused once attendance is recorded (sessions are
    then changed by hand).
    """
    now = now or timezone.now()
    require(by, Permission.RUN_PROGRAMME, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, cohort.unit_id)
    if Attendance.objects.filter(session__cohort=cohort).exists():
        raise ProgrammeRefused(
            _(
                "Attendance is recorded for this programme, so it is not scheduled "
                "again; change single sessions by hand."
            )
        )
    participants = list(cohort.participants.select_related("episode").order_by("pk"))
    if not participants:
        raise ProgrammeRefused(_("Add participants before scheduling."))
    prepared = scheduling_problem(cohort=cohort, participants=participants)
    outcome = cp.propose_schedule(
        problem=prepared.problem, time_limit_seconds=time_limit_seconds
    )
    if isinstance(outcome, cp.Infeasible):
        return SchedulingResult(
            created=0,
            kept=len(prepared.problem.locked),
            stats=outcome.stats,
            conflicts=tuple(str(conflict) for conflict in outcome.conflicts),
            proven=outcome.proven,
        )
    created = _store(by, cohort, prepared, outcome, participants, now)
    return SchedulingResult(
        created=created, kept=len(prepared.problem.locked), stats=outcome.stats
    )


def scheduling_problem(
    *, cohort: Cohort, participants: list[CohortParticipant]
) -> Prepared:
    """The scheduler's input for `cohort`, read from the database.

    Staff ids are membership ids and room ids room ids, as strings. Raises
    ProgrammeRefused when a locked session cannot be kept (its activity left
    the template, or its staff member left the unit).
    """
    template = template_data(cohort.template)
    closed = frozenset(swedish_closed_days(cohort.start, cohort.end))
    key = str(cohort.pk)
    plan = cohort_from_template(
        template=template,
        key=key,
        name=cohort.name,
        start=cohort.start,
        participants=len(participants),
        closed_on=closed,
    )
    members = _members(cohort)
    rooms = {str(room.pk): room for room in Room.objects.filter(unit=cohort.unit_id)}
    staff = _staff(cohort, members)
    problem = cp.SchedulingProblem(
        cohorts=(plan,),
        staff=staff,
        rooms=_rooms(cohort, rooms),
        locked=_locks(cohort, plan, members),
    )
    return Prepared(problem, _demand_info(template, participants), members, rooms)


def _members(cohort: Cohort) -> dict[str, Membership]:
    """The unit's staff who run programme activities and have access on a
    day of the cohort, by scheduler id (`_staff` keeps them off the others)."""
    members = (
        Membership.all_periods.filter(
            valid_during(cohort.start, cohort.end),
            unit=cohort.unit_id,
            profession__in=list(cp.PROFESSION_PLURALS),
        )
        .select_related("user", "programme_availability")
        .order_by("pk")
    )
    return {
        str(m.pk): m
        for m in members
        if getattr(m, "programme_availability", None) is None
        or m.programme_availability.takes_part
    }


def _staff(cohort: Cohort, members: dict[str, Membership]) -> tuple[cp.Staff, ...]:
    users = {m.user_id: staff_id for staff_id, m in members.items()}
    absent: dict[str, set[date]] = defaultdict(set)
    for absence in StaffAbsence.objects.filter(
        membership__in=[m.pk for m in members.values()],
        first_day__lte=cohort.end,
        last_day__gte=cohort.start,
    ):
        day = max(absence.first_day, cohort.start)
        while day <= min(absence.last_day, cohort.end):
            absent[str(absence.membership_id)].add(day)
            day += timedelta(days=1)
    # A day outside a member's access is a day away (accounts.rules): access
    # that ends during the cohort, or begins in it.
    days = [
        cohort.start + timedelta(days=n)
        for n in range((cohort.end - cohort.start).days + 1)
    ]
    for staff_id, member in members.items():
        absent[staff_id].update(day for day in days if not member.is_valid_on(day))
    busy = _staff_busy(cohort, users)
    staff = []
    for staff_id, member in members.items():
        availability = getattr(member, "programme_availability", None)
        hours = availability.hours if availability is not None else full_patient_day()
        staff.append(
            cp.Staff(
                id=staff_id,
                profession=member.profession,
                availability=weekly_hours(hours),
                absent_on=frozenset(absent[staff_id]),
                busy=_in_order(busy[staff_id]),
            )
        )
    return tuple(staff)


def _staff_busy(
    cohort: Cohort, users: dict[int, str]
) -> dict[str, set[tuple[date, cp.TimeRange]]]:
    """Time the staff are booked outside this cohort, in any unit: other
    cohorts' sessions, this cohort's group follow-ups (booked by hand, never
    moved by the solver), individual appointments and pathway bookings."""
    busy: dict[str, set[tuple[date, cp.TimeRange]]] = defaultdict(set)
    sessions = (
        SessionStaff.objects.filter(
            user__in=list(users),
            session__date__gte=cohort.start,
            session__date__lte=cohort.end,
        )
        .exclude(session__cohort=cohort, session__follow_up_key="")
        .values_list("user_id", "session__date", "session__start", "session__end")
    )
    for user_id, day, start, end in sessions:
        busy[users[user_id]].add((day, cp.TimeRange(start, end)))
    first, last = _day_bounds(cohort.start), _day_bounds(cohort.end + timedelta(1))
    appointments = Appointment.objects.filter(
        staff__in=list(users),
        starts_at__gte=first,
        starts_at__lt=last,
        status__in=[Appointment.Status.BOOKED, Appointment.Status.HELD],
    ).values_list("staff_id", "starts_at", "minutes")
    for user_id, starts_at, minutes in appointments:
        _add_busy(busy[users[user_id]], starts_at, minutes)
    bookings = Booking.objects.filter(
        Q(staff__in=list(users)) | Q(second_staff__in=list(users)),
        starts_at__gte=first,
        starts_at__lt=last,
        status__in=[Booking.Status.BOOKED, Booking.Status.HELD],
    ).values_list("staff_id", "second_staff_id", "starts_at", "minutes")
    for staff_id, second_id, starts_at, minutes in bookings:
        for user_id in (staff_id, second_id):
            if user_id in users:
                _add_busy(busy[users[user_id]], starts_at, minutes)
    return busy


def _in_order(busy: set[tuple[date, cp.TimeRange]]) -> cp.Busy:
    return tuple(sorted(busy, key=lambda b: (b[0], b[1].start, b[1].end)))


def _day_bounds(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0)))


def _add_busy(
    busy: set[tuple[date, cp.TimeRange]], starts_at: datetime, minutes: int
) -> None:
    begins = timezone.localtime(starts_at)
    ends = begins + timedelta(minutes=minutes)
    if ends.date() != begins.date():
        ends = begins.replace(hour=23, minute=59)
    if ends > begins:
        busy.add((begins.date(), cp.TimeRange(begins.time(), ends.time())))


def _rooms(cohort: Cohort, rooms: dict[str, Room]) -> tuple[cp.Room, ...]:
    busy: dict[str, set[tuple[date, cp.TimeRange]]] = defaultdict(set)
    taken = (
        Session.objects.filter(
            room__in=[room.pk for room in rooms.values()],
            date__gte=cohort.start,
            date__lte=cohort.end,
        )
        .exclude(cohort=cohort)
        .values_list("room_id", "date", "start", "end")
    )
    for room_id, day, start, end in taken:
        busy[str(room_id)].add((day, cp.TimeRange(start, end)))
    return tuple(
        cp.Room(
            id=room_id,
            kind=cp.RoomKind(room.kind),
            opening_hours=(
                weekly_hours(room.opening_hours)
                if room.opening_hours is not None
                else None
            ),
            busy=_in_order(busy[room_id]),
        )
        for room_id, room in rooms.items()
    )


def _locks(
    cohort: Cohort, plan: cp.Cohort, members: dict[str, Membership]
) -> tuple[cp.LockedSession, ...]:
    by_user = {m.user_id: staff_id for staff_id, m in members.items()}
    keys = {demand.key for demand in plan.demands}
    locks = []
    # Group follow-ups are not the template's activities: kept, never locks.
    locked = cohort.sessions.filter(locked=True, follow_up_key="")
    for session in locked.prefetch_related("staff"):
        if session.activity_key not in keys:
            raise ProgrammeRefused(
                _(
                    "The locked session %(session)s is of an activity the template "
                    "no longer has; unlock or change it first."
                )
                % {"session": str(session)}
            )
        staff_ids = []
        for booking in session.staff.all():
            if booking.user_id not in by_user:
                raise ProgrammeRefused(
                    _(
                        "The locked session %(session)s is run by someone who does "
                        "not run programme activities in this unit; change it first."
                    )
                    % {"session": str(session)}
                )
            staff_ids.append(by_user[booking.user_id])
        locks.append(
            cp.LockedSession(
                cohort_key=plan.key,
                activity_key=session.activity_key,
                date=session.date,
                start=session.start,
                staff_ids=tuple(staff_ids),
                room_id=str(session.room_id) if session.room_id else None,
            )
        )
    return tuple(locks)


def _demand_info(
    template: ProgrammeTemplateData, participants: list[CohortParticipant]
) -> dict[str, DemandInfo]:
    """Demand key -> activity name, who attends and which participants, made
    the way `expand_template` keys its demands (`<key>-<group number>`)."""
    info = {}
    for activity in template.activities:
        if activity.group_size is None:
            info[activity.key] = DemandInfo(
                activity.name, Session.Attendees.ALL, tuple(participants)
            )
        elif activity.group_size == 0:
            info[activity.key] = DemandInfo(activity.name, Session.Attendees.STAFF, ())
        else:
            attendees = (
                Session.Attendees.INDIVIDUAL
                if activity.group_size == 1
                else Session.Attendees.GROUP
            )
            groups = split_into_groups(participants, activity.group_size)
            for number, members in enumerate(groups, start=1):
                info[f"{activity.key}-{number}"] = DemandInfo(
                    activity.name, attendees, tuple(members)
                )
    return info


def weekly_hours(hours: dict[str, list[list[str]]]) -> cp.WeeklyHours:
    """Stored hours ({"0": [["08:00", "16:00"]]}) as the scheduler's WeeklyHours."""
    return {
        int(weekday): tuple(
            cp.TimeRange(time.fromisoformat(start), time.fromisoformat(end))
            for start, end in ranges
        )
        for weekday, ranges in hours.items()
    }


def _store(
    by: Membership,
    cohort: Cohort,
    prepared: Prepared,
    schedule: cp.Schedule,
    participants: list[CohortParticipant],
    now: datetime,
) -> int:
    """Replace the cohort's unlocked sessions with the proposal, in one transaction."""
    new = [s for s in schedule.sessions if not s.locked]
    with transaction.atomic():
        Session.objects.filter(cohort=cohort, locked=False, follow_up_key="").delete()
        sessions = Session.objects.bulk_create(
            Session(
                unit_id=cohort.unit_id,
                cohort=cohort,
                activity_key=proposed.activity_key,
                activity_name=prepared.demands[proposed.activity_key].name,
                date=proposed.date,
                start=proposed.start,
                end=proposed.end,
                room=prepared.rooms[proposed.room_id] if proposed.room_id else None,
                attendees=prepared.demands[proposed.activity_key].attendees,
            )
            for proposed in new
        )
        staff, taking_part = [], []
        through = Session.participants.through
        for session, proposed in zip(sessions, new, strict=True):
            for staff_id in proposed.staff_ids:
                member = prepared.members[staff_id]
                staff.append(
                    SessionStaff(
                        session=session,
                        user_id=member.user_id,
                        profession=member.profession,
                        minutes=session.minutes,
                    )
                )
            for participant in prepared.demands[proposed.activity_key].participants:
                taking_part.append(
                    through(session_id=session.pk, cohortparticipant_id=participant.pk)
                )
        SessionStaff.objects.bulk_create(staff)
        through.objects.bulk_create(taking_part)
        Cohort.objects.filter(pk=cohort.pk).update(scheduled_at=now)
        cohort.scheduled_at = now
        # New theory sessions move the day KRT's follow-ups count from.
        refresh_cohort_follow_ups_due(cohort.pk)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[p.episode.patient_id for p in participants],
            obj=cohort,
            what=f"cohort scheduled: {len(sessions)} sessions",
        )
    return len(sessions)
