"""One way for a step to draft its letters: inside the step's transaction, a
refused letter reported, a fault rolling back the step with its letters."""

import pytest
from django.db import transaction

from painrehab.audit.models import AuditEvent
from painrehab.documents.models import Letter, LetterKind
from painrehab.documents.services import NotDrafted, draft_letters_for
from painrehab.pathway.models import Episode, Referral

pytestmark = pytest.mark.usefixtures("clock")

BOTH = [LetterKind.CONFIRMATION_PATIENT, LetterKind.CONFIRMATION_REFERRER]


def _with_referrer_address(episode, address):  # noqa: ANN001, ANN202
    Referral.objects.filter(episode=episode).update(referrer_address=address)
    return Episode.objects.get(pk=episode.pk)


def test_each_kind_is_drafted_in_order(episode_a, coordinator):
    episode_a = _with_referrer_address(episode_a, "Box 9\n111 99 Stad")
    drafts = draft_letters_for(by=coordinator, episode=episode_a, kinds=BOTH)
    assert [letter.kind for letter in drafts.letters] == BOTH
    assert drafts.not_drafted == []
    assert drafts.problems == []
    assert all(letter.created_by == coordinator.user for letter in drafts.letters)
    assert AuditEvent.objects.filter(what__startswith="letter drafted").count() == 2


def test_a_refused_letter_is_reported_with_its_kind_and_the_others_are_drafted(
    episode_a, coordinator
):
    episode_a = _with_referrer_address(episode_a, "")
    drafts = draft_letters_for(by=coordinator, episode=episode_a, kinds=BOTH)
    assert [letter.kind for letter in drafts.letters] == [
        LetterKind.CONFIRMATION_PATIENT
    ]
    [missing] = drafts.not_drafted
    assert missing.kind == LetterKind.CONFIRMATION_REFERRER
    assert "adress" in str(missing.reason)
    # For the user: named by its kind; a step with one letter shows the reason alone.
    assert drafts.problems == [
        f"{LetterKind.CONFIRMATION_REFERRER.label}: {missing.reason}"
    ]
    assert drafts.reasons == [missing.reason]
    assert Letter.objects.count() == 1


def test_without_the_right_to_write_letters_none_is_drafted(episode_a, sports_leader):
    drafts = draft_letters_for(by=sports_leader, episode=episode_a, kinds=BOTH)
    assert drafts.letters == []
    assert [missing.kind for missing in drafts.not_drafted] == BOTH
    assert not Letter.objects.exists()


def test_no_kinds_no_letters(episode_a, coordinator):
    drafts = draft_letters_for(by=coordinator, episode=episode_a, kinds=[])
    assert (drafts.letters, drafts.not_drafted) == ([], [])


def test_a_fault_rolls_back_the_callers_transaction_with_the_letters_drafted_before(
    episode_a, coordinator, monkeypatch
):
    episode_a = _with_referrer_address(episode_a, "Box 9\n111 99 Stad")
    create = Letter.objects.create
    made: list[Letter] = []

    def second_breaks(**fields):  # noqa: ANN003, ANN202
        if made:
            raise RuntimeError("the second letter broke")
        made.append(create(**fields))
        return made[-1]

    def a_step() -> None:
        with transaction.atomic():
            Referral.objects.filter(episode=episode_a).update(reason="Ändrad")
            draft_letters_for(by=coordinator, episode=episode_a, kinds=BOTH)

    monkeypatch.setattr(Letter.objects, "create", second_breaks)
    with pytest.raises(RuntimeError, match="second letter"):
        a_step()
    assert len(made) == 1  # the first was drafted, then went with the step
    assert not Letter.objects.exists()
    assert Referral.objects.get(episode=episode_a).reason != "Ändrad"


def test_a_letter_not_drafted_reads_as_its_kind_and_reason():
    missing = NotDrafted(kind=LetterKind.DISCHARGE, reason="Adress saknas.")
    assert str(missing) == f"{LetterKind.DISCHARGE.label}: Adress saknas."
