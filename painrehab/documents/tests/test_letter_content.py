"""What the letters to patients and referrers say: the rules in
documents.letter_values, without and with the database."""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from painrehab.accounts.models import Membership, User
from painrehab.documents.letter_values import (
    AttendanceFacts,
    attendance_sentence,
    goal_evaluation_line,
    maintenance_plan_sentence,
    people_with_professions,
    screening_findings,
)
from painrehab.documents.models import LetterKind
from painrehab.documents.services import draft_letter
from painrehab.pathway.models import Booking

# --- the rules, without the database ---------------------------------------


def test_each_person_met_is_named_with_the_profession():
    assert (
        people_with_professions(
            [("Axel Englund", "läkare"), ("Niclas Svedberg", "fysioterapeut")]
        )
        == "Axel Englund, läkare, och Niclas Svedberg, fysioterapeut"
    )
    assert people_with_professions([("Axel Englund", "läkare")]) == (
        "Axel Englund, läkare"
    )
    assert people_with_professions([("Axel Englund", ""), ("Nils Berg", "")]) == (
        "Axel Englund och Nils Berg"
    )
    assert people_with_professions([]) == ""


def test_a_goal_evaluation_carries_the_evaluators_comment():
    assert goal_evaluation_line(
        description="Promenera 30 minuter dagligen",
        result="delvis uppnått",
        comment="Går 20 minuter\nde flesta dagar.",
    ) == (
        "- Promenera 30 minuter dagligen: delvis uppnått – Går 20 minuter de flesta dagar."
    )
    assert goal_evaluation_line(
        description="Sova minst 6 timmar", result="uppfyllt", comment="  "
    ) == ("- Sova minst 6 timmar: uppfyllt")


def test_the_maintenance_plan_is_mentioned_only_once_recorded():
    assert maintenance_plan_sentence(None) == ""
    assert maintenance_plan_sentence(date(2027, 5, 20)) == (
        "Patienten har en vidmakthållandeplan, ifylld vid uppföljningen 2027-05-20."
    )


@pytest.mark.parametrize(
    ("attendance", "said"),
    [
        (None, ""),
        (AttendanceFacts(attended=0, planned=0), ""),
        (
            AttendanceFacts(attended=20, planned=20),
            "Närvaro: 20 av 20 schemalagda tillfällen.",
        ),
        (
            AttendanceFacts(attended=17, planned=20),
            "Närvaro: 17 av 20 schemalagda tillfällen (frånvaro 15 %).",
        ),
        (
            AttendanceFacts(attended=17, planned=20, excused=2),
            "Närvaro: 17 av 20 schemalagda tillfällen (frånvaro 15 %, varav 2 av 3 "
            "tillfällen med giltigt förhinder).",
        ),
        (
            AttendanceFacts(attended=1, planned=8),  # 87.5 % rounds half up
            "Närvaro: 1 av 8 schemalagda tillfällen (frånvaro 88 %).",
        ),
        (
            AttendanceFacts(attended=12, planned=14, individual=True),
            "Närvaro: 12 av 14 bokade insatser (uteblev från 2).",
        ),
        (
            AttendanceFacts(attended=6, planned=6, individual=True),
            "Närvaro: 6 av 6 bokade insatser.",
        ),
    ],
)
def test_attendance_is_said_as_sessions_attended_of_planned(attendance, said):
    assert attendance_sentence(attendance) == said


def test_screening_findings_name_the_profession_and_the_filled_fields():
    record = SimpleNamespace(
        profession="physiotherapist",
        rows=[("Smärtintensitet (NPRS)", "7"), ("Rörelserädsla (TSK)", "")],
    )
    assert screening_findings(record) == (
        "Bedömning av fysioterapeut vid nybesöket:\n- Smärtintensitet (NPRS): 7"
    )
    assert screening_findings(None) == ""
    empty = SimpleNamespace(profession="physiotherapist", rows=[("Bedömning", " ")])
    assert screening_findings(empty) == ""


