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
