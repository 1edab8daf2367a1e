"""WHO-5 scorer: raw sum plus the percentage (raw x 4).

Rules and sources are in definitions/who5.py.
"""

from painrehab.questionnaires.definitions.schema import Definition
from painrehab.questionnaires.definitions.who5 import PERCENT_PER_POINT
from painrehab.questionnaires.scorers.engine import (
    Answers,
    ScoreResult,
    finished,
    missing_reason,
    read_answers,
)


def score_who5(definition: Definition, answers: Answers) -> ScoreResult:
    """Raw total 0-25 and `subscales['percentage']` 0-100; all 5 items needed.

    The band is read on the raw total (raw <= 12 is the same patients as
    percentage < 50); flag `who5_likely_depression` when percentage <= 28.
    """
    scored, missing = read_answers(definition, answers)
    if missing:
        return ScoreResult(
            code=definition.code,
            version=definition.version,
            total=None,
            subscales={"percentage": None},
            band="",
            valid=False,
            reason=missing_reason(definition, missing),
            item_scores=scored,
        )
    raw = sum(scored.values())
    percentage = raw * PERCENT_PER_POINT
    return finished(definition, raw, {"percentage": percentage}, scored)
