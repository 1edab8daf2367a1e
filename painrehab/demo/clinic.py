"""The synthetic demo clinic: two units, staff of every profession, patients in every state.

Only synthetic people: Faker('sv_SE') names and addresses, and personnummer on
the Swedish Tax Agency's test-number scheme (never Faker's ssn()). Patients are
written with bulk inserts so that a benchmark-sized clinic (100,000 patients)
takes minutes, not hours. Seeding is a system action, so it writes no audit rows.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from faker import Faker

from painrehab.accounts.access import may
from painrehab.accounts.models import CareUnit, Membership, User
from painrehab.accounts.permissions import Profession
from painrehab.core.closed_days import swedish_closed_days
from painrehab.core.personnummer import tax_agency_test_number
from painrehab.core.refusals import Refused
from painrehab.core.windows import add_months
from painrehab.demo.history import EpisodeHistory, write_history
from painrehab.demo.living import FICTION_MOBILES, bring_to_life
from painrehab.pathway.models import (
    AssessmentConference,
    Booking,
    Episode,
    EpisodeTransition,
    Goal,
    NewVisitRecord,
    Referral,
    RehabPlan,
    TriageDecision,
)
from painrehab.pathway.services.follow_ups_due import refresh_follow_ups_due
from painrehab.pathway.states import GROUP_PROGRAMME_PATH, DischargeReason, State
from painrehab.patients.models import Patient
from painrehab.questionnaires.catalogue import SEND_PERMISSIONS
from painrehab.questionnaires.services import ensure_packages

# Every demo phone number is one the Post and Telecom Authority (PTS) keeps for
# fiction, so no number can reach a real person (Faker's can): the mobile
# series 070-174 06 05..99 and the landline series 08-465 004 00..99 and
# 031-390 06 00..99.
FICTION_PHONES = [
    *FICTION_MOBILES,
    *(f"08-465004{n:02d}" for n in range(100)),
    *(f"031-39006{n:02d}" for n in range(100)),
]

# bandit B105: the published demo login, synthetic data only
DEMO_PASSWORD = "demo-painrehab"  # noqa: S105 # nosec B105
BATCH = 2000
HISTORY_BATCH = 5000  # answer rows per INSERT: ~30 per patient with history
# With history: the share of episodes still open today, and of patients with
# an earlier, discharged episode before the current one (re-referred).
OPEN_SHARE = 0.1
RE_REFERRED_SHARE = 0.15
# A physician's new visits: one an hour from 08 to 16 on working days (`_free_slot`).
VISITS_A_YEAR_PER_PHYSICIAN = 8 * 250

SPECIALIST = (
    "Smärtrehabteamet Specialistvård (demo)",
    CareUnit.Kind.SPECIALIST,
    "Rehabiliteringsmedicin\nDemovägen 1\n811 00 Demostad",
)
PRIMARY = (
    "Vårdcentralen Björkdal, KRT-gruppen (demo)",
    CareUnit.Kind.PRIMARY_CARE,
    "Vårdcentralen Björkdal\nExempelgatan 5\n811 30 Demostad",
)

USERNAMES = {
    Profession.PHYSICIAN: "lakare",
    Profession.PSYCHOLOGIST: "psykolog",
    Profession.PHYSIOTHERAPIST: "fysioterapeut",
    Profession.OCCUPATIONAL_THERAPIST: "arbetsterapeut",
    Profession.SOCIAL_WORKER: "kurator",
    Profession.COORDINATOR_NURSE: "koordinator",
    Profession.REHAB_COORDINATOR: "rehabkoordinator",
    Profession.SPORTS_LEADER: "idrottsledare",
    Profession.SECRETARY: "sekreterare",
}

# An episode's history: the states passed through with the day each began,
# and the discharge reason ("" while open).
Plan = tuple[list[tuple[State, date]], str]
# The rows written next to an episode for its visits and plan.
VisitRow = TriageDecision | Booking | NewVisitRecord | AssessmentConference | RehabPlan
_Row = TypeVar("_Row", bound=Model)

# The usual path through the pathway and the days usually spent in each step.
GROUP_PATH = list(GROUP_PROGRAMME_PATH)
INDIVIDUAL_PATH: list[State] = [
    s for s in GROUP_PATH if s not in {State.PREPARATION, State.GROUP_PROGRAMME}
]
INDIVIDUAL_PATH.insert(
    INDIVIDUAL_PATH.index(State.FOLLOW_UP), State.INDIVIDUAL_REHABILITATION
)
DAYS_IN_STATE = {
    State.REFERRAL_RECEIVED: (2, 10),
    State.TRIAGED: (3, 20),
    State.WAITING_NEW_VISIT: (14, 70),
    State.NEW_VISIT: (7, 21),
    State.TEAM_INVESTIGATION: (14, 40),
    State.ASSESSMENT_CONFERENCE: (3, 14),
    State.PLANNING_MEETING: (7, 21),
    State.PREPARATION: (14, 45),
    State.GROUP_PROGRAMME: (35, 35),
    State.INDIVIDUAL_REHABILITATION: (60, 120),
    State.FOLLOW_UP: (90, 380),
}
EARLY_EXITS = {
    State.REFERRAL_RECEIVED: DischargeReason.RETURNED_AT_TRIAGE,
    State.NEW_VISIT: DischargeReason.NOT_SUITABLE,
    State.ASSESSMENT_CONFERENCE: DischargeReason.NOT_SUITABLE,
    State.PREPARATION: DischargeReason.PATIENT_CHOICE,
    State.GROUP_PROGRAMME: DischargeReason.ABSENCE,
}


class DemoRefused(Refused):
    """The demo clinic is not loaded here; the message (for whoever runs the
    command, in English like the command's other output) says why."""


def refuse_outside_a_demo() -> None:
    """Refuse under production settings, or in a database that holds any other
    care unit than the demo's: the demo creates staff accounts whose password
    is published in the README, which must never exist in a clinic's system.

    Production is the settings marker `PAINREHAB_PRODUCTION=1`
    (`settings.PRODUCTION`), not `DEBUG`: the demo may well be served with
    DEBUG off, and a production server is production whatever DEBUG says.
    """
    if settings.PRODUCTION:
        raise DemoRefused(
            "The demo clinic is never loaded under production settings "
            "(PAINREHAB_PRODUCTION is set): it creates accounts with a published "
            "password."
        )
    demo_names = {SPECIALIST[0], PRIMARY[0]}
    others = CareUnit.objects.exclude(name__in=demo_names)
    if others.exists():
        raise DemoRefused(
            "This database holds other care units than the demo's "
            f"({', '.join(others.values_list('name', flat=True)[:3])}): the demo "
            "clinic, with its published password, is loaded only into a database "
            "of its own."
        )


@dataclass
class DemoClinic:
    units: list[CareUnit]
    logins: list[tuple[str, str, str]]  # username, profession label, unit name
    patients_created: int


def load_demo_clinic(
    *,
    patients: int = 200,
    seed: int = 2026,
    today: date | None = None,
    history_years: int = 0,
    living: bool = True,
) -> DemoClinic:
    """Create (or complete) the demo clinic so that it holds `patients` patients in all.

    With `history_years`, the new patients' episodes spread over that many
    years, most of them discharged, some patients re-referred after an earlier
    episode, each with the questionnaire requests, answers and scored results
    of the time points it passed (`history.py`). With `living` (the default)
    each unit is then given today's work through the staff's own services
    (`living.py`): rooms, programmes, sessions, attendance, appointments,
    letters, forms and how each patient may be told (`make demo` then runs
    the outbox's sweep and worker beside the server).
    """
    refuse_outside_a_demo()
    today = today or timezone.localdate()
    # bandit B311: synthetic demo data; secrets come from `secrets`
    rng = random.Random(seed)  # nosec B311
    with transaction.atomic():
        units = [_unit(*SPECIALIST), _unit(*PRIMARY)]
        logins = _staff(
            units, rng, physicians=physicians_needed(patients, history_years)
        )
        if history_years:
            for unit in units:
                ensure_packages(unit=unit)
    existing = Patient.objects.filter(unit__in=units).count()
    missing = max(0, patients - existing)
    if missing:
        _patients(
            units,
            missing,
            rng=rng,
            today=today,
            history_years=history_years,
            living=living,
        )
    if living:
        bring_to_life(units, today=today, rng=rng)
    return DemoClinic(units=units, logins=logins, patients_created=missing)


def _unit(name: str, kind: str, address: str) -> CareUnit:
    unit, _ = CareUnit.objects.get_or_create(
        name=name,
        defaults={
            "kind": kind,
            "letterhead_address": address,
            "phone": "010-000 00 00",
        },
    )
    return unit


def physicians_needed(patients: int, history_years: int) -> int:
    """Physicians per unit for a clinic of `patients`: one, and at scale as
    many as keep their new-visit calendars at most half full (a benchmark
    clinic has thousands of new visits a year; one physician could not hold
    them, and each booking would search ever further for a free hour)."""
    per_unit = patients // 2 if patients > 5000 else patients
    years = history_years or (10 if patients > 5000 else 2)
    visits_a_year = per_unit * (1 + RE_REFERRED_SHARE) / years
    return max(1, math.ceil(visits_a_year / (VISITS_A_YEAR_PER_PHYSICIAN / 2)))


def _staff(
    units: list[CareUnit], rng: random.Random, *, physicians: int = 1
) -> list[tuple[str, str, str]]:
    fake = Faker("sv_SE")
    fake.seed_instance(rng.randint(0, 10**6))
    password = make_password(DEMO_PASSWORD)
    logins = []
    for unit, suffix in zip(units, ["", "-pv"], strict=True):
        for profession, base in USERNAMES.items():
            username = base + suffix
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": fake.first_name(),
                    "last_name": fake.last_name(),
                    "password": password,
                    "email": f"{username}@example.com",
                },
            )
            Membership.objects.get_or_create(
                user=user,
                unit=unit,
                defaults={
                    "profession": profession,
                    "is_unit_admin": profession == Profession.COORDINATOR_NURSE,
                },
            )
            logins.append((username, str(profession.label), unit.name))
    # Further physicians of a benchmark-sized clinic: lakare2, lakare2-pv, ...
    for number in range(2, physicians + 1):
        for unit, suffix in zip(units, ["", "-pv"], strict=True):
            username = f"{USERNAMES[Profession.PHYSICIAN]}{number}{suffix}"
            user, _created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": fake.first_name(),
                    "last_name": fake.last_name(),
                    "password": password,
                    "email": f"{username}@example.com",
                },
            )
            Membership.objects.get_or_create(
                user=user, unit=unit, defaults={"profession": Profession.PHYSICIAN}
            )
            logins.append((username, str(Profession.PHYSICIAN.label), unit.name))
    # One physician works in both units, to show switching unit in the header.
    both = User.objects.get(username="lakare")
    Membership.objects.get_or_create(
        user=both, unit=units[1], defaults={"profession": Profession.PHYSICIAN}
    )
    return logins


