from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painrehab.accounts.access import staff_view
from painrehab.accounts.permissions import Permission
from painrehab.analytics.charts import line_chart_svg
from painrehab.analytics.selectors import (
    REGISTRY_COLUMNS,
    cost_per_format,
    outcome_report,
    programme_forecast,
    registry_export_rows,
    team_statistics,
)
from painrehab.analytics.tables import table_response
from painrehab.audit.services import Action, record
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


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


@staff_view(Permission.VIEW_PATIENT)
def statistics(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    stats = team_statistics(
        unit=request.membership.unit_id,  # type: ignore[attr-defined]
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    rows = [[_("Referrals in"), stats.referrals_in]]
    rows += [
        [_("Triage: %(o)s") % {"o": k}, n] for k, n in stats.triage_outcomes.items()
    ]
    rows += [
        [_("Discharged: %(r)s") % {"r": k}, n]
        for k, n in stats.discharges_by_reason.items()
    ]
    rows += [
        [_("Questionnaires sent"), stats.questionnaires_sent],
        [_("Questionnaires answered"), stats.questionnaires_answered],
    ]
    if fmt := request.GET.get("format"):
        return table_response(
            header=[_("Measure"), _("Value")],
            rows=rows,
            name=f"statistik-{year}",
            fmt=fmt,
        )
    return render(
        request,
        "analytics/statistics.html",
        {"rows": rows, "year": year, "stats": stats},
    )


@staff_view(Permission.VIEW_PATIENT)
def outcomes(request: HttpRequest) -> HttpResponse:
    series = "krt" if request.GET.get("series") == "krt" else "registry"
    year = request.GET.get("year", "")
    track = request.GET.get("track", "")
    reports = [
        outcome_report(
            unit=request.membership.unit_id,  # type: ignore[attr-defined]
            code=code,
            subscale=subscale,
            series=series,
            year=int(year) if year.isdigit() else None,
            track=track,
        )
        for code, subscale in INSTRUMENTS
    ]
    header = [
        _("Instrument"), _("To"), "n", _("Mean change"), _("95 % CI low"),
        _("95 % CI high"), _("Median change"), _("Effect size (d_z)"),
        _("Share improved ≥ MID"), _("Share leaving case range"),
    ]  # fmt: skip
    rows = []
    charts = []
    for report in reports:
        name = f"{report.code}.{report.subscale}" if report.subscale else report.code
        labels = [str(TimePoint(tp).label) for tp in report.time_points]
        charts.append(
            (
                name,
                mark_safe(
                    line_chart_svg(labels=labels, values=report.means, title=name)
                ),
            )
        )
        for step in report.steps:
            s = step.summary
            ci = s.mean_ci or (None, None)
            rows.append(
                [name, str(TimePoint(step.to_time_point).label), s.n, _fmt(s.mean_change),
                 _fmt(ci[0]), _fmt(ci[1]), _fmt(s.median_change), _fmt(s.effect_size_dz),
                 _fmt(s.share_improved_mid), _fmt(s.share_leaving_case)]
            )  # fmt: skip
    if fmt := request.GET.get("format"):
        return table_response(header=header, rows=rows, name="utfall", fmt=fmt)
    context = {"header": header, "rows": rows, "charts": charts, "series": series}
    return render(request, "analytics/outcomes.html", context)


@staff_view(Permission.MANAGE_UNIT)
def registry_export(request: HttpRequest) -> HttpResponse:
    time_point = request.GET.get("time_point", "")
    if time_point not in {TimePoint.REGISTRY_BEFORE, TimePoint.REGISTRY_END,
                          TimePoint.REGISTRY_12_MONTHS}:  # fmt: skip
        return render(
            request, "analytics/registry_export.html", {"time_points": TimePoint}
        )
    pseudonymise = request.GET.get("pseudonymise") == "1"
    membership = request.membership  # type: ignore[attr-defined]
    rows, patient_ids = registry_export_rows(
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
        header=REGISTRY_COLUMNS,
        rows=rows,
        name=f"register-{time_point}",
        fmt="xlsx" if request.GET.get("format") == "xlsx" else "csv",
    )


COST_OUTCOMES = [("nprs", ""), ("hads", "anxiety"), ("hads", "depression")]
TRACK_LABELS = {
    "group_programme": gettext_lazy("Group programme"),
    "individual": gettext_lazy("Individual rehabilitation"),
}


@staff_view(Permission.VIEW_PATIENT)
def cost(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    unit = request.membership.unit_id  # type: ignore[attr-defined]
    formats = cost_per_format(unit=unit, year=year)
    professions = sorted({p for f in formats for p in f.minutes_by_profession})
    outcome_names = [f"{c}.{s}" if s else c for c, s in COST_OUTCOMES]
    header = [_("Format"), _("Patients"), _("Staff minutes per patient")]
    header += [_("Minutes, %(p)s") % {"p": p} for p in professions]
    header += [
        _("Mean change %(i)s, before → end (n)") % {"i": n} for n in outcome_names
    ]
    rows = []
    for f in formats:
        row: list[object] = [
            str(TRACK_LABELS[f.track]),
            f.patients,
            _fmt(f.minutes_per_patient),
        ]
        row += [_fmt(f.minutes_by_profession.get(p)) for p in professions]
        for code, subscale in COST_OUTCOMES:
            s = (
                outcome_report(
                    unit=unit, code=code, subscale=subscale, track=f.track, year=year
                )
                .steps[0]
                .summary
            )
            row.append(f"{_fmt(s.mean_change)} ({s.n})")
        rows.append(row)
    if fmt := request.GET.get("format"):
        return table_response(header=header, rows=rows, name=f"kostnad-{year}", fmt=fmt)
    context = {"header": header, "rows": rows, "year": year}
    return render(request, "analytics/cost.html", context)


@staff_view(Permission.VIEW_PATIENT)
def forecast(request: HttpRequest) -> HttpResponse:
    rows = programme_forecast(
        membership=request.membership,  # type: ignore[attr-defined]
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
    if fmt := request.GET.get("format"):
        return table_response(header=header, rows=table, name="prognos", fmt=fmt)
    return render(request, "analytics/forecast.html", {"header": header, "rows": table})
