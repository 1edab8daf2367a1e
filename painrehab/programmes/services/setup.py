"""The unit's programme settings: rooms, staff hours and absences, templates."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from painrehab.accounts.access import require
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.programmes.models import (
    ProgrammeTemplate,
    Room,
    StaffAbsence,
    StaffAvailability,
)
from painrehab.programmes.services import (
    NOT_PERMITTED,
    ProgrammeRefused,
    require_unit,
)

Hours = dict[str, list[list[str]]]


def save_room(
    *,
    by: Membership,
    room: Room | None,
    name: str,
    kind: str,
    opening_hours: Hours | None,
) -> Room:
    """Create or change a room; `opening_hours` None: open the whole patient day."""
    require(by, Permission.MANAGE_UNIT, ProgrammeRefused(NOT_PERMITTED))
    if room is None:
        room = Room(unit_id=by.unit_id)
    require_unit(by, room.unit_id)
    room.name, room.kind, room.opening_hours = name, kind, opening_hours
    with transaction.atomic():
        room.save()
        record(by=by.user, unit=by.unit_id, action=Action.UPDATE, obj=room, what="room")
    return room


def save_availability(
    *, by: Membership, member: Membership, takes_part: bool, hours: Hours
) -> StaffAvailability:
    """Set when a staff member works with programmes (part-time weekly hours)."""
    require(by, Permission.MANAGE_UNIT, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, member.unit_id)
    with transaction.atomic():
        availability, _created = StaffAvailability.objects.update_or_create(
            membership=member, defaults={"takes_part": takes_part, "hours": hours}
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            obj=availability,
            what=f"staff hours of membership {member.pk}",
        )
    return availability


def add_absence(
    *, by: Membership, member: Membership, first_day: date, last_day: date, note: str
) -> StaffAbsence:
    """Record a staff member's leave; the scheduler keeps them free those days."""
    require(by, Permission.MANAGE_UNIT, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, member.unit_id)
    if last_day < first_day:
        raise ProgrammeRefused(_("The absence ends before it starts."))
    with transaction.atomic():
        absence = StaffAbsence.objects.create(
            membership=member, first_day=first_day, last_day=last_day, note=note
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            obj=absence,
            what=f"staff absence of membership {member.pk}",
        )
    return absence


def save_template_settings(
    *,
    by: Membership,
    template: ProgrammeTemplate,
    min_participants: int,
    max_participants: int,
    absence_threshold_percent: int,
) -> ProgrammeTemplate:
    """Change a template's group size and absence threshold."""
    require(by, Permission.MANAGE_UNIT, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, template.unit_id)
    if min_participants > max_participants:
        raise ProgrammeRefused(
            _("The least number of participants is above the greatest.")
        )
    template.min_participants = min_participants
    template.max_participants = max_participants
    template.absence_threshold_percent = absence_threshold_percent
    with transaction.atomic():
        template.save(
            update_fields=[
                "min_participants",
                "max_participants",
                "absence_threshold_percent",
            ]
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            obj=template,
            what="programme template settings",
        )
    return template
