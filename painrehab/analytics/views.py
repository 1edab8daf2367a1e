from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission, Profession
from painrehab.analytics.forms import (
    TRACK_LABELS,
    FormatQuery,
    OutcomeQuery,
    PeriodQuery,
    RegistryQuery,
    YearQuery,
)
from painrehab.analytics.selectors import (
    OutcomeReport,
    SickLeaveReport,
    TeamStatistics,
    cost_per_format,
    outcome_report,
    programme_forecast,
    registry_export_rows,
    sick_leave_report,
    team_statistics,
)
from painrehab.analytics.tables import table_response
from painrehab.audit.services import Action, record
from painrehab.core.forms import read_query
from painrehab.pathway.clocks import GOAL_DAYS, GUARANTEE_DAYS
from painrehab.pathway.models import TriageDecision
from painrehab.pathway.states import DischargeReason
from painrehab.programmes.models import Cohort, ProgrammeTemplate
from painrehab.questionnaires.charts import Series, data_range, line_chart
from painrehab.questionnaires.models import TimePoint

INSTRUMENTS = [
    ("nprs", ""),
    ("hads", "anxiety"),
    ("hads", "depression"),
    ("pcs", ""),
    ("tsk", ""),
    ("isi", ""),
    ("eq5d5l", "vas"),
    ("lisat11", ""),
    ("who5", "percentage"),
]


COST_OUTCOMES = [("nprs", ""), ("hads", "anxiety"), ("hads", "depression")]


def _period(query: dict[str, Any]) -> tuple[date, date]:
    """`from`/`to` when both are given and valid (in either order), else the
    `year`, else this year."""
    start, end = query["from"], query["to"]
    if start is None or end is None:
        year = query["year"] or timezone.localdate().year
        return date(year, 1, 1), date(year, 12, 31)
    return (start, end) if start <= end else (end, start)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)


def statistics_rows(stats: TeamStatistics) -> list[list[object]]:
    """The team statistics as (section, measure, value) rows, in reading order."""
    triage_labels = dict(TriageDecision.Outcome.choices)
    reasons = dict(DischargeReason.choices)
    waits = stats.new_visit_waits
    referrals = _("Referrals and triage")
    waiting = _("Waiting for the new visit")
    programmes = _("Group programmes")
    ending = _("Completion and drop-out")
    follow_up = _("Follow-up")
    questionnaires = _("Questionnaires")
    rows: list[list[object]] = [[referrals, _("Referrals in"), stats.referrals_in]]
    rows += [
        [referrals, _("Triage: %(o)s") % {"o": triage_labels.get(k, k)}, n]
        for k, n in sorted(stats.triage_outcomes.items())
    ]
    rows += [
        [waiting, _("New visits held"), waits.visits],
        [waiting, _("Within the %(days)s-day goal (%%)") % {"days": GOAL_DAYS},
         _percent(waits.share_within_goal)],
        [waiting, _("Within the %(days)s-day care guarantee (%%)")
         % {"days": GUARANTEE_DAYS}, _percent(waits.share_within_guarantee)],
        [waiting, _("Median days waited"), waits.median_days],
        [waiting, _("90th percentile of days waited"), waits.p90_days],
        [programmes, _("Programmes started"), stats.programmes.cohorts],
        [programmes, _("Participants"), stats.programmes.participants],
        [ending, _("Completed rehabilitation"), stats.completion.completed],
        [ending, _("Dropped out of rehabilitation"), stats.completion.dropped_out],
        [ending, _("Completed (%)"), _percent(stats.completion.share_completed)],
    ]  # fmt: skip
    rows += [
        [ending, _("Dropped out: %(r)s") % {"r": reasons.get(k, k)}, n]
        for k, n in sorted(stats.completion.dropped_out_by_reason.items())
    ]
    rows += [
        [ending, _("Discharged: %(r)s") % {"r": reasons.get(k, k)}, n]
        for k, n in sorted(stats.discharges_by_reason.items())
    ]
    rows += [
        [follow_up, _("Follow-ups done on time"), stats.follow_ups.on_time],
        [follow_up, _("Follow-ups done late"), stats.follow_ups.late],
        [follow_up, _("Follow-ups not reached"), stats.follow_ups.not_reached],
        [follow_up, _("Done on time (%)"), _percent(stats.follow_ups.share_on_time)],
        [questionnaires, _("Questionnaires sent"), stats.questionnaires_sent],
        [questionnaires, _("Questionnaires answered"), stats.questionnaires_answered],
        [questionnaires, _("Response rate (%)"), _percent(stats.response_rate)],
    ]  # fmt: skip
    return rows


