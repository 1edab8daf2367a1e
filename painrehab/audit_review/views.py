import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.accounts.team_audit import describe as describe_team_event
from painrehab.audit.selectors import audit_events
from painrehab.audit.services import Action, record
from painrehab.audit_review.forms import AuditFilterForm
from painrehab.core.forms import PageQuery, chosen_filters, page_links, read_query
from painrehab.patients.access import get_patient_for_user
from painrehab.patients.selectors import patient_by_personnummer


@staff_view(Permission.REVIEW_AUDIT_LOG)
def review(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    # Everyone who ever had access: the events of a departed colleague stay reviewable.
    members = Membership.all_periods.filter(unit=membership.unit_id).select_related(
        "user"
    )
    form = AuditFilterForm(
        request.GET or None,
        users=[
            (str(m.user_id), str(m.user)) for m in members.order_by("user__last_name")
        ],
    )
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"start": data["start"], "end": data["end"]}
        if data["user"]:
            filters["actor_id"] = int(data["user"])
        if data["patient"]:
            filters["patient_id"] = _patient_id(membership, data["patient"])
    page = Paginator(audit_events(unit_id=membership.unit_id, **filters), 100).get_page(
        read_query(request, PageQuery)["page"]
    )
    for event in page:  # team changes are stored as codes; shown in words
        event.description = describe_team_event(event.what) or event.what_in_words
    record(
        by=request.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        what="audit log review",
    )
    return render(
        request,
        "audit/review.html",
        {"form": form, "page": page, "links": page_links(page, chosen_filters(form))},
    )


def _patient_id(membership: Membership, number: str) -> int:
    """The id of the unit's patient with the (valid) number; -1 (no events) if none."""
    found = patient_by_personnummer(membership=membership, number=number)
    return found.pk if found is not None else -1


@staff_view(Permission.REVIEW_AUDIT_LOG)
def patient_extract(request: StaffRequest, patient_id: int) -> HttpResponse:
    """Every logged access to one patient: the patient's right under Patientdatalagen."""
    patient = get_patient_for_user(
        request.membership, patient_id, what="access log extract"
    )
    events = list(
        audit_events(unit_id=request.membership.unit_id, patient_id=patient.pk)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="atkomstlogg-{patient.pk}-{timezone.localdate():%Y%m%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["Tidpunkt", "Användare", "Händelse", "Vad", "Adress"])
    for event in events:
        writer.writerow(
            [
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                event.actor_label,
                event.get_action_display(),
                event.what_in_words,
                event.ip_address or "",
            ]
        )
    record(
        by=request.user,
        unit=request.membership.unit_id,
        action=Action.EXPORT,
        patients=[patient.pk],
        obj=patient,
        what="access log extract",
    )
    return response
