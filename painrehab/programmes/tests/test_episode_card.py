"""The programme card on the episode page (a panel: `programmes.selectors.rehabilitation_card`)."""

from datetime import date, time

from painrehab.pathway.states import State
from painrehab.programmes.models import Attendance, Session
from painrehab.programmes.tests.factories import aware, decided_episode


def test_individual_rehabilitation_shows_the_section_10_3_check(
    client_for, unit_a, physician, coordinator, staff
) -> None:
    episode = decided_episode(
        unit=unit_a,
        physician=physician,
        coordinator=coordinator,
        decided_at=aware(date(2026, 2, 1)),
        to=State.INDIVIDUAL_REHABILITATION,
    )
    from painrehab.programmes.models import Appointment

    Appointment.objects.create(
        unit=unit_a,
        episode=episode,
        starts_at=aware(date(2026, 2, 10)),
        minutes=45,
        staff=staff["psykolog"].user,
        profession="psychologist",
        status="held",
        created_by=coordinator.user,
    )
    html = client_for(physician).get(f"/vardforlopp/{episode.pk}/").content.decode()
    assert "Minst sex insatser i månaden:" in html
    assert '<span class="check-below">inte uppfyllt</span>' in html
    assert "Räknat från 2026-02-02." in html
    assert (
        f'href="/program/vardforlopp/{episode.pk}/insatser/">1 individuell insats'
        in html
    )


def test_a_participant_sees_the_cohort_and_the_absence(
    client_for, physician, coordinator, decided, cohort_of, specialist
) -> None:
    cohort = cohort_of(specialist, decided(1))
    participant = cohort.participants.get()
    for number, status in enumerate(["present", "absent"]):
        session = Session.objects.create(
            unit=cohort.unit,
            cohort=cohort,
            activity_key=f"a{number}",
            activity_name="A",
            date=cohort.start,
            start=time(8 + number),
            end=time(9 + number),
            attendees="all",
        )
        Attendance.objects.create(
            session=session,
            participant=participant,
            status=status,
            recorded_by=coordinator.user,
            recorded_at=aware(cohort.start),
        )
    html = (
        client_for(physician)
        .get(f"/vardforlopp/{participant.episode_id}/")
        .content.decode()
    )
    assert f">{cohort.name}</a>" in html
    assert "frånvaro 50 % (1 av 2)" in html
    assert "Över frånvarogränsen" in html


def test_no_card_for_an_episode_without_programme(client_for, physician, episode_a):
    html = client_for(physician).get(f"/vardforlopp/{episode_a.pk}/").content.decode()
    assert "<h2>Rehabilitering</h2>" not in html
