"""Individual appointments (seed 0 §8 preparatory interventions, §10
individual rehabilitation), each with its staff member and minutes."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.access import require
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.accounts.rules import require_staff_on
from painrehab.audit.services import Action, record
from painrehab.core.history import StaleEdit, write_revision
from painrehab.pathway.busy import BookingClash, NeedsConfirmation, check_time, visit
from painrehab.pathway.models import Episode
from painrehab.pathway.states import State
from painrehab.programmes.models import Appointment
from painrehab.programmes.services import (
    NOT_PERMITTED,
    ProgrammeRefused,
    require_unit,
)


class AppointmentNeedsConfirmation(ProgrammeRefused):
    """A weekend, holiday or staff absence: book again with `confirmed`."""


# Individual interventions belong to these steps of the pathway.
APPOINTMENT_STATES = (State.PREPARATION, State.INDIVIDUAL_REHABILITATION)


def book_appointment(
    *,
    by: Membership,
    episode: Episode,
    staff: Membership,
    starts_at: datetime,
    minutes: int,
    mode: str,
    note: str = "",
    confirmed: bool = False,
) -> Appointment:
    """Book an intervention with `staff` in their profession for `episode`.

    The episode must be in preparatory interventions or individual
    rehabilitation, and the staff member a member of the same unit whose
    access covers the appointment's day.
    """
    require(by, Permission.RUN_PROGRAMME, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, episode.unit_id)
    require_unit(by, staff.unit_id)
    if episode.state not in APPOINTMENT_STATES:
        raise ProgrammeRefused(
            _(
                "Individual interventions are booked during preparatory "
                "interventions or individual rehabilitation."
            )
        )
    if mode not in Appointment.Mode.values:
        raise ProgrammeRefused(_("Unknown kind of appointment."))
    if minutes <= 0:
        raise ProgrammeRefused(_("An appointment takes some minutes."))
    require_staff_on(
        [staff], timezone.localdate(starts_at), ProgrammeRefused, field="staff"
    )
    try:
        check_time(
            visit(
                unit_id=episode.unit_id,
                starts_at=starts_at,
                minutes=minutes,
                staff=[staff.user_id],
                patient_id=episode.patient_id,
            ),
            confirmed=confirmed,
        )
    except NeedsConfirmation as question:
        raise AppointmentNeedsConfirmation(question.message) from None
    except BookingClash as clash:
        raise ProgrammeRefused(clash.message) from None
    with transaction.atomic():
        appointment = Appointment.objects.create(
            unit_id=episode.unit_id,
            episode=episode,
            starts_at=starts_at,
            minutes=minutes,
            staff_id=staff.user_id,
            profession=staff.profession,
            mode=mode,
            note=note,
            created_by=by.user,
        )
        write_revision(appointment, by=by.user)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=appointment,
            what=f"appointment booked: {staff.profession}",
        )
    return appointment


def set_appointment_status(
    *, by: Membership, appointment: Appointment, status: str, expected_version: int
) -> Appointment:
    """Mark an appointment held, not attended or cancelled (compare-and-set on
    the version; the earlier state stays as a revision)."""
    require(by, Permission.RUN_PROGRAMME, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, appointment.unit_id)
    if status not in Appointment.Status.values:
        raise ProgrammeRefused(_("Unknown status."))
    if (
        status == Appointment.Status.BOOKED
        and appointment.episode.state != State.INDIVIDUAL_REHABILITATION
    ):
        # Ending the rehabilitation cancelled what was still booked; what
        # happened before it may still be marked held or not attended.
        raise ProgrammeRefused(
            _("The rehabilitation has ended: an intervention cannot be booked again.")
        )
    with transaction.atomic():
        changed = Appointment.objects.filter(
            pk=appointment.pk, version=expected_version
        ).update(status=status, version=expected_version + 1)
        if changed != 1:
            raise ProgrammeRefused(StaleEdit.message)
        appointment.status = status
        appointment.version = expected_version + 1
        write_revision(appointment, by=by.user)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[appointment.episode.patient_id],
            obj=appointment,
            what=f"appointment {status}",
        )
    return appointment
