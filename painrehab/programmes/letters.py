"""The absence warning letter (seed 0 §12.1: a patient whose absence keeps
them from benefiting is warned before discharge).

The letters engine (painrehab.documents) owns the text, which a unit may
change; this module gathers what the letter names (the programme group, the
absence so far, the sessions missed) and shows the letter filled in.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from painrehab.documents.letter_values import letter_facts, letter_values
from painrehab.documents.models import LetterKind
from painrehab.documents.placeholders import fill
from painrehab.documents.services import active_template
from painrehab.programmes.models import Attendance, CohortParticipant
from painrehab.programmes.rules import AbsenceRate
from painrehab.programmes.selectors import absence_rates


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
    values = letter_values(
        letter_facts(episode=participant.episode, extra=context, today=today)
    )
    text = active_template(
        unit_id=participant.cohort.unit_id, kind=LetterKind.ABSENCE_WARNING
    )
    return WarningLetter(
        subject=fill(text["subject"], values),
        body=fill(text["body"], values),
        context=context,
    )
