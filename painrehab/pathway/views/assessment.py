from datetime import date, datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painrehab.accounts.access import get_episode_for_user, staff_view
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.history import StaleEdit
from painrehab.core.refusals import refusal_text
from painrehab.documents.plans import render_plan_pdf
from painrehab.pathway.assessment_selectors import (
    conference_page,
    goals_over_time,
    investigation_page,
    monday,
    patient_conference_agenda,
    unit_staff,
)
from painrehab.pathway.busy import NeedsConfirmation
from painrehab.pathway.forms import (
    ConferenceForm,
    ConferenceNoteForm,
    ConferenceStartForm,
    DecisionForm,
    EvaluationForm,
    GoalForm,
    InvestigationBookingForm,
    PlanForm,
    PreparationForm,
    SignForm,
)
from painrehab.pathway.models import (
    AssessmentConference,
    Episode,
    Goal,
    PreparatoryIntervention,
    RehabPlan,
)
from painrehab.pathway.services.assessment import (
    decide_after_conference,
    save_investigation_record,
    start_conference,
    update_conference,
)
from painrehab.pathway.services.new_visit import book_investigation_visit
from painrehab.pathway.services.plan import (
    add_goal,
    evaluate_goal,
    open_plan,
    plan_preparation,
    set_preparation_status,
    sign_changed_plan,
    sign_rehab_plan,
    update_plan,
    write_conference_note,
)
from painrehab.pathway.states import State, TransitionRefused


@staff_view()
def investigation(request: HttpRequest, episode_id: int) -> HttpResponse:
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
        values = {f["key"]: request.POST.get(f["key"], "") for f in page["own_fields"]}
        version = request.POST.get("version", "")
        expected = int(version) if version.isascii() and version.isdigit() else None
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
            messages.success(request, _("The record is saved."))
            return redirect("pathway:investigation", episode_id=episode.pk)
    booking_form = InvestigationBookingForm(
        staff=unit_staff(unit_id=episode.unit_id), prefix="book"
    )
    return _investigation_page(request, episode, page, errors, booking_form)


def _investigation_page(
    request: HttpRequest,
    episode: Episode,
    page: dict[str, object],
    errors: list[str],
    booking_form: InvestigationBookingForm,
) -> HttpResponse:
    page["booking_form"] = booking_form
    return render(
        request,
        "pathway/investigation.html",
        {"episode": episode, "errors": errors, **page},
        status=400 if errors or booking_form.errors else 200,
    )


@require_POST
@staff_view(Permission.MANAGE_WAITING_LIST)
def investigation_book(request: HttpRequest, episode_id: int) -> HttpResponse:
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
            messages.success(request, _("The visit is booked."))
            return redirect("pathway:investigation", episode_id=episode.pk)
    # Shown again with what was typed and why it was not booked.
    page = investigation_page(episode=episode, membership=request.membership)
    return _investigation_page(request, episode, page, [], form)


@staff_view()
def conference(request: HttpRequest, episode_id: int) -> HttpResponse:
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
def conference_start(request: HttpRequest, episode_id: int) -> HttpResponse:
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
def conference_save(request: HttpRequest, episode_id: int) -> HttpResponse:
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


def _typed_confirmations(request: HttpRequest, page: dict) -> dict[str, bool]:
    return {
        row.criterion.key: request.POST[f"confirm_{row.criterion.key}"] == "yes"
        for row in page["checklist"]
        if row.criterion.rule is None
        and request.POST.get(f"confirm_{row.criterion.key}") in ("yes", "no")
    }


