"""A week before a booked new visit, forms still unanswered are the office's
work (issue 17): on the list from day −7, not on −8, gone once answered, on
no other profession's list, at a constant number of queries."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from painrehab.accounts.permissions import Profession
from painrehab.pathway import work
from painrehab.pathway.models import Booking, Episode
from painrehab.pathway.states import State
from painrehab.pathway.work import Section
from painrehab.patients.tests.factories import PatientFactory
from painrehab.programmes.tests.factories import team
from painrehab.questionnaires.models import QuestionnaireRequest, TimePoint
from painrehab.steps.worklist import worklist_for

P = Profession
KIND = "forms_before_visit"


def test_the_flag_is_a_week_before_the_visit_and_the_offices():
    assert work.forms_flag_on(date(2027, 5, 10)) == date(2027, 5, 3)
    assert work.chases_unanswered_forms(P.COORDINATOR_NURSE) is True
    assert work.chases_unanswered_forms(P.SECRETARY) is True
    assert work.chases_unanswered_forms(P.PHYSICIAN) is False


@pytest.fixture
def cast(unit_a, physician, coordinator, secretary, sports_leader):  # noqa: ANN001, ANN201
    others = {m.profession: m for m in team(unit_a).values()}
    return {
        **others,
        P.PHYSICIAN: physician,
        P.COORDINATOR_NURSE: coordinator,
        P.SECRETARY: secretary,
        P.SPORTS_LEADER: sports_leader,
    }


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


_serial = iter(range(10**6))


def _visit_with_forms(unit, coordinator, physician, visit_on: date):  # noqa: ANN001, ANN202
    """A booked new visit and the forms before it, sent and unanswered."""
    episode = Episode.objects.create(
        patient=PatientFactory.create(unit=unit), unit=unit, state=State.WAITING_NEW_VISIT,
        state_since=_at(visit_on - timedelta(days=40)),
        opened_on=visit_on - timedelta(days=50),
    )  # fmt: skip
    Booking.objects.create(
        episode=episode, unit=unit, kind=Booking.Kind.NEW_VISIT, starts_at=_at(visit_on),
        staff=physician.user, booked_by=coordinator.user,
    )  # fmt: skip
    n = next(_serial)
    return QuestionnaireRequest.objects.create(
        episode=episode, unit=unit, time_point=TimePoint.REGISTRY_BEFORE,
        codes=["hads"], token_hash=f"t{n}", code_hash=f"c{n}",
        sent_on=visit_on - timedelta(days=28), expires_on=visit_on + timedelta(days=7),
        sent_by=coordinator.user,
    )  # fmt: skip


def _holders(cast) -> dict:  # noqa: ANN001
    today = timezone.localdate()
    return {
        profession: [
            item
            for item in worklist_for(membership=member, today=today)
            if item.kind == KIND
        ]
        for profession, member in cast.items()
    }


def test_unanswered_forms_are_on_the_offices_list_from_seven_days_before(
    unit_a, cast, travel
):
    start = timezone.localdate()
    visit_on = start + timedelta(days=40)
    request = _visit_with_forms(
        unit_a, cast[P.COORDINATOR_NURSE], cast[P.PHYSICIAN], visit_on
    )
    office = {P.COORDINATOR_NURSE, P.SECRETARY}

    travel(visit_on - timedelta(days=8))
    assert {p for p, items in _holders(cast).items() if items} == set()

    travel(visit_on - timedelta(days=7))
    lists = _holders(cast)
    assert {p for p, items in lists.items() if items} == office
    [item] = lists[P.COORDINATOR_NURSE]
    assert (item.section, item.due_on, item.overdue, item.patient_id) == (
        Section.TODAY,
        visit_on - timedelta(days=7),
        False,
        request.episode.patient_id,
    )
    assert str(item.label) == "Formulär obesvarade en vecka före nybesöket"
    assert item.url == f"/vardforlopp/{request.episode_id}/"

    travel(visit_on - timedelta(days=2))  # still unanswered: still there, overdue
    [item] = _holders(cast)[P.SECRETARY]
    assert item.overdue is True

    QuestionnaireRequest.objects.filter(pk=request.pk).update(
        status=QuestionnaireRequest.Status.SUBMITTED
    )
    assert {p for p, items in _holders(cast).items() if items} == set()


def test_a_cancelled_or_past_visit_is_not_flagged(unit_a, cast, travel):
    start = timezone.localdate()
    visit_on = start + timedelta(days=40)
    request = _visit_with_forms(
        unit_a, cast[P.COORDINATOR_NURSE], cast[P.PHYSICIAN], visit_on
    )
    travel(visit_on + timedelta(days=1))
    assert _holders(cast)[P.COORDINATOR_NURSE] == []
    travel(visit_on - timedelta(days=3))
    Booking.objects.filter(episode=request.episode).update(
        status=Booking.Status.UNIT_CANCELLATION
    )
    assert _holders(cast)[P.COORDINATOR_NURSE] == []


def test_another_units_member_does_not_see_the_flag(
    unit_a, cast, other_physician, travel
):
    visit_on = timezone.localdate() + timedelta(days=40)
    _visit_with_forms(unit_a, cast[P.COORDINATOR_NURSE], cast[P.PHYSICIAN], visit_on)
    travel(visit_on - timedelta(days=5))
    page = worklist_for(membership=other_physician, today=timezone.localdate())
    assert (list(page), page.total) == ([], 0)


def test_the_flag_costs_the_same_queries_at_10_and_60_visits(unit_a, cast, travel):
    visit_on = timezone.localdate() + timedelta(days=40)
    coordinator, physician = cast[P.COORDINATOR_NURSE], cast[P.PHYSICIAN]

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            page = worklist_for(membership=coordinator, today=timezone.localdate())
        # Each visit is also an invitation and a questionnaire backlog item.
        return len(captured.captured_queries), page.total // 3

    for _n in range(10):
        _visit_with_forms(unit_a, coordinator, physician, visit_on)
    travel(visit_on - timedelta(days=3))
    at_10 = queries()
    for _n in range(50):
        _visit_with_forms(unit_a, coordinator, physician, visit_on)
    at_60 = queries()
    assert at_10[0] == at_60[0]
    assert (at_10[1], at_60[1]) == (10, 60)