# --- the invitation ---------------------------------------------------------


@pytest.fixture
def booked_with_screening(episode_a, physician, coordinator, unit_a, today):  # noqa: ANN001, ANN201
    user = User.objects.create_user(
        username="physio_a", first_name="Niclas", last_name="Svedberg"
    )
    Membership.objects.create(user=user, unit=unit_a, profession="physiotherapist")
    physician.user.first_name, physician.user.last_name = "Axel", "Englund"
    physician.user.save()
    starts = timezone.make_aware(datetime.combine(today + timedelta(days=30), time(13)))
    return Booking.objects.create(
        episode=episode_a,
        unit=unit_a,
        kind=Booking.Kind.NEW_VISIT,
        starts_at=starts,
        staff=physician.user,
        second_staff=user,
        screening_profession="physiotherapist",
        booked_by=coordinator.user,
    )


def test_the_invitation_names_each_person_with_the_profession(
    booked_with_screening, coordinator, episode_a
):
    # Found walking the demo: "Hos: Axel Englund och Niclas Svedberg".
    letter = draft_letter(by=coordinator, episode=episode_a, kind=LetterKind.INVITATION)
    assert "- Hos: Axel Englund, läkare, och Niclas Svedberg, fysioterapeut\n" in (
        letter.body
    )


def test_an_investigation_visit_names_the_profession_it_was_booked_for(
    booked_with_screening, coordinator, episode_a
):
    booking = booked_with_screening
    booking.kind, booking.second_staff = Booking.Kind.INVESTIGATION, None
    booking.save()
    letter = draft_letter(by=coordinator, episode=episode_a, kind=LetterKind.INVITATION)
    assert "- Hos: Axel Englund, fysioterapeut\n" in letter.body


def test_a_staff_member_of_another_kind_of_visit_is_named_with_the_unit_profession(
    booked_with_screening, coordinator, episode_a
):
    booking = booked_with_screening
    booking.kind, booking.screening_profession = Booking.Kind.PLANNING_MEETING, ""
    booking.staff, booking.second_staff = coordinator.user, None
    booking.save()
    letter = draft_letter(by=coordinator, episode=episode_a, kind=LetterKind.INVITATION)
    name = coordinator.user.get_full_name()
    assert f"- Hos: {name}, koordinator/sjuksköterska\n" in letter.body


def test_the_invitation_says_how_the_forms_arrive_rather_than_that_they_are_inside(
    booked_with_screening, coordinator, episode_a
):
    # The code for the forms is printed on a sheet of its own in the print
    # batch (outbox.printing), never in the letter: the letter must not say
    # that the forms come with it.
    letter = draft_letter(by=coordinator, episode=episode_a, kind=LetterKind.INVITATION)
    assert "Med kallelsen får du formulär" not in letter.body
    assert (
        "Hur du svarar på nätet, med en personlig kod, står på ett eget blad som vi "
        "skickar till dig med posten." in letter.body
    )


def test_the_maintenance_plan_placeholder_follows_the_follow_up_tick(
    episode_a, coordinator, today
):
    from painrehab.documents.letter_values import letter_facts, letter_values
    from painrehab.pathway.models import FollowUpRecord

    def said() -> str:
        facts = letter_facts(episode=episode_a, today=today)
        return letter_values(facts)["vidmakthållandeplan"]

    assert said() == ""
    held = today - timedelta(days=3)
    FollowUpRecord.objects.create(
        episode=episode_a,
        item_key="phone_4_6_weeks",
        outcome="done",
        held_on=held,
        maintenance_plan_completed=False,
        recorded_by=coordinator.user,
    )
    assert said() == ""
    FollowUpRecord.objects.create(
        episode=episode_a,
        item_key="on_site_3_4_months",
        outcome="done",
        held_on=today,
        maintenance_plan_completed=True,
        recorded_by=coordinator.user,
    )
    assert said() == (
        f"Patienten har en vidmakthållandeplan, ifylld vid uppföljningen {today}."
    )
