"""Reads for the team investigation screen."""

from typing import NotRequired, TypedDict

from django.utils import timezone

from painrehab.accounts.access import may
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.pathway.models import (
    Booking,
    Episode,
    InvestigationRecord,
)
from painrehab.steps.investigation.rules import is_overdue
from painrehab.steps.investigation.services import investigation_fields


class InvestigationPage(TypedDict):
    """The team investigation: every profession's records, the user's own."""

    records: list[InvestigationRecord]
    own: InvestigationRecord | None
    own_fields: list[dict[str, str]]
    own_template_version: str
    bookings: list[Booking]
    overdue: set[int]  # booked visits whose day has gone by
    typed: NotRequired[dict[str, str]]  # what a refused save had typed
    may_record_investigation: bool  # the member's own record
    may_manage_waiting_list: bool  # booking the investigation visits


def investigation_page(
    *, episode: Episode, membership: Membership
) -> InvestigationPage:
    records = list(
        InvestigationRecord.objects.filter(episode=episode).select_related("author")
    )
    own = next((r for r in records if r.profession == membership.profession), None)
    bookings = list(
        Booking.objects.filter(
            episode=episode, kind=Booking.Kind.INVESTIGATION
        ).select_related("staff")
    )
    today = timezone.localdate()
    version, fields = investigation_fields(
        unit_id=episode.unit_id, profession=membership.profession
    )
    return {
        "records": records,
        "own": own,
        "own_fields": own.fields if own else fields,
        "own_template_version": own.template_version if own else version,
        "bookings": bookings,
        "overdue": {
            b.pk
            for b in bookings
            if is_overdue(
                status=b.status, visit_on=timezone.localdate(b.starts_at), today=today
            )
        },
        "may_record_investigation": may(membership, Permission.RECORD_INVESTIGATION),
        "may_manage_waiting_list": may(membership, Permission.MANAGE_WAITING_LIST),
    }
