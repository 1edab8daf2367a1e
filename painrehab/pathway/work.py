"""Whose work an item is, and when it is due: the worklist's rules as plain functions.

The worklist (`worklist.py`) reads the rows; these functions decide, from
plain values, which profession or staff member an item falls to, on which
day it is due and in which section of the start page it is shown: "today
and overdue", or "the coming 14 days". Nothing further ahead is shown, so a
worklist is a day's work and the fortnight after it (issue 16).
"""

from datetime import date, timedelta
from enum import StrEnum

from painrehab.accounts.permissions import Profession
from painrehab.pathway.clocks import GOAL_DAYS, INVITATION_DAYS_BEFORE
from painrehab.pathway.models import Booking, Goal, GoalEvaluation

HORIZON_DAYS = 14
# A drafted letter should be finalised within a week, a final one sent the
# next working day (unit routine).
LETTER_DAYS = 7
SEND_DAYS = 1
TRIAGE_DAYS = 7  # a referral should be triaged within a week of arriving
# The new visit is held within 60 days of the referral (seed 1 §5.2) and the
# invitation goes out four weeks before it, so the visit is booked by day 32.
BOOK_DAYS = GOAL_DAYS - INVITATION_DAYS_BEFORE
PLAN_DAYS = 21  # the planning meeting's plan, three weeks after the decision
# A preparatory intervention without a programme start is due four weeks
# after it was planned (seed 1 §8.1: before rehabilitation starts).
PREPARATION_DAYS = 28
# A week before the new visit the office calls a patient whose forms before
# the visit are still unanswered (issue 17: after the invitation four weeks
# ahead and the reminder two weeks ahead).
FORMS_FLAG_DAYS = 7

# The office: the professions that finish and send the letters whose text
# comes from the unit's template (seed 1 §7.1: the coordinator sends
# invitations, information and forms; the secretary writes and sends).
OFFICE = frozenset({Profession.COORDINATOR_NURSE, Profession.SECRETARY})
# Letters whose text the clinician writes: the clinician who drafted them
# finishes them (seed 1 §5.3, §7.3, §9, §11, §12). Values of documents'
# LetterKind, which sits above the pathway (documents/tests/test_letters.py
# checks that each is a kind).
CLINICAL_TEXT_LETTERS = frozenset(
    {
        "first_notice",
        "team_summary",
        "final_note",
        "follow_up_summary",
        "follow_up_summary_fk",
        "employer_info",
        "discharge",
    }
)
# The assessment conference: those who met the patient in the investigation,
# with the coordinator (seed 1 §7.3). The planning meeting: the coordinator
# plans it, the psychologist usually takes part (seed 1 §7.4).
CONFERENCE_ALWAYS = frozenset({Profession.COORDINATOR_NURSE})
PLANNING_ALWAYS = frozenset({Profession.COORDINATOR_NURSE, Profession.PSYCHOLOGIST})
# The visits whose meeting puts a clinician at the assessment conference.
MEETING_KINDS = (
    Booking.Kind.NEW_VISIT,
    Booking.Kind.RETURN_VISIT,
    Booking.Kind.INVESTIGATION,
)


# A 12-month follow-up item of a discharged episode that was never done stays
# on the list, overdue, for six months after its window closed.
OVERDUE_MONTHS = 6


class Section(StrEnum):
    TODAY = "today"  # today and overdue
    UPCOMING = "upcoming"  # the coming 14 days


def horizon(today: date) -> date:
    """The last day an item may be due and still be on the worklist."""
    return today + timedelta(days=HORIZON_DAYS)


def section_of(due_on: date, *, today: date) -> Section | None:
    """Today's section for what is due today or earlier, the coming section for
    the next 14 days, None (not shown) for anything later."""
    if due_on <= today:
        return Section.TODAY
    if due_on <= horizon(today):
        return Section.UPCOMING
    return None


def finishes_letter(kind: str, *, profession: str, is_author: bool) -> bool:
    """Whether a member finishes (finalises) a drafted letter: the author when
    the text needs the clinician, else the office, whoever drafted it."""
    if kind in CLINICAL_TEXT_LETTERS:
        return is_author
    return profession in OFFICE


def sends_letters(profession: str) -> bool:
    """Whether final letters not yet sent are on the member's list."""
    return profession in OFFICE


def letter_due(*, drafted_on: date, finalised_on: date | None) -> date:
    """A draft is due a week after it was drafted; a final letter the next day."""
    if finalised_on is None:
        return drafted_on + timedelta(days=LETTER_DAYS)
    return finalised_on + timedelta(days=SEND_DAYS)


def chases_unanswered_forms(profession: str) -> bool:
    """Whether forms unanswered a week before the new visit are on the
    member's list: the office's, who sent them (seed 1 §7.1)."""
    return profession in OFFICE


def forms_flag_on(visit_on: date) -> date:
    """The day unanswered forms before a new visit become the office's work:
    a week before the visit. Never shown earlier (before then the patient
    still has the reminder's time to answer)."""
    return visit_on - timedelta(days=FORMS_FLAG_DAYS)


def holds_conference(profession: str, *, met_patient: bool) -> bool:
    """Whether an assessment conference to decide is on the member's list."""
    return profession in CONFERENCE_ALWAYS or met_patient


def plans_with_patient(profession: str, *, booked_at_meeting: bool) -> bool:
    """Whether a planning meeting's plan to write and sign is on the member's list."""
    return profession in PLANNING_ALWAYS or booked_at_meeting


def evaluation_time(phase: str) -> str:
    """When a goal is evaluated: in the last week of rehabilitation, or at
    follow-up for a goal that runs until follow-up (seed 1 §9)."""
    if phase == Goal.Phase.UNTIL_FOLLOW_UP:
        return GoalEvaluation.When.FOLLOW_UP
    return GoalEvaluation.When.PROGRAMME_END


def preparation_due(*, planned_on: date, programme_starts_on: date | None) -> date:
    """Preparation is done before rehabilitation starts: by the programme's
    first day when the patient is in a cohort, else four weeks after planning."""
    if programme_starts_on is not None:
        return programme_starts_on
    return planned_on + timedelta(days=PREPARATION_DAYS)


def session_work(*, on: date, today: date, attendance_recorded: bool) -> str | None:
    """What a session asks of its staff: running it (today or coming), or
    attendance to register after it was held; nothing once registered."""
    if attendance_recorded:
        return None
    return "attendance" if on < today else "session"
