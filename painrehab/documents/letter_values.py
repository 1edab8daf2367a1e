"""The value of every letter placeholder for one episode, as plain text.

The only place where a letter's words meet the records: each value is worked
out here, by the system, and handed to `placeholders.fill` as a string. The
records come from `letter_facts`, which reads only the episode's own rows
(its patient, unit, referral, booking, plan …), never another patient's.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from django.utils import formats, timezone, translation

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Profession
from painrehab.documents.models import PROTECTED_ROUTE
from painrehab.documents.placeholders import NAMES
from painrehab.pathway.models import Booking, Episode

EMPTY = "–"  # a text field nobody filled in, as the letter prints it


@dataclass(frozen=True)
class AttendanceFacts:
    """The attendance a final note reports: sessions attended of those the
    patient was scheduled or booked for (group programme: the recorded
    sessions; individual rehabilitation: the held and missed appointments)."""

    attended: int
    planned: int
    excused: int = 0  # absences with a valid reason (group programme)
    individual: bool = False


@dataclass
class LetterFacts:
    """The episode's records a letter may speak of (any may be missing)."""

    episode: Episode
    today: date
    booking: Any = None
    new_visit: Any = None
    conference: Any = None
    plan: Any = None
    follow_up: Any = None
    discharge: Any = None
    cohort: Any = None
    rate: Any = None
    missed: list[Any] = field(default_factory=list)
    ended_on: date | None = None
    employer_name: str = ""
    screening: Any = None  # the screening colleague's record at the new visit
    maintenance_plan_on: date | None = None  # the follow-up that ticked it
    attendance: AttendanceFacts | None = None


def letter_facts(
    *, episode: Episode, extra: dict[str, Any] | None = None, today: date
) -> LetterFacts:
    """The newest record of each kind for the episode; `extra` names the
    record a service has just written (this conference, this follow-up …)."""
    extra = extra or {}
    booked = episode.bookings.filter(status=Booking.Status.BOOKED).select_related(
        "staff", "second_staff", "unit"
    )
    facts = LetterFacts(
        episode=episode,
        today=today,
        booking=booked.filter(kind=Booking.Kind.NEW_VISIT)
        .order_by("-booked_at")
        .first()
        or booked.order_by("-booked_at").first(),
        new_visit=episode.new_visits.order_by("-held_on", "-pk").first(),
        follow_up=episode.follow_ups.order_by("-held_on", "-pk").first(),
        plan=getattr(episode, "plan", None),
        conference=episode.conferences.exclude(decision="")
        .order_by("-decided_at")
        .first(),
        discharge=getattr(episode, "discharge", None),
        screening=_screening_record(episode),
        maintenance_plan_on=episode.follow_ups.filter(maintenance_plan_completed=True)
        .order_by("held_on")
        .values_list("held_on", flat=True)
        .first(),
    )
    for name in (
        "new_visit",
        "conference",
        "plan",
        "follow_up",
        "discharge",
        "cohort",
        "rate",
        "missed",
        "ended_on",
        "employer_name",
        "attendance",
    ):
        if extra.get(name) is not None:
            setattr(facts, name, extra[name])
    return facts


def _screening_record(episode: Episode) -> Any:
    """The screening colleague's own record, when the triage asked for
    screening at the new visit and the colleague has written one."""
    triage = getattr(episode, "triage", None)
    if triage is None or not triage.screening_profession:
        return None
    return episode.investigations.filter(profession=triage.screening_profession).first()


def letter_values(facts: LetterFacts) -> dict[str, str]:
    """Every placeholder of the vocabulary with its text (Swedish)."""
    with translation.override("sv"):
        values = {
            **_patient(facts),
            **_unit(facts),
            **_referral(facts),
            **_booking(facts.booking),
            **_assessment(facts),
            **_rehabilitation(facts),
            **_attendance(facts),
            **_follow_up_and_discharge(facts),
            "arbetsgivare": facts.employer_name.strip(),
        }
    if set(values) != NAMES:  # a placeholder without a value is a programming error
        raise LookupError(sorted(set(values) ^ NAMES))
    return values


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _text(value: str | None) -> str:
    return (value or "").strip() or EMPTY


