"""FHIR R4 export views: one patient as a Bundle, the unit in bulk as NDJSON.

Staff only, scoped to the current unit; each export is one audit event with
Action.EXPORT naming every patient it contains. Bulk export needs
Permission.MANAGE_UNIT (the unit administrator).
"""

from collections.abc import Iterator

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse

from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.interop.fhir.bundle import patient_bundle, unit_resources
from painrehab.patients.access import get_patient_for_user
from painrehab.patients.models import Patient
from painrehab.patients.selectors import unit_patients

FHIR_JSON = "application/fhir+json"
NDJSON = "application/fhir+ndjson"


@staff_view(Permission.VIEW_PATIENT)
def patient_export(request: StaffRequest, patient_id: int) -> HttpResponse:
    membership = request.membership
    patient = get_patient_for_user(membership, patient_id, what="FHIR export")
    with transaction.atomic():
        bundle = patient_bundle(patient)
        record(
            by=request.user,
            unit=membership.unit_id,
            action=Action.EXPORT,
            patients=[patient.pk],
            obj=patient,
            what="FHIR export (Bundle)",
        )
    return HttpResponse(bundle.model_dump_json(), content_type=FHIR_JSON)


def _lines(patients: QuerySet[Patient]) -> Iterator[str]:
    for resource in unit_resources(patients):
        yield resource.model_dump_json() + "\n"


@staff_view(Permission.MANAGE_UNIT)
def unit_export(request: StaffRequest) -> StreamingHttpResponse:
    membership = request.membership
    patients = unit_patients(membership=membership)
    record(
        by=request.user,
        unit=membership.unit_id,
        action=Action.EXPORT,
        patients=list(patients.values_list("pk", flat=True)),
        what="FHIR bulk export (NDJSON)",
    )
    response = StreamingHttpResponse(_lines(patients), content_type=NDJSON)
    response["Content-Disposition"] = 'attachment; filename="export.ndjson"'
    return response
