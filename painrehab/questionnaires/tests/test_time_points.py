"""Each time point's forms go out in their window, and the registry's
12-month forms outlive discharge (seed 1 §11)."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import formats, timezone

from painrehab.pathway.models import Episode, EpisodeTransition
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import GROUP_PROGRAMME_PATH, State
from painrehab.questionnaires import services
from painrehab.questionnaires.models import Result, TimePoint
from painrehab.questionnaires.time_points import NotYet, check_window, opens_on
from painrehab.steps.discharge.services import discharge_episode
from painrehab.steps.follow_up.services import record_follow_up
from painrehab.steps.worklist import worklist_for

# --- the rule -----------------------------------------------------------------


def test_the_12_month_forms_open_a_year_after_the_end_on_the_right_day():
    assert opens_on(
        TimePoint.REGISTRY_12_MONTHS, started_on=None, ended_on=date(2027, 2, 28)
    ) == date(2028, 2, 28)
    assert opens_on(
        TimePoint.REGISTRY_12_MONTHS, started_on=None, ended_on=date(2028, 2, 29)
    ) == date(2029, 2, 28)


def test_a_time_point_before_its_step_or_its_day_is_not_yet():
    with pytest.raises(NotYet) as unknown:
        check_window(
            TimePoint.REGISTRY_END,
            started_on=None,
            ended_on=None,
            today=date(2027, 1, 1),
        )
    assert unknown.value.opens_on is None
    with pytest.raises(NotYet) as early:
        check_window(
            TimePoint.REGISTRY_12_MONTHS,
            started_on=date(2026, 1, 5),
            ended_on=date(2026, 2, 9),
            today=date(2027, 2, 8),
        )
    assert early.value.opens_on == date(2027, 2, 9)
    check_window(
        TimePoint.REGISTRY_12_MONTHS,
        started_on=date(2026, 1, 5),
        ended_on=date(2026, 2, 9),
        today=date(2027, 2, 9),
    )
    check_window(
        TimePoint.REGISTRY_BEFORE,
        started_on=None,
        ended_on=None,
        today=date(2020, 1, 1),
    )


# --- a patient carried past discharge ---------------------------------------------


def _ended(episode, physician, coordinator, ended_on):  # noqa: ANN001, ANN202
    path = GROUP_PROGRAMME_PATH[1 : GROUP_PROGRAMME_PATH.index(State.FOLLOW_UP) + 1]
    for state in path:
        move_episode(
            episode=Episode.objects.get(pk=episode.pk),
            to=state,
            by=coordinator if state == State.WAITING_NEW_VISIT else physician,
        )
    EpisodeTransition.objects.filter(episode=episode, to_state=State.FOLLOW_UP).update(
        at=timezone.make_aware(
            datetime.combine(ended_on, datetime.min.time()).replace(hour=12)
        )
    )
    return Episode.objects.get(pk=episode.pk)


def test_after_discharge_the_12_month_forms_are_due_sent_answered_and_scored(
    episode_a, physician, coordinator, travel, today, wordings_a
):
    # Found walking the pathway: "Vårdförloppet är avslutat" refused the
    # 12-month forms of every patient discharged after the 3–4-month follow-up.
    from painrehab.accounts.models import Membership

    psychologist = Membership.objects.create(
        user=physician.user.__class__.objects.create_user(
            username="psy_tp", password="x-pass-123"
        ),
        unit=coordinator.unit,
        profession="psychologist",
    )
    # Ended on a day of the month that every month has, so that the year after
    # is plainly the same date.
    ended_on = today
    while ended_on.day > 28:
        ended_on += timedelta(days=1)
    travel(ended_on)
    episode = _ended(episode_a, physician, coordinator, ended_on)
    travel(ended_on + timedelta(days=112))  # past the 3–4-month follow-up: discharged
    discharge_episode(
        by=coordinator,
        episode=episode,
        reason="completed",
        taken_over_by="Vårdcentralen",
        recommendation="Fortsatt träning",
    )
    episode = Episode.objects.get(pk=episode.pk)
    a_year_on = ended_on.replace(year=ended_on.year + 1)
    with pytest.raises(
        services.QuestionnaireRefused,
        match=f"kan skickas från {formats.date_format(a_year_on, 'j F Y')}",
    ):
        services.send_package(
            by=coordinator, episode=episode, time_point=TimePoint.REGISTRY_12_MONTHS
        )
    with pytest.raises(services.QuestionnaireRefused, match="avslutat"):
        services.send_package(
            by=coordinator, episode=episode, time_point=TimePoint.REGISTRY_END
        )

    day = travel(a_year_on + timedelta(days=1))
    due = [item.label for item in worklist_for(membership=coordinator, today=day).items]
    assert "Registerformulär, 12 månader" in due
    sent = services.send_package(
        by=coordinator, episode=episode, time_point=TimePoint.REGISTRY_12_MONTHS
    )
    services.save_answers(
        questionnaire_request=sent.request, code="nprs", answers={1: 3}
    )
    assert services.submit_request(
        questionnaire_request=sent.request, expected_version=sent.request.version
    )
    nprs = Result.objects.get(request=sent.request, code="nprs")
    assert (nprs.total, nprs.valid) == (3, True)
    record_follow_up(
        by=coordinator,
        episode=episode,
        item_key="registry_questionnaires_12_months",
        outcome="done",
        held_on=day,
    )
    assert "Registerformulär, 12 månader" not in [
        item.label for item in worklist_for(membership=coordinator, today=day).items
    ]
    later = travel(day + timedelta(days=15))
    assert "Psykologens erbjudande om återkoppling på 12-månadersformulären" in [
        item.label for item in worklist_for(membership=psychologist, today=later).items
    ]
    assert Episode.objects.get(pk=episode.pk).state == State.DISCHARGED


def test_the_end_of_rehabilitation_forms_wait_for_rehabilitation(
    coordinator, episode_a
):
    with pytest.raises(services.QuestionnaireRefused, match="när rehabiliteringen"):
        services.send_package(
            by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_END
        )
