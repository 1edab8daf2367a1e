"""KRT's group follow-ups (seed 2: "träffas gruppen efter 1, 2 och 3
månader"): each is a session of the cohort, booked by hand on the day the
coordinator chooses near the date the rule proposes (programmes.selectors.
group_follow_ups), with the one booking check. Attendance at it records the
follow-up for each patient (services.attendance)."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from painrehab.accounts.access import require
from painrehab.accounts.models import CareUnit, Membership
from painrehab.accounts.permissions import Permission
from painrehab.accounts.rules import require_staff_on
from painrehab.audit.services import Action, record
from painrehab.core.windows import GROUP_SESSION_SPECS
from painrehab.pathway.busy import (
    LONGEST,
    BookingClash,
    NeedsConfirmation,
    Request,
    check_time,
)
from painrehab.programmes.calendar import local_datetime
from painrehab.programmes.models import Cohort, Room, Session, SessionStaff
from painrehab.programmes.services import (
    NOT_PERMITTED,
    ProgrammeRefused,
    require_unit,
)


class FollowUpNeedsConfirmation(ProgrammeRefused):
    """A weekend, holiday, time outside hours or staff away: book again with
    `confirmed`."""


def book_group_follow_up(  # noqa: PLR0913 - one booking's facts
    *,
    by: Membership,
    cohort: Cohort,
    item_key: str,
    day: date,
    start: time,
    minutes: int,
    room: Room | None,
    place: str = "",
    staff: list[Membership],
    confirmed: bool = False,
) -> Session:
    """Book the cohort's group follow-up `item_key` as a session of the whole
    group, run by `staff`, in `room` or at `place`.

    Refused outside primary care, for a follow-up already booked (move that
    session instead), without staff or participants, and when a staff member,
    the room or a participant is already booked then; a weekend, public
    holiday, time outside the unit's day or a staff member away or off work
    asks for `confirmed`. The session is locked: scheduling the cohort again
    keeps it. One audit row names the participants."""
    require(by, Permission.RUN_PROGRAMME, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, cohort.unit_id)
    if room is not None:
        require_unit(by, room.unit_id)
    for member in staff:
        require_unit(by, member.unit_id)
    spec = GROUP_SESSION_SPECS.get(item_key)
    if spec is None or cohort.unit.kind != CareUnit.Kind.PRIMARY_CARE:
        raise ProgrammeRefused(_("This follow-up is not held with the group here."))
    if not staff:
        raise ProgrammeRefused(_("A session needs at least one staff member."))
    require_staff_on(staff, day, ProgrammeRefused, field="staff")
    if not 0 < minutes <= LONGEST.total_seconds() // 60:
        raise ProgrammeRefused(_("A session takes between 1 and 480 minutes."))
    end_at = datetime.combine(day, start) + timedelta(minutes=minutes)
    if end_at.date() != day:
        raise ProgrammeRefused(_("The session must end the same day."))
    if cohort.sessions.filter(follow_up_key=item_key).exists():
        raise ProgrammeRefused(
            _("This follow-up is already booked; change that session instead.")
        )
    participants = list(cohort.participants.select_related("episode"))
    if not participants:
        raise ProgrammeRefused(_("The cohort has no participants."))
    _check_time(
        unit_id=cohort.unit_id,
        starts_at=local_datetime(day, start),
        ends_at=local_datetime(day, end_at.time()),
        staff=staff,
        room=room,
        patients=[p.episode.patient_id for p in participants],
        confirmed=confirmed,
    )
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        session = Session.objects.create(
            unit_id=cohort.unit_id,
            cohort=cohort,
            activity_key=item_key,
            activity_name=str(spec.label),
            date=day,
            start=start,
            end=end_at.time(),
            room=room,
            place=place,
            attendees=Session.Attendees.ALL,
            locked=True,
            follow_up_key=item_key,
        )
        SessionStaff.objects.bulk_create(
            SessionStaff(
                session=session,
                user_id=member.user_id,
                profession=member.profession,
                minutes=minutes,
            )
            for member in staff
        )
        session.participants.set(participants)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[p.episode.patient_id for p in participants],
            obj=session,
            what=f"group follow-up booked: {item_key}",
        )
    return session


def _check_time(  # noqa: PLR0913 - one booking's facts
    *,
    unit_id: int,
    starts_at: datetime,
    ends_at: datetime,
    staff: list[Membership],
    room: Room | None,
    patients: list[int],
    confirmed: bool,
) -> None:
    """Every participant, the staff and the room free (else refused); then
    the time itself, which may need confirming."""
    asked = Request(
        unit_id=unit_id,
        starts_at=starts_at,
        ends_at=ends_at,
        staff_ids=frozenset(m.user_id for m in staff),
        room_id=room.pk if room is not None else None,
    )
    try:
        for patient_id in patients:
            check_time(
                Request(
                    unit_id=unit_id,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    staff_ids=frozenset(),
                    patient_id=patient_id,
                ),
                confirmed=True,
            )
        check_time(asked, confirmed=confirmed)
    except NeedsConfirmation as question:
        raise FollowUpNeedsConfirmation(question.message) from None
    except BookingClash as clash:
        raise ProgrammeRefused(clash.message) from None
