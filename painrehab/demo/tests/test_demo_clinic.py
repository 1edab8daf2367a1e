from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Profession
from painrehab.core.personnummer import is_test_number
from painrehab.demo.clinic import load_demo_clinic
from painrehab.pathway.models import Episode, EpisodeTransition
from painrehab.pathway.states import State
from painrehab.patients.models import Patient


def test_demo_clinic_has_every_state_every_profession_and_only_test_numbers(db, today):
    clinic = load_demo_clinic(patients=200, today=today)
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
    assert not Episode.objects.filter(state_since__date__gt=today).exists()
    assert not Episode.objects.filter(opened_on__gt=today).exists()
    first = EpisodeTransition.objects.order_by("episode_id", "at", "id").first()
    assert first is not None
    assert first.to_state == State.REFERRAL_RECEIVED


def test_loading_twice_changes_nothing(db, clock):
    from painrehab.audit.models import AuditEvent
    from painrehab.documents.models import Letter
    from painrehab.programmes.models import Appointment, Cohort, Room, Session

    load_demo_clinic(patients=50)  # both loads on the held clock's day
    counted = [
        Patient.objects,
        Membership.objects,
        Cohort.objects,
        Session.objects,
        Appointment.objects,
        Letter.objects,
        Room.objects,
    ]
    before = [manager.count() for manager in counted]
    audited = AuditEvent.objects.count()
    again = load_demo_clinic(patients=50)
    assert again.patients_created == 0
    assert Patient.objects.count() == 50
    assert Membership.objects.count() == 19
    assert [manager.count() for manager in counted] == before
    assert AuditEvent.objects.count() == audited


def test_the_physician_of_both_units_has_new_visits_in_each_that_never_clash(db, today):
    from datetime import timedelta

    from django.utils import timezone

    from painrehab.core.closed_days import swedish_closed_days
    from painrehab.pathway.models import Booking

    load_demo_clinic(patients=200, today=today)
    booked = Booking.objects.filter(
        staff__username="lakare", status=Booking.Status.BOOKED
    ).values_list("unit_id", "starts_at", "minutes")
    assert len({unit for unit, _starts, _minutes in booked}) == 2
    times = sorted((starts, starts + timedelta(minutes=m)) for _u, starts, m in booked)
    assert all(
        end <= after for (_s, end), (after, _e) in zip(times, times[1:], strict=False)
    )
    for booking in Booking.objects.filter(status=Booking.Status.BOOKED):
        day = timezone.localdate(booking.starts_at)
        assert day.weekday() < 5
        assert not swedish_closed_days(day, day)
