"""The team pages: only the unit's administrator, only the unit's memberships."""

import datetime
import re

import pytest

from painrehab.accounts.models import Membership, User
from painrehab.audit.models import AuditEvent


@pytest.fixture
def day0(today):  # noqa: ANN001, ANN201
    """A day a month after the run's own date: the tests move the clock
    forward from it, never back before the fixtures were made."""
    return today + datetime.timedelta(days=30)


def _at(day, hour, minute):  # noqa: ANN001, ANN202
    from zoneinfo import ZoneInfo

    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=ZoneInfo("Europe/Stockholm")
    )


def _writes() -> int:
    return AuditEvent.objects.filter(action="access_change").count()


def test_the_team_page_lists_who_has_access_today(client_for, coordinator, physician):
    response = client_for(coordinator).get("/personal/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Physician_A Testsson" in text
    assert "Tillgång idag" in text
    assert "Personal" in text


def test_a_member_who_is_not_administrator_gets_403(client_for, physician, coordinator):
    client = client_for(physician)
    assert client.get("/personal/").status_code == 403
    before = _writes()
    response = client.post(
        f"/personal/{coordinator.pk}/avsluta/", {"last_day": "2030-01-01"}
    )
    assert response.status_code == 403
    assert _writes() == before


def test_another_units_membership_gives_404_and_nothing_changes(
    client_for, coordinator, other_physician, today
):
    client = client_for(coordinator)
    before = _writes()
    for path in ["", "avsluta/", "aterstall-losenord/", "lank/"]:
        url = f"/personal/{other_physician.pk}/{path}"
        assert client.get(url).status_code in {404, 405}, url
        assert client.post(url, {"last_day": today.isoformat()}).status_code == 404
    other_physician.refresh_from_db()
    assert other_physician.valid_until is None
    assert _writes() == before


def test_add_staff_shows_a_set_password_link_once_and_it_sets_the_password(
    client, client_for, coordinator, today
):
    admin = client_for(coordinator)
    response = admin.post(
        "/personal/ny/",
        {
            "first_name": "Karin",
            "last_name": "Lind",
            "username": "klind",
            "email": "karin.lind@example.se",
            "profession": "physiotherapist",
            "valid_from": today.isoformat(),
            "valid_until": "",
        },
    )
    membership = Membership.objects.get(user__username="klind")
    assert response.status_code == 302
    assert response["Location"] == f"/personal/{membership.pk}/lank/"
    page = admin.get(response["Location"]).content.decode()
    found = re.search(
        r">(http://testserver/konto/satt-losenord/[^<]+)</textarea>", page
    )
    assert found is not None
    link = found[1]
    assert "satt-losenord" not in admin.get(response["Location"]).content.decode()

    admin.logout()
    first = client.get(link)  # Django moves the token out of the path
    assert first.status_code == 302
    form = client.get(first["Location"])
    assert "Välj ditt lösenord" in form.content.decode()
    weak = client.post(
        first["Location"],
        {"new_password1": "lakare123456", "new_password2": "lakare123456"},
    )
    assert weak.status_code == 200
    assert User.objects.get(username="klind").has_usable_password() is False
    done = client.post(
        first["Location"],
        {
            "new_password1": "gräddfil-ångbåt-kompass",
            "new_password2": "gräddfil-ångbåt-kompass",
        },
    )
    assert done.status_code == 302
    assert User.objects.get(username="klind").check_password("gräddfil-ångbåt-kompass")
    assert AuditEvent.objects.filter(
        what="team:password_set|klind", unit_id=coordinator.unit_id
    ).exists()
    assert client.get(link).status_code == 200  # used: no longer works
    assert "Länken fungerar inte" in client.get(link, follow=True).content.decode()


def test_add_staff_keeps_what_was_typed_on_an_error(client_for, coordinator, physician):
    response = client_for(coordinator).post(
        "/personal/ny/",
        {
            "first_name": "Karin",
            "last_name": "Lind",
            "username": "physician_a",
            "email": "karin.lind@example.se",
            "profession": "physiotherapist",
            "valid_from": "2000-01-01",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'value="Karin"' in text
    assert 'value="karin.lind@example.se"' in text
    assert 'value="2000-01-01"' in text
    assert not User.objects.filter(first_name="Karin").exists()


def test_ending_access_on_the_page_removes_access_the_day_after(
    day0, client, client_for, coordinator, physician, travel
):
    today = travel(day0)
    response = client_for(coordinator).post(
        f"/personal/{physician.pk}/avsluta/",
        {"last_day": (day0 + datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 302
    assert today == day0
    travel(
        _at(day0 + datetime.timedelta(days=1), 23, 59)
    )  # the last day, to its last minute
    client.force_login(physician.user)
    assert client.get("/").status_code == 200
    travel(_at(day0 + datetime.timedelta(days=2), 0, 1))  # same session, the next day
    assert client.get("/").status_code == 404


def test_ending_the_last_administrator_is_refused_with_the_typed_day_kept(
    client_for, coordinator, today
):
    response = client_for(coordinator).post(
        f"/personal/{coordinator.pk}/avsluta/", {"last_day": today.isoformat()}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "måste ha en administratör" in text
    assert f'value="{today.isoformat()}"' in text
    coordinator.refresh_from_db()
    assert coordinator.valid_until is None


def test_reset_password_on_the_page(client_for, coordinator, physician):
    client = client_for(coordinator)
    response = client.post(f"/personal/{physician.pk}/aterstall-losenord/")
    assert response.status_code == 302
    assert "satt-losenord" in client.get(response["Location"]).content.decode()
    physician.user.refresh_from_db()
    assert physician.user.has_usable_password() is False


def test_the_access_log_shows_team_changes_in_swedish_words(
    client_for, coordinator, physician, today
):
    client = client_for(coordinator)
    client.post(
        f"/personal/{physician.pk}/",
        {
            "profession": "psychologist",
            "is_unit_admin": "on",
            "valid_until": "",
        },
    )
    text = client.get("/logg/").content.decode()
    assert "Behörighet ändrad: physician_a, Psykolog, enhetsadministratör" in text
    assert "team:" not in text


@pytest.mark.parametrize("english", [False, True])
def test_the_team_page_has_no_code_in_either_language(
    client_for, coordinator, physician, english
):
    client = client_for(coordinator)
    if english:
        client.post("/i18n/setlang/", {"language": "en"})
    text = client.get(f"/personal/{physician.pk}/").content.decode()
    assert "physician_a" in text  # the user name, shown on purpose
    assert "is_unit_admin" not in re.sub(r'(name|id|for)="[^"]*"', "", text)
    assert ("Reset password" in text) is english


def test_an_integration_token_stops_with_its_membership(
    day0, client, coordinator, physician, patient_a, travel
):
    from painrehab.accounts import team
    from painrehab.interop.api.tokens import create_token

    today = travel(day0)
    raw, _ = create_token(membership=physician, label="test")
    team.end_membership(by=coordinator.user, membership=physician, last_day=today)
    header = {"HTTP_AUTHORIZATION": f"Token {raw}"}
    assert client.get("/api/patients/", **header).status_code == 200
    travel(day0 + datetime.timedelta(days=1))
    assert client.get("/api/patients/", **header).status_code == 401


def test_staff_pickers_offer_no_one_whose_access_has_ended(
    day0, coordinator, physician, travel
):
    from painrehab.accounts import team
    from painrehab.accounts.team import unit_staff

    today = travel(day0)
    team.end_membership(by=coordinator.user, membership=physician, last_day=today)
    assert physician.user in unit_staff(unit_id=coordinator.unit_id)
    travel(day0 + datetime.timedelta(days=1))
    assert list(unit_staff(unit_id=coordinator.unit_id)) == [coordinator.user]


def test_the_access_log_still_filters_by_a_colleague_whose_access_ended(
    day0, client, coordinator, physician, travel
):
    from painrehab.accounts import team

    today = travel(day0)
    team.end_membership(by=coordinator.user, membership=physician, last_day=today)
    travel(day0 + datetime.timedelta(days=1))
    client.force_login(coordinator.user)
    page = client.get("/logg/", {"user": str(physician.user_id)})
    assert page.status_code == 200
    assert page.context["form"].is_valid() is True


def _staff(unit, count: int) -> None:  # noqa: ANN001
    from faker import Faker

    fake = Faker("sv_SE")
    fake.seed_instance(count)
    for n in range(count):
        user = User.objects.create_user(
            username=f"staff{count}_{n}",
            first_name=fake.first_name(),
            last_name=fake.last_name(),
        )
        Membership.objects.create(user=user, unit=unit, profession="psychologist")


def test_the_team_page_reads_the_same_number_of_queries_for_10_and_200_staff(
    client_for, coordinator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(coordinator)
    counts = []
    for size in (10, 190):
        _staff(coordinator.unit, size)
        client.get("/personal/")  # the session settles on the first page
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/personal/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 8


def test_give_access_to_an_existing_user_on_the_page(
    client_for, coordinator, other_physician, today
):
    client = client_for(coordinator)
    typed = {
        "username": "no_such_user",
        "profession": "physician",
        "valid_from": today.isoformat(),
        "valid_until": "",
    }
    refused = client.post("/personal/ge-behorighet/", typed)
    assert refused.status_code == 200
    assert "Ingen användare har det användarnamnet." in refused.content.decode()
    assert 'value="no_such_user"' in refused.content.decode()

    given = client.post(
        "/personal/ge-behorighet/", {**typed, "username": "PHYSICIAN_B"}
    )
    assert given.status_code == 302
    assert (
        Membership.objects.get(
            user=other_physician.user, unit=coordinator.unit
        ).valid_from
        == today
    )


def test_the_link_page_says_how_many_days_the_link_works(
    client_for, coordinator, physician, settings
):
    settings.PASSWORD_RESET_TIMEOUT = 2 * 86400
    client = client_for(coordinator)
    response = client.post(f"/personal/{physician.pk}/aterstall-losenord/")
    assert "i 2 dagar" in client.get(response["Location"]).content.decode()
