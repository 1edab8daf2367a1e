"""The letters engine: draft, edit, finalise (immutable, checksum), print, send, audit."""

import hashlib
import io
from datetime import date

import pytest
from pypdf import PdfReader

from painrehab.audit.models import AuditEvent
from painrehab.core.history import StaleEdit
from painrehab.documents.models import Letter, LetterKind, LetterTemplate
from painrehab.documents.services import (
    LetterRefused,
    draft_letter,
    finalise_letter,
    record_dispatch,
    save_template,
    update_draft,
)
from painrehab.pathway.work import CLINICAL_TEXT_LETTERS
from painrehab.steps.triage.services import triage_referral


@pytest.fixture
def triaged(episode_a, physician):  # noqa: ANN001, ANN201
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    return episode_a


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_finalised_letter_stores_the_pdf_with_its_checksum_and_refuses_edits(
    triaged, coordinator
):
    letter = Letter.objects.get(kind=LetterKind.CONFIRMATION_PATIENT)
    finalise_letter(by=coordinator, letter=letter)
    stored = Letter.objects.get(pk=letter.pk)
    assert stored.is_final is True
    assert stored.pdf is not None
    assert stored.sha256 == hashlib.sha256(bytes(stored.pdf)).hexdigest()
    text = _text(bytes(stored.pdf))
    assert "Bekräftelse på mottagen remiss" in text
    assert "Anna Andersson" in text
    with pytest.raises(LetterRefused):
        update_draft(
            by=coordinator,
            letter=stored,
            expected_version=stored.version,
            body="ändrad",
        )
    with pytest.raises(LetterRefused):
        finalise_letter(by=coordinator, letter=stored)
    assert Letter.objects.get(pk=letter.pk).sha256 == stored.sha256


def test_draft_edit_is_version_checked(triaged, coordinator):
    letter = Letter.objects.get(kind=LetterKind.CONFIRMATION_PATIENT)
    update_draft(
        by=coordinator, letter=letter, expected_version=1, body="Första ändringen"
    )
    with pytest.raises(StaleEdit):
        update_draft(
            by=coordinator,
            letter=Letter.objects.get(pk=letter.pk),
            expected_version=1,
            body="Andra",
        )
    assert Letter.objects.get(pk=letter.pk).body == "Första ändringen"


def test_dispatch_needs_a_final_letter_and_is_audited(triaged, coordinator):
    letter = Letter.objects.get(kind=LetterKind.CONFIRMATION_PATIENT)
    with pytest.raises(LetterRefused):
        record_dispatch(by=coordinator, letter=letter, channel="post")
    finalise_letter(by=coordinator, letter=letter)
    record_dispatch(by=coordinator, letter=letter, channel="post")
    assert (
        AuditEvent.objects.filter(action="export", what="letter sent by post").count()
        == 1
    )


def test_letter_for_a_patient_without_address_is_refused(
    episode_a, coordinator, patient_a
):
    type(patient_a).objects.filter(pk=patient_a.pk).update(city="")
    episode_a.patient.refresh_from_db()
    with pytest.raises(LetterRefused, match="saknar postadress"):
        draft_letter(by=coordinator, episode=episode_a, kind=LetterKind.INVITATION)
    assert Letter.objects.count() == 0


def test_unit_text_is_used_from_its_next_version_and_drafts_are_audited(
    episode_a, coordinator
):
    save_template(
        by=coordinator,
        kind=LetterKind.INVITATION,
        subject="Kallelse {förnamn}",
        body="Välkommen!",
    )
    letter = draft_letter(
        by=coordinator,
        episode=episode_a,
        kind=LetterKind.INVITATION,
        today=date(2026, 11, 1),
    )
    assert (letter.subject, letter.body, letter.template_version) == (
        "Kallelse Anna",
        "Välkommen!",
        "v1",
    )
    assert LetterTemplate.objects.get().version == 1
    assert (
        AuditEvent.objects.filter(
            action="create", object_type="documents.Letter", object_id=str(letter.pk)
        ).count()
        == 1
    )


def test_only_the_unit_administrator_changes_letter_texts(physician):
    with pytest.raises(LetterRefused):
        save_template(by=physician, kind=LetterKind.INVITATION, subject="x", body="y")


def test_template_code_is_refused_before_saving(coordinator):
    with pytest.raises(LetterRefused, match="Texten använder {% if %}"):
        save_template(
            by=coordinator, kind=LetterKind.INVITATION, subject="x", body="{% if %}"
        )
    assert LetterTemplate.objects.count() == 0


