"""NPRS: Numeric Pain Rating Scale, average pain intensity over the last week.

Sources (shared/instruments.md section 1):
- Options 0-10, 0 = no pain, 10 = worst possible pain: Farrar et al. 2001,
  Pain 94:149-58, https://pubmed.ncbi.nlm.nih.gov/11690728/ [S].
- Recall "the last week": seed 000 section 7.2.1 and the Swedish quality
  registry (NRS/SQRP) [M].
- Display bands 0 none, 1-3 mild, 4-6 moderate, 7-10 severe: a common display
  convention, not an official cut-off [M].
- Missing item: no score [P].
- Licence: a generic scale with no owner [M]; the Swedish wording is our own.
"""

from painrehab.questionnaires.definitions.schema import (
    Band,
    Definition,
    Item,
    MissingRule,
    scale,
)

DEFINITION = Definition(
    code="nprs",
    version="1.0",
    name="Numeric Pain Rating Scale (average pain, last week)",
    name_sv="Smärtintensitet (NRS 0–10), genomsnitt senaste veckan",
    items=(
        Item(
            number=1,
            key="average_pain_last_week",
            text=(
                "Ringa in den siffra som bäst beskriver din genomsnittliga "
                "smärta under den senaste veckan."
            ),
            options=scale(
                0,
                10,
                labels={0: "Ingen smärta", 10: "Värsta tänkbara smärta"},
            ),
        ),
    ),
    missing_rule=MissingRule(
        kind="strict", description="NPRS has one item: unanswered means no score [P]."
    ),
    licensed_text=False,
    licence="Generic numeric rating scale, no owner; free [M].",
    source="Farrar et al. 2001, Pain 94:149-58 (pubmed 11690728)",
    total_range=(0, 10),
    bands=(
        Band("none", "Ingen smärta", 0, 1),
        Band("mild", "Lätt smärta", 1, 4),
        Band("moderate", "Måttlig smärta", 4, 7),
        Band("severe", "Svår smärta", 7, None),
    ),
    recall_period="senaste veckan",
    notes=(
        "MCID for chronic pain trials: a reduction of about 2 points or about "
        "30 % (Farrar 2001); see scorers.nprs.pain_change."
    ),
)
