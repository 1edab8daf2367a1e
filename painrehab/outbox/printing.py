"""The daily print batch: every final letter not yet sent, in one PDF, each
letter followed by its enclosure (the signed plan with the copy to
Försäkringskassan), as stored — nothing is rebuilt. The letters are marked
sent by post when the coordinator confirms that the batch was printed.

A letter the outbox queued (the absence warning) is decided again when the
batch is made (`drop_letters_not_due`): one no longer due is marked out of
date, with the reason, and leaves the batch."""

import io
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.documents.models import Letter, LetterDispatch
from painrehab.documents.services import record_dispatch
from painrehab.outbox import services
from painrehab.outbox.models import Channel, Message


def letters_to_post(*, unit_id: int) -> QuerySet[Letter]:
    sent = LetterDispatch.objects.filter(letter=OuterRef("pk"))
    return (
        Letter.objects.filter(
            unit_id=unit_id, finalised_at__isnull=False, stale_note=""
        )
        .filter(~Exists(sent))
        .select_related("patient")
        .order_by("recipient_name", "pk")
    )


def print_batch(letters: list[Letter]) -> bytes:
    """One PDF: each letter, then its enclosure."""
    writer = PdfWriter()
    for letter in letters:
        writer.append(PdfReader(io.BytesIO(bytes(letter.pdf))))
        if letter.enclosure_sha256:
            writer.append(PdfReader(io.BytesIO(bytes(letter.enclosure_pdf))))
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