@staff_view(Permission.VIEW_PATIENT)
def statistics(request: StaffRequest) -> HttpResponse:
    query = read_query(request, PeriodQuery)
    start, end = _period(query)
    stats = team_statistics(
        unit=request.membership.unit_id,
        start=start,
        end=end,
    )
    rows = statistics_rows(stats)
    if fmt := query["format"]:
        return table_response(
            header=[_("Section"), _("Measure"), _("Value")],
            rows=rows,
            name=f"statistik-{start}-{end}",
            fmt=fmt,
        )
    context = {"rows": rows, "start": start, "end": end}
    return render(request, "analytics/statistics.html", context)


def _num(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class Selection(TypedDict):
    """The episodes a report is narrowed to (the filters' keyword arguments)."""

    year: int | None
    track: str
    cohort_id: int | None
    template_id: int | None


@dataclass(frozen=True)
class OutcomeFilters:
    series: str
    year: int | None
    track: str
    cohort_id: int | None
    template_id: int | None

    @classmethod
    def from_query(cls, query: dict[str, Any]) -> "OutcomeFilters":
        return cls(
            series=query["series"],
            year=query["year"],
            track=query["track"],
            cohort_id=query["cohort"],
            template_id=query["template"],
        )

    def selection(self) -> "Selection":
        return {
            "year": self.year,
            "track": self.track,
            "cohort_id": self.cohort_id,
            "template_id": self.template_id,
        }


def outcome_rows(reports: list[OutcomeReport]) -> list[list[object]]:
    rows = []
    for report in reports:
        name = _measure_name(report.code, report.subscale)
        for step in report.steps:
            s = step.summary
            low, high = s.mean_ci or (None, None)
            rows.append(
                [name, str(TimePoint(step.to_time_point).label), s.n, _num(s.mean_change),
                 _num(low), _num(high), _num(s.median_change), _num(s.effect_size_dz),
                 _percent(s.share_improved_mid), _percent(s.share_leaving_case)]
            )  # fmt: skip
    return rows


def sick_leave_rows(report: SickLeaveReport) -> list[list[object]]:
    points = [(_("End of rehabilitation"), report.to_end)]
    if report.to_3_months is not None and report.to_3_months.n:
        points.append((_("3-month follow-up (KRT)"), report.to_3_months))
    points.append((_("12 months after"), report.to_12_months))
    return [
        [label, c.n, _num(c.mean_percent_before), _num(c.mean_percent_after),
         _num(c.mean_change), _percent(c.share_returned_to_work)]
        for label, c in points
    ]  # fmt: skip


MEASURE_NAMES = {
    "nprs": gettext_lazy("Pain intensity (NPRS)"),
    "hads.anxiety": gettext_lazy("HADS anxiety"),
    "hads.depression": gettext_lazy("HADS depression"),
    "pcs": gettext_lazy("Pain catastrophising (PCS)"),
    "tsk": gettext_lazy("Fear of movement (TSK)"),
    "isi": gettext_lazy("Insomnia (ISI)"),
    "eq5d5l.vas": gettext_lazy("EQ VAS (EQ-5D-5L)"),
    "lisat11": gettext_lazy("Life satisfaction (LiSat-11)"),
    "who5.percentage": gettext_lazy("Well-being (WHO-5, %)"),
}


def _measure_name(code: str, subscale: str) -> str:
    key = f"{code}.{subscale}" if subscale else code
    return str(MEASURE_NAMES.get(key, key.upper()))


@staff_view(Permission.VIEW_PATIENT)
def outcomes(request: StaffRequest) -> HttpResponse:
    unit = request.membership.unit_id
    query = read_query(request, OutcomeQuery)
    filters = OutcomeFilters.from_query(query)
    reports = [
        outcome_report(
            unit=unit, code=code, subscale=subscale, series=filters.series,
            **filters.selection(),
        )
        for code, subscale in INSTRUMENTS
    ]  # fmt: skip
    header = [
        _("Instrument"), _("From before to"), "n", _("Mean change"), _("95 % CI low"),
        _("95 % CI high"), _("Median change"), _("Effect size (Cohen's d)"),
        _("Improved ≥ MID (%)"), _("Left the clinical range (%)"),
    ]  # fmt: skip
    rows = outcome_rows(reports)
    sick_leave = sick_leave_report(unit=unit, **filters.selection())
    sick_header = [
        _("From before to"), "n", _("Mean sick leave before (%)"),
        _("Mean sick leave after (%)"), _("Mean change (percentage points)"),
        _("Back at work, of those on sick leave before (%)"),
    ]  # fmt: skip
    fmt = query["format"]
    if fmt and query["table"] == "sick_leave":
        return table_response(
            header=sick_header, rows=sick_leave_rows(sick_leave), name="sjukskrivning",
            fmt=fmt,
        )  # fmt: skip
    if fmt:
        return table_response(header=header, rows=rows, name="utfall", fmt=fmt)
    charts = [
        (
            _measure_name(r.code, r.subscale),
            # bandit B308, B703: line_chart escapes every text it writes
            mark_safe(  # noqa: S308 # nosec B308, B703
                line_chart(
                    title=_measure_name(r.code, r.subscale),
                    x_labels=[str(TimePoint(tp).label) for tp in r.time_points],
                    series=[Series(_measure_name(r.code, r.subscale), list(r.means))],
                    value_range=data_range(list(r.means)),
                )
            ),
        )
        for r in reports
        if any(v is not None for v in r.means)
    ]
    context = {
        "header": header, "rows": rows, "charts": charts, "filters": filters,
        "sick_header": sick_header, "sick_rows": sick_leave_rows(sick_leave),
        "tracks": TRACK_LABELS.items(),
        "cohorts": Cohort.objects.filter(unit=unit).order_by("-start")[:200],
        "templates": ProgrammeTemplate.objects.filter(unit=unit).order_by("name"),
    }  # fmt: skip
    return render(request, "analytics/outcomes.html", context)


@staff_view(Permission.MANAGE_UNIT)
def registry_export(request: StaffRequest) -> HttpResponse:
    query = read_query(request, RegistryQuery)
    time_point = query["time_point"]
    if not time_point:
        return render(
            request, "analytics/registry_export.html", {"time_points": TimePoint}
        )
    pseudonymise = query["pseudonymise"] == "1"
    membership = request.membership
    header, rows, patient_ids = registry_export_rows(
        unit=membership.unit_id, time_point=time_point, pseudonymise=pseudonymise
    )
    record(
        by=request.user,
        action=Action.EXPORT,
        unit=membership.unit_id,
        patients=patient_ids,
        what=f"registry export {time_point}"
        + (" pseudonymised" if pseudonymise else ""),
    )
    return table_response(
        header=header,
        rows=rows,
        name=f"register-{time_point}",
        fmt=query["format"] or "csv",
    )


@staff_view(Permission.VIEW_PATIENT)
def cost(request: StaffRequest) -> HttpResponse:
    query = read_query(request, YearQuery)
    year = query["year"] or timezone.localdate().year
    unit = request.membership.unit_id
    formats = cost_per_format(unit=unit, year=year)
    professions = sorted({p for f in formats for p in f.minutes_by_profession})
    outcome_names = [_measure_name(c, s) for c, s in COST_OUTCOMES]
    header = [_("Format"), _("Patients"), _("Staff minutes per patient")]
    header += [
        _("Minutes, %(p)s")
        % {"p": Profession(p).label.lower() if p in Profession.values else p}
        for p in professions
    ]
    for name in outcome_names:
        header += [_("Mean change %(i)s, before → end") % {"i": name}, "n"]
    rows = []
    for f in formats:
        row: list[object] = [
            str(TRACK_LABELS[f.track]),
            f.patients,
            _num(f.minutes_per_patient),
        ]
        row += [_num(f.minutes_by_profession.get(p)) for p in professions]
        for code, subscale in COST_OUTCOMES:
            s = (
                outcome_report(
                    unit=unit, code=code, subscale=subscale, track=f.track, year=year
                )
                .steps[0]
                .summary
            )
            row += [_num(s.mean_change), s.n]
        rows.append(row)
    if fmt := query["format"]:
        return table_response(header=header, rows=rows, name=f"kostnad-{year}", fmt=fmt)
    context = {"header": header, "rows": rows, "year": year}
    return render(request, "analytics/cost.html", context)


@staff_view(Permission.VIEW_PATIENT)
def forecast(request: StaffRequest) -> HttpResponse:
    rows = programme_forecast(
        membership=request.membership,
        today=timezone.localdate(),
    )
    header = [_("Patient"), _("Decided on"), _("Expected start"), _("Care guarantee until"),
              _("Within the care guarantee")]  # fmt: skip
    table = [
        [f"{r.episode.patient.last_name}, {r.episode.patient.first_name}", r.decided_on,
         r.expected_start or "", r.guarantee_date or "",
         {True: _("Yes"), False: _("No"), None: ""}[r.within_guarantee]]
        for r in rows
    ]  # fmt: skip
    if fmt := read_query(request, FormatQuery)["format"]:
        record(
            by=request.user,
            action=Action.EXPORT,
            unit=request.membership.unit_id,
            patients=[r.episode.patient_id for r in rows],
            what=f"programme start forecast ({fmt})",
        )
        return table_response(header=header, rows=table, name="prognos", fmt=fmt)
    return render(request, "analytics/forecast.html", {"header": header, "rows": table})
