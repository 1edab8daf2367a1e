"""Send, save, submit once, expiry, rate limit, staff entry, stored versions."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from painrehab.audit.models import AuditEvent
from painrehab.questionnaires import links, services
from painrehab.questionnaires.catalogue import KRT_CODES, REGISTRY_CODES
from painrehab.questionnaires.models import (
    Answer,
    FactorAttempt,
    QuestionnaireRequest,
    Result,
    TimePoint,
)
from painrehab.questionnaires.scoring import definition, score
from painrehab.questionnaires.tests.conftest import full_answers

Status = QuestionnaireRequest.Status


def _answer_all(request: QuestionnaireRequest) -> None:
    for code in request.codes:
        services.save_answers(
            questionnaire_request=request, code=code, answers=full_answers(code)
        )


def test_sending_creates_a_request_with_the_shipped_package_and_an_expiry(
    coordinator, episode_a, wordings_a
):
    sent = services.send_package(
        by=coordinator,
        episode=episode_a,
        time_point=TimePoint.REGISTRY_BEFORE,
        today=date(2026, 10, 5),
    )
    request = sent.request
    assert request.codes == REGISTRY_CODES
    assert request.status == Status.OPEN
    assert request.expires_on == date(2026, 10, 5) + timedelta(days=42)
    assert request.unit_id == coordinator.unit_id


def test_a_primary_care_unit_gets_the_krt_package(krt_sent):
    assert krt_sent.request.codes == KRT_CODES
    assert krt_sent.request.time_point == TimePoint.KRT_BEFORE


def test_the_token_and_code_are_stored_only_as_hashes(sent):
    request = QuestionnaireRequest.objects.get(pk=sent.request.pk)
    assert len(sent.token) >= 43  # 32 random bytes, url-safe base64
    stored = [str(value) for value in request.__dict__.values()]
    assert sent.token not in stored
    assert links.normalise_code(sent.short_code) not in "".join(stored)
    assert request.token_hash == links.hash_token(sent.token)
    assert request.code_hash == links.hash_code(sent.short_code)


def test_every_send_gets_a_new_random_token(
    coordinator, episode_a, physician, rehabilitation_started, wordings_a
):
    first = services.send_package(
        by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
    )
    second = services.send_package(
        by=physician, episode=episode_a, time_point=TimePoint.REGISTRY_END
    )
    assert first.token != second.token
    assert first.short_code != second.short_code


def test_a_second_open_request_for_the_same_time_point_is_refused(sent, coordinator):
    with pytest.raises(services.QuestionnaireRefused):
        services.send_package(
            by=coordinator,
            episode=sent.request.episode,
            time_point=TimePoint.REGISTRY_BEFORE,
        )


def test_the_unit_itself_may_send_with_no_person_and_the_outbox_as_actor(
    episode_a, wordings_a
):
    class Outbox:
        pk = None

        def get_username(self) -> str:
            return "outbox"

    sent = services.send_package_for_the_unit(
        episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE, actor=Outbox()
    )
    assert sent.request.sent_by is None
    assert sent.request.codes == REGISTRY_CODES
    event = AuditEvent.objects.get(what="questionnaires sent registry_before")
    assert (event.actor_id, event.actor_label) == (None, "outbox")
    assert list(event.patients.values_list("patient_id", flat=True)) == [
        episode_a.patient_id
    ]
    # Refused like a person's send: one open request per time point.
    with pytest.raises(services.QuestionnaireRefused):
        services.send_package_for_the_unit(
            episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE, actor=Outbox()
        )


def test_the_package_before_the_visit_is_the_registrys_or_krts_by_unit(
    unit_a, unit_b, coordinator
):
    assert services.time_points_before_the_visit(unit_ids=[unit_a.pk, unit_b.pk]) == {
        unit_a.pk: TimePoint.REGISTRY_BEFORE,
        unit_b.pk: TimePoint.KRT_BEFORE,
    }
    services.save_package(
        by=coordinator, time_point=TimePoint.REGISTRY_BEFORE, codes=[]
    )
    assert services.time_points_before_the_visit(unit_ids=[unit_a.pk]) == {}


def test_a_sports_leader_may_not_send(sports_leader, episode_a):
    with pytest.raises(services.QuestionnaireRefused):
        services.send_package(
            by=sports_leader, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
        )
    assert not QuestionnaireRequest.objects.exists()


def test_sending_is_audited_with_the_patient(sent, coordinator):
    event = AuditEvent.objects.get(what__startswith="questionnaires sent")
    assert event.actor_id == coordinator.user_id
    assert list(event.patients.values_list("patient_id", flat=True)) == [
        sent.request.episode.patient_id
    ]


def test_answers_are_saved_per_item_and_a_changed_answer_replaces_the_old(sent):
    request = sent.request
    services.save_answers(questionnaire_request=request, code="nprs", answers={1: 4})
    services.save_answers(questionnaire_request=request, code="nprs", answers={1: 6})
    assert list(Answer.objects.values_list("code", "item", "value")) == [("nprs", 1, 6)]
    request.refresh_from_db()
    assert request.status == Status.PARTLY


def test_an_answer_outside_the_options_is_refused_with_the_item_named(sent):
    item = definition("nprs").item(1)
    with pytest.raises(ValueError, match="item 1"):
        services.parse_value(item, "11")
    assert services.parse_value(item, " 7 ") == 7


def test_submit_stores_one_result_per_instrument_with_its_definition_version(sent):
    request = sent.request
    _answer_all(request)
    assert services.submit_request(
        questionnaire_request=request, expected_version=request.version
    )
    results = {r.code: r for r in Result.objects.all()}
    assert sorted(results) == sorted(REGISTRY_CODES)
    for code, result in results.items():
        scored: dict[int, int | float | None] = {}
        for n, v in full_answers(code).items():
            if definition(code).item(n).is_scored:
                assert isinstance(v, int | float)  # a scored item's answer is a number
                scored[n] = v
        expected = score(code, scored)
        assert result.definition_version == expected.version == definition(code).version
        assert result.total == expected.total
        assert result.band == expected.band
        assert result.valid == expected.valid
        assert result.source == Result.Source.PATIENT_ONLINE
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_a_second_submit_stores_nothing_more(sent):
    request = sent.request
    _answer_all(request)
    version = request.version
    assert services.submit_request(
        questionnaire_request=request, expected_version=version
    )
    count = Result.objects.count()
    assert not services.submit_request(
        questionnaire_request=request, expected_version=version
    )
    assert not services.submit_request(
        questionnaire_request=request, expected_version=version + 1
    )
    assert Result.objects.count() == count == len(REGISTRY_CODES)


def test_no_answers_after_submission(sent):
    request = sent.request
    services.save_answers(questionnaire_request=request, code="nprs", answers={1: 4})
    services.submit_request(
        questionnaire_request=request, expected_version=request.version
    )
    with pytest.raises(services.FormClosed):
        services.save_answers(
            questionnaire_request=request, code="nprs", answers={1: 3}
        )


def test_a_missing_instrument_is_stored_as_not_valid_with_a_reason(sent):
    request = sent.request
    services.save_answers(questionnaire_request=request, code="nprs", answers={1: 5})
    services.submit_request(
        questionnaire_request=request, expected_version=request.version
    )
    nprs = Result.objects.get(code="nprs")
    tsk = Result.objects.get(code="tsk")
    assert (nprs.valid, nprs.total, nprs.band) == (True, 5, "moderate")
    assert tsk.valid is False
    assert tsk.total is None
    assert tsk.reason


def test_an_expired_request_takes_no_answers_and_no_submit(sent):
    request = sent.request
    later = request.expires_on + timedelta(days=1)
    with pytest.raises(services.FormClosed):
        services.save_answers(
            questionnaire_request=request, code="nprs", answers={1: 3}, today=later
        )
    stamp = timezone.make_aware(
        datetime.combine(later, datetime.min.time()).replace(hour=12)
    )
    assert not services.submit_request(
        questionnaire_request=request, expected_version=request.version, now=stamp
    )
    assert services.expire_requests(today=later) == 1
    request.refresh_from_db()
    assert request.status == Status.EXPIRED
    assert not Result.objects.exists()


def test_a_form_with_nothing_answered_cannot_be_sent(sent):
    # Found walking the patient form: 0 of 140 items answered, and thanked.
    request = sent.request
    with pytest.raises(services.NothingAnswered, match="minst en fråga"):
        services.submit_request(
            questionnaire_request=request, expected_version=request.version
        )
    request.refresh_from_db()
    assert request.status != Status.SUBMITTED
    assert not Result.objects.exists()


def test_the_expiry_on_the_last_day_still_takes_answers(sent):
    request = sent.request
    services.save_answers(
        questionnaire_request=request,
        code="nprs",
        answers={1: 3},
        today=request.expires_on,
    )
    assert services.expire_requests(today=request.expires_on) == 0


def test_the_second_factor_is_the_birth_date_by_default(sent, patient_a):
    request = services.find_by_token(sent.token)
    assert request is not None
    assert not services.verify_second_factor(
        questionnaire_request=request, value=date(1985, 1, 2), address="10.0.0.1"
    )
    assert services.verify_second_factor(
        questionnaire_request=request, value=patient_a.birth_date, address="10.0.0.1"
    )


def test_a_unit_can_require_the_short_code_instead(
    coordinator, episode_a, patient_a, wordings_a
):
    services.save_form_settings(
        by=coordinator, second_factor="short_code", expiry_days=14
    )
    sent = services.send_package(
        by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
    )
    request = services.find_by_token(sent.token)
    assert request is not None
    assert request.expires_on == timezone.localdate() + timedelta(days=14)
    assert not services.verify_second_factor(
        questionnaire_request=request, value=patient_a.birth_date, address=None
    )
    assert services.verify_second_factor(
        questionnaire_request=request,
        value=links.normalise_code(sent.short_code),
        address=None,
    )


def test_five_wrong_tries_lock_the_link_at_that_address_even_for_the_right_value(
    sent, patient_a
):
    request = services.find_by_token(sent.token)
    assert request is not None
    start = timezone.now()
    for minute in range(5):
        assert not services.verify_second_factor(
            questionnaire_request=request,
            value=date(1990, 1, 1),
            address="10.0.0.1",
            now=start + timedelta(minutes=minute),
        )
    with pytest.raises(services.TooManyAttempts):
        services.verify_second_factor(
            questionnaire_request=request,
            value=patient_a.birth_date,
            address="10.0.0.1",
            now=start + timedelta(minutes=5),
        )
    # Counted in the database: another process sees the same attempts.
    assert FactorAttempt.objects.filter(request=request, succeeded=False).count() == 6
    # Someone else's wrong tries do not lock the patient out of their own link.
    assert services.verify_second_factor(
        questionnaire_request=request,
        value=patient_a.birth_date,
        address="10.0.0.2",
        now=start + timedelta(minutes=6),
    )
    assert services.verify_second_factor(
        questionnaire_request=request,
        value=patient_a.birth_date,
        address="10.0.0.1",
        now=start + timedelta(minutes=21),
    )


def test_wrong_tries_from_many_addresses_lock_the_link_for_an_hour(sent, patient_a):
    request = services.find_by_token(sent.token)
    assert request is not None
    start = timezone.now()
    for n in range(services.LINK_ADDRESS_LIMIT - 1):
        assert not services.verify_second_factor(
            questionnaire_request=request,
            value=date(1990, 1, 1),
            address=f"192.0.2.{n + 1}",
            now=start + timedelta(seconds=n),
        )
    # The next address's try locks the link for everyone, the patient too.
    for later in (timedelta(seconds=30), timedelta(minutes=50)):
        with pytest.raises(services.TooManyAttempts):
            services.verify_second_factor(
                questionnaire_request=request,
                value=patient_a.birth_date,
                address="198.51.100.7",
                now=start + later,
            )
    assert services.verify_second_factor(
        questionnaire_request=request,
        value=patient_a.birth_date,
        address="198.51.100.7",
        now=start + timedelta(minutes=61),
    )


def test_wrong_short_codes_are_limited_per_address(db):
    start = timezone.now()
    for n in range(services.CODE_LOOKUP_LIMIT):
        assert (
            services.find_by_short_code(
                code="AAAAA-AAAAA", address="10.9.9.9", now=start + timedelta(seconds=n)
            )
            is None
        )
    with pytest.raises(services.TooManyAttempts):
        services.find_by_short_code(code="AAAAA-AAAAA", address="10.9.9.9", now=start)
    assert (
        services.find_by_short_code(code="AAAAA-AAAAA", address="10.9.9.8", now=start)
        is None
    )


def test_while_locked_no_short_code_is_looked_up(sent):
    start = timezone.now()
    for n in range(services.CODE_LOOKUP_LIMIT):
        services.find_by_short_code(
            code="AAAAA-AAAAA", address="10.9.9.9", now=start + timedelta(seconds=n)
        )
    # The right code from the locked address is refused like any other guess.
    with pytest.raises(services.TooManyAttempts):
        services.find_by_short_code(
            code=sent.short_code, address="10.9.9.9", now=start + timedelta(minutes=1)
        )
    # A right code does not count against its address.
    for n in range(services.CODE_LOOKUP_LIMIT + 5):
        assert services.find_by_short_code(
            code=sent.short_code, address="10.9.9.7", now=start + timedelta(seconds=n)
        )


def test_the_short_code_finds_its_request(sent):
    found = services.find_by_short_code(code=sent.short_code.lower(), address=None)
    assert found is not None
    assert found.pk == sent.request.pk


def test_a_paper_form_is_stored_as_entered_by_staff(sent, secretary):
    request = sent.request
    result = services.enter_paper_form(
        by=secretary,
        questionnaire_request=request,
        code="hads",
        answers={n: 2 for n in range(1, 15)},
        answered_on=date(2026, 10, 20),
    )
    assert result.source == Result.Source.PAPER
    assert result.recorded_by == secretary.user
    assert result.subscales == {"anxiety": 14, "depression": 14}
    assert set(result.flags) == {"hads_anxiety_case", "hads_depression_case"}
    assert result.definition_version == definition("hads").version
    request.refresh_from_db()
    assert request.status == Status.PARTLY
    with pytest.raises(services.QuestionnaireRefused):
        services.enter_paper_form(
            by=secretary,
            questionnaire_request=request,
            code="hads",
            answers={1: 0},
            answered_on=date(2026, 10, 20),
        )
    event = AuditEvent.objects.get(what="paper form entered hads")
    assert event.actor_id == secretary.user_id


def test_a_paper_entered_instrument_counts_as_answered(sent, secretary):
    from painrehab.questionnaires import selectors

    request = sent.request
    services.enter_paper_form(
        by=secretary,
        questionnaire_request=request,
        code="hads",
        answers={n: 2 for n in range(1, 15)},
        answered_on=date(2026, 10, 20),
    )
    services.save_answers(questionnaire_request=request, code="nprs", answers={1: 3})
    progress = selectors.form_progress(questionnaire_request=request)
    assert progress.answered["hads"] == progress.total["hads"] == 14
    assert progress.answered["nprs"] == 1


def test_the_online_submit_keeps_a_paper_entered_instrument(sent, secretary):
    request = sent.request
    services.enter_paper_form(
        by=secretary,
        questionnaire_request=request,
        code="nprs",
        answers={1: 8},
        answered_on=date(2026, 10, 20),
    )
    services.save_answers(questionnaire_request=request, code="nprs", answers={1: 2})
    request.refresh_from_db()
    services.submit_request(
        questionnaire_request=request, expected_version=request.version
    )
    nprs = Result.objects.get(code="nprs")
    assert (nprs.total, nprs.source) == (8, Result.Source.PAPER)


def test_entering_every_instrument_on_paper_submits_the_request(krt_sent):
    from painrehab.accounts.models import Membership

    by = Membership.objects.get(user__username="coordinator_b")
    request = krt_sent.request
    for code in request.codes:
        services.enter_paper_form(
            by=by,
            questionnaire_request=request,
            code=code,
            answers=full_answers(code),
            answered_on=date(2026, 10, 20),
        )
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_madrs_is_rated_by_a_clinician_and_marked_staff_rated(physician, episode_a):
    result = services.record_staff_rating(
        by=physician,
        episode=episode_a,
        time_point=TimePoint.KRT_BEFORE,
        code="madrs",
        answers={n: 3 for n in range(1, 11)},
        rated_on=date(2026, 10, 21),
    )
    assert result.source == Result.Source.STAFF_RATED
    assert result.request is None
    assert result.total == 30
    assert "madrs_above_krt_threshold" in result.flags
    assert AuditEvent.objects.filter(
        what="staff rating madrs", action="create"
    ).exists()


def test_a_secretary_may_not_rate_madrs_and_hads_is_not_staff_rated(
    secretary, physician, episode_a
):
    with pytest.raises(services.QuestionnaireRefused):
        services.record_staff_rating(
            by=secretary,
            episode=episode_a,
            time_point=TimePoint.KRT_BEFORE,
            code="madrs",
            answers={1: 0},
            rated_on=date(2026, 10, 21),
        )
    with pytest.raises(services.QuestionnaireRefused):
        services.record_staff_rating(
            by=physician,
            episode=episode_a,
            time_point=TimePoint.KRT_BEFORE,
            code="hads",
            answers={1: 0},
            rated_on=date(2026, 10, 21),
        )


def test_the_sports_leader_rates_borg_during_training(
    sports_leader, episode_a, rehabilitation_started
):
    result = services.record_staff_rating(
        by=sports_leader,
        episode=episode_a,
        time_point=TimePoint.REGISTRY_END,
        code="borg_rpe",
        answers={1: 13},
        rated_on=date(2026, 10, 21),
    )
    assert result.total == 13


def test_renewing_the_link_keeps_the_answers_and_kills_the_old_link(sent, coordinator):
    request = sent.request
    services.save_answers(questionnaire_request=request, code="nprs", answers={1: 4})
    request.refresh_from_db()
    renewed = services.renew_link(by=coordinator, questionnaire_request=request)
    assert services.find_by_token(sent.token) is None
    found = services.find_by_token(renewed.token)
    assert found is not None
    assert found.pk == request.pk
    assert Answer.objects.get(request=request).value == 4
    assert renewed.request.status == Status.PARTLY


def test_the_nightly_command_marks_links_past_their_date_as_expired(sent):
    from django.core.management import call_command

    QuestionnaireRequest.objects.filter(pk=sent.request.pk).update(
        expires_on=date(2026, 1, 1)
    )
    call_command("expire_questionnaire_links", stdout=io.StringIO())
    assert QuestionnaireRequest.objects.get(pk=sent.request.pk).status == Status.EXPIRED
    event = AuditEvent.objects.get(what="questionnaire links expired")
    assert list(event.patients.values_list("patient_id", flat=True)) == [
        sent.request.episode.patient_id
    ]
