"""Writes of the questionnaire app: send, answer, submit, enter, configure.

Every function checks, changes and audits in one transaction. Status changes
of a request are compare-and-set updates on `status` and `version`, which work
the same on SQLite and PostgreSQL, so one answer set is stored however many
submits arrive at once.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from painrehab.accounts.access import require
from painrehab.accounts.models import CareUnit, Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.refusals import Refused
from painrehab.pathway.models import Episode
from painrehab.pathway.services.follow_up import follow_up_reference_on
from painrehab.pathway.states import State
from painrehab.questionnaires import catalogue, links, time_points, wording
from painrehab.questionnaires.definitions.schema import Definition, Item
from painrehab.questionnaires.models import (
    Answer,
    FactorAttempt,
    FormSettings,
    LicensedWording,
    Package,
    QuestionnaireRequest,
    Result,
    TimePoint,
)
from painrehab.questionnaires.scoring import CODES, definition, score

Status = QuestionnaireRequest.Status
ANSWERABLE = [Status.OPEN, Status.PARTLY]
# The time points of the forms before the new visit, in the order preferred.
BEFORE_THE_VISIT = [TimePoint.REGISTRY_BEFORE, TimePoint.KRT_BEFORE]
ATTEMPT_LIMIT = 5  # second-factor tries per request ...
ATTEMPT_WINDOW = timedelta(minutes=15)  # ... in this window
CODE_LOOKUP_LIMIT = 20  # wrong short codes per address in the window
LINK_ADDRESS_LIMIT = 10  # addresses with wrong tries at one link ...
LINK_LOCK_WINDOW = timedelta(hours=1)  # ... that lock the link for this long
FREE_TEXT_MAX = 200

# What accounts.access.require refuses with when a permission is missing.
ADMIN_ONLY = gettext_lazy(
    "Only the unit administrator may change questionnaire settings."
)
NOT_PERMITTED = gettext_lazy(
    "Your profession in this unit may not do this with questionnaires."
)


class QuestionnaireRefused(Refused):
    """A write the rules do not allow; `message` is shown to the user."""


class FormClosed(QuestionnaireRefused):
    """The request was submitted or has expired: no more answers."""


class TooManyAttempts(QuestionnaireRefused):
    pass


class NothingAnswered(QuestionnaireRefused):
    """A form with no answer at all cannot be sent."""


class _PatientByLink:
    """The actor of audit rows written while a patient answers through a link."""

    pk = None

    def get_username(self) -> str:
        return "patient (link)"


PATIENT_BY_LINK = _PatientByLink()


@dataclass(frozen=True)
class SentLink:
    """What the letter needs, available once: the token and the short code."""

    request: QuestionnaireRequest
    token: str
    short_code: str


# --- Unit configuration -------------------------------------------------------


def form_settings(*, unit: CareUnit | int) -> FormSettings:
    """The unit's form settings; an unsaved default when it never changed them."""
    unit_id = unit.pk if isinstance(unit, CareUnit) else unit
    found = FormSettings.objects.filter(unit=unit_id).first()
    return found or FormSettings(unit_id=unit_id)


def ensure_packages(*, unit: CareUnit) -> None:
    """Create the shipped packages of the unit's kind the first time they are needed."""
    if Package.objects.filter(unit=unit).exists():
        return
    shipped = catalogue.SHIPPED_PACKAGES.get(unit.kind, {})
    Package.objects.bulk_create(
        [
            Package(unit=unit, time_point=time_point, codes=list(codes))
            for time_point, codes in shipped.items()
        ],
        ignore_conflicts=True,
    )


