from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.analytics.selectors import expected_starts
from painrehab.core.forms import read_query
from painrehab.pathway.access import get_episode_for_user
from painrehab.pathway.clocks import GOAL_DAYS, GUARANTEE_DAYS, ClockStatus
from painrehab.pathway.forms import MonthQuery, PauseForm, WaitingListQuery
from painrehab.pathway.selectors import (
    WaitingStep,
    accessibility_figures,
    waiting_clocks,
    waiting_list_page,
)
from painrehab.pathway.states import TransitionRefused
from painrehab.steps.waiting.services import add_pause


@staff_view()
def waiting(request: StaffRequest, step: str) -> HttpResponse:
    if step not in WaitingStep.values:
        raise Http404
    query = read_query(request, WaitingListQuery)
    today = timezone.localdate()
    clocks = waiting_clocks(membership=request.membership, step=step, today=today)
    rows = waiting_list_page(
        membership=request.membership,
        step=step,
        today=today,
        page=query["page"],
        sort=query["sort"],
        status=query["status"],
        clocks=clocks,
    )
    forecast = {}
    if step == WaitingStep.REHABILITATION:
        starts = expected_starts(
            membership=request.membership, today=today, clocks=clocks
        )
        forecast = {start.episode_pk: start for start in starts}
    return render(
        request,
        "pathway/waiting_list.html",
        {
            "page": rows,
            "rows": [(row, forecast.get(row.episode.pk)) for row in rows],
            "forecast": bool(forecast) or step == WaitingStep.REHABILITATION,
            "step": WaitingStep(step),
            "steps": WaitingStep,
            "sort": query["sort"],
            "status": query["status"],
            "statuses": ClockStatus.choices,
            "goal_days": GOAL_DAYS,
            "guarantee_days": GUARANTEE_DAYS,
        },
    )


@staff_view(Permission.MANAGE_WAITING_LIST)
def pause(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(
        request.membership, episode_id, what="patient-chosen waiting"
    )
    form = PauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_pause(by=request.membership, episode=episode, **form.cleaned_data)
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The patient-chosen waiting is recorded."))
            return redirect(episode)
    return render(
        request, "pathway/pause_form.html", {"episode": episode, "form": form}
    )


@staff_view()
def accessibility(request: StaffRequest) -> HttpResponse:
    query = read_query(request, MonthQuery)
    year, month = query["year"], query["month"]
    first = date(year, month, 1)
    figures = accessibility_figures(
        membership=request.membership, year=first.year, month=first.month
    )
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return render(
        request,
        "pathway/accessibility.html",
        {
            "figures": figures,
            "first": first,
            "previous": previous,
            "following": following,
            "goal_days": GOAL_DAYS,
            "guarantee_days": GUARANTEE_DAYS,
        },
    )
