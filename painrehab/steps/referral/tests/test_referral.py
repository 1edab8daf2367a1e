"""A referral's writes that span steps are one transaction: the new patient
with the referral, the request for completion with its letter."""

from datetime import timedelta

import pytest

from painrehab.core.personnummer import tax_agency_test_number
from painrehab.pathway.models import Episode, Referral
from painrehab.patients.models import Patient

pytestmark = pytest.mark.usefixtures("clock")


def test_a_refused_referral_registers_no_new_patient(client_for, secretary, today):
    # Received before the patient was born: the referral's own rule refuses it
    # after the patient's identity has been read.
    born = today - timedelta(days=30)
    number = tax_agency_test_number(born=born, female=True)
    response = client_for(secretary).post(
        "/vardforlopp/remiss/ny/",
        {
            "personnummer": number,
            "first_name": "Anna",
            "last_name": "Andersson",
            "source": "referral",
            "received_on": (born - timedelta(days=10)).isoformat(),
            "referrer_name": "Dr Remiss",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Datumet ligger före patientens födelse." in html
    assert 'value="Dr Remiss"' in html
    assert not Patient.objects.filter(birth_date=born).exists()
    assert not Episode.objects.exists()


def test_a_request_for_completion_whose_letter_cannot_be_drafted_is_not_marked(
    client_for, coordinator, episode_a, break_letters
):
    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad"
    )
    break_letters()
    with pytest.raises(RuntimeError, match="letter drafting broke"):
        client_for(coordinator).post(f"/vardforlopp/{episode_a.pk}/komplettering/")
    assert Referral.objects.get(episode=episode_a).completion_requested_on is None


def test_a_request_for_completion_without_the_address_is_marked_with_a_warning(
    client_for, coordinator, episode_a
):
    Referral.objects.filter(episode=episode_a).update(referrer_address="")
    response = client_for(coordinator).post(
        f"/vardforlopp/{episode_a.pk}/komplettering/", follow=True
    )
    assert Referral.objects.get(episode=episode_a).completion_requested_on is not None
    assert response.redirect_chain[-1][0] == f"/vardforlopp/{episode_a.pk}/"
    assert len(list(response.context["messages"])) == 1


def test_a_request_for_completion_on_an_own_request_is_refused(
    client_for, coordinator, episode_a
):
    from painrehab.pathway.states import TransitionRefused
    from painrehab.steps.referral.services import ask_referrer_to_complete

    Referral.objects.filter(episode=episode_a).update(
        source="own_request", referrer_name="", referrer_address=""
    )
    episode_a.refresh_from_db()
    with pytest.raises(TransitionRefused, match="egen vårdbegäran"):
        ask_referrer_to_complete(by=coordinator, episode=episode_a)
    client = client_for(coordinator)
    page = client.get(f"/vardforlopp/{episode_a.pk}/").content.decode()
    assert "Begär komplettering" not in page
    response = client.post(f"/vardforlopp/{episode_a.pk}/komplettering/", follow=True)
    assert response.redirect_chain[-1][0] == f"/vardforlopp/{episode_a.pk}/"
    assert [str(m) for m in response.context["messages"]] == [
        "Patienten kom på egen vårdbegäran: det finns ingen remittent att be om komplettering."
    ]
    referral = Referral.objects.get(episode=episode_a)
    assert referral.completion_requested_on is None
    from painrehab.documents.models import Letter

    assert not Letter.objects.filter(episode=episode_a).exists()


def test_full_time_sick_leave_at_50_percent_is_refused_beside_the_degree(
    client_for, secretary, today
):
    born = today - timedelta(days=40 * 365)
    response = client_for(secretary).post(
        "/vardforlopp/remiss/ny/",
        {
            "personnummer": tax_agency_test_number(born=born, female=True),
            "first_name": "Anna",
            "last_name": "Andersson",
            "source": "referral",
            "received_on": today.isoformat(),
            "referrer_name": "Dr Remiss",
            "sick_leave": "fully",
            "sick_leave_percent": "50",
            "work_situation": "Undersköterska",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "sick_leave_percent": [
            "Heltid sjukskriven är 100 %. Välj delvis sjukskriven för en lägre grad."
        ]
    }
    html = response.content.decode()
    assert 'value="Dr Remiss"' in html
    assert 'value="50"' in html
    assert "Undersköterska" in html
    assert not Episode.objects.exists()


def test_a_correction_to_a_contradictory_sick_leave_is_refused(
    client_for, secretary, episode_a
):
    response = client_for(secretary).post(
        f"/vardforlopp/{episode_a.pk}/remiss/ratta/",
        {
            "version": episode_a.referral.version,
            "source": "referral",
            "received_on": episode_a.referral.received_on.isoformat(),
            "referrer_name": "Dr Remiss",
            "sick_leave": "none",
            "sick_leave_percent": "25",
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["sick_leave_percent"]
    referral = Referral.objects.get(episode=episode_a)
    assert (referral.sick_leave, referral.sick_leave_percent) == ("unknown", None)


def test_the_registering_service_refuses_a_contradictory_sick_leave(
    secretary, patient_a, today
):
    from painrehab.pathway.states import TransitionRefused
    from painrehab.steps.referral.services import register_referral

    with pytest.raises(TransitionRefused) as refused:
        register_referral(
            by=secretary,
            patient=patient_a,
            source="referral",
            received_on=today,
            sick_leave="partly",
            sick_leave_percent=100,
        )
    assert refused.value.field == "sick_leave_percent"
    assert not Episode.objects.filter(patient=patient_a).exists()


def test_a_second_request_for_completion_while_one_is_outstanding_is_refused(
    client_for, coordinator, episode_a, today
):
    from painrehab.documents.models import Letter
    from painrehab.pathway.states import TransitionRefused
    from painrehab.steps.referral.services import (
        ask_referrer_to_complete,
        record_completion,
    )

    Referral.objects.filter(episode=episode_a).update(
        referrer_address="Box 9\n111 99 Stad"
    )
    episode_a.refresh_from_db()
    _referral, letters, _problems = ask_referrer_to_complete(
        by=coordinator, episode=episode_a
    )
    assert len(letters) == 1
    episode_a.refresh_from_db()
    with pytest.raises(TransitionRefused, match=today.isoformat()):
        ask_referrer_to_complete(by=coordinator, episode=episode_a)
    # A second tab: the page still shows the old button, the POST is refused.
    response = client_for(coordinator).post(
        f"/vardforlopp/{episode_a.pk}/komplettering/", follow=True
    )
    assert response.redirect_chain[-1][0] == f"/vardforlopp/{episode_a.pk}/"
    assert [str(m) for m in response.context["messages"]] == [
        f"Komplettering begärdes från remittenten {today.isoformat()} och har inte "
        "kommit in ännu. Markera den som mottagen innan du begär en ny."
    ]
    assert Letter.objects.filter(episode=episode_a).count() == 1
    # Once the completion has come, the referrer may be asked again.
    record_completion(by=coordinator, episode=episode_a)
    episode_a.refresh_from_db()
    _referral, letters, _problems = ask_referrer_to_complete(
        by=coordinator, episode=episode_a
    )
    assert len(letters) == 1
    assert Letter.objects.filter(episode=episode_a).count() == 2
