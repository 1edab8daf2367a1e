"""Reads of patients for screens; each names the patients it shows in the audit log."""

from django.core.paginator import Page, Paginator

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.patients.models import Patient

PAGE_SIZE = 50


def patient_list(
    *, membership: Membership, query: str = "", page: int | str = 1
) -> Page:
    """The current unit's patients matching `query`, one page, logged as one read."""
    # The contact preference says whether the address may be shown.
    patients = Patient.objects.in_unit(membership.unit_id).select_related(
        "contact_preference"
    )
    if query:
        patients = patients.search(query)
    shown = Paginator(
        patients.order_by("last_name", "first_name", "pk"), PAGE_SIZE
    ).get_page(page)
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[p.pk for p in shown],
        what="patient list" + (" (search)" if query else ""),
    )
    return shown
