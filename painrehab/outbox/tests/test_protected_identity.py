"""A patient with protected identity (skyddad personuppgift): post only,
through the Tax Agency's forwarding, and no page or PDF shows the address."""

import io

import pytest
from pypdf import PdfReader

from painrehab.documents.models import Letter
from painrehab.documents.services import finalise_letter
from painrehab.outbox.services import save_contact_preference
from painrehab.steps.triage.services import triage_referral

STREET, POSTAL, CITY = "Storgatan 1", "111 22", "Stad"  # patient_a's address


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _protect(patient, coordinator) -> None:  # noqa: ANN001
    save_contact_preference(
        by=coordinator, patient=patient, sms_consent=False, email_consent=False,
        mailbox_consent=False, protected_identity=True,
    )  # fmt: skip


def _no_address(text: str) -> None:
    for part in (STREET, POSTAL):
        assert part not in text


@pytest.fixture
def protected(episode_a, coordinator):  # noqa: ANN001, ANN201
    _protect(episode_a.patient, coordinator)
    return episode_a.patient


def test_a_letter_to_a_protected_patient_goes_through_the_tax_agency(
    protected, episode_a, physician, coordinator
):
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    [letter] = Letter.objects.filter(episode=episode_a, recipient="patient")
    assert letter.recipient_address == "Skatteverket, för vidarebefordran"
    _no_address(letter.body)
    final = finalise_letter(by=coordinator, letter=letter)
    text = _text(bytes(final.pdf or b""))
    assert "Skatteverket, för vidarebefordran" in text
    _no_address(text)


def test_the_print_batch_has_a_forwarding_page_and_no_address(
    protected, episode_a, physician, coordinator, client_for, tmp_path
):
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    for letter in Letter.objects.filter(episode=episode_a):
        finalise_letter(by=coordinator, letter=letter)
    client = client_for(coordinator)
    _no_address(client.get("/utskick/utskrift/").content.decode())
    pdf = client.post("/utskick/utskrift/", {"make": "1"}).content
    (tmp_path / "batch.pdf").write_bytes(pdf)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    forwarding = [i for i, t in enumerate(pages) if "vidarebefordran" in t.lower()]
    first = forwarding[0]
    page = " ".join(pages[first].split())
    assert protected.full_name in page
    assert protected.formatted_personnummer in page
    assert "Skatteverket, för vidarebefordran" in page
    assert "skyddade personuppgifter" in page
    assert protected.full_name in pages[first + 1]  # the letter follows it
    _no_address("\n".join(pages))


def test_a_draft_written_before_the_protection_shows_no_address(
    episode_a, physician, coordinator, client_for
):
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    [letter] = Letter.objects.filter(episode=episode_a, recipient="patient")
    assert STREET in letter.recipient_address  # written with the address
    _protect(episode_a.patient, coordinator)
    client = client_for(coordinator)
    page = client.get(f"/brev/{letter.pk}/").content.decode()
    assert "Skatteverket, för vidarebefordran" in page
    _no_address(page)
    _no_address(_text(client.get(f"/brev/{letter.pk}/pdf/").content))
    letter.refresh_from_db()
    final = finalise_letter(by=coordinator, letter=letter)
    _no_address(_text(bytes(final.pdf or b"")))


def test_the_patient_pages_show_no_address(protected, coordinator, client_for):
    client = client_for(coordinator)
    for url in (
        f"/patienter/{protected.pk}/",
        f"/patienter/{protected.pk}/andra/",
        f"/patienter/{protected.pk}/historik/",
    ):
        page = client.get(url).content.decode()
        _no_address(page)
    edit = client.get(f"/patienter/{protected.pk}/andra/").content.decode()
    assert "Skyddad" in edit or "skyddad" in edit


def test_saving_the_edit_form_keeps_the_hidden_address(
    protected, coordinator, client_for
):
    client = client_for(coordinator)
    response = client.post(
        f"/patienter/{protected.pk}/andra/",
        {"first_name": "Anna", "last_name": "Andersson", "version": "1",
         "preferred_language": "svenska", "phone": "0701234567"},
    )  # fmt: skip
    assert response.status_code == 302
    protected.refresh_from_db()
    assert (protected.street_address, protected.phone) == (STREET, "0701234567")


def test_a_letter_finalised_before_the_protection_is_not_shown_as_pdf(
    episode_a, physician, coordinator, client_for
):
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    [letter] = Letter.objects.filter(episode=episode_a, recipient="patient")
    finalise_letter(by=coordinator, letter=letter)
    client = client_for(coordinator)
    before = client.get(f"/brev/{letter.pk}/pdf/")
    assert before["Content-Type"] == "application/pdf"
    assert STREET in _text(before.content)  # printed while it was allowed
    _protect(episode_a.patient, coordinator)
    after = client.get(f"/brev/{letter.pk}/pdf/", follow=True)
    assert after.redirect_chain[-1][0] == f"/brev/{letter.pk}/"
    page = after.content.decode()
    assert "innehåller adressen. Därför visas den inte" in page
    _no_address(page)
