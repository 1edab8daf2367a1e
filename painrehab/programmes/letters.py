"""The absence warning letter (seed 0 §12.1: a patient whose absence keeps
them from benefiting is warned before discharge).

The letters engine (painrehab.documents) owns letters; until it has a kind
for this one, this module gives the default text and its context. The text is
Swedish unit data, like the letters engine's shipped defaults, not a gettext
message: a unit may change it.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template import Context, Template

from painrehab.documents.defaults import DEFAULT_TEMPLATES
from painrehab.documents.models import LetterKind
from painrehab.programmes.models import Attendance, CohortParticipant
from painrehab.programmes.rules import AbsenceRate
from painrehab.programmes.selectors import absence_rates

# The letter text lives with the other letter texts (documents.defaults); the
# letters engine drafts it with `absence_warning_context` as extra context.
ABSENCE_WARNING = DEFAULT_TEMPLATES[LetterKind.ABSENCE_WARNING]


@dataclass(frozen=True)
class WarningLetter:
    subject: str
    body: str
    context: dict[str, Any]


def absence_warning_context(
    *, participant: CohortParticipant, today: date
) -> dict[str, Any]:
    """What the absence warning names: the patient, the programme, the rate
    and the sessions missed up to `today`."""
    cohort = participant.cohort
    rate = absence_rates([participant.pk]).get(participant.pk, AbsenceRate())
    missed = [
        attendance.session
        for attendance in participant.attendance.filter(
            status__in=[Attendance.Status.ABSENT, Attendance.Status.EXCUSED],
            session__date__lte=today,
        )
        .select_related("session")
        .order_by("session__date", "session__start")
    ]
    return {
        "patient": participant.episode.patient,
        "episode": participant.episode,
        "unit": cohort.unit,
        "cohort": cohort,
        "rate": rate,
        "threshold_percent": cohort.template.absence_threshold_percent,
        "missed": missed,
        "today": today,
    }


def absence_warning(*, participant: CohortParticipant, today: date) -> WarningLetter:
    """The absence warning's subject and body, filled in for `participant`."""
    context = absence_warning_context(participant=participant, today=today)
    return WarningLetter(
        subject=Template(ABSENCE_WARNING["subject"]).render(Context(context)),
        body=Template(ABSENCE_WARNING["body"])
        .render(Context(context, autoescape=False))
        .strip(),
        context=context,
    )