def save_package(*, by: Membership, time_point: str, codes: list[str]) -> Package:
    """Set the instruments the unit sends at `time_point` (empty: none)."""
    require(by, Permission.MANAGE_UNIT, QuestionnaireRefused(ADMIN_ONLY))
    if time_point not in TimePoint.values:
        raise QuestionnaireRefused(_("Unknown time point."))
    unknown = [code for code in codes if code not in CODES]
    if unknown:
        raise QuestionnaireRefused(_("Unknown instrument: %s") % ", ".join(unknown))
    ordered = [code for code in CODES if code in codes]
    with transaction.atomic():
        package, _created = Package.objects.update_or_create(
            unit_id=by.unit_id, time_point=time_point, defaults={"codes": ordered}
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            obj=package,
            what=f"questionnaire package {time_point}",
        )
    return package


def save_form_settings(
    *, by: Membership, second_factor: str, expiry_days: int
) -> FormSettings:
    """Choose the second factor links ask for and how long they stay valid."""
    require(by, Permission.MANAGE_UNIT, QuestionnaireRefused(ADMIN_ONLY))
    with transaction.atomic():
        settings_, _created = FormSettings.objects.update_or_create(
            unit_id=by.unit_id,
            defaults={"second_factor": second_factor, "expiry_days": expiry_days},
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            obj=settings_,
            what="questionnaire settings",
        )
    return settings_


def _licensed_instrument(code: str) -> Definition:
    if code not in CODES or not definition(code).licensed_text:
        raise QuestionnaireRefused(_("This instrument's text is not licensed."))
    return definition(code)


def import_wording(
    *, by: Membership, code: str, data: bytes, now: datetime | None = None
) -> LicensedWording:
    """Read a wording file (docs/licensed-wording.md), check it against the
    instrument's questions and answer values, and store it as a new version
    for preview. Nothing changes for patients until `activate_wording`.
    Raises `wording.WordingRefused` with every problem, line by line."""
    require(by, Permission.MANAGE_UNIT, QuestionnaireRefused(ADMIN_ONLY))
    instrument = _licensed_instrument(code)
    checked = wording.read_wording(data, instrument=instrument)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            last = LicensedWording.objects.filter(unit=by.unit_id, code=code).aggregate(
                last=Max("number")
            )["last"]
            row = LicensedWording.objects.create(
                unit_id=by.unit_id,
                code=code,
                number=(last or 0) + 1,
                label=checked.label,
                instructions=checked.instructions,
                items=checked.as_json(),
                copyright_line=checked.copyright_line,
                checksum=hashlib.sha256(data).hexdigest(),
                loaded_by=by.user,
                loaded_at=now,
            )
            record(
                by=by.user,
                unit=by.unit_id,
                action=Action.CREATE,
                obj=row,
                what=f"licensed wording imported {code} version {row.number}",
            )
    except IntegrityError:  # another import took the same number at the same moment
        raise QuestionnaireRefused(
            _(
                "Someone imported a wording of the same instrument at the same time; try again."
            )
        ) from None
    return row


def activate_wording(
    *, by: Membership, licensed_wording: LicensedWording, now: datetime | None = None
) -> LicensedWording:
    """Put a previewed (or an earlier) version in use; the version in use
    until now is retired. Forms already sent keep the wording they were sent
    with."""
    require(by, Permission.MANAGE_UNIT, QuestionnaireRefused(ADMIN_ONLY))
    row = licensed_wording
    if row.unit_id != by.unit_id:
        raise QuestionnaireRefused(_("The wording belongs to another unit."))
    if row.status == LicensedWording.Status.ACTIVE:
        return row
    now = now or timezone.now()
    with transaction.atomic():
        LicensedWording.objects.filter(
            unit=by.unit_id, code=row.code, status=LicensedWording.Status.ACTIVE
        ).update(status=LicensedWording.Status.RETIRED)
        changed = LicensedWording.objects.filter(pk=row.pk, status=row.status).update(
            status=LicensedWording.Status.ACTIVE, activated_by=by.user, activated_at=now
        )
        if changed != 1:
            raise QuestionnaireRefused(_("Someone changed the wording; try again."))
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            obj=row,
            what=f"licensed wording activated {row.code} version {row.number}",
        )
    row.refresh_from_db()
    return row


