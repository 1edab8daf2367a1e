"""Attendance per session and participant, the absence threshold and the list
for the patient-conference agenda, and the warning letter's text."""

from datetime import date, time, timedelta

import pytest

from painrehab.audit.models import AuditEvent
from painrehab.core.history import revisions_of
from painrehab.programmes.letters import absence_warning
from painrehab.programmes.models import Attendance, Session
from painrehab.programmes.rules import AbsenceRate
from painrehab.programmes.selectors import (
    cohort_participants,
    patients_over_absence_threshold,
)
from painrehab.programmes.services import ProgrammeRefused
from painrehab.programmes.services.attendance import record_attendance
from painrehab.programmes.tests.conftest import MONDAY
from painrehab.programmes.tests.factories import aware


def group_sessions(cohort, n, *, first=MONDAY):  # noqa: ANN001, ANN202
    """`n` whole-group sessions on consecutive weekdays from `first`."""
    participants = list(cohort.participants.order_by("pk"))
    sessions = []
    for number in range(n):
        session = Session.objects.create(
            unit=cohort.unit,
            cohort=cohort,
            activity_key="acceptance",
            activity_name="Acceptans, del " + str(number + 1),
            date=first + timedelta(days=number),
            start=time(9),
            end=time(10),
            attendees="all",
        )
        session.participants.set(participants)
        sessions.append(session)
    return sessions


@pytest.fixture
def three(decided, cohort_of, specialist):  # noqa: ANN001, ANN201
    cohort = cohort_of(specialist, decided(3))
    return cohort, list(cohort.participants.order_by("pk"))


def test_attendance_is_stored_versioned_and_audited(three, coordinator) -> None:
    cohort, (anna, bo, cai) = three
    (session,) = group_sessions(cohort, 1)
    after = aware(MONDAY, 11)
    changed = record_attendance(
        by=coordinator,
        session=session,
        statuses={anna.pk: "present", bo.pk: "absent"},
        now=after,
    )
    assert changed == 2
    assert dict(session.attendance.values_list("participant_id", "status")) == {
        anna.pk: "present",
        bo.pk: "absent",
    }
    event = AuditEvent.objects.get(what=f"attendance recorded: session {session.pk}")
    assert (event.action, event.object_type) == ("update", "programmes.Session")
    assert sorted(event.patients.values_list("patient_id", flat=True)) == sorted(
        [anna.episode.patient_id, bo.episode.patient_id]
    )
    # The same statuses again change nothing and write no row.
    assert (
        record_attendance(
            by=coordinator,
            session=session,
            statuses={anna.pk: "present", bo.pk: "absent"},
            now=after,
        )
        == 0
    )
    assert AuditEvent.objects.filter(what__startswith="attendance").count() == 1
    # Bo was excused after all: a new version, the old one kept as a revision.
    record_attendance(
        by=coordinator, session=session, statuses={bo.pk: "excused"}, now=after
    )
    row = Attendance.objects.get(session=session, participant=bo)
    assert (row.status, row.version) == ("excused", 2)
    assert [(r.version, r.data["status"]) for r in revisions_of(row)] == [
        (1, "absent"),
        (2, "excused"),
    ]


def test_attendance_is_refused_before_the_day_and_for_outsiders(
    three, coordinator, secretary, decided, cohort_of, specialist
) -> None:
    cohort, (anna, _bo, _cai) = three
    (session,) = group_sessions(cohort, 1)
    with pytest.raises(ProgrammeRefused) as refused:
        record_attendance(
            by=coordinator,
            session=session,
            statuses={anna.pk: "present"},
            now=aware(MONDAY - timedelta(days=1)),
        )
    assert refused.value.message == (
        "Närvaro registreras samma dag som passet eller senare."
    )
    other = cohort_of(specialist, decided(1), start=MONDAY + timedelta(weeks=6))
    stranger = other.participants.get()
    with pytest.raises(ProgrammeRefused, match="Bara passets deltagare"):
        record_attendance(
            by=coordinator,
            session=session,
            statuses={stranger.pk: "present"},
            now=aware(MONDAY, 11),
        )
    with pytest.raises(ProgrammeRefused, match="Okänd närvaro"):
        record_attendance(
            by=coordinator,
            session=session,
            statuses={anna.pk: "late"},
            now=aware(MONDAY, 11),
        )
    with pytest.raises(ProgrammeRefused):
        record_attendance(
            by=secretary,
            session=session,
            statuses={anna.pk: "present"},
            now=aware(MONDAY, 11),
        )
    assert Attendance.objects.count() == 0


def record_week(cohort, participants, pattern, coordinator):  # noqa: ANN001, ANN202
    """Five sessions; `pattern` gives each participant's statuses in order."""
    sessions = group_sessions(cohort, 5)
    for number, session in enumerate(sessions):
        statuses = {
            p.pk: pattern[p.pk][number]
            for p in participants
            if number < len(pattern[p.pk])
        }
        record_attendance(
            by=coordinator,
            session=session,
            statuses=statuses,
            now=aware(MONDAY + timedelta(days=6)),
        )


