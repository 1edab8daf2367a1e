from datetime import date, time, timedelta

import pytest
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from painrehab.analytics.forecast import PlannedCohort, place_queue
from painrehab.analytics.selectors import cost_per_format, programme_forecast
from painrehab.audit.models import AuditEvent
from painrehab.pathway.models import RehabPlan
from painrehab.pathway.states import State
from painrehab.programmes.models import (
    Appointment,
    Cohort,
    CohortParticipant,
    Session,
    SessionStaff,
)
from painrehab.programmes.services.templates import ensure_default_templates
from painrehab.programmes.tests.factories import aware, decided_episode


def test_queue_fills_earliest_cohort_first_in_decision_order():
    cohorts = [
        PlannedCohort(2, date(2026, 4, 13), 1),
        PlannedCohort(1, date(2026, 3, 16), 2),
    ]
    placed = place_queue([10, 11, 12, 13], cohorts)
    assert [(p.key, p.cohort_id, p.expected_start) for p in placed] == [
        (10, 1, date(2026, 3, 16)),
        (11, 1, date(2026, 3, 16)),
        (12, 2, date(2026, 4, 13)),
        (13, None, None),  # beyond the planned places
    ]


def test_full_cohort_offers_no_place():
    placed = place_queue([1], [PlannedCohort(1, date(2026, 3, 16), -1)])
    assert placed[0].expected_start is None


@pytest.fixture
def template(unit_a):
    template = next(
        t for t in ensure_default_templates(unit_a) if t.key == "specialist_5_weeks"
    )
    template.min_participants = 1
    template.max_participants = 2
    template.save()
    return template


def _decided(unit, physician, coordinator, day, track="group_programme"):
    episode = decided_episode(
        unit=unit, physician=physician, coordinator=coordinator, decided_at=aware(day),
        to=State.PREPARATION,
    )  # fmt: skip
    RehabPlan.objects.create(episode=episode, track=track, updated_by=coordinator.user)
    return episode


@pytest.mark.django_db
def test_forecast_places_patients_and_checks_the_guarantee(
    unit_a, physician, coordinator, template
):
    # decided 2025-12-01 → guarantee 2026-03-01; 2026-01-05 → 04-05; 2026-02-01 → 05-02
    first = _decided(unit_a, physician, coordinator, date(2025, 12, 1))
    third = _decided(unit_a, physician, coordinator, date(2026, 2, 1))
    second = _decided(unit_a, physician, coordinator, date(2026, 1, 5))
    _decided(unit_a, physician, coordinator, date(2025, 11, 1), track="individual")
    for start, end in [
        (date(2026, 3, 16), date(2026, 4, 17)),
        (date(2026, 4, 13), date(2026, 5, 15)),
    ]:
        Cohort.objects.create(
            unit=unit_a, template=template, name=str(start), start=start, end=end,
            created_by=coordinator.user,
        )  # fmt: skip
    rows = programme_forecast(membership=coordinator, today=date(2026, 3, 2))
    assert [(r.episode, r.expected_start, r.within_guarantee) for r in rows] == [
        (first, date(2026, 3, 16), False),
        (second, date(2026, 3, 16), True),
        (third, date(2026, 4, 13), True),
    ]
    event = AuditEvent.objects.filter(what="programme start forecast").get()
    assert event.patients.count() == 3


@pytest.mark.django_db
def test_cost_per_format_divides_staff_minutes_by_patients(
    unit_a, physician, coordinator, template
):
    # group: one cohort, 2 participants; a session with a physiotherapist 60 min
    # and a psychologist 90 min → 30 + 45 = 75 staff minutes per patient.
    # individual: one patient, held appointments 45 + 30 min physiotherapist,
    # a cancelled one of 60 min that does not count → 75 per patient.
    cohort = Cohort.objects.create(
        unit=unit_a, template=template, name="v", start=date(2026, 3, 16),
        end=date(2026, 4, 17), created_by=coordinator.user,
    )  # fmt: skip
    for day in (date(2026, 1, 5), date(2026, 1, 6)):
        episode = _decided(unit_a, physician, coordinator, day)
        CohortParticipant.objects.create(
            cohort=cohort,
            episode=episode,
            added_by=coordinator.user,
            added_at=timezone.now(),
        )
    session = Session.objects.create(
        unit=unit_a, cohort=cohort, activity_key="x", activity_name="x",
        date=date(2026, 3, 16), start=time(9), end=time(10), attendees="all",
    )  # fmt: skip
    SessionStaff.objects.create(
        session=session, user=physician.user, profession="physiotherapist", minutes=60
    )
    SessionStaff.objects.create(
        session=session, user=coordinator.user, profession="psychologist", minutes=90
    )
    individual = _decided(
        unit_a, physician, coordinator, date(2026, 1, 7), track="individual"
    )
    for minutes, status in [(45, "held"), (30, "held"), (60, "cancelled")]:
        Appointment.objects.create(
            unit=unit_a, episode=individual, starts_at=aware(date(2026, 3, 20)),
            minutes=minutes, staff=physician.user, profession="physiotherapist",
            mode="on_site", status=status, created_by=coordinator.user,
        )  # fmt: skip
    group, single = cost_per_format(unit=unit_a, year=2026)
    assert (group.patients, group.minutes_by_profession) == (
        2, {"physiotherapist": 30, "psychologist": 45},
    )  # fmt: skip
    assert group.minutes_per_patient == 75
    assert (single.patients, single.minutes_per_patient) == (1, 75)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["analytics:cost", "analytics:forecast"])
def test_cost_and_forecast_pages(name, physician, client_for, other_physician):
    client = client_for(physician)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert client.get(reverse(name), {"format": "xlsx"}).content[:2] == b"PK"
    if name == "analytics:forecast":  # names patients: the download is an export
        assert AuditEvent.objects.filter(action="export").count() == 1


@pytest.mark.django_db
def test_waiting_list_for_rehabilitation_shows_the_expected_start(
    unit_a, physician, coordinator, template, client_for
):
    # decided 2025-12-01: the guarantee ends 2026-03-01, the only planned group
    # starts later, so the list warns.
    today = timezone.localdate()
    late = _decided(
        unit_a, physician, coordinator, today.replace(day=1) - timedelta(days=120)
    )
    Cohort.objects.create(
        unit=unit_a, template=template, name="next", start=today + timedelta(days=30),
        end=today + timedelta(days=60), created_by=coordinator.user,
    )  # fmt: skip
    url = reverse("pathway:waiting_list", args=["rehabilitation"])
    page = client_for(coordinator).get(url).content.decode()
    assert "Förväntad programstart" in page
    assert (today + timedelta(days=30)).isoformat() in page
    assert "efter vårdgarantin" in page
    assert late.patient.last_name in page
    new_visit_page = client_for(coordinator).get(
        reverse("pathway:waiting_list", args=["new_visit"])
    )
    assert "Förväntad programstart" not in new_visit_page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse_lazy("pathway:waiting_list", args=["rehabilitation"]),
        reverse_lazy("analytics:forecast"),
    ],  # fmt: skip
)
def test_forecast_query_count_does_not_grow_with_the_queue(
    url, unit_a, physician, coordinator, template, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(coordinator)
    today = timezone.localdate()
    Cohort.objects.create(
        unit=unit_a, template=template, name="next", start=today + timedelta(days=30),
        end=today + timedelta(days=60), created_by=coordinator.user,
    )  # fmt: skip

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _decided(unit_a, physician, coordinator, today - timedelta(days=20))
    first = count()
    for n in range(5):
        _decided(unit_a, physician, coordinator, today - timedelta(days=10 + n))
    assert count() == first