def _patients(
    units: list[CareUnit],
    count: int,
    *,
    rng: random.Random,
    today: date,
    history_years: int = 0,
    living: bool = True,
) -> None:
    fake = Faker("sv_SE")
    fake.seed_instance(rng.randint(0, 10**6))
    names = _name_pools(fake)
    staff = {
        u.pk: list(Membership.objects.filter(unit=u).values_list("user_id", flat=True))
        for u in units
    }
    # Two thirds specialist, one third primary care; a benchmark-sized clinic is
    # split evenly, as each unit has room for about 52,000 test numbers.
    share = count // 2 if count > 5000 else count // 3
    per_unit = [count - share, share]
    calendar: set[tuple[int, datetime]] = set()  # physicians' booked times, both units
    for unit, n in zip(units, per_unit, strict=True):
        numbers = _free_test_numbers(unit, n, rng=rng, large=count > 5000)
        scripted = (
            scripted_plans(kind=unit.kind, today=today, rng=rng)[:n] if living else []
        )
        for start in range(0, n, BATCH):
            chunk = numbers[start : start + BATCH]
            _write_batch(
                unit,
                chunk,
                names,
                staff[unit.pk],
                rng=rng,
                today=today,
                spread_years=history_years or (10 if count > 5000 else 2),
                history=history_years > 0,
                calendar=calendar,
                scripted=scripted if start == 0 else [],
            )


