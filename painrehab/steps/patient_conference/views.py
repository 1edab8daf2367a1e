"""The weekly patient conference: the agenda and the minutes per patient."""

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.core.dates import week_monday
from painrehab.core.forms import WeekQuery, read_query
from painrehab.pathway.access import get_episode_for_user
from painrehab.pathway.forms import ConferenceNoteForm
from painrehab.pathway.models import PatientConferenceNote
from painrehab.pathway.states import TransitionRefused
from painrehab.steps.patient_conference.selectors import patient_conference_agenda
from painrehab.steps.patient_conference.services import write_conference_note


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
