"""HADS: Hospital Anxiety and Depression Scale.

Sources (shared/instruments.md section 5):
- 14 items; anxiety (HADS-A) = odd items 1, 3, ..., 13; depression (HADS-D) =
  even items 2, 4, ..., 14 [S: doktorerna.com had-tolkning; awell-score
  src/scores/hads/definition/subscales.ts].
- Each item is worth 0-3 points. The printed order alternates: the first
  printed option scores 3 on items 1, 3, 5, 6, 8, 10, 11, 13 and 0 on items
  2, 4, 7, 9, 12, 14 [S: Swedish HAD scoring key, deprimerad.net; awell-score
  hads README]. Callers send the points from the key, so no reversal happens
  here; options are listed in printed order for the form.
- Subscales 0-21 each, no clinical total [S: awell-score HADS_score.ts].
- Bands per subscale: 0-7 normal, 8-10 possible, >= 11 probable case
  [S: doktorerna.com; awell-score hads README].
- Missing items: no manual rule confirmed [S: Bell et al. 2016, BMC Res Notes,
  10.1186/s13104-016-2284-z, recommend the half rule]. Policy [P]: prorate a
  subscale when at most `max_missing_per_subscale` (default 1) of its 7
  items are missing: answered sum x 7 / answered items, flagged, banded on
  the unrounded value. The policy is part of the version string.
- Licence: GL Assessment; fees [S: camcops docs/source/tasks/hads.rst].
"""

from painrehab.questionnaires.definitions.schema import (
    LICENSED_ITEM_TEXT,
    Band,
    Definition,
    FlagRule,
    Item,
    MissingRule,
    Subscale,
    scale,
)

ANXIETY = (1, 3, 5, 7, 9, 11, 13)
DEPRESSION = (2, 4, 6, 8, 10, 12, 14)
FIRST_PRINTED_OPTION_SCORES_3 = frozenset((1, 3, 5, 6, 8, 10, 11, 13))
DEFAULT_MAX_MISSING_PER_SUBSCALE = 1


def _items() -> tuple[Item, ...]:
    return tuple(
        Item(
            number=number,
            key=f"hads_{number}",
            text=f"{LICENSED_ITEM_TEXT} (hads {number})",
            options=scale(0, 3, descending=number in FIRST_PRINTED_OPTION_SCORES_3),
        )
        for number in range(1, 15)
    )


def build(
    max_missing_per_subscale: int = DEFAULT_MAX_MISSING_PER_SUBSCALE,
) -> Definition:
    """HADS with a unit's proration setting; the setting is in the version."""
    if not 0 <= max_missing_per_subscale <= 3:
        # The half rule (Bell 2016) allows at most 3 of 7; never more.
        raise ValueError("max_missing_per_subscale must be between 0 and 3")
    return Definition(
        code="hads",
        version=f"1.0+prorate-max{max_missing_per_subscale}",
        name="Hospital Anxiety and Depression Scale (HADS)",
        name_sv="Ångest- och depressionsskala (HADS)",
        items=_items(),
        missing_rule=MissingRule(
            kind="prorate_per_subscale",
            max_missing=max_missing_per_subscale,
            description=(
                f"A subscale with at most {max_missing_per_subscale} of 7 items "
                "missing is prorated (sum x 7 / answered); with more missing it "
                "is not computed. Project policy [P]; no manual rule confirmed."
            ),
        ),
        licensed_text=True,
        licence="© GL Assessment (formerly nferNelson); fees payable [S].",
        source=(
            "Zigmond & Snaith 1983; Swedish validation Lisspers, Nygren & "
            "Söderman 1997; doktorerna.com had-tolkning; awell-score hads"
        ),
        total_range=None,
        subscales=(
            Subscale("anxiety", "Ångest (HADS-A)", ANXIETY, (0, 21)),
            Subscale("depression", "Depression (HADS-D)", DEPRESSION, (0, 21)),
        ),
        subscale_bands=(
            Band("normal", "Talar ej för ångest/depression (0–7)", 0, 8),
            Band("possible", "Möjlig ångest/depression (8–10)", 8, 11),
            Band("probable", "Talar för ångest/depression (≥ 11)", 11, None),
        ),
        flags=(
            FlagRule("hads_anxiety_case", "anxiety", "ge", 11),
            FlagRule("hads_depression_case", "depression", "ge", 11),
        ),
        recall_period="senaste veckan",
        notes="MCID about 1.5 points per subscale (Puhan et al. 2008, COPD) [M].",
    )


DEFINITION = build()
