import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from painrehab.analytics.selectors import (
    outcome_report,
    registry_export_rows,
    team_statistics,
)
from painrehab.audit.models import AuditEvent
from painrehab.patients.models import Patient
from painrehab.questionnaires.models import Result
from painrehab.steps.referral.services import open_episode

pytestmark = pytest.mark.django_db


def _result(
    episode, time_point, total, *, code="nprs", subscales=None, day=date(2026, 1, 5)
):
    return Result.objects.create(
        unit=episode.unit, episode=episode, time_point=time_point, code=code,
        definition_version="1", answers={}, total=total, subscales=subscales or {},
        valid=True, source=Result.Source.STAFF_RATED, answered_on=day,
        recorded_at=timezone.now(),
    )  # fmt: skip


def _patient_episode(
    unit, coordinator, n, *, informed=True, objected=False, same_patient=None
):
    born = date(1960 + n, 2, 3)
    from painrehab.core.personnummer import tax_agency_test_number

    if same_patient is not None:
        from painrehab.pathway.models import Episode

        Episode.objects.filter(patient=same_patient).update(
            state="discharged", closed_on=date(2026, 1, 3), discharge_reason="completed"
        )
        return open_episode(
            patient=same_patient, by=coordinator, source="referral",
            received_on=date(2026, 1, 4),
        )  # fmt: skip
    patient = Patient.objects.create(
        unit=unit, personnummer=tax_agency_test_number(born=born, female=bool(n % 2)),
        birth_date=born, first_name=f"P{n}", last_name=f"Qvarnstrom{n}",
        registry_informed_on=date(2026, 1, 1) if informed else None,
        registry_objected=objected,
    )  # fmt: skip
    return open_episode(
        patient=patient, by=coordinator, source="referral", received_on=date(2026, 1, 2)
    )


@pytest.fixture
def three_episodes(unit_a, coordinator):
    # NPRS before → end: (8 → 5), (6 → 6), (7 → 3); 12 months only for the first (8 → 4)
    # changes to end −3, 0, −4: mean −7/3, median −3; MID 2 reached by 2 of 3
    episodes = [_patient_episode(unit_a, coordinator, n) for n in range(3)]
    for episode, (before, end) in zip(episodes, [(8, 5), (6, 6), (7, 3)], strict=True):
        _result(episode, "registry_before", before)
        _result(episode, "registry_end", end)
    _result(episodes[0], "registry_12m", 4)
    return episodes


def test_outcome_report_pairs_before_with_each_later_time_point(unit_a, three_episodes):
    report = outcome_report(unit=unit_a, code="nprs")
    to_end, to_12 = report.steps
    assert to_end.summary.n == 3
    assert to_end.summary.mean_change == pytest.approx(-7 / 3)
    assert to_end.summary.median_change == -3
    assert to_end.summary.share_improved_mid == pytest.approx(2 / 3)
    assert to_12.summary.n == 1
    assert to_12.summary.mean_change == -4
    assert report.means == pytest.approx([7, 14 / 3, 4])


def test_outcome_report_reads_subscales_and_ignores_other_units(
    unit_a, unit_b, three_episodes, episode_b
):
    _result(
        three_episodes[0], "registry_before", 30, code="hads", subscales={"anxiety": 14}
    )
    _result(
        three_episodes[0], "registry_end", 20, code="hads", subscales={"anxiety": 9}
    )
    _result(episode_b, "registry_before", 30, code="hads", subscales={"anxiety": 20})
    report = outcome_report(unit=unit_a, code="hads", subscale="anxiety")
    assert report.steps[0].summary.n == 1
    assert report.steps[0].summary.mean_change == -5
    assert report.steps[0].summary.share_leaving_case == 1


def test_outcome_report_year_filter(unit_a, three_episodes):
    assert outcome_report(unit=unit_a, code="nprs", year=2025).steps[0].summary.n == 0


