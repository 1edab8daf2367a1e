"""The demo is a living clinic on whatever day it is loaded (issue 16, point 6).

Loaded at three moved dates, each the next one after today: a Monday in
February, the Thursday of the week before Christmas, and the Wednesday of
midsummer week. Each kind of thing a clinic has on an ordinary day is counted
by query, per unit.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from painrehab.accounts.models import CareUnit, Membership
from painrehab.accounts.permissions import Profession
from painrehab.audit.models import AuditEvent
from painrehab.core.closed_days import swedish_closed_days
from painrehab.core.dates import week_monday
from painrehab.core.windows import AFTER_DISCHARGE, AFTER_DISCHARGE_MONTHS, add_months
from painrehab.demo.clinic import FICTION_PHONES, load_demo_clinic
from painrehab.documents.models import Letter, LetterDispatch, LetterKind
from painrehab.outbox.models import ContactPreference
from painrehab.outbox.printing import letters_to_post, make_sheets
from painrehab.outbox.selectors import messages_of_day
from painrehab.outbox.sweep import sweep
from painrehab.pathway.clocks import ClockStatus
from painrehab.pathway.models import Booking, Episode
from painrehab.pathway.selectors import WaitingStep, waiting_clocks
from painrehab.pathway.services.follow_up import schedule_for
from painrehab.pathway.states import State
from painrehab.patients.models import Patient
from painrehab.programmes.models import (
    Appointment,
    Attendance,
    Cohort,
    Room,
    Session,
    SessionStaff,
    StaffAbsence,
    StaffAvailability,
)
from painrehab.questionnaires.models import QuestionnaireRequest, TimePoint


def _monday_in_february(year: int) -> date:
    return week_monday(date(year, 2, 15))


def _thursday_before_christmas_week(year: int) -> date:
    return week_monday(date(year, 12, 24)) - timedelta(days=4)


def _wednesday_of_midsummer_week(year: int) -> date:
    eve = next(  # Midsummer Eve: the Friday from 19 to 25 June
        date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4
    )
    return week_monday(eve) + timedelta(days=2)


MOVED_DAYS = {
    "monday_in_february": _monday_in_february,
    "thursday_before_christmas_week": _thursday_before_christmas_week,
    "wednesday_of_midsummer_week": _wednesday_of_midsummer_week,
}


def _next(day_in: Callable[[int], date], after: date) -> date:
    """The first such day after `after` (this year's or next year's)."""
    return next(d for d in (day_in(after.year), day_in(after.year + 1)) if d > after)


def test_the_moved_days_are_the_days_named():
    assert _next(_monday_in_february, date(2026, 12, 5)) == date(2027, 2, 15)
    assert _next(_thursday_before_christmas_week, date(2026, 12, 5)) == date(
        2026, 12, 17
    )
    assert _next(_wednesday_of_midsummer_week, date(2026, 12, 5)) == date(2027, 6, 23)
    assert _next(_wednesday_of_midsummer_week, date(2027, 6, 23)) == date(2028, 6, 21)


@pytest.mark.parametrize("moved", MOVED_DAYS)
def test_the_demo_is_a_living_clinic_on_the_day_it_is_loaded(db, travel, today, moved):  # noqa: ANN001
    """One load per date (it takes seconds); each check names what it counts."""
    day = travel(_next(MOVED_DAYS[moved], after=today))
    living = load_demo_clinic(patients=200), day
    check_each_unit_has_rooms_staff_hours_and_the_year_planned(living)
    check_one_programme_runs_this_week_with_attendance_and_one_starts_soon(living)
    check_no_patient_is_in_the_group_programme_without_a_running_cohort(living)
    check_every_profession_has_something_today(living)
    check_individual_appointments_held_booked_and_never_clashing(living)
    check_letters_in_every_state(living)
    check_follow_ups_fall_due_today_and_twelve_month_forms_are_outstanding(living)
    check_a_patient_past_the_60_day_goal_on_each_waiting_list(living)
    check_the_living_clinic_is_made_through_the_services_with_audit_rows(living)
    check_patients_take_sms_or_e_mail_and_some_post_only(living)
    check_the_outbox_has_the_days_notices(living)
    check_each_invitation_to_post_has_its_questionnaire_sheet(living)


def _own(unit: CareUnit, profession: str) -> Membership:
    primary = unit.kind == CareUnit.Kind.PRIMARY_CARE
    return next(
        m
        for m in Membership.objects.filter(unit=unit, profession=profession)
        if m.user.username.endswith("-pv") == primary
    )


def check_each_unit_has_rooms_staff_hours_and_the_year_planned(living):
    clinic, today = living
    for unit in clinic.units:
        assert Room.objects.filter(unit=unit).count() >= 2
        assert StaffAvailability.objects.filter(membership__unit=unit).count() >= 5
        assert StaffAbsence.objects.filter(membership__unit=unit).exists()
        ahead = Cohort.objects.filter(
            unit=unit, start__lte=today + timedelta(days=365), end__gte=today
        )
        assert ahead.count() >= 5


def check_one_programme_runs_this_week_with_attendance_and_one_starts_soon(living):
    clinic, today = living
    for unit in clinic.units:
        running = Cohort.objects.get(unit=unit, start__lte=today, end__gte=today)
        assert running.started_at is not None
        assert running.participants.count() >= running.template.min_participants
        assert not running.participants.exclude(
            episode__state=State.GROUP_PROGRAMME
        ).exists()
        assert running.sessions.filter(date__gte=today).exists()
        before = running.sessions.filter(date__lt=today).exclude(
            attendees=Session.Attendees.STAFF
        )
        assert before.exists()
        # Every participant of every earlier session has attendance recorded.
        expected = sum(s.participants.count() for s in before)
        assert Attendance.objects.filter(session__in=before).count() == expected
        assert Attendance.objects.filter(
            session__cohort=running, status=Attendance.Status.PRESENT
        ).exists()
        assert (
            Attendance.objects.filter(session__cohort=running)
            .exclude(status=Attendance.Status.PRESENT)
            .exists()
        )
        coming = Cohort.objects.filter(
            unit=unit, start__gt=today, start__lte=today + timedelta(weeks=8)
        ).first()
        assert coming is not None
        assert coming.participants.exists()
        assert coming.sessions.exists()


def check_no_patient_is_in_the_group_programme_without_a_running_cohort(living):
    clinic, today = living
    in_programme = Episode.objects.filter(state=State.GROUP_PROGRAMME)
    assert in_programme.count() >= 2 * 4
    assert not in_programme.exclude(
        cohort_places__cohort__start__lte=today,
        cohort_places__cohort__end__gte=today,
    ).exists()


def check_every_profession_has_something_today(living):
    clinic, today = living
    for unit in clinic.units:
        for profession in Profession:
            member = _own(unit, profession)
            if profession == Profession.SECRETARY:
                # Letters to finish and to send.
                assert Letter.objects.filter(
                    unit=unit, finalised_at__isnull=True
                ).exists()
                continue
            has_today = (
                Appointment.objects.filter(
                    staff=member.user, starts_at__date=today, unit=unit
                ).exists()
                or SessionStaff.objects.filter(
                    user=member.user, session__date=today, session__unit=unit
                ).exists()
            )
            assert has_today, f"{member} has nothing today"


def check_individual_appointments_held_booked_and_never_clashing(living):
    clinic, today = living
    for unit in clinic.units:
        appointments = Appointment.objects.filter(unit=unit)
        assert appointments.filter(status=Appointment.Status.HELD).exists()
        assert appointments.filter(
            status=Appointment.Status.BOOKED, starts_at__date__gt=today
        ).exists()
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    for a in Appointment.objects.exclude(status=Appointment.Status.CANCELLED):
        day = timezone.localdate(a.starts_at)
        assert day.weekday() < 5
        assert not swedish_closed_days(day, day)
        busy.setdefault(a.staff_id, []).append(
            (a.starts_at, a.starts_at + timedelta(minutes=a.minutes))
        )
    for s in SessionStaff.objects.select_related("session"):
        start = timezone.make_aware(datetime.combine(s.session.date, s.session.start))
        end = timezone.make_aware(datetime.combine(s.session.date, s.session.end))
        busy.setdefault(s.user_id, []).append((start, end))
    for b in Booking.objects.filter(
        status__in=[Booking.Status.BOOKED, Booking.Status.HELD]
    ):
        busy.setdefault(b.staff_id, []).append(
            (b.starts_at, b.starts_at + timedelta(minutes=b.minutes))
        )
    for times in busy.values():
        times.sort()
        for (_s, end), (after, _e) in zip(times, times[1:], strict=False):
            assert end <= after


def check_letters_in_every_state(living):
    clinic, _today = living
    for unit in clinic.units:
        letters = Letter.objects.filter(unit=unit)
        assert letters.filter(finalised_at__isnull=True).exists()
        assert letters.filter(
            finalised_at__isnull=False, dispatches__isnull=True
        ).exists()
        assert LetterDispatch.objects.filter(letter__unit=unit).exists()
        assert all(letter.pdf for letter in letters.exclude(finalised_at=None))


def check_follow_ups_fall_due_today_and_twelve_month_forms_are_outstanding(living):
    clinic, today = living
    for unit in clinic.units:
        due_today = [
            item.key
            for episode in Episode.objects.filter(unit=unit, state=State.FOLLOW_UP)
            .select_related("unit", "plan")
            .prefetch_related("transitions")
            for item in schedule_for(episode)
            if item.window.due_on == today
        ]
        assert due_today, unit
    # What fell due before its window closed has been done (or the patient
    # was not reached): nothing from last year lingers as overdue.
    recently = add_months(today, -AFTER_DISCHARGE_MONTHS)
    for episode in (
        Episode.objects.filter(
            Q(state=State.FOLLOW_UP)
            | Q(state=State.DISCHARGED, closed_on__gte=recently)
        )
        .select_related("unit", "plan")
        .prefetch_related("transitions", "follow_ups")
    ):
        recorded = {r.item_key for r in episode.follow_ups.all()}
        for item in schedule_for(episode):
            if episode.closed_on is not None and item.key not in AFTER_DISCHARGE:
                continue
            if item.window.closes_on < today:
                assert item.key in recorded, (episode, item.key)
    specialist = clinic.units[0]
    outstanding = QuestionnaireRequest.objects.filter(
        unit=specialist,
        time_point=TimePoint.REGISTRY_12_MONTHS,
        status__in=[
            QuestionnaireRequest.Status.OPEN,
            QuestionnaireRequest.Status.PARTLY,
        ],
        expires_on__gte=today,
    )
    assert outstanding.exists()


def check_a_patient_past_the_60_day_goal_on_each_waiting_list(living):
    clinic, today = living
    for unit in clinic.units:
        member = _own(unit, Profession.COORDINATOR_NURSE)
        for step in WaitingStep:
            clocks = waiting_clocks(membership=member, step=step, today=today)
            assert any(c.status != ClockStatus.WITHIN_GOAL for c in clocks), (
                unit,
                step,
            )


def check_the_living_clinic_is_made_through_the_services_with_audit_rows(living):
    clinic, _today = living
    for unit in clinic.units:
        events = AuditEvent.objects.filter(unit_id=unit.pk)
        for what in [
            "room",
            "cohort created",
            "added to cohort",
            "cohort scheduled",
            "attendance recorded",
            "appointment booked",
            "letter drafted",
            "letter finalised",
            "letter sent",
            f"state {State.PREPARATION} -> {State.GROUP_PROGRAMME}",
        ]:
            assert events.filter(what__startswith=what).exists(), (unit, what)
    assert AuditEvent.objects.filter(
        what__startswith="questionnaires sent", unit_id=clinic.units[0].pk
    ).exists()


def check_patients_take_sms_or_e_mail_and_some_post_only(living):
    clinic, _today = living
    for unit in clinic.units:
        preferences = ContactPreference.objects.filter(patient__unit=unit)
        patients = Patient.objects.filter(unit=unit).count()
        sms = preferences.filter(sms_consent=True)
        # A realistic share: about half take SMS, some e-mail, a few post only.
        assert 0.3 * patients < sms.count() < 0.7 * patients, unit
        assert preferences.filter(email_consent=True, sms_consent=False).exists()
        assert preferences.filter(protected_identity=True, sms_consent=False).exists()
        # Numbers PTS reserves for fiction, addresses at example.org.
        for phone in sms.values_list("patient__phone", flat=True):
            assert phone.startswith("070-17406"), phone
            assert 5 <= int(phone[-2:]) <= 99
        for email in preferences.filter(email_consent=True).values_list(
            "patient__email", flat=True
        ):
            assert email.endswith("@example.org"), email
        assert AuditEvent.objects.filter(
            unit_id=unit.pk, what="contact preference"
        ).exists()
    # No demo patient has a number that could be a real person's.
    phones = set(Patient.objects.values_list("phone", flat=True)) - {""}
    assert phones
    assert phones <= set(FICTION_PHONES), phones - set(FICTION_PHONES)


def check_the_outbox_has_the_days_notices(living):
    """`make demo` runs the sweep beside the server as soon as it starts."""
    clinic, today = living
    sweep(now=timezone.make_aware(datetime.combine(today, time(7))))
    for unit in clinic.units:
        day = messages_of_day(unit_id=unit.pk, day=today)
        assert day.filter(kind="questionnaire_invitation").exists(), unit
        # None to a patient who gets post only.
        assert not day.filter(patient__contact_preference__protected_identity=True)


def check_each_invitation_to_post_has_its_questionnaire_sheet(living):
    clinic, today = living
    for unit in clinic.units:
        secretary = _own(unit, Profession.SECRETARY)
        letters = list(letters_to_post(unit_id=unit.pk))
        invitations = [x for x in letters if x.kind == LetterKind.INVITATION]
        assert invitations, unit
        sheets = make_sheets(by=secretary, letters=letters, today=today)
        for letter in invitations:
            [sheet] = sheets[letter.pk]
            assert sheet.request.episode.patient_id == letter.patient_id
