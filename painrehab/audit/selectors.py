"""Reads of the access log for review and for a patient's log extract."""

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from painrehab.audit.models import AuditEvent, AuditEventPatient


def audit_events(
    *,
    unit_id: int,
    actor_id: int | None = None,
    patient_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[AuditEvent]:
    """The unit's audit events, newest first, filtered by user, patient and period."""
    events = AuditEvent.objects.filter(unit_id=unit_id)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if patient_id is not None:
        events = events.filter(patients__patient_id=patient_id)
    if start is not None:
        events = events.filter(at__gte=_start_of(start))
    if end is not None:
        events = events.filter(at__lt=_start_of(end + timedelta(days=1)))
    return events.prefetch_related(
        Prefetch("patients", queryset=AuditEventPatient.objects.order_by("patient_id"))
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
