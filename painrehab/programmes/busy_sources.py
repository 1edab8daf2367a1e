"""The programmes' part of the one booking check (pathway.busy): individual
appointments and programme sessions take time, and a staff member's absence
or working hours make a time need confirming. Registered in apps.ready."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from painrehab.pathway.busy import LONGEST, Request, Taken
from painrehab.programmes.calendar import local_datetime
from painrehab.programmes.models import (
    Appointment,
    CohortParticipant,
    Session,
    StaffAbsence,
    StaffAvailability,
)


def appointments_taken(request: Request) -> Iterable[Taken]:
    people = Q(staff_id__in=request.staff_ids)
    if request.patient_id is not None:
        people |= Q(episode__patient_id=request.patient_id)
    rows = (
        Appointment.objects.filter(
            status__in=[Appointment.Status.BOOKED, Appointment.Status.HELD],
            starts_at__lt=request.ends_at,
            starts_at__gt=request.starts_at - LONGEST,
        )
        .filter(people)
        .values("pk", "starts_at", "minutes", "staff_id", "episode__patient_id")
    )
    for row in rows:
        yield Taken(
            starts_at=row["starts_at"],
            ends_at=row["starts_at"] + timedelta(minutes=row["minutes"]),
            what=_("an individual appointment"),
            staff_ids=frozenset({row["staff_id"]}),
            patient_id=row["episode__patient_id"],
            ref=("Appointment", row["pk"]),
        )


def sessions_taken(request: Request) -> Iterable[Taken]:
    first = timezone.localdate(request.starts_at)
    last = timezone.localdate(request.ends_at)
    around = Q(staff__user_id__in=request.staff_ids)
    if request.room_id is not None:
        around |= Q(room_id=request.room_id)
    cohorts_of_patient: set[int] = set()
    if request.patient_id is not None:
        cohorts_of_patient = set(
            CohortParticipant.objects.filter(
                episode__patient_id=request.patient_id
            ).values_list("cohort_id", flat=True)
        )
        around |= Q(cohort_id__in=cohorts_of_patient)
    sessions = (
        Session.objects.filter(around, date__gte=first, date__lte=last)
        .distinct()
        .prefetch_related("staff", "participants__episode")
    )
    for session in sessions:
        patients = {p.episode.patient_id for p in session.participants.all()}
        if (
            request.patient_id is not None
            and session.attendees == Session.Attendees.ALL
            and session.cohort_id in cohorts_of_patient
        ):
            patients.add(request.patient_id)
        yield Taken(
            starts_at=local_datetime(session.date, session.start),
            ends_at=local_datetime(session.date, session.end),
            what=_("the programme session %(activity)s")
            % {"activity": session.activity_name},
            staff_ids=frozenset(staff.user_id for staff in session.staff.all()),
            patient_id=request.patient_id if request.patient_id in patients else None,
            room_id=session.room_id,
            ref=("Session", session.pk),
        )


def staff_away(request: Request) -> Iterable[str]:
    """A staff member away that day, or booked outside their working hours."""
    day = timezone.localdate(request.starts_at)
    for absence in StaffAbsence.objects.filter(
        membership__user_id__in=request.staff_ids,
        first_day__lte=day,
        last_day__gte=day,
    ).select_related("membership__user"):
        yield _("%(name)s is away %(first)s–%(last)s.") % {
            "name": absence.membership.user.get_full_name(),
            "first": formats.date_format(absence.first_day, "j F"),
            "last": formats.date_format(absence.last_day, "j F"),
        }
    for availability in StaffAvailability.objects.filter(
        membership__user_id__in=request.staff_ids,
        membership__unit_id=request.unit_id,
    ).select_related("membership__user"):
        if not _within(availability.hours, request.starts_at, request.ends_at):
            yield _("%(name)s does not work at that time.") % {
                "name": availability.membership.user.get_full_name()
            }


def _within(hours: dict, starts_at: datetime, ends_at: datetime) -> bool:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    for first, last in hours.get(str(start.weekday()), []):
        if f"{start:%H:%M}" >= first and f"{end:%H:%M}" <= last:
            return True
    return False
