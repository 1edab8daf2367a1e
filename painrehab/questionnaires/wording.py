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


def value_label(instrument: Definition, key: str) -> str:
    """The label of one reported value: a subscale's own, an instrument's
    value in words, or (for instruments with own wording) the item's text."""
    for subscale in instrument.subscales:
        if subscale.key == key:
            return subscale.label
    label = VALUE_LABELS.get(instrument.code, {}).get(key)
    if label is not None:
        return str(label)
    if not instrument.licensed_text:
        for item in instrument.items:
            if item.key == key:
                return item.text
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