def _name_pools(fake: Faker) -> dict[str, list[str]]:
    return {
        "female": [fake.first_name_female() for _ in range(400)],
        "male": [fake.first_name_male() for _ in range(400)],
        "last": [fake.last_name() for _ in range(600)],
        "street": [fake.street_address() for _ in range(800)],
        "postcode": [fake.postcode() for _ in range(300)],
        "city": [fake.city() for _ in range(150)],
        "phone": [FICTION_PHONES[n % len(FICTION_PHONES)] for n in range(800)],
    }


def _free_test_numbers(
    unit: CareUnit, n: int, *, rng: random.Random, large: bool
) -> list[tuple[str, date, bool]]:
    first, last = (
        (date(1935, 1, 1), date(2006, 12, 31))
        if large
        else (date(1960, 1, 1), date(2004, 12, 31))
    )
    days = (last - first).days + 1
    taken = set(
        Patient.objects.filter(unit=unit).values_list("personnummer", flat=True)
    )
    if n > 2 * days - len(taken):
        raise ValueError(
            f"At most {2 * days - len(taken)} more test numbers fit in {unit}."
        )
    chosen: list[tuple[str, date, bool]] = []
    for index in rng.sample(range(2 * days), min(2 * days, n + len(taken))):
        born = first + timedelta(days=index // 2)
        female = index % 2 == 0
        number = tax_agency_test_number(born=born, female=female)
        if number not in taken:
            chosen.append((number, born, female))
        if len(chosen) == n:
            break
    return chosen


def _write_batch(  # noqa: PLR0913 - one batch's worth of facts
    unit: CareUnit,
    chunk: list[tuple[str, date, bool]],
    names: dict[str, list[str]],
    staff_ids: list[int],
    *,
    rng: random.Random,
    today: date,
    spread_years: int,
    calendar: set[tuple[int, datetime]],
    history: bool = False,
    scripted: Sequence[Plan] = (),
) -> None:
    patients = _write_patients(unit, chunk, names, rng=rng, today=today)
    plans = [
        _episode_plan(
            rng=rng,
            today=today,
            spread_years=spread_years,
            open_share=OPEN_SHARE if history else None,
        )
        for _ in patients
    ]
    plans[: len(scripted)] = scripted
    owners = list(patients)
    if history:
        earlier = _earlier_episodes(
            owners, plans, rng=rng, today=today, years=spread_years
        )
        owners += [p for p, _plan in earlier]
        plans += [plan for _p, plan in earlier]
    episodes = _write_episodes(unit, owners, plans, rng=rng)
    physicians = _history_physicians(unit)
    referrals, events, visits = [], [], []
    for episode, (steps, reason) in zip(episodes, plans, strict=True):
        referrals.append(_referral(episode, names, rng=rng))
        visits.extend(
            _visits(
                episode,
                steps,
                reason=reason,
                physicians=physicians,
                rng=rng,
                today=today,
                calendar=calendar,
            )
        )
        events.extend(_transitions(episode, steps, staff_ids, rng=rng))
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    EpisodeTransition.objects.bulk_create(events, batch_size=BATCH)
    _write_visits(visits, today=today)
    # The due follow-up rows, as moving each episode through the states would.
    refresh_follow_ups_due(
        e.pk for e in episodes if e.state in (State.FOLLOW_UP, State.DISCHARGED)
    )
    if history:
        write_history(
            [
                EpisodeHistory(episode=e, reached=dict(steps), reason=reason)
                for e, (steps, reason) in zip(episodes, plans, strict=True)
            ],
            kind=unit.kind,
            sender_ids=[
                m.user_id
                for m in Membership.objects.filter(unit=unit)
                if may(m, SEND_PERMISSIONS)
            ],
            rng=rng,
            today=today,
            batch_size=HISTORY_BATCH,
        )


def _write_patients(
    unit: CareUnit,
    chunk: list[tuple[str, date, bool]],
    names: dict[str, list[str]],
    *,
    rng: random.Random,
    today: date,
) -> list[Patient]:
    """One batch's patients, written, with their ids."""
    patients = []
    for number, born, female in chunk:
        first = rng.choice(names["female" if female else "male"])
        last = rng.choice(names["last"])
        interpreter = rng.random() < 0.08
        patients.append(
            Patient(
                unit=unit,
                personnummer=number,
                birth_date=born,
                first_name=first,
                last_name=last,
                street_address=rng.choice(names["street"]),
                postal_code=rng.choice(names["postcode"]),
                city=rng.choice(names["city"]),
                phone=rng.choice(names["phone"]),
                email=f"{_ascii(first)}.{_ascii(last)}@example.com".lower(),
                needs_interpreter=interpreter,
                interpreter_language=rng.choice(
                    ["arabiska", "somaliska", "tigrinja", "persiska"]
                )
                if interpreter
                else "",
                preferred_language="svenska",
                needs_easy_read=rng.random() < 0.05,
                registry_informed_on=today - timedelta(days=rng.randint(0, 365))
                if rng.random() < 0.9
                else None,
                registry_objected=rng.random() < 0.05,
            )
        )
    Patient.objects.bulk_create(patients, batch_size=BATCH)
    if patients[0].pk is None:  # backends that do not return ids on bulk insert
        by_number = dict(
            Patient.objects.filter(
                unit=unit, personnummer__in=[p.personnummer for p in patients]
            ).values_list("personnummer", "pk")
        )
        for p in patients:
            p.pk = by_number[p.personnummer]
    return patients


def _write_episodes(
    unit: CareUnit, owners: list[Patient], plans: list[Plan], *, rng: random.Random
) -> list[Episode]:
    """Each owner's episode in the state its plan ends in, written, with ids."""
    episodes = [
        Episode(
            patient_id=p.pk,
            unit=unit,
            state=steps[-1][0],
            state_since=_at(steps[-1][1], rng),
            opened_on=steps[0][1],
            closed_on=steps[-1][1] if steps[-1][0] == State.DISCHARGED else None,
            discharge_reason=reason,
        )
        for p, (steps, reason) in zip(owners, plans, strict=True)
    ]
    Episode.objects.bulk_create(episodes, batch_size=BATCH)
    if episodes[0].pk is None:  # a patient's episodes differ in their first day
        by_patient = {
            (patient_id, opened_on): pk
            for patient_id, opened_on, pk in Episode.objects.filter(
                patient_id__in={p.pk for p in owners}
            ).values_list("patient_id", "opened_on", "pk")
        }
        for e in episodes:
            e.pk = by_patient[e.patient_id, e.opened_on]
    return episodes


def _history_physicians(unit: CareUnit) -> list[int]:
    """The physicians who take the history's new visits."""
    physicians = dict(
        Membership.objects.filter(
            unit=unit, profession=Profession.PHYSICIAN
        ).values_list("user__username", "user_id")
    )
    if f"{USERNAMES[Profession.PHYSICIAN]}2" in {
        n.removesuffix("-pv") for n in physicians
    }:
        # A scaled clinic: the shown physician, who works in both units and
        # runs the programmes, keeps his days for them; the others take the
        # history's new visits.
        physicians.pop(USERNAMES[Profession.PHYSICIAN])
    return list(physicians.values())


def _referral(
    episode: Episode, names: dict[str, list[str]], *, rng: random.Random
) -> Referral:
    """The referral (or the patient's own request) that opened an episode."""
    own = rng.random() < 0.15
    # Drawn in this order, so the demo's data stay the same from load to load.
    referrer_name = "" if own else f"Dr {rng.choice(names['last'])}"
    referrer_unit = "" if own else f"Vårdcentralen {rng.choice(names['city'])}"
    pain_duration_months = rng.randint(4, 120)
    pain_location = rng.choice(["nacke och skuldror", "ländrygg", "spridd smärta"])
    sick_leave = rng.choice(["none", "partly", "fully"])
    return Referral(
        episode_id=episode.pk,
        received_on=episode.opened_on,
        source=Referral.Source.OWN_REQUEST if own else Referral.Source.REFERRAL,
        referrer_name=referrer_name,
        referrer_unit=referrer_unit,
        reason=f"{REASON_PAIN[pain_location]}, {REASON_AT_WORK[sick_leave]}.",
        referrer_address="" if own else "Box 100\n811 00 Demostad",
        pain_duration_months=pain_duration_months,
        pain_location=pain_location,
        sick_leave=sick_leave,
    )


# The referral's own words about the pain and about work, agreeing with its
# pain location and its kind of sick leave.
REASON_PAIN = {
    "nacke och skuldror": "Långvarig smärta i nacke och skuldror",
    "ländrygg": "Långvarig smärta i ländryggen",
    "spridd smärta": "Långvarig spridd smärta",
}
REASON_AT_WORK = {
    "none": "arbetar men med svårighet",
    "partly": "sjukskriven 50 %",
    "fully": "heltidssjukskriven sedan ett halvår",
}


def _transitions(
    episode: Episode,
    steps: list[tuple[State, date]],
    staff_ids: list[int],
    *,
    rng: random.Random,
) -> list[EpisodeTransition]:
    """The episode's moves through its states, one row per step."""
    events = []
    previous = ""
    for state, day in steps:
        events.append(
            EpisodeTransition(
                episode_id=episode.pk,
                from_state=previous,
                to_state=state,
                at=_at(day, rng),
                by_id=rng.choice(staff_ids),
            )
        )
        previous = state
    return events


def scripted_plans(
    *, kind: str, today: date, rng: random.Random
) -> list[tuple[list[tuple[State, date]], str]]:
    """The episodes a living clinic has on any day, whatever the draw: one
    patient past the 60-day goal on each waiting list (new visit, team
    investigation, programme start), three in individual rehabilitation,
    and patients in follow-up whose
    follow-ups fall due today (12-month forms in the specialist unit, the KRT
    group's 1- and 3-month follow-ups in primary care)."""

    def until(path: list[State], state: State) -> list[State]:
        return path[: path.index(state) + 1]

    def anchored(
        path: list[State], state: State, day: date
    ) -> list[tuple[State, date]]:
        durations = [rng.randint(*DAYS_IN_STATE[s]) for s in path[:-1]]
        first = day - timedelta(days=sum(durations[: path.index(state)]))
        steps, began = [], first
        for step, length in zip(path, [*durations, 0], strict=True):
            steps.append((step, began))
            began += timedelta(days=length)
        return steps

    planned = anchored(
        until(GROUP_PATH, State.PLANNING_MEETING),
        State.PLANNING_MEETING,
        today - timedelta(days=68),
    )
    plans = [
        anchored(
            until(GROUP_PATH, State.WAITING_NEW_VISIT),
            State.REFERRAL_RECEIVED,
            today - timedelta(days=75),
        ),
        anchored(
            until(GROUP_PATH, State.TEAM_INVESTIGATION),
            State.TEAM_INVESTIGATION,
            today - timedelta(days=66),
        ),
        # The plan took long to sign: in preparation since a few days, past
        # the goal, first in line for the next programme.
        [*planned, (State.PREPARATION, today - timedelta(days=3))],
    ]
    # Individual rehabilitation under way: appointments with every profession.
    plans += [
        anchored(
            until(INDIVIDUAL_PATH, State.INDIVIDUAL_REHABILITATION),
            State.INDIVIDUAL_REHABILITATION,
            today - timedelta(days=days),
        )
        for days in (12, 26, 40)
    ]
    follow_up = until(GROUP_PATH, State.FOLLOW_UP)
    individual = until(INDIVIDUAL_PATH, State.FOLLOW_UP)
    if kind == CareUnit.Kind.SPECIALIST:
        ended = [
            (follow_up, today - timedelta(days=35)),  # 4–6 weeks: due today
            (follow_up, add_months(today, -12)),  # 12-month forms due today
            (follow_up, add_months(today, -12) - timedelta(days=20)),  # sent
            (individual, add_months(today - timedelta(days=14), -3)),  # 3–4 months
        ]
    else:
        ended = [
            (follow_up, add_months(today, -1)),  # group follow-up, 1 month
            (follow_up, add_months(today, -3)),  # individual follow-ups, 3 months
        ]
    plans += [anchored(path, State.FOLLOW_UP, day) for path, day in ended]
    return [(steps, "") for steps in plans]


def _earlier_episodes(
    patients: list[Patient],
    plans: list[Plan],
    *,
    rng: random.Random,
    today: date,
    years: int,
) -> list[tuple[Patient, Plan]]:
    """Earlier, discharged episodes of re-referred patients, inside the history window."""
    first_day = today - timedelta(days=365 * years)
    earlier = []
    for patient, (steps, _reason) in zip(patients, plans, strict=True):
        if rng.random() >= RE_REFERRED_SHARE:
            continue
        discharged_on = steps[0][1] - timedelta(days=rng.randint(60, 900))
        plan = _episode_plan(
            rng=rng, today=today, spread_years=years, discharged_on=discharged_on
        )
        if plan[0][0][1] >= first_day:
            earlier.append((patient, plan))
    return earlier


def _free_slot(
    suggested: datetime, physician: int, calendar: set[tuple[int, datetime]]
) -> datetime:
    """A time for a demo visit as a coordinator would book it, near the one
    suggested: a working day, within the unit's day, never two visits of one
    physician at once (in either unit)."""
    local = timezone.localtime(suggested)
    day, first = local.date(), min(max(local.hour, 8), 15)
    hours = [first, *(h for h in range(8, 16) if h != first)]
    while True:
        if _working_day(day):
            for hour in hours:
                starts = timezone.make_aware(datetime.combine(day, time(hour)))
                if (physician, starts) not in calendar:
                    calendar.add((physician, starts))
                    return starts
        day += timedelta(days=1)


@lru_cache(maxsize=8192)
def _working_day(day: date) -> bool:
    return day.weekday() < 5 and not swedish_closed_days(day, day)


def _visits(  # noqa: PLR0913 - the facts one episode's visits are drawn from
    episode: Episode,
    steps: list[tuple[State, date]],
    *,
    reason: str,
    physicians: list[int],
    rng: random.Random,
    today: date,
    calendar: set[tuple[int, datetime]],
) -> list[VisitRow]:
    """Triage decision, booking and new-visit record matching the episode's history."""
    reached = dict(steps)
    physician = rng.choice(physicians)
    rows: list[VisitRow] = []
    if State.TRIAGED in reached or reason == DischargeReason.RETURNED_AT_TRIAGE:
        returned = (
            reason == DischargeReason.RETURNED_AT_TRIAGE
            and State.TRIAGED not in reached
        )
        decided = reached.get(State.TRIAGED) or reached[State.DISCHARGED]
        outcome = "return" if returned else rng.choice(["new_visit", "screening"])
        rows.append(
            TriageDecision(
                episode_id=episode.pk,
                outcome=outcome,
                decided_by_id=physician,
                decided_at=_at(decided, rng),
                screening_profession="physiotherapist"
                if outcome == "screening"
                else "",
                reason="Primärvårdens insatser ej prövade." if returned else "",
            )
        )
    if State.WAITING_NEW_VISIT in reached:
        held = reached.get(State.NEW_VISIT)
        visit_day = held or today + timedelta(days=rng.randint(3, 50))
        rows.append(
            Booking(
                episode_id=episode.pk,
                unit_id=episode.unit_id,
                kind=Booking.Kind.NEW_VISIT,
                starts_at=_free_slot(_at(visit_day, rng), physician, calendar),
                staff_id=physician,
                booked_by_id=physician,
                status=Booking.Status.HELD if held else Booking.Status.BOOKED,
                # Sent four weeks before the visit, when that day has come.
                invitation_sent_on=visit_day - timedelta(days=28)
                if visit_day - timedelta(days=28) <= today
                and (held or rng.random() < 0.5)
                else None,
            )
        )
        if held:
            states = [state for state, _day in steps]
            following = states[
                states.index(State.NEW_VISIT) + 1 : states.index(State.NEW_VISIT) + 2
            ]
            outcomes: dict[tuple[State, ...], str] = {
                (State.TEAM_INVESTIGATION,): "team_investigation",
                (State.DISCHARGED,): "discharge",
            }
            outcome = outcomes.get(tuple(following), "other")
            rows.append(
                NewVisitRecord(
                    episode_id=episode.pk,
                    held_on=held,
                    summary="Långvarig smärta, bedömd vid nybesök.",
                    outcome=outcome,
                    other_action="Återbesök efter röntgen"
                    if outcome == "other"
                    else "",
                    recorded_by_id=physician,
                )
            )
    if State.PLANNING_MEETING in reached:
        track = (
            "individual"
            if State.INDIVIDUAL_REHABILITATION in reached
            else "group_programme"
        )
        decided = reached[State.PLANNING_MEETING]
        rows.append(
            AssessmentConference(
                episode_id=episode.pk,
                held_on=decided,
                criteria_template="specialist",
                criteria_version="standard",
                main_problems="Långvarig smärta med sömnbrist och nedstämdhet.",
                decision=track,
                individual_reason="practical_reasons" if track == "individual" else "",
                decided_by_id=physician,
                decided_at=_at(decided, rng),
            )
        )
        signed = reached.get(State.PREPARATION) or reached.get(
            State.INDIVIDUAL_REHABILITATION
        )
        rows.append(
            RehabPlan(
                episode_id=episode.pk,
                track=track,
                values="Arbete och familj.",
                overall_goal="Återgå i arbete.",
                signed_on=signed,
                signature="paper" if signed else "",
                updated_by_id=physician,
            )
        )
    return rows


def _bulk_create_of(model: type[_Row], rows: list[VisitRow]) -> None:
    model._default_manager.bulk_create(
        [r for r in rows if isinstance(r, model)], batch_size=BATCH
    )


def _write_visits(rows: list[VisitRow], *, today: date) -> None:
    _bulk_create_of(TriageDecision, rows)
    _bulk_create_of(Booking, rows)
    _bulk_create_of(NewVisitRecord, rows)
    _bulk_create_of(AssessmentConference, rows)
    _bulk_create_of(RehabPlan, rows)
    plans = [r for r in rows if isinstance(r, RehabPlan)]
    if plans and plans[0].pk is None:  # backends that do not return ids on bulk insert
        by_episode = dict(
            RehabPlan.objects.filter(
                episode_id__in=[p.episode_id for p in plans]
            ).values_list("episode_id", "pk")
        )
        for plan in plans:
            plan.pk = by_episode[plan.episode_id]
    # Each goal is owned by a member of the plan's unit with the goal's
    # profession (the physician who wrote the plan when the unit has none).
    unit_of = dict(
        Episode.objects.filter(pk__in=[p.episode_id for p in plans]).values_list(
            "pk", "unit_id"
        )
    )
    owners = {
        (unit_id, profession): user_id
        for unit_id, profession, user_id in Membership.all_periods.filter(
            profession__in=["physiotherapist", "psychologist"]
        )
        .order_by("pk")
        .values_list("unit_id", "profession", "user_id")
    }
    goals = [
        Goal(
            plan_id=plan.pk,
            profession=profession,
            owner_id=owners.get(
                (unit_of[plan.episode_id], profession), plan.updated_by_id
            ),
            description=text,
            measure=measure,
            target_date=(plan.signed_on or today) + timedelta(days=60),
            set_on=plan.signed_on or today,
        )
        for plan in plans
        for profession, text, measure in [
            ("physiotherapist", "Promenera 30 minuter dagligen", "minuter per dag"),
            ("psychologist", "Sova sex timmar per natt", "sömndagbok"),
        ]
    ]
    Goal.objects.bulk_create(goals, batch_size=BATCH)


def _episode_plan(
    *,
    rng: random.Random,
    today: date,
    spread_years: int,
    open_share: float | None = None,
    discharged_on: date | None = None,
) -> tuple[list[tuple[State, date]], str]:
    """A plausible history: the states passed through with the day each began.

    Without `open_share` every state is as likely to be the current one; with
    it, that share of episodes is open and the rest discharged. An episode
    given `discharged_on` ends on that day.
    """
    path = GROUP_PATH if rng.random() < 0.7 else INDIVIDUAL_PATH
    if discharged_on is not None:
        stop_at = len(path) - 1
    elif open_share is not None:
        is_open = rng.random() < open_share
        stop_at = rng.randrange(len(path) - 1) if is_open else len(path) - 1
    else:
        stop_at = rng.randrange(len(path))
    end_state = path[stop_at]
    reason = ""
    if end_state == State.DISCHARGED:
        exits = [s for s in path[:-1] if s in EARLY_EXITS]
        if rng.random() < 0.35 and exits:
            exit_from = rng.choice(exits)
            path = path[: path.index(exit_from) + 1] + [State.DISCHARGED]
            reason = EARLY_EXITS[exit_from]
        else:
            reason = DischargeReason.COMPLETED
    else:
        path = path[: stop_at + 1]
        if end_state == State.GROUP_PROGRAMME:
            # A programme is joined through its cohort (`living.py`), never
            # by a bare state: the bulk patients wait in preparation.
            path, end_state = path[:-1], State.PREPARATION
    durations = [rng.randint(*DAYS_IN_STATE[s]) for s in path[:-1]]
    # The last state began a little while ago; older episodes for a spread over years.
    last_began = today - timedelta(days=rng.randint(0, 20))
    if end_state == State.PREPARATION:
        last_began = today - timedelta(days=rng.randint(14, 45))
    if end_state == State.DISCHARGED:
        last_began = today - timedelta(days=rng.randint(0, 365 * spread_years))
    if discharged_on is not None:
        last_began = discharged_on
    day = last_began - timedelta(days=sum(durations))
    steps = []
    for state, length in zip(path, [*durations, 0], strict=True):
        steps.append((state, day))
        day += timedelta(days=length)
    return steps, reason


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, time(8 + rng.randint(0, 7), rng.choice([0, 15, 30, 45])))
    )


def _ascii(text: str) -> str:
    return text.translate(str.maketrans("åäöéÅÄÖÉ", "aaoeAAOE")).replace(" ", "")
