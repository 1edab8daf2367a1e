"""What the outbox pages show: a constant number of queries per page."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from painrehab.outbox.models import ContactPreference, Message
from painrehab.patients.models import Patient


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def messages_of_day(*, unit_id: int, day: date, state: str = "") -> QuerySet[Message]:
    """The unit's messages sent, failed, stopped or due on `day`."""
    start, end = _day_bounds(day)
    messages = Message.objects.filter(
        Q(send_after__gte=start, send_after__lt=end)
        | Q(sent_at__gte=start, sent_at__lt=end),
        unit_id=unit_id,
    )
    if state:
        messages = messages.filter(state=state)
    return messages.select_related("patient").order_by("send_after", "pk")


def messages_of_patient(*, unit_id: int, patient_id: int) -> QuerySet[Message]:
    return (
        Message.objects.filter(unit_id=unit_id, patient_id=patient_id)
        .select_related("patient")
        .order_by("-send_after", "-pk")
    )


def contact_preference_of(patient: Patient) -> ContactPreference | None:
    """How a patient the member may see (get_patient_for_user) may be told, if recorded."""
    return ContactPreference.objects.filter(patient=patient).first()
