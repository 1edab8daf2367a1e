"""The printed week schedule for patients (PDF through the letters' renderer)."""

from datetime import date

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from painrehab.documents.render import Letterhead, Section, render_document_pdf
from painrehab.programmes.models import Cohort, CohortParticipant, Session


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
        about += "\n" + _("Schedule for %(name)s.") % {
            "name": participant.episode.patient.full_name
        }
    sections: list[Section] = [(cohort.name, about), *_days(sessions)]
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


def _days(sessions: list[Session]) -> list[Section]:
    # The first column is the widest in the renderer's tables: the activity.
    header = [_("Activity"), _("Time of day"), _("Place")]
    by_day: dict[date, list[list[str]]] = {}
    for session in sessions:
        by_day.setdefault(session.date, []).append(
            [
                session.activity_name,
                f"{session.start:%H:%M}–{session.end:%H:%M}",
                session.place_label or "–",
            ]
        )
    return [
        (formats.date_format(day, "l j F").capitalize(), "", [header, *rows])
        for day, rows in sorted(by_day.items())
    ]
