"""The unit's programme settings: templates, rooms, staff hours and absences."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.core.forms import pressed
from painrehab.programmes import scheduler as cp
from painrehab.programmes.access import get_member, get_room, get_template
from painrehab.programmes.forms import (
    AbsenceForm,
    AvailabilityForm,
    RoomForm,
    TemplateSettingsForm,
    format_ranges,
)
from painrehab.programmes.models import (
    Room,
    StaffAbsence,
    StaffAvailability,
    full_patient_day,
)
from painrehab.programmes.services import ProgrammeRefused
from painrehab.programmes.services.setup import (
    add_absence,
    save_availability,
    save_room,
    save_template_settings,
)
from painrehab.programmes.services.templates import ensure_default_templates


def hours_label(hours: dict[str, list[list[str]]] | None) -> list[str]:
    """ "Mon 08:00-16:00"-style lines of stored hours, Monday first."""
    if hours is None:
        return []
    return [
        f"{WEEKDAYS_ABBR[int(day)]} {format_ranges(ranges)}"
        for day, ranges in sorted(hours.items())
    ]


@staff_view()
def templates(request: StaffRequest) -> HttpResponse:
    rows = ensure_default_templates(request.membership.unit_id)
    return render(request, "programmes/templates.html", {"templates": rows})


@staff_view()
def template_detail(request: StaffRequest, template_id: int) -> HttpResponse:
    template = get_template(request.membership, template_id)
    can_edit = may(request.membership, Permission.MANAGE_UNIT)
    form = TemplateSettingsForm(
        request.POST if request.method == "POST" and can_edit else None,
        instance=template,
    )
    if request.method == "POST" and can_edit and form.is_valid():
        try:
            save_template_settings(
                by=request.membership,
                template=template,
                **{field: form.cleaned_data[field] for field in form.Meta.fields},
            )
        except ProgrammeRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The template is saved."))
            return redirect("programmes:template", template_id=template.pk)
    return render(
        request,
        "programmes/template_detail.html",
        {
            "template": template,
            "activities": template.activities.order_by("position"),
            "form": form,
            "can_edit": can_edit,
        },
    )


@staff_view(Permission.MANAGE_UNIT)
def rooms(request: StaffRequest) -> HttpResponse:
    rows = [
        (room, hours_label(room.opening_hours))
        for room in Room.objects.filter(unit=request.membership.unit_id)
    ]
    return render(request, "programmes/rooms.html", {"rooms": rows})


@staff_view(Permission.MANAGE_UNIT)
def room_edit(request: StaffRequest, room_id: int | None = None) -> HttpResponse:
    room = get_room(request.membership, room_id) if room_id is not None else None
    form = RoomForm(request.POST or None, room=room)
    if request.method == "POST" and form.is_valid():
        try:
            save_room(
                by=request.membership,
                room=room,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                opening_hours=form.opening_hours(),
            )
        except ProgrammeRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The room is saved."))
            return redirect("programmes:rooms")
    return render(request, "programmes/room_form.html", {"form": form, "room": room})


@staff_view(Permission.MANAGE_UNIT)
def staff(request: StaffRequest) -> HttpResponse:
    members = (
        Membership.objects.filter(
            unit=request.membership.unit_id, profession__in=list(cp.PROFESSION_PLURALS)
        )
        .select_related("user", "programme_availability")
        .order_by("profession", "user__last_name")
    )
    today = timezone.localdate()
    absences: dict[int, list[StaffAbsence]] = {}
    for absence in StaffAbsence.objects.filter(
        membership__unit=request.membership.unit_id, last_day__gte=today
    ):
        absences.setdefault(absence.membership_id, []).append(absence)
    rows = []
    for member in members:
        availability = getattr(member, "programme_availability", None)
        rows.append(
            {
                "member": member,
                "takes_part": availability is None or availability.takes_part,
                "hours": hours_label(
                    availability.hours if availability else full_patient_day()
                ),
                "absences": absences.get(member.pk, []),
            }
        )
    return render(request, "programmes/staff.html", {"rows": rows})


@staff_view(Permission.MANAGE_UNIT)
def availability(request: StaffRequest, member_id: int) -> HttpResponse:
    member = get_member(request.membership, member_id)
    current = StaffAvailability.objects.filter(membership=member).first()
    hours = current.hours if current else full_patient_day()
    takes_part = current.takes_part if current else True
    posted = request.POST if request.method == "POST" else None
    which = pressed(request, ["hours", "absence"], name="form") if posted else None
    form = AvailabilityForm(
        posted if which == "hours" else None, hours=hours, takes_part=takes_part
    )
    absence_form = AbsenceForm(posted if which == "absence" else None)
    if which == "hours" and form.is_valid():
        save_availability(
            by=request.membership,
            member=member,
            takes_part=form.cleaned_data["takes_part"],
            hours=form.cleaned_hours(),
        )
        messages.success(request, _("The working hours are saved."))
        return redirect("programmes:staff")
    if which == "absence" and absence_form.is_valid():
        add_absence(by=request.membership, member=member, **absence_form.cleaned_data)
        messages.success(request, _("The absence is saved."))
        return redirect("programmes:availability", member_id=member.pk)
    return render(
        request,
        "programmes/availability.html",
        {
            "member": member,
            "form": form,
            "absence_form": absence_form,
            "absences": member.programme_absences.filter(
                last_day__gte=timezone.localdate()
            ),
        },
    )
