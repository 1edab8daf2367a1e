"""The letters engine: draft from a unit's template, edit, finalise, print, send.

A draft can be edited; finalising renders the PDF once, stores it with its
SHA-256 checksum and makes the letter immutable. Every step is audited.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.history import StaleEdit
from painrehab.core.refusals import Refused
from painrehab.documents.defaults import DEFAULT_TEMPLATES
from painrehab.documents.letter_values import (
    letter_facts,
    letter_values,
    letter_values_for_time,
)
from painrehab.documents.models import (
    PROTECTED_ROUTE,
    Letter,
    LetterDispatch,
    LetterKind,
    LetterTemplate,
    Recipient,
)
from painrehab.documents.placeholders import fill, unknown_placeholders
from painrehab.documents.render import Letterhead, render_letter_pdf
from painrehab.documents.render import Recipient as RecipientBlock
from painrehab.pathway.models import Booking, Episode

# The agency's central scanning address for incoming documents.
FORSAKRINGSKASSAN_ADDRESS = "Inläsningscentralen\n839 88 Östersund"


@dataclass(frozen=True)
class Enclosure:
    """A stored document sent with a letter as it is (its checksum travels too)."""

    name: str
    pdf: bytes
    sha256: str

    def fields(self) -> dict[str, object]:
        return {
            "enclosure_name": self.name,
            "enclosure_pdf": self.pdf,
            "enclosure_sha256": self.sha256,
        }


def signed_plan_enclosure(plan: Any, *, number: int) -> Enclosure:
    """The signed rehabilitation plan as it was stored when signed."""
    with translation.override("sv"):  # letters are Swedish whatever the UI
        name = _("Rehabilitation plan signed %(day)s (version %(number)s)") % {
            "day": plan.signed_on.isoformat(),
            "number": number,
        }
    return Enclosure(name=name, pdf=bytes(plan.signed_pdf), sha256=plan.signed_sha256)


class LetterRefused(Refused):
    """A letter change the rules refuse."""


def active_template(*, unit_id: int, kind: str) -> dict[str, str]:
    """The unit's newest saved version of a letter text, else the shipped default."""
    saved = (
        LetterTemplate.objects.filter(unit_id=unit_id, kind=kind)
        .order_by("-version")
        .first()
    )
    default = DEFAULT_TEMPLATES[kind]
    if saved is None:
        return {**default, "version": "standard"}
    return {
        "recipient": default["recipient"],
        "subject": saved.subject,
        "body": saved.body,
        "version": f"v{saved.version}",
    }


def save_template(
    *, by: Membership, kind: str, subject: str, body: str
) -> LetterTemplate:
    """Save a new version of the unit's text for `kind`; older versions stay."""
    if Permission.MANAGE_UNIT not in by.permissions:
        raise LetterRefused(_("Only the unit administrator may change letter texts."))
    unknown = unknown_placeholders(f"{subject}\n{body}")
    if unknown:
        raise LetterRefused(
            _(
                "The text uses %(unknown)s, which the system cannot fill in. Use only the placeholders listed beside the text."
            )
            % {"unknown": ", ".join(unknown)}
        )
    with transaction.atomic():
        latest = LetterTemplate.objects.filter(unit_id=by.unit_id, kind=kind).count()
        template = LetterTemplate.objects.create(
            unit_id=by.unit_id,
            kind=kind,
            version=latest + 1,
            subject=subject,
            body=body,
            saved_by=by.user,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            obj=template,
            what=f"letter text {kind}",
        )
    return template


