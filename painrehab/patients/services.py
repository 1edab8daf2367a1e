"""Registering and changing patients. Every write is audited and versioned."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from painrehab.accounts.access import require
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.history import save_versioned, write_revision
from painrehab.core.personnummer import parse_personnummer
from painrehab.core.refusals import Refused
from painrehab.patients.models import Patient

EDITABLE_FIELDS = [
    "first_name",
    "last_name",
    "street_address",
    "postal_code",
    "city",
    "phone",
    "email",
    "preferred_language",
    "needs_interpreter",
    "interpreter_language",
    "needs_easy_read",
    "next_of_kin_name",
    "next_of_kin_relation",
    "next_of_kin_phone",
    "registry_informed_on",
    "registry_objected",
]


class PatientRefused(Refused):
    """A patient change the rules refuse; `field` names the form field."""


def register_patient(*, by: Membership, personnummer: str, **details: Any) -> Patient:
    """Register a patient in the current unit; one patient per number and unit."""
    require(
        by,
        Permission.REGISTER_PATIENT,
        PatientRefused(_("Your profession in this unit may not register patients.")),
    )
    parsed = parse_personnummer(personnummer)
    if Patient.objects.filter(unit=by.unit_id, personnummer=parsed.number).exists():
        raise PatientRefused(
            _("A patient with this personal identity number is already registered."),
            field="personnummer",
        )
    patient = Patient(
        unit_id=by.unit_id,
        personnummer=parsed.number,
        birth_date=parsed.birth_date,
        **{key: value for key, value in details.items() if key in EDITABLE_FIELDS},
    )
    try:
        with transaction.atomic():
            patient.save()
            write_revision(patient, by=by.user)
            record(
                by=by.user,
                unit=by.unit_id,
                action=Action.CREATE,
                patients=[patient.pk],
                obj=patient,
                what="patient registered",
            )
    except IntegrityError:
        raise PatientRefused(
            _("A patient with this personal identity number is already registered."),
            field="personnummer",
        ) from None
    return patient


def update_patient(
    *, by: Membership, patient: Patient, expected_version: int, **changes: Any
) -> Patient:
    """Change contact details and needs; refuses if someone else saved in between."""
    require(
        by,
        Permission.EDIT_PATIENT,
        PatientRefused(
            _("Your profession in this unit may not change patient details.")
        ),
    )
    if patient.unit_id != by.unit_id:
        raise PatientRefused(_("This patient belongs to another unit."))
    for key, value in changes.items():
        if key in EDITABLE_FIELDS:
            setattr(patient, key, value)
    with transaction.atomic():
        save_versioned(
            patient,
            expected_version=expected_version,
            by=by.user,
            fields=EDITABLE_FIELDS,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[patient.pk],
            obj=patient,
            what="patient details changed",
        )
    return patient
