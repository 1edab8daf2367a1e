"""PCS: Pain Catastrophizing Scale.

Sources (shared/instruments.md section 9):
- 13 items, options 0 "inte alls", 1 "i liten utsträckning", 2 "i måttlig
  utsträckning", 3 "i stor utsträckning", 4 "hela tiden" [S:
  carlbring.se/fbanken/pcs]; no reversed items [S: awell-score pcs.ts].
- Rumination 8-11 (0-16), magnification 6, 7, 13 (0-12), helplessness 1-5, 12
  (0-24), total 0-52 [S: carlbring.se/fbanken/pcs; awell-score
  src/scores/pcs/definition/pcs_scales.ts, checked].
- Cut-off: a total of 30 (about the 75th percentile of chronic-pain patients
  in the manual's norms) marks clinically relevant catastrophizing. Secondary
  sources differ ("above 30": semestadata.com, kandelscreen.com; ">= 30":
  hiboop.com, sprypt.com). The PCS User Manual (Sullivan 2009, p. 6-7)
  could not be read here; the band is >= 30 on the reading that a score of
  30 "represents" the clinically relevant level [M] - confirm with the manual.
- Missing items: not found (manual not read) [?] -> strict [P].
- Licence: © Sullivan 1995-2009; free for clinical use; a commercial product
  must ask the author [S]. Item text loaded per unit.
"""

from painrehab.questionnaires.definitions.schema import (
    Band,
    Definition,
    MissingRule,
    Subscale,
    licensed_items,
    scale,
)

DEFINITION = Definition(
    code="pcs",
    version="1.0",
    name="Pain Catastrophizing Scale (PCS)",
    name_sv="Katastroftankar vid smärta (PCS)",
    items=licensed_items(
        "pcs",
        (f"pcs_{number}" for number in range(1, 14)),
        scale(
            0,
            4,
            labels={
                0: "Inte alls",
                1: "I liten utsträckning",
                2: "I måttlig utsträckning",
                3: "I stor utsträckning",
                4: "Hela tiden",
            },
        ),
    ),
    missing_rule=MissingRule(
        kind="strict",
        description=(
            "No manual rule for missing PCS items is known; a score is "
            "computed only when all its items are answered [P]."
        ),
    ),
    licensed_text=True,
    licence="© Sullivan; free for clinical use, commercial use: ask [S].",
    source=(
        "Sullivan, Bishop & Pivik 1995; PCS User Manual 2009; "
        "carlbring.se/fbanken/pcs; awell-score pcs"
    ),
    total_range=(0, 52),
    subscales=(
        Subscale("rumination", "Ältande", (8, 9, 10, 11), (0, 16)),
        Subscale("magnification", "Förstoring", (6, 7, 13), (0, 12)),
        Subscale("helplessness", "Hjälplöshet", (1, 2, 3, 4, 5, 12), (0, 24)),
    ),
    bands=(
        Band("not_clinically_relevant", "Under klinisk nivå (< 30)", 0, 30),
        Band("clinically_relevant", "Kliniskt relevant katastrofiering", 30, None),
    ),
    notes="MCID about 38-44 % reduction (Scott et al. 2014) [M].",
)
