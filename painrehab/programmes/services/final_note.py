"""What the final note to the referrer says of attendance (seed 1 §9.3
"Programavslut", §10): the facts handed to the letter as plain numbers."""

from painrehab.documents.letter_values import AttendanceFacts
from painrehab.pathway.models import Episode
from painrehab.pathway.states import State
from painrehab.programmes.models import Appointment, CohortParticipant
from painrehab.programmes.rules import AbsenceRate
from painrehab.programmes.selectors import absence_rates


def attendance_for_the_final_note(*, episode: Episode) -> AttendanceFacts | None:
    """The group programme's recorded sessions attended of those recorded, or
    individual rehabilitation's appointments held of those held or missed
    (a cancelled one counts in neither); None when the patient is in neither.
    Read before the episode leaves the rehabilitation step."""
    if episode.state == State.GROUP_PROGRAMME:
        participant = (
            CohortParticipant.objects.filter(episode=episode)
            .order_by("-cohort__start")
            .first()
        )
        if participant is None:
            return None
        rate = absence_rates([participant.pk]).get(participant.pk, AbsenceRate())
        return AttendanceFacts(
            attended=rate.present, planned=rate.recorded, excused=rate.excused
        )
    if episode.state != State.INDIVIDUAL_REHABILITATION:
        return None
    statuses = list(
        Appointment.objects.filter(episode=episode).values_list("status", flat=True)
    )
    held = statuses.count(Appointment.Status.HELD)
    missed = statuses.count(Appointment.Status.NO_SHOW)
    return AttendanceFacts(attended=held, planned=held + missed, individual=True)
