"""EQ-5D scorer: profile, Swedish index values and EQ VAS.

Rules, value sets and sources are in definitions/eq5d5l.py.
"""

from painrehab.questionnaires.definitions.eq5d5l import (
    DIMENSIONS,
    INDEX_VALUE_SETS,
    VALUE_SETS,
    VAS_ITEM,
    ValueSet,
)
from painrehab.questionnaires.definitions.schema import Definition, Number
from painrehab.questionnaires.scorers.engine import Answers, ScoreResult, read_answers

MISSING_DIGIT = "9"
INDEX_DECIMALS = 4


def eq5d_index(profile: str, value_set_id: str) -> float:
    """The index of a complete profile ("12345") under a named value set.

    Computed in full precision and rounded to 4 decimals for storage
    (instruments.md, general rules); show 3 decimals. Raises ValueError for
    an unknown value set or a profile that does not fit it.
    """
    try:
        value_set = VALUE_SETS[value_set_id]
    except KeyError:
        raise ValueError(f"unknown EQ-5D value set {value_set_id!r}") from None
    levels = _profile_levels(profile, value_set.levels)
    return round(_index(value_set, levels), INDEX_DECIMALS)


def _profile_levels(profile: str, max_level: int) -> tuple[int, ...]:
    if len(profile) != len(DIMENSIONS) or not all(
        c.isdigit() and 1 <= int(c) <= max_level for c in profile
    ):
        raise ValueError(f"EQ-5D profile {profile!r} is not five levels 1-{max_level}")
    return tuple(int(c) for c in profile)


def _index(value_set: ValueSet, levels: tuple[int, ...]) -> float:
    index = value_set.start
    for dimension, level in zip(DIMENSIONS, levels, strict=True):
        index += value_set.decrements[dimension][level - 1]
    if value_set.extra_level and max(levels) >= value_set.extra_level:
        index += value_set.extra
    return index


def score_eq5d5l(definition: Definition, answers: Answers) -> ScoreResult:
    """Profile, an index per Swedish 5L value set, and the VAS.

    Guarantees: `subscales` holds "vas" (None if unanswered), the level of
    each dimension by code ("MO", "SC", "UA", "PD", "AD") and
    "index_<value set id>" rounded to 4 decimals. `details` holds "profile"
    (digit 9 for a missing dimension), "level_sum" (descriptive only; None
    when incomplete) and "value_sets". A missing dimension gives no index and
    `valid=False`; the VAS is reported regardless. `total` is None.
    """
    scored, _ = read_answers(definition, answers)
    levels = [scored.get(number) for number in range(1, len(DIMENSIONS) + 1)]
    profile = "".join(MISSING_DIGIT if lv is None else str(lv) for lv in levels)
    subscales: dict[str, Number | None] = {"vas": scored.get(VAS_ITEM)}
    subscales.update(zip(DIMENSIONS, levels, strict=True))
    missing = [d for d, lv in zip(DIMENSIONS, levels, strict=True) if lv is None]
    complete = tuple(int(lv) for lv in levels if lv is not None)
    for value_set in INDEX_VALUE_SETS:
        subscales[f"index_{value_set.id}"] = (
            None if missing else round(_index(value_set, complete), INDEX_DECIMALS)
        )
    return ScoreResult(
        code=definition.code,
        version=definition.version,
        total=None,
        subscales=subscales,
        band="",
        valid=not missing,
        reason=(
            f"dimension {', '.join(missing)} unanswered: no index "
            f"(profile {profile}); {definition.missing_rule.description}"
            if missing
            else ""
        ),
        flags=() if subscales["vas"] is not None else ("eq5d_vas_missing",),
        details={
            "profile": profile,
            "level_sum": None if missing else sum(complete),
            "value_sets": tuple(vs.id for vs in INDEX_VALUE_SETS),
        },
        item_scores=scored,
    )
