"""Cohorts: the list, a new one, the year's plan, participants, scheduling,
the start of the programme and the absence overview."""

from datetime import date, time

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission, Profession
from painrehab.audit.services import Action, record
from painrehab.core.closed_days import swedish_closed_days
from painrehab.documents.models import LetterKind
from painrehab.documents.services import LetterRefused, draft_letter
from painrehab.programmes.access import get_cohort, get_participant
from painrehab.programmes.forms import (
    AddParticipantForm,
    AnnualPlanForm,
    CohortForm,
    GroupFollowUpForm,
    PatientHotelForm,
)
from painrehab.programmes.letters import absence_warning, absence_warning_context
from painrehab.programmes.models import Cohort
from painrehab.programmes.rules import Capacity, capacity_check
from painrehab.programmes.selectors import (
    audit_view,
    cohort_participants,
    cohort_staff_minutes,
    group_follow_ups,
    programme_candidates,
)
from painrehab.programmes.services import ProgrammeRefused
from painrehab.programmes.services.cohorts import (
    add_participant,
    create_annual_plan,
    create_cohort,
    propose_annual_plan,
    remove_participant,
    set_patient_hotel,
    start_cohort,
)
from painrehab.programmes.services.follow_ups import (
    FollowUpNeedsConfirmation,
    book_group_follow_up,
)
from painrehab.programmes.services.scheduling import schedule_cohort
from painrehab.programmes.services.templates import ensure_default_templates


@staff_view()
def index(request: StaffRequest) -> HttpResponse:
    unit_id = request.membership.unit_id
    ensure_default_templates(unit_id)
    today = timezone.localdate()
    cohorts = (
        Cohort.objects.filter(unit=unit_id, end__gte=today)
        .select_related("template")
        .annotate(participant_count=Count("participants"))
        .order_by("start", "pk")
    )
    waiting = programme_candidates(unit=unit_id, today=today).count()
    return render(
        request,
        "programmes/index.html",
        {
            "cohorts": cohorts,
            "waiting": waiting,
            "today": today,
            "may_run_programme": may(request.membership, Permission.RUN_PROGRAMME),
        },
    )


@staff_view(Permission.RUN_PROGRAMME)
def new_cohort(request: StaffRequest) -> HttpResponse:
    unit_id = request.membership.unit_id
    ensure_default_templates(unit_id)
    form = CohortForm(request.POST or None, unit_id=unit_id)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = create_cohort(
                by=request.membership,
                template=form.cleaned_data["template"],
                start=form.cleaned_data["start"],
                name=form.cleaned_data["name"],
            )
        except ProgrammeRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The programme is created."))
            return redirect(cohort)
    return render(request, "programmes/cohort_form.html", {"form": form})


@staff_view(Permission.MANAGE_UNIT)
def annual_plan(request: StaffRequest) -> HttpResponse:
    unit_id = request.membership.unit_id
    ensure_default_templates(unit_id)
    data = request.POST or request.GET or None
    form = AnnualPlanForm(
        data, unit_id=unit_id, initial={"year": timezone.localdate().year + 1}
    )
    plan = None
    if data is not None and form.is_valid():
        template, year = form.cleaned_data["template"], form.cleaned_data["year"]
        count = form.cleaned_data["count"]
        if request.method == "POST":
            try:
                created = create_annual_plan(
                    by=request.membership, template=template, year=year, count=count
                )
            except ProgrammeRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s programme was created.",
                        "%(count)s programmes were created.",
                        len(created),
                    )
                    % {"count": len(created)},
                )
                return redirect("programmes:index")
        names = swedish_closed_days(date(year, 1, 1), date(year, 12, 31))
        plan = [
            (programme, [(day, names[day]) for day in programme.closed])
            for programme in propose_annual_plan(
                template=template, year=year, count=count
            )
        ]
    return render(request, "programmes/annual_plan.html", {"form": form, "plan": plan})