def people_with_professions(people: list[tuple[str, str]]) -> str:
    """Names each followed by the profession, as a letter says them:
    "Axel Englund, läkare, och Niclas Svedberg, fysioterapeut"."""
    said = [
        f"{name}, {profession}" if profession else name
        for name, profession in people
        if name
    ]
    if len(said) < 2:  # noqa: PLR2004 - one person, or nobody
        return "".join(said)
    last = said[-1]
    before = ", ".join(said[:-1])
    return (
        f"{before}, och {last}"
        if "," in last or "," in before
        else f"{before} och {last}"
    )


def _profession_name(profession: str) -> str:
    if profession not in Profession.values:
        return ""
    return str(Profession(profession).label).lower()


def _patient(facts: LetterFacts) -> dict[str, str]:
    patient = facts.episode.patient
    language = patient.interpreter_language if patient.needs_interpreter else ""
    address = "\n".join(
        line
        for line in (
            patient.street_address,
            f"{patient.postal_code} {patient.city}".strip(),
        )
        if line
    )
    if patient.has_protected_identity:  # the address is printed nowhere
        address = PROTECTED_ROUTE
    return {
        "förnamn": patient.first_name,
        "efternamn": patient.last_name,
        "namn": patient.full_name,
        "personnummer": patient.formatted_personnummer,
        "patientens adress": address,
        "tolkspråk": language,
        "tolk": _interpreter_sentence(language, facts.booking),
    }


def _interpreter_sentence(language: str, booking: Booking | None) -> str:
    if not language:
        return ""
    if booking is not None and booking.interpreter_booked_at is not None:
        return f"Tolk på {language} är bokad till besöket."
    return f"Tolk på {language} bokas till besöket."


def _unit(facts: LetterFacts) -> dict[str, str]:
    unit = facts.episode.unit
    return {
        "mottagningens namn": unit.name,
        "mottagningens adress": unit.letterhead_address.strip(),
        "mottagningens telefon": unit.phone,
        "dagens datum": _day(facts.today),
    }


def _referral(facts: LetterFacts) -> dict[str, str]:
    referral = getattr(facts.episode, "referral", None)
    triage = getattr(facts.episode, "triage", None)
    own_request = referral is not None and referral.source == "own_request"
    with_whom = "läkare"
    if triage is not None and triage.screening_profession:
        profession = str(Profession(triage.screening_profession).label).lower()
        with_whom = f"läkare och {profession}"
    referrer = ""
    if referral is not None:
        referrer = ", ".join(
            part for part in (referral.referrer_name, referral.referrer_unit) if part
        )
    return {
        "remissdatum": _day(referral.received_on if referral else None),
        "remiss eller vårdbegäran": "din egen vårdbegäran"
        if own_request
        else "en remiss för dig",
        "remittent": referrer,
        "nybesök hos": with_whom,
        "skäl för återremiss": _text(triage.reason if triage else ""),
    }


def _booking(booking: Booking | None) -> dict[str, str]:
    if booking is None:
        return dict.fromkeys(
            (
                "besöksdatum",
                "besökstid",
                "besöksform",
                "besökets längd",
                "besöksplats",
                "besök hos",
            ),
            "",
        )
    ways: dict[str, str] = {
        Booking.Mode.VIDEO: "via video",
        Booking.Mode.PHONE: "per telefon",
    }
    form = ways.get(booking.mode, "hos oss")
    return {
        **letter_values_for_time(booking.starts_at),
        "besöksform": form,
        "besökets längd": f"{booking.minutes} minuter",
        "besöksplats": _place(booking),
        "besök hos": people_with_professions(_booked_people(booking)),
    }


