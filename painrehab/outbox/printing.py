"""The daily print batch: every final letter not yet sent, in one PDF, each
letter followed by its enclosure (the signed plan with the copy to
Försäkringskassan), as stored — nothing is rebuilt. The letters are marked
sent by post when the coordinator confirms that the batch was printed."""

import io

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from pypdf import PdfReader, PdfWriter

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.documents.models import Letter, LetterDispatch
from painrehab.documents.services import record_dispatch


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


def confirm_printed(*, by: Membership, letter_ids: list[int]) -> int:
    """The batch was printed and posted: each of its letters is sent by post."""
    letters = list(letters_to_post(unit_id=by.unit_id).filter(pk__in=letter_ids))
    with transaction.atomic():
        for letter in letters:
            record_dispatch(by=by, letter=letter, channel=LetterDispatch.Channel.POST)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.PRINT,
            patients=sorted({letter.patient_id for letter in letters}),
            what=f"print batch confirmed: {len(letters)} letters",
        )
    return len(letters)
