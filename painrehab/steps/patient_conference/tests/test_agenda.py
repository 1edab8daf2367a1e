"""The weekly patient conference's agenda (issue 5)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from painrehab.pathway.models import RehabPlan
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State
from painrehab.patients.tests.factories import PatientFactory
from painrehab.steps.plan.services import (
    add_goal,
    sign_rehab_plan,
)
from painrehab.steps.tests.fixtures import _to_investigation, _today

# Every test sees one day: the clock fixture holds it still (conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def test_agenda_flags_goals_due_and_keeps_a_constant_query_count(
    client_for, unit_a, coordinator, physician, planned, django_assert_num_queries
):
    add_goal(
        by=physician,
        plan=planned,
        profession="physician",
        owner=physician.user,
        description="x",
        measure="y",
        target_date=_today(),
    )
    sign_rehab_plan(
        by=physician,
        plan=RehabPlan.objects.get(pk=planned.pk),
        expected_version=1,
        signed_on=_today(),
        signature="paper",
        consent_to_forsakringskassan=False,
    )
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as first:
        response = client.get("/vardforlopp/patientkonferens/")
    [row] = response.context["rows"]
    assert row.flags == ("goals_due",)
    from painrehab.steps.referral.services import open_episode

    for patient in PatientFactory.create_batch(12, unit=unit_a):
        episode = _to_investigation(
            open_episode(
                patient=patient,
                by=coordinator,
                source="referral",
                received_on=_today() - timedelta(days=50),
            ),
            physician,
            coordinator,
        )
        for state in [
            State.ASSESSMENT_CONFERENCE,
            State.PLANNING_MEETING,
            State.PREPARATION,
        ]:
            move_episode(episode=episode, to=state, by=physician)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get("/vardforlopp/patientkonferens/")
    assert len(response.context["rows"]) == 13
