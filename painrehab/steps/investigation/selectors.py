"""Reads for the team investigation screen."""

from typing import NotRequired, TypedDict

from painrehab.accounts.models import Membership
from painrehab.pathway.models import (
    Booking,
    Episode,
    InvestigationRecord,
)
from painrehab.steps.investigation.services import investigation_fields


class InvestigationPage(TypedDict):
    """The team investigation: every profession's records, the user's own."""

    records: list[InvestigationRecord]
    own: InvestigationRecord | None
    own_fields: list[dict[str, str]]
    own_template_version: str
    bookings: list[Booking]
    typed: NotRequired[dict[str, str]]  # what a refused save had typed


def investigation_page(
    *, episode: Episode, membership: Membership
) -> InvestigationPage:
    records = list(
        InvestigationRecord.objects.filter(episode=episode).select_related("author")
    )
    own = next((r for r in records if r.profession == membership.profession), None)
    version, fields = investigation_fields(
        unit_id=episode.unit_id, profession=membership.profession
    )
    return {
        "records": records,
        "own": own,
        "own_fields": own.fields if own else fields,
        "own_template_version": own.template_version if own else version,
        "bookings": list(
            Booking.objects.filter(
                episode=episode, kind=Booking.Kind.INVESTIGATION
            ).select_related("staff")
        ),
    }
