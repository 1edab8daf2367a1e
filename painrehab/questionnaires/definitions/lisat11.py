"""LiSat-11: Life Satisfaction Questionnaire (Fugl-Meyer), checklist.

Sources (shared/instruments.md section 7):
- 11 items: 1 life as a whole + 10 domains [S: Ekstrand et al. 2018, J Rehabil
  Med 10.2340/16501977-2362; scireproject.com LISAT page]. Item order as
  listed below [M]: verify against the form the unit prints.
- Options 1 very dissatisfied ... 6 very satisfied [S: scireproject.com;
  sralab.org LiSat-9]; Swedish wording of the options [M].
- No official total: items are reported one by one; a mean of items is used
  in some group studies but is not the developers' score [S: scireproject.com].
- Per item: satisfied = 5-6, not satisfied = 1-4 [S: sralab.org LiSat-9].
- Missing / not applicable (no partner, no job): stored as missing, never 0
  [P]; whether the Swedish form prints a "not applicable" box is [?].
- Licence: free [S for LiSat-9; M for LiSat-11]. The labels below are short
  Swedish domain names in our own words, not the form's sentences.
"""

from painrehab.questionnaires.definitions.schema import (
    Band,
    Definition,
    Item,
    MissingRule,
    scale,
)

OPTIONS = scale(
    1,
    6,
    labels={
        1: "Mycket otillfredsställande",
        2: "Otillfredsställande",
        3: "Ganska otillfredsställande",
        4: "Ganska tillfredsställande",
        5: "Tillfredsställande",
        6: "Mycket tillfredsställande",
    },
)

DOMAINS = (
    ("life_as_a_whole", "Livet som helhet"),
    ("vocation", "Yrkes- eller sysselsättningssituation"),
    ("finances", "Ekonomi"),
    ("leisure", "Fritid"),
    ("contacts_with_friends", "Kontakter med vänner och bekanta"),
    ("sexual_life", "Sexualliv"),
    ("self_care", "Förmåga att klara mig själv (ADL)"),
    ("family_life", "Familjeliv"),
    ("partner_relationship", "Parförhållande"),
    ("physical_health", "Fysisk hälsa"),
    ("psychological_health", "Psykisk hälsa"),
)

DEFINITION = Definition(
    code="lisat11",
    version="1.0",
    name="Life Satisfaction Questionnaire (LiSat-11)",
    name_sv="Livstillfredsställelse (LiSat-11)",
    items=tuple(
        Item(number=number, key=key, text=text, options=OPTIONS)
        for number, (key, text) in enumerate(DOMAINS, start=1)
    ),
    missing_rule=MissingRule(
        kind="item_level",
        description=(
            "Items are reported one by one; an unanswered or not-applicable "
            "item is missing, never 0 [P]. With no item answered there is "
            "nothing to report."
        ),
    ),
    licensed_text=False,
    licence="Free [S for LiSat-9, M for LiSat-11]; check the Swedish text source.",
    source=(
        "Fugl-Meyer et al.; Ekstrand et al. 2018 J Rehabil Med "
        "(10.2340/16501977-2362); scireproject.com; sralab.org"
    ),
    total_range=None,
    subscale_bands=(
        Band("not_satisfied", "Ej tillfredsställd (1–4)", 1, 5),
        Band("satisfied", "Tillfredsställd (5–6)", 5, None),
    ),
    notes=(
        "subscales holds each item by content key plus n_answered, "
        "n_satisfied and mean_answered; the mean is not an official score."
    ),
)
