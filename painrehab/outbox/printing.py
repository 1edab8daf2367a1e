"""The daily print batch: every final letter not yet sent, in one PDF, each
letter followed by its enclosure (the signed plan with the copy to
Försäkringskassan), as stored — nothing is rebuilt. The letters are marked
sent by post when the coordinator confirms that the batch was printed.

A letter the outbox queued (the absence warning) is decided again when the
batch is made (`drop_letters_not_due`): one no longer due is marked out of
date, with the reason, and leaves the batch.

Beside each letter to a patient with forms still open goes the patient's
questionnaire sheet: how to answer online, with the address and a personal
code. Codes are stored only hashed, so the sheet carries a fresh code made
when the batch is made (`questionnaires.services.renew_link`); the code on
any earlier letter or sheet stops working, and the print page says so. Both
the letter and the sheet name the patient, so envelopes cannot be mixed up;
the sheet shows the personnummer without the birth date when the birth date
is what the form asks for with the code.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.documents.models import (
    PROTECTED_ROUTE,
    Letter,
    LetterDispatch,
    Recipient,
)
from painrehab.documents.render import Letterhead, render_document_pdf
from painrehab.documents.services import record_dispatch
from painrehab.outbox import services
from painrehab.outbox.models import Channel, Message
from painrehab.outbox.sweep import follow_moved_visits
from painrehab.patients.models import Patient
from painrehab.questionnaires import links
from painrehab.questionnaires import services as questionnaires
from painrehab.questionnaires.models import QuestionnaireRequest, SecondFactor
from painrehab.questionnaires.scoring import definition


def letters_to_post(*, unit_id: int) -> QuerySet[Letter]:
    sent = LetterDispatch.objects.filter(letter=OuterRef("pk"))
    return (
        Letter.objects.filter(
            unit_id=unit_id, finalised_at__isnull=False, stale_note=""
        )
        .filter(~Exists(sent))
        .select_related("patient__contact_preference", "unit")
        .order_by("recipient_name", "pk")
    )


@dataclass(frozen=True)
class Sheet:
    """A questionnaire sheet: the request and the code printed on it."""

    request: QuestionnaireRequest
    short_code: str


def open_requests(*, unit_id: int, patient_ids: list[int], today: date) -> QuerySet:
    """The patients' questionnaire requests that can still be answered."""
    return (
        QuestionnaireRequest.objects.filter(
            unit_id=unit_id,
            episode__patient_id__in=patient_ids,
            status__in=[
                QuestionnaireRequest.Status.OPEN,
                QuestionnaireRequest.Status.PARTLY,
            ],
            expires_on__gte=today,
        )
        .select_related("episode__patient", "unit")
        .order_by("sent_on", "pk")
    )


def make_sheets(
    *, by: Membership, letters: list[Letter], today: date | None = None
) -> dict[int, list[Sheet]]:
    """A fresh code for each open request of a patient the batch writes to,
    by the letter that carries its sheet (the patient's first letter in the
    batch). The earlier code of each request stops working."""
    today = today or timezone.localdate()
    first_letter: dict[int, int] = {}
    for letter in letters:
        if letter.recipient == Recipient.PATIENT:
            first_letter.setdefault(letter.patient_id, letter.pk)
    sheets: dict[int, list[Sheet]] = {}
    for request in open_requests(
        unit_id=by.unit_id, patient_ids=list(first_letter), today=today
    ):
        try:
            sent = questionnaires.renew_link(
                by=by, questionnaire_request=request, today=today
            )
        except questionnaires.QuestionnaireRefused:
            continue  # answered meanwhile, or not this member's to send
        letter_id = first_letter[request.episode.patient_id]
        sheets.setdefault(letter_id, []).append(Sheet(sent.request, sent.short_code))
    # A fresh code before a visit works until the visit, as the sweep keeps
    # it: the printed last day is never before the visit.
    renewed = [sheet.request for found in sheets.values() for sheet in found]
    if follow_moved_visits(today, request_ids=[r.pk for r in renewed]):
        last_days = dict(
            QuestionnaireRequest.objects.filter(
                pk__in=[r.pk for r in renewed]
            ).values_list("pk", "expires_on")
        )
        for request in renewed:
            request.expires_on = last_days[request.pk]
    return sheets


def shown_personnummer(patient: Patient, request: QuestionnaireRequest) -> str:
    """The personnummer as the sheet prints it: without the birth date when
    the birth date is what the form asks for with the code (every way but
    e-ID), so a lost envelope does not hold both."""
    if request.second_factor == SecondFactor.EID:
        return patient.formatted_personnummer
    return patient.masked_personnummer