def missing_wordings(*, unit_id: int, codes: list[str]) -> list[str]:
    """The licensed instruments among `codes` with no wording in use: a
    patient could not answer them, so they are not sent."""
    active = LicensedWording.objects.active_for(unit_id, codes)
    return [c for c in codes if definition(c).licensed_text and c not in active]


# --- Sending ------------------------------------------------------------------


def _new_link_values() -> tuple[str, str, dict[str, str]]:
    token, code = links.new_token(), links.new_short_code()
    return (
        token,
        code,
        {"token_hash": links.hash_token(token), "code_hash": links.hash_code(code)},
    )


def rehabilitation_dates(episode: Episode) -> tuple[date | None, date | None]:
    """The days rehabilitation started (group programme or individual) and
    ended (follow-up began), from the episode's transitions; None if not yet."""
    started = ended = None
    for to_state, at in episode.transitions.order_by("at", "pk").values_list(
        "to_state", "at"
    ):
        if to_state in (State.GROUP_PROGRAMME, State.INDIVIDUAL_REHABILITATION):
            started = started or timezone.localdate(at)
        elif to_state == State.FOLLOW_UP:
            ended = timezone.localdate(at)
    return started, ended


def _not_yet_message(not_yet: time_points.NotYet) -> str:
    if not_yet.opens_on is None:
        return _("These forms are sent once rehabilitation has reached that point.")
    return _("These forms can be sent from %(day)s.") % {
        "day": formats.date_format(not_yet.opens_on, "j F Y")
    }


def send_package(
    *, by: Membership, episode: Episode, time_point: str, today: date | None = None
) -> SentLink:
    """Create a request for the unit's package at `time_point`, valid for the
    unit's number of days. Returns the token and short code: the only time
    they exist in clear text, for the letter.
    """
    require(by, catalogue.SEND_PERMISSIONS, QuestionnaireRefused(NOT_PERMITTED))
    if episode.unit_id != by.unit_id:
        raise QuestionnaireRefused(_("The episode belongs to another unit."))
    return _send(
        episode=episode,
        time_point=time_point,
        today=today or timezone.localdate(),
        sent_by=by.user,
        actor=by.user,
    )


def send_package_for_the_unit(
    *, episode: Episode, time_point: str, actor: Any, today: date | None = None
) -> SentLink:
    """The package sent by the unit itself, with no person sending it (the
    outbox's sweep, 28 days before the new visit): `sent_by` stays empty and
    `actor` is the audit log's actor (the outbox worker). Refuses like
    `send_package`."""
    return _send(
        episode=episode,
        time_point=time_point,
        today=today or timezone.localdate(),
        sent_by=None,
        actor=actor,
    )


def time_points_before_the_visit(*, unit_ids: list[int]) -> dict[int, str]:
    """Each unit's package before the new visit, as the send page offers it:
    the registry's forms in specialist care, KRT's in primary care (whichever
    of the two the unit has with instruments in it)."""
    for unit in CareUnit.objects.filter(pk__in=unit_ids):
        ensure_packages(unit=unit)
    found = set(
        Package.objects.filter(unit__in=unit_ids, time_point__in=BEFORE_THE_VISIT)
        .exclude(codes=[])
        .values_list("unit_id", "time_point")
    )
    chosen: dict[int, str] = {}
    for time_point in BEFORE_THE_VISIT:  # in the order preferred
        for unit_id, found_at in sorted(found):
            if found_at == time_point:
                chosen.setdefault(unit_id, time_point)
    return chosen


