"""The assessment conference: the checklist against the criteria and the decision."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.accounts.team import unit_staff
from painrehab.core.form_fields import show_saved_version
from painrehab.core.history import StaleEdit
from painrehab.core.refusals import refusal_text
from painrehab.pathway.access import get_episode_for_user
from painrehab.pathway.forms import (
    ConferenceForm,
    ConferenceStartForm,
    ConfirmationsForm,
    DecisionForm,
)
from painrehab.pathway.models import (
    AssessmentConference,
    Episode,
)
from painrehab.pathway.states import State, TransitionRefused
from painrehab.steps.conference.selectors import (
    ConferencePage,
    conference_page,
    saved_conference,
)
from painrehab.steps.conference.services import (
    decide_after_conference,
    start_conference,
    update_conference,
)


@staff_view()
def conference(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(
        request.membership, episode_id, what="assessment conference"
    )
    start_form = ConferenceStartForm(
        staff=unit_staff(unit_id=episode.unit_id),
        initial={"held_on": timezone.localdate()},
    )
    return _conference_page(request, episode, start_form)


def _conference_page(
    request: StaffRequest,
    episode: Episode,
    start_form: ConferenceStartForm,
    status: int = 200,
) -> HttpResponse:
    """The conference page; `start_form` bound to what was typed when a
    start was refused."""
    page = conference_page(episode=episode)
    current = page["conference"]
    form = decision_form = None
    if current is not None and not current.is_decided:
        form = ConferenceForm(
            initial={
                "version": current.version,
                **{
                    k: getattr(current, k)
                    for k in [
                        "main_problems",
                        "contributing_factors",
                        "resources",
                        "expectations",
                    ]
                },
                "has_pending_investigations": {True: "yes", False: "no"}.get(
                    current.facts.get("has_pending_investigations"), ""
                ),
                "madrs_total": current.facts.get("madrs_total"),
                "madrs_reason": current.facts.get("madrs_reason", ""),
            }
        )
        decision_form = DecisionForm(
            initial={"version": current.version}, reasons=page["individual_reasons"]
        )
    can_start = episode.state in (
        State.TEAM_INVESTIGATION,
        State.ASSESSMENT_CONFERENCE,
    ) and (current is None or current.is_decided)
    may_hold_conference = may(request.membership, Permission.HOLD_CONFERENCE)
    return render(
        request,
        "pathway/conference.html",
        {
            "episode": episode,
            "start_form": start_form,
            "form": form,
            "decision_form": decision_form,
            **page,
            "can_start": can_start,
            "checklist_rows": [(row, row.confirmed) for row in page["checklist"]],
            "may_hold_conference": may_hold_conference,
            # Nothing else to show: say when the page applies, not a bare heading.
            "show_when_it_applies": current is None
            and not (can_start and may_hold_conference)
            and not start_form.errors,
        },
        status=status,
    )


@require_POST
@staff_view(Permission.HOLD_CONFERENCE)
def conference_start(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(
        request.membership, episode_id, what="start conference"
    )
    form = ConferenceStartForm(request.POST, staff=unit_staff(unit_id=episode.unit_id))
    if not form.is_valid():
        form.add_error(None, _("Give the date and at least one participant."))
        return _conference_page(request, episode, form, status=400)
    try:
        start_conference(by=request.membership, episode=episode, **form.cleaned_data)
    except TransitionRefused as refusal:
        form.add_error(None, refusal.message)
        return _conference_page(request, episode, form, status=400)
    return redirect("pathway:conference", episode_id=episode.pk)


@require_POST
@staff_view(Permission.HOLD_CONFERENCE)
def conference_save(request: StaffRequest, episode_id: int) -> HttpResponse:
    """Save the assessment and checklist; a stale save keeps the typed text and shows the saved one."""
    episode = get_episode_for_user(
        request.membership, episode_id, what="save conference"
    )
    page = conference_page(episode=episode)
    form, conflict = _save_assessment(request, page)
    if form is None:
        messages.success(request, _("The assessment is saved."))
        return redirect("pathway:conference", episode_id=episode.pk)
    decision_form = DecisionForm(
        request.POST, reasons=page["individual_reasons"], deciding=False
    )
    return _conference_again(request, episode, page, form, decision_form, conflict)


def _typed_confirmations(
    request: StaffRequest, page: ConferencePage
) -> dict[str, bool]:
    keys = [
        row.criterion.key for row in page["checklist"] if row.criterion.rule is None
    ]
    return ConfirmationsForm(request.POST, keys=keys).confirmations()


def _save_assessment(
    request: StaffRequest, page: ConferencePage
) -> tuple[ConferenceForm | None, AssessmentConference | None]:
    """Save what was typed in the assessment and checklist. (None, None) when
    saved; else the bound form with its error and, for a stale save, the
    version someone else saved."""
    current = page["conference"]
    form = ConferenceForm(request.POST)
    if current is None or not form.is_valid():
        return form, None
    data = dict(form.cleaned_data)
    facts = {
        "has_pending_investigations": data.pop("has_pending_investigations"),
        "madrs_total": data.pop("madrs_total"),
        "madrs_reason": data.pop("madrs_reason"),
    }
    try:
        update_conference(
            by=request.membership,
            conference=current,
            expected_version=data.pop("version"),
            facts=facts,
            confirmations=_typed_confirmations(request, page),
            **data,
        )
    except StaleEdit:
        conflict = saved_conference(current)
        form.add_error(None, StaleEdit.message)
        show_saved_version(form, "version", conflict.version)
        return form, conflict
    except TransitionRefused as refusal:
        form.add_error(None, refusal.message)
        return form, None
    return None, None


def _conference_again(  # noqa: PLR0913 - the page's parts
    request: StaffRequest,
    episode: Episode,
    page: ConferencePage,
    form: ConferenceForm,
    decision_form: DecisionForm,
    conflict: AssessmentConference | None,
) -> HttpResponse:
    """The conference page again with everything typed: texts, the checklist's
    answers and the decision."""
    typed = _typed_confirmations(request, page)
    rows = [
        (row, typed.get(row.criterion.key, row.confirmed)) for row in page["checklist"]
    ]
    return render(
        request,
        "pathway/conference.html",
        {
            "episode": episode,
            "form": form,
            "conflict": conflict,
            "start_form": None,
            "decision_form": decision_form,
            **page,
            "checklist_rows": rows,
            "may_hold_conference": may(request.membership, Permission.HOLD_CONFERENCE),
        },
        status=409 if conflict else 400,
    )


@require_POST
@staff_view(Permission.HOLD_CONFERENCE)
def conference_decide(request: StaffRequest, episode_id: int) -> HttpResponse:
    """The decision, with the assessment typed above it saved first: the
    other button of the same page loses nothing."""
    episode = get_episode_for_user(
        request.membership, episode_id, what="conference decision"
    )
    page = conference_page(episode=episode)
    form, conflict = _save_assessment(request, page)
    decision_form = DecisionForm(request.POST, reasons=page["individual_reasons"])
    if form is not None:
        return _conference_again(request, episode, page, form, decision_form, conflict)
    page = conference_page(episode=episode)  # as just saved
    current = page["conference"]
    assert current is not None  # the assessment above was saved in it
    if not decision_form.is_valid():
        decision_form.add_error(None, _("Choose a decision."))
        saved = ConferenceForm(request.POST)
        show_saved_version(saved, "version", current.version)
        return _conference_again(request, episode, page, saved, decision_form, None)
    data = decision_form.cleaned_data
    try:
        _conf, letters, problems = decide_after_conference(
            by=request.membership,
            conference=current,
            decision=data["decision"],
            expected_version=current.version,
            individual_reason=data["individual_reason"],
            alternatives=data["alternatives"],
        )
    except (TransitionRefused, StaleEdit) as refusal:
        decision_form.add_error(None, refusal_text(refusal))
        saved = ConferenceForm(request.POST)
        show_saved_version(saved, "version", current.version)
        return _conference_again(request, episode, page, saved, decision_form, None)
    messages.success(request, _("The decision is recorded."))
    for problem in problems:
        messages.warning(request, problem)
    return redirect(letters[0] if letters else episode)
