"""The team investigation: each profession's record and the booked visits (issue 5)."""

from datetime import timedelta

import pytest

from painrehab.accounts.models import Membership, User
from painrehab.core.history import StaleEdit
from painrehab.steps.investigation.services import save_investigation_record
from painrehab.steps.tests.fixtures import _today

# Every test sees one day: the clock fixture holds it still (conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def test_each_profession_writes_its_own_record_with_history(investigated, physician):
    from painrehab.core.history import revisions_of

    record = save_investigation_record(
        by=physician,
        episode=investigated,
        values={"assessment": "Spridd smärta"},
        expected_version=None,
    )
    assert record.profession == "physician"
    save_investigation_record(
        by=physician,
        episode=investigated,
        values={"assessment": "Spridd smärta, sömnbrist"},
        expected_version=1,
    )
    with pytest.raises(StaleEdit):
        save_investigation_record(
            by=physician,
            episode=investigated,
            values={"assessment": "gammal"},
            expected_version=1,
        )
    assert [r.data["values"]["assessment"] for r in revisions_of(record)] == [
        "Spridd smärta",
        "Spridd smärta, sömnbrist",
    ]


def test_investigation_visits_are_booked_per_profession(
    client_for, investigated, coordinator, unit_a, working_day
):
    from painrehab.pathway.models import Booking

    psychologist = Membership.objects.create(
        user=User.objects.create_user(username="psy", password="x-password-123"),
        unit=unit_a,
        profession="psychologist",
    )
    client = client_for(coordinator)
    day = working_day(_today() + timedelta(days=7)).isoformat()
    wrong = {
        "book-profession": "physiotherapist",
        "book-staff": psychologist.user_id,
        "book-day": day,
        "book-start": "10:00",
        "book-minutes": 60,
        "book-mode": "on_site",
    }
    client.post(f"/vardforlopp/{investigated.pk}/utredning/boka/", wrong)
    assert Booking.objects.filter(kind="investigation").count() == 0
    client.post(
        f"/vardforlopp/{investigated.pk}/utredning/boka/",
        {**wrong, "book-profession": "psychologist"},
    )
    booking = Booking.objects.get(kind="investigation")
    assert (booking.staff_id, booking.screening_profession) == (
        psychologist.user_id,
        "psychologist",
    )
    page = client.get(f"/vardforlopp/{investigated.pk}/utredning/").content.decode()
    assert "Utredningsbesök" in page


def test_an_investigation_record_with_a_version_that_is_no_number_is_not_saved(
    client_for, physician, investigated
):
    from painrehab.pathway.models import InvestigationRecord

    url = f"/vardforlopp/{investigated.pk}/utredning/"
    client = client_for(physician)
    client.post(url, {"previous": "Första", "version": ""})
    for version in ["1" * 5000, "9" * 30, "-1", "ett"]:
        response = client.post(url, {"previous": "Skrivet", "version": version})
        assert response.status_code == 400, version
        assert "Skrivet" in response.content.decode()  # what was typed stays
    assert InvestigationRecord.objects.get().values["previous"] == "Första"


def test_an_investigation_record_with_every_field_empty_is_not_stored(
    client_for, physician, investigated
):
    from painrehab.pathway.models import InvestigationRecord
    from painrehab.pathway.states import TransitionRefused

    with pytest.raises(TransitionRefused):
        save_investigation_record(
            by=physician,
            episode=investigated,
            values={"assessment": "  ", "previous": ""},
            expected_version=None,
        )
    url = f"/vardforlopp/{investigated.pk}/utredning/"
    client = client_for(physician)
    response = client.post(url, {"previous": " ", "version": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv något i anteckningen." in html
    assert "Anteckningen är sparad." not in html
    response = client.post(url, {"previous": "", "version": ""}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Skriv något i anteckningen." in html
    assert "Anteckningen är sparad." not in html
    assert not InvestigationRecord.objects.exists()


def test_an_investigation_visit_after_the_last_day_of_access_is_refused_beside_the_staff(
    client_for, investigated, coordinator, unit_a, working_day
):
    from painrehab.pathway.models import Booking

    today = _today()
    day = working_day(today + timedelta(days=14))
    leaving = Membership.all_periods.create(
        user=User.objects.create_user(
            username="psy", first_name="Siv", last_name="Slutar"
        ),
        unit=unit_a,
        profession="psychologist",
        valid_until=day - timedelta(days=1),
    )
    coming = Membership.all_periods.create(
        user=User.objects.create_user(username="ny", first_name="Nils"),
        unit=unit_a,
        profession="psychologist",
        valid_from=today + timedelta(days=7),
    )
    ended = Membership.all_periods.create(
        user=User.objects.create_user(username="gammal", first_name="Gun"),
        unit=unit_a,
        profession="psychologist",
        valid_until=today - timedelta(days=1),
    )
    client = client_for(coordinator)
    page = client.get(f"/vardforlopp/{investigated.pk}/utredning/")
    offered = set(page.context["booking_form"].fields["staff"].queryset)
    assert {leaving.user, coming.user} <= offered
    assert ended.user not in offered
    response = client.post(
        f"/vardforlopp/{investigated.pk}/utredning/boka/",
        {
            "book-profession": "psychologist",
            "book-staff": leaving.user_id,
            "book-day": day.isoformat(),
            "book-start": "10:40",
            "book-minutes": 50,
            "book-mode": "on_site",
        },
    )
    assert response.status_code == 400
    message = f"Siv Slutar har ingen behörighet till enheten {day.isoformat()}."
    assert response.context["booking_form"].errors == {"staff": [message]}
    html = response.content.decode()
    assert f'id="id_book-staff-error" role="alert">{message}</p>' in html
    assert 'value="10:40"' in html
    assert 'value="50"' in html
    assert not Booking.objects.filter(kind="investigation").exists()
