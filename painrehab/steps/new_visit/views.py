from datetime import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.core.forms import pressed
from painrehab.core.history import StaleEdit
from painrehab.pathway.access import get_booking_for_user, get_episode_for_user
from painrehab.pathway.busy import NeedsConfirmation
from painrehab.pathway.forms import (
    AbsenceForm,
    BookingForm,
    MoveBookingForm,
    NewVisitForm,
)
from painrehab.pathway.models import Booking, Episode
from painrehab.pathway.states import State, TransitionRefused
from painrehab.steps.episodes.selectors import episode_overview
from painrehab.steps.new_visit.services import (
    book_interpreter,
    book_new_visit,
    mark_invitation_sent,
    move_booking,
    record_absence,
    record_new_visit,
)


@staff_view(Permission.MANAGE_WAITING_LIST)
def book(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(request.membership, episode_id, what="book visit")
    triage = getattr(episode, "triage", None)
    kind = (
        Booking.Kind.RETURN_VISIT
        if episode.state == State.NEW_VISIT
        else Booking.Kind.NEW_VISIT
    )
    screening = (
        triage.screening_profession
        if triage is not None and kind == Booking.Kind.NEW_VISIT
        else ""
    )
    form = BookingForm(
        request.POST or None, unit_id=episode.unit_id, screening=screening
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(datetime.combine(data["day"], data["start"]))
        try:
            book_new_visit(
                by=request.membership,
                episode=episode,
                starts_at=starts_at,
                physician=data["physician"],
                second_staff=data.get("second_staff"),
                mode=data["mode"],
                minutes=data["minutes"],
                kind=kind,
                confirmed=data["confirm_time"],
            )
        except NeedsConfirmation as question:
            form.ask_to_confirm(question.message)
        except TransitionRefused as refusal:
            # Beside the field it names (a staff member without access on
            # the day), else above the form; what was typed stays.
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("The visit is booked."))
            return redirect(episode)
    return render(
        request,
        "pathway/booking_form.html",
        {"episode": episode, "form": form, "kind": Booking.Kind(kind)},
    )


@require_POST
@staff_view(Permission.MANAGE_WAITING_LIST)
def invitation_sent(request: StaffRequest, booking_id: int) -> HttpResponse:
    booking = get_booking_for_user(request.membership, booking_id, what="invitation")
    mark_invitation_sent(by=request.membership, booking=booking)
    if request.htmx:
        return _bookings_part(
            request, booking.episode, _("The invitation is marked as sent.")
        )
    messages.success(request, _("The invitation is marked as sent."))
    if pressed(request, ["episode"], name="next") == "episode":
        return redirect(booking.episode)
    return redirect("home")


@require_POST
@staff_view(Permission.MANAGE_WAITING_LIST)
def absence(request: StaffRequest, booking_id: int) -> HttpResponse:
    booking = get_booking_for_user(
        request.membership, booking_id, what="booking outcome"
    )
    try:
        record_absence(
            by=request.membership,
            booking=booking,
            status=_absence_kind(request),
        )
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Recorded: %(status)s.") % {"status": booking.get_status_display()},
        )
    return redirect(booking.episode)


def _absence_kind(request: StaffRequest) -> str:
    """The kind of absence chosen; "" (refused by the service, in words) when
    it is none of the choices."""
    form = AbsenceForm(request.POST)
    return form.cleaned_data["status"] if form.is_valid() else ""


@require_POST
@staff_view(Permission.MANAGE_WAITING_LIST)
def interpreter(request: StaffRequest, booking_id: int) -> HttpResponse:
    """The interpreter is booked for the visit, or the booking is confirmed."""
    booking = get_booking_for_user(request.membership, booking_id, what="interpreter")
    try:
        book_interpreter(
            by=request.membership,
            booking=booking,
            confirmed=pressed(request, ["1"], name="confirmed") == "1",
        )
    except TransitionRefused as refusal:
        notice, refused = refusal.message, True
    else:
        notice, refused = _("The interpreter is recorded on the visit."), False
    if request.htmx:
        return _bookings_part(request, booking.episode, notice, refused=refused)
    (messages.error if refused else messages.success)(request, notice)
    return redirect(booking.episode)


def _bookings_part(
    request: StaffRequest,
    episode: Episode,
    notice: StrOrPromise,
    *,
    refused: bool = False,
) -> HttpResponse:
    """With htmx, the episode page's bookings (and its clock) alone: a note
    being typed for the next step stays on the screen."""
    overview = episode_overview(
        episode=episode, membership=request.membership, today=timezone.localdate()
    )
    context = {**overview, "notice": notice, "notice_is_error": refused}
    return HttpResponse(
        render_to_string("pathway/_episode_bookings.html", context, request)
        + render_to_string(
            "pathway/_episode_clock.html", {**context, "oob": True}, request
        )
    )


@staff_view(Permission.RECORD_NEW_VISIT)
def new_visit(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(
        request.membership, episode_id, what="new visit record"
    )
    form = NewVisitForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            _visit, letters, problems = record_new_visit(
                by=request.membership, episode=episode, **form.cleaned_data
            )
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The new visit is recorded."))
            for problem in problems:
                messages.warning(request, problem)
            return redirect(letters[0] if letters else episode)
    return render(
        request, "pathway/new_visit_form.html", {"episode": episode, "form": form}
    )


@staff_view(Permission.MANAGE_WAITING_LIST)
def move(request: StaffRequest, booking_id: int) -> HttpResponse:
    """Move a booked visit; the old time's letters are redrafted or marked."""
    booking = get_booking_for_user(request.membership, booking_id, what="move booking")
    starts = timezone.localtime(booking.starts_at)
    form = MoveBookingForm(
        request.POST or None,
        initial={
            "version": booking.version,
            "day": starts.date(),
            "start": starts.time(),
            "minutes": booking.minutes,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            move_booking(
                by=request.membership,
                booking=booking,
                starts_at=timezone.make_aware(
                    datetime.combine(data["day"], data["start"])
                ),
                minutes=data["minutes"],
                expected_version=data["version"],
                confirmed=data["confirm_time"],
            )
        except NeedsConfirmation as question:
            form.ask_to_confirm(question.message)
        except (TransitionRefused, StaleEdit) as refusal:
            form.add_error(None, getattr(refusal, "message", str(refusal)))
        else:
            messages.success(
                request,
                _("The visit is moved; write the new invitation to the patient."),
            )
            return redirect(booking.episode)
    return render(
        request,
        "pathway/booking_move.html",
        {"booking": booking, "episode": booking.episode, "form": form},
        status=400 if form.errors else 200,
    )
