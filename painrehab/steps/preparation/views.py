"""Preparation: the status of a planned preparatory intervention."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.pathway.access import get_episode_for_user
from painrehab.pathway.forms import PreparationStatusForm
from painrehab.pathway.models import (
    PreparatoryIntervention,
    RehabPlan,
)
from painrehab.steps.plan.views import plan_context, plan_part
from painrehab.steps.preparation.services import set_preparation_status


@require_POST
@staff_view(Permission.PLAN_REHABILITATION)
def preparation_status(request: StaffRequest, preparation_id: int) -> HttpResponse:
    item = get_object_or_404(
        PreparatoryIntervention.objects.filter(
            episode__unit=request.membership.unit_id
        ),
        pk=preparation_id,
    )
    episode = get_episode_for_user(
        request.membership, item.episode_id, what="preparation status"
    )
    form = PreparationStatusForm(request.POST)
    if form.is_valid():
        set_preparation_status(
            by=request.membership, item=item, status=form.cleaned_data["status"]
        )
        notice = _("The status is saved.")
    else:
        notice = _("Choose one of the statuses.")
    plan = get_object_or_404(RehabPlan, episode=episode)
    context = plan_context(request, episode, plan, notice=notice)
    context["notice_is_error"] = not form.is_valid()
    return plan_part(request, "preparations", context, ok=form.is_valid())
