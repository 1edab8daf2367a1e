"""The log review's "What" column in the interface's language.

An audit row's `what` is written once, in English, by the code that records
the event and is never changed (the log is append-only). The log review and
the patient's log extract show it through `describe`, which gives every
`what` the code writes a description in words; a test walks the source for
every `what=` and fails on one without a description
(audit/tests/test_descriptions.py).
"""

import re
from collections.abc import Callable

from django.db.models import Choices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from painrehab.core.windows import FOLLOW_UP_SPECS

# Fixed descriptions, by the `what` the code writes.
EXACT: dict[str, Promise] = {
    "API: appointments": _("API: appointments"),
    "API: episodes": _("API: care episodes"),
    "API: patient": _("API: patient"),
    "API: questionnaire responses": _("API: questionnaire answers"),
    "API: questionnaire results": _("API: questionnaire results"),
    "API: referrals": _("API: referrals"),
    "API: rehabilitation plans": _("API: rehabilitation plans"),
    "FHIR bulk export (NDJSON)": _("FHIR export of the unit"),
    "FHIR export (Bundle)": _("FHIR export of one patient"),
    "FHIR export": _("FHIR export"),
    "absence warning letter": _("Letter warning about absence"),
    "access log extract": _("Log extract for a patient"),
    "assessment conference": _("Assessment conference"),
    "attendance": _("Attendance"),
    "audit log review": _("Log review"),
    "book investigation visit": _("Booking of an investigation visit"),
    "book visit": _("Booking of a visit"),
    "booking outcome": _("Outcome of a booked visit"),
    "cohort calendar (ICS)": _("Cohort calendar file"),
    "cohort created": _("Cohort created"),
    "cohort page": _("Cohort page"),
    "cohort week": _("Cohort week"),
    "conference decision": _("Conference decision"),
    "correct referral": _("Correction of a referral"),
    "criteria": _("Criteria"),
    "discharge": _("Discharge of the patient"),
    "enclosure": _("Enclosure"),
    "end of rehabilitation": _("End of rehabilitation"),
    "episode opened": _("Care episode opened"),
    "episode page": _("Care episode page"),
    "episode step": _("Step of the care episode"),
    "finalise letter": _("Finalising a letter"),
    "follow-up": _("Follow-up"),
    "goal evaluated": _("Goal evaluated"),
    "goal": _("Goal"),
    "individual interventions": _("Individual interventions"),
    "interpreter confirmed": _("Interpreter confirmed"),
    "interpreter": _("Interpreter"),
    "investigation record": _("Investigation record"),
    "investigation template": _("Investigation record template"),
    "investigation visit booked": _("Investigation visit booked"),
    "investigation visit held": _("Investigation visit marked held"),
    "invitation sent": _("Invitation sent"),
    "invitation": _("Invitation"),
    "invitations due": _("Questionnaire invitations due"),
    "letter PDF": _("Letter as PDF"),
    "letter draft edited": _("Letter draft edited"),
    "letter enclosure printed": _("Letter enclosure printed"),
    "letter finalised": _("Letter finalised"),
    "letter printed": _("Letter printed"),
    "letter marked out of date": _("Letter marked out of date"),
    "letter redrafted: visit moved": _("Letter rewritten: the visit was moved"),
    "letter": _("Letter"),
    "move booking": _("Moving a booked visit"),
    "new letter": _("New letter"),
    "new referral form": _("New referral form"),
    "new visit record": _("New visit record"),
    "new visit recorded": _("New visit recorded"),
    "outstanding questionnaires": _("Outstanding questionnaires"),
    "paper form entry": _("Entry of a paper form"),
    "patient conference agenda": _("Patient conference agenda"),
    "patient conference minutes": _("Patient conference minutes"),
    "patient details changed": _("Patient details changed"),
    "patient edit form": _("Patient details form"),
    "patient form page": _("Patient's questionnaire page"),
    "patient history": _("Patient history"),
    "patient list": _("Patient list"),
    "patient opened questionnaire": _("The patient opened the questionnaire"),
    "patient page": _("Patient page"),
    "patient registered": _("Patient registered"),
    "patient-chosen waiting": _("Waiting chosen by the patient"),
    "plan PDF": _("Rehabilitation plan as PDF"),
    "plan printed": _("Rehabilitation plan printed"),
    "plan signed": _("Rehabilitation plan signed"),
    "preparatory intervention": _("Preparatory intervention"),
    "programme start forecast": _("Programme start forecast"),
    "programme template settings": _("Programme template settings"),
    "questionnaire link follows the moved visit": _(
        "Questionnaire link extended to follow the visit"
    ),
    "questionnaire link renewed": _("Questionnaire link renewed"),
    "questionnaire links expired": _("Questionnaire links expired"),
    "questionnaire request": _("Questionnaire request"),
    "questionnaire result": _("Questionnaire result"),
    "questionnaire settings": _("Questionnaire settings"),
    "questionnaires submitted": _("Questionnaires submitted"),
    "referral completion received": _("Referral completion received"),
    "referral completion requested": _("Referral completion requested"),
    "referral completion": _("Referral completion"),
    "referral corrected before triage": _("Referral corrected before triage"),
    "rehabilitation plan": _("Rehabilitation plan"),
    "renew link": _("Renewing a questionnaire link"),
    "room week": _("Room week"),
    "room": _("Room"),
    "save conference": _("Saving the conference"),
    "save plan": _("Saving the plan"),
    "saved version": _("Saved version"),
    "send letter": _("Sending a letter"),
    "send questionnaires": _("Sending questionnaires"),
    "session changed by hand and locked": _("Session changed by hand and locked"),
    "session unlocked": _("Session unlocked"),
    "session": _("Session"),
    "sick leave": _("Sick leave"),
    "staff calendar (ICS)": _("Staff calendar file"),
    "staff rating": _("Staff rating"),
    "staff week": _("Staff week"),
    "start conference": _("Starting the conference"),
    "switched unit": _("Switched unit"),
    "team investigation": _("Team investigation"),
    "triage": _("Triage"),
    "visit booked": _("Visit booked"),
    "visit moved": _("Visit moved"),
    "week schedule (PDF)": _("Week schedule as PDF"),
    "nybesök": _("New visit"),
    "correct goal": _("Correction of a goal"),
    "evaluate goal": _("Evaluation of a goal"),
    "goal corrected": _("Goal corrected"),
    "new recovery codes": _("New recovery codes"),
    "outbox day": _("Outbox of the day"),
    "print batch": _("The day's letters to post"),
    "outbox of a patient": _("Messages to a patient"),
    "outbox message": _("A message in the outbox"),
    "contact preference": _("How the patient may be told"),
    "logged in with SITHS (OIDC)": _("Logged in with the e-service card (SITHS)"),
    "logged out": _("Logged out"),
    "wrong code at setup": _("Wrong code when the authenticator app was set up"),
    "authenticator app set up": _("Authenticator app set up"),
    "login locked: user name at this address": _(
        "Login locked: the user name at this address"
    ),
    "login refused: user name locked at this address": _(
        "Login refused: the user name is locked at this address"
    ),
    "refused 403": _("Refused: the user's profession lacks the permission"),
    "refused 404": _("Refused: no such page, or another unit's"),
}


