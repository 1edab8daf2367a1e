import importlib
import pkgutil

import pytest
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
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


# Exceptions of the package that refuse nothing a user asked for.
NOT_REFUSALS = {
    # A channel (SMS, e-mail, 1177) did not take a message: a failure of the
    # outside world, retried by the outbox's worker, never a rule saying no.
    "painrehab.outbox.channels.SendFailed": "a channel's failure, retried",
    # A value the pure time-point rule hands its caller, which words it:
    # send_package turns it into QuestionnaireRefused naming the opening day.
    "painrehab.questionnaires.time_points.NotYet": "turned into QuestionnaireRefused",
}


DJANGO_PER_MODEL = (ObjectDoesNotExist, MultipleObjectsReturned)


def _exceptions_of_the_package() -> dict[str, type[BaseException]]:
    import painrehab

    for module in pkgutil.walk_packages(painrehab.__path__, "painrehab."):
        parts = module.name.split(".")
        if {"tests", "migrations"} & set(parts) or parts[-1] in {"wsgi", "settings"}:
            continue
        importlib.import_module(module.name)
    found: dict[str, type[BaseException]] = {}
    pending: list[type[BaseException]] = [BaseException]
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        if issubclass(kind, DJANGO_PER_MODEL):  # Model.DoesNotExist and its twin
            continue
        if kind.__module__.startswith("painrehab.") and ".tests" not in kind.__module__:
            found[f"{kind.__module__}.{kind.__qualname__}"] = kind
    return found


def test_every_exception_that_refuses_derives_from_refused():
    """A new refusal on another base would slip past the views that catch
    Refused and show its message; the few that are not refusals are named."""
    exceptions = _exceptions_of_the_package()
    assert "painrehab.accounts.lockout.AccountDelayed" in exceptions
    outside = {
        name
        for name, kind in exceptions.items()
        if not issubclass(kind, Refused) and name not in NOT_REFUSALS
    }
    assert outside == set()
    assert set(NOT_REFUSALS) <= set(exceptions)  # the list names what exists


def test_personnummer_errors_stay_value_errors_for_the_forms():
    from painrehab.core.personnummer import PersonnummerError

    assert issubclass(PersonnummerError, Refused)
    assert issubclass(PersonnummerError, ValueError)