def _booked_people(booking: Booking) -> list[tuple[str, str]]:
    """Whom the patient meets at `booking`, each with the profession: the
    physician of a new or return visit, the profession an investigation
    visit or the screening was booked for, else the staff member's
    profession in the unit."""
    staff_profession = booking.screening_profession
    if booking.kind in (Booking.Kind.NEW_VISIT, Booking.Kind.RETURN_VISIT):
        staff_profession = Profession.PHYSICIAN
    people = [(booking.staff, staff_profession)]
    if booking.second_staff is not None:
        people.append((booking.second_staff, booking.screening_profession))
    missing = [user.pk for user, profession in people if not profession]
    in_unit = (
        dict(
            Membership.objects.filter(
                unit_id=booking.unit_id, user_id__in=missing
            ).values_list("user_id", "profession")
        )
        if missing
        else {}
    )
    return [
        (user.get_full_name(), _profession_name(profession or in_unit.get(user.pk, "")))
        for user, profession in people
    ]


def _place(booking: Booking) -> str:
    if booking.mode == Booking.Mode.VIDEO:
        return "videobesök; länken till besöket får du separat"
    if booking.mode == Booking.Mode.PHONE:
        return "telefonbesök; vi ringer dig på tiden ovan"
    lines = [line.strip() for line in booking.unit.letterhead_address.splitlines()]
    return ", ".join([booking.unit.name, *[line for line in lines if line]])


def _assessment(facts: LetterFacts) -> dict[str, str]:
    visit, conference = facts.new_visit, facts.conference
    planning = ""
    if visit is not None:
        planning = visit.get_outcome_display()
        if getattr(visit, "other_action", ""):
            planning = f"{planning} – {visit.other_action}"
    return {
        "nybesöksdatum": _day(visit.held_on if visit else None),
        "nybesökets bedömning": (visit.summary or "").strip() if visit else "",
        "screeningens fynd": screening_findings(facts.screening),
        "nybesökets planering": planning,
        "konferensdatum": _day(conference.held_on if conference else None),
        "huvudsakliga problem": _text(conference and conference.main_problems),
        "bidragande faktorer": _text(conference and conference.contributing_factors),
        "patientens resurser": _text(conference and conference.resources),
        "patientens förväntningar": _text(conference and conference.expectations),
        "teamets förslag": conference.get_decision_display() if conference else "",
        "rekommenderade alternativ": _text(conference and conference.alternatives),
    }


def screening_findings(record: Any) -> str:
    """The screening colleague's findings as the first notice gives them: the
    profession, then each filled-in field of the record on a line; empty
    when nothing is recorded."""
    if record is None:
        return ""
    rows = [(label, " ".join(str(value).split())) for label, value in record.rows]
    lines = [f"- {label}: {value}" for label, value in rows if value]
    if not lines:
        return ""
    heading = f"Bedömning av {_profession_name(record.profession)} vid nybesöket:"
    return "\n".join([heading, *lines])


def goal_evaluation_line(*, description: str, result: str, comment: str) -> str:
    """One goal's evaluation at the end, with the evaluator's comment on the
    same line."""
    line = f"- {description}: {result}"
    comment = " ".join(comment.split())
    return f"{line} – {comment}" if comment else line


def maintenance_plan_sentence(recorded_on: date | None) -> str:
    """Said only once a follow-up has recorded the maintenance plan as
    completed (seed 1 §11): empty before, so the line is left out."""
    if recorded_on is None:
        return ""
    return (
        "Patienten har en vidmakthållandeplan, ifylld vid uppföljningen "
        f"{recorded_on.isoformat()}."
    )


