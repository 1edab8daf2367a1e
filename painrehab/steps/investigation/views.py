"""The team investigation: each profession's record and the booked visits."""

from datetime import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.accounts.team import bookable_staff
from painrehab.core.history import StaleEdit
from painrehab.core.panels import PATIENT_PAGE, render_panels
from painrehab.core.refusals import refusal_text
from painrehab.pathway.access import get_booking_for_user, get_episode_for_user
from painrehab.pathway.busy import NeedsConfirmation
from painrehab.pathway.forms import (
    InvestigationBookingForm,
    InvestigationRecordForm,
)
from painrehab.pathway.models import Episode
from painrehab.pathway.states import TransitionRefused
from painrehab.steps.investigation.selectors import (
    InvestigationPage,
    investigation_page,
)
from painrehab.steps.investigation.services import (
    mark_visit_held,
    save_investigation_record,
)
from painrehab.steps.new_visit.services import book_investigation_visit


@staff_view()
def investigation(request: StaffRequest, episode_id: int) -> HttpResponse:
    """Every profession's findings; the user's own profession's record is editable."""
    episode = get_episode_for_user(
        request.membership, episode_id, what="team investigation"
    )
    page = investigation_page(episode=episode, membership=request.membership)
    errors: list[str] = []
    if request.method == "POST" and may(
        request.membership, Permission.RECORD_INVESTIGATION
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
        staff=bookable_staff(unit_id=episode.unit_id), prefix="book"
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
        request.POST, staff=bookable_staff(unit_id=episode.unit_id), prefix="book"
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
            # Beside the field it names (a staff member without access on
            # the day), else above the form; what was typed stays.
            form.add_error(refusal.field, refusal.message)
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
                            staff=bookable_staff(unit_id=episode.unit_id), prefix="book"
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


@require_POST
@staff_view(Permission.MANAGE_WAITING_LIST)
def visit_held(request: StaffRequest, booking_id: int) -> HttpResponse:
    """The investigation visit took place (from the episode page)."""
    booking = get_booking_for_user(
        request.membership, booking_id, what="booking outcome"
    )
    try:
        mark_visit_held(by=request.membership, booking=booking)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The visit is marked held."))
    return redirect(booking.episode)
