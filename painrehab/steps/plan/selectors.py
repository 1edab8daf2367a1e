"""Reads for the plan screen: the goals over time and their earlier wordings."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from painrehab.core.models import Revision
from painrehab.pathway.models import (
    Episode,
    Goal,
    GoalEvaluation,
    RehabPlan,
)


@dataclass
class GoalRow:
    goal: Goal
    by_time: dict[str, GoalEvaluation] = field(default_factory=dict)


def plan_of(*, episode: Episode) -> RehabPlan | None:
    """The plan of an episode the member may see (get_episode_for_user), if opened."""
    return RehabPlan.objects.filter(episode=episode).first()


def plan_of_or_404(*, episode: Episode) -> RehabPlan:
    """The plan of an episode the member may see; 404 before it is opened."""
    plan = plan_of(episode=episode)
    if plan is None:
        raise Http404
    return plan


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
