"""MADRS: Montgomery-Åsberg Depression Rating Scale (clinician-rated).

Sources (shared/instruments.md section 13):
- 10 items: apparent sadness, reported sadness, inner tension, reduced sleep,
  reduced appetite, concentration difficulties, lassitude, inability to feel,
  pessimistic thoughts, suicidal thoughts; 0-6 each, statements printed at
  0, 2, 4, 6; total 0-60, no reversal [S: medicalalgorithms.com MADRS].
- Bands (Snaith et al.): 0-6 absent, 7-19 mild, 20-34 moderate, 35-60 severe
  [S]; severe >= 35 also Müller et al. 2000 [S].
- KRT exclusion "Svår depression (över 28 på MADRS)": total > 28, i.e. >= 29
  [P: seed 002; the programme's own rule, not a published band]. Raised as
  flag `madrs_above_krt_threshold` on this (clinician) version only.
- Missing: not found [?] -> strict [P].
- Licence: © Royal College of Psychiatrists; CamCOPS was refused permission
  [S: camcops docs/source/tasks/_tasks_missing.rst]. Text never shipped.
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
    code="madrs",
    version="1.0",
    name="Montgomery-Åsberg Depression Rating Scale (MADRS, clinician-rated)",
    name_sv="MADRS (skattad av kliniker)",
    items=licensed_items(
        "madrs",
        (
            "apparent_sadness",
            "reported_sadness",
            "inner_tension",
            "reduced_sleep",
            "reduced_appetite",
            "concentration_difficulties",
            "lassitude",
            "inability_to_feel",
            "pessimistic_thoughts",
            "suicidal_thoughts",
        ),
        scale(0, 6),
    ),
    missing_rule=MissingRule(
        kind="strict",
        description="No rule for missing MADRS items is known; strict [P].",
    ),
    licensed_text=True,
    licence="© Royal College of Psychiatrists; permission refused to CamCOPS [S].",
    source=(
        "Montgomery & Åsberg 1979; Snaith et al. (bands); Müller et al. 2000; "
        "medicalalgorithms.com MADRS"
    ),
    total_range=(0, 60),
    bands=(
        Band("absent", "Ingen depression (0–6)", 0, 7),
        Band("mild", "Lätt depression (7–19)", 7, 20),
        Band("moderate", "Måttlig depression (20–34)", 20, 35),
        Band("severe", "Svår depression (35–60)", 35, None),
    ),
    flags=(FlagRule("madrs_above_krt_threshold", "total", "gt", KRT_EXCLUSION_ABOVE),),
)
