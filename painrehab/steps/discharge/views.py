"""Discharge from any step: the reason, the alternative plan and the letter to the referrer."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.core.refusals import refusal_text
from painrehab.pathway.access import get_episode_for_user
from painrehab.pathway.forms import DischargeForm
from painrehab.pathway.states import TransitionRefused
from painrehab.steps.discharge.services import discharge_with_letter


@staff_view(Permission.DISCHARGE)
def discharge(request: StaffRequest, episode_id: int) -> HttpResponse:
    """Discharge from any step: reason, the alternative plan, and the letter to the referrer."""
    episode = get_episode_for_user(request.membership, episode_id, what="discharge")
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _discharge, letters, problems = discharge_with_letter(
                by=request.membership, episode=episode, **form.cleaned_data
            )
        except TransitionRefused as refusal:
            form.add_error(None, refusal_text(refusal))
        else:
            messages.success(request, _("The patient is discharged."))
            for problem in problems:
                messages.warning(request, problem)
            return redirect(letters[0] if letters else episode)
    return render(
        request,
        "pathway/discharge.html",
        {"episode": episode, "form": form},
        status=400 if form.errors else 200,
    )
