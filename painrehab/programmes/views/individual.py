"""Individual interventions of an episode and the §10.3 check of their rate."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.pathway.access import get_episode_for_user
from painrehab.programmes.access import get_appointment
from painrehab.programmes.calendar import local_datetime
from painrehab.programmes.forms import AppointmentForm, AppointmentStatusForm
from painrehab.programmes.models import Appointment
from painrehab.programmes.selectors import individual_summary
from painrehab.programmes.services import ProgrammeRefused
from painrehab.programmes.services.appointments import (
    APPOINTMENT_STATES,
    AppointmentNeedsConfirmation,
    book_appointment,
    set_appointment_status,
)


@staff_view()
def appointments(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(
        request.membership, episode_id, what="individual interventions"
    )
    can_book = may(request.membership, Permission.RUN_PROGRAMME)
    form = AppointmentForm(
        request.POST if request.method == "POST" and can_book else None,
        unit_id=episode.unit_id,
        initial={"day": timezone.localdate()},
    )
    if request.method == "POST" and can_book and form.is_valid():
        data = form.cleaned_data
        try:
            book_appointment(
                by=request.membership,
                episode=episode,
                staff=data["staff"],
                starts_at=local_datetime(data["day"], data["start"]),
                minutes=data["minutes"],
                mode=data["mode"],
                note=data["note"],
                confirmed=data["confirm_time"],
            )
        except AppointmentNeedsConfirmation as question:
            form.ask_to_confirm(question.message)
        except ProgrammeRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("The appointment is booked."))
            return redirect("programmes:appointments", episode_id=episode.pk)
    summary = individual_summary(episode=episode, today=timezone.localdate())
    return render(
        request,
        "programmes/appointments.html",
        {
            "episode": episode,
            "summary": summary,
            "form": form,
            "can_book": can_book and episode.state in APPOINTMENT_STATES,
            "may_run_programme": can_book,
            "statuses": Appointment.Status.choices,
        },
    )


@require_POST
@staff_view(Permission.RUN_PROGRAMME)
def appointment_status(request: StaffRequest, appointment_id: int) -> HttpResponse:
    appointment = get_appointment(request.membership, appointment_id)
    form = AppointmentStatusForm(request.POST)
    if form.is_valid():
        try:
            set_appointment_status(
                by=request.membership,
                appointment=appointment,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
            )
        except ProgrammeRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The appointment is updated."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("programmes:appointments", episode_id=appointment.episode_id)