def _recipient_block(
    *, episode: Episode, recipient: str, extra: dict[str, Any] | None = None
) -> tuple[str, str]:
    patient = episode.patient
    if recipient == Recipient.PATIENT:
        if patient.has_protected_identity:  # no address: the Tax Agency forwards
            return patient.full_name, PROTECTED_ROUTE
        if not patient.has_postal_address:
            raise LetterRefused(
                _(
                    "The patient has no postal address. Add the address before the letter is written."
                )
            )
        return (
            patient.full_name,
            f"{patient.street_address}\n{patient.postal_code} {patient.city}",
        )
    if recipient == Recipient.FORSAKRINGSKASSAN:
        return "Försäkringskassan", FORSAKRINGSKASSAN_ADDRESS
    if recipient == Recipient.EMPLOYER:
        employer = str((extra or {}).get("employer_name", "")).strip()
        employer_address = str((extra or {}).get("employer_address", "")).strip()
        if not employer or not employer_address:
            raise LetterRefused(_("Give the employer's name and postal address."))
        return employer, employer_address
    referral = getattr(episode, "referral", None)
    if referral is not None and referral.source == "own_request":
        raise LetterRefused(
            _(
                "The patient came on their own request: there is no referrer to write to."
            )
        )
    if referral is None or not referral.referrer_address.strip():
        raise LetterRefused(
            _(
                "The referral has no referrer address. Add it to the referral before the letter is written."
            )
        )
    name = referral.referrer_name or referral.referrer_unit
    lines = (
        [referral.referrer_unit]
        if referral.referrer_unit and referral.referrer_name
        else []
    )
    return name, "\n".join([*lines, referral.referrer_address.strip()])


def draft_letter(
    *,
    by: Membership,
    episode: Episode,
    kind: str,
    extra: dict[str, Any] | None = None,
    today: date | None = None,
    enclosure: Enclosure | None = None,
) -> Letter:
    """Write a draft of `kind` for the episode from the unit's current text.

    An enclosure goes with the letter byte for byte (the signed plan).
    Refuses when the recipient has no postal address.
    """
    today = today or timezone.localdate()
    if Permission.WRITE_LETTERS not in by.permissions:
        raise LetterRefused(_("Your profession in this unit may not write letters."))
    if by.unit_id != episode.unit_id:
        raise LetterRefused(_("This episode belongs to another unit."))
    if kind == LetterKind.PLAN_COPY_FK and enclosure is None:
        # The copy to Försäkringskassan is the plan as signed, whoever drafts it.
        plan = getattr(episode, "plan", None)
        if plan is None or not plan.signed_sha256:
            raise LetterRefused(
                _(
                    "The plan is not signed yet: the copy to Försäkringskassan "
                    "is the signed plan."
                )
            )
        enclosure = signed_plan_enclosure(
            plan, number=max(plan.signed_versions.count(), 1)
        )
    return _write_draft(
        episode=episode,
        kind=kind,
        extra=extra,
        today=today,
        enclosure=enclosure,
        author=by.user,
        signature=f"{by.user.get_full_name()}\n{by.get_profession_display()}",
        actor=by.user,
    )


@dataclass(frozen=True)
class NotDrafted:
    """A letter the rules would not draft, and why (no postal address, …)."""

    kind: str
    reason: StrOrPromise

    def __str__(self) -> str:
        return f"{LetterKind(self.kind).label}: {self.reason}"


@dataclass(frozen=True)
class Drafts:
    """The letters a step drafted, and those it could not."""

    letters: list[Letter]
    not_drafted: list[NotDrafted]

    @property
    def problems(self) -> list[str]:
        """Each letter not drafted, named by its kind and why: for the user."""
        return [str(missing) for missing in self.not_drafted]

    @property
    def reasons(self) -> list[StrOrPromise]:
        """Why each letter was not drafted, without its kind (a step with one letter)."""
        return [missing.reason for missing in self.not_drafted]


def draft_letters_for(
    *,
    by: Membership,
    episode: Episode,
    kinds: Iterable[str],
    extra: dict[str, Any] | None = None,
    today: date | None = None,
) -> Drafts:
    """Draft the letters a step writes, each from the unit's current text.

    Called inside the step's `transaction.atomic()`, so the step's change and
    its letters are kept or lost together: an error rolls back both. A letter
    the rules refuse (`LetterRefused`: no postal address, no right to write
    letters) is no error: the step stands, and the reason is returned for the
    user. Each letter is drafted in a savepoint, so a refused one leaves nothing.
    """
    letters: list[Letter] = []
    not_drafted: list[NotDrafted] = []
    for kind in kinds:
        try:
            with transaction.atomic():
                letters.append(
                    draft_letter(
                        by=by, episode=episode, kind=kind, extra=extra, today=today
                    )
                )
        except LetterRefused as refusal:
            not_drafted.append(NotDrafted(kind=kind, reason=refusal.message))
    return Drafts(letters=letters, not_drafted=not_drafted)


