from datetime import date, datetime
from typing import NotRequired, TypedDict

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise, StrPromise

from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.dates import week_monday
from painrehab.core.form_fields import show_saved_version
from painrehab.core.forms import WeekQuery, read_query
from painrehab.core.history import StaleEdit
from painrehab.core.models import Revision
from painrehab.core.panels import PATIENT_PAGE, render_panels
from painrehab.core.refusals import refusal_text
from painrehab.documents.plans import render_plan_pdf
from painrehab.pathway.access import get_episode_for_user
from painrehab.pathway.busy import NeedsConfirmation
from painrehab.pathway.forms import (
    ConferenceForm,
    ConferenceNoteForm,
    ConferenceStartForm,
    DecisionForm,
    EvaluationForm,
    GoalCorrectionForm,
    GoalForm,
    InvestigationBookingForm,
    InvestigationRecordForm,
    PlanForm,
    PreparationForm,
    PreparationStatusForm,
    SignForm,
)
from painrehab.pathway.models import (
    AssessmentConference,
    Episode,
    Goal,
    PatientConferenceNote,
    PreparatoryIntervention,
    RehabPlan,
    SignedPlanVersion,
)
from painrehab.pathway.states import State, TransitionRefused
from painrehab.steps.assessment.selectors import (
    ConferencePage,
    GoalRow,
    InvestigationPage,
    conference_page,
    earlier_wordings,
    goals_over_time,
    investigation_page,
    patient_conference_agenda,
    unit_staff,
)
from painrehab.steps.assessment.services import (
    decide_after_conference,
    save_investigation_record,
    start_conference,
    update_conference,
)
from painrehab.steps.new_visit.services import book_investigation_visit
from painrehab.steps.plan.services import (
    add_goal,
    correct_goal,
    evaluate_goal,
    open_plan,
    plan_preparation,
    set_preparation_status,
    sign_changed_plan,
    sign_rehab_plan,
    update_plan,
    write_conference_note,
)


@staff_view()
def investigation(request: StaffRequest, episode_id: int) -> HttpResponse:
    """Every profession's findings; the user's own profession's record is editable."""
    episode = get_episode_for_user(
        request.membership, episode_id, what="team investigation"
    )
    page = investigation_page(episode=episode, membership=request.membership)
    errors: list[str] = []
    if (
        request.method == "POST"
        and Permission.RECORD_INVESTIGATION in request.membership.permissions
    ):
        form = InvestigationRecordForm(request.POST, fields=page["own_fields"])
        form.is_valid()
        values = form.typed_values()
        # A version that is not one the page can have sent reads as an old
        # page: the save refuses it as stale and the typed text stays.
        expected = form.cleaned_data.get("version")
        try:
            save_investigation_record(
                by=request.membership,
                episode=episode,
                values=values,
                expected_version=expected,
            )
        except (TransitionRefused, StaleEdit) as refusal:
            errors.append(refusal_text(refusal))
            page["typed"] = values
        else:
            if request.htmx:  # the record and the column of records, nothing else
                return _record_saved(request, episode)
            messages.success(request, _("The record is saved."))
            return redirect("pathway:investigation", episode_id=episode.pk)
        if request.htmx:
            return render(
                request,
                "pathway/_investigation_record.html",
                {"episode": episode, "errors": errors, **page},
            )
    booking_form = InvestigationBookingForm(
        staff=unit_staff(unit_id=episode.unit_id), prefix="book"
    )
    return _investigation_page(request, episode, page, errors, booking_form)


def _record_saved(request: StaffRequest, episode: Episode) -> HttpResponse:
    """With htmx: the saved record's form and, out of band, every profession's
    records; what is typed in the booking form beside it stays."""
    page = investigation_page(episode=episode, membership=request.membership)
    context = {"episode": episode, "errors": [], **page}
    html = render_to_string(
        "pathway/_investigation_record.html",
        {**context, "notice": _("The record is saved.")},
        request,
    ) + render_to_string(
        "pathway/_investigation_records.html", {**context, "oob": True}, request
    )
    return HttpResponse(html)


def _investigation_page(
    request: StaffRequest,
    episode: Episode,
    page: InvestigationPage,
    errors: list[str],
    booking_form: InvestigationBookingForm,
) -> HttpResponse:
    return render(
        request,
        "pathway/investigation.html",
        {
            "episode": episode,
            "errors": errors,
            **page,
            "booking_form": booking_form,
            "panels": render_panels(
                PATIENT_PAGE,
                request,
                membership=request.membership,
                patient=episode.patient,
            ),
        },
        status=400 if errors or booking_form.errors else 200,
    )


