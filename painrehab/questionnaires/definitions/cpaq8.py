"""CPAQ-8: Chronic Pain Acceptance Questionnaire, 8-item version.

Sources (shared/instruments.md section 3):
- Fish et al. 2010 (short form of the CPAQ-20, McCracken 2004); Swedish
  validation Rovner et al. 2014, J Rehabil Med,
  https://medicaljournals.se/jrm/content/html/10.2340/16501977-1227 [S].
- Activity engagement (AE) = CPAQ-20 items 1, 6, 9, 15; pain willingness
  (PW) = CPAQ-20 items 13, 14, 17, 18, all PW items reversed (6 - answer)
  [S: PsychlytX CPAQ-8 code; Stanford CHOIR PhysicalTherapyScoreProvider.java].
- Options 0 never true ... 6 always true [S]; AE 0-24, PW 0-24, total 0-48,
  higher = more acceptance [S].
- Bands: none official [S]. Missing items: no rule [?] -> strict [P].
- Licence: no terms found [?]; numbers and short labels until confirmed.

Item order differs between published implementations and the order of the
Swedish form is unknown [?]. Items therefore carry the CPAQ-20 source number
as content key (`cpaq20_13`), and `build(layout)` places them in the order of
the form the unit prints. The default layout is ascending CPAQ-20 number
(Stanford CHOIR order); `"ae_first"` is the PsychlytX order.
"""

from painrehab.questionnaires.definitions.schema import (
    Definition,
    Item,
    MissingRule,
    Subscale,
    licensed_items,
    scale,
)

ACTIVITY_ENGAGEMENT = (1, 6, 9, 15)  # CPAQ-20 numbers
PAIN_WILLINGNESS = (13, 14, 17, 18)  # CPAQ-20 numbers, reversed
LAYOUTS: dict[str, tuple[int, ...]] = {
    "cpaq20_ascending": (1, 6, 9, 13, 14, 15, 17, 18),
    "ae_first": (1, 6, 9, 15, 13, 14, 17, 18),
}
DEFAULT_LAYOUT = "cpaq20_ascending"

# Swedish response labels [M]: verify against the form the unit prints.
OPTIONS = scale(
    0,
    6,
    labels={
        0: "Aldrig sant",
        1: "Mycket sällan sant",
        2: "Sällan sant",
        3: "Ibland sant",
        4: "Ofta sant",
        5: "Nästan alltid sant",
        6: "Alltid sant",
    },
)


def _items(source_numbers: tuple[int, ...]) -> tuple[Item, ...]:
    reversed_positions = [
        position
        for position, source in enumerate(source_numbers, start=1)
        if source in PAIN_WILLINGNESS
    ]
    return licensed_items(
        "cpaq8",
        (f"cpaq20_{source}" for source in source_numbers),
        OPTIONS,
        reversed_numbers=reversed_positions,
        reverse_from=6,
    )


def _positions(
    source_numbers: tuple[int, ...], members: tuple[int, ...]
) -> tuple[int, ...]:
    return tuple(source_numbers.index(source) + 1 for source in members)


def build(layout: str = DEFAULT_LAYOUT) -> Definition:
    """The CPAQ-8 definition with items in the order of `layout`."""
    source_numbers = LAYOUTS[layout]
    return Definition(
        code="cpaq8",
        version=f"1.0+{layout}",
        name="Chronic Pain Acceptance Questionnaire, 8 items (CPAQ-8)",
        name_sv="Smärtacceptans (CPAQ-8)",
        items=_items(source_numbers),
        missing_rule=MissingRule(
            kind="strict",
            description=(
                "No manual rule for missing CPAQ-8 items is known; a score is "
                "computed only when all its items are answered [P]."
            ),
        ),
        licensed_text=True,
        licence="No licence terms found [?]; numbers and short labels only.",
        source=(
            "Fish et al. 2010; Rovner et al. 2014 J Rehabil Med "
            "(10.2340/16501977-1227); PsychlytX and Stanford CHOIR code"
        ),
        total_range=(0, 48),
        subscales=(
            Subscale(
                "activity_engagement",
                "Aktivitetsengagemang",
                _positions(source_numbers, ACTIVITY_ENGAGEMENT),
                (0, 24),
            ),
            Subscale(
                "pain_willingness",
                "Smärtvillighet",
                _positions(source_numbers, PAIN_WILLINGNESS),
                (0, 24),
            ),
        ),
        notes=(
            "Latent-class means (Rovner et al. 2015) are sometimes shown as "
            "low/medium/high; they are not cut-offs, so no bands are defined."
        ),
    )


DEFINITION = build()
