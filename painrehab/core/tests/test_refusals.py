import pytest
from django.utils import translation

from painrehab.accounts.sso import SsoRefused
from painrehab.accounts.team import TeamError
from painrehab.core.history import StaleEdit
from painrehab.core.refusals import Refused, refusal_text
from painrehab.documents.services import LetterRefused
from painrehab.outbox.services import OutboxRefused
from painrehab.pathway.states import TransitionRefused
from painrehab.patients.services import PatientRefused
from painrehab.programmes.services import ProgrammeRefused
from painrehab.questionnaires.services import QuestionnaireRefused
from painrehab.questionnaires.wording import WordingRefused

REFUSALS = [
    TransitionRefused,
    PatientRefused,
    ProgrammeRefused,
    LetterRefused,
    QuestionnaireRefused,
    OutboxRefused,
    TeamError,
]


@pytest.mark.parametrize("kind", REFUSALS)
def test_every_refusal_is_a_refused_with_its_message(kind):
    refusal = kind("Inte nu.")
    assert isinstance(refusal, Refused)
    assert refusal.message == "Inte nu."
    assert refusal_text(refusal) == "Inte nu."


def test_a_refusal_may_name_the_field_it_belongs_to():
    refusal = PatientRefused("Finns redan.", field="personnummer")
    assert (refusal.message, refusal.field) == ("Finns redan.", "personnummer")


def test_refusals_with_a_message_of_their_own_show_it_in_swedish():
    with translation.override("sv"):
        assert refusal_text(StaleEdit()).startswith("Någon annan")
        assert "e-tjänstekort" in refusal_text(SsoRefused("state"))
    assert SsoRefused("state").reason == "state"
    assert isinstance(WordingRefused(["rad 1"]), Refused)
