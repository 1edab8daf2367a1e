"""The generic scoring engine: answer validation, sums, bands and flags.

Everything here is a pure function of a `Definition` and an answer mapping.
`score_sum` scores every instrument that is a (reversed) item sum with the
strict missing-item rule; instruments that need more have a small scorer in
this package that reuses the helpers below.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from painrehab.questionnaires.definitions.schema import (
    Band,
    Definition,
    FlagRule,
    Number,
)

Answers = Mapping[int, Number | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreResult:
    """The outcome of scoring one answer set with one definition version.

    - `total`: the score the manual reports as the total, or None where the
      manual defines none or where it cannot be computed.
    - `subscales`: subscale (or, per instrument, item or index) values; a
      value that cannot be computed is None.
    - `band`: key of the interpretation text for the total; "" when the
      instrument has no bands or the total is not computed.
    - `valid`: False when a score the instrument reports could not be computed;
      `reason` then says why. Never a number that looks real.
    - `flags`: keys such as "hads_anxiety_case" or "madrs_above_krt_threshold".
    - `prorated`: True when a value was prorated (HADS policy).
    - `subscale_bands`: interpretation key per subscale or item, where defined.
    - `details`: values that are not numbers (EQ-5D profile, value-set ids).
    - `item_scores`: the scored value (after reversal or look-up) of each
      answered item, for storing beside the raw answer.
    """

    code: str
    version: str
    total: Number | None
    subscales: dict[str, Number | None]
    band: str
    valid: bool
    reason: str = ""
    flags: tuple[str, ...] = ()
    prorated: bool = False
    subscale_bands: dict[str, str] = field(default_factory=dict)
    details: dict[str, object] = field(default_factory=dict)
    item_scores: dict[int, Number] = field(default_factory=dict)


def read_answers(
    definition: Definition, answers: Answers
) -> tuple[dict[int, Number], list[int]]:
    """Scored value per answered item, and the unanswered scored items.

    Raises ValueError naming the item for an unknown item number or for a
    value that is not one of the item's options. An item absent from
    `answers` counts as unanswered, like `None`.
    """
    if not answers.keys() <= definition.item_numbers:
        _raise_unknown_items(definition, answers)
    scored: dict[int, Number] = {}
    missing: list[int] = []
    get = answers.get  # local look-ups: this loop is the hot path
    for number, lookup in definition.lookups:
        value = get(number)
        if value is None:
            missing.append(number)
        elif value.__class__ is bool:  # True == 1 would pass the look-up
            raise ValueError(_bad_value_message(definition, number, value))
        else:
            try:
                scored[number] = lookup[value]
            except (KeyError, TypeError):
                message = _bad_value_message(definition, number, value)
                raise ValueError(message) from None
    return scored, missing


def _raise_unknown_items(definition: Definition, answers: Answers) -> None:
    unknown = sorted(map(repr, answers.keys() - definition.item_numbers))
    raise ValueError(
        f"{definition.code}: item {', '.join(unknown)} is not an item of this "
        f"form (items 1-{len(definition.items)})"
    )


def _bad_value_message(definition: Definition, number: int, value: object) -> str:
    values = [option.value for option in definition.item(number).options]
    return (
        f"{definition.code} item {number}: {value!r} is not one of its options "
        f"({_describe_values(values)})"
    )


def _describe_values(values: list[Number]) -> str:
    integers = [v for v in values if isinstance(v, int)]
    if values and len(integers) == len(values):
        low, high = min(integers), max(integers)
        if sorted(integers) == list(range(low, high + 1)):
            return f"integers {low}-{high}"
    return ", ".join(str(v) for v in sorted(values))


def sum_items(items: Iterable[int], scored: Mapping[int, Number]) -> Number | None:
    """Sum of the scored items, or None when any of them is unanswered."""
    total: Number = 0
    for number in items:
        value = scored.get(number)
        if value is None:
            return None
        total += value
    return total


def band_for(bands: tuple[Band, ...], value: Number | None) -> str:
    """The key of the band holding `value`; "" for None or no bands."""
    if value is None:
        return ""
    for band in bands:
        if band.contains(value):
            return band.key
    return ""


def raised_flags(
    rules: tuple[FlagRule, ...], values: Mapping[str, Number | None]
) -> tuple[str, ...]:
    """Keys of the flag rules met by computed (non-None) values."""
    raised = []
    for rule in rules:
        value = values.get(rule.target)
        if value is not None and rule.is_met(value):
            raised.append(rule.key)
    return tuple(raised)


def missing_reason(definition: Definition, missing: list[int]) -> str:
    """Why a strict score is not computed: which items, and the rule."""
    numbers = ", ".join(str(n) for n in missing)
    noun = "item" if len(missing) == 1 else "items"
    return (
        f"{len(missing)} unanswered {noun} ({numbers}); "
        f"{definition.missing_rule.description}"
    )


def score_sum(definition: Definition, answers: Answers) -> ScoreResult:
    """Sum score with the strict missing-item rule.

    Guarantees: the total is the sum of scored (reversed where the definition
    says so) item values and is only computed when every scored item is
    answered; each subscale is computed when all of its own items are
    answered; otherwise `valid=False`, `total=None` and `band=""`.
    """
    scored, missing = read_answers(definition, answers)
    subscales = {
        subscale.key: sum_items(subscale.items, scored)
        for subscale in definition.subscales
    }
    if missing:
        return ScoreResult(
            code=definition.code,
            version=definition.version,
            total=None,
            subscales=subscales,
            band="",
            valid=False,
            reason=missing_reason(definition, missing),
            item_scores=scored,
        )
    return finished(definition, sum(scored.values()), subscales, scored)


def finished(
    definition: Definition,
    total: Number,
    subscales: dict[str, Number | None],
    item_scores: dict[int, Number],
) -> ScoreResult:
    """A valid result for a computed total, with its band and flags."""
    flag_values: dict[str, Number | None] = {"total": total, **subscales}
    return ScoreResult(
        code=definition.code,
        version=definition.version,
        total=total,
        subscales=subscales,
        band=band_for(definition.bands, total),
        valid=True,
        flags=raised_flags(definition.flags, flag_values),
        item_scores=item_scores,
    )
