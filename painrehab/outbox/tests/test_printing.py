"""The daily print batch: every final letter not yet sent, each followed by
its enclosure, in one PDF; confirming the print marks them sent by post."""

import io

from pypdf import PdfReader

from painrehab.documents.models import Letter, LetterDispatch
from painrehab.documents.services import finalise_letter
from painrehab.pathway.services.triage import triage_referral


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


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
    pdf = client.get("/utskick/utskrift/?pdf=1")
    assert pdf["Content-Type"] == "application/pdf"
    assert _pages(pdf.content) == sum(_pages(bytes(x.pdf)) for x in letters)


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
