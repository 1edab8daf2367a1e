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