# The codes of the higher apps (states, letter kinds, instruments, ...) in
# words: each app registers its choices or a function in its AppConfig.ready,
# so the log (the lowest layer) needs none of them. The first that knows a
# value gives its words; apps register in INSTALLED_APPS order, so the pathway's
# states come before the programme's appointment status ("booked", "held").
_WORDS: list[Callable[[str], str | None]] = []


def register_words(words: Callable[[str], str | None]) -> None:
    """Let `words` name stored codes in the log: it returns None for a value
    it does not know (once, however often an app is made ready)."""
    if words not in _WORDS:
        _WORDS.append(words)


def register_choices(*choices: type[Choices]) -> None:
    """Name the values of `choices` by their labels in the log, in this order."""
    for kind in choices:
        register_words(_ChoiceWords(kind))


class _ChoiceWords:
    def __init__(self, choices: type[Choices]) -> None:
        self.choices = choices

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ChoiceWords) and other.choices is self.choices

    def __hash__(self) -> int:
        return hash(self.choices)

    def __call__(self, value: str) -> str | None:
        if value in self.choices.values:
            return str(self.choices(value).label).lower()
        return None


def _follow_up_words(value: str) -> str | None:
    for specs in FOLLOW_UP_SPECS.values():
        for spec in specs:
            if spec.key == value:
                return str(spec.label)
    return None


