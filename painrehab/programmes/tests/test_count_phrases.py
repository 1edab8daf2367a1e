"""Count phrases in templates read in the right number: one absence, one
participant, one question (blocktranslate count, never a fixed plural)."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from painrehab.pathway.clocks import ClockStatus

pytestmark = pytest.mark.usefixtures("clock")


def _clock(absences: int) -> SimpleNamespace:
    return SimpleNamespace(
        status=ClockStatus.PAST_GOAL,
        days_waited=70,
        goal_days=60,
        guarantee_days=90,
        goal_date=None,
        guarantee_date=None,
        paused=False,
        flagged_for_discharge=True,
        absences=absences,
    )


@pytest.mark.parametrize(
    ("absences", "words"),
    [
        (1, "1 frånvarotillfälle: diskutera utskrivning"),
        (2, "2 frånvarotillfällen: diskutera utskrivning"),
    ],
)
def test_the_episode_clock_counts_absences_in_their_number(absences, words):
    html = render_to_string("pathway/_episode_clock.html", {"clock": _clock(absences)})
    assert words in html


@pytest.mark.parametrize(
    ("done", "total", "words"),
    [(0, 1, "0 av 1 fråga besvarad"), (3, 10, "3 av 10 frågor besvarade")],
)
def test_the_form_progress_counts_questions_in_their_number(done, total, words):
    html = render_to_string(
        "questionnaires/patient/_progress.html",
        {
            "index": 1,
            "count": 1,
            "progress": SimpleNamespace(answered_all=done, items_all=total),
        },
    )
    assert words in html


def test_a_cohort_of_one_reads_one_participant(
    client_for, coordinator, specialist, decided, cohort_of
):
    cohort = cohort_of(specialist, decided(1))
    client = client_for(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/program/kohort/{cohort.pk}/").content.decode()
    assert "1 participant (usually 4–7)" in html
