"""The waiting lists: dates, status, order and a constant number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from painrehab.accounts.models import Membership
from painrehab.pathway.accessibility import nearest_rank_percentile, wait_figures
from painrehab.pathway.models import Episode, EpisodeTransition, NewVisitRecord
from painrehab.pathway.selectors import (
    WaitingStep,
    accessibility_figures,
    waiting_list_page,
)
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State
from painrehab.patients.tests.factories import PatientFactory
from painrehab.steps.referral.services import open_episode
from painrehab.steps.waiting.services import add_pause

TODAY = date(2026, 11, 24)


def waiting_list(**kwargs):  # noqa: ANN003, ANN201
    """The rows of the list's first page (every test list fits on it)."""
    return list(waiting_list_page(**kwargs))


def _triaged(unit, coordinator, physician, *, received, n=1):  # noqa: ANN001, ANN202
    episodes = []
    for patient in PatientFactory.create_batch(n, unit=unit):
        episode = open_episode(
            patient=patient, by=coordinator, source="referral", received_on=received
        )
        move_episode(episode=episode, to=State.TRIAGED, by=physician)
        episodes.append(episode)
    return episodes


def test_row_has_goal_and_guarantee_dates_from_the_referral(
    unit_a, coordinator, physician
):
    _triaged(unit_a, coordinator, physician, received=date(2026, 9, 1))
    row = waiting_list(membership=coordinator, step=WaitingStep.NEW_VISIT, today=TODAY)[
        0
    ]
    assert (row.days_waited, row.goal_date, row.guarantee_date) == (
        84,
        date(2026, 10, 31),
        date(2026, 11, 30),
    )
    assert row.status == "soon_past_guarantee"


@pytest.mark.parametrize(
    ("waited", "status"),
    [
        (60, "within_goal"),
        (61, "past_goal"),
        (90, "soon_past_guarantee"),
        (91, "past_guarantee"),
    ],
)
def test_status_at_the_boundaries(unit_a, coordinator, physician, waited, status):
    _triaged(unit_a, coordinator, physician, received=TODAY - timedelta(days=waited))
    [row] = waiting_list(
        membership=coordinator, step=WaitingStep.NEW_VISIT, today=TODAY
    )
    assert (row.days_waited, row.status) == (waited, status)


def test_patient_chosen_waiting_is_left_out_of_the_clock(
    unit_a, coordinator, physician
):
    [episode] = _triaged(unit_a, coordinator, physician, received=date(2026, 8, 1))
    add_pause(
        by=coordinator,
        episode=Episode.objects.get(pk=episode.pk),
        start=date(2026, 9, 1),
        end=date(2026, 9, 30),
        note="Resa",
    )
    [row] = waiting_list(
        membership=coordinator, step=WaitingStep.NEW_VISIT, today=TODAY
    )
    assert row.days_waited == 115 - 30
    assert row.guarantee_date == date(2026, 10, 30) + timedelta(days=30)


def test_filter_by_status_and_sort_by_days(unit_a, coordinator, physician):
    _triaged(unit_a, coordinator, physician, received=TODAY - timedelta(days=10))
    _triaged(unit_a, coordinator, physician, received=TODAY - timedelta(days=100))
    rows = waiting_list(membership=coordinator, step=WaitingStep.NEW_VISIT, today=TODAY)
    assert [r.days_waited for r in rows] == [100, 10]
    only = waiting_list(
        membership=coordinator,
        step=WaitingStep.NEW_VISIT,
        today=TODAY,
        status="within_goal",
    )
    assert [r.days_waited for r in only] == [10]


def test_other_units_patients_are_not_on_the_list(
    unit_a, unit_b, coordinator, physician, episode_b
):
    move_episode(
        episode=episode_b,
        to=State.TRIAGED,
        by=Membership.objects.create(
            user=physician.user, unit=unit_b, profession="physician"
        ),
    )
    assert (
        waiting_list(membership=coordinator, step=WaitingStep.NEW_VISIT, today=TODAY)
        == []
    )


