"""Goal <- pathway.Goal, achievementStatus from the latest evaluation.

R4B models validate the R4 export.
"""

from fhir.resources.R4B.goal import Goal as FhirGoal

from painrehab.interop.fhir.ids import patient_ref
from painrehab.pathway.models import Goal

ACHIEVEMENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/goal-achievement"
ACHIEVEMENT_BY_RESULT = {
    "met": "achieved",
    "partly_met": "improving",
    "not_met": "not-achieved",
}


def goal_to_goal(goal: Goal) -> FhirGoal:
    evaluations = sorted(goal.evaluations.all(), key=lambda e: (e.evaluated_on, e.pk))
    latest = evaluations[-1] if evaluations else None
    data: dict = {
        "id": f"goal-{goal.pk}",
        "lifecycleStatus": "completed" if latest else "active",
        "description": {"text": goal.description},
        "subject": patient_ref(goal.plan.episode.patient_id),
        "startDate": goal.set_on.isoformat(),
        "target": [
            {"measure": {"text": goal.measure}, "dueDate": goal.target_date.isoformat()}
        ],
        "category": [{"text": goal.profession}],
    }
    if latest is not None:
        code = ACHIEVEMENT_BY_RESULT[latest.result]
        data["achievementStatus"] = {
            "coding": [{"system": ACHIEVEMENT_SYSTEM, "code": code}],
            "text": latest.get_result_display(),
        }
        data["statusDate"] = latest.evaluated_on.isoformat()
    return FhirGoal.model_validate(data)
