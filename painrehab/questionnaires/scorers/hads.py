"""HADS scorer: two subscales with the project's proration policy.

Rules and sources are in definitions/hads.py.
"""

from painrehab.questionnaires.definitions.schema import Definition, Number, Subscale
from painrehab.questionnaires.scorers.engine import (
    Answers,
    ScoreResult,
    band_for,
    raised_flags,
    read_answers,
)


def score_hads(definition: Definition, answers: Answers) -> ScoreResult:
    """Anxiety and depression, each 0-21, prorated per the definition's policy.

    Guarantees: a subscale with at most `missing_rule.max_missing` unanswered
    items is `answered sum x 7 / answered items`, unrounded, banded on that
    value and reported with `prorated=True` and a `hads_<subscale>_prorated`
    flag; with more unanswered items it is None and the result is invalid.
    `total` is always None (HADS has no clinical total).
    """
    scored, _ = read_answers(definition, answers)
    max_missing = definition.missing_rule.max_missing
    subscales: dict[str, Number | None] = {}
    subscale_bands: dict[str, str] = {}
    prorated_keys: list[str] = []
    reasons: list[str] = []
    for subscale in definition.subscales:
        value, n_missing = _subscale_value(subscale, scored, max_missing)
        subscales[subscale.key] = value
        if value is None:
            reasons.append(
                f"{subscale.key}: {n_missing} of {len(subscale.items)} items "
                f"unanswered, more than the {max_missing} the policy prorates"
            )
            continue
        subscale_bands[subscale.key] = band_for(definition.subscale_bands, value)
        if n_missing:
            prorated_keys.append(subscale.key)
    flags = raised_flags(definition.flags, subscales) + tuple(
        f"hads_{key}_prorated" for key in prorated_keys
    )
    return ScoreResult(
        code=definition.code,
        version=definition.version,
        total=None,
        subscales=subscales,
        band="",
        valid=not reasons,
        reason="; ".join(reasons),
        flags=flags,
        prorated=bool(prorated_keys),
        subscale_bands=subscale_bands,
        item_scores=scored,
    )


def _subscale_value(
    subscale: Subscale, scored: dict[int, Number], max_missing: int
) -> tuple[Number | None, int]:
    answered = [scored[n] for n in subscale.items if n in scored]
    n_missing = len(subscale.items) - len(answered)
    if n_missing == 0:
        return sum(answered), 0
    if n_missing > max_missing:
        return None, n_missing
    return sum(answered) * len(subscale.items) / len(answered), n_missing
