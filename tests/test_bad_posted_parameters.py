"""Posted values that are not form fields of their own — which button was
pressed, a hidden way back, a list of ids, a kind of absence, the criteria's
row count — are read by small forms too: a bad or missing value gives the
page's usual choice or a message in Swedish, never a server error, and
nothing typed is lost. (The questionnaire answers: questionnaires/tests/
test_bad_answers.py; the address's choices: test_bad_query_parameters.py.)"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from painrehab.steps.tests import fixtures
from painrehab.steps.tests.fixtures import ALL_TEAM_CRITERIA
from tests.test_bad_query_parameters import GARBAGE


def _notes(response) -> list[str]:  # noqa: ANN001
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def objects(episode_a) -> dict[str, int]:  # noqa: ANN001
    """One object per id keyword of the URL patterns, in the user's own unit."""
    from painrehab.accounts.tests.test_access_walk import objects_of_episode_unit

    return {key: make() for key, make in objects_of_episode_unit(episode_a).items()}


@pytest.mark.parametrize("value", GARBAGE)
def test_a_unit_that_is_not_ones_own_leaves_the_unit_as_it_was(
    client_for, coordinator, unit_b, value
):
    from painrehab.accounts.middleware import CURRENT_UNIT

    client = client_for(coordinator)
    response = client.post(reverse("switch_unit"), {"unit": value})
    assert response.status_code == 302
    assert client.session.get(CURRENT_UNIT) is None
    client.post(reverse("switch_unit"), {"unit": str(unit_b.pk)})  # not a member
    assert client.session.get(CURRENT_UNIT) is None
    client.post(reverse("switch_unit"), {"unit": str(coordinator.unit_id)})
    assert client.session[CURRENT_UNIT] == coordinator.unit_id


@pytest.mark.parametrize("value", [*GARBAGE, "https://example.org/", "//example.org"])
def test_a_way_back_off_this_site_goes_to_the_patients_outbox(
    client_for, coordinator, objects, value
):
    response = client_for(coordinator).post(
        reverse("outbox:cancel", kwargs={"message_id": objects["message_id"]}),
        {"next": value},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "outbox:patient", kwargs={"patient_id": objects["patient_id"]}
    )


@pytest.mark.parametrize("value", ["9" * 30, "1" * 5000, "abc", "-1", "0"])
def test_a_print_batch_with_an_id_no_letter_can_have_is_refused_in_words(
    client_for, coordinator, value
):
    response = client_for(coordinator).post(
        reverse("outbox:print_batch"), {"letter": ["1", value]}
    )
    assert response.status_code == 302
    assert _notes(response) == [
        "Utskriftsomgången kunde inte bekräftas. Öppna sidan igen och bekräfta "
        "breven som visas där."
    ]


def test_a_print_batch_without_letters_confirms_none(client_for, coordinator):
    response = client_for(coordinator).post(reverse("outbox:print_batch"))
    assert response.status_code == 302
    assert _notes(response) == ["0 brev är markerade som skickade med post."]


@pytest.mark.parametrize(
    "fields",
    [
        {"id": "x", "status": "read"},
        {"status": "delivered"},
        {"id": "", "status": "delivered"},
        {"id": "1" * 5000, "status": "ä"},
        {"id": "x", "status": ""},
    ],
)
def test_a_delivery_report_that_cannot_be_read_is_not_found(client, settings, fields):
    settings.PAINREHAB_SMS = {**settings.PAINREHAB_SMS, "CALLBACK_SECRET": "s3cret"}
    response = client.post(
        reverse("outbox:sms_delivered", kwargs={"secret": "s3cret"}), fields
    )
    assert response.status_code == 404


