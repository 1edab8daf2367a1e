"""Attendance: present, absent or excused per session and participant."""

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.access import require
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.history import StaleEdit, write_revision
from painrehab.pathway.services.follow_up import record_group_follow_up
from painrehab.programmes.models import Attendance, Session
from painrehab.programmes.services import (
    NOT_PERMITTED,
    ProgrammeRefused,
    require_unit,
)


def record_attendance(
    *,
    by: Membership,
    session: Session,
    statuses: Mapping[int, str],
    now: datetime | None = None,
) -> int:
    """Store the attendance of the given participants (by participant id) at
    `session`; returns how many records changed.

    Only the session's own participants, only on the day of the session or
    later. A change bumps the record's version and keeps a revision; an
    unchanged status writes nothing. One audit row names the patients changed.
    At a group follow-up (`session.follow_up_key`) attendance is the
    follow-up: present records it for the patient, a change away from
    present takes that record back (pathway.services.follow_up).
    """
    now = now or timezone.now()
    require(by, Permission.RUN_PROGRAMME, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, session.unit_id)
    if session.date > timezone.localdate(now):
        raise ProgrammeRefused(
            _("Attendance is recorded on the day of the session or later.")
        )
    expected = {p.pk: p for p in session.participants.select_related("episode")}
    unknown = set(statuses) - set(expected)
    if unknown:
        raise ProgrammeRefused(_("Only the session's participants have attendance."))
    if any(status not in Attendance.Status.values for status in statuses.values()):
        raise ProgrammeRefused(_("Unknown attendance."))
    existing = {a.participant_id: a for a in session.attendance.all()}
    changed = []
    with transaction.atomic():
        for participant_id, status in statuses.items():
            row = existing.get(participant_id)
            if row is None:
                row = Attendance.objects.create(
                    session=session,
                    participant_id=participant_id,
                    status=status,
                    recorded_by=by.user,
                    recorded_at=now,
                )
            elif row.status != status:
                updated = Attendance.objects.filter(
                    pk=row.pk, version=row.version
                ).update(
                    status=status,
                    recorded_by=by.user,
                    recorded_at=now,
                    version=row.version + 1,
                )
                if updated != 1:
                    raise ProgrammeRefused(StaleEdit.message)
                row.status, row.recorded_by, row.recorded_at = status, by.user, now
                row.version += 1
            else:
                continue
            write_revision(row, by=by.user)
            changed.append(expected[participant_id].episode.patient_id)
            if session.follow_up_key:
                record_group_follow_up(
                    by=by,
                    episode=expected[participant_id].episode,
                    item_key=session.follow_up_key,
                    held_on=session.date,
                    present=status == Attendance.Status.PRESENT,
                )
        if changed:
            record(
                by=by.user,
                unit=by.unit_id,
                action=Action.UPDATE,
                patients=changed,
                obj=session,
                what=f"attendance recorded: session {session.pk}",
            )
    return len(changed)
