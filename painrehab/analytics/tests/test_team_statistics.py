"""Team statistics on a small hand-computed unit, and the pure counting rules."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painrehab.analytics.selectors import (
    Completion,
    follow_up_timeliness,
    sick_leave_report,
    team_statistics,
)
from painrehab.analytics.tables import csv_cell, excel_cell
from painrehab.core.personnummer import tax_agency_test_number
from painrehab.core.windows import FollowUp, Window
from painrehab.pathway.models import (
    Episode,
    EpisodeTransition,
    NewVisitRecord,
    RehabPlan,
    WorkStatus,
)
from painrehab.patients.models import Patient
from painrehab.steps.referral.services import open_episode

pytestmark = pytest.mark.django_db
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _item(closes_on: date) -> list[FollowUp]:
    window = Window(
        closes_on - timedelta(days=20), closes_on - timedelta(days=10), closes_on
    )
    return [FollowUp("x", "x", "coordinator_nurse", window)]


def test_follow_up_timeliness_counts_by_window():
    counts = follow_up_timeliness(
        [
            (
                "done",
                date(2026, 3, 1),
                _item(date(2026, 3, 1)),
            ),  # the last day: on time
            ("done", date(2026, 3, 2), _item(date(2026, 3, 1))),  # a day late
            ("not_reached", date(2026, 3, 1), _item(date(2026, 3, 1))),
            ("done", date(2026, 3, 1), []),  # no longer in the schedule
        ]
    )
    assert (counts.on_time, counts.late, counts.not_reached) == (2, 1, 1)
    assert counts.share_on_time == 0.5


def test_completion_share():
    assert Completion(3, {"patient_choice": 1}).share_completed == 0.75
    assert Completion(0, {}).share_completed is None


def _episode(unit, coordinator, n, *, received=date(2026, 1, 10), sick_leave="none"):
    born = date(1970 + n, 3, 4)
    patient = Patient.objects.create(
        unit=unit, personnummer=tax_agency_test_number(born=born, female=bool(n % 2)),
        birth_date=born, first_name=f"P{n}", last_name=f"Lindqvist{n}",
    )  # fmt: skip
    episode = open_episode(
        patient=patient, by=coordinator, source="referral", received_on=received
    )
    episode.referral.sick_leave = sick_leave
    episode.referral.save()
    return episode


def _discharge(episode, reason, day, *, rehabilitated, by):
    if rehabilitated:
        EpisodeTransition.objects.create(
            episode=episode, from_state="preparation", to_state="group_programme",
            at=datetime(2026, 2, 2, 9, tzinfo=timezone.get_current_timezone()), by=by.user,
        )  # fmt: skip
    Episode.objects.filter(pk=episode.pk).update(
        state="discharged", closed_on=day, discharge_reason=reason
    )


def test_team_statistics_on_a_hand_computed_unit(unit_a, coordinator, episode_b):
    episodes = [_episode(unit_a, coordinator, n) for n in range(5)]
    _episode(unit_a, coordinator, 9, received=date(2025, 12, 30))  # last year
    # new visits: 30 and 75 days after 2026-01-10 → one within 60, both within 90
    for episode, days in [(episodes[0], 30), (episodes[1], 75)]:
        NewVisitRecord.objects.create(
            episode=episode, held_on=date(2026, 1, 10) + timedelta(days=days),
            summary="s", outcome="team_investigation", recorded_by=coordinator.user,
        )  # fmt: skip
    _discharge(
        episodes[0], "completed", date(2026, 6, 1), rehabilitated=True, by=coordinator
    )
    _discharge(
        episodes[1], "completed", date(2026, 6, 1), rehabilitated=True, by=coordinator
    )
    _discharge(
        episodes[2],
        "patient_choice",
        date(2026, 6, 1),
        rehabilitated=True,
        by=coordinator,
    )
    _discharge(
        episodes[3],
        "not_suitable",
        date(2026, 3, 1),
        rehabilitated=False,
        by=coordinator,
    )

    stats = team_statistics(unit=unit_a, start=YEAR[0], end=YEAR[1])

    assert stats.referrals_in == 5  # not last year's, not the other unit's
    waits = stats.new_visit_waits
    assert (waits.visits, waits.within_goal, waits.within_guarantee) == (2, 1, 2)
    assert waits.median_days == 52.5
    assert stats.completion.completed == 2
    assert stats.completion.dropped_out_by_reason == {"patient_choice": 1}
    assert stats.completion.share_completed == pytest.approx(2 / 3)
    assert stats.discharges_by_reason == {
        "completed": 2, "patient_choice": 1, "not_suitable": 1,
    }  # fmt: skip


def test_sick_leave_report_uses_the_referral_before_and_counts_return_to_work(
    unit_a, coordinator
):
    # before → end: 100 → 0 (back at work), 50 (recorded) → 50, 0 → 0;
    # mean before 50, after 50/3, change −100/3; back at work 1 of the 2 on leave.
    pairs = [("fully", None, 0), ("none", 50, 50), ("none", None, 0)]
    for n, (referral_leave, recorded_before, end) in enumerate(pairs):
        episode = _episode(unit_a, coordinator, n, sick_leave=referral_leave)
        if recorded_before is not None:
            WorkStatus.objects.create(
                episode=episode, time_point="before", sick_leave_percent=recorded_before,
                recorded_on=date(2026, 1, 11), recorded_by=coordinator.user,
            )  # fmt: skip
        WorkStatus.objects.create(
            episode=episode, time_point="end", sick_leave_percent=end,
            recorded_on=date(2026, 5, 1), recorded_by=coordinator.user,
        )  # fmt: skip
        RehabPlan.objects.create(
            episode=episode, track="group_programme", updated_by=coordinator.user
        )
    _episode(unit_a, coordinator, 7, sick_leave="fully")  # nothing after: not counted

    report = sick_leave_report(unit=unit_a)
    change = report.to_end
    assert change.n == 3
    assert change.mean_percent_before == 50
    assert change.mean_percent_after == pytest.approx(50 / 3)
    assert change.mean_change == pytest.approx(-100 / 3)
    assert change.share_returned_to_work == 0.5
    assert report.to_12_months.n == 0
    assert sick_leave_report(unit=unit_a, track="individual").to_end.n == 0
    assert sick_leave_report(unit=unit_a, year=2025).to_end.n == 0


def test_statistics_page_for_a_period_with_downloads(coordinator, client_for):
    client = client_for(coordinator)
    url = reverse("analytics:statistics")
    page = client.get(url, {"from": "2026-03-01", "to": "2026-05-31"}).content.decode()
    assert 'value="2026-03-01"' in page
    assert "Inom vårdgarantin 90 dagar (%)" in page
    assert "Uppföljningar gjorda i tid" in page
    csv_text = client.get(url, {"year": "2026", "format": "csv"}).content.decode()
    assert csv_text.startswith("\ufeffAvsnitt;Mått;Värde")


def test_download_cells_keep_numbers_and_defuse_formulas(settings):
    assert csv_cell(2.5) == "2,5"  # Swedish decimal comma (the tests run in Swedish)
    assert csv_cell(None) == ""
    assert csv_cell("-2") == "-2"
    assert csv_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert excel_cell("@SUM(A1)") == "'@SUM(A1)"
    assert excel_cell(3.25) == 3.25


@pytest.mark.parametrize(
    "query",
    [
        {"year": "99999999999999999999"},
        {"year": "-5"},
        {"year": "0"},
        {"from": "2026-02-30", "to": "x"},
        {"from": "0001-01-01", "to": "9999-12-31"},
        {"cohort": "99999999999999999999", "template": "1e9", "track": "<script>"},
        {"series": "krt", "year": "10000"},
    ],  # fmt: skip
)
@pytest.mark.parametrize("name", ["analytics:statistics", "analytics:outcomes"])
def test_odd_query_parameters_give_a_page_not_an_error(
    name, query, coordinator, client_for
):
    response = client_for(coordinator).get(reverse(name), query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_sick_leave_report_counts_krt_at_its_3_month_follow_up(unit_a, coordinator):
    # seed 2's fifth effect measure: before 100 (referral) → 3 months 50.
    episode = _episode(unit_a, coordinator, 0, sick_leave="fully")
    WorkStatus.objects.create(
        episode=episode, time_point=WorkStatus.TimePoint.THREE_MONTHS,
        sick_leave_percent=50, recorded_on=date(2026, 6, 19),
        recorded_by=coordinator.user,
    )  # fmt: skip
    report = sick_leave_report(unit=unit_a)
    assert report.to_3_months is not None
    assert (report.to_3_months.n, report.to_3_months.mean_change) == (1, -50)
    assert (report.to_end.n, report.to_12_months.n) == (0, 0)
