"""OBQ11: Occupational Balance Questionnaire, 11 items.

Sources (shared/instruments.md section 11):
- Revised 11-item OBQ (Håkansson, Wagman & Hagell 2019/2020, Scand J Occup
  Ther), from the 13-item OBQ (Wagman & Håkansson 2014) [S].
- 11 items as listed below [S: https://www.hindawi.com/journals/oti/2021/
  8863453/tab2/]; 4 steps scored 0-3 "(lower level-higher level)", all in the
  same direction [S: hindawi table note]; option labels (strongly disagree
  ... strongly agree) [M].
- Total = sum 0-33 [M]; higher = more occupational balance [S].
- Bands: none published [?]. Missing: no rule [?] -> strict [P].
- Licence: not found [?]; text not shipped until cleared.
"""

from painrehab.questionnaires.definitions.schema import (
    Definition,
    MissingRule,
    licensed_items,
    scale,
)

DEFINITION = Definition(
    code="obq11",
    version="1.0",
    name="Occupational Balance Questionnaire, 11 items (OBQ11)",
    name_sv="Aktivitetsbalans (OBQ11)",
    items=licensed_items(
        "obq11",
        (
            "just_enough_to_do",
            "doing_for_others_and_oneself",
            "time_for_wanted_things",
            "balance_work_home_family_leisure_rest_sleep",
            "time_for_obligatory_occupations",
            "balance_physical_social_mental_restful",
            "satisfied_with_time_use",
            "number_of_activities",
            "obligatory_and_voluntary",
            "energy_giving_and_energy_taking",
            "time_for_rest_recovery_sleep",
        ),
        scale(0, 3),
    ),
    missing_rule=MissingRule(
        kind="strict",
        description=(
            "No rule for missing OBQ11 items is known; the total needs every item [P]."
        ),
    ),
    licensed_text=True,
    licence="Not found [?] (Swedish academic authors Håkansson, Wagman).",
    source=(
        "Håkansson, Wagman & Hagell 2020, Scand J Occup Ther; "
        "hindawi.com oti/2021/8863453 table 2"
    ),
    total_range=(0, 33),
)
