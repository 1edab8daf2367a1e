"""Fetching a patient for the current user: 404 for another unit's, the read logged."""

from painrehab.accounts.access import get_in_unit
from painrehab.accounts.models import Membership
from painrehab.patients.models import Patient


def get_patient_for_user(
    membership: Membership, patient_id: int, *, what: str
) -> Patient:
    """The patient if the current unit owns them, else 404; logs the read."""
    return get_in_unit(
        membership,
        Patient.objects.all(),
        patient_id,
        patient_of=lambda patient: patient.pk,
        unit_of=lambda patient: patient.unit_id,
        what=what,
    )
