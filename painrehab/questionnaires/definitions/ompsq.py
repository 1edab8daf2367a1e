"""ÖMPSQ: Örebro Musculoskeletal Pain Screening Questionnaire, long form.

"Lintons smärtformulär"; 25 questions, 21 scored.

Sources (shared/instruments.md section 12a):
- Linton & Halldén 1998; Linton & Boersma 2003 [S: awell-score
  src/scores/orebro/long_version/README.md].
- Questions 1-4 are background and not scored; 5-25 are scored [S:
  awell-score ompq_inputs.ts; ammuppsala.se "Totalt ingår 25 frågor"].
- Q5: number of pain sites ticked x 2, at most 10 [S: awell README and
  ompq.ts]. Answer = number of sites ticked, 0-7 (the form lists neck,
  shoulder, arm, upper back, lower back, leg, other) [S: awell ompq_inputs.ts].
- Q6 days off work and Q7 pain duration: category index 1-10 on the form's
  list [S: awell ompq_inputs.ts]. Q8-Q25: 0-10 as circled [S].
- Reversed (10 - answer): Q12, Q16, Q17, Q21, Q22, Q23, Q24, Q25 [S: awell
  README "12, 16, 17, 21, 22, 23, 24 and 25 the score is 10 minus ..."].
- Total = sum of Q5-Q25; maximum 210; usually stated 0-210 (the lowest
  reachable total is 2, since Q6 and Q7 start at 1) [S].
- Cut-off > 105 = increased risk (Linton & Halldén 1998) [S: awell README;
  infopad.no]; three-level Swedish use < 90 low, 90-105 medium, > 105 high
  [M]. Studies used cut-offs from 68 to 147 [S: Sattelmayer et al. 2011].
- Missing: "All questions should be answered, as missing values will reduce
  validity" (Linton 2005) [S: awell README] -> strict.
- Licence: © Steven Linton; free to copy for research and clinical use
  [S: ammuppsala.se/lintons-smartenkat]. The Swedish wording was not
  available to verify, so the item text is loaded per unit with the
  copyright line.

Numbering warning: JOSPT 2012 numbers the same scored items 4-24. This file
uses the 25-question numbering; items carry content keys.
"""

from painrehab.questionnaires.definitions.schema import (
    LICENSED_ITEM_TEXT,
    Band,
    Definition,
    Item,
    MissingRule,
    Option,
    scale,
)

BACKGROUND = ("background_1", "background_2", "background_3", "background_4")
REVERSED = frozenset((12, 16, 17, 21, 22, 23, 24, 25))
MAX_PAIN_SITES = 7

DAYS_OFF_WORK = {
    1: "0 dagar",
    2: "1–2 dagar",
    3: "3–7 dagar",
    4: "8–14 dagar",
    5: "15–30 dagar",
    6: "1 månad",
    7: "2 månader",
    8: "3–6 månader",
    9: "6–12 månader",
    10: "Över 1 år",
}
PAIN_DURATION = {
    1: "0–1 vecka",
    2: "1–2 veckor",
    3: "3–4 veckor",
    4: "4–5 veckor",
    5: "6–8 veckor",
    6: "9–11 veckor",
    7: "3–6 månader",
    8: "6–9 månader",
    9: "9–12 månader",
    10: "Över 1 år",
}
SCALE_ITEMS = (
    (8, "work_heavy_or_monotonous"),
    (9, "pain_past_week"),
    (10, "pain_past_three_months"),
    (11, "pain_episode_frequency"),
    (12, "ability_to_decrease_pain"),
    (13, "tense_or_anxious"),
    (14, "bothered_by_depression"),
    (15, "risk_pain_persistent"),
    (16, "chance_working_in_six_months"),
    (17, "job_satisfaction"),
    (18, "physical_activity_makes_pain_worse"),
    (19, "stop_when_pain_increases"),
    (20, "should_not_work_with_present_pain"),
    (21, "light_work_for_an_hour"),
    (22, "walk_for_an_hour"),
    (23, "ordinary_household_chores"),
    (24, "weekly_shopping"),
    (25, "sleep_at_night"),
)


def _text(number: int) -> str:
    return f"{LICENSED_ITEM_TEXT} (ompsq {number})"


def _items() -> tuple[Item, ...]:
    background = tuple(
        Item(number=n, key=key, text=_text(n), options=(), is_scored=False)
        for n, key in enumerate(BACKGROUND, start=1)
    )
    pain_sites = Item(
        number=5,
        key="pain_sites",
        text=_text(5),
        options=tuple(
            Option(value=sites, label=str(sites), score=min(2 * sites, 10))
            for sites in range(MAX_PAIN_SITES + 1)
        ),
    )
    categories = (
        Item(6, "days_off_work", _text(6), scale(1, 10, labels=DAYS_OFF_WORK)),
        Item(7, "pain_duration", _text(7), scale(1, 10, labels=PAIN_DURATION)),
    )
    scales = tuple(
        Item(
            number=n,
            key=key,
            text=_text(n),
            options=scale(0, 10, reverse_from=10 if n in REVERSED else None),
            is_reversed=n in REVERSED,
        )
        for n, key in SCALE_ITEMS
    )
    return (*background, pain_sites, *categories, *scales)


DEFINITION = Definition(
    code="ompsq",
    version="1.0",
    name="Örebro Musculoskeletal Pain Screening Questionnaire (ÖMPSQ, 25 items)",
    name_sv="Örebro smärtformulär (ÖMPSQ), Lintons smärtformulär",
    items=_items(),
    missing_rule=MissingRule(
        kind="strict",
        description=(
            "All questions should be answered, as missing values reduce "
            "validity (Linton 2005); the total needs items 5-25."
        ),
    ),
    licensed_text=True,
    licence="© Steven Linton; free copying for research and clinical use [S].",
    source=(
        "Linton & Halldén 1998; Linton & Boersma 2003; awell-score "
        "orebro/long_version; ammuppsala.se/lintons-smartenkat"
    ),
    total_range=(0, 210),
    bands=(
        Band("low", "Låg risk (< 90)", 0, 90),
        Band("medium", "Medelhög risk (90–105)", 90, 106),
        Band("high", "Hög risk (> 105)", 106, None),
    ),
)
