"""20 concurrent submits of one form store exactly one answer set (PostgreSQL)."""

import threading

import pytest
from django.db import connections

from painrehab.questionnaires import services
from painrehab.questionnaires.models import QuestionnaireRequest, Result
from painrehab.questionnaires.tests.conftest import full_answers

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_twenty_concurrent_submits_store_one_answer_set(sent):
    request = sent.request
    for code in request.codes:
        services.save_answers(
            questionnaire_request=request, code=code, answers=full_answers(code)
        )
    request.refresh_from_db()
    version = request.version
    start = threading.Barrier(20)
    outcomes: list[bool] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            mine = QuestionnaireRequest.objects.select_related("episode").get(
                pk=request.pk
            )
            start.wait()
            outcomes.append(
                services.submit_request(
                    questionnaire_request=mine, expected_version=version
                )
            )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert outcomes.count(True) == 1
    assert outcomes.count(False) == 19
    assert Result.objects.filter(request=request).count() == len(request.codes)
    assert QuestionnaireRequest.objects.get(pk=request.pk).status == "submitted"


def _stored_answers(request: QuestionnaireRequest, code: str) -> dict[int, object]:
    from painrehab.questionnaires.models import Answer

    return {
        item: value
        for item, value in Answer.objects.filter(
            request=request, code=code, value__isnull=False
        ).values_list("item", "value")
    }


@pytest.mark.parametrize("run", range(3))
def test_autosaves_racing_a_submit_never_change_what_was_scored(sent, run):
    """Eight autosaves (two open tabs do the same) race one submit: the answers
    stored afterwards are exactly the ones the result was scored from."""
    from painrehab.questionnaires.scoring import definition

    request = sent.request
    for code in request.codes:
        services.save_answers(
            questionnaire_request=request, code=code, answers=full_answers(code)
        )
    request.refresh_from_db()
    version = request.version
    code = next(
        c for c in request.codes if len(definition(c).items[0].options or []) > 1
    )
    other_value = definition(code).items[0].options[1].value
    start = threading.Barrier(9)
    errors: list[BaseException] = []

    def autosave() -> None:
        try:
            mine = QuestionnaireRequest.objects.select_related("episode").get(
                pk=request.pk
            )
            start.wait()
            services.save_answers(
                questionnaire_request=mine, code=code, answers={1: other_value}
            )
        except services.FormClosed:
            pass  # the submit came first: refused, as it should be
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def submit() -> None:
        try:
            mine = QuestionnaireRequest.objects.select_related("episode").get(
                pk=request.pk
            )
            start.wait()
            services.submit_request(
                questionnaire_request=mine, expected_version=version
            )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=autosave) for _ in range(8)]
    threads.insert(run * 3, threading.Thread(target=submit))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = Result.objects.get(request=request, code=code)
    scored = {int(item): value for item, value in result.answers.items()}
    assert scored == _stored_answers(request, code)
