"""ÖMPSQ-10: Örebro Musculoskeletal Pain Screening Questionnaire, short form.

Sources (shared/instruments.md section 0.1 and 12b):
- Linton, Nicholas & MacDonald 2011, Spine 36:1891-5 [S].
- Published order [S: rtwmatters.org "Orebro: the questionnaire you need to
  know about"]: 1 duration of current pain; 2 pain past week; 3 light work
  for an hour; 4 sleep at night; 5 tense/anxious; 6 depressed; 7 risk of
  persistent pain; 8 chance of working normal duties in 3 months; 9 stop when
  pain increases; 10 should not do normal work with present pain.
- Item 1: 10 duration categories scored 1-10; items 2-10: 0-10 [S: awell-score
  src/scores/orebro/short_version/definition/ompq_10_inputs.ts, checked].
- Reversed (10 - answer): light work, sleep, chance of working in 3 months,
  i.e. items 3, 4, 8 in the published order [S: awell-score short_version
  INVERSE_ITEMS, checked; rtwmatters for the order].
- Total 1-100 [S: awell README]; >= 50 = at risk [S: awell README "> 49"].
- Missing: no rule found [?] -> strict [P].
- Licence: as the long form (© Linton) [M]; text loaded per unit.

The awell implementation orders the items differently (depressed before
tense; light work and sleep last); items carry content keys.
"""

from painrehab.questionnaires.definitions.ompsq import PAIN_DURATION
from painrehab.questionnaires.definitions.schema import (
    LICENSED_ITEM_TEXT,
    Band,
    Definition,
    Item,
    MissingRule,
    scale,
)

REVERSED = frozenset((3, 4, 8))
KEYS = (
    "pain_duration",
    "pain_past_week",
    "light_work_for_an_hour",
    "sleep_at_night",
    "tense_or_anxious",
    "bothered_by_depression",
    "risk_pain_persistent",
    "chance_working_in_three_months",
    "stop_when_pain_increases",
    "should_not_work_with_present_pain",
)


def _item(number: int, key: str) -> Item:
    if number == 1:
        options = scale(1, 10, labels=PAIN_DURATION)
    else:
        options = scale(0, 10, reverse_from=10 if number in REVERSED else None)
    return Item(
        number=number,
        key=key,
        text=f"{LICENSED_ITEM_TEXT} (ompsq_short {number})",
        options=options,
        is_reversed=number in REVERSED,
    )


DEFINITION = Definition(
    code="ompsq_short",
    version="1.0",
    name="Örebro Musculoskeletal Pain Screening Questionnaire, short (ÖMPSQ-10)",
    name_sv="Örebro smärtformulär, kort version (ÖMPSQ-10)",
    items=tuple(_item(number, key) for number, key in enumerate(KEYS, start=1)),
    missing_rule=MissingRule(
        kind="strict",
        description=(
            "No rule for missing ÖMPSQ-10 items is known; the total needs "
            "every item [P]."
        ),
    ),
    licensed_text=True,
    licence="© Steven Linton, as the long form [M]; free for clinical use.",
    source=(
        "Linton, Nicholas & MacDonald 2011, Spine 36:1891-5; awell-score "
        "orebro/short_version; rtwmatters.org (published order)"
    ),
    total_range=(1, 100),
    bands=(
        Band("low", "Låg risk (< 50)", 1, 50),
        Band("at_risk", "Förhöjd risk (≥ 50)", 50, None),
    ),
)
