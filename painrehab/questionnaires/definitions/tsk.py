"""TSK-SV: Tampa Scale for Kinesiophobia, Swedish 17-item version.

Sources (shared/instruments.md section 2):
- 17 items, options 1 "håller inte alls med" ... 4 "håller med helt", total
  17-68, higher = more fear of movement: https://www.carlbring.se/fbanken/tsk/
  [S]; Swedish version Lundberg, Carlsson & Styf 2004 [M].
- Reversed items 4, 8, 12, 16, scored 5 - answer: carlbring.se/fbanken/tsk and
  awell-score src/scores/tampa/tampa.ts [S].
- Cut-off: total > 37 (i.e. >= 38) = high kinesiophobia, Vlaeyen et al. 1995
  [S: awell-score tampa README "greater than 37"; awell's code uses >= 37, we
  follow the README and Vlaeyen].
- Missing items: no manual rule found [?] -> strict [P].
- Licence: no holder identified [?]; the item text is not shipped until
  permission is confirmed (section 17): numbers and short anchor labels only.
"""

from painrehab.questionnaires.definitions.schema import (
    Band,
    Definition,
    MissingRule,
    licensed_items,
    scale,
)

REVERSED = (4, 8, 12, 16)

DEFINITION = Definition(
    code="tsk",
    version="1.0",
    name="Tampa Scale for Kinesiophobia, Swedish version (TSK-SV, 17 items)",
    name_sv="Rörelserädsla (TSK-SV)",
    items=licensed_items(
        "tsk",
        (f"tsk_{number}" for number in range(1, 18)),
        scale(1, 4, labels={1: "Håller inte alls med", 4: "Håller med helt"}),
        reversed_numbers=REVERSED,
        reverse_from=5,
    ),
    missing_rule=MissingRule(
        kind="strict",
        description=(
            "No manual rule for missing TSK items is known; the total is "
            "computed only when all 17 items are answered [P]."
        ),
    ),
    licensed_text=True,
    licence="No licence holder identified [?]; text loaded per unit.",
    source=(
        "carlbring.se/fbanken/tsk; Lundberg, Carlsson & Styf 2004; "
        "Vlaeyen et al. 1995 (cut-off > 37)"
    ),
    total_range=(17, 68),
    bands=(
        Band("not_high", "Ej förhöjd rörelserädsla (≤ 37)", 17, 38),
        Band("high", "Hög rörelserädsla (> 37)", 38, None),
    ),
    notes="Swedish norm (back/neck patients): mean 36.8, SD 9.1 (carlbring.se).",
)
