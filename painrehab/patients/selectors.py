"""Reads of patients for screens; each names the patients it shows in the audit log."""

from django.core.paginator import Page, Paginator

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.patients.models import Patient, PatientQuerySet

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


def patient_by_personnummer(*, membership: Membership, number: str) -> Patient | None:
    """The current unit's patient with this 12-digit number, if registered.
    No audit row: the caller records what it does with the patient."""
    return (
        Patient.objects.in_unit(membership.unit_id).filter(personnummer=number).first()
    )


def is_in_unit(*, membership: Membership, patient_id: int) -> bool:
    """Whether the id is a patient of the current unit (nothing else is read)."""
    return Patient.objects.in_unit(membership.unit_id).filter(pk=patient_id).exists()


def unit_patients(*, membership: Membership) -> PatientQuerySet:
    """Every patient of the current unit in the order registered (the bulk
    export); the caller records the export naming them."""
    return Patient.objects.in_unit(membership.unit_id).order_by("pk")
