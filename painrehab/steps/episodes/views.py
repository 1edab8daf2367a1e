from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.core.forms import PageQuery, read_query
from painrehab.core.history import StaleEdit
from painrehab.core.panels import EPISODE_PAGE, WORKLIST, render_panels
from painrehab.pathway.access import get_episode_for_user
from painrehab.pathway.forms import MoveEpisodeForm
from painrehab.pathway.models import Episode
from painrehab.pathway.selectors import (
    available_steps,
    episode_counts,
    episodes_in_state,
    patient_timeline,
)
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State, TransitionRefused, step_with_own_page
from painrehab.steps.episodes.selectors import episode_overview
from painrehab.steps.worklist import worklist_for


@staff_view()
def worklist(request: StaffRequest) -> HttpResponse:
    """The start page: what is due today and overdue for this profession, then the episodes per step."""
    counts = episode_counts(membership=request.membership)
    items = worklist_for(
        membership=request.membership,
        today=timezone.localdate(),
        page=read_query(request, PageQuery)["page"],
        state_counts=dict(counts),
    )
    panels = render_panels(
        WORKLIST, request, membership=request.membership, today=timezone.localdate()
    )
    return render(
        request,
        "pathway/worklist.html",
        {
            "counts": counts,
            "items": items,
            "panels": panels,
            "may_register_referral": may(
                request.membership, Permission.REGISTER_REFERRAL
            ),
            "may_manage_unit": may(request.membership, Permission.MANAGE_UNIT),
        },
    )


@staff_view()
def state_list(request: StaffRequest, state: str) -> HttpResponse:
    if state not in State.values:
        raise Http404
    episodes = episodes_in_state(membership=request.membership, state=State(state))
    return render(
        request,
        "pathway/state_list.html",
        {"state": State(state), "episodes": episodes},
    )


@staff_view()
def episode_detail(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(request.membership, episode_id, what="episode page")
    return _render_episode(request, episode, form=None)


def _render_episode(
    request: StaffRequest, episode: Episode, *, form: MoveEpisodeForm | None
) -> HttpResponse:
    timeline = patient_timeline(patient=episode.patient).filter(pk=episode.pk)
    overview = episode_overview(
        episode=episode, membership=request.membership, today=timezone.localdate()
    )
    return render(
        request,
        "pathway/episode_detail.html",
        {
            **overview,
            "panels": render_panels(
                EPISODE_PAGE,
                request,
                membership=request.membership,
                episode=episode,
                today=timezone.localdate(),
            ),
            "timeline": timeline,
            # Only the steps this member may take: a card with none is not shown.
            "steps": [
                step
                for step in available_steps(
                    episode=episode, membership=request.membership
                )
                if step["allowed"]
            ],
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
@staff_view()
def move(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(request.membership, episode_id, what="episode step")
    form = MoveEpisodeForm(request.POST)
    if not form.is_valid():
        return _render_episode(request, episode, form=form)
    if form.cleaned_data["version"] != episode.version:
        form.add_error(None, StaleEdit.message)
        return _render_episode(request, episode, form=form)
    own_page = step_with_own_page(episode.state, form.cleaned_data["to"])
    if own_page is not None:
        # Triage, booking, discharge … each have their own record, made on
        # their own page; the generic form is no side door past it.
        form.add_error(
            None,
            _("“%(step)s” is made on its own page.") % {"step": own_page.label},
        )
        return _render_episode(request, episode, form=form)
    try:
        move_episode(
            episode=episode,
            to=State(form.cleaned_data["to"]),
            by=request.membership,
            note=form.cleaned_data["note"],
        )
    except TransitionRefused as refusal:
        form.add_error(None, refusal.message)
        return _render_episode(request, episode, form=form)
    messages.success(
        request,
        _("The episode moved to “%(state)s”.") % {"state": episode.get_state_display()},
    )
    return redirect(episode)