def _send(  # noqa: PLR0913 - one request's facts
    *, episode: Episode, time_point: str, today: date, sent_by: Any, actor: Any
) -> SentLink:
    unit_id = episode.unit_id
    started_on, ended_on = rehabilitation_dates(episode)
    if time_point == TimePoint.KRT_3_MONTHS:
        # KRT's 3-month follow-up counts from the end of the cohort's training
        # month (core.windows.krt_follow_up_reference), as its schedule does.
        ended_on = follow_up_reference_on(episode)
    if not episode.is_open and not (
        time_point in time_points.OUTLIVE_DISCHARGE and ended_on is not None
    ):
        raise QuestionnaireRefused(_("The episode is closed."), field="time_point")
    try:
        time_points.check_window(
            time_point, started_on=started_on, ended_on=ended_on, today=today
        )
    except time_points.NotYet as not_yet:
        raise QuestionnaireRefused(
            _not_yet_message(not_yet), field="time_point"
        ) from None
    ensure_packages(unit=episode.unit)
    package = Package.objects.filter(unit=unit_id, time_point=time_point).first()
    if package is None or not package.codes:
        raise QuestionnaireRefused(
            _("The unit sends no questionnaires at this time point."),
            field="time_point",
        )
    wordings = LicensedWording.objects.active_for(unit_id, package.codes)
    missing = [
        definition(c).name_sv
        for c in package.codes
        if definition(c).licensed_text and c not in wordings
    ]
    if missing:
        raise QuestionnaireRefused(
            ngettext(
                "The questions of %(names)s are not imported, so the patient could "
                "not answer them. The unit administrator imports the licensed "
                "wording under questionnaire settings; then send again.",
                "The questions of these questionnaires are not imported, so the "
                "patient could not answer them: %(names)s. The unit administrator "
                "imports the licensed wording under questionnaire settings; then "
                "send again.",
                len(missing),
            )
            % {"names": ", ".join(missing)},
            field="time_point",
        )
    unit_settings = form_settings(unit=unit_id)
    token, code, hashes = _new_link_values()
    with transaction.atomic():
        # One sender at a time per episode (the sweep and a person may both
        # send): the episode's row is locked before looking for an open request.
        Episode.objects.select_for_update().filter(pk=episode.pk).first()
        already = QuestionnaireRequest.objects.filter(
            episode=episode, time_point=time_point, status__in=ANSWERABLE
        ).exists()
        if already:
            raise QuestionnaireRefused(
                _(
                    "A request for this time point is already open; give the patient a "
                    "new link to it instead."
                ),
                field="time_point",
            )
        request = QuestionnaireRequest.objects.create(
            unit_id=unit_id,
            episode=episode,
            time_point=time_point,
            codes=list(package.codes),
            wordings=wordings,
            second_factor=unit_settings.second_factor,
            sent_on=today,
            expires_on=today + timedelta(days=unit_settings.expiry_days),
            sent_by=sent_by,
            **hashes,
        )
        record(
            by=actor,
            unit=unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=request,
            what=f"questionnaires sent {time_point}",
        )
    return SentLink(request=request, token=token, short_code=code)


def renew_link(
    *,
    by: Membership,
    questionnaire_request: QuestionnaireRequest,
    today: date | None = None,
) -> SentLink:
    """A new token and code for a request not yet submitted (a lost or expired
    letter); the old link stops working, the answers given so far are kept."""
    require(by, catalogue.SEND_PERMISSIONS, QuestionnaireRefused(NOT_PERMITTED))
    today = today or timezone.localdate()
    request = questionnaire_request
    if request.unit_id != by.unit_id:
        raise QuestionnaireRefused(_("The request belongs to another unit."))
    token, code, hashes = _new_link_values()
    unit_settings = form_settings(unit=by.unit_id)
    new_status = Status.PARTLY if request.answers.exists() else Status.OPEN
    with transaction.atomic():
        changed = QuestionnaireRequest.objects.filter(
            pk=request.pk,
            version=request.version,
            status__in=QuestionnaireRequest.OUTSTANDING,
        ).update(
            status=new_status,
            expires_on=today + timedelta(days=unit_settings.expiry_days),
            version=F("version") + 1,
            **hashes,
        )
        if changed != 1:
            raise QuestionnaireRefused(
                _("The answers are already received, or someone changed the request.")
            )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[request.episode.patient_id],
            obj=request,
            what="questionnaire link renewed",
        )
    request.refresh_from_db()
    return SentLink(request=request, token=token, short_code=code)


