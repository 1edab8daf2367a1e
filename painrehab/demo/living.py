"""Today's work in the demo clinic, done through the staff's own services.

`clinic.py` writes the patients and their histories in bulk (a benchmark
clinic has 100,000 of them). On top of that this module makes each unit a
clinic in the middle of its week, the way its staff would have: the unit
administrator sets up rooms and staff hours, programmes are planned for the
year ahead, one is running this week and one starts in a few weeks, the
coordinator places patients from the rehabilitation waiting list, the
scheduler plans the sessions, the programme is started, attendance is
registered session by session, individual appointments are booked with every
profession (the booking check decides the times: no clashes, no weekends,
holidays or days a staff member does not work), invitations are drafted,
finalised and sent with the forms before the visit, the 12-month forms go
out, and the office records how each patient may be told (SMS, e-mail, post
only). Every change goes through its service, with its checks and audit rows.

Everything is dated from `today`, the day the demo is loaded.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from painrehab.accounts.models import CareUnit, Membership
from painrehab.accounts.permissions import Profession
from painrehab.audit.services import Action, record
from painrehab.core.closed_days import swedish_closed_days
from painrehab.core.dates import week_monday
from painrehab.core.windows import AFTER_DISCHARGE, AFTER_DISCHARGE_MONTHS, add_months
from painrehab.documents.models import LetterDispatch, LetterKind
from painrehab.documents.services import draft_letter, finalise_letter, record_dispatch
from painrehab.outbox.models import ContactPreference
from painrehab.pathway.models import Booking, Episode, FollowUpRecord, Referral
from painrehab.pathway.services.follow_up import schedule_for
from painrehab.pathway.states import State
from painrehab.patients.models import Patient
from painrehab.programmes.models import (
    Appointment,
    Attendance,
    Cohort,
    PlaceKind,
    ProgrammeTemplate,
    Session,
)
from painrehab.programmes.services import ProgrammeRefused
from painrehab.programmes.services.appointments import (
    book_appointment,
    set_appointment_status,
)
from painrehab.programmes.services.attendance import record_attendance
from painrehab.programmes.services.cohorts import (
    add_participant,
    create_cohort,
    start_cohort,
)
from painrehab.programmes.services.scheduling import schedule_cohort
from painrehab.programmes.services.setup import (
    Hours,
    add_absence,
    save_availability,
    save_room,
)
from painrehab.programmes.services.templates import ensure_default_templates
from painrehab.questionnaires.models import TimePoint
from painrehab.questionnaires.sample_wording import install_sample_wordings
from painrehab.questionnaires.services import (
    QuestionnaireRefused,
    send_package,
    time_points_before_the_visit,
)
from painrehab.steps.follow_up.services import record_follow_up

# The scheduler stops at this limit with the best schedule found so far; the
# shipped templates are solved well within it.
SCHEDULING_SECONDS = 10.0
PLANNED_AHEAD_DAYS = 365  # the annual plan reaches a year from today
COHORTS_A_YEAR = 6  # seed 0 §9.2

DAY = [["08:00", "16:00"]]
MORNINGS = [["08:00", "12:00"]]
AFTERNOONS = [["12:00", "16:00"]]
# Part-time programme hours (weekday 0 = Monday): everyone is in on every
# weekday, some only half the day; the others work Monday to Friday 8–16.
PROGRAMME_HOURS = {
    Profession.PSYCHOLOGIST: {str(d): DAY for d in range(4)} | {"4": MORNINGS},
    Profession.OCCUPATIONAL_THERAPIST: {str(d): DAY for d in range(5)}
    | {"2": AFTERNOONS},
    Profession.SOCIAL_WORKER: {str(d): MORNINGS for d in range(5)} | {"2": DAY},
    Profession.PHYSICIAN: {"0": DAY, "1": MORNINGS, "2": DAY, "3": DAY, "4": MORNINGS},
    Profession.REHAB_COORDINATOR: {str(d): MORNINGS for d in range(5)} | {"2": DAY},
}

# Keyed by the unit's kind and the member's profession as stored (strings).
ROOMS: dict[str, list[tuple[str, str, Hours | None]]] = {
    CareUnit.Kind.SPECIALIST: [
        ("Gruppsalen", PlaceKind.GROUP_ROOM, None),
        ("Samtalsrummet Björken", PlaceKind.GROUP_ROOM, None),
        ("Träningssalen", PlaceKind.GYM, None),
        (
            "Bassängen, Rehabcentrum",
            PlaceKind.POOL,
            {str(d): [["08:00", "12:00"]] for d in range(5)},
        ),
    ],
    CareUnit.Kind.PRIMARY_CARE: [
        ("Samlingssalen", PlaceKind.GROUP_ROOM, None),
        ("Träningshallen", PlaceKind.GYM, None),
    ],
}
TEMPLATE_KEY: dict[str, str] = {
    CareUnit.Kind.SPECIALIST: "specialist_5_weeks",
    CareUnit.Kind.PRIMARY_CARE: "krt_primary_care",
}

# Synthetic contact details for the patients who take notices: mobile numbers
# from the series the Swedish Post and Telecom Authority (PTS) reserves for
# fiction, 070-174 06 05 to 070-174 06 99, and e-mail at example.org.
FICTION_MOBILES = [f"070-17406{n:02d}" for n in range(5, 100)]
# How patients may be told, as shares of the unit's patients: SMS and e-mail,
# SMS only, e-mail only, protected identity (post only); the rest never said.
CONTACT_SHARES = [
    (0.2, "sms+email"),
    (0.3, "sms"),
    (0.15, "email"),
    (0.04, "protected"),
]

# Individual appointments: what each profession does with a patient.
APPOINTMENT_NOTES: dict[str, str] = {
    Profession.PSYCHOLOGIST: "Samtal om sömn och återhämtning",
    Profession.PHYSIOTHERAPIST: "Genomgång av träningsprogram för hemmet",
    Profession.OCCUPATIONAL_THERAPIST: "Aktivitetsbalans i vardagen, dagbok",
    Profession.SOCIAL_WORKER: "Samtal om ekonomi och kontakt med Försäkringskassan",
    Profession.REHAB_COORDINATOR: "Avstämning med arbetsgivaren om arbetsträning",
    Profession.PHYSICIAN: "Läkemedelsgenomgång",
    Profession.SPORTS_LEADER: "Promenad och konditionsträning utomhus",
    Profession.COORDINATOR_NURSE: "Telefonuppföljning av förberedande insatser",
}
MODES: dict[str, str] = {
    Profession.SOCIAL_WORKER: Appointment.Mode.PHONE,
    Profession.REHAB_COORDINATOR: Appointment.Mode.VIDEO,
    Profession.SPORTS_LEADER: Appointment.Mode.OUTSIDE,
    Profession.COORDINATOR_NURSE: Appointment.Mode.PHONE,
}


@dataclass(frozen=True)
class Team:
    """The unit's memberships, one per profession (the unit's own logins)."""

    unit: CareUnit
    by_profession: dict[str, Membership]

    def __getitem__(self, profession: str) -> Membership:
        return self.by_profession[profession]

    @property
    def admin(self) -> Membership:
        return self.by_profession[Profession.COORDINATOR_NURSE]


def bring_to_life(units: list[CareUnit], *, today: date, rng: random.Random) -> None:
    """Give each unit its rooms, programmes, sessions, appointments and
    letters around `today`; a unit that already has programmes is left as it is."""
    for unit in units:
        if Cohort.objects.filter(unit=unit).exists():
            continue
        # Whole or not at all; in Swedish, as the clinic writes its names and notes.
        with transaction.atomic(), translation.override("sv"):
            team = _team(unit)
            _set_up(team, today=today)
            running, coming = _programmes(team, today=today)
            _fill_and_run(team, running, coming, today=today, rng=rng)
            _appointments(team, today=today, rng=rng)
            _letters(team, today=today)
            _twelve_month_forms(team, today=today)
            _follow_ups_behind(team, today=today, rng=rng)
            _contact_preferences(team)


def _team(unit: CareUnit) -> Team:
    """The unit's own logins: those ending in -pv work in primary care (the
    physician of both units appears in each under his own name)."""
    primary = unit.kind == CareUnit.Kind.PRIMARY_CARE
    members = Membership.objects.filter(unit=unit).select_related("user", "unit")
    by_profession: dict[str, Membership] = {}
    for m in members.order_by("pk"):  # the first of a profession: its base login
        if m.user.username.endswith("-pv") == primary:
            by_profession.setdefault(m.profession, m)
    return Team(unit, by_profession)


def _set_up(team: Team, *, today: date) -> None:
    """Rooms, the staff's programme hours and a course day, as the administrator
    enters them."""
    # The demo's forms show our own example sentences where a unit would load
    # the licensed wording of each instrument (no licensed text in the code).
    install_sample_wordings(unit=team.unit, user=team.admin.user)
    for name, kind, hours in ROOMS[team.unit.kind]:
        save_room(by=team.admin, room=None, name=name, kind=kind, opening_hours=hours)
    for profession, hours in PROGRAMME_HOURS.items():
        save_availability(
            by=team.admin, member=team[profession], takes_part=True, hours=hours
        )
    course = _working_day(today + timedelta(days=45))
    add_absence(
        by=team.admin,
        member=team[Profession.OCCUPATIONAL_THERAPIST],
        first_day=course,
        last_day=course,
        note="Utbildningsdag: ergonomi i arbetslivet",
    )


def _working_day(day: date) -> date:
    while day.weekday() >= 5 or swedish_closed_days(day, day):
        day += timedelta(days=1)
    return day


def _fits(template: ProgrammeTemplate, start: date) -> bool:
    """Every week of a programme starting `start` has the working days it needs."""
    other = template.days_per_week_min or 1
    first = template.week_day_limits.get("1", [other])[0]
    closed = swedish_closed_days(start, start + timedelta(weeks=template.weeks))
    for week in range(template.weeks):
        monday = start + timedelta(weeks=week)
        open_days = sum(1 for d in range(5) if monday + timedelta(days=d) not in closed)
        if open_days < (first if week == 0 else other):
            return False
    return True


def _programmes(team: Team, *, today: date) -> tuple[Cohort, Cohort]:
    """The year's programmes from this week on: one running this week (in its
    second or third week where the calendar allows), the next starting a few
    weeks later, then about six a year."""
    template = next(
        t
        for t in ensure_default_templates(team.unit)
        if t.key == TEMPLATE_KEY[team.unit.kind]
    )
    this_monday = week_monday(today)
    weeks_in = [2, 1, 3, 0, 4, 5, 6][: template.weeks]
    start = next(
        (
            this_monday - timedelta(weeks=w)
            for w in weeks_in
            if _fits(template, this_monday - timedelta(weeks=w))
        ),
        this_monday - timedelta(weeks=weeks_in[0]),
    )
    starts = [start]
    gap = timedelta(weeks=round(52 / COHORTS_A_YEAR))
    following = max(
        start + timedelta(weeks=template.weeks), this_monday + timedelta(weeks=3)
    )
    while following <= today + timedelta(days=PLANNED_AHEAD_DAYS):
        if _fits(template, following):
            starts.append(following)
            following = max(
                following + gap, following + timedelta(weeks=template.weeks)
            )
        else:
            following += timedelta(weeks=1)
    cohorts = [
        create_cohort(by=team.admin, template=template, start=day) for day in starts
    ]
    return cohorts[0], cohorts[1]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _waiting_for_programme(unit: CareUnit, before: date) -> list[Episode]:
    """The rehabilitation waiting list in the order the decisions were made:
    episodes in preparatory interventions since before `before`, with a plan
    for the group programme."""
    return list(
        Episode.objects.filter(
            unit=unit,
            state=State.PREPARATION,
            plan__track="group_programme",
            state_since__lt=_at(before, 0),
        ).order_by("opened_on", "pk")
    )


def _fill_and_run(
    team: Team, running: Cohort, coming: Cohort, *, today: date, rng: random.Random
) -> None:
    """Places for the waiting patients, the schedules, the start of the running
    programme and its attendance so far."""
    coordinator = team.admin
    queue = _waiting_for_programme(team.unit, running.start)
    size = running.template.max_participants - 1
    placed_on = running.start - timedelta(days=10)
    for number, episode in enumerate(queue[:size]):
        add_participant(
            by=coordinator,
            cohort=running,
            episode=episode,
            needs_patient_hotel=number == 0,
            now=_at(placed_on, 9),
        )
    placed = {episode.pk for episode in queue[:size]}
    later = [
        e
        for e in _waiting_for_programme(team.unit, today + timedelta(days=1))
        if e.pk not in placed
    ]
    # The longest waiting first (those past the 60-day goal among them); some
    # stay on the list for the programme after.
    for episode in later[: coming.template.max_participants - 1]:
        add_participant(
            by=coordinator, cohort=coming, episode=episode, now=_at(today, 9)
        )
    for cohort, when in ((running, placed_on), (coming, today)):
        if cohort.participants.exists():
            result = schedule_cohort(
                by=coordinator,
                cohort=cohort,
                time_limit_seconds=SCHEDULING_SECONDS,
                now=_at(when, 10),
            )
            if not result.ok:
                raise RuntimeError(
                    f"The demo programme {cohort} could not be scheduled: "
                    + " ".join(result.conflicts)
                )
    if running.participants.exists():
        start_cohort(by=coordinator, cohort=running, now=_at(running.start, 8))
        _attendance_so_far(team, running, today=today, rng=rng)


def _attendance_so_far(
    team: Team, cohort: Cohort, *, today: date, rng: random.Random
) -> None:
    """Attendance of every session before today, registered by the staff
    member who ran it; one participant is absent now and then."""
    participants = list(cohort.participants.order_by("pk"))
    often_away = participants[-1].pk if len(participants) > 2 else None
    # The sessions the one often away missed: the first, then now and then.
    away: list[int] = []
    members = {m.user_id: m for m in team.by_profession.values()}
    sessions = (
        cohort.sessions.filter(date__lt=today)
        .exclude(attendees=Session.Attendees.STAFF)
        .prefetch_related("participants", "staff")
        .order_by("date", "start")
    )
    for session in sessions:
        statuses = {}
        for participant in session.participants.all():
            status = Attendance.Status.PRESENT
            if participant.pk == often_away and (not away or rng.random() < 0.35):
                away.append(session.pk)
                status = rng.choice(
                    [Attendance.Status.ABSENT, Attendance.Status.EXCUSED]
                )
            elif rng.random() < 0.04:
                status = Attendance.Status.EXCUSED
            statuses[participant.pk] = status
        if not statuses:
            continue
        runner = next(
            (members[s.user_id] for s in session.staff.all() if s.user_id in members),
            team.admin,
        )
        record_attendance(
            by=runner,
            session=session,
            statuses=statuses,
            now=timezone.make_aware(datetime.combine(session.date, session.end)),
        )


def _appointments(team: Team, *, today: date, rng: random.Random) -> None:
    """Individual interventions with every profession: held ones in the last
    two weeks, one today (or on the next working day) and some to come."""
    episodes = list(
        Episode.objects.filter(
            unit=team.unit,
            state__in=[State.INDIVIDUAL_REHABILITATION, State.PREPARATION],
        )
        .exclude(cohort_places__cohort__end__gte=today)
        .order_by("pk")
    )
    if not episodes:
        return
    first_day = _working_day(today)
    plans: list[tuple[date, str | None]] = [(first_day, None)]
    plans += [(today - timedelta(days=d), Appointment.Status.HELD) for d in (4, 9)]
    plans += [(today + timedelta(days=d), None) for d in (6,)]
    turn = 0
    for profession in APPOINTMENT_NOTES:
        member = team.by_profession.get(profession)
        if member is None:
            continue
        for day, outcome in plans:
            episode = episodes[turn % len(episodes)]
            turn += 1
            appointment = _book(team, member, episode, day, rng=rng)
            if appointment is not None and outcome is not None:
                status = Appointment.Status.NO_SHOW if rng.random() < 0.1 else outcome
                set_appointment_status(
                    by=member,
                    appointment=appointment,
                    status=status,
                    expected_version=appointment.version,
                )


def _book(
    team: Team,
    member: Membership,
    episode: Episode,
    day: date,
    *,
    rng: random.Random,
) -> Appointment | None:
    """The first time from `day` that the booking check accepts without asking:
    a working day the staff member works, nobody booked twice."""
    minutes = 60 if member.profession != Profession.SOCIAL_WORKER else 45
    for offset in range(10):
        on = day + timedelta(days=offset)
        hours = list(range(8, 16))
        rng.shuffle(hours)
        for hour in hours:
            try:
                return book_appointment(
                    by=team.admin,
                    episode=episode,
                    staff=member,
                    starts_at=_at(on, hour),
                    minutes=minutes,
                    mode=MODES.get(member.profession, Appointment.Mode.ON_SITE),
                    note=APPOINTMENT_NOTES[member.profession],
                )
            except ProgrammeRefused:
                continue
    return None


def _letters(team: Team, *, today: date) -> None:
    """Invitations to the new visit in every state: drafts for the secretary to
    finish, final ones waiting to be sent, and sent ones, each with the forms
    before the visit sent first (so the print batch puts the questionnaire
    sheet beside the letter); the physician's first notice after a new visit
    as a draft."""
    secretary = team[Profession.SECRETARY]
    forms = time_points_before_the_visit(unit_ids=[team.unit.pk]).get(team.unit.pk)
    waiting = list(
        Episode.objects.filter(
            unit=team.unit,
            state=State.WAITING_NEW_VISIT,
            bookings__status=Booking.Status.BOOKED,
        )
        .distinct()
        .order_by("pk")[:6]
    )
    for number, episode in enumerate(waiting):
        written = today - timedelta(days=[0, 0, 1, 2, 5, 8][number])
        if forms:
            try:
                send_package(
                    by=secretary, episode=episode, time_point=forms, today=written
                )
            except QuestionnaireRefused:
                pass  # sent already
        letter = draft_letter(
            by=secretary, episode=episode, kind=LetterKind.INVITATION, today=written
        )
        if number >= 2:
            letter = finalise_letter(by=secretary, letter=letter, now=_at(written, 11))
        if number >= 4:
            record_dispatch(
                by=secretary,
                letter=letter,
                channel=LetterDispatch.Channel.POST
                if number == 4
                else LetterDispatch.Channel.DIGITAL,
                now=_at(written, 15),
            )
    seen = Episode.objects.filter(
        unit=team.unit,
        state=State.NEW_VISIT,
        referral__source=Referral.Source.REFERRAL,
    ).order_by("pk")[:1]
    for episode in seen:
        draft_letter(
            by=team[Profession.PHYSICIAN],
            episode=episode,
            kind=LetterKind.FIRST_NOTICE,
            today=today,
        )


def _twelve_month_forms(team: Team, *, today: date) -> None:
    """The registry's 12-month forms sent to the specialist unit's patients a
    year after the end, most not yet answered."""
    if team.unit.kind != CareUnit.Kind.SPECIALIST:
        return
    year_ago = add_months(today, -12)
    due = Episode.objects.filter(
        unit=team.unit,
        state=State.FOLLOW_UP,
        transitions__to_state=State.FOLLOW_UP,
        transitions__at__lt=_at(year_ago, 0),
        transitions__at__gte=_at(year_ago - timedelta(days=30), 0),
    ).distinct()
    for episode in due:
        ended = timezone.localdate(
            episode.transitions.filter(to_state=State.FOLLOW_UP).latest("at").at
        )
        sent_on = min(today, add_months(ended, 12) + timedelta(days=3))
        send_package(
            by=team.admin,
            episode=episode,
            time_point=TimePoint.REGISTRY_12_MONTHS,
            today=sent_on,
        )
        record_follow_up(
            by=team.admin,
            episode=episode,
            item_key="registry_questionnaires_12_months",
            outcome=FollowUpRecord.Outcome.DONE,
            held_on=sent_on,
            mode=FollowUpRecord.Mode.LETTER,
            note="Registerformulären skickade med brev och länk.",
        )


FOLLOW_UP_MODES = {
    "contact_4_6_weeks": FollowUpRecord.Mode.PHONE,
    "on_site_3_4_months": FollowUpRecord.Mode.VISIT,
    "individual_3_4_months": FollowUpRecord.Mode.VIDEO,
    "registry_questionnaires_12_months": FollowUpRecord.Mode.LETTER,
    "feedback_12_months": FollowUpRecord.Mode.PHONE,
    "krt_group_1_month": FollowUpRecord.Mode.GROUP,
    "krt_group_2_months": FollowUpRecord.Mode.GROUP,
    "krt_physiotherapist_3_months": FollowUpRecord.Mode.VISIT,
    "krt_psychologist_3_months": FollowUpRecord.Mode.VISIT,
}
FOLLOW_UP_NOTES = [
    "Promenerar dagligen, sover bättre. Följer vidmakthållandeplanen.",
    "Arbetstränar 50 %, smärtan oförändrad men hanterar den bättre.",
    "Ett bakslag efter förkylning, har tagit upp träningen igen.",
    "Nöjd med programmet, vill ha kontakt med fysioterapeut i primärvården.",
]


def _follow_ups_behind(team: Team, *, today: date, rng: random.Random) -> None:
    """The follow-ups whose windows closed before today, recorded by the
    profession each belongs to (a few patients were not reached); the
    summaries they draft to the referrer are finalised and sent. What is due
    now stays for the staff to do."""
    # The 12-month items outlive discharge: recently discharged episodes too.
    recently = add_months(today, -AFTER_DISCHARGE_MONTHS)
    episodes = (
        Episode.objects.filter(unit=team.unit)
        .filter(
            Q(state=State.FOLLOW_UP)
            | Q(state=State.DISCHARGED, closed_on__gte=recently)
        )
        .select_related("unit", "plan")
        .prefetch_related("transitions")
        .order_by("pk")
    )
    secretary = team[Profession.SECRETARY]
    for episode in episodes:
        for item in schedule_for(episode):
            if item.window.closes_on >= today:
                continue
            if episode.closed_on is not None and item.key not in AFTER_DISCHARGE:
                continue
            if FollowUpRecord.objects.filter(
                episode=episode, item_key=item.key
            ).exists():
                continue
            reached = rng.random() >= 0.1
            _record, letters, _problems = record_follow_up(
                by=team[item.role],
                episode=episode,
                item_key=item.key,
                outcome=FollowUpRecord.Outcome.DONE
                if reached
                else FollowUpRecord.Outcome.NOT_REACHED,
                held_on=min(_working_day(item.window.due_on), item.window.closes_on),
                mode=FOLLOW_UP_MODES.get(item.key, ""),
                note=rng.choice(FOLLOW_UP_NOTES) if reached else "Nåddes inte.",
                # KRT's 3-month follow-up records the sick-leave degree (seed 2).
                sick_leave_percent=rng.choice([0, 0, 25, 50, 100]) if reached else None,
            )
            for letter in letters:
                final = finalise_letter(by=secretary, letter=letter)
                record_dispatch(
                    by=secretary, letter=final, channel=LetterDispatch.Channel.DIGITAL
                )


def _contact_preferences(team: Team) -> None:
    """How the unit's patients may be told, as the secretary recorded it: a
    fictional mobile number for those who take SMS, an example.org address for
    those who take e-mail, post only for those with protected identity.
    Written in bulk like the patients themselves (`clinic.py`), with one
    audit row naming every patient."""
    secretary = team[Profession.SECRETARY]
    # bandit B311: synthetic demo data; its own sequence, so the rest of the
    # demo is the same with or without it
    rng = random.Random(f"contact {team.unit.name}")  # nosec B311
    patients, preferences = [], []
    for patient in Patient.objects.filter(unit=team.unit).order_by("pk"):
        roll, kind = rng.random(), ""
        for share, name in CONTACT_SHARES:
            if roll < share:
                kind = name
                break
            roll -= share
        if not kind:
            continue
        if "sms" in kind:
            patient.phone = FICTION_MOBILES[patient.pk % len(FICTION_MOBILES)]
        if "email" in kind:
            patient.email = patient.email.replace("@example.com", "@example.org")
        patients.append(patient)
        preferences.append(
            ContactPreference(
                patient=patient,
                sms_consent="sms" in kind,
                email_consent="email" in kind,
                protected_identity=kind == "protected",
                recorded_by=secretary.user,
            )
        )
    Patient.objects.bulk_update(patients, ["phone", "email"], batch_size=500)
    ContactPreference.objects.bulk_create(
        preferences, batch_size=500, ignore_conflicts=True
    )
    record(
        by=secretary.user,
        unit=team.unit.pk,
        action=Action.CREATE,
        patients=[patient.pk for patient in patients],
        what="contact preference",
    )
