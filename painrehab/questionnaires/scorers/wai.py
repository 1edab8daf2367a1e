"""WAI scorer: seven dimension scores from eleven answers.

Rules and sources are in definitions/wai.py.
"""

from painrehab.questionnaires.definitions.schema import Definition, Number
from painrehab.questionnaires.definitions.wai import (
    DEMAND_WEIGHTS,
    DISEASE_POINTS,
    DISEASE_POINTS_FIVE_OR_MORE,
    MENTAL_RESOURCE_POINTS,
)
from painrehab.questionnaires.scorers.engine import (
    Answers,
    ScoreResult,
    finished,
    missing_reason,
    read_answers,
)


def score_wai(definition: Definition, answers: Answers) -> ScoreResult:
    """Dimension scores and the total 7-49 (half points possible).

    Guarantees: each dimension is computed when all of its answers are
    given; the total and band only when every dimension is computed,
    otherwise `valid=False` naming the unanswered items.
    """
    scored, missing = read_answers(definition, answers)
    dimensions: dict[str, Number | None] = {
        "current_work_ability": scored.get(1),
        "work_ability_vs_demands": _demands(scored),
        "diagnosed_diseases": _diseases(scored.get(5)),
        "impairment": scored.get(6),
        "sick_leave": scored.get(7),
        "prognosis": scored.get(8),
        "mental_resources": _mental_resources(scored),
    }
    if missing:
        return ScoreResult(
            code=definition.code,
            version=definition.version,
            total=None,
            subscales=dimensions,
            band="",
            valid=False,
            reason=missing_reason(definition, missing),
            item_scores=scored,
        )
    total = sum(value for value in dimensions.values() if value is not None)
    return finished(definition, total, dimensions, scored)


def _demands(scored: dict[int, Number]) -> Number | None:
    physical, mental, job_type = scored.get(2), scored.get(3), scored.get(4)
    if physical is None or mental is None or job_type is None:
        return None
    physical_weight, mental_weight = DEMAND_WEIGHTS[int(job_type)]
    value = physical * physical_weight + mental * mental_weight
    return int(value) if value == int(value) else value


def _diseases(count: Number | None) -> int | None:
    if count is None:
        return None
    return DISEASE_POINTS.get(int(count), DISEASE_POINTS_FIVE_OR_MORE)


def _mental_resources(scored: dict[int, Number]) -> int | None:
    answers = [scored.get(n) for n in (9, 10, 11)]
    if any(a is None for a in answers):
        return None
    return MENTAL_RESOURCE_POINTS[int(sum(a for a in answers if a is not None))]