def sheet_pdf(sheet: Sheet, *, public_url: str) -> bytes:
    """The questionnaire sheet, in Swedish: whose it is, where and with which
    code to answer, until when, and which questionnaires."""
    request = sheet.request
    patient, unit = request.episode.patient, request.unit
    code_url = public_url.rstrip("/") + reverse("patient_form:code")
    with translation.override("sv"):
        who = _("%(name)s, personnummer %(personnummer)s") % {
            "name": patient.full_name,
            "personnummer": shown_personnummer(patient, request),
        }
        values = {"url": code_url, "day": request.expires_on}
        if links.factor_for(request).leaves_the_page:
            after = _(
                "Then log in with your e-ID. The code works until %(day)s. It "
                "replaces any code you got from us before."
            )
        else:
            after = _(
                "You will be asked for your date of birth. The code works until "
                "%(day)s. It replaces any code you got from us before."
            )
        how = "\n\n".join(
            [
                _(
                    "Go to %(url)s on your phone or computer and type your personal code:"
                )
                % values,
                sheet.short_code,
                after % values,
            ]
        )
        call = (
            _("Call us at %(phone)s and we will send the forms on paper.")
            % {"phone": unit.phone}
            if unit.phone
            else _("Call us and we will send the forms on paper.")
        )
        sections = [
            (_("For"), who),
            (_("How to answer"), how),
            (
                _("The questionnaires"),
                "\n".join(f"- {definition(code).title}" for code in request.codes),
            ),
            (
                _("If you cannot answer online"),
                call,
            ),
        ]
        title = _("Answer the questionnaires online")
    return render_document_pdf(
        letterhead=Letterhead(
            unit_name=unit.name,
            address_lines=unit.letterhead_address.splitlines(),
            phone=unit.phone,
        ),
        title=title,
        sections=sections,
        date=timezone.localdate(),
        reference=who,
    )


def forwarding_page(letter: Letter) -> bytes:
    """The address page of a letter to a patient with protected identity
    (skyddad personuppgift): no address, only whom it is for and that it
    goes through the Tax Agency, which forwards it. The unit's own routine
    for such letters says how the envelopes are made."""
    patient = letter.patient
    with translation.override("sv"):
        who = _("%(name)s, personnummer %(personnummer)s") % {
            "name": patient.full_name,
            "personnummer": patient.formatted_personnummer,
        }
        sections = [
            (_("For"), who),
            (_("Sent through"), PROTECTED_ROUTE),
            (
                _("How to post it"),
                _(
                    "The patient has protected personal data: the address is not "
                    "shown. Put the letter in an envelope marked with the name and "
                    "personnummer above, and that envelope in an envelope to the Tax "
                    "Agency's forwarding service. The unit's routine for letters to "
                    "persons with protected personal data applies."
                ),
            ),
        ]
        title = _("Letter to be forwarded by the Tax Agency")
    unit = letter.unit
    return render_document_pdf(
        letterhead=Letterhead(
            unit_name=unit.name,
            address_lines=unit.letterhead_address.splitlines(),
            phone=unit.phone,
        ),
        title=title,
        sections=sections,
        date=timezone.localdate(),
        reference=who,
    )


def print_batch(
    letters: list[Letter],
    *,
    sheets: dict[int, list[Sheet]] | None = None,
    public_url: str = "",
) -> bytes:
    """One PDF: each letter (after its forwarding page when the patient has
    protected identity), then its enclosure, then the patient's
    questionnaire sheets."""
    writer = PdfWriter()
    for letter in letters:
        if (
            letter.recipient == Recipient.PATIENT
            and letter.patient.has_protected_identity
        ):
            writer.append(PdfReader(io.BytesIO(forwarding_page(letter))))
        writer.append(PdfReader(io.BytesIO(bytes(cast("bytes", letter.pdf)))))
        if letter.enclosure_sha256:
            writer.append(
                PdfReader(io.BytesIO(bytes(cast("bytes", letter.enclosure_pdf))))
            )
        for sheet in (sheets or {}).get(letter.pk, []):
            pdf = sheet_pdf(sheet, public_url=public_url)
            writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _queued_post(unit_id: int) -> QuerySet[Message]:
    return Message.objects.filter(
        unit_id=unit_id, channel=Channel.POST, state=Message.State.QUEUED
    ).exclude(letter=None)


def drop_letters_not_due(*, unit_id: int, now: datetime | None = None) -> int:
    """Queued post messages whose check says they are no longer due are
    stopped, and their letters marked out of date with the reason; the
    number dropped."""
    now = now or timezone.now()
    dropped = 0
    for message in _queued_post(unit_id).filter(send_after__lte=now):
        reason = services.reason_not_due(message, now)
        if not reason:
            continue
        assert message.letter_id is not None  # _queued_post: post with a letter
        with transaction.atomic():
            Letter.objects.filter(pk=message.letter_id, stale_note="").update(
                stale_note=reason[:300]
            )
            services.stop_not_due(message, reason=reason)
        dropped += 1
    return dropped


def confirm_printed(*, by: Membership, letter_ids: list[int]) -> int:
    """The batch was printed and posted: each of its letters is sent by post."""
    letters = list(letters_to_post(unit_id=by.unit_id).filter(pk__in=letter_ids))
    with transaction.atomic():
        for letter in letters:
            record_dispatch(by=by, letter=letter, channel=LetterDispatch.Channel.POST)
        for message in _queued_post(by.unit_id).filter(letter__in=letters):
            services.mark_posted(message, by=by)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.PRINT,
            patients=sorted({letter.patient_id for letter in letters}),
            what=f"print batch confirmed: {len(letters)} letters",
        )
    return len(letters)