def draft_letter_for_the_unit(
    *, episode: Episode, kind: str, actor: Any, extra: dict[str, Any] | None = None,
    today: date | None = None,
) -> Letter:  # fmt: skip
    """A draft written by the system from the unit's text (the outbox's
    absence warning): no author, signed with the unit's name; a person with
    the right to write letters finalises it before it goes out. `actor` is
    the audit log's actor (the outbox worker). Refuses like `draft_letter`
    when the recipient has no postal address."""
    return _write_draft(
        episode=episode,
        kind=kind,
        extra=extra,
        today=today or timezone.localdate(),
        enclosure=None,
        author=None,
        signature=episode.unit.name,
        actor=actor,
    )


def _write_draft(  # noqa: PLR0913 - one draft's facts
    *, episode: Episode, kind: str, extra: dict[str, Any] | None, today: date,
    enclosure: Enclosure | None, author: Any, signature: str, actor: Any,
) -> Letter:  # fmt: skip
    template = active_template(unit_id=episode.unit_id, kind=kind)
    name, address = _recipient_block(
        episode=episode, recipient=template["recipient"], extra=extra
    )
    values = letter_values(letter_facts(episode=episode, extra=extra, today=today))
    with (
        translation.override("sv"),
        transaction.atomic(),
    ):  # letters are Swedish whatever the UI
        letter = Letter.objects.create(
            unit_id=episode.unit_id,
            patient_id=episode.patient_id,
            episode=episode,
            kind=kind,
            template_version=template["version"],
            recipient=template["recipient"],
            recipient_name=name,
            recipient_address=address,
            subject=fill(template["subject"], values).replace("\n", " "),
            body=fill(template["body"], values),
            signature=signature,
            letter_date=today,
            created_by=author,
            **(enclosure.fields() if enclosure else {}),
        )
        record(
            by=actor,
            unit=episode.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=letter,
            what=f"letter drafted: {kind}",
        )
    return letter


def update_draft(
    *, by: Membership, letter: Letter, expected_version: int, **fields: str
) -> Letter:
    """Change a draft's text; refused once final or when someone saved in between."""
    if letter.is_final:
        raise LetterRefused(_("The letter is final and cannot be changed."))
    allowed = ["recipient_name", "recipient_address", "subject", "body", "signature"]
    values = {k: v for k, v in fields.items() if k in allowed}
    with transaction.atomic():
        changed = Letter.objects.filter(
            pk=letter.pk, version=expected_version, finalised_at__isnull=True
        ).update(version=expected_version + 1, **values)
        if changed != 1:
            raise StaleEdit
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[letter.patient_id],
            obj=letter,
            what="letter draft edited",
        )
    for key, value in values.items():
        setattr(letter, key, value)
    letter.version = expected_version + 1
    return letter


def render_pdf(letter: Letter) -> bytes:
    """The letter as PDF from its current text (the stored PDF once final)."""
    if letter.is_final:
        if letter.pdf is None:
            raise ValueError(f"Final letter {letter.pk} has no stored PDF.")
        return bytes(letter.pdf)
    unit = letter.unit
    return render_letter_pdf(
        letterhead=Letterhead(
            unit_name=unit.name,
            address_lines=unit.letterhead_address.splitlines(),
            phone=unit.phone,
        ),
        recipient=RecipientBlock(
            name=letter.recipient_name, address_lines=letter.address_lines
        ),
        date=letter.letter_date,
        subject=letter.subject,
        body=letter.body,
        signature=letter.signature,
        reference=_reference(letter),
    )


# Letters that go out with the questionnaire link and code: the personnummer
# is left off, since the birth date it holds can be the link's second factor.
WITH_THE_LINK = frozenset({LetterKind.INVITATION})


# Letters the system drafts to the patient for the print batch, where the
# questionnaire sheet may go beside them: the personnummer without the birth
# date, as the sheet shows it.
MASKED_REFERENCE = frozenset({LetterKind.ABSENCE_WARNING})


def _reference(letter: Letter) -> str:
    if letter.kind in WITH_THE_LINK:
        return ""
    if letter.kind in MASKED_REFERENCE:
        return letter.patient.masked_personnummer
    return letter.patient.formatted_personnummer


