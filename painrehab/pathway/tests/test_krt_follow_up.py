"""KRT's follow-ups: counted from the end of the cohort's training month, and
the sick-leave degree at the 3-month follow-up (seed 2, issue 15 point 7)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.models import CareUnit
from painrehab.audit.models import AuditEvent
from painrehab.core.windows import add_months
from painrehab.pathway.models import (
    Episode,
    EpisodeTransition,
    FollowUpRecord,
    WorkStatus,
)
from painrehab.pathway.services.follow_up import schedule_for
from painrehab.pathway.services.follow_ups_due import refresh_follow_ups_due
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import GROUP_PROGRAMME_PATH, State, TransitionRefused
from painrehab.programmes.models import Cohort, CohortParticipant, Session
from painrehab.programmes.services.follow_ups_due import refresh_cohort_follow_ups_due
from painrehab.programmes.services.templates import ensure_default_templates
from painrehab.programmes.tests.factories import member
from painrehab.steps.follow_up.services import record_follow_up
from painrehab.steps.worklist import worklist_for

pytestmark = pytest.mark.usefixtures("clock")
PATH = GROUP_PROGRAMME_PATH[1 : GROUP_PROGRAMME_PATH.index(State.FOLLOW_UP) + 1]


@pytest.fixture
def krt_unit(unit_a):  # noqa: ANN001, ANN201
    unit_a.kind = CareUnit.Kind.PRIMARY_CARE
    unit_a.save(update_fields=["kind"])
    return unit_a


def _in_follow_up(episode, physician, coordinator, *, ended_on):  # noqa: ANN001, ANN202
    for state in PATH:
        by = coordinator if state == State.WAITING_NEW_VISIT else physician
        move_episode(episode=episode, to=state, by=by)
    EpisodeTransition.objects.filter(episode=episode, to_state=State.FOLLOW_UP).update(
        at=timezone.make_aware(datetime.combine(ended_on, time(12)))
    )
    refresh_follow_ups_due([episode.pk])  # the day moved as a service would
    return Episode.objects.get(pk=episode.pk)


def _in_cohort(episode, coordinator, *, last_theory):  # noqa: ANN001, ANN202
    template = next(
        t for t in ensure_default_templates(episode.unit) if t.key == "krt_primary_care"
    )
    start = last_theory - timedelta(days=17)
    cohort = Cohort.objects.create(
        unit=episode.unit, template=template, name="KRT", start=start,
        end=start + timedelta(days=48), created_by=coordinator.user,
    )  # fmt: skip
    CohortParticipant.objects.create(
        cohort=cohort, episode=episode, added_by=coordinator.user,
        added_at=timezone.now(),
    )  # fmt: skip
    for key, day in [("krt_theory", start), ("krt_theory_physician", last_theory),
                     ("krt_training-1", last_theory + timedelta(days=7))]:  # fmt: skip
        Session.objects.create(
            unit=episode.unit, cohort=cohort, activity_key=key, activity_name=key,
            date=day, start=time(10), end=time(12), attendees="all",
        )  # fmt: skip
    refresh_cohort_follow_ups_due(cohort.pk)  # as scheduling the cohort does
    return cohort


def _due(episode):  # noqa: ANN001, ANN202
    return {item.key: item.window.due_on for item in schedule_for(episode)}


def test_without_a_cohort_krt_counts_from_the_day_rehabilitation_ended(
    krt_unit, episode_a, physician, coordinator
):
    episode = _in_follow_up(
        episode_a, physician, coordinator, ended_on=date(2024, 1, 31)
    )
    assert _due(episode) == {
        "krt_group_1_month": date(2024, 1, 31),
        "krt_group_2_months": date(2024, 2, 29),
        "krt_group_3_months": date(2024, 3, 31),
        "krt_physiotherapist_3_months": date(2024, 3, 31),
        "krt_psychologist_3_months": date(2024, 3, 31),
    }


def test_with_a_cohort_krt_counts_from_the_end_of_its_training_month(
    krt_unit, episode_a, physician, coordinator
):
    # Last theory session 31 January 2024: the training month ends 29 February
    # (leap year), whatever day the programme was recorded as ended.
    episode = _in_follow_up(
        episode_a, physician, coordinator, ended_on=date(2024, 3, 8)
    )
    _in_cohort(episode, coordinator, last_theory=date(2024, 1, 31))
    assert _due(episode) == {
        "krt_group_1_month": date(2024, 2, 29),
        "krt_group_2_months": date(2024, 3, 29),
        "krt_group_3_months": date(2024, 4, 29),
        "krt_physiotherapist_3_months": date(2024, 4, 29),
        "krt_psychologist_3_months": date(2024, 4, 29),
    }


def test_the_krt_schedule_is_known_from_the_cohort_before_the_programme_ends(
    krt_unit, episode_a, coordinator
):
    _in_cohort(episode_a, coordinator, last_theory=date(2023, 1, 31))
    assert _due(episode_a)["krt_group_1_month"] == date(2023, 2, 28)


def test_the_worklist_dates_krt_follow_ups_from_the_cohort(
    krt_unit, episode_a, physician, coordinator, today
):
    physio = member(krt_unit, "sjukgymnast", "physiotherapist")
    episode = _in_follow_up(episode_a, physician, coordinator, ended_on=today)
    # Counted from the day rehabilitation ended (today), only the 1-month item
    # would be open; counted from the training month, it is overdue and the
    # 2-month item due.
    _in_cohort(episode, coordinator, last_theory=add_months(today, -2))
    labels = [str(item.label) for item in worklist_for(membership=physio, today=today)]
    assert labels == ["Gruppuppföljning, 1 månad", "Gruppuppföljning, 2 månader"]


def test_the_3_month_measurement_needs_the_sick_leave_degree_and_stores_it(
    krt_unit, episode_a, physician, coordinator, today
):
    episode = _in_follow_up(
        episode_a, physician, coordinator, ended_on=add_months(today, -2)
    )
    values = {"by": physician, "episode": episode, "outcome": "done", "held_on": today,
              "item_key": "krt_psychologist_3_months"}  # fmt: skip
    with pytest.raises(TransitionRefused, match="sjukskrivningsgraden"):
        record_follow_up(**values)
    assert not FollowUpRecord.objects.exists()
    assert not WorkStatus.objects.exists()
    record_follow_up(**values, sick_leave_percent=50)
    status = WorkStatus.objects.get(episode=episode)
    assert (status.time_point, status.sick_leave_percent, status.recorded_on) == (
        "3_months", 50, today,
    )  # fmt: skip
    assert AuditEvent.objects.filter(what="sick leave 3_months: 50 %").count() == 1


def test_a_3_month_measurement_not_reached_needs_no_degree(
    krt_unit, episode_a, physician, coordinator, today
):
    episode = _in_follow_up(
        episode_a, physician, coordinator, ended_on=add_months(today, -2)
    )
    record_follow_up(by=physician, episode=episode, outcome="not_reached",
                     held_on=today, item_key="krt_psychologist_3_months")  # fmt: skip
    assert not WorkStatus.objects.exists()


def test_the_follow_up_page_asks_for_the_degree_at_the_3_month_measurement(
    krt_unit, episode_a, physician, coordinator, today, client_for
):
    episode = _in_follow_up(
        episode_a, physician, coordinator, ended_on=add_months(today, -2)
    )
    client = client_for(physician)
    url = reverse("pathway:follow_up", args=[episode.pk])
    page = client.get(url + "?punkt=krt_psychologist_3_months").content.decode()
    assert 'id="id_follow_up_sick_leave_percent"' in page
    assert "3-månadersuppföljning (KRT)" in page
    other = client.get(url + "?punkt=krt_physiotherapist_3_months").content.decode()
    assert 'id="id_follow_up_sick_leave_percent"' not in other
    form = {"item_key": "krt_psychologist_3_months", "outcome": "done",
            "held_on": today.isoformat()}  # fmt: skip
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "Ange sjukskrivningsgraden" in refused.content.decode()
    assert not FollowUpRecord.objects.exists()
    assert client.post(url, form | {"sick_leave_percent": "25"}).status_code == 302
    assert WorkStatus.objects.get(episode=episode).sick_leave_percent == 25


def test_the_3_month_point_is_not_offered_outside_krt(
    episode_a, physician, coordinator, today, client_for
):
    episode = _in_follow_up(episode_a, physician, coordinator, ended_on=today)
    page = client_for(physician).get(reverse("pathway:follow_up", args=[episode.pk]))
    assert "3-månadersuppföljning (KRT)" not in page.content.decode()


def test_other_unit_gets_404(krt_unit, episode_a, other_physician, client_for):
    client = client_for(other_physician)
    url = reverse("pathway:follow_up", args=[episode_a.pk])
    assert client.get(url + "?punkt=krt_psychologist_3_months").status_code == 404
    form = {"item_key": "krt_psychologist_3_months", "outcome": "done",
            "held_on": "2026-01-01", "sick_leave_percent": "25"}  # fmt: skip
    assert client.post(url, form).status_code == 404
    assert not WorkStatus.objects.exists()
