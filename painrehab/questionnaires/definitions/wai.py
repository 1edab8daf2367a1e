"""WAI: Work Ability Index (Tuomi et al. 1998, FIOH).

Sources (shared/instruments.md section 10):
- 7 dimensions from 10 questions plus a disease list; total = sum of the
  dimension scores, 7-49 [S: nursekey.com WAI; healthy-workplaces.eu].
- Bands 7-27 poor, 28-36 moderate, 37-43 good, 44-49 excellent (de Zwart et
  al. 2002) [S: nursekey.com]. Totals can be non-integers (D2 weights), so
  the bands are half-open [P]: < 28 poor, [28, 37) moderate, [37, 44) good,
  >= 44 excellent; the manual's own handling of half points is [?].
- D1 current work ability 0-10 [S].
- D2 physical and mental demands rated 1-5 each [S], weighted by the nature
  of the job [M]: mainly physical -> phys x 1.5 + mental x 0.5; mainly
  mental -> phys x 0.5 + mental x 1.5; mixed -> phys + mental; range 2-10.
- D3 physician-diagnosed diseases [S: counted, demographic-wiki.com], points
  [M]: >= 5 -> 1, 4 -> 2, 3 -> 3, 2 -> 4, 1 -> 5, none -> 7.
- D4 impairment 1-6 [M]; D5 sick leave in 12 months, points as printed:
  none 5, <= 9 days 4, 10-24 days 3, 25-99 days 2, 100-365 days 1 [M];
  D6 prognosis: unlikely 1, not certain 4, relatively certain 7 [M];
  D7 three questions 0-4, summed 0-12 -> 0-3 = 1, 4-6 = 2, 7-9 = 3,
  10-12 = 4 [M]. These [M] rules agree with the WAI manual as recalled;
  the manual itself was not available to check.
- Missing: no rule found [?] -> a dimension with a missing answer has no
  score and the total is not computed [P].
- Licence: Finnish Institute of Occupational Health; terms [?]; text not
  shipped until cleared.

Answer keys [P] (instruments.md): 1 = D1; 2 = D2 physical; 3 = D2 mental;
4 = job type (1 physical, 2 mental, 3 mixed); 5 = number of physician-
diagnosed diseases; 6 = D4; 7 = D5 points; 8 = D6 (1/4/7); 9-11 = D7.
"""

from painrehab.questionnaires.definitions.schema import (
    LICENSED_ITEM_TEXT,
    Band,
    Definition,
    Item,
    MissingRule,
    Option,
    Subscale,
    scale,
)

JOB_PHYSICAL, JOB_MENTAL, JOB_MIXED = 1, 2, 3
# (physical weight, mental weight) per job type [M].
DEMAND_WEIGHTS: dict[int, tuple[float, float]] = {
    JOB_PHYSICAL: (1.5, 0.5),
    JOB_MENTAL: (0.5, 1.5),
    JOB_MIXED: (1.0, 1.0),
}
# The WAI disease list has 51 entries [M]; the count cannot exceed it.
MAX_DISEASES = 51
DISEASE_POINTS: dict[int, int] = {0: 7, 1: 5, 2: 4, 3: 3, 4: 2}  # >= 5 -> 1 [M]
DISEASE_POINTS_FIVE_OR_MORE = 1
# D7 sum 0-12 -> points 1-4 [M]
MENTAL_RESOURCE_POINTS: dict[int, int] = {
    total: 1 if total <= 3 else 2 if total <= 6 else 3 if total <= 9 else 4
    for total in range(13)
}


def _item(number: int, key: str, options: tuple[Option, ...]) -> Item:
    return Item(
        number=number,
        key=key,
        text=f"{LICENSED_ITEM_TEXT} (wai {number})",
        options=options,
    )


DEFINITION = Definition(
    code="wai",
    version="1.0",
    name="Work Ability Index (WAI)",
    name_sv="Arbetsförmågeindex (WAI)",
    items=(
        _item(1, "current_work_ability", scale(0, 10)),
        _item(2, "physical_demands", scale(1, 5)),
        _item(3, "mental_demands", scale(1, 5)),
        _item(
            4,
            "job_type",
            scale(
                1,
                3,
                labels={
                    JOB_PHYSICAL: "Huvudsakligen fysiskt arbete",
                    JOB_MENTAL: "Huvudsakligen psykiskt arbete",
                    JOB_MIXED: "Både fysiskt och psykiskt arbete",
                },
            ),
        ),
        _item(5, "diagnosed_disease_count", scale(0, MAX_DISEASES)),
        _item(6, "impairment", scale(1, 6)),
        _item(7, "sick_leave_points", scale(1, 5)),
        _item(
            8,
            "prognosis_two_years",
            tuple(Option(value=v, label=str(v), score=v) for v in (1, 4, 7)),
        ),
        _item(9, "mental_resources_enjoy", scale(0, 4)),
        _item(10, "mental_resources_active", scale(0, 4)),
        _item(11, "mental_resources_hopeful", scale(0, 4)),
    ),
    missing_rule=MissingRule(
        kind="strict",
        description=(
            "No rule for missing WAI answers is known; a dimension with a "
            "missing answer has no score and the total is not computed [P]."
        ),
    ),
    licensed_text=True,
    licence="Finnish Institute of Occupational Health (FIOH); terms [?].",
    source=(
        "Tuomi et al. 1998 (FIOH); de Zwart et al. 2002 (bands); nursekey.com "
        "WAI; healthy-workplaces.eu WAI tool"
    ),
    total_range=(7, 49),
    subscales=(
        Subscale("current_work_ability", "Nuvarande arbetsförmåga", (1,), (0, 10)),
        Subscale(
            "work_ability_vs_demands", "Arbetsförmåga och krav", (2, 3, 4), (2, 10)
        ),
        Subscale("diagnosed_diseases", "Läkardiagnostiserade sjukdomar", (5,), (1, 7)),
        Subscale("impairment", "Nedsatt arbetsförmåga", (6,), (1, 6)),
        Subscale("sick_leave", "Sjukfrånvaro senaste året", (7,), (1, 5)),
        Subscale("prognosis", "Egen prognos om två år", (8,), (1, 7)),
        Subscale("mental_resources", "Psykiska resurser", (9, 10, 11), (1, 4)),
    ),
    bands=(
        Band("poor", "Dålig arbetsförmåga (7–27)", 7, 28),
        Band("moderate", "Måttlig arbetsförmåga (28–36)", 28, 37),
        Band("good", "God arbetsförmåga (37–43)", 37, 44),
        Band("excellent", "Utmärkt arbetsförmåga (44–49)", 44, None),
    ),
)
