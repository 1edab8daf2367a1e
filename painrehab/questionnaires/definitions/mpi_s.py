"""MPI-S: Multidimensional Pain Inventory, Swedish version. NOT SCORED.

Sources (shared/instruments.md section 8):
- West Haven-Yale MPI (Kerns, Turk & Rudy 1985); Swedish version MPI-S
  (Bergström et al. 1998) [M].
- WHYMPI structure: Part 1 = 20, Part 2 = 14, Part 3 = 18 items [S: awell-score
  src/scores/mpi/definition/mpi_domains.ts]; options 0-6 with item-specific
  anchors; scale scores are item MEANS, 0-6 [S: archives-pmr.org WHYMPI
  summary]. The MPI-S item counts are unknown [?]: the 52 items below follow
  the WHYMPI and are provisional.
- The MPI-S item-to-scale key, its reversed items and the Swedish
  DYS/ID/AC classification constants were not found in any source [?].

Policy [P] (instruments.md section 0.7 and 8): collect answers, but return
valid=False with the reason "scoring key not configured" until the MPI-S
manual or the NRS scoring key (UCR / Region Skåne) is in hand. Do not copy the
awell implementation: it sums items per part, which is not the manual's
method.
"""

from painrehab.questionnaires.definitions.schema import (
    Definition,
    MissingRule,
    licensed_items,
    scale,
)

PART_SIZES = (("part1", 20), ("part2", 14), ("part3", 18))

# Scale names in snake_case (instruments.md conventions); the keys are known,
# their items are not [?].
SCALES = (
    "pain_severity",
    "interference",
    "life_control",
    "affective_distress",
    "support",
    "punishing_responses",
    "solicitous_responses",
    "distracting_responses",
    "household_chores",
    "outdoor_work",
    "activities_away_from_home",
    "social_activities",
    "general_activity",
)

NOT_CONFIGURED_REASON = (
    "scoring key not configured: the MPI-S item-to-scale key, reversed items "
    "and Swedish classification constants are not in hand (instruments.md §8)"
)

DEFINITION = Definition(
    code="mpi_s",
    version="0.1-collect-only",
    name="Multidimensional Pain Inventory, Swedish version (MPI-S)",
    name_sv="Multidimensionellt smärtformulär (MPI-S)",
    items=licensed_items(
        "mpi_s",
        (
            f"{part}_{number}"
            for part, size in PART_SIZES
            for number in range(1, size + 1)
        ),
        scale(0, 6),
    ),
    missing_rule=MissingRule(
        kind="not_scored",
        description=(
            "Not scored until the MPI-S key is configured. The completed-items "
            "mean rule (NINDS CDE, per an earlier draft) is unverified [?]."
        ),
    ),
    licensed_text=True,
    licence="WHYMPI available on the US VA website; MPI-S owner unknown [?].",
    source=(
        "Kerns, Turk & Rudy 1985; Bergström et al. 1998; archives-pmr.org "
        "WHYMPI scoring summary; awell-score mpi_domains.ts (item counts)"
    ),
    total_range=None,
)
