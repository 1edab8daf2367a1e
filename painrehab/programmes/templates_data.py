"""Programme templates as plain data, and their expansion into activity demands.

Two shipped templates that `services.ensure_default_templates` loads into
each unit's configurable templates: the specialist five-week pain rehabilitation programme (seed 0 §9)
and the KRT group in primary care (seed 2). Every field is a plain value
(strings, numbers, tuples), so `dataclasses.asdict` gives a loadable row.

The seeds name the activities and who is responsible; the lengths and how
often each activity recurs are usual defaults for a unit to adjust, not
values from the seeds.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from painrehab.programmes.scheduler import (
    ActivityDemand,
    Cohort,
    ProfessionSpec,
    RoomKind,
)

T = TypeVar("T")


@dataclass(frozen=True)
class TemplateActivity:
    """One activity of a template, `per_week` times in each of `weeks`.

    `group_size` None means the whole group attends; 0 means staff only (the
    patient conference); n splits the participants into groups of at most n,
    each with its own sessions (1: individual appointments).
    """

    key: str
    name: str
    name_sv: str  # the seed's own term
    professions: tuple[ProfessionSpec, ...]
    minutes: int
    room_kind: str
    weeks: tuple[int, ...]
    per_week: int = 1
    per_week_max: int | None = None  # the seed's upper bound, when it gives a range
    group_size: int | None = None
    prefer_morning: bool = False
    after: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class ProgrammeTemplate:
    key: str
    name: str
    name_sv: str
    weeks: int
    activities: tuple[TemplateActivity, ...]
    days_per_week: tuple[int, int] | None = None
    week_day_limits: dict[int, tuple[int, int]] = field(default_factory=dict)
    min_participants: int = 4
    max_participants: int = 7
    source: str = ""


@dataclass(frozen=True)
class ProgrammeWeek:
    """One programme week of an expanded template."""

    number: int
    first_day: date
    last_day: date
    day_limits: tuple[int, int] | None
    demands: tuple[ActivityDemand, ...]


_ALL_WEEKS = (1, 2, 3, 4, 5)
_GROUP_WEEKS = (2, 3, 4, 5)
_CORE_TEAM = (
    "physician",
    "psychologist",
    "physiotherapist",
    "occupational_therapist",
    "coordinator_nurse",
)

# The enrolment week: four days of individual appointments with the team
# (seed 0 §9.3 "Programinskrivning").
_ENROLMENT = (
    TemplateActivity(
        key="enrolment_psychologist",
        name="Enrolment: values and goals",
        name_sv="Programinskrivning: värderingar och mål (psykolog)",
        professions=("psychologist",),
        minutes=60,
        room_kind="none",
        weeks=(1,),
        group_size=1,
        source="seed 0 §9.3 Programinskrivning",
    ),
    TemplateActivity(
        key="enrolment_physiotherapist",
        name="Enrolment: fitness and relaxation tests",
        name_sv="Programinskrivning: kondition och avspänningsförmåga",
        professions=("physiotherapist",),
        minutes=60,
        room_kind="gym",
        weeks=(1,),
        group_size=1,
        source="seed 0 §9.3 Programinskrivning",
    ),
    TemplateActivity(
        key="enrolment_occupational_therapist",
        name="Enrolment: activity pattern",
        name_sv="Programinskrivning: aktivitetsmönster (arbetsterapeut)",
        professions=("occupational_therapist",),
        minutes=45,
        room_kind="none",
        weeks=(1,),
        group_size=1,
        source="seed 0 §9.3 Programinskrivning, Aktivitetsbalans",
    ),
    TemplateActivity(
        key="enrolment_physician",
        name="Enrolment: medical review",
        name_sv="Programinskrivning: läkare",
        professions=("physician",),
        minutes=30,
        room_kind="none",
        weeks=(1,),
        group_size=1,
        source="seed 0 §9.3 Programinskrivning",
    ),
)

# Group content of weeks 2–5 (seed 0 §9.3), in the order the seed lists it.
_GROUP_CONTENT = (
    TemplateActivity(
        key="acceptance",
        name="Acceptance",
        name_sv="Acceptans",
        professions=("psychologist",),
        minutes=60,
        room_kind="group_room",
        weeks=_GROUP_WEEKS,
        source="seed 0 §9.3 Acceptans",
    ),
    TemplateActivity(
        key="mindfulness",
        name="Mindfulness",
        name_sv="Medveten närvaro",
        professions=("psychologist",),
        minutes=30,
        room_kind="group_room",
        weeks=_GROUP_WEEKS,
        source="seed 0 §9.3 Medveten närvaro",
    ),
    TemplateActivity(
        key="behaviour_analysis",
        name="Behaviour analysis",
        name_sv="Beteendeanalys",
        professions=("psychologist",),
        minutes=60,
        room_kind="group_room",
        weeks=(2, 3),
        source="seed 0 §9.3 Beteendeanalys",
    ),
    TemplateActivity(
        key="physical_training",
        name="Graded physical training",
        name_sv="Fysisk träning (kvoterad/graderad)",
        professions=("physiotherapist",),
        minutes=60,
        room_kind="gym",
        weeks=_GROUP_WEEKS,
        per_week=2,
        prefer_morning=True,
        source="seed 0 §9.3 Fysisk träning",
    ),
    TemplateActivity(
        key="conditioning",
        name="Conditioning training",
        name_sv="Konditionsträning",
        professions=(("physiotherapist", "sports_leader"),),
        minutes=45,
        room_kind="gym",
        weeks=_GROUP_WEEKS,
        prefer_morning=True,
        source="seed 0 §9.3 Fysisk träning (konditionsträning)",
    ),
    TemplateActivity(
        key="pool_training",
        name="Pool training in a group",
        name_sv="Bassängträning i grupp",
        professions=("physiotherapist",),
        minutes=45,
        room_kind="pool",
        weeks=_GROUP_WEEKS,
        source="seed 0 §9.3 Fysisk träning (bassängträning)",
    ),
    TemplateActivity(
        key="walking",
        name="Walking and Nordic walking",
        name_sv="Promenad/stavgång",
        professions=(("sports_leader", "physiotherapist"),),
        minutes=60,
        room_kind="none",
        weeks=_GROUP_WEEKS,
        prefer_morning=True,
        source="seed 0 §9.3 Fysisk träning (promenad/stavgång)",
    ),
    TemplateActivity(
        key="lesson_training",
        name="Lesson: how to train, the Borg RPE scale",
        name_sv="Teorilektion: fysisk träning och Borg RPE-skala",
        professions=("physiotherapist",),
        minutes=60,
        room_kind="group_room",
        weeks=(2, 3),
        source="seed 0 §9.3 Fysisk träning (två teoretiska lektioner)",
    ),
    TemplateActivity(
        key="healthy_activities",
        name="Healthy activities: trying sports",
        name_sv="Friska aktiviteter",
        professions=("sports_leader",),
        minutes=90,
        room_kind="none",
        weeks=_GROUP_WEEKS,
        source="seed 0 §9.3 Friska aktiviteter",
    ),
    TemplateActivity(
        key="body_awareness",
        name="Body awareness and applied relaxation",
        name_sv="Kroppsmedvetande träning och tillämpad avspänning",
        professions=("physiotherapist",),
        minutes=45,
        room_kind="group_room",
        weeks=_GROUP_WEEKS,
        source="seed 0 §9.3 Kroppsmedvetande träning",
    ),
    TemplateActivity(
        key="everyday_ergonomics",
        name="Everyday ergonomics",
        name_sv="Vardagsergonomi",
        professions=("occupational_therapist",),
        minutes=60,
        room_kind="group_room",
        weeks=(3,),
        source="seed 0 §9.3 Vardagsergonomi",
    ),
    TemplateActivity(
        key="activity_balance",
        name="Activity balance: habits, routines and structure",
        name_sv="Aktivitetsbalans – vanor, rutiner och struktur",
        professions=("occupational_therapist",),
        minutes=60,
        room_kind="group_room",
        weeks=(2, 4),
        source="seed 0 §9.3 Aktivitetsbalans (lektion)",
    ),
    TemplateActivity(
        key="activity_balance_talk",
        name="Activity balance: individual talk",
        name_sv="Aktivitetsbalans: enskilt samtal",
        professions=("occupational_therapist",),
        minutes=30,
        room_kind="none",
        weeks=(3,),
        group_size=1,
        source="seed 0 §9.3 Aktivitetsbalans (enskilda samtal)",
    ),
    TemplateActivity(
        key="lesson_pain",
        name="Lesson: long-term pain, anatomy and physiology",
        name_sv="Teorilektion: långvarig smärta, anatomi/fysiologi",
        professions=("physician",),
        minutes=60,
        room_kind="group_room",
        weeks=(2,),
        source="seed 0 §9.3 Teoretiska lektioner",
    ),
    TemplateActivity(
        key="lesson_stress",
        name="Lesson: stress",
        name_sv="Teorilektion: stress",
        professions=("psychologist",),
        minutes=60,
        room_kind="group_room",
        weeks=(3,),
        source="seed 0 §9.3 Teoretiska lektioner",
    ),
    TemplateActivity(
        key="return_to_work",
        name="Planning the return to work",
        name_sv="Planering inför återgång i arbete",
        professions=("rehab_coordinator",),
        minutes=45,
        room_kind="none",
        weeks=(3,),
        group_size=1,
        source="seed 0 §9.3 Planering och träning inför återgång i arbete",
    ),
    TemplateActivity(
        key="relatives_meeting",
        name="Meeting with relatives",
        name_sv="Närståendeträff",
        professions=("social_worker", "psychologist"),
        minutes=90,
        room_kind="group_room",
        weeks=(4,),
        source="seed 0 §9.3 Kontakt med närstående (kurator ansvarar)",
    ),
    TemplateActivity(
        key="maintenance_plan",
        name="Maintenance plan",
        name_sv="Vidmakthållandeplan",
        professions=("psychologist",),
        minutes=45,
        room_kind="group_room",
        weeks=(4,),
        source="seed 0 §9.3 Vidmakthållande",
    ),
)

# The last week: questionnaires and individual goal evaluation (seed 0 §9.3
# "Formulär", "Programavslut"); the team conference every week (§8.2, §9.3).
_CLOSING = (
    TemplateActivity(
        key="questionnaires",
        name="Questionnaires at programme end",
        name_sv="Formulär vid programslut",
        professions=("coordinator_nurse",),
        minutes=30,
        room_kind="group_room",
        weeks=(5,),
        source="seed 0 §9.3 Formulär",
    ),
    TemplateActivity(
        key="goal_evaluation_psychologist",
        name="Goal evaluation with the psychologist",
        name_sv="Programavslut: utvärdering av mål (psykolog)",
        professions=("psychologist",),
        minutes=30,
        room_kind="none",
        weeks=(5,),
        group_size=1,
        source="seed 0 §9.3 Programavslut",
    ),
    TemplateActivity(
        key="goal_evaluation_physiotherapist",
        name="Goal evaluation with the physiotherapist",
        name_sv="Programavslut: utvärdering av mål (fysioterapeut)",
        professions=("physiotherapist",),
        minutes=30,
        room_kind="none",
        weeks=(5,),
        group_size=1,
        source="seed 0 §9.3 Programavslut",
    ),
    TemplateActivity(
        key="patient_conference",
        name="Patient conference",
        name_sv="Patientkonferens",
        professions=_CORE_TEAM,
        minutes=45,
        room_kind="none",
        weeks=_ALL_WEEKS,
        group_size=0,
        source="seed 0 §8.2, §9.3 (teamet träffas en gång per programvecka)",
    ),
)

SPECIALIST_PROGRAMME = ProgrammeTemplate(
    key="specialist_5_weeks",
    name="Pain rehabilitation programme, five weeks",
    name_sv="Smärtrehabprogram, fem veckor",
    weeks=5,
    activities=_ENROLMENT + _GROUP_CONTENT + _CLOSING,
    days_per_week=(3, 4),  # seed 0 §9.2: three to four scheduled days a week
    week_day_limits={1: (4, 4)},  # seed 0 §9.3: four enrolment days first
    min_participants=4,  # seed 0 §9.2: usually 4–7 participants
    max_participants=7,
    source="seed 0 §9.2–9.3",
)

# KRT (seed 2, "Behandling" and "Program"): six two-hour theory sessions, one
# or two a week, the sixth by the physician; then a month of training in the
# gym two to three times a week in groups of two to three, supervised by a
# physiotherapist. The follow-up meetings after 1, 2 and 3 months fall
# outside this block and are booked separately.
KRT_GROUP = ProgrammeTemplate(
    key="krt_primary_care",
    name="KRT group (cognitive rehabilitation therapy)",
    name_sv="KRT-grupp (kognitiv rehabiliteringsterapi)",
    weeks=7,
    activities=(
        TemplateActivity(
            key="krt_theory",
            name="KRT theory session: film and discussion",
            name_sv="Teoripass: film och diskussion",
            professions=("physiotherapist", "psychologist"),
            minutes=120,
            room_kind="group_room",
            weeks=(1, 2),
            per_week=2,
            source="seed 2 Teoripass 1–5",
        ),
        TemplateActivity(
            key="krt_theory",
            name="KRT theory session: film and discussion",
            name_sv="Teoripass: film och diskussion",
            professions=("physiotherapist", "psychologist"),
            minutes=120,
            room_kind="group_room",
            weeks=(3,),
            source="seed 2 Teoripass 5",
        ),
        TemplateActivity(
            key="krt_theory_physician",
            name="KRT theory session 6: examinations, medicines, modern view of pain",
            name_sv="Teoripass 6: undersökningar, läkemedel, modern syn på smärta",
            professions=("physician",),
            minutes=120,
            room_kind="group_room",
            weeks=(3,),
            after=("krt_theory",),
            source="seed 2 Teoripass 6",
        ),
        TemplateActivity(
            key="krt_training",
            name="Supervised training in the gym",
            name_sv="Träningspass i träningshall",
            professions=("physiotherapist",),
            minutes=60,
            room_kind="gym",
            weeks=(4, 5, 6, 7),
            per_week=2,
            per_week_max=3,
            group_size=3,
            source="seed 2 Träningsperiod",
        ),
    ),
    min_participants=4,  # seed 2: 4–6 participants a group
    max_participants=6,
    source="seed 2",
)

TEMPLATES = (SPECIALIST_PROGRAMME, KRT_GROUP)


def expand_template(
    *, template: ProgrammeTemplate, start: date, participants: int
) -> tuple[ProgrammeWeek, ...]:
    """The activity demands of each programme week for a cohort starting `start`.

    Week n runs from `start + 7*(n-1)` for seven days. Activities split into
    groups (`group_size` n) give one demand per group, keyed `<key>-<group>`,
    with the participants shared as evenly as possible; each demand occurs
    `per_week` times in its week (the lower bound where the seed gives a range).
    """
    weeks = []
    for number in range(1, template.weeks + 1):
        first_day = start + timedelta(weeks=number - 1)
        demands = tuple(
            demand
            for activity in template.activities
            if number in activity.weeks
            for demand in _demands(activity, week=number, participants=participants)
        )
        limits = template.week_day_limits.get(number, template.days_per_week)
        weeks.append(
            ProgrammeWeek(number, first_day, first_day + timedelta(6), limits, demands)
        )
    return tuple(weeks)


def cohort_from_template(
    *,
    template: ProgrammeTemplate,
    key: str,
    name: str,
    start: date,
    participants: int,
    weekdays: frozenset[int] = frozenset(range(5)),
    closed_on: frozenset[date] = frozenset(),
) -> Cohort:
    """A cohort running the whole template from `start`, ready for the scheduler.

    `closed_on` are dates without programme (public holidays).
    """
    weeks = expand_template(template=template, start=start, participants=participants)
    return Cohort(
        key=key,
        name=name,
        start=start,
        end=weeks[-1].last_day,
        demands=tuple(demand for week in weeks for demand in week.demands),
        participants=participants,
        weekdays=weekdays,
        days_per_week=template.days_per_week,
        week_day_limits=dict(template.week_day_limits),
        closed_on=closed_on,
    )


def split_into_groups(items: list[T], group_size: int) -> list[list[T]]:
    """`items` in order, cut into the groups `expand_template` makes: the
    fewest groups of at most `group_size`, the larger groups first."""
    groups, position = [], 0
    for size in _group_sizes(len(items), group_size):
        groups.append(items[position : position + size])
        position += size
    return groups


def _demands(
    activity: TemplateActivity, *, week: int, participants: int
) -> list[ActivityDemand]:
    if activity.group_size is None or activity.group_size == 0:
        attendees = None if activity.group_size is None else 0
        return [_demand(activity, week=week, key=activity.key, attendees=attendees)]
    sizes = _group_sizes(participants, activity.group_size)
    return [
        _demand(
            activity,
            week=week,
            key=f"{activity.key}-{number}",
            attendees=size,
            group=f"{activity.group_size}:{number}",
        )
        for number, size in enumerate(sizes, start=1)
    ]


def _demand(
    activity: TemplateActivity,
    *,
    week: int,
    key: str,
    attendees: int | None,
    group: str = "",
) -> ActivityDemand:
    suffix = key.removeprefix(activity.key)
    return ActivityDemand(
        key=key,
        name=f"{activity.name} ({suffix.lstrip('-')})" if suffix else activity.name,
        professions=activity.professions,
        minutes=activity.minutes,
        per_week=activity.per_week,
        weeks=(week,),
        room_kind=RoomKind(activity.room_kind),
        attendees=attendees,
        group=group,
        prefer_morning=activity.prefer_morning,
        after=activity.after,
    )


def _group_sizes(participants: int, group_size: int) -> list[int]:
    """Participants split into the fewest groups of at most `group_size`, evenly."""
    groups = max(1, math.ceil(participants / group_size))
    base, extra = divmod(participants, groups)
    return [base + 1 if number < extra else base for number in range(groups)]
