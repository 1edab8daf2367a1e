"""Week views (per cohort, staff member and room), calendar files, the printed
week schedule, single sessions and attendance."""

from datetime import date, timedelta

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.dates import week_monday
from painrehab.core.forms import WeekQuery, read_query
from painrehab.programmes.access import (
    get_cohort,
    get_member,
    get_room,
    get_session,
)
from painrehab.programmes.calendar import (
    CalendarEvent,
    ics_calendar,
    local_datetime,
)
from painrehab.programmes.forms import (
    AttendanceForm,
    DayQuery,
    ParticipantQuery,
    SessionForm,
)
from painrehab.programmes.models import Cohort, Session
from painrehab.programmes.printing import week_schedule_pdf
from painrehab.programmes.selectors import (
    attendance_sheet,
    audit_view,
    cohort_week,
    room_week,
    schedule_sessions,
    sessions_between,
    staff_calendar,
    staff_week,
)
from painrehab.programmes.services import ProgrammeRefused
from painrehab.programmes.services.attendance import record_attendance
from painrehab.programmes.services.sessions import change_session, unlock_session


def _monday(request: HttpRequest, default: date) -> date:
    """The Monday of `?vecka=`, else of `default`."""
    return week_monday(read_query(request, WeekQuery)["vecka"] or default)


def _cohort_default_week(cohort: Cohort) -> date:
    today = timezone.localdate()
    return today if cohort.runs_on(today) else cohort.start