def attendance_sentence(attendance: AttendanceFacts | None) -> str:
    """The attendance during rehabilitation as the final note gives it:
    sessions attended of those planned and the absence share; empty when
    nothing was planned or recorded."""
    if attendance is None or attendance.planned <= 0:
        return ""
    missed = attendance.planned - attendance.attended
    if attendance.individual:
        sentence = (
            f"Närvaro: {attendance.attended} av {attendance.planned} bokade insatser"
        )
        return sentence + (f" (uteblev från {missed})." if missed else ".")
    sentence = (
        f"Närvaro: {attendance.attended} av {attendance.planned} schemalagda tillfällen"
    )
    if not missed:
        return sentence + "."
    percent = int(Fraction(missed * 100, attendance.planned) + Fraction(1, 2))
    detail = f"frånvaro {percent} %"
    if attendance.excused:
        detail += (
            f", varav {attendance.excused} av {missed} tillfällen med giltigt förhinder"
        )
    return f"{sentence} ({detail})."


def _rehabilitation(facts: LetterFacts) -> dict[str, str]:
    plan = facts.plan
    goals = list(plan.goals.prefetch_related("evaluations")) if plan else []
    listed = [
        f"- {goal.get_profession_display()}: {goal.description} "
        f"(mått: {goal.measure}, senast {_day(goal.target_date)})"
        for goal in goals
    ]
    evaluated = []
    for goal in goals:
        at_end = [e for e in goal.evaluations.all() if e.when == "programme_end"]
        result = at_end[0].get_result_display().lower() if at_end else "ej utvärderat"
        evaluated.append(
            goal_evaluation_line(
                description=goal.description,
                result=result,
                comment=at_end[0].comment if at_end else "",
            )
        )
    individual = plan is not None and plan.track == "individual"
    return {
        "planens datum": _day(plan.signed_on if plan else None),
        "övergripande mål": _text(plan and plan.overall_goal),
        "delmål": "\n".join(listed),
        "rehabiliteringsform": plan.get_track_display() if plan else "",
        "rehabiliteringen": "individuell rehabilitering"
        if individual
        else "smärtrehabprogrammet",
        "avslutsdatum": _day(facts.ended_on),
        "utvärdering av delmål": "\n".join(evaluated),
        "vidmakthållandeplan": maintenance_plan_sentence(facts.maintenance_plan_on),
        "närvaro": attendance_sentence(facts.attendance),
    }


def _attendance(facts: LetterFacts) -> dict[str, str]:
    cohort, rate = facts.cohort, facts.rate
    absence = ""
    if rate is not None and rate.recorded:
        absence = f"{rate.missed} av {rate.recorded} schemalagda tillfällen ({rate.percent} %)"
        if rate.excused:
            absence += f", varav {rate.excused} med giltigt förhinder"
    return {
        "programgrupp": cohort.name if cohort else "",
        "programmets datum": f"{_day(cohort.start)} – {_day(cohort.end)}"
        if cohort
        else "",
        "frånvaro": absence,
        "missade tillfällen": "\n".join(
            f"- {_day(session.date)} kl. {session.start:%H:%M}: {session.activity_name}"
            for session in facts.missed
        ),
    }


def _follow_up_and_discharge(facts: LetterFacts) -> dict[str, str]:
    follow_up, discharge = facts.follow_up, facts.discharge
    summary = ""
    if follow_up is not None:
        summary = (follow_up.team_summary or follow_up.note or "").strip()
    return {
        "uppföljningsdatum": _day(follow_up.held_on if follow_up else None),
        "uppföljningens sammanfattning": _text(summary),
        "bakslag": _text(follow_up and follow_up.setbacks),
        "kontakter patienten behöver": _text(follow_up and follow_up.contacts_needed),
        "utskrivningsdatum": _day(facts.episode.closed_on),
        "utskrivningsorsak": discharge.get_reason_display() if discharge else "",
        "fortsatt ansvar": _text(discharge and discharge.taken_over_by),
        "rekommendation": _text(discharge and discharge.recommendation),
    }


def letter_values_for_time(starts_at: datetime) -> dict[str, str]:
    """The day and time placeholders of a visit at `starts_at`, as letters print them."""
    with translation.override("sv"):
        starts = timezone.localtime(starts_at)
        return {
            "besöksdatum": formats.date_format(starts, "l j F Y").lower(),
            "besökstid": starts.strftime("%H:%M"),
        }
