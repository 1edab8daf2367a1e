from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.pathway.access import get_episode_for_user
from painrehab.pathway.forms import TriageForm
from painrehab.pathway.states import TransitionRefused
from painrehab.steps.triage.services import triage_referral


@staff_view(Permission.TRIAGE)
def triage(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(request.membership, episode_id, what="triage")
    form = TriageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _decision, letters, problems = triage_referral(
                by=request.membership, episode=episode, **form.cleaned_data
            )
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("The referral is triaged; %(n)s letters are drafted.")
                % {"n": len(letters)},
            )
            for problem in problems:
                messages.warning(request, problem)
            return redirect(episode)
    return render(
        request,
        "pathway/triage.html",
        {"episode": episode, "form": form},
        status=400 if form.errors else 200,
    )
