"""A goal corrected before the plan is signed keeps its history; after signing it stands."""

from datetime import timedelta

import pytest
from django.utils import timezone

from painrehab.audit.models import AuditEvent
from painrehab.core.history import StaleEdit, revisions_of
from painrehab.pathway.models import Goal, RehabPlan
from painrehab.pathway.states import TransitionRefused
from painrehab.steps.plan.services import add_goal, correct_goal, sign_rehab_plan

pytestmark = pytest.mark.usefixtures("clock")


def _goal(plan, physician):  # noqa: ANN001, ANN202
    return add_goal(
        by=physician,
        plan=plan,
        profession="physician",
        owner=physician.user,
        description="Gå 30 minuter",
        measure="minuter per dag",
        target_date=timezone.localdate() + timedelta(days=60),
    )


def _correct(goal, physician, **changes):  # noqa: ANN001, ANN003, ANN202
    values = {
        "profession": goal.profession,
        "owner": goal.owner,
        "description": goal.description,
        "measure": goal.measure,
        "target_date": goal.target_date,
        "expected_version": goal.version,
        **changes,
    }
    return correct_goal(by=physician, goal=goal, **values)


def test_a_corrected_goal_keeps_every_wording_as_a_revision(planned, physician):
    goal = _goal(planned, physician)
    _correct(goal, physician, description="Gå 45 minuter", measure="minuter per dag")
    goal = Goal.objects.get(pk=goal.pk)
    assert (goal.version, goal.description) == (2, "Gå 45 minuter")
    assert [
        (r.version, r.data["description"], r.changed_by_id) for r in revisions_of(goal)
    ] == [
        (1, "Gå 30 minuter", physician.user_id),
        (2, "Gå 45 minuter", physician.user_id),
    ]


def test_a_goal_correction_is_audited(planned, physician):
    goal = _goal(planned, physician)
    _correct(goal, physician, description="Gå 45 minuter")
    event = AuditEvent.objects.get(what="goal corrected")
    assert (event.action, event.object_id, event.actor_id) == (
        "update",
        str(goal.pk),
        physician.user_id,
    )
    assert [p.patient_id for p in event.patients.all()] == [planned.episode.patient_id]


def test_a_stale_goal_correction_is_refused(planned, physician, coordinator):
    goal = _goal(planned, physician)
    first = Goal.objects.get(pk=goal.pk)
    _correct(first, physician, description="Gå 45 minuter")
    with pytest.raises(StaleEdit):
        _correct(goal, physician, description="Gå 20 minuter", expected_version=1)
    assert Goal.objects.get(pk=goal.pk).description == "Gå 45 minuter"


def test_a_goal_is_not_corrected_after_the_plan_is_signed(planned, physician):
    goal = _goal(planned, physician)
    sign_rehab_plan(
        by=physician,
        plan=planned,
        expected_version=planned.version,
        signed_on=timezone.localdate(),
        signature="paper",
        consent_to_forsakringskassan=False,
    )
    goal = Goal.objects.get(pk=goal.pk)
    with pytest.raises(TransitionRefused, match="Lägg till ett nytt mål"):
        _correct(goal, physician, description="Gå 45 minuter")
    goal.refresh_from_db()
    assert (goal.version, goal.description) == (1, "Gå 30 minuter")
    assert not AuditEvent.objects.filter(what="goal corrected").exists()
    assert RehabPlan.objects.get(pk=planned.pk).changed_after_signing is False


def test_a_correction_checks_the_goal_like_a_new_one(planned, physician):
    goal = _goal(planned, physician)
    with pytest.raises(TransitionRefused, match="redan passerat"):
        _correct(goal, physician, target_date=timezone.localdate() - timedelta(days=1))
    with pytest.raises(TransitionRefused, match="målets yrkesroll"):
        _correct(goal, physician, profession="physiotherapist")
    assert Goal.objects.get(pk=goal.pk).version == 1


def test_a_profession_without_planning_may_not_correct(planned, physician, secretary):
    goal = _goal(planned, physician)
    with pytest.raises(TransitionRefused):
        _correct(goal, secretary, description="Gå 45 minuter")
    assert Goal.objects.get(pk=goal.pk).description == "Gå 30 minuter"
