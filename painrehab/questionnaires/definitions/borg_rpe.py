"""Borg RPE 6-20: rating of perceived exertion during training.

Sources (shared/instruments.md section 14):
- One rating, 6-20, only the values on the scale; half values only if
  enabled for research [S: borgperception.se scale administration page].
- Score = the value; range 6-20 [S: borgperception.se FAQ].
- Anchors (licensed wording) are not shipped [M].
- Missing -> no score [P].
- Licence: a licence and a fee are needed to use any Borg scale;
  translations are supplied by BorgPerception AB [S: borgperception.se/faq].
"""

from painrehab.questionnaires.definitions.schema import (
    LICENSED_ITEM_TEXT,
    Definition,
    Item,
    MissingRule,
    Option,
)


def _options(half_values: bool) -> tuple[Option, ...]:
    step_count = 28 if half_values else 14
    values = [6 + 14 * step / step_count for step in range(step_count + 1)]
    return tuple(
        Option(
            value=int(v) if v.is_integer() else v,
            label=str(int(v)) if v.is_integer() else str(v),
            score=int(v) if v.is_integer() else v,
        )
        for v in values
    )


def build(half_values: bool = False) -> Definition:
    """Borg RPE; `half_values=True` only for research use (borgperception.se)."""
    return Definition(
        code="borg_rpe",
        version="1.0+half-values" if half_values else "1.0",
        name="Borg RPE scale 6-20",
        name_sv="Borg RPE-skala (6–20)",
        items=(
            Item(
                number=1,
                key="perceived_exertion",
                text=f"{LICENSED_ITEM_TEXT} (borg_rpe 1)",
                options=_options(half_values),
            ),
        ),
        missing_rule=MissingRule(
            kind="strict", description="One rating: unanswered means no score [P]."
        ),
        licensed_text=True,
        licence="Licence and fee required (BorgPerception AB) [S].",
        source="Borg 1998; borgperception.se (FAQ, scale administration)",
        total_range=(6, 20),
    )


DEFINITION = build()
