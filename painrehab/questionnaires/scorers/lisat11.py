"""LiSat-11 scorer: items reported one by one, no total.

Rules and sources are in definitions/lisat11.py.
"""

from painrehab.questionnaires.definitions.schema import Definition, Number
from painrehab.questionnaires.scorers.engine import (
    Answers,
    ScoreResult,
    band_for,
    read_answers,
)

SATISFIED = "satisfied"


def score_lisat11(definition: Definition, answers: Answers) -> ScoreResult:
    """Each item by content key, plus n_answered, n_satisfied, mean_answered.

    `total` is None (no official total). `mean_answered` is the mean of the
    answered items, a descriptive value that is not the developers' score.
    `subscale_bands` says "satisfied" (5-6) or "not_satisfied" (1-4) per
    answered item. The result is invalid only when no item is answered.
    """
    scored, _ = read_answers(definition, answers)
    subscales: dict[str, Number | None] = {}
    item_bands: dict[str, str] = {}
    for item in definition.items:
        value = scored.get(item.number)
        subscales[item.key] = value
        if value is not None:
            item_bands[item.key] = band_for(definition.subscale_bands, value)
    n_answered = len(scored)
    subscales["n_answered"] = n_answered
    subscales["n_satisfied"] = sum(1 for b in item_bands.values() if b == SATISFIED)
    subscales["mean_answered"] = (
        sum(scored.values()) / n_answered if n_answered else None
    )
    return ScoreResult(
        code=definition.code,
        version=definition.version,
        total=None,
        subscales=subscales,
        band="",
        valid=n_answered > 0,
        reason="" if n_answered else "no item answered",
        subscale_bands=item_bands,
        item_scores=scored,
    )