def _choice(value: str) -> str:
    """A stored code in words: a state, reason, kind, time point, status,
    profession or instrument; the value itself when none knows it."""
    value = value.strip()
    for words in [*_WORDS, _follow_up_words]:
        found = words(value)
        if found is not None:
            return found
    return value.replace("_", " ")


def _login_words(value: str) -> str:
    """How someone logged in or failed, in words ("password and recovery
    code, 7 left")."""
    phrases = {
        "password and a new authenticator": _("password and a new authenticator app"),
        "authenticator code": _("code from the authenticator app"),
        "recovery code": _("recovery code"),
        "unknown user name": _("unknown user name"),
        "password": _("password"),
        " and ": _(" and "),
        " left": _(" left"),
    }
    for english, words in phrases.items():
        value = value.replace(english, str(words))
    return value


def _sign_on_reason(value: str) -> str:
    """Why an identity provider's answer was refused, in words; the technical
    reason itself when it is not one of the known ones."""
    reasons = {
        "not a signed token": _("the answer was not signed"),
        "algorithm is not RS256": _("the answer was signed the wrong way"),
        "signature does not verify": _("the signature did not hold"),
        "wrong audience": _("the answer was meant for another service"),
        "wrong issuer": _("the answer came from another provider"),
        "not a valid token": _("the answer could not be read"),
        "wrong authorised party": _("the answer was meant for another service"),
        "wrong nonce": _("the answer belonged to another login"),
        "times are not numbers": _("the answer could not be read"),
        "expired": _("the answer had expired"),
        "issued in the future": _("the answer was dated in the future"),
        "no matching key of the provider": _("the provider's key was not found"),
        "the provider's key is unusable": _("the provider's key could not be used"),
        "no valid answer from the provider": _("no valid answer from the provider"),
        "userinfo is about another subject": _("the answer was about someone else"),
        "state does not match": _("the answer belonged to another browser"),
        "the link is no longer there": _("the link no longer exists"),
        "no valid personnummer in the id_token": _(
            "no valid personnummer in the answer"
        ),
    }
    return str(reasons.get(value, value))


def _message(value: str) -> str:
    """ "<kind> by <channel>" in words."""
    kind, _by, channel = value.partition(" by ")
    return f"{_choice(kind)} ({_choice(channel)})" if channel else _choice(kind)


def _wording_version(value: str) -> str:
    """ "<instrument> version <n>" in words."""
    code, _v, number = value.partition(" version ")
    return str(_("%(instrument)s, version %(number)s")) % {
        "instrument": _choice(code),
        "number": number,
    }


def _step(value: str) -> str:
    before, _arrow, after = value.partition(" -> ")
    return f"{_choice(before)} → {_choice(after)}"


def _yes_no(value: str) -> str:
    return str(_("yes")) if value == "yes" else str(_("no"))