def finalise_letter(
    *, by: Membership, letter: Letter, now: datetime | None = None
) -> Letter:
    """Render and store the PDF with its checksum; the letter is immutable afterwards."""
    now = now or timezone.now()
    if Permission.WRITE_LETTERS not in by.permissions:
        raise LetterRefused(_("Your profession in this unit may not write letters."))
    if letter.is_final:
        raise LetterRefused(_("The letter is already final."))
    if letter.stale_note:
        raise LetterRefused(letter.stale_note)
    pdf = render_pdf(letter)
    checksum = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        changed = Letter.objects.filter(
            pk=letter.pk, version=letter.version, finalised_at__isnull=True
        ).update(pdf=pdf, sha256=checksum, finalised_at=now, finalised_by=by.user)
        if changed != 1:
            raise StaleEdit
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[letter.patient_id],
            obj=letter,
            what="letter finalised",
        )
    letter.pdf, letter.sha256, letter.finalised_at, letter.finalised_by = (
        pdf,
        checksum,
        now,
        by.user,
    )
    return letter


def record_dispatch(
    *, by: Membership, letter: Letter, channel: str, now: datetime | None = None
) -> LetterDispatch:
    """Log that a final letter was sent (to whom, how)."""
    if not letter.is_final:
        raise LetterRefused(_("Finalise the letter before it is sent."))
    if letter.stale_note:
        raise LetterRefused(letter.stale_note)
    with transaction.atomic():
        dispatch = LetterDispatch.objects.create(
            letter=letter,
            channel=channel,
            sent_to=letter.recipient_name,
            sent_by=by.user,
            sent_at=now or timezone.now(),
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.EXPORT,
            patients=[letter.patient_id],
            obj=letter,
            what=f"letter sent by {channel}",
        )
        if letter.kind == LetterKind.INVITATION and letter.episode_id:
            _invitation_went_out(
                by=by,
                letter=letter,
                episode_id=letter.episode_id,
                on=timezone.localdate(now),
            )
    return dispatch


def _invitation_went_out(
    *, by: Membership, letter: Letter, episode_id: int, on: date
) -> None:
    """The invitation letter went out: the booked visit it invites to has its
    invitation sent (it leaves the worklist and the episode page says so)."""
    bookings = list(
        Booking.objects.filter(
            episode_id=episode_id,
            status=Booking.Status.BOOKED,
            kind__in=[Booking.Kind.NEW_VISIT, Booking.Kind.RETURN_VISIT],
            invitation_sent_on__isnull=True,
        )
    )
    for booking in bookings:
        Booking.objects.filter(pk=booking.pk).update(invitation_sent_on=on)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[letter.patient_id],
            obj=booking,
            what="invitation sent",
        )


def letters_naming_a_visit(*, episode: Episode, starts_at: datetime) -> list[Letter]:
    """The episode's invitations that name the visit at `starts_at`, as the
    placeholders write it ("måndag 4 januari 2027 kl. 09:30")."""
    when = visit_time_text(starts_at)
    return [
        letter
        for letter in Letter.objects.filter(episode=episode, kind=LetterKind.INVITATION)
        if when in letter.body
    ]


def visit_time_text(starts_at: datetime) -> str:
    values = letter_values_for_time(starts_at)
    return f"{values['besöksdatum']} kl. {values['besökstid']}"


def reschedule_letters(
    *, by: Membership, episode: Episode, old: datetime, new: datetime | None
) -> None:
    """A visit moved (`new`) or cancelled (None): drafts naming the old time
    are rewritten with the new one, or marked out of date; final letters are
    marked out of date, so a new invitation is written."""
    old_text = visit_time_text(old)
    new_text = visit_time_text(new) if new is not None else ""
    for letter in letters_naming_a_visit(episode=episode, starts_at=old):
        if not letter.is_final and new is not None:
            Letter.objects.filter(pk=letter.pk).update(
                body=letter.body.replace(old_text, new_text),
                version=letter.version + 1,
            )
            what = "letter redrafted: visit moved"
        else:
            note = (
                _(
                    "The visit this letter names was moved to %(when)s: write a new invitation."
                )
                % {"when": new_text}
                if new is not None
                else _("The visit this letter names was cancelled.")
            )
            Letter.objects.filter(pk=letter.pk).update(stale_note=note)
            what = "letter marked out of date"
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=letter,
            what=what,
        )