def test_absence_over_the_threshold_flags_the_patient(
    three, coordinator, specialist, unit_a
) -> None:
    cohort, (anna, bo, cai) = three
    record_week(
        cohort,
        [anna, bo, cai],
        {
            anna.pk: ["present", "present", "absent", "present", "present"],  # 20 %
            bo.pk: ["absent", "present", "excused", "present", "present"],  # 40 %
            cai.pk: ["present", "excused", "present", "present"],  # 25 %
        },
        coordinator,
    )
    rows = cohort_participants(cohort)
    assert [(r.participant, r.rate, r.flagged) for r in rows] == [
        (anna, AbsenceRate(present=4, absent=1), False),
        (bo, AbsenceRate(present=3, absent=1, excused=1), True),
        (cai, AbsenceRate(present=3, excused=1), True),
    ]
    wednesday = MONDAY + timedelta(days=2)
    flags = patients_over_absence_threshold(unit=unit_a, today=wednesday)
    assert [(f.patient_id, f.rate.percent, f.threshold_percent) for f in flags] == [
        (bo.episode.patient_id, 40, 20),
        (cai.episode.patient_id, 25, 20),
    ]
    assert flags[0].cohort_id == cohort.pk
    assert flags[0].episode_id == bo.episode_id
    # A unit that tolerates 30 % flags only Bo; after the programme, nobody.
    specialist.absence_threshold_percent = 30
    specialist.save()
    flags = patients_over_absence_threshold(unit=unit_a, today=wednesday)
    assert [f.patient_id for f in flags] == [bo.episode.patient_id]
    assert patients_over_absence_threshold(unit=unit_a, today=date(2026, 5, 1)) == []


def test_the_other_units_cohorts_are_not_on_the_agenda(
    three, coordinator, unit_b
) -> None:
    cohort, participants = three
    record_week(
        cohort,
        participants,
        {p.pk: ["absent"] * 5 for p in participants},
        coordinator,
    )
    assert patients_over_absence_threshold(unit=unit_b, today=MONDAY) == []


def test_absence_over_threshold_selector_is_one_query(
    three, coordinator, unit_a, django_assert_num_queries
) -> None:
    cohort, participants = three
    record_week(
        cohort, participants, {p.pk: ["absent"] * 5 for p in participants}, coordinator
    )
    with django_assert_num_queries(1):
        flags = patients_over_absence_threshold(unit=unit_a, today=MONDAY)
    assert len(flags) == 3


def test_the_warning_letter_names_the_missed_sessions(three, coordinator) -> None:
    cohort, (anna, bo, cai) = three
    record_week(
        cohort,
        [anna, bo, cai],
        {
            anna.pk: ["present"] * 5,
            bo.pk: ["absent", "present", "excused", "present", "present"],
            cai.pk: ["present"] * 5,
        },
        coordinator,
    )
    cohort.unit.phone = "026-123 45"
    cohort.unit.save()
    letter = absence_warning(participant=bo, today=MONDAY + timedelta(days=6))
    patient = bo.episode.patient
    assert letter.subject == "Angående din frånvaro från smärtrehabprogrammet"
    assert letter.body == (
        f"Hej {patient.first_name},\n\n"
        f"Du deltar i {cohort.name} (2026-03-02 – 2026-04-05). För att du ska kunna "
        "tillgodogöra dig programmet är hög närvaro viktig.\n\n"
        "Hittills har du varit frånvarande vid 2 av 5 schemalagda tillfällen (40 %), "
        "varav 1 med giltigt förhinder:\n"
        "- 2026-03-02 kl. 09:00: Acceptans, del 1\n"
        "- 2026-03-04 kl. 09:00: Acceptans, del 3\n\n"
        "Om frånvaron fortsätter kan teamet behöva avsluta din rehabilitering i "
        "förtid. Hör gärna av dig om något gör det svårt för dig att delta, så "
        "planerar vi tillsammans hur du kan fortsätta.\n"
        "Telefon: 026-123 45"
    )
    assert letter.context["threshold_percent"] == 20


def test_the_warning_page_drafts_the_letter_in_the_letters_engine(
    three, coordinator, client
) -> None:
    from painrehab.documents.models import Letter, LetterKind

    cohort, (_anna, bo, _cai) = three
    record_week(
        cohort,
        [bo],
        {bo.pk: ["absent", "absent", "present", "present", "present"]},
        coordinator,
    )
    client.force_login(coordinator.user)
    response = client.post(f"/program/deltagare/{bo.pk}/varningsbrev/")
    letter = Letter.objects.get(kind=LetterKind.ABSENCE_WARNING)
    assert response["Location"] == f"/brev/{letter.pk}/"
    assert (letter.recipient, letter.patient_id) == ("patient", bo.episode.patient_id)
    assert "frånvarande vid 2 av 5" in letter.body