def test_waiting_list_page_uses_the_same_number_of_queries_at_10_and_200(
    client_for, unit_a, coordinator, physician, django_assert_num_queries
):
    client = client_for(coordinator)
    episodes = _triaged(unit_a, coordinator, physician, received=date(2026, 9, 1), n=10)
    add_pause(
        by=coordinator,
        episode=Episode.objects.get(pk=episodes[0].pk),
        start=date(2026, 9, 5),
        end=None,
    )
    with CaptureQueriesContext(connection) as at_10:
        assert client.get("/vardforlopp/vantelista/new_visit/").status_code == 200
    _triaged(unit_a, coordinator, physician, received=date(2026, 9, 1), n=190)
    with django_assert_num_queries(len(at_10.captured_queries)):
        response = client.get("/vardforlopp/vantelista/new_visit/")
    assert len(response.context["rows"]) == 50  # a page
    assert response.context["page"].paginator.count == 200
    assert "Sida 1 av 4" in response.content.decode()


def test_waiting_list_pages_log_only_the_patients_shown(
    client_for, unit_a, coordinator, physician
):
    from painrehab.audit.models import AuditEvent

    _triaged(unit_a, coordinator, physician, received=date(2026, 9, 1), n=60)
    client = client_for(coordinator)
    first = client.get("/vardforlopp/vantelista/new_visit/", {"sort": "name"})
    second = client.get(
        "/vardforlopp/vantelista/new_visit/", {"sort": "name", "page": "2"}
    )
    shown = [row.episode.pk for row, _f in first.context["rows"]]
    shown += [row.episode.pk for row, _f in second.context["rows"]]
    assert len(shown) == len(set(shown)) == 60
    event = AuditEvent.objects.filter(what="waiting list new_visit page 2").get()
    assert event.patients.count() == 10


def test_accessibility_figures_for_a_month(unit_a, coordinator, physician):
    waits = [30, 55, 61, 95]
    for days in waits:
        [episode] = _triaged(
            unit_a,
            coordinator,
            physician,
            received=date(2026, 10, 31) - timedelta(days=days),
        )
        NewVisitRecord.objects.create(
            episode=episode,
            held_on=date(2026, 10, 31),
            summary="x",
            outcome="other",
            recorded_by=physician.user,
        )
    figures = accessibility_figures(membership=coordinator, year=2026, month=10)
    assert (
        figures.waits.visits,
        figures.waits.within_goal,
        figures.waits.within_guarantee,
    ) == (4, 2, 3)
    assert figures.waits.median_days == 58
    assert figures.waits.p90_days == 95
    assert EpisodeTransition.objects.count() == 8


def test_nearest_rank_percentile_and_shares():
    assert nearest_rank_percentile(list(range(1, 11)), 90) == 9
    assert nearest_rank_percentile([5], 90) == 5
    assert nearest_rank_percentile([], 90) is None
    figures = wait_figures([10, 60, 61, 90, 91])
    assert (
        figures.within_goal,
        figures.within_guarantee,
        figures.share_within_goal,
    ) == (2, 4, 0.4)


@pytest.mark.parametrize("sort", ["days", "received", "name", "guarantee"])
def test_the_plain_row_clocks_agree_with_the_full_rows(
    sort, unit_a, coordinator, physician
):
    from painrehab.pathway.selectors import waiting_clocks, waiting_list_page

    episodes = [
        *_triaged(unit_a, coordinator, physician, received=date(2026, 8, 1), n=3),
        *_triaged(unit_a, coordinator, physician, received=date(2026, 10, 20), n=3),
    ]
    add_pause(by=coordinator, episode=Episode.objects.get(pk=episodes[0].pk),
              start=date(2026, 8, 10), end=date(2026, 9, 9))  # fmt: skip
    add_pause(by=coordinator, episode=Episode.objects.get(pk=episodes[4].pk),
              start=date(2026, 11, 1), end=None)  # fmt: skip
    full = waiting_list(
        membership=coordinator, step=WaitingStep.NEW_VISIT, today=TODAY, sort=sort
    )
    clocks = {
        c.episode_pk: c
        for c in waiting_clocks(
            membership=coordinator, step=WaitingStep.NEW_VISIT, today=TODAY
        )
    }
    for row in full:
        clock = clocks[row.episode.pk]
        assert (clock.clock_started, clock.days_waited, clock.guarantee_date,
                clock.status) == (row.clock_started, row.days_waited,
                                  row.guarantee_date, row.status)  # fmt: skip
    page = waiting_list_page(
        membership=coordinator, step=WaitingStep.NEW_VISIT, today=TODAY, sort=sort
    )
    assert [row.episode.pk for row in page] == [row.episode.pk for row in full]
