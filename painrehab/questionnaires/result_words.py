"""How a stored result reads to a clinician: labels of every reported value,
why a score is missing, and which scoring version was used, in words.

Scoring (`scoring.py`, `scorers/`) is pure and keeps its English keys and
reasons for the record; this module turns them into the interface's language
when a page shows them. Pure functions of a definition and stored values.
"""

import re
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from painrehab.questionnaires.definitions.schema import Definition

# Reported values that are not subscales of the definition, by instrument.
VALUE_LABELS: dict[str, dict[str, Promise]] = {
    "eq5d5l": {
        "vas": gettext_lazy("EQ VAS (own health today, 0–100)"),
        "MO": gettext_lazy("Mobility"),
        "SC": gettext_lazy("Self-care"),
        "UA": gettext_lazy("Usual activities"),
        "PD": gettext_lazy("Pain/discomfort"),
        "AD": gettext_lazy("Anxiety/depression"),
        "index_se_5l_2020": gettext_lazy(
            "Index value, Swedish value set 2020 (Burström et al.)"
        ),
        "index_se_5l_2022": gettext_lazy(
            "Index value, Swedish value set 2022 (Sun et al.)"
        ),
    },
    "lisat11": {
        "n_answered": gettext_lazy("Domains answered"),
        "n_satisfied": gettext_lazy("Domains satisfied (5–6)"),
        "mean_answered": gettext_lazy("Mean of the answered domains (descriptive)"),
    },
}

# What a version's suffix says about how the score was computed.
VERSION_NOTES: dict[str, Promise] = {
    "prorate-max1": gettext_lazy(
        "at most one unanswered question per subscale is estimated from the others"
    ),
    "half-values": gettext_lazy("half steps allowed"),
    "cpaq20_ascending": gettext_lazy("questions in the order of the CPAQ-20 form"),
    "collect-only": gettext_lazy("answers collected, not scored"),
}


# The definitions' Swedish labels of subscales, items and bands, in English for
# the English interface (the definitions keep the Swedish the forms print).
ENGLISH_LABELS: dict[str, str] = {
    "Aktivitetsengagemang": "Activity engagement",
    "Arbetsförmåga och krav": "Work ability in relation to demands",
    "Depression (HADS-D)": "Depression (HADS-D)",
    "Dålig arbetsförmåga (7–27)": "Poor work ability (7–27)",
    "Dåligt välbefinnande (< 50 %)": "Poor well-being (< 50 %)",
    "Egen prognos om två år": "Own prognosis in two years",
    "Ej förhöjd rörelserädsla (≤ 37)": "No raised fear of movement (≤ 37)",
    "Ej tillfredsställd (1–4)": "Not satisfied (1–4)",
    "Ekonomi": "Finances",
    "Familjeliv": "Family life",
    "Fritid": "Leisure",
    "Fysisk hälsa": "Physical health",
    "Förhöjd risk (≥ 50)": "Raised risk (≥ 50)",
    "Förmåga att klara mig själv (ADL)": "Self-care (ADL)",
    "Förstoring": "Magnification",
    "God arbetsförmåga (37–43)": "Good work ability (37–43)",
    "Hjälplöshet": "Helplessness",
    "Hög risk (> 105)": "High risk (> 105)",
    "Hög rörelserädsla (> 37)": "High fear of movement (> 37)",
    "Ingen depression (0–6)": "No depression (0–6)",
    "Ingen eller mycket lätt depression": "No or very mild depression",
    "Ingen kliniskt signifikant sömnlöshet (0–7)": "No clinically significant insomnia (0–7)",
    "Ingen smärta": "No pain",
    "Inte dåligt välbefinnande (≥ 50 %)": "Not poor well-being (≥ 50 %)",
    "Klinisk sömnlöshet, måttlig (15–21)": "Clinical insomnia, moderate (15–21)",
    "Klinisk sömnlöshet, svår (22–28)": "Clinical insomnia, severe (22–28)",
    "Kliniskt relevant katastrofiering": "Clinically relevant catastrophising",
    "Kontakter med vänner och bekanta": "Contacts with friends and acquaintances",
    "Livet som helhet": "Life as a whole",
    "Läkardiagnostiserade sjukdomar": "Diseases diagnosed by a physician",
    "Lätt depression (13–19)": "Mild depression (13–19)",
    "Lätt depression (7–19)": "Mild depression (7–19)",
    "Lätt smärta": "Mild pain",
    "Låg risk (< 50)": "Low risk (< 50)",
    "Låg risk (< 90)": "Low risk (< 90)",
    "Medelhög risk (90–105)": "Medium risk (90–105)",
    "Måttlig arbetsförmåga (28–36)": "Moderate work ability (28–36)",
    "Måttlig depression (20–34)": "Moderate depression (20–34)",
    "Måttlig smärta": "Moderate pain",
    "Möjlig ångest/depression (8–10)": "Possible anxiety/depression (8–10)",
    "Nedsatt arbetsförmåga": "Work impairment",
    "Nuvarande arbetsförmåga": "Current work ability",
    "Parförhållande": "Partner relationship",
    "Psykisk hälsa": "Psychological health",
    "Psykiska resurser": "Mental resources",
    "Sexualliv": "Sexual life",
    "Sjukfrånvaro senaste året": "Sick leave in the past year",
    "Smärtvillighet": "Pain willingness",
    "Svår depression (35–60)": "Severe depression (35–60)",
    "Svår depression (≥ 35)": "Severe depression (≥ 35)",
    "Svår smärta": "Severe pain",
    "Sömnlöshet under klinisk nivå (8–14)": "Subthreshold insomnia (8–14)",
    "Talar ej för ångest/depression (0–7)": "Does not suggest anxiety/depression (0–7)",
    "Talar för ångest/depression (≥ 11)": "Suggests anxiety/depression (≥ 11)",
    "Tillfredsställd (5–6)": "Satisfied (5–6)",
    "Under klinisk nivå (< 30)": "Below the clinical level (< 30)",
    "Utmärkt arbetsförmåga (44–49)": "Excellent work ability (44–49)",
    "Yrkes- eller sysselsättningssituation": "Vocation or occupation",
    "Ältande": "Rumination",
    "Ångest (HADS-A)": "Anxiety (HADS-A)",
}


