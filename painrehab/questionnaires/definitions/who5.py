"""WHO-5 Well-Being Index (assumed to be the seed's "Välmåendeformulär").

The assumption that "Välmåendeformulär" is the WHO-5 is NOT confirmed
(instruments.md 0.13, section 15): ask the KRT unit.

Sources (shared/instruments.md section 15):
- 5 items: cheerful and in good spirits; calm and relaxed; active and
  vigorous; woke up fresh and rested; daily life filled with things that
  interest me; last two weeks [S: awell-score src/scores/who_5/README.md].
- Options 5 all of the time ... 0 at no time; no reversed items [S: awell].
- Raw = sum 0-25; percentage = raw x 4 (0-100); higher = better [S: awell;
  help.valant.com].
- Bands: percentage < 50 (raw <= 12) = poor well-being, test for
  depression [S: help.valant.com; awell]; <= 28 % (raw <= 7) suggests likely
  depression [S: smaat.eu] -> flag `who5_likely_depression`.
- Missing: all five required ("an incomplete questionnaire does not produce
  a score") [S: awell README].
- Licence: © WHO 2024, CC BY-NC-SA 3.0 IGO; commercial use needs WHO
  permission [S: awell README]. The official Swedish wording is loaded per
  unit with the attribution line.
"""

from painrehab.questionnaires.definitions.schema import (
    Band,
    Definition,
    FlagRule,
    MissingRule,
    licensed_items,
    scale,
)

PERCENT_PER_POINT = 4

DEFINITION = Definition(
    code="who5",
    version="1.0",
    name="WHO-5 Well-Being Index",
    name_sv="WHO-5 välbefinnandeindex",
    items=licensed_items(
        "who5",
        (
            "cheerful_good_spirits",
            "calm_relaxed",
            "active_vigorous",
            "fresh_rested",
            "interesting_daily_life",
        ),
        scale(0, 5, descending=True),
    ),
    missing_rule=MissingRule(
        kind="strict",
        description=(
            "All five items are required: an incomplete WHO-5 does not produce "
            "a score (awell-score who_5 README)."
        ),
    ),
    licensed_text=True,
    licence="© WHO 2024, CC BY-NC-SA 3.0 IGO: non-commercial use only [S].",
    source="WHO 2024; awell-score who_5 README; help.valant.com",
    total_range=(0, 25),
    bands=(
        Band("poor", "Dåligt välbefinnande (< 50 %)", 0, 13),
        Band("not_poor", "Inte dåligt välbefinnande (≥ 50 %)", 13, None),
    ),
    flags=(FlagRule("who5_likely_depression", "percentage", "le", 28),),
    recall_period="senaste två veckorna",
    notes="subscales['percentage'] = raw x 4; 10 percentage points = MCID.",
)