def close_requests_at_discharge(*, by: Membership, episode: Episode) -> int:
    """At discharge the episode's unanswered requests close: their links stop
    working and they leave the worklist; answers already saved stay. Runs in
    the discharge's transaction (`pathway.services.transitions.move_episode`)."""
    closed = QuestionnaireRequest.objects.filter(
        episode=episode, status__in=QuestionnaireRequest.OUTSTANDING
    ).update(status=Status.CLOSED, version=F("version") + 1)
    if closed:
        record(
            by=by.user,
            unit=episode.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=episode,
            what=f"{closed} questionnaire requests closed at discharge",
        )
    return closed


def expire_requests(*, today: date | None = None) -> int:
    """Mark every unanswered or partly answered request past its date as expired."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = QuestionnaireRequest.objects.filter(
            status__in=ANSWERABLE, expires_on__lt=today
        )
        rows = list(due.values_list("pk", "unit_id", "episode__patient_id"))
        count = QuestionnaireRequest.objects.filter(
            pk__in=[pk for pk, _unit, _patient in rows], status__in=ANSWERABLE
        ).update(status=Status.EXPIRED, version=F("version") + 1)
        for unit_id in sorted({unit for _pk, unit, _patient in rows}):
            record(
                by=None,
                unit=unit_id,
                action=Action.UPDATE,
                patients=[p for _pk, unit, p in rows if unit == unit_id],
                what="questionnaire links expired",
            )
    return count


# --- The patient's side -------------------------------------------------------


def find_by_token(token: str) -> QuestionnaireRequest | None:
    return (
        QuestionnaireRequest.objects.select_related("episode__patient")
        .filter(token_hash=links.hash_token(token))
        .first()
    )


def find_bound(*, request_id: int, token_hash: str) -> QuestionnaireRequest | None:
    """The request a patient's session is bound to, while its link is the same
    (a renewed link changes the hash and ends the binding)."""
    return (
        QuestionnaireRequest.objects.select_related("episode")
        .filter(pk=request_id, token_hash=token_hash)
        .first()
    )


def _attempt_allowed(
    *, request: QuestionnaireRequest | None, address: str | None, now: datetime
) -> FactorAttempt:
    """Write the attempt first, then count: concurrent guesses count too.

    Nothing is checked while locked: the caller verifies only after this
    returns. For a link the lock is per link *and* address (ATTEMPT_LIMIT),
    so nobody else can lock the patient out of their own link; only wrong
    tries from LINK_ADDRESS_LIMIT addresses lock the link itself, for
    LINK_LOCK_WINDOW. For short codes it is per address (CODE_LOOKUP_LIMIT).
    """
    attempt = FactorAttempt.objects.create(request=request, address=address, at=now)
    since = now - ATTEMPT_WINDOW
    if request is not None:
        failed = FactorAttempt.objects.filter(
            request=request, address=address, at__gte=since, succeeded=False
        ).count()
        locked = failed > ATTEMPT_LIMIT or _link_locked(request, now)
    else:
        failed = FactorAttempt.objects.filter(
            request__isnull=True, address=address, at__gte=since, succeeded=False
        ).count()
        locked = failed > CODE_LOOKUP_LIMIT
    if locked:
        raise TooManyAttempts(
            _(
                "Too many attempts. For your safety the form is locked for 15 "
                "minutes; try again later."
            )
        )
    return attempt


def _link_locked(request: QuestionnaireRequest, now: datetime) -> bool:
    """Wrong tries at this link from many addresses: someone is guessing."""
    addresses = (
        FactorAttempt.objects.filter(
            request=request, at__gte=now - LINK_LOCK_WINDOW, succeeded=False
        )
        .values("address")
        .distinct()
        .count()
    )
    return addresses >= LINK_ADDRESS_LIMIT


def verify_second_factor(
    *,
    questionnaire_request: QuestionnaireRequest,
    value: Any,
    address: str | None,
    factor: links.Factor | None = None,
    now: datetime | None = None,
) -> bool:
    """True if `value` passes the request's second factor. At most
    ATTEMPT_LIMIT wrong tries per request and address in ATTEMPT_WINDOW (then
    TooManyAttempts, even for a right value, which is not checked); counted in
    the database, so the limit holds across app servers. `factor` overrides the unit's choice (the
    short-code page has checked the code and asks for the birth date). A
    success is audited.
    """
    now = now or timezone.now()
    request = questionnaire_request
    attempt = _attempt_allowed(request=request, address=address, now=now)
    factor = factor or links.factor_for(request)
    if not factor.verify(request, value):
        return False
    with transaction.atomic():
        FactorAttempt.objects.filter(pk=attempt.pk).update(succeeded=True)
        record(
            by=PATIENT_BY_LINK,
            unit=request.unit_id,
            action=Action.VIEW,
            patients=[request.episode.patient_id],
            obj=request,
            what="patient opened questionnaire",
        )
    return True


def find_by_short_code(
    *, code: str, address: str | None, now: datetime | None = None
) -> QuestionnaireRequest | None:
    """The request whose letter carries `code`; wrong codes are rate-limited
    per address (CODE_LOOKUP_LIMIT in ATTEMPT_WINDOW), and while an address
    is locked no code it sends is looked up."""
    now = now or timezone.now()
    attempt = _attempt_allowed(request=None, address=address, now=now)
    found = (
        QuestionnaireRequest.objects.select_related("episode__patient")
        .filter(code_hash=links.hash_code(code))
        .first()
    )
    if found is not None:  # only wrong codes count against the address
        FactorAttempt.objects.filter(pk=attempt.pk).update(succeeded=True)
    return found


def parse_value(item: Item, raw: str) -> Any:
    """The stored value of one item from form text; ValueError if it is not one."""
    text = raw.strip()
    if not item.options:
        if len(text) > FREE_TEXT_MAX:
            raise ValueError(f"item {item.number}: too long")
        return text
    for option in item.options:
        if str(option.value) == text:
            return option.value
    raise ValueError(f"item {item.number}: {text!r} is not an option")


def save_answers(
    *,
    questionnaire_request: QuestionnaireRequest,
    code: str,
    answers: dict[int, Any],
    today: date | None = None,
    now: datetime | None = None,
) -> None:
    """Store the patient's answers to items of one instrument (already parsed
    with `parse_value`); one query for any number of items. Refused with
    FormClosed once the request is submitted or expired.
    """
    now = now or timezone.now()
    today = today or timezone.localdate()
    request = questionnaire_request
    if not request.is_answerable(today):
        raise FormClosed(_("The form is closed."))
    if code not in request.codes:
        raise QuestionnaireRefused(_("The form has no such questionnaire."))
    if not answers:
        return
    instrument = definition(code)
    if not set(answers) <= instrument.item_numbers:
        raise QuestionnaireRefused(_("The questionnaire has no such question."))
    rows = [
        Answer(request=request, code=code, item=n, value=v, answered_at=now)
        for n, v in sorted(answers.items())
    ]
    with transaction.atomic():
        # The status is checked again by the write that takes the row's lock,
        # before any answer is stored: a submit that came first has closed the
        # form, and one that comes later waits for this save and scores it.
        # (Checking the instance read before the submit let an autosave change
        # answers after they were scored.)
        still_open = QuestionnaireRequest.objects.filter(
            pk=request.pk, status__in=ANSWERABLE, expires_on__gte=today
        ).update(status=Status.PARTLY)
        if still_open != 1:
            raise FormClosed(_("The form is closed."))
        request.status = Status.PARTLY
        Answer.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["request", "code", "item"],
            update_fields=["value", "answered_at"],
        )
        record(
            by=PATIENT_BY_LINK,
            unit=request.unit_id,
            action=Action.UPDATE,
            patients=[request.episode.patient_id],
            obj=request,
            what=f"answers saved {code}",
        )


def _result(
    *,
    request: QuestionnaireRequest | None,
    episode: Episode,
    unit_id: int,
    time_point: str,
    code: str,
    answers: dict[int, Any],
    source: str,
    answered_on: date,
    recorded_by: Any,
    now: datetime,
    wording_id: int | None = None,
) -> Result:
    """Score one instrument and build (not save) its result row."""
    instrument = definition(code)
    scored_only = {n: v for n, v in answers.items() if instrument.item(n).is_scored}
    try:
        scored = score(code, scored_only)
    except ValueError as error:  # an answer the current definition no longer has
        return Result(
            unit_id=unit_id,
            episode=episode,
            request=request,
            time_point=time_point,
            code=code,
            definition_version=instrument.version,
            wording_id=wording_id,
            answers={str(n): v for n, v in answers.items()},
            total=None,
            valid=False,
            reason=str(error)[:300],
            source=source,
            answered_on=answered_on,
            recorded_by=recorded_by,
            recorded_at=now,
        )
    return Result(
        unit_id=unit_id,
        episode=episode,
        request=request,
        time_point=time_point,
        code=code,
        definition_version=scored.version,
        wording_id=wording_id,
        answers={str(n): v for n, v in answers.items()},
        total=scored.total,
        subscales=scored.subscales,
        subscale_bands=scored.subscale_bands,
        band=scored.band,
        valid=scored.valid,
        reason=scored.reason[:300],
        flags=list(scored.flags),
        source=source,
        answered_on=answered_on,
        recorded_by=recorded_by,
        recorded_at=now,
    )


def submit_request(
    *,
    questionnaire_request: QuestionnaireRequest,
    expected_version: int,
    now: datetime | None = None,
) -> bool:
    """Close the request and store one scored result per instrument.

    A compare-and-set (`UPDATE … WHERE status IN (open, partly) AND
    version = expected`) decides: only the call that changed the row inserts
    results, so a double or concurrent submit stores exactly one answer set.
    Returns False when another submit (or a change) came first; the caller
    reads the status again. A constant number of queries, whatever the
    number of answers.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    request = questionnaire_request
    still_open = request.status in ANSWERABLE and request.expires_on >= today
    if still_open and not request.answers.filter(value__isnull=False).exists():
        raise NothingAnswered(_("Answer at least one question before you send."))
    with transaction.atomic():
        changed = QuestionnaireRequest.objects.filter(
            pk=request.pk,
            status__in=ANSWERABLE,
            version=expected_version,
            expires_on__gte=today,
        ).update(
            status=Status.SUBMITTED, version=expected_version + 1, submitted_at=now
        )
        if changed != 1:
            return False
        by_code: dict[str, dict[int, Any]] = {code: {} for code in request.codes}
        for code, item, value in Answer.objects.filter(request=request).values_list(
            "code", "item", "value"
        ):
            if code in by_code and value is not None:
                by_code[code][item] = value
        entered = set(
            Result.objects.filter(request=request).values_list("code", flat=True)
        )
        Result.objects.bulk_create(
            [
                _result(
                    request=request,
                    episode=request.episode,
                    unit_id=request.unit_id,
                    time_point=request.time_point,
                    code=code,
                    answers=answers,
                    source=Result.Source.PATIENT_ONLINE,
                    answered_on=today,
                    recorded_by=None,
                    now=now,
                    wording_id=request.wordings.get(code),
                )
                for code, answers in by_code.items()
                if code not in entered
            ]
        )
        record(
            by=PATIENT_BY_LINK,
            unit=request.unit_id,
            action=Action.CREATE,
            patients=[request.episode.patient_id],
            obj=request,
            what="questionnaires submitted",
        )
    request.status, request.version = Status.SUBMITTED, expected_version + 1
    return True


