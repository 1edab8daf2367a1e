from datetime import date

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Profession
from painrehab.core.personnummer import is_test_number
from painrehab.demo.clinic import load_demo_clinic
from painrehab.pathway.models import Episode, EpisodeTransition
from painrehab.pathway.states import State
from painrehab.patients.models import Patient


def test_demo_clinic_has_every_state_every_profession_and_only_test_numbers(db):
    clinic = load_demo_clinic(patients=200, today=date(2026, 11, 24))
    assert len(clinic.units) == 2
    assert Patient.objects.count() == 200
    assert all(
        is_test_number(n)
        for n in Patient.objects.values_list("personnummer", flat=True)
    )
    assert set(Episode.objects.values_list("state", flat=True)) == set(State)
    for unit in clinic.units:
        assert set(
            Membership.objects.filter(unit=unit).values_list("profession", flat=True)
        ) == set(Profession)
    assert not Episode.objects.filter(state_since__date__gt=date(2026, 11, 24)).exists()
    assert not Episode.objects.filter(opened_on__gt=date(2026, 11, 24)).exists()
    first = EpisodeTransition.objects.order_by("episode_id", "at", "id").first()
    assert first.to_state == State.REFERRAL_RECEIVED


def test_loading_twice_changes_nothing(db):
    load_demo_clinic(patients=50, today=date(2026, 11, 24))
    again = load_demo_clinic(patients=50, today=date(2026, 11, 24))
    assert again.patients_created == 0
    assert Patient.objects.count() == 50
    assert Membership.objects.count() == 19
