"""Reads for the assessment conference screen: the criteria checklist."""

from dataclasses import dataclass
from typing import TypedDict

from painrehab.pathway import criteria as rules
from painrehab.pathway.models import (
    AssessmentConference,
    Episode,
)
from painrehab.steps.conference.services import (
    ScoredMadrs,
    criteria_for,
    criteria_results,
    latest_scored_madrs,
)


@dataclass(frozen=True)
class ChecklistRow:
    result: rules.CriterionResult
    confirmed: bool | None

    @property
    def criterion(self) -> rules.Criterion:
        return self.result.criterion


class ConferencePage(TypedDict):
    """The assessment conference: its checklist and the reasons for individual care."""

    conference: AssessmentConference | None
    checklist: list[ChecklistRow]
    individual_reasons: list[rules.Criterion]
    scored_madrs: ScoredMadrs | None


def conference_page(*, episode: Episode) -> ConferencePage:
    conference = (
        AssessmentConference.objects.filter(episode=episode)
        .prefetch_related("participants")
        .order_by("-held_on", "-pk")
        .first()
    )
    rows: list[ChecklistRow] = []
    reasons: list[rules.Criterion] = []
    if conference is not None:
        conference.episode = episode
        results = criteria_results(conference)
        rows = [
            ChecklistRow(r, conference.confirmations.get(r.criterion.key))
            for r in results
        ]
        _version, criteria = criteria_for(
            unit_id=episode.unit_id, template=conference.criteria_template
        )
        reasons = [
            c for c in criteria if c.kind == rules.CriterionKind.INDIVIDUAL_REASON
        ]
    scored_madrs = (
        latest_scored_madrs(episode, on=conference.held_on)
        if conference is not None
        else None
    )
    return {
        "conference": conference,
        "checklist": rows,
        "individual_reasons": reasons,
        "scored_madrs": scored_madrs,
    }
