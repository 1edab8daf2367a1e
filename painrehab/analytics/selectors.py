"""Reads for the statistics screens: aggregate queries scoped to one unit."""

import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db.models import (
    Count,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from painrehab.accounts.models import CareUnit, Membership
from painrehab.analytics.forecast import PlannedCohort, place_queue
from painrehab.analytics.statistics import (
    MEASURES,
    ChangeSummary,
    SickLeaveChange,
    paired_change,
    sick_leave_change,
)
from painrehab.audit.services import Action, record
from painrehab.core.dates import age_on
from painrehab.core.personnummer import legal_sex
from painrehab.core.windows import FollowUp
from painrehab.pathway.accessibility import WaitFigures, wait_figures
from painrehab.pathway.models import (
    Episode,
    EpisodeTransition,
    FollowUpRecord,
    Referral,
    TriageDecision,
    WorkStatus,
)
from painrehab.pathway.selectors import (
    WAITING_STATES,
    WaitingClock,
    WaitingStep,
    new_visit_waits,
    waiting_clocks,
)
from painrehab.pathway.services.follow_up import schedule_for
from painrehab.pathway.states import DischargeReason, State
from painrehab.programmes.models import Appointment, Cohort, SessionStaff
from painrehab.questionnaires.models import QuestionnaireRequest, Result, TimePoint

REGISTRY_SERIES = [
    TimePoint.REGISTRY_BEFORE,
    TimePoint.REGISTRY_END,
    TimePoint.REGISTRY_12_MONTHS,
]
KRT_SERIES = [TimePoint.KRT_BEFORE, TimePoint.KRT_AFTER, TimePoint.KRT_3_MONTHS]


@dataclass(frozen=True)
class OutcomeStep:
    to_time_point: str
    summary: ChangeSummary


@dataclass(frozen=True)
class OutcomeReport:
    code: str
    subscale: str
    time_points: list[str]
    means: list[float | None]
    steps: list[OutcomeStep]


def _value_expression(subscale: str) -> F | Cast:
    if not subscale:
        return F("total")
    return Cast(KT(f"subscales__{subscale}"), FloatField())


_Rows = TypeVar("_Rows", bound=QuerySet[Any])


def _filter_episodes(
    queryset: _Rows,
    prefix: str,
    *,
    track: str = "",
    cohort_id: int | None = None,
    template_id: int | None = None,
) -> _Rows:
    """Narrow rows reached through `prefix` (an episode path) to a track, cohort
    or programme template."""
    if track:
        queryset = queryset.filter(**{f"{prefix}plan__track": track})
    if cohort_id:
        queryset = queryset.filter(**{f"{prefix}cohort_places__cohort_id": cohort_id})
    if template_id:
        queryset = queryset.filter(
            **{f"{prefix}cohort_places__cohort__template_id": template_id}
        )
    return queryset


def outcome_report(
    *,
    unit: CareUnit | int,
    code: str,
    subscale: str = "",
    series: str = "registry",
    year: int | None = None,
    track: str = "",
    cohort_id: int | None = None,
    template_id: int | None = None,
) -> OutcomeReport:
    """Change from the first time point of the series to each later one.

    One query: a row per episode with a valid result at the first time point
    (in `year`, when given), the later values fetched by correlated subqueries
    (the latest result at each). Means for the chart are over the same episodes.
    """
    time_points = [
        str(tp) for tp in (KRT_SERIES if series == "krt" else REGISTRY_SERIES)
    ]
    value = _value_expression(subscale)
    results = Result.objects.in_unit(unit).filter(code=code, valid=True)
    before = results.filter(time_point=time_points[0])
    if year:
        before = before.filter(answered_on__year=year)
    before = _filter_episodes(
        before, "episode__", track=track, cohort_id=cohort_id, template_id=template_id
    )
    later = {
        f"v{i}": Subquery(
            results.filter(episode_id=OuterRef("episode_id"), time_point=tp)
            .order_by("-answered_on", "-pk")
            .annotate(value=value)
            .values("value")[:1]
        )
        for i, tp in enumerate(time_points[1:], start=1)
    }
    rows = before.annotate(v0=value, **later).values_list("episode_id", "v0", *later)
    by_episode = {row[0]: row[1:] for row in rows.order_by().iterator(chunk_size=5000)}
    measure = MEASURES.get(f"{code}.{subscale}" if subscale else code)
    means = []
    for i in range(len(time_points)):
        values = [v[i] for v in by_episode.values() if v[i] is not None]
        means.append(sum(values) / len(values) if values else None)
    steps = [
        OutcomeStep(
            to_time_point=tp,
            summary=paired_change(
                [(v[0], v[i]) for v in by_episode.values()], measure=measure
            ),
        )
        for i, tp in enumerate(time_points[1:], start=1)
    ]
    return OutcomeReport(code, subscale, time_points, means, steps)


@dataclass(frozen=True)
class SickLeaveReport:
    to_end: SickLeaveChange
    to_12_months: SickLeaveChange
    # KRT's third point (seed 2: sjukskrivningsgrad at the 3-month follow-up).
    to_3_months: SickLeaveChange | None = None


def sick_leave_report(
    *,
    unit: CareUnit | int,
    year: int | None = None,
    track: str = "",
    cohort_id: int | None = None,
    template_id: int | None = None,
) -> SickLeaveReport:
    """Sick-leave degree before rehabilitation against its end, KRT's 3-month
    follow-up and 12 months after.

    Before is the recorded degree, else the referral's. `year` is the year the
    referral came in. One query, whatever the number of episodes.
    """
    statuses = WorkStatus.objects.filter(episode_id=OuterRef("pk"))

    def degree(time_point: str) -> Subquery:
        return Subquery(
            statuses.filter(time_point=time_point).values("sick_leave_percent")[:1]
        )

    episodes = Episode.objects.in_unit(unit).filter(
        work_statuses__time_point__in=[
            WorkStatus.TimePoint.END,
            WorkStatus.TimePoint.THREE_MONTHS,
            WorkStatus.TimePoint.TWELVE_MONTHS,
        ]
    )
    if year:
        episodes = episodes.filter(opened_on__year=year)
    episodes = _filter_episodes(
        episodes, "", track=track, cohort_id=cohort_id, template_id=template_id
    )
    rows = (
        episodes.distinct()
        .annotate(
            before=degree(WorkStatus.TimePoint.BEFORE),
            end=degree(WorkStatus.TimePoint.END),
            later=degree(WorkStatus.TimePoint.TWELVE_MONTHS),
            three=degree(WorkStatus.TimePoint.THREE_MONTHS),
        )
        .values_list(
            "before",
            "end",
            "later",
            "three",
            "referral__sick_leave",
            "referral__sick_leave_percent",
        )
        .order_by()
    )
    to_end, to_later, to_three = [], [], []
    for before, end, later, three, referral_leave, referral_percent in rows:
        if before is None:
            before = Referral(
                sick_leave=referral_leave or "", sick_leave_percent=referral_percent
            ).sick_leave_degree
        if before is None:
            continue
        if end is not None:
            to_end.append((before, end))
        if later is not None:
            to_later.append((before, later))
        if three is not None:
            to_three.append((before, three))
    return SickLeaveReport(
        sick_leave_change(to_end),
        sick_leave_change(to_later),
        sick_leave_change(to_three),
    )


@dataclass(frozen=True)
class Programmes:
    cohorts: int
    participants: int


@dataclass(frozen=True)
class Completion:
    """Episodes discharged in the period after rehabilitation had started."""

    completed: int
    dropped_out_by_reason: dict[str, int]

    @property
    def dropped_out(self) -> int:
        return sum(self.dropped_out_by_reason.values())

    @property
    def share_completed(self) -> float | None:
        total = self.completed + self.dropped_out
        return self.completed / total if total else None


@dataclass(frozen=True)
class FollowUpTimeliness:
    on_time: int  # done within the item's window
    late: int  # done after the window closed
    not_reached: int

    @property
    def share_on_time(self) -> float | None:
        total = self.on_time + self.late + self.not_reached
        return self.on_time / total if total else None


@dataclass(frozen=True)
class TeamStatistics:
    referrals_in: int
    triage_outcomes: dict[str, int]
    new_visit_waits: WaitFigures
    programmes: Programmes
    completion: Completion
    discharges_by_reason: dict[str, int]
    follow_ups: FollowUpTimeliness
    questionnaires_sent: int
    questionnaires_answered: int

    @property
    def response_rate(self) -> float | None:
        if not self.questionnaires_sent:
            return None
        return self.questionnaires_answered / self.questionnaires_sent


REHABILITATION_STATES = [State.GROUP_PROGRAMME, State.INDIVIDUAL_REHABILITATION]


def follow_up_timeliness(
    records: Iterable[tuple[str, date, list[FollowUp]]],
) -> FollowUpTimeliness:
    """Count (outcome, held_on, the episode's schedule) triples by timeliness.

    Done on or before the day the item's window closes is on time; an item
    no longer in the schedule (a changed template) counts by its record alone.
    """
    on_time = late = not_reached = 0
    for outcome, held_on, schedule in records:
        if outcome == FollowUpRecord.Outcome.NOT_REACHED:
            not_reached += 1
        elif schedule and held_on > schedule[0].window.closes_on:
            late += 1
        else:
            on_time += 1
    return FollowUpTimeliness(on_time, late, not_reached)


def _follow_up_timeliness(unit: int, start: date, end: date) -> FollowUpTimeliness:
    records = FollowUpRecord.objects.filter(
        episode__unit=unit, held_on__range=(start, end)
    ).prefetch_related(
        Prefetch(
            "episode",
            queryset=Episode.objects.select_related("unit", "plan").prefetch_related(
                Prefetch(
                    "transitions",
                    queryset=EpisodeTransition.objects.only(
                        "episode_id", "to_state", "at"
                    ),
                )
            ),
        )
    )
    return follow_up_timeliness(
        (
            record.outcome,
            record.held_on,
            [f for f in schedule_for(record.episode) if f.key == record.item_key],
        )
        for record in records
    )


def team_statistics(*, unit: CareUnit | int, start: date, end: date) -> TeamStatistics:
    """The unit's figures for `start`–`end` (both days included).

    Aggregates only: no patient is shown, so nothing is logged per patient.
    A fixed number of queries, whatever the number of episodes.
    """
    unit_id = unit.pk if isinstance(unit, CareUnit) else unit
    episodes = Episode.objects.in_unit(unit_id)
    referrals_in = episodes.filter(opened_on__range=(start, end)).count()
    triage = dict(
        TriageDecision.objects.filter(
            episode__unit=unit_id, decided_at__date__range=(start, end)
        )
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    discharged = episodes.filter(closed_on__range=(start, end))
    discharges = dict(
        discharged.values_list("discharge_reason").annotate(n=Count("pk")).order_by()
    )
    after_rehabilitation = dict(
        discharged.filter(transitions__to_state__in=REHABILITATION_STATES)
        .values_list("discharge_reason")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    completed = after_rehabilitation.pop(DischargeReason.COMPLETED, 0)
    cohorts = Cohort.objects.filter(unit=unit_id, start__range=(start, end)).aggregate(
        cohorts=Count("pk", distinct=True),
        participants=Count("participants", distinct=True),
    )
    requests = QuestionnaireRequest.objects.in_unit(unit_id).filter(
        sent_on__range=(start, end)
    )
    counts = requests.aggregate(
        sent=Count("pk"), answered=Count("pk", filter=Q(submitted_at__isnull=False))
    )
    return TeamStatistics(
        referrals_in=referrals_in,
        triage_outcomes=triage,
        new_visit_waits=wait_figures(
            new_visit_waits(unit=unit_id, start=start, end=end)
        ),
        programmes=Programmes(cohorts["cohorts"], cohorts["participants"]),
        completion=Completion(completed, after_rehabilitation),
        discharges_by_reason=discharges,
        follow_ups=_follow_up_timeliness(unit_id, start, end),
        questionnaires_sent=counts["sent"],
        questionnaires_answered=counts["answered"],
    )


REGISTRY_COLUMNS = [
    "patient", "episode", "time_point", "answered_on", "sex", "birth_year",
    "age", "track", "sick_leave_percent",
]  # fmt: skip
WORK_STATUS_AT: dict[str, str] = {
    TimePoint.REGISTRY_BEFORE: WorkStatus.TimePoint.BEFORE,
    TimePoint.REGISTRY_END: WorkStatus.TimePoint.END,
    TimePoint.REGISTRY_12_MONTHS: WorkStatus.TimePoint.TWELVE_MONTHS,
    TimePoint.KRT_3_MONTHS: WorkStatus.TimePoint.THREE_MONTHS,
}


@dataclass
class _RegistryRow:
    patient_id: int
    identity: str
    episode: int
    answered_on: date
    sex: str
    birth_date: date
    track: str
    sick_leave: int | None
    values: dict[str, float | None]


def registry_export_rows(
    *, unit: CareUnit | int, time_point: str, pseudonymise: bool
) -> tuple[list[str], list[list[object]], list[int]]:
    """The registry variables of one time point: a row per episode with an answer.

    Only patients who take part (informed, no objection). Columns: the
    patient (personnummer, or with `pseudonymise` a random key drawn afresh
    for this export and the same on all of the patient's rows), the episode's
    number within the export, the first answer's date, sex and birth year (from
    the personnummer), age that day, track, sick-leave degree (recorded, before
    rehabilitation else the referral's), then each instrument's total and
    subscales. Returns the header, the rows and the patient ids for the audit.
    """
    results = (
        Result.objects.in_unit(unit)
        .filter(
            time_point=time_point,
            valid=True,
            episode__patient__registry_informed_on__isnull=False,
            episode__patient__registry_objected=False,
        )
        .order_by("episode__patient_id", "episode_id", "answered_on", "code", "pk")
        .values_list(
            "episode_id",
            "episode__patient_id",
            "episode__patient__personnummer",
            "episode__patient__birth_date",
            "episode__plan__track",
            "episode__referral__sick_leave",
            "episode__referral__sick_leave_percent",
            "code",
            "answered_on",
            "total",
            "subscales",
        )
    )
    work_status_at = WORK_STATUS_AT.get(time_point)
    sick_leave = dict(
        WorkStatus.objects.filter(
            episode__unit=unit, time_point=work_status_at
        ).values_list("episode_id", "sick_leave_percent")
    )
    keys: dict[int, str] = {}
    episodes: dict[int, _RegistryRow] = {}
    variables: set[str] = set()
    for (episode_id, patient_id, personnummer, born, track, referral_leave,
         referral_percent, code, answered_on, total, subscales) in results:  # fmt: skip
        if pseudonymise:
            identity = keys.setdefault(patient_id, secrets.token_hex(8))
        else:
            identity = keys.setdefault(patient_id, personnummer)
        row = episodes.get(episode_id)
        if row is None:
            degree = sick_leave.get(episode_id)
            if degree is None and work_status_at == WorkStatus.TimePoint.BEFORE:
                degree = Referral(
                    sick_leave=referral_leave or "",
                    sick_leave_percent=referral_percent,
                ).sick_leave_degree
            row = episodes[episode_id] = _RegistryRow(
                patient_id, identity, len(episodes) + 1, answered_on,
                legal_sex(personnummer), born, track or "", degree, {},
            )  # fmt: skip
        row.values.setdefault(code, total)
        variables.add(code)
        for name, value in (subscales or {}).items():
            row.values.setdefault(f"{code}.{name}", value)
            variables.add(f"{code}.{name}")
    ordered = sorted(variables)
    rows: list[list[object]] = [
        [row.identity, row.episode, time_point, row.answered_on.isoformat(), row.sex,
         row.birth_date.year, age_on(row.birth_date, on=row.answered_on), row.track,
         row.sick_leave, *(row.values.get(v) for v in ordered)]
        for row in episodes.values()
    ]  # fmt: skip
    return REGISTRY_COLUMNS + ordered, rows, list(keys)


@dataclass(frozen=True)
class ExpectedStart:
    episode_pk: int
    decided_on: date
    expected_start: date | None
    guarantee_date: date | None

    @property
    def within_guarantee(self) -> bool | None:
        if self.expected_start is None or self.guarantee_date is None:
            return None
        return self.expected_start <= self.guarantee_date


@dataclass(frozen=True)
class ForecastRow(ExpectedStart):
    episode: Episode


def expected_starts(
    *,
    membership: Membership,
    today: date,
    clocks: Iterable[WaitingClock] | None = None,
) -> list[ExpectedStart]:
    """Expected programme start of each patient waiting for a group programme.

    The queue is the episodes waiting for rehabilitation with a group-programme
    plan and no place in a cohort yet to start, in decision order (the day the
    clock for the rehabilitation step started, from `waiting_clocks`). The
    places are the unit's cohorts not yet started, each with
    `template.max_participants` minus its participants. Plain rows only: a
    few queries whatever the length of the queue; nothing is logged.
    `clocks`: the rehabilitation step's `waiting_clocks`, when already read.
    """
    step = WaitingStep.REHABILITATION
    queued = set(
        Episode.objects.in_unit(membership.unit_id)
        .filter(state__in=WAITING_STATES[step], plan__track="group_programme")
        .exclude(cohort_places__cohort__start__gte=today)
        .values_list("pk", flat=True)
    )
    if clocks is None:
        clocks = waiting_clocks(membership=membership, step=step, today=today)
    waiting = {
        clock.episode_pk: clock for clock in clocks if clock.episode_pk in queued
    }
    queue = sorted(waiting, key=lambda pk: (waiting[pk].clock_started, pk))
    cohorts = (
        Cohort.objects.filter(
            unit_id=membership.unit_id, start__gte=today, started_at__isnull=True
        )
        .annotate(taken=Count("participants"))
        .values_list("pk", "start", "template__max_participants", "taken")
    )
    planned = [
        PlannedCohort(pk, start, most - taken) for pk, start, most, taken in cohorts
    ]
    return [
        ExpectedStart(
            episode_pk=placement.key,
            decided_on=waiting[placement.key].clock_started,
            expected_start=placement.expected_start,
            guarantee_date=waiting[placement.key].guarantee_date,
        )
        for placement in place_queue(queue, planned)
    ]


def programme_forecast(*, membership: Membership, today: date) -> list[ForecastRow]:
    """`expected_starts` with each episode and its patient; logged as one read
    naming the patients."""
    starts = expected_starts(membership=membership, today=today)
    episodes = Episode.objects.select_related("patient").in_bulk(
        [start.episode_pk for start in starts]
    )
    rows = [
        ForecastRow(**vars(start), episode=episodes[start.episode_pk])
        for start in starts
    ]
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[row.episode.patient_id for row in rows],
        what="programme start forecast",
    )
    return rows


@dataclass(frozen=True)
class FormatCost:
    track: str
    patients: int
    minutes_by_profession: dict[str, float]  # staff minutes per patient

    @property
    def minutes_per_patient(self) -> float:
        return sum(self.minutes_by_profession.values())


def cost_per_format(*, unit: CareUnit | int, year: int) -> list[FormatCost]:
    """Staff minutes per patient by profession, group programme versus individual.

    Group: every staff minute of a cohort's sessions in `year`, divided by the
    cohort's participants (a shared session costs each participant a share).
    Individual: held appointments in `year` of episodes with an individual plan,
    divided by those episodes. Appointments of group patients count to group.
    """
    session_minutes = (
        SessionStaff.objects.filter(session__unit=unit, session__date__year=year)
        .values_list("session__cohort_id", "profession")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    participants = dict(
        Cohort.objects.filter(unit=unit, sessions__date__year=year)
        .distinct()
        .annotate(n=Count("participants", distinct=True))
        .values_list("pk", "n")
    )
    per_track: dict[str, dict[str, float]] = {
        "group_programme": defaultdict(float),
        "individual": defaultdict(float),
    }
    for _cohort_id, profession, minutes in session_minutes:
        per_track["group_programme"][profession] += minutes
    appointments = (
        Appointment.objects.filter(
            unit=unit,
            starts_at__year=year,
            status=Appointment.Status.HELD,
            episode__plan__track__in=list(per_track),
        )
        .values_list("episode__plan__track", "profession")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    for track, profession, minutes in appointments:
        per_track[track][profession] += minutes
    individual_patients = (
        Appointment.objects.filter(
            unit=unit,
            starts_at__year=year,
            status=Appointment.Status.HELD,
            episode__plan__track="individual",
        )
        .values("episode_id")
        .distinct()
        .count()
    )
    counts = {
        "group_programme": sum(participants.values()),
        "individual": individual_patients,
    }
    return [
        FormatCost(
            track,
            counts[track],
            {p: m / counts[track] for p, m in sorted(minutes.items())}
            if counts[track]
            else {},
        )
        for track, minutes in per_track.items()
    ]