def in_language(label: str) -> str:
    """A definition's Swedish label in the interface's language."""
    from django.utils.translation import get_language

    if (get_language() or "sv").startswith("en"):
        return ENGLISH_LABELS.get(label, label)
    return label


def value_label(instrument: Definition, key: str) -> str:
    """The label of one reported value: a subscale's own, an instrument's
    value in words, or (for instruments with own wording) the item's text."""
    for subscale in instrument.subscales:
        if subscale.key == key:
            return in_language(subscale.label)
    label = VALUE_LABELS.get(instrument.code, {}).get(key)
    if label is not None:
        return str(label)
    if not instrument.licensed_text:
        for item in instrument.items:
            if item.key == key:
                return in_language(item.text)
    return _("Other value")


def unanswered_items(instrument: Definition, answers: dict[Any, Any]) -> list[int]:
    given = {int(k) for k, v in answers.items() if v not in (None, "")}
    return [
        item.number
        for item in instrument.items
        if item.is_scored and item.number not in given
    ]


def _numbers(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def reason_in_words(instrument: Definition, answers: dict[Any, Any]) -> str:
    """Why a score was not computed, from the instrument's rule and the answers."""
    kind = instrument.missing_rule.kind
    if kind == "not_scored":
        return _(
            "Not scored: the scoring key of the Swedish version is not yet "
            "available to the unit. The answers are kept."
        )
    missing = unanswered_items(instrument, answers)
    if kind == "item_level":
        return _("No question was answered.")
    if not missing:
        return _("The score could not be computed from the answers.")
    if kind == "prorate_per_subscale":
        rule = _("more unanswered questions in a subscale than may be estimated")
    elif kind == "dimension_level":
        rule = _("every dimension needs an answer for the index value")
    else:
        rule = _("the score needs every question answered")
    return ngettext(
        "Question %(numbers)s unanswered: %(rule)s.",
        "Questions %(numbers)s unanswered: %(rule)s.",
        len(missing),
    ) % {"numbers": _numbers(missing), "rule": rule}


def version_in_words(version: str) -> str:
    """A scoring version as a clinician reads it: "1.0" or "1.0 (half steps allowed)"."""
    number, _sep, rest = version.partition("+")
    number, _dash, suffix = number.partition("-")
    notes = [
        str(VERSION_NOTES.get(part, part))
        for part in [suffix, *rest.split("+")]
        if part and re.fullmatch(r"[\w-]+", part)
    ]
    notes = [n for n in notes if n in {str(v) for v in VERSION_NOTES.values()}]
    if notes:
        return _("version %(number)s (%(notes)s)") % {
            "number": number,
            "notes": "; ".join(notes),
        }
    return _("version %(number)s") % {"number": number}
