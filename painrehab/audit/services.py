"""The one way to write the access log."""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from painrehab.audit.context import client_address
from painrehab.audit.models import AuditEvent, AuditEventPatient

Action = AuditEvent.Action


def record(
    *,
    by: Any,
    action: str,
    unit: Any = None,
    patients: Iterable[int] = (),
    obj: models.Model | None = None,
    what: str = "",
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Write one audit event naming every patient it concerns.

    Call it inside the transaction of the change it records, so that a change
    is never stored without its row (and a failed change leaves none).
    """
    event = AuditEvent.objects.create(
        at=timezone.now(),
        actor_id=getattr(by, "pk", None),
        actor_label=(by.get_username() if by is not None else "")[:200],
        unit_id=getattr(unit, "pk", unit),
        action=action,
        object_type=obj._meta.label if obj is not None else object_type[:60],
        object_id=str(obj.pk) if obj is not None else object_id[:60],
        what=what.replace("\x00", "")[:200],  # PostgreSQL text takes no NUL
        ip_address=client_address.get(),
    )
    patient_ids = sorted(set(patients))
    AuditEventPatient.objects.bulk_create(
        AuditEventPatient(event=event, patient_id=pid) for pid in patient_ids
    )
    return event