def _save_assessment(
    request: HttpRequest, page: dict
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
        form.data = form.data.copy()
        form.data["version"] = conflict.version
        return form, conflict
    except TransitionRefused as refusal:
        form.add_error(None, refusal.message)
        return form, None
    return None, None


def _conference_again(  # noqa: PLR0913 - the page's parts
    request: HttpRequest,
    episode: Episode,
    page: dict,
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
def conference_decide(request: HttpRequest, episode_id: int) -> HttpResponse:
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
        saved.data = saved.data.copy()
        saved.data["version"] = current.version
        return _conference_again(request, episode, page, saved, decision_form, None)
    messages.success(request, _("The decision is recorded."))
    for problem in problems:
        messages.warning(request, problem)
    return redirect(letters[0] if letters else episode)


@staff_view()
def plan(request: HttpRequest, episode_id: int) -> HttpResponse:
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
    staff = unit_staff(unit_id=episode.unit_id)
    context = {"episode": episode, "plan": plan}
    if plan is not None:
        context.update(
            {
                "form": PlanForm(
                    initial={
                        "version": plan.version,
                        "values": plan.values,
                        "overall_goal": plan.overall_goal,
                        "next_of_kin_present": plan.next_of_kin_present,
                    }
                ),
                "goal_form": GoalForm(staff=staff, prefix="goal"),
                "sign_form": SignForm(
                    initial={"version": plan.version, "signed_on": timezone.localdate()}
                ),
                "evaluation_form": EvaluationForm(),
                "preparation_form": PreparationForm(prefix="prep"),
                "goal_rows": goals_over_time(plan=plan),
                "preparations": list(
                    plan.episode.preparations.select_related("updated_by")
                ),
                "preparation_statuses": PreparatoryIntervention.Status.choices,
                "signed_versions": list(
                    plan.signed_versions.only(
                        "number", "signed_on", "signature", "plan_id"
                    )
                ),
            }
        )
    return render(request, "pathway/plan.html", context)


@require_POST
@staff_view(Permission.PLAN_REHABILITATION)
def plan_save(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(request.membership, episode_id, what="save plan")
    plan = get_object_or_404(RehabPlan, episode=episode)
    action = request.POST.get("action")
    try:
        if action == "goal":
            form = GoalForm(
                request.POST, staff=unit_staff(unit_id=episode.unit_id), prefix="goal"
            )
            if not form.is_valid():
                raise TransitionRefused(_("Fill in every field of the goal."))
            add_goal(by=request.membership, plan=plan, **form.cleaned_data)
            messages.success(request, _("The goal is added."))
        elif action == "sign":
            form = SignForm(request.POST)
            if not form.is_valid():
                raise TransitionRefused(_("Give the date and how the patient signed."))
            _plan, letters, problems = sign_rehab_plan(
                by=request.membership,
                plan=plan,
                expected_version=form.cleaned_data.pop("version"),
                **form.cleaned_data,
            )
            messages.success(request, _("The plan is signed."))
            for problem in problems:
                messages.warning(request, problem)
        elif action == "sign_again":
            form = SignForm(request.POST)
            if not form.is_valid():
                raise TransitionRefused(_("Give the date and how the patient signed."))
            version, _letters, problems = sign_changed_plan(
                by=request.membership,
                plan=plan,
                signed_on=form.cleaned_data["signed_on"],
                signature=form.cleaned_data["signature"],
            )
            messages.success(
                request,
                _("Version %(number)s of the plan is signed.")
                % {"number": version.number},
            )
            for problem in problems:
                messages.warning(request, problem)
        elif action == "preparation":
            form = PreparationForm(request.POST, prefix="prep")
            if not form.is_valid():
                raise TransitionRefused(
                    _("Choose the profession and the intervention.")
                )
            plan_preparation(
                by=request.membership, episode=episode, **form.cleaned_data
            )
        else:
            form = PlanForm(request.POST)
            if not form.is_valid():
                raise TransitionRefused(_("Check the plan's fields."))
            update_plan(
                by=request.membership,
                plan=plan,
                expected_version=form.cleaned_data.pop("version"),
                **form.cleaned_data,
            )
            messages.success(request, _("The plan is saved."))
    except StaleEdit:
        return _plan_conflict(request, episode, plan)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    return redirect("pathway:plan", episode_id=episode.pk)


def _plan_conflict(request: HttpRequest, episode, plan) -> HttpResponse:  # noqa: ANN001
    """Someone saved the plan in between: show both versions, keep what was typed."""
    plan.refresh_from_db()
    form = PlanForm(request.POST)
    form.data = form.data.copy()
    form.data["version"] = plan.version
    form.is_valid()
    form.add_error(None, StaleEdit.message)
    return render(
        request,
        "pathway/plan.html",
        {
            "episode": episode,
            "plan": plan,
            "form": form,
            "conflict": plan,
            "goal_rows": goals_over_time(plan=plan),
        },
        status=409,
    )


@staff_view()
def plan_pdf(request: HttpRequest, episode_id: int) -> HttpResponse:
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


@require_POST
@staff_view(Permission.RUN_PROGRAMME)
def goal_evaluate(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_object_or_404(
        Goal.objects.filter(
            plan__episode__unit=request.membership.unit_id
        ).select_related("plan__episode"),
        pk=goal_id,
    )
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            evaluate_goal(by=request.membership, goal=goal, **form.cleaned_data)
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
    return redirect("pathway:plan", episode_id=goal.plan.episode_id)


@require_POST
@staff_view(Permission.PLAN_REHABILITATION)
def preparation_status(request: HttpRequest, preparation_id: int) -> HttpResponse:
    item = get_object_or_404(
        PreparatoryIntervention.objects.filter(
            episode__unit=request.membership.unit_id
        ),
        pk=preparation_id,
    )
    status = request.POST.get("status", "")
    if status in PreparatoryIntervention.Status.values:
        set_preparation_status(by=request.membership, item=item, status=status)
    return redirect("pathway:plan", episode_id=item.episode_id)


@staff_view()
def agenda(request: HttpRequest) -> HttpResponse:
    """The weekly patient conference: its agenda and the minutes per patient."""
    try:
        week_of = monday(date.fromisoformat(request.GET["vecka"]))
    except (KeyError, ValueError):
        week_of = monday(timezone.localdate())
    rows = patient_conference_agenda(membership=request.membership, week_of=week_of)
    return render(
        request,
        "pathway/agenda.html",
        {"rows": rows, "week_of": week_of, "note_form": ConferenceNoteForm()},
    )


@require_POST
@staff_view(Permission.HOLD_CONFERENCE)
def agenda_note(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(
        request.membership, episode_id, what="patient conference minutes"
    )
    form = ConferenceNoteForm(request.POST)
    try:
        week_of = monday(date.fromisoformat(request.POST.get("week_of", "")))
    except ValueError:
        week_of = monday(timezone.localdate())
    if form.is_valid():
        try:
            write_conference_note(
                by=request.membership,
                episode=episode,
                week_of=week_of,
                text=form.cleaned_data["text"],
            )
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
    else:
        messages.error(request, _("Write the minutes."))
    return redirect(f"{reverse('pathway:agenda')}?vecka={week_of.isoformat()}")
