"""CarePlan <- pathway.RehabPlan. R4B models validate the R4 export."""

from fhir.resources.R4B.careplan import CarePlan

from painrehab.interop.fhir.ids import episode_ref, patient_ref
from painrehab.pathway.models import RehabPlan


def plan_to_care_plan(plan: RehabPlan) -> CarePlan:
    episode = plan.episode
    if episode.state == "discharged":
        status = "completed"
    elif plan.is_signed:
        status = "active"
    else:
        status = "draft"
    data: dict = {
        "id": f"plan-{plan.pk}",
        "status": status,
        "intent": "plan",
        "title": plan.get_track_display(),
        "subject": patient_ref(episode.patient_id),
        "supportingInfo": [episode_ref(episode.pk)],
        "goal": [{"reference": f"Goal/goal-{goal.pk}"} for goal in plan.goals.all()]
        or None,
    }
    if plan.overall_goal:
        data["description"] = plan.overall_goal
    if plan.signed_on:
        data["created"] = plan.signed_on.isoformat()
    return CarePlan.model_validate({k: v for k, v in data.items() if v is not None})
