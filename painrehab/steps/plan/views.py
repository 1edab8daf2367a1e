"""The planning meeting: the rehabilitation plan, its goals, signing and the PDF."""

from typing import NotRequired, TypedDict

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise, StrPromise

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.accounts.team import unit_staff
from painrehab.audit.services import Action, record
from painrehab.core.form_fields import show_saved_version
from painrehab.core.forms import pressed
from painrehab.core.history import StaleEdit
from painrehab.core.models import Revision
from painrehab.core.refusals import refusal_text
from painrehab.documents.plans import render_plan_pdf
from painrehab.pathway.access import get_episode_for_user, get_goal_for_user
from painrehab.pathway.forms import (
    EvaluationForm,
    GoalCorrectionForm,
    GoalForm,
    PlanForm,
    PreparationForm,
    SignForm,
)
from painrehab.pathway.models import (
    Episode,
    PreparatoryIntervention,
    RehabPlan,
    SignedPlanVersion,
)
from painrehab.pathway.states import TransitionRefused
from painrehab.steps.plan.selectors import (
    GoalRow,
    earlier_wordings,
    goals_over_time,
    plan_of,
    plan_of_or_404,
)
from painrehab.steps.plan.services import (
    add_goal,
    correct_goal,
    evaluate_goal,
    open_plan,
    sign_changed_plan,
    sign_rehab_plan,
    update_plan,
)
from painrehab.steps.preparation.services import plan_preparation


class PlanPage(TypedDict):
    """Everything the plan page shows."""

    episode: Episode
    plan: RehabPlan
    form: PlanForm
    goal_form: GoalForm
    goal_rows: list[tuple[GoalRow, GoalCorrectionForm | None]]
    open_correction: int | None
    earlier_wordings: dict[int, list[Revision]]
    sign_form: SignForm
    evaluation_form: EvaluationForm
    preparation_form: PreparationForm
    preparations: list[PreparatoryIntervention]
    preparation_statuses: list[tuple[str, StrPromise]]
    signed_versions: list[SignedPlanVersion]
    notice: StrOrPromise
    may_plan_rehabilitation: bool  # write, correct and sign the plan
    may_run_programme: bool  # evaluate goals
    conflict: NotRequired[RehabPlan | None]
    notice_is_error: NotRequired[bool]


def plan_context(  # noqa: PLR0913 - the page's parts, each maybe bound
    request: StaffRequest,
    episode: Episode,
    plan: RehabPlan,
    *,
    form: PlanForm | None = None,
    goal_form: GoalForm | None = None,
    corrected: tuple[int, GoalCorrectionForm] | None = None,
    preparation_form: PreparationForm | None = None,
    sign_form: SignForm | None = None,
    notice: StrOrPromise = "",
) -> PlanPage:
    """Everything the plan page shows; a form given bound is shown with what
    was typed in it and its errors, the others fresh."""
    staff = unit_staff(unit_id=episode.unit_id)
    goal_rows = goals_over_time(plan=plan)
    corrections: dict[int, GoalCorrectionForm] = {}
    may_plan = may(request.membership, Permission.PLAN_REHABILITATION)
    if not plan.is_signed and may_plan:
        for row in goal_rows:
            goal = row.goal
            corrections[goal.pk] = GoalCorrectionForm(
                staff=staff,
                prefix=f"goal{goal.pk}",
                initial={
                    "version": goal.version,
                    "profession": goal.profession,
                    "owner": goal.owner_id,
                    "description": goal.description,
                    "measure": goal.measure,
                    "target_date": goal.target_date,
                },
            )
    if corrected is not None:  # shown again with the typed text, even if refused
        corrections[corrected[0]] = corrected[1]
    return {
        "episode": episode,
        "plan": plan,
        "form": form
        or PlanForm(
            initial={
                "version": plan.version,
                "values": plan.values,
                "overall_goal": plan.overall_goal,
                "next_of_kin_present": plan.next_of_kin_present,
            }
        ),
        "goal_form": goal_form or GoalForm(staff=staff, prefix="goal"),
        "goal_rows": [(row, corrections.get(row.goal.pk)) for row in goal_rows],
        "open_correction": corrected[0] if corrected else None,
        "earlier_wordings": earlier_wordings(goals=[row.goal for row in goal_rows]),
        "sign_form": _sign_form(plan, sign_form),
        "evaluation_form": EvaluationForm(),
        "preparation_form": preparation_form or PreparationForm(prefix="prep"),
        "preparations": list(plan.episode.preparations.select_related("updated_by")),
        "preparation_statuses": PreparatoryIntervention.Status.choices,
        "signed_versions": list(
            plan.signed_versions.only("number", "signed_on", "signature", "plan_id")
        ),
        "notice": notice,
        "may_plan_rehabilitation": may_plan,
        "may_run_programme": may(request.membership, Permission.RUN_PROGRAMME),
    }


