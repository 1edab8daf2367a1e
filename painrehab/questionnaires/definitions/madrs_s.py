"""MADRS-S: Montgomery-Åsberg Depression Rating Scale, self-rated (Swedish).

Sources (shared/instruments.md section 13):
- 9 items (Svanborg & Åsberg 1994), 0-6 each, total 0-54 [S: medicinbasen.se
  MADRS-S; distriktslakare.com]; item names (mood, anxiety, sleep, appetite,
  concentration, initiative, emotional involvement, pessimism, zest for
  life) [M].
- Recall: the last three days [S: orestadskliniken.com/madrs-s].
- Bands, Swedish clinical convention: 0-12 none or very mild ("Ingen eller
  mycket lätt depression"), 13-19 mild, 20-34 moderate, >= 35 severe [S:
  medicinbasen.se; doktorerna.com]. No validated MADRS-S cut-offs have been
  published [S: Region Jönköping guideline]: these are conventions.
- KRT exclusion "över 28 på MADRS" applied to the version actually recorded
  [P: instruments.md 0.12]: flag `madrs_s_above_krt_threshold` (> 28), which
  names the self-rated version.
- Suicide item: high scores on item 9 must be reviewed; the trigger value is
  unknown [?], so no flag is raised.
- Missing / MCID: not found [?] -> strict [P].
- Licence: owner and terms not found [?]; text not shipped until cleared.
"""

from painrehab.questionnaires.definitions.schema import (
    Band,
    Definition,
    FlagRule,
    MissingRule,
    licensed_items,
    scale,
)

KRT_EXCLUSION_ABOVE = 28

DEFINITION = Definition(
    code="madrs_s",
    version="1.0",
    name="MADRS-S (self-rated, Svanborg & Åsberg 1994)",
    name_sv="MADRS-S (självskattning)",
    items=licensed_items(
        "madrs_s",
        (
            "mood",
            "anxiety",
            "sleep",
            "appetite",
            "concentration",
            "initiative",
            "emotional_involvement",
            "pessimism",
            "zest_for_life",
        ),
        scale(0, 6),
    ),
    missing_rule=MissingRule(
        kind="strict",
        description="No rule for missing MADRS-S items is known; strict [P].",
    ),
    licensed_text=True,
    licence="Owner and terms not found [?].",
    source=(
        "Svanborg & Åsberg 1994; medicinbasen.se MADRS-S; doktorerna.com; "
        "Region Jönköping guideline (rjl.se)"
    ),
    total_range=(0, 54),
    bands=(
        Band("none_or_very_mild", "Ingen eller mycket lätt depression", 0, 13),
        Band("mild", "Lätt depression (13–19)", 13, 20),
        Band("moderate", "Måttlig depression (20–34)", 20, 35),
        Band("severe", "Svår depression (≥ 35)", 35, None),
    ),
    flags=(
        FlagRule("madrs_s_above_krt_threshold", "total", "gt", KRT_EXCLUSION_ABOVE),
    ),
    recall_period="senaste tre dagarna",
)
