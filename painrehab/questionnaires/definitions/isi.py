"""ISI: Insomnia Severity Index.

Sources (shared/instruments.md section 6):
- 7 items scored 0-4, no reversed items, total 0-28 [S: VA My HealtheVet ISI
  page; millisecond ISI manual "no automatically reversed scored questions"].
- Bands: 0-7 no clinically significant insomnia, 8-14 subthreshold, 15-21
  clinical (moderate), 22-28 clinical (severe) [S: VA page;
  carlbring.se/fbanken/isi].
- Missing items: no rule found; awell-score requires all 7 [S:
  awell-score src/scores/isi/README.md] -> strict [P].
- Licence: © Morin, distributed by Mapi Research Trust [S]; text not shipped.

Item order differs between printings (the VA form puts satisfaction 4th and
interference 7th). The total is a plain sum, so order does not change it;
items carry content keys in the VA order.
"""

from painrehab.questionnaires.definitions.schema import (
    Band,
    Definition,
    MissingRule,
    licensed_items,
    scale,
)

DEFINITION = Definition(
    code="isi",
    version="1.0",
    name="Insomnia Severity Index (ISI)",
    name_sv="Sömnbesvär (ISI)",
    items=licensed_items(
        "isi",
        (
            "difficulty_falling_asleep",
            "difficulty_staying_asleep",
            "waking_too_early",
            "sleep_satisfaction",
            "noticeable_to_others",
            "worried_distressed",
            "interference_with_daily_functioning",
        ),
        scale(0, 4),
    ),
    missing_rule=MissingRule(
        kind="strict",
        description=(
            "No manual rule for missing ISI items is known and awell-score "
            "requires all 7; the total needs every item [P]."
        ),
    ),
    licensed_text=True,
    licence="© Morin 1993-2006; Mapi Research Trust (ePROVIDE); terms [?].",
    source="Morin 1993; VA My HealtheVet ISI page; carlbring.se/fbanken/isi",
    total_range=(0, 28),
    bands=(
        Band("none", "Ingen kliniskt signifikant sömnlöshet (0–7)", 0, 8),
        Band("subthreshold", "Sömnlöshet under klinisk nivå (8–14)", 8, 15),
        Band("moderate", "Klinisk sömnlöshet, måttlig (15–21)", 15, 22),
        Band("severe", "Klinisk sömnlöshet, svår (22–28)", 22, None),
    ),
    recall_period="senaste två veckorna",
    notes="MID: a 6-point reduction (Yang et al. 2009).",
)