def _sign_form(plan: RehabPlan, bound: SignForm | None) -> SignForm:
    """The first signature's fields belong to the plan's form (its
    `form` attribute), so that signing saves the plan's text as typed."""
    form = bound or SignForm(
        initial={"version": plan.version, "signed_on": timezone.localdate()}
    )
    if not plan.is_signed:
        for name in ("signed_on", "signature", "consent_to_forsakringskassan"):
            form.fields[name].widget.attrs["form"] = "plan-form"
    return form


@staff_view()
def plan(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(
        request.membership, episode_id, what="rehabilitation plan"
    )
    plan = plan_of(episode=episode)
    if plan is None and request.method == "POST" and pressed(request, ["open"]):
        try:
            open_plan(by=request.membership, episode=episode)
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
        return redirect("pathway:plan", episode_id=episode.pk)
    if plan is None:
        may_plan = may(request.membership, Permission.PLAN_REHABILITATION)
        context = {
            "episode": episode,
            "plan": plan,
            "may_plan_rehabilitation": may_plan,
        }
        return render(request, "pathway/plan.html", context)
    return render(request, "pathway/plan.html", plan_context(request, episode, plan))


# The parts of the plan page that save on their own: with htmx only the part
# is swapped, so what is typed in the other parts stays on the screen.
PLAN_PARTS = {
    "goals": "pathway/_plan_goals.html",
    "preparations": "pathway/_plan_preparations.html",
}


def plan_part(
    request: StaffRequest, part: str, context: PlanPage, *, ok: bool
) -> HttpResponse:
    """The part alone for htmx (200 either way, so that htmx swaps it in);
    the whole page without htmx: a redirect when saved, else the page again
    with the typed text and the errors."""
    if request.htmx:
        return render(request, PLAN_PARTS[part], context)
    if ok:
        messages.success(request, context["notice"])
        return redirect("pathway:plan", episode_id=context["episode"].pk)
    return render(request, "pathway/plan.html", context, status=400)


# The buttons of the plan page's forms (`action`); Enter saves the plan's text.
PLAN_BUTTONS = ["plan", "sign", "sign_again", "goal", "preparation"]


@require_POST
@staff_view(Permission.PLAN_REHABILITATION)
def plan_save(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(request.membership, episode_id, what="save plan")
    plan = plan_of_or_404(episode=episode)
    action = pressed(request, PLAN_BUTTONS, name="action", default="plan")
    if action == "goal":
        return _add_goal(request, episode, plan)
    if action == "preparation":
        return _plan_preparation(request, episode, plan)
    if action != "sign_again":
        return _save_and_sign(request, episode, plan, sign=action == "sign")
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and how the patient signed."))
        return redirect("pathway:plan", episode_id=episode.pk)
    try:
        version, _letters, problems = sign_changed_plan(
            by=request.membership,
            plan=plan,
            signed_on=form.cleaned_data["signed_on"],
            signature=form.cleaned_data["signature"],
        )
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("pathway:plan", episode_id=episode.pk)
    messages.success(
        request,
        _("Version %(number)s of the plan is signed.") % {"number": version.number},
    )
    for problem in problems:
        messages.warning(request, problem)
    return redirect("pathway:plan", episode_id=episode.pk)


def _save_and_sign(
    request: StaffRequest, episode: Episode, plan: RehabPlan, *, sign: bool
) -> HttpResponse:
    """The plan's text as typed is saved (when changed); with the signature
    the plan is signed right after, so the patient signs what is on the
    screen. An error shows the page again with everything typed."""
    form = PlanForm(request.POST)
    sign_form = SignForm(request.POST) if sign else None
    if form.is_typed():
        if not form.is_valid():
            form.add_error(None, _("Check the plan's fields."))
            return _plan_form_again(request, episode, plan, form, sign_form)
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            if any(getattr(plan, key) != value for key, value in data.items()):
                update_plan(
                    by=request.membership,
                    plan=plan,
                    expected_version=expected,
                    **data,
                )
        except StaleEdit:
            return _plan_conflict(request, episode, plan, sign_form)
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
            return _plan_form_again(request, episode, plan, form, sign_form)
        show_saved_version(form, "version", plan.version)  # signed from it next
    if sign_form is None:
        context = plan_context(request, episode, plan, notice=_("The plan is saved."))
        if request.htmx:
            return render(request, "pathway/_plan_form.html", context)
        messages.success(request, context["notice"])
        return redirect("pathway:plan", episode_id=episode.pk)
    if not sign_form.is_valid():
        sign_form.add_error(None, _("Give the date and how the patient signed."))
        return _plan_form_again(request, episode, plan, form, sign_form)
    data = dict(sign_form.cleaned_data)
    data.pop("version")
    try:
        _plan, _letters, problems = sign_rehab_plan(
            by=request.membership,
            plan=plan,
            expected_version=plan.version,
            **data,
        )
    except (TransitionRefused, StaleEdit) as refusal:
        sign_form.add_error(None, refusal_text(refusal))
        return _plan_form_again(request, episode, plan, form, sign_form)
    messages.success(request, _("The plan is signed."))
    for problem in problems:
        messages.warning(request, problem)
    if request.htmx:  # the whole page changes: htmx loads it
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("pathway:plan", args=[episode.pk])
        return response
    return redirect("pathway:plan", episode_id=episode.pk)


def _plan_form_again(
    request: StaffRequest,
    episode: Episode,
    plan: RehabPlan,
    form: PlanForm,
    sign_form: SignForm | None,
    *,
    conflict: RehabPlan | None = None,
) -> HttpResponse:
    """The plan's form (and the signature) again with what was typed and why."""
    context = plan_context(request, episode, plan, form=form, sign_form=sign_form)
    context["conflict"] = conflict
    if request.htmx:
        html = render_to_string("pathway/_plan_form.html", context, request)
        if sign_form is not None:
            html += render_to_string(
                "pathway/_plan_sign.html", {**context, "oob": True}, request
            )
        return HttpResponse(html)
    return render(
        request, "pathway/plan.html", context, status=409 if conflict else 400
    )


def _add_goal(request: StaffRequest, episode: Episode, plan: RehabPlan) -> HttpResponse:
    """A new goal; on an error the goal form stays open with what was typed."""
    form = GoalForm(
        request.POST, staff=unit_staff(unit_id=episode.unit_id), prefix="goal"
    )
    if not form.is_valid():
        form.add_error(None, _("Fill in every field of the goal."))
    else:
        try:
            add_goal(by=request.membership, plan=plan, **form.cleaned_data)
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
    if form.errors:
        return plan_part(
            request,
            "goals",
            plan_context(request, episode, plan, goal_form=form),
            ok=False,
        )
    plan.refresh_from_db()
    context = plan_context(request, episode, plan, notice=_("The goal is added."))
    return plan_part(request, "goals", context, ok=True)


def _plan_preparation(
    request: StaffRequest, episode: Episode, plan: RehabPlan
) -> HttpResponse:
    form = PreparationForm(request.POST, prefix="prep")
    if not form.is_valid():
        form.add_error(None, _("Choose the profession and the intervention."))
    else:
        try:
            plan_preparation(
                by=request.membership, episode=episode, **form.cleaned_data
            )
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
    if form.errors:
        context = plan_context(request, episode, plan, preparation_form=form)
        return plan_part(request, "preparations", context, ok=False)
    context = plan_context(
        request, episode, plan, notice=_("The intervention is planned.")
    )
    return plan_part(request, "preparations", context, ok=True)


def _plan_conflict(
    request: StaffRequest,
    episode: Episode,
    plan: RehabPlan,
    sign_form: SignForm | None = None,
) -> HttpResponse:
    """Someone saved the plan in between: show both versions, keep what was typed."""
    plan.refresh_from_db()
    form = PlanForm(request.POST)
    show_saved_version(form, "version", plan.version)
    form.is_valid()
    form.add_error(None, StaleEdit.message)
    return _plan_form_again(request, episode, plan, form, sign_form, conflict=plan)


@require_POST
@staff_view(Permission.PLAN_REHABILITATION)
def goal_correct(request: StaffRequest, goal_id: int) -> HttpResponse:
    """Correct a goal before the plan is signed; an error keeps the typed
    correction open, a stale save shows it beside the saved wording."""
    goal = get_goal_for_user(request.membership, goal_id, what="correct goal")
    plan, episode = goal.plan, goal.plan.episode
    form = GoalCorrectionForm(
        request.POST, staff=unit_staff(unit_id=episode.unit_id), prefix=f"goal{goal.pk}"
    )
    if not form.is_valid():
        form.add_error(None, _("Fill in every field of the goal."))
    else:
        data = dict(form.cleaned_data)
        try:
            correct_goal(
                by=request.membership,
                goal=goal,
                expected_version=data.pop("version"),
                **data,
            )
        except StaleEdit as stale:
            goal.refresh_from_db()
            show_saved_version(form, f"goal{goal.pk}-version", goal.version)
            form.add_error(None, stale.message)
            form.saved = goal
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
    if form.errors:
        context = plan_context(request, episode, plan, corrected=(goal.pk, form))
        return plan_part(request, "goals", context, ok=False)
    plan.refresh_from_db()
    context = plan_context(request, episode, plan, notice=_("The goal is corrected."))
    return plan_part(request, "goals", context, ok=True)


@require_POST
@staff_view(Permission.RUN_PROGRAMME)
def goal_evaluate(request: StaffRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for_user(request.membership, goal_id, what="evaluate goal")
    plan, episode = goal.plan, goal.plan.episode
    form = EvaluationForm(request.POST)
    notice: StrOrPromise = _("The evaluation is saved.")
    ok = True
    if form.is_valid():
        try:
            evaluate_goal(by=request.membership, goal=goal, **form.cleaned_data)
        except TransitionRefused as refusal:
            notice, ok = refusal.message, False
    else:
        notice, ok = _("Choose when and the result."), False
    context = plan_context(request, episode, plan, notice=notice)
    context["notice_is_error"] = not ok
    if not ok and not request.htmx:
        messages.error(request, notice)
        return redirect("pathway:plan", episode_id=episode.pk)
    return plan_part(request, "goals", context, ok=ok)


@staff_view()
def plan_pdf(request: StaffRequest, episode_id: int) -> HttpResponse:
    """The plan as a PDF for the patient."""
    episode = get_episode_for_user(request.membership, episode_id, what="plan PDF")
    plan = plan_of_or_404(episode=episode)
    unit = episode.unit
    # Once signed, the plan as the patient signed it; before that, a draft.
    pdf = (
        bytes(plan.signed_pdf)
        if plan.signed_pdf is not None
        else render_plan_pdf(plan, today=timezone.localdate())
    )
    record(
        by=request.user,
        unit=unit.pk,
        action=Action.PRINT,
        patients=[episode.patient_id],
        obj=plan,
        what="plan printed",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="rehabiliteringsplan-{episode.pk}.pdf"'
    )
    return response
