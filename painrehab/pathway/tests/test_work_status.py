"""Sick leave at the outcome time points: recorded on the follow-up page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painrehab.audit.models import AuditEvent
from painrehab.pathway.models import WorkStatus
from painrehab.pathway.services.follow_up import record_work_status, work_statuses
from painrehab.pathway.states import TransitionRefused

pytestmark = pytest.mark.django_db


def test_before_falls_back_to_the_referral_until_recorded(episode_a, coordinator):
    episode_a.referral.sick_leave = "partly"
    episode_a.referral.sick_leave_percent = 75
    episode_a.referral.save()
    rows = {
        value: (degree, saved) for value, _l, degree, saved in work_statuses(episode_a)
    }
    assert rows["before"] == (75, None)
    assert rows["end"] == (None, None)

    record_work_status(
        by=coordinator, episode=episode_a, time_point="before",
        sick_leave_percent=100, recorded_on=date(2026, 10, 2),
    )  # fmt: skip
    degrees = {value: degree for value, _l, degree, _s in work_statuses(episode_a)}
    assert degrees["before"] == 100


def test_partly_without_a_degree_counts_as_half(episode_a):
    episode_a.referral.sick_leave = "partly"
    episode_a.referral.sick_leave_percent = None
    assert episode_a.referral.sick_leave_degree == 50
    episode_a.referral.sick_leave = "unknown"
    assert episode_a.referral.sick_leave_degree is None


def test_recording_twice_corrects_the_one_row_and_audits_both(episode_a, coordinator):
    for degree in (50, 25):
        record_work_status(
            by=coordinator, episode=episode_a, time_point="end",
            sick_leave_percent=degree, recorded_on=date(2026, 11, 2),
        )  # fmt: skip
    assert list(WorkStatus.objects.values_list("sick_leave_percent", flat=True)) == [25]
    actions = AuditEvent.objects.filter(what__startswith="sick leave end").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["create", "update"]


def test_refused_for_a_future_date_and_a_profession_without_the_right(
    episode_a, coordinator, secretary
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(TransitionRefused):
        record_work_status(
            by=coordinator, episode=episode_a, time_point="end",
            sick_leave_percent=0, recorded_on=tomorrow,
        )  # fmt: skip
    with pytest.raises(TransitionRefused):
        record_work_status(
            by=secretary, episode=episode_a, time_point="end",
            sick_leave_percent=0, recorded_on=date(2026, 11, 2),
        )  # fmt: skip
    assert not WorkStatus.objects.exists()


def test_the_form_records_and_bad_input_keeps_what_was_typed(
    episode_a, coordinator, client_for
):
    client = client_for(coordinator)
    url = reverse("pathway:work_status", args=[episode_a.pk])
    response = client.post(
        url,
        {"time_point": "end", "sick_leave_percent": "40", "recorded_on": "2026-11-02"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Välj ett giltigt alternativ" in page
    assert 'value="2026-11-02"' in page
    assert not WorkStatus.objects.exists()

    response = client.post(
        url,
        {"time_point": "end", "sick_leave_percent": "0", "recorded_on": "2026-11-02"},
    )
    assert response.status_code == 302
    page = client.get(
        reverse("pathway:follow_up", args=[episode_a.pk])
    ).content.decode()
    assert "Inte sjukskriven" in page


def test_another_units_episode_is_404(episode_b, coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("pathway:work_status", args=[episode_b.pk]),
        {"time_point": "end", "sick_leave_percent": "0", "recorded_on": "2026-11-02"},
    )
    assert response.status_code == 404
    assert not WorkStatus.objects.exists()
