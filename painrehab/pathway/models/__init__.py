"""The pathway's models: the episode and its referral steps, and the assessment steps."""

from painrehab.pathway.models.assessment import (
    AssessmentConference,
    CriteriaSet,
    Goal,
    GoalEvaluation,
    InvestigationRecord,
    InvestigationTemplate,
    PatientConferenceNote,
    PreparatoryIntervention,
    RehabPlan,
    SignedPlanVersion,
)
from painrehab.pathway.models.episode import (
    Booking,
    Episode,
    EpisodeQuerySet,
    EpisodeTransition,
    NewVisitRecord,
    Referral,
    TriageDecision,
    WaitingPause,
)
from painrehab.pathway.models.follow_up import (
    DischargeRecord,
    FollowUpDue,
    FollowUpRecord,
    WorkStatus,
)

__all__ = [
    "AssessmentConference",
    "Booking",
    "CriteriaSet",
    "DischargeRecord",
    "Episode",
    "EpisodeQuerySet",
    "EpisodeTransition",
    "FollowUpDue",
    "FollowUpRecord",
    "Goal",
    "GoalEvaluation",
    "InvestigationRecord",
    "InvestigationTemplate",
    "NewVisitRecord",
    "PatientConferenceNote",
    "PreparatoryIntervention",
    "Referral",
    "RehabPlan",
    "SignedPlanVersion",
    "TriageDecision",
    "WaitingPause",
    "WorkStatus",
]