def _render_cohort(
    request: StaffRequest,
    cohort: Cohort,
    *,
    conflicts: tuple[str, ...] = (),
    proven: bool = True,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    rows = cohort_participants(cohort)
    candidates = list(programme_candidates(unit=cohort.unit_id, today=today))
    template = cohort.template
    capacity = capacity_check(
        participants=len(rows),
        minimum=template.min_participants,
        maximum=template.max_participants,
    )
    audit_view(
        request.membership,
        patients=[r.patient.pk for r in rows] + [e.patient_id for e in candidates],
        what="cohort page",
        obj=cohort,
    )
    minutes = [
        (Profession(profession).label, total)
        for profession, total in cohort_staff_minutes(cohort)
    ]
    return render(
        request,
        "programmes/cohort_detail.html",
        {
            "cohort": cohort,
            "rows": rows,
            "candidates": candidates,
            "capacity": capacity,
            "full": capacity.participants >= template.max_participants,
            "conflicts": conflicts,
            "proven": proven,
            "staff_minutes": minutes,
            "sessions": cohort.sessions.count(),
            "follow_ups": group_follow_ups(cohort),
            "today": today,
            "may_run_programme": may(request.membership, Permission.RUN_PROGRAMME),
            "may_manage_unit": may(request.membership, Permission.MANAGE_UNIT),
        },
        status=status,
    )


@staff_view()
def cohort_detail(request: StaffRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort(request.membership, cohort_id)
    return _render_cohort(request, cohort)


@staff_view(Permission.RUN_PROGRAMME)
def group_follow_up(
    request: StaffRequest, cohort_id: int, item_key: str
) -> HttpResponse:
    """Book a KRT group follow-up as a session of the cohort, on the proposed day."""
    cohort = get_cohort(request.membership, cohort_id)
    proposal = next((f for f in group_follow_ups(cohort) if f.key == item_key), None)
    if proposal is None:
        raise Http404
    if proposal.session is not None:
        return redirect("programmes:session", session_id=proposal.session.pk)
    form = GroupFollowUpForm(
        request.POST or None,
        unit_id=cohort.unit_id,
        on=proposal.window.due_on,
        initial={"day": proposal.window.due_on, "start": time(10, 0)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            book_group_follow_up(
                by=request.membership,
                cohort=cohort,
                item_key=item_key,
                day=data["day"],
                start=data["start"],
                minutes=data["minutes"],
                room=data["room"],
                place=data["place"],
                staff=list(data["staff"]),
                confirmed=data["confirm_time"],
            )
        except FollowUpNeedsConfirmation as question:
            form.ask_to_confirm(question.message)
        except ProgrammeRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("The group follow-up is booked."))
            return redirect(cohort)
    return render(
        request,
        "programmes/group_follow_up.html",
        {"cohort": cohort, "proposal": proposal, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_view(Permission.RUN_PROGRAMME)
def add(request: StaffRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort(request.membership, cohort_id)
    candidates = programme_candidates(unit=cohort.unit_id, today=timezone.localdate())
    form = AddParticipantForm(request.POST, candidates=candidates)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(cohort)
    try:
        added = add_participant(
            by=request.membership,
            cohort=cohort,
            episode=form.cleaned_data["episode"],
            needs_patient_hotel=form.cleaned_data["needs_patient_hotel"],
            over_capacity_reason=form.cleaned_data["over_capacity_reason"],
        )
    except ProgrammeRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(cohort)
    patient = added.participant.episode.patient
    messages.success(
        request,
        _("%(name)s has a place in the programme.") % {"name": patient.full_name},
    )
    if added.capacity.status == Capacity.TOO_FEW:
        messages.warning(request, _capacity_warning(added.capacity.minimum))
    return redirect(cohort)


def _capacity_warning(minimum: int) -> str:
    return _("Fewer participants than the usual least of %(minimum)s.") % {
        "minimum": minimum
    }


@require_POST
@staff_view(Permission.RUN_PROGRAMME)
def remove(request: StaffRequest, participant_id: int) -> HttpResponse:
    participant = get_participant(request.membership, participant_id)
    cohort = participant.cohort
    try:
        remove_participant(by=request.membership, participant=participant)
    except ProgrammeRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The place is taken back."))
    return redirect(cohort)


@require_POST
@staff_view(Permission.RUN_PROGRAMME)
def hotel(request: StaffRequest, participant_id: int) -> HttpResponse:
    participant = get_participant(request.membership, participant_id)
    form = PatientHotelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the patient needs the hotel."))
        return redirect(participant.cohort)
    set_patient_hotel(
        by=request.membership,
        participant=participant,
        needs_patient_hotel=form.cleaned_data["needs_patient_hotel"],
    )
    return redirect(participant.cohort)


@require_POST
@staff_view(Permission.RUN_PROGRAMME)
def schedule(request: StaffRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort(request.membership, cohort_id)
    try:
        result = schedule_cohort(by=request.membership, cohort=cohort)
    except ProgrammeRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(cohort)
    if not result.ok:
        return _render_cohort(
            request, cohort, conflicts=result.conflicts, proven=result.proven
        )
    messages.success(
        request,
        ngettext(
            "The schedule is made: %(count)s session.",
            "The schedule is made: %(count)s sessions.",
            result.created + result.kept,
        )
        % {"count": result.created + result.kept},
    )
    return redirect("programmes:cohort_week", cohort_id=cohort.pk)


@require_POST
@staff_view(Permission.RUN_PROGRAMME)
def start(request: StaffRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort(request.membership, cohort_id)
    try:
        started = start_cohort(by=request.membership, cohort=cohort)
    except ProgrammeRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(cohort)
    if started.moved:
        messages.success(
            request,
            ngettext(
                "%(count)s participant moved to the group programme.",
                "%(count)s participants moved to the group programme.",
                len(started.moved),
            )
            % {"count": len(started.moved)},
        )
    for participant, reason in started.skipped:
        messages.warning(
            request,
            _("%(name)s did not start: %(reason)s")
            % {"name": participant.episode.patient.full_name, "reason": reason},
        )
    return redirect(cohort)


@staff_view(Permission.RUN_PROGRAMME)
def warning_letter(request: StaffRequest, participant_id: int) -> HttpResponse:
    participant = get_participant(request.membership, participant_id)
    if request.method == "POST":
        context = absence_warning_context(
            participant=participant, today=timezone.localdate()
        )
        try:
            drafted = draft_letter(
                by=request.membership,
                episode=participant.episode,
                kind=LetterKind.ABSENCE_WARNING,
                extra=context,
            )
        except LetterRefused as refusal:
            messages.error(request, refusal.message)
        else:
            return redirect(drafted)
    letter = absence_warning(participant=participant, today=timezone.localdate())
    record(
        by=request.user,
        unit=request.membership.unit_id,
        action=Action.VIEW,
        patients=[participant.episode.patient_id],
        obj=participant,
        what="absence warning letter",
    )
    return render(
        request,
        "programmes/absence_warning.html",
        {"participant": participant, "letter": letter},
    )
