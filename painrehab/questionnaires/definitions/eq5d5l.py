"""EQ-5D-5L descriptive system and EQ VAS, with the Swedish value sets.

Sources (shared/instruments.md section 4):
- Five dimensions in this order: mobility (MO), self-care (SC), usual
  activities (UA), pain/discomfort (PD), anxiety/depression (AD); 5L levels
  1-5 (no ... extreme problems / unable to); EQ VAS 0-100, 100 = best
  imaginable health [S: camcops docs/source/tasks/eq5d5l.rst].
- Outputs: the profile (e.g. "21232"), an index from a named value set, and
  the VAS kept separate [S: fragla/eq5d]. Any missing dimension gives digit 9
  in the profile and no index; the VAS is scored on its own [M: EuroQol user
  guide].
- Value sets [S: github.com/fragla/eq5d data-raw/VT.csv columns
  "Sweden_2020" and "Sweden_2022", data-raw/TTO.csv column "Sweden"; checked
  against those files]:
  * se_5l_2020: Burström et al. 2020, PharmacoEconomics (experience-based
    TTO); start 0.9755, minus 0.0023 if any dimension is at level 5.
  * se_5l_2022: Sun et al. 2022, HQLO 20:167 (social value set); start 1.
  * se_3l_2014: Burström et al. 2014, Qual Life Res 23:431-42 (3L,
    experience-based TTO); start 0.9694, minus 0.0433 if any level 3.
  Which value set a unit or the registry reports is a configuration choice
  [?]; every 5L index is computed and stored with its value-set id.
- Licence: EuroQol Research Foundation; no use or reproduction without
  written consent [S]. Item text is never in the repository.

Answer keys [P]: items 1-5 are the dimension levels MO, SC, UA, PD, AD;
item 6 is the EQ VAS.
"""

from dataclasses import dataclass

from painrehab.questionnaires.definitions.schema import (
    LICENSED_ITEM_TEXT,
    Definition,
    Item,
    MissingRule,
    scale,
)

DIMENSIONS = ("MO", "SC", "UA", "PD", "AD")
VAS_ITEM = 6


@dataclass(frozen=True, slots=True)
class ValueSet:
    """An additive value set: start + sum of decrements + one extra term.

    `decrements[d][level - 1]` is the decrement for dimension `d` at `level`
    (0 at level 1). `extra` is subtracted once when any dimension is at
    `extra_level` or worse.
    """

    id: str
    levels: int
    reference: str
    start: float
    decrements: dict[str, tuple[float, ...]]
    extra: float = 0.0
    extra_level: int = 0


SE_5L_2020 = ValueSet(
    id="se_5l_2020",
    levels=5,
    reference="Burström et al. 2020, PharmacoEconomics; eq5d 'Sweden_2020'",
    start=0.9755,
    decrements={
        "MO": (0.0, -0.0287, -0.0346, -0.0523, -0.0523),
        "SC": (0.0, -0.0254, -0.0817, -0.0824, -0.0824),
        "UA": (0.0, -0.0549, -0.1143, -0.1639, -0.1639),
        "PD": (0.0, -0.0108, -0.0428, -0.1024, -0.1974),
        "AD": (0.0, -0.0325, -0.0868, -0.2002, -0.2339),
    },
    extra=-0.0023,
    extra_level=5,
)

SE_5L_2022 = ValueSet(
    id="se_5l_2022",
    levels=5,
    reference="Sun et al. 2022, Health Qual Life Outcomes 20:167; 'Sweden_2022'",
    start=1.0,
    decrements={
        "MO": (0.0, -0.022, -0.026, -0.087, -0.132),
        "SC": (0.0, -0.019, -0.056, -0.113, -0.159),
        "UA": (0.0, -0.022, -0.048, -0.131, -0.187),
        "PD": (0.0, -0.010, -0.047, -0.319, -0.442),
        "AD": (0.0, -0.031, -0.122, -0.277, -0.394),
    },
)

SE_3L_2014 = ValueSet(
    id="se_3l_2014",
    levels=3,
    reference="Burström et al. 2014, Qual Life Res 23:431-42; eq5d TTO 'Sweden'",
    start=0.9694,
    decrements={
        "MO": (0.0, -0.0666, -0.1247),
        "SC": (0.0, -0.0276, -0.0276),
        "UA": (0.0, -0.1012, -0.1355),
        "PD": (0.0, -0.0345, -0.0904),
        "AD": (0.0, -0.0552, -0.2077),
    },
    extra=-0.0433,
    extra_level=3,
)

VALUE_SETS: dict[str, ValueSet] = {
    value_set.id: value_set for value_set in (SE_5L_2020, SE_5L_2022, SE_3L_2014)
}
# The 5L index values every 5L score carries, in this order.
INDEX_VALUE_SETS = (SE_5L_2020, SE_5L_2022)

_DIMENSION_KEYS = (
    "mobility",
    "self_care",
    "usual_activities",
    "pain_discomfort",
    "anxiety_depression",
)

DEFINITION = Definition(
    code="eq5d5l",
    version="1.0",
    name="EQ-5D-5L and EQ VAS",
    name_sv="EQ-5D-5L med EQ VAS",
    items=(
        *(
            Item(
                number=number,
                key=key,
                text=f"{LICENSED_ITEM_TEXT} (eq5d5l {number})",
                options=scale(1, 5),
            )
            for number, key in enumerate(_DIMENSION_KEYS, start=1)
        ),
        Item(
            number=VAS_ITEM,
            key="eq_vas",
            text=f"{LICENSED_ITEM_TEXT} (eq5d5l {VAS_ITEM})",
            options=scale(0, 100),
        ),
    ),
    missing_rule=MissingRule(
        kind="dimension_level",
        description=(
            "Any missing dimension gives digit 9 in the profile and no index; "
            "the EQ VAS is scored on its own (EuroQol user guide) [M]."
        ),
    ),
    licensed_text=True,
    licence=(
        "EuroQol Research Foundation: written consent needed; the 1177 "
        "national form-library licence does not cover this system [S]."
    ),
    source=(
        "camcops docs/source/tasks/eq5d5l.rst; fragla/eq5d data-raw/VT.csv, "
        "TTO.csv; Burström 2014, 2020; Sun 2022"
    ),
    total_range=None,
    recall_period="i dag",
    notes="total is None: EQ-5D defines a profile, an index per value set and VAS.",
)
