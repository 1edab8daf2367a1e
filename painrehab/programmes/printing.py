"""The printed week schedule for patients (PDF through the letters' renderer)."""

from datetime import date

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from painrehab.accounts.models import CareUnit
from painrehab.documents.render import Letterhead, Section, render_document_pdf
from painrehab.patients.models import Patient
from painrehab.programmes.models import Cohort, CohortParticipant, Session

UNKNOWN_PLACE = "–"


def week_schedule_pdf(
    *,
    cohort: Cohort,
    monday: date,
    sessions: list[Session],
    participant: CohortParticipant | None,
) -> bytes:
    """One week of `sessions` as an A4 schedule, a table per day: the whole
    group's (with a note on individual times), or one participant's own."""
    week = (monday - cohort.start).days // 7 + 1
    about = _("Programme week %(week)s of %(weeks)s, %(first)s – %(last)s.") % {
        "week": week,
        "weeks": cohort.template.weeks,
        "first": cohort.start.isoformat(),
        "last": cohort.end.isoformat(),
    }
    if participant is not None:
        patient = participant.episode.patient
        about += "\n" + _("Schedule for %(name)s.") % {"name": patient.full_name}
        interpreter = interpreter_note(patient)
        if interpreter:
            about += "\n" + interpreter
    unit_address = unit_place(cohort.unit)
    sections: list[Section] = [
        (cohort.name, about),
        *_days(sessions, unit_address=unit_address),
    ]
    if len(sections) == 1:
        sections.append((_("No scheduled sessions this week"), ""))
    if participant is None:
        sections.append(
            (
                _("Individual times"),
                _(
                    "Individual appointments and training in small groups are "
                    "given to each participant."
                ),
            )
        )
    return render_document_pdf(
        letterhead=Letterhead(
            unit_name=cohort.unit.name,
            address_lines=cohort.unit.letterhead_address.splitlines(),
            phone=cohort.unit.phone,
        ),
        title=_("Week schedule, week %(week)s") % {"week": monday.isocalendar()[1]},
        sections=sections,
        date=timezone.localdate(),
    )


def unit_place(unit: CareUnit) -> str:
    """The unit's address on one line, where its own rooms are."""
    lines = [line.strip() for line in unit.letterhead_address.splitlines()]
    return ", ".join(line for line in lines if line)


def session_place(session: Session, *, unit_address: str) -> str:
    """Where the patient goes: the session's room or place; an individual
    appointment with no room is held at the unit, at its address; else
    unknown ("–")."""
    if session.place_label:
        return session.place_label
    if session.attendees == Session.Attendees.INDIVIDUAL and unit_address:
        return unit_address
    return UNKNOWN_PLACE


def interpreter_note(patient: Patient) -> str:
    """For a patient who needs an interpreter: that the unit books one for
    the scheduled times, as the letters say it; empty otherwise."""
    if not patient.needs_interpreter or not patient.interpreter_language:
        return ""
    return _("An interpreter in %(language)s is booked by the unit for your times.") % {
        "language": patient.interpreter_language
    }


def _days(sessions: list[Session], *, unit_address: str) -> list[Section]:
    # The first column is the widest in the renderer's tables: the activity.
    header = [_("Activity"), _("Time of day"), _("Place")]
    by_day: dict[date, list[list[str]]] = {}
    for session in sessions:
        by_day.setdefault(session.date, []).append(
            [
                session.activity_name,
                f"{session.start:%H:%M}–{session.end:%H:%M}",
                session_place(session, unit_address=unit_address),
            ]
        )
    return [
        (formats.date_format(day, "l j F").capitalize(), "", [header, *rows])
        for day, rows in sorted(by_day.items())
    ]