# --- Staff entry ----------------------------------------------------------------


def _check_answers(instrument: Definition, answers: dict[int, Any]) -> None:
    if not set(answers) <= instrument.item_numbers:
        raise QuestionnaireRefused(_("The questionnaire has no such question."))


def enter_paper_form(
    *,
    by: Membership,
    questionnaire_request: QuestionnaireRequest,
    code: str,
    answers: dict[int, Any],
    answered_on: date,
    now: datetime | None = None,
) -> Result:
    """Store one instrument of a request that came back on paper, marked as
    entered by staff. One result per instrument and request (a second entry
    is refused); when every instrument has a result the request is submitted.
    """
    require(by, catalogue.SEND_PERMISSIONS, QuestionnaireRefused(NOT_PERMITTED))
    now = now or timezone.now()
    request = questionnaire_request
    if request.unit_id != by.unit_id:
        raise QuestionnaireRefused(_("The request belongs to another unit."))
    if code not in request.codes:
        raise QuestionnaireRefused(_("The request has no such questionnaire."))
    if request.status == Status.SUBMITTED:
        raise QuestionnaireRefused(_("The answers are already received."))
    _check_answers(definition(code), answers)
    result = _result(
        request=request,
        episode=request.episode,
        unit_id=request.unit_id,
        time_point=request.time_point,
        code=code,
        answers=answers,
        source=Result.Source.PAPER,
        answered_on=answered_on,
        recorded_by=by.user,
        now=now,
        wording_id=request.wordings.get(code)
        or LicensedWording.objects.active_for(by.unit_id, [code]).get(code),
    )
    try:
        with transaction.atomic():
            result.save()
            done = set(
                Result.objects.filter(request=request).values_list("code", flat=True)
            )
            still_open = QuestionnaireRequest.objects.filter(
                pk=request.pk, status__in=QuestionnaireRequest.OUTSTANDING
            )
            if done >= set(request.codes):
                still_open.update(
                    status=Status.SUBMITTED,
                    version=F("version") + 1,
                    submitted_at=now,
                )
            else:
                still_open.update(status=Status.PARTLY)
            record(
                by=by.user,
                unit=by.unit_id,
                action=Action.CREATE,
                patients=[request.episode.patient_id],
                obj=result,
                what=f"paper form entered {code}",
            )
    except IntegrityError:
        raise QuestionnaireRefused(
            _("This questionnaire is already entered for the request.")
        ) from None
    return result


