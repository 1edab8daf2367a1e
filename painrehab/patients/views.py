from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.core.form_fields import show_saved_version
from painrehab.core.forms import PageQuery, read_query
from painrehab.core.history import StaleEdit, revisions_of
from painrehab.core.panels import PATIENT_EPISODES, PATIENT_PAGE, render_panels
from painrehab.patients.access import get_patient_for_user
from painrehab.patients.forms import PatientForm, PatientSearchForm, RegisterPatientForm
from painrehab.patients.models import ADDRESS_FIELDS
from painrehab.patients.selectors import patient_list
from painrehab.patients.services import PatientRefused, register_patient, update_patient


@staff_view()
def patient_search(request: StaffRequest) -> HttpResponse:
    form = PatientSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = patient_list(
        membership=request.membership,
        query=query,
        page=read_query(request, PageQuery)["page"],
    )
    template = (
        "patients/_patient_rows.html"
        if request.htmx
        else "patients/patient_search.html"
    )
    context = {
        "form": form,
        "page": page,
        "query": query,
        "may_register_patient": may(request.membership, Permission.REGISTER_PATIENT),
    }
    return render(request, template, context)


@staff_view(Permission.REGISTER_PATIENT)
def register(request: StaffRequest) -> HttpResponse:
    form = RegisterPatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            patient = register_patient(by=request.membership, **data)
        except PatientRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("The patient is registered."))
            return redirect(patient)
    return render(
        request, "patients/patient_form.html", {"form": form, "registering": True}
    )


@staff_view()
def patient_detail(request: StaffRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for_user(request.membership, patient_id, what="patient page")
    return render(
        request,
        "patients/patient_detail.html",
        {
            "patient": patient,
            "episode_panels": render_panels(PATIENT_EPISODES, request, patient=patient),
            "panels": render_panels(
                PATIENT_PAGE, request, membership=request.membership, patient=patient
            ),
            "may_edit_patient": may(request.membership, Permission.EDIT_PATIENT),
            "may_register_referral": may(
                request.membership, Permission.REGISTER_REFERRAL
            ),
            "may_review_audit_log": may(
                request.membership, Permission.REVIEW_AUDIT_LOG
            ),
        },
    )


@staff_view(Permission.EDIT_PATIENT)
def patient_edit(request: StaffRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for_user(
        request.membership, patient_id, what="patient edit form"
    )
    form = PatientForm(
        request.POST or None, instance=patient, initial={"version": patient.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version") or 0
        try:
            update_patient(
                by=request.membership,
                patient=patient,
                expected_version=expected,
                **data,
            )
        except StaleEdit:
            conflict = get_patient_for_user(
                request.membership, patient_id, what="saved version"
            )
            form = PatientForm(request.POST, instance=conflict)
            show_saved_version(form, "version", conflict.version)
            form.add_error(None, StaleEdit.message)
        except PatientRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(patient)
    return render(
        request,
        "patients/patient_form.html",
        {"form": form, "patient": patient, "conflict": conflict},
    )


@staff_view()
def patient_history(request: StaffRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for_user(
        request.membership, patient_id, what="patient history"
    )
    revisions = list(revisions_of(patient))
    if patient.has_protected_identity:  # the address is shown nowhere
        for revision in revisions:
            revision.data = {
                key: value
                for key, value in revision.data.items()
                if key not in ADDRESS_FIELDS
            }
    return render(
        request,
        "patients/patient_history.html",
        {"patient": patient, "revisions": revisions},
    )