@pytest.mark.parametrize("value", [*GARBAGE, "Episode"])
def test_an_unknown_way_back_after_the_invitation_goes_home(
    client_for, coordinator, objects, value
):
    url = reverse(
        "pathway:invitation_sent", kwargs={"booking_id": objects["booking_id"]}
    )
    response = client_for(coordinator).post(url, {"next": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_way_back_to_the_episode_is_kept(client_for, coordinator, objects):
    url = reverse(
        "pathway:invitation_sent", kwargs={"booking_id": objects["booking_id"]}
    )
    response = client_for(coordinator).post(url, {"next": "episode"})
    assert response["Location"] == reverse(
        "pathway:episode", kwargs={"episode_id": objects["episode_id"]}
    )


@pytest.mark.parametrize("value", [*GARBAGE, "booked", None])
def test_an_unknown_kind_of_absence_is_refused_in_words(
    client_for, coordinator, objects, value
):
    from painrehab.pathway.models import Booking

    url = reverse("pathway:absence", kwargs={"booking_id": objects["booking_id"]})
    data = {} if value is None else {"status": value}
    response = client_for(coordinator).post(url, data)
    assert response.status_code == 302
    assert _notes(response) == ["Okänd typ av frånvaro."]
    assert Booking.objects.get(pk=objects["booking_id"]).status == "booked"


@pytest.mark.parametrize("value", [*GARBAGE, "true", "yes"])
def test_an_interpreter_is_confirmed_only_by_the_confirm_button(
    client_for, coordinator, objects, value
):
    from painrehab.pathway.models import Booking
    from painrehab.patients.models import Patient

    Patient.objects.filter(pk=objects["patient_id"]).update(
        needs_interpreter=True, interpreter_language="arabiska"
    )
    url = reverse("pathway:interpreter", kwargs={"booking_id": objects["booking_id"]})
    client = client_for(coordinator)
    assert client.post(url, {"confirmed": value}).status_code == 302
    booking = Booking.objects.get(pk=objects["booking_id"])
    assert booking.interpreter_booked_at is not None
    assert not booking.interpreter_confirmed
    client.post(url, {"confirmed": "1"})
    assert Booking.objects.get(pk=objects["booking_id"]).interpreter_confirmed


@pytest.mark.parametrize("value", ["1", "", "ä" * 300])
def test_the_completion_received_button_records_it_whatever_its_value(
    client_for, coordinator, episode_a, value
):
    from painrehab.pathway.models import Referral

    url = reverse("pathway:completion", kwargs={"episode_id": episode_a.pk})
    client = client_for(coordinator)
    client.post(url)  # no button name: ask the referrer
    referral = Referral.objects.get(episode=episode_a)
    assert referral.completion_requested_on is not None
    assert referral.completion_received_on is None
    client.post(url, {"received": value})
    assert Referral.objects.get(episode=episode_a).completion_received_on is not None


@pytest.mark.parametrize("value", [*GARBAGE, "Absence"])
def test_an_unknown_form_on_the_availability_page_saves_nothing_and_keeps_the_page(
    client_for, coordinator, today, value
):
    from painrehab.programmes.models import StaffAbsence

    url = reverse("programmes:availability", kwargs={"member_id": coordinator.pk})
    typed = {"first_day": today.isoformat(), "last_day": today.isoformat()}
    client = client_for(coordinator)
    response = client.post(url, {"form": value, **typed})
    assert response.status_code == 200
    assert not StaffAbsence.objects.exists()
    assert client.post(url, {"form": "absence", **typed}).status_code == 302
    assert StaffAbsence.objects.count() == 1


@pytest.mark.parametrize("rows", [*GARBAGE, "501", "3.5"])
def test_a_criteria_row_count_that_is_no_count_keeps_the_new_row_as_typed(
    client_for, coordinator, rows
):
    from painrehab.pathway.models import CriteriaSet

    url = reverse("pathway:criteria", kwargs={"template": "specialist"})
    typed = {"rows": rows, "c-0-text_sv": "Nytt kriterium", "c-0-kind": "inclusion"}
    before = CriteriaSet.objects.count()
    response = client_for(coordinator).post(url, typed)
    assert response.status_code < 500
    if response.status_code == 400:  # refused: the row typed is shown again
        assert "Nytt kriterium" in response.content.decode()
    else:  # a count of 0 rows and more: the new row is read as one
        assert CriteriaSet.objects.count() == before + 1


@pytest.mark.parametrize("value", [*GARBAGE, "krt_group_1_month"])
def test_a_follow_up_not_in_the_schedule_is_refused_and_the_typed_note_stays(
    client_for, coordinator, episode_a, today, value
):
    from painrehab.pathway.models import FollowUpRecord

    url = reverse("pathway:follow_up", kwargs={"episode_id": episode_a.pk})
    response = client_for(coordinator).post(
        url,
        {"item_key": value, "outcome": "done", "held_on": today, "note": "Mår bra"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Uppföljningen finns inte i vårdförloppets plan." in page
    assert "Mår bra" in page
    assert not FollowUpRecord.objects.exists()


# The planning meeting's fixtures, shared with the steps' own tests.
investigated = fixtures.investigated
conference = fixtures.conference
planned = fixtures.planned


@pytest.mark.parametrize("value", [*GARBAGE, "Yes", "true"])
def test_a_checklist_answer_that_is_neither_yes_nor_no_leaves_the_criterion_open(
    client_for, physician, conference, value
):
    from painrehab.pathway.models import AssessmentConference

    open_key, *others = list(ALL_TEAM_CRITERIA)
    data = {
        "version": conference.version,
        "main_problems": "Smärta och sömnbrist",
        "has_pending_investigations": "no",
        f"confirm_{open_key}": value,
        **{
            f"confirm_{key}": "yes" if ALL_TEAM_CRITERIA[key] else "no"
            for key in others
        },
    }
    response = client_for(physician).post(
        reverse(
            "pathway:conference_save", kwargs={"episode_id": conference.episode_id}
        ),
        data,
    )
    assert response.status_code == 302
    saved = AssessmentConference.objects.get(pk=conference.pk)
    assert saved.main_problems == "Smärta och sömnbrist"
    assert open_key not in saved.confirmations
    assert saved.confirmations  # the others are kept


@pytest.mark.parametrize("value", [*GARBAGE, "Sign", None])
def test_an_unknown_button_on_the_plan_saves_the_plans_text_and_signs_nothing(
    client_for, physician, planned, value
):
    from painrehab.pathway.models import RehabPlan

    data = {"version": planned.version, "overall_goal": "Arbeta 50 %"}
    if value is not None:
        data["action"] = value
    response = client_for(physician).post(
        reverse("pathway:plan_save", kwargs={"episode_id": planned.episode_id}), data
    )
    assert response.status_code == 302
    plan = RehabPlan.objects.get(pk=planned.pk)
    assert plan.overall_goal == "Arbeta 50 %"
    assert not plan.is_signed
    assert _notes(response) == ["Planen är sparad."]


@pytest.mark.parametrize("value", ["1", "", "ä" * 300])
def test_the_write_the_plan_button_opens_it_whatever_its_value(
    client_for, physician, conference, value
):
    from painrehab.pathway.models import RehabPlan
    from painrehab.steps.conference.services import (
        decide_after_conference,
        update_conference,
    )

    update_conference(
        by=physician,
        conference=conference,
        expected_version=1,
        confirmations=ALL_TEAM_CRITERIA,
    )
    decide_after_conference(
        by=physician,
        conference=conference,
        decision="group_programme",
        expected_version=2,
    )
    url = reverse("pathway:plan", kwargs={"episode_id": conference.episode_id})
    client = client_for(physician)
    assert client.post(url, {"other": "1"}).status_code == 200  # no button: the page
    assert not RehabPlan.objects.exists()
    assert client.post(url, {"open": value}).status_code == 302
    assert RehabPlan.objects.filter(episode_id=conference.episode_id).exists()
