"""An investigation visit is marked held by the clinic from its day on; a
past visit still only booked says so; an ended episode offers no booking
controls."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from painrehab.audit.models import AuditEvent
from painrehab.pathway.models import Booking, Episode
from painrehab.pathway.states import TransitionRefused
from painrehab.steps.discharge.services import discharge_episode
from painrehab.steps.investigation.rules import is_overdue, may_mark_held
from painrehab.steps.investigation.services import mark_visit_held
from painrehab.steps.new_visit.services import book_investigation_visit

INVESTIGATION, NEW_VISIT = Booking.Kind.INVESTIGATION, Booking.Kind.NEW_VISIT
BOOKED, HELD = Booking.Status.BOOKED, Booking.Status.HELD


def test_an_investigation_visit_may_be_marked_held_from_its_day(today) -> None:
    def held(kind: str, status: str, days: int) -> bool:
        return may_mark_held(
            kind=kind, status=status, visit_on=today + timedelta(days), today=today
        )

    assert held(INVESTIGATION, BOOKED, 0)
    assert held(INVESTIGATION, BOOKED, -30)
    assert not held(INVESTIGATION, BOOKED, 1)
    assert not held(INVESTIGATION, HELD, -1)
    assert not held(INVESTIGATION, Booking.Status.NO_SHOW, -1)
    assert not held(NEW_VISIT, BOOKED, -1)  # held when its record is written


def test_a_booked_visit_is_overdue_the_day_after(today) -> None:
    def overdue(status: str, days: int) -> bool:
        return is_overdue(status=status, visit_on=today + timedelta(days), today=today)

    assert overdue(BOOKED, -1)
    assert not overdue(BOOKED, 0)
    assert not overdue(HELD, -1)
    assert not overdue(Booking.Status.PATIENT_CANCELLATION, -5)


@pytest.fixture
def visit(investigated, coordinator, physician, working_day, today):  # noqa: ANN001, ANN201
    """An investigation visit with the physician a week or so ahead; the
    patient needs an Arabic interpreter."""
    patient = investigated.patient
    patient.needs_interpreter, patient.interpreter_language = True, "arabiska"
    patient.save()
    day = working_day(today + timedelta(days=7))
    return book_investigation_visit(
        by=coordinator,
        episode=investigated,
        starts_at=timezone.make_aware(datetime.combine(day, time(10))),
        staff=physician.user,
        profession="physician",
    )


def test_marking_held_is_refused_before_the_day_and_audited_after(
    visit, coordinator, travel
) -> None:
    with pytest.raises(TransitionRefused, match="inte ägt rum"):
        mark_visit_held(by=coordinator, booking=visit)
    visit_on = timezone.localdate(visit.starts_at)
    travel(visit_on + timedelta(days=3))
    mark_visit_held(by=coordinator, booking=visit)
    visit.refresh_from_db()
    assert (visit.status, visit.status_changed_on) == (HELD, visit_on + timedelta(3))
    audit = AuditEvent.objects.get(what="investigation visit held")
    assert audit.object_id == str(visit.pk)
    assert audit.action == "update"
    with pytest.raises(TransitionRefused, match="inte längre öppen"):
        mark_visit_held(by=coordinator, booking=visit)


def test_only_the_waiting_list_keeper_marks_a_visit_held(
    visit, sports_leader, travel
) -> None:
    travel(timezone.localdate(visit.starts_at))
    with pytest.raises(TransitionRefused):
        mark_visit_held(by=sports_leader, booking=visit)
    visit.refresh_from_db()
    assert visit.status == BOOKED


def _bookings_html(client, episode) -> str:  # noqa: ANN001
    page = client.get(f"/vardforlopp/{episode.pk}/").content.decode()
    start = page.index('id="bookings"')
    return page[start : page.index("</section>", start)]


def test_a_past_visit_reads_past_and_is_marked_held_from_the_episode_page(
    client_for, visit, coordinator, investigated, travel
) -> None:
    client = client_for(coordinator)
    ahead = _bookings_html(client, investigated)
    assert "Tolk bokad" in ahead
    assert "Kallelse skickad" in ahead
    assert "genomford" not in ahead  # not before its day
    travel(timezone.localdate(visit.starts_at) + timedelta(days=2))
    client = client_for(coordinator)  # a new day, a new login
    past = _bookings_html(client, investigated)
    assert "Bokad (passerad)" in past
    assert "Markera besöket som genomfört eller uteblivet." in past
    assert "Tolk bokad" not in past
    assert "Kallelse skickad" not in past
    assert "inte bokad" not in past
    response = client.post(f"/vardforlopp/bokning/{visit.pk}/genomford/", follow=True)
    assert "Besöket är markerat som genomfört." in response.content.decode()
    held = _bookings_html(client, investigated)
    assert "Genomförd" in held
    assert "Bokad (passerad)" not in held
    assert "<button" not in held
    assert "<select" not in held


def test_an_ended_episode_offers_no_booking_controls(
    client_for, visit, coordinator, physician, investigated
) -> None:
    assert "<button" in _bookings_html(client_for(coordinator), investigated)
    discharge_episode(
        by=physician,
        episode=Episode.objects.get(pk=investigated.pk),
        reason="not_suitable",
        taken_over_by="Vårdcentralen",
        recommendation="Fortsatt kontakt med vårdcentralen.",
    )
    visit.refresh_from_db()
    assert visit.status == Booking.Status.UNIT_CANCELLATION  # cancelled at discharge
    Booking.objects.filter(pk=visit.pk).update(status=BOOKED)  # one left booked
    html = _bookings_html(client_for(coordinator), investigated)
    assert "<button" not in html
    assert "<select" not in html
    assert "Flytta" not in html
    with pytest.raises(TransitionRefused, match="avslutat"):
        mark_visit_held(
            by=coordinator,
            booking=Booking.objects.get(pk=visit.pk),
            on=timezone.localdate(visit.starts_at),
        )


def _labels(membership, today) -> list[str]:  # noqa: ANN001
    from painrehab.steps.worklist import worklist_for

    return [
        str(item.label) for item in worklist_for(membership=membership, today=today)
    ]


def test_the_worklist_asks_for_a_past_visit_until_it_is_marked(
    visit, coordinator, travel
) -> None:
    asked = "Markera besöket som genomfört eller uteblivet"
    visit_on = timezone.localdate(visit.starts_at)
    assert asked not in _labels(coordinator, travel(visit_on))
    day_after = travel(visit_on + timedelta(days=1))
    assert asked in _labels(coordinator, day_after)
    mark_visit_held(by=coordinator, booking=visit)
    assert asked not in _labels(coordinator, day_after)


def test_a_new_visit_gone_by_asks_for_no_invitation(
    episode_a, coordinator, physician, working_day, today, travel
) -> None:
    from painrehab.steps.new_visit.services import book_new_visit
    from painrehab.steps.triage.services import triage_referral

    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    day = working_day(today + timedelta(days=10))
    book_new_visit(
        by=coordinator,
        episode=Episode.objects.get(pk=episode_a.pk),
        starts_at=timezone.make_aware(datetime.combine(day, time(9))),
        physician=physician.user,
    )
    assert "Skicka kallelsen" in _labels(coordinator, today)
    assert "Skicka kallelsen" not in _labels(
        coordinator, travel(day + timedelta(days=1))
    )


def test_the_investigation_page_says_a_past_visit_is_still_only_booked(
    client_for, visit, coordinator, investigated, travel
) -> None:
    url = f"/vardforlopp/{investigated.pk}/utredning/"
    assert "Bokad (passerad)" not in client_for(coordinator).get(url).content.decode()
    travel(timezone.localdate(visit.starts_at) + timedelta(days=1))
    client = client_for(coordinator)
    assert "Bokad (passerad)" in client.get(url).content.decode()
    mark_visit_held(by=coordinator, booking=visit)
    page = client.get(url).content.decode()
    assert "Bokad (passerad)" not in page
    assert "Genomförd" in page
