"""Schemathesis over the published OpenAPI schema, in-process: no 5xx, ever.

Every generated case is also checked against the schema (status codes,
content type, body), and each patient endpoint is called with a patient of
the token's unit (200, with data) and one of another unit (404).

Run alone: .venv/bin/pytest -q painrehab/interop/tests/test_api_schemathesis.py
"""

import sys

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Err

from painrehab.interop.api.tokens import create_token

MAX_EXAMPLES = 20  # per operation; keeps the run well under a minute


@pytest.fixture
def keep_test_connection():  # noqa: ANN201
    """What Django's test client does: the WSGI app must not close the test's
    database connection at the end of each request (PostgreSQL, CONN_MAX_AGE=0).
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_no_server_error_anywhere_in_the_schema(
    physician, coordinator, episode_a, patient_b, keep_test_connection
):
    from django.utils import timezone

    from painrehab.interop.tests.test_api import _booking_and_response, _plan_with_goal
    from painrehab.questionnaires.services import record_staff_rating

    _plan_with_goal(episode_a, physician)
    _booking_and_response(episode_a, physician)
    record_staff_rating(
        by=coordinator,
        episode=episode_a,
        time_point="krt_before",
        code="borg_rpe",
        answers={1: 13},
        rated_on=timezone.localdate(),
    )
    raw, _ = create_token(membership=physician, label="schemathesis")
    auth = {"Authorization": f"Bearer {raw}"}
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", app, headers=auth
    )
    ran: dict[str, int] = {}
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # an operation schemathesis cannot read
        operation = result.ok()
        ran[operation.label] = 0

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):  # noqa: ANN001, ANN202
            label = case.operation.label
            response = case.call_and_validate(headers=auth)
            ran[label] += 1
            assert response.status_code < 500, (label, case.path_parameters)

        call()
        if "{patient_id}" in operation.path:
            # Random ids find nothing; the two that matter, checked every run.
            for patient_id, expected in (
                (episode_a.patient_id, 200),
                (patient_b.pk, 404),
            ):
                case = operation.Case(path_parameters={"patient_id": patient_id})
                response = case.call(headers=auth)
                case.validate_response(response, headers=auth)  # body matches schema
                assert response.status_code == expected, operation.label
                assert expected == 404 or response.json(), operation.label
                ran[operation.label] += 1
    assert len(ran) == 9
    assert all(n > 0 for n in ran.values()), ran
    total = sum(ran.values())
    sys.stdout.write(f"schemathesis: {total} cases over {len(ran)} operations\n")