@require_POST
@staff_view(Permission.MANAGE_WAITING_LIST)
def investigation_book(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(
        request.membership, episode_id, what="book investigation visit"
    )
    form = InvestigationBookingForm(
        request.POST, staff=unit_staff(unit_id=episode.unit_id), prefix="book"
    )
    if form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(datetime.combine(data["day"], data["start"]))
        try:
            book_investigation_visit(
                by=request.membership,
                episode=episode,
                starts_at=starts_at,
                staff=data["staff"],
                profession=data["profession"],
                mode=data["mode"],
                minutes=data["minutes"],
                confirmed=data["confirm_time"],
            )
        except NeedsConfirmation as question:
            form.ask_to_confirm(question.message)
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            if request.htmx:  # the visits alone: a record being typed stays
                page = investigation_page(
                    episode=episode, membership=request.membership
                )
                return render(
                    request,
                    "pathway/_investigation_visits.html",
                    {
                        "episode": episode,
                        **page,
                        "booking_form": InvestigationBookingForm(
                            staff=unit_staff(unit_id=episode.unit_id), prefix="book"
                        ),
                        "notice": _("The visit is booked."),
                    },
                )
            messages.success(request, _("The visit is booked."))
            return redirect("pathway:investigation", episode_id=episode.pk)
    # Shown again with what was typed and why it was not booked.
    page = investigation_page(episode=episode, membership=request.membership)
    if request.htmx:
        return render(
            request,
            "pathway/_investigation_visits.html",
            {"episode": episode, **page, "booking_form": form},
        )
    return _investigation_page(request, episode, page, [], form)


@staff_view()
def conference(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(
        request.membership, episode_id, what="assessment conference"
    )
    page = conference_page(episode=episode)
    current = page["conference"]
    staff = unit_staff(unit_id=episode.unit_id)
    start_form = ConferenceStartForm(
        staff=staff, initial={"held_on": timezone.localdate()}
    )
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
    return render(
        request,
        "pathway/conference.html",
        {
            "episode": episode,
            "start_form": start_form,
            "form": form,
            "decision_form": decision_form,
            **page,
            "can_start": episode.state
            in (State.TEAM_INVESTIGATION, State.ASSESSMENT_CONFERENCE)
            and (current is None or current.is_decided),
            "checklist_rows": [(row, row.confirmed) for row in page["checklist"]],
        },
    )


@require_POST
@staff_view(Permission.HOLD_CONFERENCE)
def conference_start(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(
        request.membership, episode_id, what="start conference"
    )
    form = ConferenceStartForm(request.POST, staff=unit_staff(unit_id=episode.unit_id))
    if form.is_valid():
        try:
            start_conference(
                by=request.membership, episode=episode, **form.cleaned_data
            )
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
    else:
        messages.error(request, _("Give the date and at least one participant."))
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
    decision_form = DecisionForm(request.POST, reasons=page["individual_reasons"])
    return _conference_again(request, episode, page, form, decision_form, conflict)


def _typed_confirmations(
    request: StaffRequest, page: ConferencePage
) -> dict[str, bool]:
    return {
        row.criterion.key: request.POST[f"confirm_{row.criterion.key}"] == "yes"
        for row in page["checklist"]
        if row.criterion.rule is None
        and request.POST.get(f"confirm_{row.criterion.key}") in ("yes", "no")
    }


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
        conflict = AssessmentConference.objects.get(pk=current.pk)
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
        return _conference_again(
            request, episode, page, ConferenceForm(request.POST), decision_form, None
        )
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
    conflict: NotRequired[RehabPlan | None]
    notice_is_error: NotRequired[bool]


def _plan_context(  # noqa: PLR0913 - the page's parts, each maybe bound
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
    if (
        not plan.is_signed
        and Permission.PLAN_REHABILITATION in request.membership.permissions
    ):
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
    plan = RehabPlan.objects.filter(episode=episode).first()
    if plan is None and request.method == "POST" and "open" in request.POST:
        try:
            open_plan(by=request.membership, episode=episode)
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
        return redirect("pathway:plan", episode_id=episode.pk)
    if plan is None:
        return render(request, "pathway/plan.html", {"episode": episode, "plan": plan})
    return render(request, "pathway/plan.html", _plan_context(request, episode, plan))


# The parts of the plan page that save on their own: with htmx only the part
# is swapped, so what is typed in the other parts stays on the screen.
PLAN_PARTS = {
    "goals": "pathway/_plan_goals.html",
    "preparations": "pathway/_plan_preparations.html",
}


def _plan_part(
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


@require_POST
@staff_view(Permission.PLAN_REHABILITATION)
def plan_save(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(request.membership, episode_id, what="save plan")
    plan = get_object_or_404(RehabPlan, episode=episode)
    action = request.POST.get("action")
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
    typed_plan = "values" in request.POST or "overall_goal" in request.POST
    if typed_plan:
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
        form = PlanForm({**request.POST.dict(), "version": plan.version})
    if sign_form is None:
        context = _plan_context(request, episode, plan, notice=_("The plan is saved."))
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
    context = _plan_context(request, episode, plan, form=form, sign_form=sign_form)
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
        return _plan_part(
            request,
            "goals",
            _plan_context(request, episode, plan, goal_form=form),
            ok=False,
        )
    plan.refresh_from_db()
    context = _plan_context(request, episode, plan, notice=_("The goal is added."))
    return _plan_part(request, "goals", context, ok=True)


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
        context = _plan_context(request, episode, plan, preparation_form=form)
        return _plan_part(request, "preparations", context, ok=False)
    context = _plan_context(
        request, episode, plan, notice=_("The intervention is planned.")
    )
    return _plan_part(request, "preparations", context, ok=True)


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


def _goal_in_unit(request: StaffRequest, goal_id: int, *, what: str) -> Goal:
    """The goal if the user's unit owns its episode, else 404; the read is logged."""
    goal = get_object_or_404(
        Goal.objects.filter(plan__episode__unit=request.membership.unit_id),
        pk=goal_id,
    )
    episode = get_episode_for_user(request.membership, goal.plan.episode_id, what=what)
    goal.plan.episode = episode
    return goal


@require_POST
@staff_view(Permission.PLAN_REHABILITATION)
def goal_correct(request: StaffRequest, goal_id: int) -> HttpResponse:
    """Correct a goal before the plan is signed; an error keeps the typed
    correction open, a stale save shows it beside the saved wording."""
    goal = _goal_in_unit(request, goal_id, what="correct goal")
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
        context = _plan_context(request, episode, plan, corrected=(goal.pk, form))
        return _plan_part(request, "goals", context, ok=False)
    plan.refresh_from_db()
    context = _plan_context(request, episode, plan, notice=_("The goal is corrected."))
    return _plan_part(request, "goals", context, ok=True)


@require_POST
@staff_view(Permission.RUN_PROGRAMME)
def goal_evaluate(request: StaffRequest, goal_id: int) -> HttpResponse:
    goal = _goal_in_unit(request, goal_id, what="evaluate goal")
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
    context = _plan_context(request, episode, plan, notice=notice)
    context["notice_is_error"] = not ok
    if not ok and not request.htmx:
        messages.error(request, notice)
        return redirect("pathway:plan", episode_id=episode.pk)
    return _plan_part(request, "goals", context, ok=ok)


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
    context = _plan_context(request, episode, plan, notice=notice)
    context["notice_is_error"] = not form.is_valid()
    return _plan_part(request, "preparations", context, ok=form.is_valid())


@staff_view()
def plan_pdf(request: StaffRequest, episode_id: int) -> HttpResponse:
    """The plan as a PDF for the patient."""
    episode = get_episode_for_user(request.membership, episode_id, what="plan PDF")
    plan = get_object_or_404(RehabPlan, episode=episode)
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


@staff_view()
def agenda(request: StaffRequest) -> HttpResponse:
    """The weekly patient conference: its agenda and the minutes per patient."""
    day = read_query(request, WeekQuery)["vecka"] or timezone.localdate()
    return _agenda_page(request, week_monday(day))


def _agenda_page(
    request: StaffRequest,
    week_of: date,
    *,
    typed_for: int | None = None,
    typed: str = "",
    error: StrOrPromise = "",
) -> HttpResponse:
    rows = patient_conference_agenda(membership=request.membership, week_of=week_of)
    return render(
        request,
        "pathway/agenda.html",
        {
            "rows": rows,
            "week_of": week_of,
            "typed_for": typed_for,
            "typed": typed,
            "error": error,
            # A closed episode leaves the agenda: its error and text go on top.
            "typed_on_agenda": any(row.episode.pk == typed_for for row in rows),
        },
        status=400 if error else 200,
    )


@require_POST
@staff_view(Permission.HOLD_CONFERENCE)
def agenda_note(request: StaffRequest, episode_id: int) -> HttpResponse:
    """One patient's minutes. With htmx only that row's minutes are swapped,
    so what is typed in the other rows stays; an error keeps the typed text."""
    episode = get_episode_for_user(
        request.membership, episode_id, what="patient conference minutes"
    )
    form = ConferenceNoteForm(request.POST)
    valid = form.is_valid()
    week_of = form.week(today=timezone.localdate())
    error: StrOrPromise = ""
    if valid:
        try:
            write_conference_note(
                by=request.membership,
                episode=episode,
                week_of=week_of,
                text=form.cleaned_data["text"],
            )
        except TransitionRefused as refusal:
            error = refusal.message
    else:
        error = _("Write the minutes.")
    typed = form.data.get("text", "") if error else ""
    if request.htmx:
        notes = PatientConferenceNote.objects.filter(
            episode=episode, week_of=week_of
        ).select_related("author")
        return render(
            request,
            "pathway/_agenda_notes.html",
            {
                "episode": episode,
                "week_of": week_of,
                "notes": list(notes),
                "typed": typed,
                "error": error,
                "notice": "" if error else _("The minutes are saved."),
            },
        )
    if error:
        return _agenda_page(
            request, week_of, typed_for=episode.pk, typed=typed, error=error
        )
    messages.success(request, _("The minutes are saved."))
    return redirect(f"{reverse('pathway:agenda')}?vecka={week_of.isoformat()}")
