from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.core.forms import pressed
from painrehab.core.history import StaleEdit
from painrehab.core.refusals import refusal_text
from painrehab.pathway.access import get_episode_for_user
from painrehab.pathway.forms import (
    CorrectReferralForm,
    NewPatientReferralForm,
    ReferralForm,
)
from painrehab.pathway.models import Episode
from painrehab.pathway.states import TransitionRefused
from painrehab.patients.access import get_patient_for_user
from painrehab.patients.models import Patient
from painrehab.patients.selectors import patient_by_personnummer
from painrehab.patients.services import PatientRefused
from painrehab.steps.referral.services import (
    OpenEpisodeExists,
    ask_referrer_to_complete,
    correct_referral,
    record_completion,
    register_patient_with_referral,
    register_referral_with_needs,
)

NEEDS = ["needs_interpreter", "interpreter_language", "needs_easy_read"]


def _register(
    request: StaffRequest,
    form: ReferralForm,
    patient: Patient | None,
    identity: dict[str, Any] | None = None,
) -> tuple[Episode | None, Episode | None]:
    """Open the episode and record the needs on the patient, registering the
    patient first when `patient` is None; None and form errors if refused."""
    data = dict(form.cleaned_data)
    needs = {key: data.pop(key) for key in NEEDS}
    try:
        if patient is None:
            episode = register_patient_with_referral(
                by=request.membership, identity=identity or {}, needs=needs, **data
            )
        else:
            episode = register_referral_with_needs(
                by=request.membership, patient=patient, needs=needs, **data
            )
    except OpenEpisodeExists as exists:
        return None, exists.episode
    except (TransitionRefused, PatientRefused, StaleEdit) as refusal:
        form.add_error(refusal.field, refusal_text(refusal))
        return None, None
    messages.success(request, _("The referral is registered."))
    return episode, None


@staff_view(Permission.REGISTER_REFERRAL)
def new_referral(request: StaffRequest) -> HttpResponse:
    """A referral for a patient found by personnummer, or registered here and now."""
    form = NewPatientReferralForm(request.POST or None)
    open_episode = None
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["personnummer"]
        patient = patient_by_personnummer(membership=request.membership, number=number)
        identity = {
            k: form.cleaned_data.pop(k)
            for k in [
                "personnummer",
                "first_name",
                "last_name",
                "street_address",
                "postal_code",
                "city",
                "phone",
            ]
        }
        episode, open_episode = _register(request, form, patient, identity)
        if episode is not None:
            return redirect(episode)
    return render(
        request,
        "pathway/referral_form.html",
        {"form": form, "open_episode": open_episode, "new_patient": True},
    )


@staff_view(Permission.REGISTER_REFERRAL)
def new_episode(request: StaffRequest, patient_id: int) -> HttpResponse:
    """A new referral for a registered patient."""
    patient = get_patient_for_user(
        request.membership, patient_id, what="new referral form"
    )
    initial = {k: getattr(patient, k) for k in NEEDS}
    form = ReferralForm(
        request.POST or None,
        initial={**initial, "received_on": timezone.localdate()},
        birth_date=patient.birth_date,
    )
    open_episode = None
    if request.method == "POST" and form.is_valid():
        episode, open_episode = _register(request, form, patient)
        if episode is not None:
            return redirect(episode)
    return render(
        request,
        "pathway/referral_form.html",
        {"form": form, "patient": patient, "open_episode": open_episode},
    )


@require_POST
@staff_view(Permission.REGISTER_REFERRAL)
def completion(request: StaffRequest, episode_id: int) -> HttpResponse:
    """Ask the referrer to complete the referral, or note that the completion came."""
    episode = get_episode_for_user(
        request.membership, episode_id, what="referral completion"
    )
    if pressed(request, ["received"]) == "received":
        record_completion(by=request.membership, episode=episode)
        messages.success(request, _("The completion is recorded as received."))
        return redirect(episode)
    try:
        _referral, letters, problems = ask_referrer_to_complete(
            by=request.membership, episode=episode
        )
    except TransitionRefused as refusal:
        messages.error(request, refusal_text(refusal))
        return redirect(episode)
    for problem in problems:
        messages.warning(request, problem)
    if not letters:
        return redirect(episode)
    messages.success(
        request,
        _("The referral is marked as incomplete; a letter to the referrer is drafted."),
    )
    return redirect(letters[0])


@staff_view(Permission.REGISTER_REFERRAL)
def correct(request: StaffRequest, episode_id: int) -> HttpResponse:
    """Correct the referral before triage; the earlier content is kept."""
    episode = get_episode_for_user(
        request.membership, episode_id, what="correct referral"
    )
    referral = episode.referral
    form = CorrectReferralForm(
        request.POST or None,
        instance=referral,
        initial={"version": referral.version},
        birth_date=episode.patient.birth_date,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            correct_referral(
                by=request.membership,
                episode=episode,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except (TransitionRefused, StaleEdit) as refusal:
            form.add_error(None, getattr(refusal, "message", str(refusal)))
        else:
            messages.success(request, _("The referral is corrected."))
            return redirect(episode)
    return render(
        request,
        "pathway/referral_form.html",
        {"form": form, "patient": episode.patient, "correcting": episode},
        status=400 if form.errors else 200,
    )
