import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest

from painrehab.accounts.models import CareUnit
from painrehab.demo.clinic import load_demo_clinic
from painrehab.demo.history import answer_set, time_points
from painrehab.pathway.models import Episode, EpisodeTransition
from painrehab.pathway.states import TRANSITIONS, DischargeReason, State
from painrehab.questionnaires.models import (
    Answer,
    Package,
    QuestionnaireRequest,
    Result,
)
from painrehab.questionnaires.scoring import CODES, definition, score

TODAY = date(2026, 11, 24)
Status = QuestionnaireRequest.Status


@pytest.fixture
def clinic(db):
    # The history alone: the living clinic's scripted episodes would be most
    # of 50 patients.
    return load_demo_clinic(patients=50, today=TODAY, history_years=2, living=False)


def test_history_writes_answers_and_scored_results(clinic):
    assert Answer.objects.count() > 500
    assert Result.objects.count() > 20
    assert QuestionnaireRequest.objects.filter(status=Status.SUBMITTED).exists()
    assert QuestionnaireRequest.objects.filter(status=Status.EXPIRED).exists()


def test_every_result_is_the_scoring_of_its_stored_answers(clinic):
    stored: defaultdict[tuple[int | None, str], dict[int, Any]] = defaultdict(dict)
    for request_id, code, item, value in Answer.objects.values_list(
        "request_id", "code", "item", "value"
    ):
        stored[request_id, code][item] = value
    results = list(Result.objects.all())
    assert results
    for result in results:
        answers = stored[result.request_id, result.code]
        assert result.answers == {str(n): v for n, v in answers.items()}
        instrument = definition(result.code)
        expected = score(
            result.code,
            {n: v for n, v in answers.items() if instrument.item(n).is_scored},
        )
        assert (result.total, result.valid, result.band) == (
            expected.total,
            expected.valid,
            expected.band,
        )
        assert result.subscales == expected.subscales
        assert result.flags == list(expected.flags)
        assert result.definition_version == expected.version


def test_submitted_requests_have_one_result_per_instrument_and_others_none(clinic):
    for request in QuestionnaireRequest.objects.prefetch_related("results"):
        codes = sorted(r.code for r in request.results.all())
        if request.status == Status.SUBMITTED:
            assert codes == sorted(request.codes)
            assert request.submitted_at is not None
            assert request.submitted_at.date() <= request.expires_on
        else:
            assert codes == []
            assert request.submitted_at is None


def test_requests_were_sent_while_the_episode_was_open(clinic):
    for request in QuestionnaireRequest.objects.select_related("episode"):
        episode = request.episode
        assert episode.opened_on <= request.sent_on <= TODAY
        assert episode.closed_on is None or request.sent_on < episode.closed_on
        assert request.expires_on == request.sent_on + timedelta(days=42)
        unanswered = request.status != Status.SUBMITTED
        # As discharge closes them: a discharged episode's unanswered requests.
        assert (request.status == Status.CLOSED) is (
            unanswered and episode.closed_on is not None
        )
        assert (request.status == Status.EXPIRED) is (
            unanswered and episode.closed_on is None and request.expires_on < TODAY
        )
        package = Package.objects.get(unit=request.unit, time_point=request.time_point)
        assert request.codes == package.codes


def test_history_episodes_follow_the_state_table(clinic):
    moves = defaultdict(list)
    for episode_id, source, target in EpisodeTransition.objects.order_by(
        "episode_id", "at", "id"
    ).values_list("episode_id", "from_state", "to_state"):
        moves[episode_id].append((source, target))
    for episode in Episode.objects.all():
        path = moves[episode.pk]
        assert path[0] == ("", State.REFERRAL_RECEIVED)
        for source, target in path[1:]:
            assert (State(source), State(target)) in TRANSITIONS
        assert path[-1][1] == episode.state
        assert (episode.state == State.DISCHARGED) is (episode.closed_on is not None)


def test_most_episodes_are_discharged_and_re_referrals_come_after_the_first(clinic):
    episodes = list(Episode.objects.order_by("patient_id", "opened_on"))
    discharged = [e for e in episodes if e.state == State.DISCHARGED]
    assert len(discharged) > len(episodes) / 2
    by_patient = defaultdict(list)
    for episode in episodes:
        by_patient[episode.patient_id].append(episode)
    assert any(len(own) > 1 for own in by_patient.values())
    for own in by_patient.values():
        assert sum(e.state != State.DISCHARGED for e in own) <= 1
        for earlier, later in zip(own, own[1:], strict=False):
            assert earlier.closed_on is not None
            assert earlier.closed_on < later.opened_on


def test_without_history_no_questionnaire_data_is_written(db):
    load_demo_clinic(patients=30, today=TODAY, living=False)
    assert not QuestionnaireRequest.objects.exists()
    assert not Answer.objects.exists()


def test_time_points_follow_the_unit_kind_and_stay_inside_the_episode():
    reached = {
        State.WAITING_NEW_VISIT: date(2025, 1, 10),
        State.PREPARATION: date(2025, 4, 1),
        State.FOLLOW_UP: date(2025, 6, 1),
        State.DISCHARGED: date(2026, 3, 1),
    }
    specialist = time_points(
        kind=CareUnit.Kind.SPECIALIST,
        reached=reached,
        reason=DischargeReason.COMPLETED,
        today=TODAY,
    )
    assert specialist == [
        ("registry_before", date(2025, 1, 10)),
        ("registry_end", date(2025, 6, 1)),
        ("registry_12m", date(2026, 2, 15)),
    ]
    primary = time_points(
        kind=CareUnit.Kind.PRIMARY_CARE,
        reached=reached,
        reason=DischargeReason.COMPLETED,
        today=TODAY,
    )
    assert primary == [
        ("krt_before", date(2025, 4, 1)),
        ("krt_after", date(2025, 6, 1)),
        ("krt_3m", date(2025, 8, 24)),
    ]


def test_time_points_before_online_forms_are_left_out():
    reached = {State.WAITING_NEW_VISIT: date(2018, 1, 10)}
    assert not time_points(
        kind=CareUnit.Kind.SPECIALIST, reached=reached, reason="", today=TODAY
    )


@pytest.mark.parametrize("code", CODES)
def test_generated_answers_are_valid_options_of_every_instrument(code):
    rng = random.Random(1)
    instrument = definition(code)
    for severity in (0.0, 0.5, 1.0):
        answers = answer_set(instrument, severity=severity, rng=rng)
        scored: dict[int, int | float | None] = {}
        for n, v in answers.items():
            if instrument.item(n).is_scored:
                assert not isinstance(v, str)  # a scored item is answered by a number
                scored[n] = v
        score(code, scored)  # raises ValueError for a value that is no option