@staff_view()
def cohort_week_view(request: StaffRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort(request.membership, cohort_id)
    week = cohort_week(
        cohort=cohort, monday=_monday(request, _cohort_default_week(cohort))
    )
    audit_view(
        request.membership, patients=week.patient_ids, what="cohort week", obj=cohort
    )
    programme_week = (week.monday - week_monday(cohort.start)).days // 7 + 1
    return render(
        request,
        "programmes/week.html",
        {
            "week": week,
            "cohort": cohort,
            "title": cohort.name,
            "tab": "index",
            "today": timezone.localdate(),
            "may_run_programme": may(request.membership, Permission.RUN_PROGRAMME),
            "programme_week": programme_week
            if 1 <= programme_week <= cohort.template.weeks
            else None,
        },
    )


@staff_view()
def staff_week_view(request: StaffRequest, member_id: int) -> HttpResponse:
    member = get_member(request.membership, member_id)
    week = staff_week(member=member, monday=_monday(request, timezone.localdate()))
    audit_view(
        request.membership, patients=week.patient_ids, what="staff week", obj=member
    )
    return render(
        request,
        "programmes/week.html",
        {
            "week": week,
            "member": member,
            "title": str(member.user),
            "tab": "my_week" if member.pk == request.membership.pk else "staff",
            "today": timezone.localdate(),
            "may_run_programme": may(request.membership, Permission.RUN_PROGRAMME),
        },
    )


@staff_view()
def my_week(request: StaffRequest) -> HttpResponse:
    return redirect("programmes:staff_week", member_id=request.membership.pk)


@staff_view()
def room_week_view(request: StaffRequest, room_id: int) -> HttpResponse:
    room = get_room(request.membership, room_id)
    week = room_week(
        room_id=room.pk,
        unit_id=room.unit_id,
        monday=_monday(request, timezone.localdate()),
    )
    audit_view(
        request.membership, patients=week.patient_ids, what="room week", obj=room
    )
    return render(
        request,
        "programmes/week.html",
        {
            "week": week,
            "room": room,
            "title": room.name,
            "tab": "rooms",
            "today": timezone.localdate(),
            "may_run_programme": may(request.membership, Permission.RUN_PROGRAMME),
        },
    )


def _session_event(session: Session) -> CalendarEvent:
    staff = ", ".join(str(booking.user) for booking in session.staff.all())
    return CalendarEvent(
        uid=f"session-{session.pk}@painrehab",
        start=local_datetime(session.date, session.start),
        end=local_datetime(session.date, session.end),
        summary=session.activity_name,
        location=session.place_label,
        description=f"{session.cohort.name}. {staff}" if staff else session.cohort.name,
    )


def _ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_view()
def cohort_ics(request: StaffRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort(request.membership, cohort_id)
    sessions = sessions_between(
        filters=Q(cohort=cohort), first=cohort.start, last=cohort.end
    )
    record(
        by=request.user,
        unit=request.membership.unit_id,
        action=Action.EXPORT,
        patients=cohort.participants.values_list("episode__patient_id", flat=True),
        obj=cohort,
        what="cohort calendar (ICS)",
    )
    text = ics_calendar(
        name=cohort.name,
        events=[_session_event(s) for s in sessions],
        stamp=timezone.now(),
    )
    return _ics_response(text, f"program-{cohort.pk}.ics")


@staff_view()
def staff_ics(request: StaffRequest, member_id: int) -> HttpResponse:
    member = get_member(request.membership, member_id)
    today = timezone.localdate()
    found = staff_calendar(
        member=member,
        first=today - timedelta(days=90),
        last=today + timedelta(days=365),
        for_screen=False,
    )
    events = [_session_event(s) for s in found.sessions]
    # Appointments and visits carry no patient name: the file leaves the system.
    events += [
        CalendarEvent(
            uid=f"appointment-{a.pk}@painrehab",
            start=a.starts_at,
            end=a.starts_at + timedelta(minutes=a.minutes),
            summary=_("Individual intervention (%(profession)s)")
            % {"profession": a.get_profession_display().lower()},
            location=a.get_mode_display(),
        )
        for a in found.appointments
    ]
    events += [
        CalendarEvent(
            uid=f"visit-{b.pk}@painrehab",
            start=b.starts_at,
            end=b.starts_at + timedelta(minutes=b.minutes),
            summary=b.get_kind_display(),
            location=b.get_mode_display(),
            description=", ".join(
                str(u) for u in (b.staff, b.second_staff) if u is not None
            ),
        )
        for b in found.visits
    ]
    record(
        by=request.user,
        unit=request.membership.unit_id,
        action=Action.EXPORT,
        obj=member,
        what="staff calendar (ICS)",
    )
    text = ics_calendar(name=str(member.user), events=events, stamp=timezone.now())
    return _ics_response(text, f"personal-{member.pk}.ics")


@staff_view()
def week_pdf(request: StaffRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort(request.membership, cohort_id)
    monday = _monday(request, _cohort_default_week(cohort))
    participant = None
    query = ParticipantQuery(request.GET)
    if query.problems():  # a participant's own schedule, or none at all
        raise Http404
    if chosen := query.values()["deltagare"]:
        participant = get_object_or_404(
            cohort.participants.select_related("episode__patient"), pk=chosen
        )
    sessions = schedule_sessions(cohort=cohort, monday=monday, participant=participant)
    pdf = week_schedule_pdf(
        cohort=cohort, monday=monday, sessions=sessions, participant=participant
    )
    record(
        by=request.user,
        unit=request.membership.unit_id,
        action=Action.PRINT,
        patients=[participant.episode.patient_id] if participant else [],
        obj=cohort,
        what="week schedule (PDF)",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="veckoschema-{cohort.pk}-{monday.isoformat()}.pdf"'
    )
    return response


@staff_view(Permission.RUN_PROGRAMME)
def session_edit(request: StaffRequest, session_id: int) -> HttpResponse:
    session = get_session(request.membership, session_id)
    initial = {
        "date": session.date,
        "start": session.start,
        "room": session.room,
        "place": session.place,
        # Of any period: the session's staff are shown even when their access
        # does not cover today.
        "staff": Membership.all_periods.filter(
            unit=session.unit_id, user__in=session.staff.values("user")
        ),
    }
    form = SessionForm(
        request.POST or None,
        unit_id=session.unit_id,
        on=session.date,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change_session(
                by=request.membership,
                session=session,
                day=data["date"],
                start=data["start"],
                room=data["room"],
                place=data["place"],
                staff=list(data["staff"]),
            )
        except ProgrammeRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("The session is changed and locked."))
            return redirect(
                f"{_week_url(session.cohort_id)}?vecka={session.date.isoformat()}"
            )
    patients = list(session.participants.values_list("episode__patient_id", flat=True))
    audit_view(request.membership, patients=patients, what="session", obj=session)
    return render(
        request, "programmes/session_form.html", {"session": session, "form": form}
    )


def _week_url(cohort_id: int) -> str:
    return reverse("programmes:cohort_week", kwargs={"cohort_id": cohort_id})


@require_POST
@staff_view(Permission.RUN_PROGRAMME)
def session_unlock(request: StaffRequest, session_id: int) -> HttpResponse:
    session = get_session(request.membership, session_id)
    unlock_session(by=request.membership, session=session)
    messages.success(request, _("The session is unlocked."))
    return redirect(f"{_week_url(session.cohort_id)}?vecka={session.date.isoformat()}")


@staff_view(Permission.RUN_PROGRAMME)
def attendance(request: StaffRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort(request.membership, cohort_id)
    today = timezone.localdate()
    wanted = read_query(request, DayQuery)["dag"]
    sheet = attendance_sheet(cohort=cohort, wanted=wanted, today=today)
    form = AttendanceForm(request.POST or None, cells=sheet.cells)
    if request.method == "POST" and sheet.editable and form.is_valid():
        try:
            with transaction.atomic():
                changed = sum(
                    record_attendance(
                        by=request.membership, session=session, statuses=statuses
                    )
                    for session, statuses in form.statuses().items()
                )
        except ProgrammeRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("Attendance saved (%(count)s changed).") % {"count": changed},
            )
            return redirect(f"{request.path}?dag={sheet.day}")
    audit_view(
        request.membership,
        patients=[row.patient.pk for row in sheet.rows],
        what="attendance",
        obj=cohort,
    )
    return render(
        request,
        "programmes/attendance.html",
        {"cohort": cohort, "sheet": sheet, "form": form, "table": form.table(sheet)},
    )
