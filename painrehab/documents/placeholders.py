"""The words a unit's letter text may use, and how they are filled in.

A letter text is plain text with placeholders in braces named in the clinic's
Swedish words, such as `{förnamn}` or `{besöksdatum}`. The system works out
each value as plain text (documents.letter_values) before the text is filled:
no object, relation, loop or filter is ever reachable from a text a unit
saves. A placeholder that is not in the vocabulary is refused when the text
is saved.

Pure: no database, no settings.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# "{" then a name, then "}" on the same line; any other brace is refused when
# a text is saved.
_PLACEHOLDER = re.compile(r"\{([^{}\n]{1,60})\}")
_SPACES = re.compile(r"\s+")
# Template code as another system writes it, reported whole when refused.
_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")


@dataclass(frozen=True)
class Placeholder:
    name: str  # as written in the text, Swedish, without braces
    description: Promise  # what it is filled with, shown beside the editor


def _p(name: str, description: Promise) -> Placeholder:
    return Placeholder(name=name, description=description)


# The fixed vocabulary, grouped as the editor shows it.
VOCABULARY: tuple[tuple[Promise, tuple[Placeholder, ...]], ...] = (
    (
        _("The patient"),
        (
            _p("förnamn", _("The patient's first name")),
            _p("efternamn", _("The patient's last name")),
            _p("namn", _("The patient's full name")),
            _p("personnummer", _("The personal identity number, YYYYMMDD-NNNN")),
            _p("patientens adress", _("The patient's postal address")),
            _p("tolkspråk", _("The interpreter language; empty when none is needed")),
            _p(
                "tolk",
                _(
                    "A sentence that an interpreter is booked, in the patient's language; empty when none is needed"
                ),
            ),
        ),
    ),
    (
        _("The unit"),
        (
            _p("mottagningens namn", _("The unit's name")),
            _p("mottagningens adress", _("The unit's letterhead address")),
            _p("mottagningens telefon", _("The unit's phone number")),
            _p("dagens datum", _("The date of the letter, YYYY-MM-DD")),
        ),
    ),
    (
        _("Referral and triage"),
        (
            _p("remissdatum", _("The day the referral was received, YYYY-MM-DD")),
            _p(
                "remiss eller vårdbegäran",
                _('"en remiss för dig" or "din egen vårdbegäran"'),
            ),
            _p("remittent", _("The referrer's name and unit")),
            _p(
                "nybesök hos",
                _('Whom the new visit is with: "läkare" or "läkare och …"'),
            ),
            _p("skäl för återremiss", _("The physician's reason for the return")),
        ),
    ),
    (
        _("The booked visit"),
        (
            _p("besöksdatum", _('The day of the visit, e.g. "måndag 4 januari 2027"')),
            _p("besökstid", _('The time of the visit, e.g. "09:30"')),
            _p("besöksform", _('"hos oss", "via video" or "per telefon"')),
            _p("besökets längd", _('How long the visit takes, e.g. "60 minuter"')),
            _p(
                "besöksplats",
                _("Where: the unit's address, or that the visit is by video or phone"),
            ),
            _p(
                "besök hos",
                _("The staff the patient meets, each name with the profession"),
            ),
        ),
    ),
    (
        _("New visit and assessment"),
        (
            _p("nybesöksdatum", _("The day of the new visit, YYYY-MM-DD")),
            _p(
                "nybesökets bedömning", _("The physician's assessment at the new visit")
            ),
            _p(
                "screeningens fynd",
                _(
                    "The screening colleague's findings at the new visit, one line each; empty when none are recorded"
                ),
            ),
            _p("nybesökets planering", _("The outcome of the new visit")),
            _p("konferensdatum", _("The day of the assessment conference")),
            _p("huvudsakliga problem", _("The team's main problems")),
            _p("bidragande faktorer", _("Contributing factors")),
            _p("patientens resurser", _("The patient's resources")),
            _p("patientens förväntningar", _("The patient's expectations")),
            _p("teamets förslag", _("The conference decision")),
            _p("rekommenderade alternativ", _("Recommended alternatives")),
        ),
    ),
    (
        _("Plan and rehabilitation"),
        (
            _p("planens datum", _("The day the plan was signed")),
            _p("övergripande mål", _("The plan's overall goal")),
            _p("delmål", _("The goals, one line each with measure and date")),
            _p(
                "rehabiliteringsform", _("Group programme or individual rehabilitation")
            ),
            _p(
                "rehabiliteringen",
                _('"smärtrehabprogrammet" or "individuell rehabilitering"'),
            ),
            _p("avslutsdatum", _("The day rehabilitation ended")),
            _p(
                "utvärdering av delmål",
                _(
                    "Each goal with its evaluation at the end and the evaluator's comment, one line each"
                ),
            ),
            _p(
                "närvaro",
                _(
                    "The attendance during rehabilitation: sessions attended of those planned, and the absence share"
                ),
            ),
            _p(
                "vidmakthållandeplan",
                _(
                    "A sentence that the patient has a maintenance plan, once a follow-up has recorded it; empty before"
                ),
            ),
        ),
    ),
    (
        _("Group programme attendance"),
        (
            _p("programgrupp", _("The name of the programme group")),
            _p("programmets datum", _("The programme's first and last day")),
            _p(
                "frånvaro",
                _('The absence so far, e.g. "3 av 12 schemalagda tillfällen"'),
            ),
            _p("missade tillfällen", _("The sessions missed, one line each")),
        ),
    ),
    (
        _("Follow-up and discharge"),
        (
            _p("uppföljningsdatum", _("The day of the follow-up")),
            _p(
                "uppföljningens sammanfattning",
                _("The team's summary of the follow-up"),
            ),
            _p("bakslag", _("Setbacks discussed")),
            _p("kontakter patienten behöver", _("Contacts the patient needs")),
            _p("utskrivningsdatum", _("The day of discharge")),
            _p("utskrivningsorsak", _("The reason for discharge")),
            _p("fortsatt ansvar", _("Who takes over")),
            _p("rekommendation", _("The recommendation at discharge")),
        ),
    ),
    (
        _("Employer"),
        (_p("arbetsgivare", _("The employer's name, as given for the letter")),),
    ),
)

NAMES: frozenset[str] = frozenset(
    placeholder.name for _group, items in VOCABULARY for placeholder in items
)


def _normalised(name: str) -> str:
    return _SPACES.sub(" ", name.strip()).lower()


def unknown_placeholders(text: str) -> list[str]:
    """What in `text` the system cannot fill in, as typed, once each: a
    placeholder not in the vocabulary, template code, or a brace left open."""
    unknown: list[str] = []
    for line in text.split("\n"):
        unknown.extend(_TEMPLATE_CODE.findall(line))
        line = _TEMPLATE_CODE.sub("", line)
        for match in _PLACEHOLDER.finditer(line):
            if _normalised(match.group(1)) not in NAMES:
                unknown.append(match.group(0))
        rest = _PLACEHOLDER.sub("", line)
        if "{" in rest or "}" in rest:
            unknown.append(_stray_brace(rest))
    return list(dict.fromkeys(unknown))


def _stray_brace(rest: str) -> str:
    """The words around a brace that opens or closes nothing."""
    at = min(i for i in (rest.find("{"), rest.find("}")) if i >= 0)
    return rest[at : at + 30].strip()


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each placeholder replaced by its plain-text value.

    A line with a placeholder that has nothing to say (an interpreter line
    for a patient who needs none, a phone the unit has not given) is left
    out whole. An unknown placeholder is left as typed; values are inserted
    as they are and never filled again.
    """
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        empty = False

        def value(match: re.Match[str]) -> str:
            nonlocal empty
            filled = values.get(_normalised(match.group(1)), match.group(0))
            empty = empty or not filled.strip()
            return filled

        filled = _PLACEHOLDER.sub(value, line)
        if empty:
            continue
        if not filled.strip() and lines and not lines[-1].strip():
            continue  # a paragraph break once, where a left-out line stood
        lines.append(filled)
    return "\n".join(lines).strip()