def record_staff_rating(
    *,
    by: Membership,
    episode: Episode,
    time_point: str,
    code: str,
    answers: dict[int, Any],
    rated_on: date,
    now: datetime | None = None,
) -> Result:
    """Store a clinician-rated instrument (MADRS, Borg RPE), marked as staff-rated."""
    if code not in catalogue.STAFF_RATED:
        raise QuestionnaireRefused(_("This instrument is not rated by staff."))
    require(by, catalogue.STAFF_RATED[code], QuestionnaireRefused(NOT_PERMITTED))
    if episode.unit_id != by.unit_id:
        raise QuestionnaireRefused(_("The episode belongs to another unit."))
    if time_point not in TimePoint.values:
        raise QuestionnaireRefused(_("Unknown time point."), field="time_point")
    _check_answers(definition(code), answers)
    now = now or timezone.now()
    result = _result(
        request=None,
        episode=episode,
        unit_id=episode.unit_id,
        time_point=time_point,
        code=code,
        answers=answers,
        source=Result.Source.STAFF_RATED,
        answered_on=rated_on,
        recorded_by=by.user,
        now=now,
        wording_id=LicensedWording.objects.active_for(by.unit_id, [code]).get(code),
    )
    with transaction.atomic():
        result.save()
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=result,
            what=f"staff rating {code}",
        )
    return result