def test_printing_a_letter_is_logged(client_for, coordinator, triaged):
    letter = Letter.objects.first()
    assert letter is not None
    response = client_for(coordinator).get(f"/brev/{letter.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert (
        AuditEvent.objects.filter(action="print", object_id=str(letter.pk)).count() == 1
    )


def test_letter_to_the_employer_needs_the_employer_and_is_addressed_to_them(
    client_for, coordinator, episode_a
):
    client = client_for(coordinator)
    refused = client.post(
        f"/brev/vardforlopp/{episode_a.pk}/nytt/",
        {"kind": "employer_info", "employer_name": "Exempel AB"},
    )
    assert "arbetsgivarens namn och postadress" in refused.content.decode()
    client.post(
        f"/brev/vardforlopp/{episode_a.pk}/nytt/",
        {
            "kind": "employer_info",
            "employer_name": "Exempel AB",
            "employer_address": "Box 1\n123 45 Ort",
        },
    )
    letter = Letter.objects.get(kind=LetterKind.EMPLOYER_INFO)
    assert (letter.recipient_name, letter.recipient_address) == (
        "Exempel AB",
        "Box 1\n123 45 Ort",
    )
    assert "multimodal smärtrehabilitering" in letter.body


# The employer's letter needs the employer, the copy to Försäkringskassan a
# signed plan (tested with the plan in steps/plan/tests/test_plan.py).
@pytest.mark.parametrize(
    "kind",
    [
        k
        for k in LetterKind
        if k not in {LetterKind.EMPLOYER_INFO, LetterKind.PLAN_COPY_FK}
    ],
)
def test_every_letter_kind_drafts_in_swedish_on_the_letterhead(
    kind, coordinator, episode_a
):
    from painrehab.pathway.models import Referral

    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad"
    )
    episode_a.referral.refresh_from_db()
    letter = draft_letter(by=coordinator, episode=episode_a, kind=kind)
    pdf = finalise_letter(by=coordinator, letter=letter).pdf
    assert pdf is not None
    text = _text(bytes(pdf))
    assert "Specialistteamet A" in text
    assert letter.subject.split(":")[0] in text


def test_the_invitation_that_travels_with_the_link_does_not_print_the_personnummer(
    triaged, coordinator, patient_a
):
    from painrehab.documents.services import render_pdf

    invitation = draft_letter(
        by=coordinator, episode=triaged, kind=LetterKind.INVITATION
    )
    confirmation = Letter.objects.get(kind=LetterKind.CONFIRMATION_PATIENT)
    number = patient_a.formatted_personnummer
    assert number not in _text(render_pdf(invitation))
    assert number in _text(render_pdf(confirmation))


def test_finalise_makes_final_exactly_what_is_on_the_screen(
    client_for, coordinator, triaged
):
    letter = Letter.objects.get(kind=LetterKind.CONFIRMATION_PATIENT)
    client = client_for(coordinator)
    page = client.get(f"/brev/{letter.pk}/").content.decode()
    assert 'name="finalise"' in page  # the button belongs to the text's form
    response = client.post(
        f"/brev/{letter.pk}/",
        {
            "version": letter.version,
            "recipient_name": letter.recipient_name,
            "recipient_address": letter.recipient_address,
            "subject": letter.subject,
            "body": letter.body + "\nVälkommen att ringa oss vid frågor.",
            "signature": letter.signature,
            "finalise": "1",
        },
    )
    assert response.status_code == 302
    final = Letter.objects.get(pk=letter.pk)
    assert final.is_final
    assert final.pdf is not None
    assert "Välkommen att ringa oss vid frågor." in _text(bytes(final.pdf))


def test_a_refused_finalise_keeps_the_typed_text(client_for, coordinator, triaged):
    letter = Letter.objects.get(kind=LetterKind.CONFIRMATION_PATIENT)
    response = client_for(coordinator).post(
        f"/brev/{letter.pk}/",
        {
            "version": letter.version + 5,  # someone saved in between
            "recipient_name": letter.recipient_name,
            "recipient_address": letter.recipient_address,
            "subject": letter.subject,
            "body": "Min nya mening som inte får försvinna.",
            "signature": letter.signature,
            "finalise": "1",
        },
    )
    assert response.status_code == 200
    assert "Min nya mening som inte får försvinna." in response.content.decode()
    assert not Letter.objects.get(pk=letter.pk).is_final


def test_the_worklist_knows_the_clinical_letters_by_their_kinds():
    """The pathway's worklist rules name the letters the clinician finishes by
    LetterKind's values (documents sits above the pathway): each is a kind."""
    assert CLINICAL_TEXT_LETTERS <= set(LetterKind.values)
    assert LetterKind.TEAM_SUMMARY in CLINICAL_TEXT_LETTERS