def test_team_statistics_counts_referrals_and_responses(
    unit_a, three_episodes, episode_b
):
    stats = team_statistics(unit=unit_a, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert stats.referrals_in == 3  # episode_b is another unit's
    assert stats.response_rate is None


def test_registry_export_excludes_objectors_and_uninformed(unit_a, coordinator):
    taking_part = _patient_episode(unit_a, coordinator, 1)
    objector = _patient_episode(unit_a, coordinator, 2, objected=True)
    uninformed = _patient_episode(unit_a, coordinator, 3, informed=False)
    for episode in (taking_part, objector, uninformed):
        _result(episode, "registry_before", 5)
    _result(taking_part, "registry_before", 30, code="hads",
            subscales={"anxiety": 14, "depression": 16})  # fmt: skip
    taking_part.referral.sick_leave = "fully"
    taking_part.referral.save()
    header, rows, patients = registry_export_rows(
        unit=unit_a, time_point="registry_before", pseudonymise=False
    )
    assert patients == [taking_part.patient_id]
    assert header == [
        "patient", "episode", "time_point", "answered_on", "sex", "birth_year", "age",
        "track", "sick_leave_percent", "hads", "hads.anxiety", "hads.depression",
        "nprs",
    ]  # fmt: skip
    # P1 is born 1961-02-03, a woman (even second-last digit), 64 on 2026-01-05
    assert rows == [
        [taking_part.patient.personnummer, 1, "registry_before", "2026-01-05", "female",
         1961, 64, "", 100, 30, 14, 16, 5]
    ]  # fmt: skip


def test_pseudonymised_export_has_no_personnummer_and_a_stable_key(
    unit_a, coordinator, client_for
):
    episode = _patient_episode(unit_a, coordinator, 1)
    _result(episode, "registry_before", 30, code="hads", subscales={"anxiety": 14})
    response = client_for(coordinator).get(
        reverse("analytics:registry_export"),
        {"time_point": "registry_before", "pseudonymise": "1"},
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    personnummer = episode.patient.personnummer
    assert personnummer not in text
    assert personnummer.replace("-", "") not in text
    second = _patient_episode(unit_a, coordinator, 1, same_patient=episode.patient)
    _result(second, "registry_before", 20, code="hads", subscales={"anxiety": 9})
    text = (
        client_for(coordinator)
        .get(
            reverse("analytics:registry_export"),
            {"time_point": "registry_before", "pseudonymise": "1"},
        )
        .content.decode("utf-8-sig")
    )
    assert personnummer not in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    assert len(rows) == 2  # one row per episode
    assert rows[0][0] == rows[1][0]  # the same key for the same patient
    assert [row[1] for row in rows] == ["1", "2"]
    first_key = rows[0][0]
    again = (
        client_for(coordinator)
        .get(
            reverse("analytics:registry_export"),
            {"time_point": "registry_before", "pseudonymise": "1"},
        )
        .content.decode("utf-8-sig")
    )
    assert first_key not in again  # a new key for each export
    event = AuditEvent.objects.filter(action="export").first()
    assert event is not None
    assert list(event.patients.values_list("patient_id", flat=True)) == [
        episode.patient_id
    ]


def test_registry_export_needs_manage_unit(physician, client_for):
    response = client_for(physician).get(
        reverse("analytics:registry_export"), {"time_point": "registry_before"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["analytics:statistics", "analytics:outcomes"])
def test_aggregate_pages_render_for_the_unit(
    name, physician, client_for, three_episodes
):
    client = client_for(physician)
    assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse(name), {"format": "csv"})["Content-Type"].startswith(
        "text/csv"
    )
    xlsx = client.get(reverse(name), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_outcomes_page_names_no_patient(physician, client_for, three_episodes):
    content = client_for(physician).get(reverse("analytics:outcomes")).content.decode()
    assert "<svg" in content
    assert three_episodes[0].patient.last_name not in content


def test_user_without_unit_gets_404(client, django_user_model):
    user = django_user_model.objects.create_user(
        username="nobody", password="x-123456789"
    )
    client.force_login(user)
    assert client.get(reverse("analytics:statistics")).status_code == 404


@pytest.mark.parametrize("name", ["analytics:statistics", "analytics:outcomes"])
def test_query_count_does_not_grow_with_patients(name, unit_a, coordinator, client_for):
    client = client_for(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse(name))
        return len(queries)

    episode = _patient_episode(unit_a, coordinator, 1)
    _result(episode, "registry_before", 5)
    first = count()
    for n in range(2, 6):
        episode = _patient_episode(unit_a, coordinator, n)
        _result(episode, "registry_before", 5)
        _result(episode, "registry_end", 3)
    assert count() == first