# Descriptions with values, by pattern of the `what`; each value in words.
PATTERNS: list[tuple[re.Pattern[str], Promise, Callable[[str], str]]] = [
    (re.compile(r"message queued: (?P<v>.+)"), _("Message queued: %(v)s"), _message),
    (re.compile(r"logged in: (?P<v>.+)"), _("Logged in: %(v)s"), _login_words),
    (
        re.compile(r"print batch confirmed: (?P<v>\d+) letters"),
        _("Print batch printed and posted: %(v)s letters"),
        str,
    ),
    (
        re.compile(r"single sign-on refused: (?P<v>.+)"),
        _("Login with the e-service card refused: %(v)s"),
        lambda v: _sign_on_reason(v),
    ),
    (
        re.compile(r"e-ID refused: (?P<v>.+)"),
        _("e-ID refused: %(v)s"),
        lambda v: _sign_on_reason(v),
    ),
    (
        re.compile(r"second factor: (?P<v>.+)"),
        _("Second factor: %(v)s"),
        lambda v: _login_words(v),
    ),
    (re.compile(r"failed login: (?P<v>.+)"), _("Failed login: %(v)s"), _login_words),
    (
        re.compile(r"login refused: account delayed until (?P<v>.+)"),
        _("Login refused: the account waits until %(v)s"),
        str,
    ),
    (
        re.compile(r"second factor reset for (?P<v>.+)"),
        _("Second factor reset for %(v)s"),
        str,
    ),
    (re.compile(r"wrong (?P<v>.+)"), _("Wrong %(v)s"), lambda v: _login_words(v)),
    (re.compile(r"message sent: (?P<v>.+)"), _("Message sent: %(v)s"), _message),
    (re.compile(r"message failed: (?P<v>.+)"), _("Message failed: %(v)s"), _message),
    (
        re.compile(r"message delivered: (?P<v>.+)"),
        _("Message delivered, as the provider reports: %(v)s"),
        _message,
    ),
    (
        re.compile(r"message not delivered: (?P<v>.+)"),
        _("Message not delivered, as the provider reports: %(v)s"),
        _message,
    ),
    (
        re.compile(r"message not due: (?P<v>.+)"),
        _("Message stopped, no longer due: %(v)s"),
        _message,
    ),
    (
        re.compile(r"message will be tried again: (?P<v>.+)"),
        _("Message to be tried again: %(v)s"),
        _message,
    ),
    (
        re.compile(r"message left unfinished: (?P<v>.+)"),
        _("Message left unfinished by a stopped worker: %(v)s"),
        _message,
    ),
    (
        re.compile(r"message cancelled: (?P<v>.+)"),
        _("Message stopped by staff: %(v)s"),
        _message,
    ),
    (
        re.compile(r"refused: (?P<v>.+)"),
        _("Refused: another unit's patient (%(v)s)"),
        lambda v: str(EXACT.get(v, v)),
    ),
    (
        re.compile(r"refused (?P<v>\d+)"),
        _("Refused (answer %(v)s)"),
        str,
    ),
    (
        re.compile(r"group follow-up booked: (?P<v>.+)"),
        _("Group follow-up booked: %(v)s"),
        lambda v: _choice(v),
    ),
    (
        re.compile(r"licensed wording imported (?P<v>.+)"),
        _("Licensed wording imported: %(v)s"),
        lambda v: _wording_version(v),
    ),
    (
        re.compile(r"licensed wording activated (?P<v>.+)"),
        _("Licensed wording taken into use: %(v)s"),
        lambda v: _wording_version(v),
    ),
    (
        re.compile(r"API token created for (?P<v>.+)"),
        _("API token created for %(v)s"),
        str,
    ),
    (re.compile(r"access granted: (?P<v>.+)"), _("Access given: %(v)s"), str),
    (re.compile(r"access removed: (?P<v>.+)"), _("Access removed: %(v)s"), str),
    (re.compile(r"answers saved (?P<v>.+)"), _("Answers saved: %(v)s"), _choice),
    (
        re.compile(r"appointment booked: (?P<v>.+)"),
        _("Appointment booked: %(v)s"),
        _choice,
    ),
    (re.compile(r"appointment (?P<v>.+)"), _("Appointment: %(v)s"), _choice),
    (
        re.compile(r"attendance recorded: session (?P<v>.+)"),
        _("Attendance recorded, session %(v)s"),
        str,
    ),
    (
        re.compile(r"bookings cancelled at discharge: (?P<v>.+)"),
        _("Bookings cancelled at discharge: %(v)s"),
        str,
    ),
    (
        re.compile(r"appointments cancelled at the end of rehabilitation: (?P<v>.+)"),
        _("Appointments cancelled when the rehabilitation ended: %(v)s"),
        str,
    ),
    (re.compile(r"booking (?P<v>.+)"), _("Booked visit: %(v)s"), _choice),
    (
        re.compile(r"cohort scheduled: (?P<v>\d+) sessions"),
        _("Cohort scheduled: %(v)s sessions"),
        str,
    ),
    (
        re.compile(r"conference decision (?P<v>.+)"),
        _("Conference decision: %(v)s"),
        _choice,
    ),
    (re.compile(r"discharged: (?P<v>.+)"), _("Discharged: %(v)s"), _choice),
    (
        re.compile(r"episodes in state (?P<v>.+)"),
        _("Care episodes in the state: %(v)s"),
        _choice,
    ),
    (re.compile(r"follow-up (?P<v>.+)"), _("Follow-up: %(v)s"), _choice),
    (re.compile(r"letter drafted: (?P<v>.+)"), _("Letter drafted: %(v)s"), _choice),
    (re.compile(r"letter sent by (?P<v>.+)"), _("Letter sent: %(v)s"), _choice),
    (re.compile(r"letter text (?P<v>.+)"), _("Letter text: %(v)s"), _choice),
    (re.compile(r"licensed text (?P<v>.+)"), _("Licensed wording: %(v)s"), _choice),
    (
        re.compile(r"paper form entered (?P<v>.+)"),
        _("Paper form entered: %(v)s"),
        _choice,
    ),
    (re.compile(r"patient hotel (?P<v>\S+)"), _("Patient hotel: %(v)s"), _yes_no),
    (
        re.compile(r"plan version (?P<v>\d+) signed"),
        _("Plan version %(v)s signed"),
        str,
    ),
    (
        re.compile(r"preparation (?P<v>.+)"),
        _("Preparatory intervention: %(v)s"),
        _choice,
    ),
    (
        re.compile(r"programme start forecast \((?P<v>.+)\)"),
        _("Programme start forecast (%(v)s)"),
        str,
    ),
    (
        re.compile(r"questionnaire package (?P<v>.+)"),
        _("Questionnaire package: %(v)s"),
        _choice,
    ),
    (
        re.compile(r"questionnaires sent (?P<v>.+)"),
        _("Questionnaires sent: %(v)s"),
        _choice,
    ),
    (re.compile(r"registry export (?P<v>.+)"), _("Registry export: %(v)s"), _choice),
    (re.compile(r"removed from cohort (?P<v>.+)"), _("Removed from cohort %(v)s"), str),
    (
        re.compile(r"added to cohort (?P<v>\d+)(?:, over the maximum.*)?"),
        _("Added to cohort %(v)s"),
        str,
    ),
    (re.compile(r"sick leave (?P<v>.+)"), _("Sick leave: %(v)s"), _choice),
    (re.compile(r"staff absence of membership (?P<v>.+)"), _("Staff absence"), str),
    (re.compile(r"staff hours of membership (?P<v>.+)"), _("Staff working hours"), str),
    (re.compile(r"staff rating (?P<v>.+)"), _("Staff rating: %(v)s"), _choice),
    (re.compile(r"state (?P<v>.+ -> .+)"), _("Step: %(v)s"), _step),
    (
        re.compile(r"waiting list (?P<v>\S+) page \d+"),
        _("Waiting list: %(v)s"),
        _choice,
    ),
    (re.compile(r"worklist page (?P<v>.+)"), _("Worklist, page %(v)s"), str),
    (
        re.compile(r"(?P<v>\d+) questionnaire requests closed at discharge"),
        _("Questionnaire requests closed at discharge: %(v)s"),
        str,
    ),
]


def describe(what: str) -> str:
    """The `what` of an audit row in words; "" for an empty one."""
    if not what:
        return ""
    if what in EXACT:
        return str(EXACT[what])
    for pattern, text, words in PATTERNS:
        match = pattern.fullmatch(what)
        if match:
            return str(text) % {"v": words(match["v"])}
    return str(_("Other event (%(what)s)")) % {"what": what.replace("_", " ")}
