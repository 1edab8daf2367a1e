"""The daily print batch: every final letter not yet sent, each followed by
its enclosure, in one PDF; confirming the print marks them sent by post."""

import io

from pypdf import PdfReader

from painrehab.documents.models import Letter, LetterDispatch
from painrehab.documents.services import finalise_letter
from painrehab.steps.triage.services import triage_referral


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _stored(pdf: bytes | memoryview | None) -> bytes:
    """A final letter's stored PDF; the test fails if none is stored."""
    assert pdf is not None
    return bytes(pdf)


def _final_letters(episode, physician, coordinator) -> list[Letter]:  # noqa: ANN001
    triage_referral(by=physician, episode=episode, outcome="new_visit")
    return [
        finalise_letter(by=coordinator, letter=letter)
        for letter in Letter.objects.filter(episode=episode)
    ]


def test_the_batch_holds_every_final_letter_not_yet_sent(
    client_for, coordinator, physician, episode_a, episode_b, other_physician
):
    letters = _final_letters(episode_a, physician, coordinator)
    assert letters
    client = client_for(coordinator)
    page = client.get("/utskick/utskrift/").content.decode()
    for letter in letters:
        assert letter.recipient_name in page
    pdf = client.post("/utskick/utskrift/", {"make": "1"})
    assert pdf["Content-Type"] == "application/pdf"
    assert _pages(pdf.content) == sum(_pages(_stored(x.pdf)) for x in letters)


def test_confirming_the_print_marks_the_letters_sent_by_post(
    client_for, coordinator, physician, episode_a
):
    letters = _final_letters(episode_a, physician, coordinator)
    client = client_for(coordinator)
    response = client.post(
        "/utskick/utskrift/", {"letter": [str(letter.pk) for letter in letters]}
    )
    assert response.status_code == 302
    assert LetterDispatch.objects.filter(channel="post").count() == len(letters)
    assert "Inga brev att posta" in client.get("/utskick/utskrift/").content.decode()


def test_a_letter_of_another_unit_is_neither_shown_nor_marked(
    client_for, coordinator, physician, episode_a, other_physician
):
    letters = _final_letters(episode_a, physician, coordinator)
    from painrehab.accounts.models import Membership

    other = (
        Membership.objects.exclude(unit=coordinator.unit)
        .filter(profession="secretary")
        .first()
        or Membership.objects.exclude(unit=coordinator.unit).first()
    )
    client = client_for(other)
    client.post("/utskick/utskrift/", {"letter": [str(x.pk) for x in letters]})
    assert LetterDispatch.objects.count() == 0


def _letter_and_forms(episode, physician, coordinator):  # noqa: ANN001, ANN202
    """Final letters of the triage, and the forms before the visit sent."""
    from painrehab.pathway.models import Episode
    from painrehab.questionnaires import services as questionnaires
    from painrehab.questionnaires.models import TimePoint
    from painrehab.questionnaires.sample_wording import install_sample_wordings

    letters = _final_letters(episode, physician, coordinator)
    install_sample_wordings(unit=coordinator.unit, user=coordinator.user)
    sent = questionnaires.send_package(
        by=coordinator,
        episode=Episode.objects.get(pk=episode.pk),
        time_point=TimePoint.REGISTRY_BEFORE,
    )
    return letters, sent


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_sheet_beside_the_patients_letter_carries_a_fresh_code(
    client_for, coordinator, physician, episode_a, tmp_path
):
    import re

    from painrehab.questionnaires import services as questionnaires

    letters, sent = _letter_and_forms(episode_a, physician, coordinator)
    to_patient = [x for x in letters if x.recipient == "patient"]
    assert len(to_patient) == 1
    patient = episode_a.patient
    client = client_for(coordinator)
    page = client.get("/utskick/utskrift/").content.decode()
    assert "earlier codes stop working" not in page
    assert "tidigare koder slutar gälla" in page
    pdf = client.post("/utskick/utskrift/", {"make": "1"}).content
    (tmp_path / "batch.pdf").write_bytes(pdf)
    pages = _text(pdf)
    sheets = [i for i, text in enumerate(pages) if "Svara på formulären" in text]
    assert len(sheets) == 1  # one open request, beside the one letter to the patient
    [sheet] = sheets
    letter_pages = _pages(bytes(to_patient[0].pdf))
    order = sorted(letters, key=lambda x: (x.recipient_name, x.pk))
    start = sum(_pages(bytes(x.pdf)) for x in order[: order.index(to_patient[0])])
    assert sheet == start + letter_pages  # right after the patient's letter
    text = pages[sheet]
    assert patient.full_name in text
    assert patient.personnummer[8:] in text
    assert patient.personnummer[:8] not in text  # the birth date stays off
    assert patient.full_name in pages[start]  # the letter names the patient too
    [code] = re.findall(r"\b[A-Z2-9]{5}-[A-Z2-9]{5}\b", text)
    found = questionnaires.find_by_short_code(code=code, address="127.0.0.9")
    assert getattr(found, "pk", None) == sent.request.pk
    assert (
        questionnaires.find_by_short_code(code=sent.short_code, address="127.0.0.9")
        is None
    )
    assert "/f/kod/" in text
    # The patient types the printed code and their birth date: the form opens.
    from django.test import Client

    opened = Client().post(
        "/f/kod/", {"code": code, "birth_date": patient.personnummer[:8]}
    )
    assert (opened.status_code, opened["Location"]) == (302, "/f/svar/")
    stale = Client().post(
        "/f/kod/", {"code": sent.short_code, "birth_date": patient.personnummer[:8]}
    )
    assert stale.status_code == 400
