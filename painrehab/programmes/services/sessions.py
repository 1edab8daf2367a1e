"""Changing a single session by hand: it is then locked, so re-scheduling keeps it."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from painrehab.accounts.access import require
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.accounts.rules import require_staff_on
from painrehab.audit.services import Action, record
from painrehab.pathway.busy import BookingClash, Request, check_time
from painrehab.programmes.calendar import local_datetime
from painrehab.programmes.models import Room, Session, SessionStaff
from painrehab.programmes.services import (
    NOT_PERMITTED,
    ProgrammeRefused,
    require_unit,
)
from painrehab.programmes.services.follow_ups_due import refresh_cohort_follow_ups_due


def change_session(
    *,
    by: Membership,
    session: Session,
    day: date,
    start: time,
    room: Room | None,
    place: str,
    staff: list[Membership],
) -> Session:
    """Move a session or change its room or staff; it keeps its length and
    becomes locked. Refused when a staff member, the room or a participant is
    already booked in another session at that time."""
    require(by, Permission.RUN_PROGRAMME, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, session.unit_id)
    if room is not None:
        require_unit(by, room.unit_id)
    for member in staff:
        require_unit(by, member.unit_id)
    if not staff:
        raise ProgrammeRefused(_("A session needs at least one staff member."))
    require_staff_on(staff, day, ProgrammeRefused, field="staff")
    length = timedelta(minutes=session.minutes)
    end_at = datetime.combine(day, start) + length
    if end_at.date() != day:
        raise ProgrammeRefused(_("The session must end the same day."))
    end = end_at.time()
    participants = list(session.participants.values_list("pk", flat=True))
    clash = (
        Session.objects.filter(date=day, start__lt=end, end__gt=start)
        .exclude(pk=session.pk)
        .filter(
            Q(staff__user__in=[m.user_id for m in staff])
            | (Q(room=room) if room is not None else Q(pk__in=[]))
            | Q(participants__in=participants)
        )
        .distinct()
        .first()
    )
    if clash is not None and clash.unit_id != by.unit_id:
        raise ProgrammeRefused(
            _("Double booking: a staff member is booked in another unit then.")
        )
    if clash is not None:
        raise ProgrammeRefused(
            _("Double booking: %(session)s at the same time.") % {"session": clash}
        )
    # Visits and individual appointments of the same staff take time too.
    try:
        check_time(
            Request(
                unit_id=session.unit_id,
                starts_at=local_datetime(day, start),
                ends_at=local_datetime(day, end),
                staff_ids=frozenset(m.user_id for m in staff),
                room_id=room.pk if room is not None else None,
                moving=("Session", session.pk),
            ),
            confirmed=True,
        )
    except BookingClash as taken:
        raise ProgrammeRefused(taken.message) from None
    with transaction.atomic():
        session.date, session.start, session.end = day, start, end
        session.room, session.place, session.locked = room, place, True
        session.save(update_fields=["date", "start", "end", "room", "place", "locked"])
        session.staff.all().delete()
        SessionStaff.objects.bulk_create(
            SessionStaff(
                session=session,
                user_id=member.user_id,
                profession=member.profession,
                minutes=session.minutes,
            )
            for member in staff
        )
        # A moved theory session moves the day KRT's follow-ups count from.
        refresh_cohort_follow_ups_due(session.cohort_id)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=list(
                session.participants.values_list("episode__patient_id", flat=True)
            ),
            obj=session,
            what="session changed by hand and locked",
        )
    return session


def unlock_session(*, by: Membership, session: Session) -> None:
    """Let the next scheduling move the session again."""
    require(by, Permission.RUN_PROGRAMME, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, session.unit_id)
    with transaction.atomic():
        Session.objects.filter(pk=session.pk).update(locked=False)
        session.locked = False
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            obj=session,
            what="session unlocked",
        )
