"""The §10.3 rate in words: each count in its right number, one day or two days."""

from datetime import timedelta

import pytest

from painrehab.pathway.states import State
from painrehab.programmes.rate_words import rate_sentence
from painrehab.programmes.rules import InterventionRate
from painrehab.programmes.services.appointments import book_appointment
from painrehab.programmes.tests.factories import aware, decided_episode


@pytest.mark.parametrize(
    ("interventions", "days", "booked", "words"),
    [
        (0, 1, 1, "0 genomförda insatser på 1 dag (0,0 per månad); 1 till är bokad."),
        (1, 2, 0, "1 genomförd insats på 2 dagar (15,2 per månad)."),
        (
            12,
            60,
            2,
            "12 genomförda insatser på 60 dagar (6,1 per månad); 2 till är bokade.",
        ),
    ],
)
def test_each_count_reads_in_its_own_number(interventions, days, booked, words):
    rate = InterventionRate(interventions, days, minimum=6)
    assert rate_sentence(rate, booked=booked) == words


def test_the_interventions_page_on_the_first_day_says_one_day(
    unit_a, physician, coordinator, staff, client_for, today
):
    episode = decided_episode(
        unit=unit_a,
        physician=physician,
        coordinator=coordinator,
        decided_at=aware(today - timedelta(days=1), 0),
        to=State.INDIVIDUAL_REHABILITATION,
    )
    book_appointment(
        by=coordinator,
        episode=episode,
        staff=staff["fysio1"],
        starts_at=aware(today + timedelta(days=1), 10),
        minutes=45,
        mode="on_site",
        confirmed=True,
    )
    html = (
        client_for(coordinator)
        .get(f"/program/vardforlopp/{episode.pk}/insatser/")
        .content.decode()
    )
    assert "0 genomförda insatser på 1 dag (0,0 per månad); 1 till är bokad." in html
    assert "1 dagar" not in html
