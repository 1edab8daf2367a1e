"""Reads for the plan screen: the goals over time and their earlier wordings."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from painrehab.core.models import Revision
from painrehab.pathway.models import (
    Goal,
    GoalEvaluation,
    RehabPlan,
)


@dataclass
class GoalRow:
    goal: Goal
    by_time: dict[str, GoalEvaluation] = field(default_factory=dict)


def goals_over_time(*, plan: RehabPlan) -> list[GoalRow]:
    """Each goal with its evaluations at the end of rehabilitation and at follow-up."""
    goals = plan.goals.select_related("owner").prefetch_related("evaluations")
    return [GoalRow(g, {e.when: e for e in g.evaluations.all()}) for g in goals]


def earlier_wordings(*, goals: list[Goal]) -> dict[int, list[Revision]]:
    """Each corrected goal's earlier versions, newest first, in one query."""
    by_pk = {g.pk: g for g in goals if g.version > 1}
    if not by_pk:
        return {}
    wordings: dict[int, list[Revision]] = {}
    for revision in (
        Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(Goal),
            object_id__in=list(by_pk),
        )
        .select_related("changed_by")
        .order_by("object_id", "-version")
    ):
        goal = by_pk[revision.object_id]
        if revision.version < goal.version:
            wordings.setdefault(goal.pk, []).append(revision)
    return wordings
