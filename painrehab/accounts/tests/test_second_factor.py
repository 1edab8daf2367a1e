"""The second factor of a password login: setting up the authenticator, the
code step, recovery codes, the unit administrator's reset, the gate."""

import os
import re
import subprocess
import sys

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from painrehab.accounts.models import LoginFailure, RecoveryCode
from painrehab.accounts.second_factor import (
    confirm_authenticator,
    issue_recovery_codes,
    recovery_code_digest,
    verify_second_factor,
)
from painrehab.audit.models import AuditEvent

PASSWORD = "test-password-123"


def code_now(device: TOTPDevice) -> str:
    """The authenticator's code at the (moved) clock, computed from the key."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp()
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code_now(device)) + 500_000) % 1_000_000:06d}"


@pytest.fixture
def required(settings):  # noqa: ANN001, ANN201
    settings.PAINREHAB_REQUIRE_2FA = True


def _password(client, username="coordinator_a", address="10.0.0.1", next_url=""):  # noqa: ANN001, ANN202
    return client.post(
        reverse("login") + (f"?next={next_url}" if next_url else ""),
        {"username": username, "password": PASSWORD},
        REMOTE_ADDR=address,
    )


def _code(client, code, address="10.0.0.1"):  # noqa: ANN001, ANN202
    return client.post(reverse("second_factor"), {"code": code}, REMOTE_ADDR=address)


def _enrolled(user) -> TOTPDevice:  # noqa: ANN001
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device


def _logged_in(client) -> bool:  # noqa: ANN001
    return "_auth_user_id" in client.session


def test_production_settings_require_the_second_factor():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PAINREHAB_PRODUCTION": "1",
        "PAINREHAB_SECRET_KEY": "k" * 50,
        "PAINREHAB_ALLOWED_HOSTS": "painrehab.example.com",
    }
    env.pop("PAINREHAB_REQUIRE_2FA", None)
    script = "from django.conf import settings; print(settings.PAINREHAB_REQUIRE_2FA)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr


def test_without_the_requirement_and_a_device_the_password_logs_in(client, coordinator):
    assert _password(client).status_code == 302
    assert _logged_in(client) is True


def test_a_user_who_must_enrol_is_sent_to_enrolment_and_reaches_nothing_else(
    client, coordinator, required, nine_tomorrow
):
    nine_tomorrow()
    response = _password(client, next_url="/patienter/")
    assert response["Location"] == reverse("enrol_second_factor")
    assert _logged_in(client) is False
    for url in ("/", "/patienter/", reverse("second_factor_settings")):
        assert client.get(url)["Location"].startswith(reverse("login"))
    page = client.get(reverse("enrol_second_factor"))
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html  # an image, no script
    assert "img-src 'self' data:" in page["Content-Security-Policy"]
    device = TOTPDevice.objects.get(user=coordinator.user, confirmed=False)
    found = re.search(r'id="manual-key"><strong>([A-Z2-7 ]+)<', html)
    assert found is not None
    key = found.group(1)
    assert len(key.replace(" ", "")) == 32
    # A reload shows the same key; a wrong code is refused and counted.
    assert key in client.get(reverse("enrol_second_factor")).content.decode()
    wrong = client.post(reverse("enrol_second_factor"), {"code": wrong_code(device)})
    assert "Koden stämmer inte" in wrong.content.decode()
    assert LoginFailure.objects.count() == 1
    nine_tomorrow(seconds=40)
    done = client.post(reverse("enrol_second_factor"), {"code": code_now(device)})
    assert done.status_code == 200
    codes = re.findall(
        r"<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</li>", done.content.decode()
    )
    assert len(set(codes)) == 10
    assert 'href="/patienter/"' in done.content.decode()
    assert "Tidigare reservkoder" not in done.content.decode()  # the first ones
    assert _logged_in(client) is True
    assert client.get("/patienter/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True
    # Stored as digests only.
    stored = set(RecoveryCode.objects.values_list("digest", flat=True))
    assert stored == {recovery_code_digest(c) for c in codes}
    assert not stored & set(codes)
    assert list(
        AuditEvent.objects.filter(action__in=["login", "access_change"])
        .order_by("id")
        .values_list("what", flat=True)
    ) == [
        "failed login: wrong code at setup",
        "authenticator app set up",
        "new recovery codes",
        "logged in: password and a new authenticator",
    ]
    assert LoginFailure.objects.count() == 0


def test_the_password_alone_cannot_replace_an_authenticator(
    client, coordinator, required
):
    _enrolled(coordinator.user)
    assert _password(client)["Location"] == reverse("second_factor")
    response = client.get(reverse("enrol_second_factor"))
    assert response["Location"] == reverse("second_factor")
    assert TOTPDevice.objects.filter(user=coordinator.user).count() == 1


def test_login_with_password_and_code(client, coordinator, required, nine_tomorrow):
    nine_tomorrow()
    device = _enrolled(coordinator.user)
    assert _password(client, next_url="/patienter/")["Location"] == reverse(
        "second_factor"
    )
    assert client.get("/").status_code == 302  # nobody logged in yet
    page = client.get(reverse("second_factor")).content.decode()
    assert "Ange koden" in page
    wrong = _code(client, wrong_code(device))
    assert wrong.status_code == 200
    assert "Koden stämmer inte" in wrong.content.decode()
    assert _logged_in(client) is False
    nine_tomorrow(seconds=31)  # past django-otp's own 1 s throttle
    right = _code(client, code_now(device))
    assert right["Location"] == "/patienter/"
    assert _logged_in(client) is True
    assert client.get("/").status_code == 200
    whats = list(
        AuditEvent.objects.filter(action="login")
        .order_by("id")
        .values_list("what", flat=True)
    )
    assert whats == [
        "failed login: wrong authenticator code",
        "second factor: authenticator code",
        "logged in: password and authenticator code",
    ]


def test_a_code_is_not_accepted_twice(client, coordinator, required, nine_tomorrow):
    nine_tomorrow()
    device = _enrolled(coordinator.user)
    code = code_now(device)
    _password(client)
    assert _code(client, code).status_code == 302
    client.logout()
    _password(client)
    assert _code(client, code).status_code == 200
    assert _logged_in(client) is False


def test_the_code_step_expires_after_five_minutes(
    client, coordinator, required, nine_tomorrow
):
    nine_tomorrow()
    device = _enrolled(coordinator.user)
    _password(client)
    nine_tomorrow(minutes=5, seconds=1)
    response = _code(client, code_now(device))
    assert response["Location"] == reverse("login")
    assert _logged_in(client) is False


def test_a_recovery_code_logs_in_once(client, coordinator, required, nine_tomorrow):
    nine_tomorrow()
    _enrolled(coordinator.user)
    codes = issue_recovery_codes(user=coordinator.user)
    _password(client)
    response = _code(client, codes[3].upper().replace("-", " "))
    assert response.status_code == 302
    assert _logged_in(client) is True
    assert RecoveryCode.objects.count() == 9
    message = client.get("/").content.decode()
    assert "Du loggade in med en reservkod; 9 finns kvar" in message
    client.logout()
    _password(client)
    again = _code(client, codes[3])
    assert "Koden stämmer inte" in again.content.decode()
    assert _logged_in(client) is False
    assert (
        AuditEvent.objects.filter(what="second factor: recovery code, 9 left").count()
        == 1
    )
    assert (
        AuditEvent.objects.filter(what="failed login: wrong recovery code").count() == 1
    )


def test_new_recovery_codes_invalidate_the_old_ones(
    client_for, coordinator, nine_tomorrow
):
    nine_tomorrow()
    _enrolled(coordinator.user)
    old = issue_recovery_codes(user=coordinator.user)
    client = client_for(coordinator)
    page = client.post(reverse("new_recovery_codes")).content.decode()
    new = re.findall(r"<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</li>", page)
    assert len(new) == 10
    assert "Tidigare reservkoder fungerar inte längre." in page
    assert not set(new) & set(old)
    assert verify_second_factor(user=coordinator.user, code=old[0]) is None
    nine_tomorrow(seconds=2)  # past django-otp's own 1 s throttle
    assert verify_second_factor(user=coordinator.user, code=new[0]) is not None


def test_wrong_codes_count_towards_the_account_delay(
    client, coordinator, required, nine_tomorrow
):
    nine_tomorrow()
    device = _enrolled(coordinator.user)
    for n in range(10):
        nine_tomorrow(seconds=n * 2)
        client.logout()
        _password(client, address=f"10.6.0.{n}")
        _code(client, wrong_code(device), address=f"10.6.0.{n}")
    assert LoginFailure.objects.count() == 10
    # The account now waits: the right password is refused, whatever the address.
    assert _password(client, address="10.6.0.99").status_code == 429
    nine_tomorrow(minutes=1, seconds=30)
    _password(client, address="10.6.0.99")
    assert _code(client, code_now(device), address="10.6.0.99").status_code == 302


def test_wrong_codes_count_towards_the_lock_at_that_address(
    client, coordinator, required, nine_tomorrow
):
    nine_tomorrow()
    device = _enrolled(coordinator.user)
    _password(client)
    for n in range(5):
        nine_tomorrow(seconds=n * 2)
        response = _code(client, wrong_code(device))
    assert response.status_code == 429  # axes' lock of the name at this address
    nine_tomorrow(seconds=40)
    assert _code(client, code_now(device)).status_code == 429
    assert _logged_in(client) is False
    assert list(
        AuditEvent.objects.filter(action="refused")
        .order_by("id")
        .values_list("what", flat=True)
    ) == [
        "login locked: user name at this address",
        "login refused: user name locked at this address",
    ]


def test_a_session_without_the_second_factor_ends_where_it_is_required(
    client_for, coordinator, settings
):
    client = client_for(coordinator)  # a password session, no code
    assert client.get("/").status_code == 200
    settings.PAINREHAB_REQUIRE_2FA = True
    assert client.get("/")["Location"].startswith(reverse("login"))
    assert _logged_in(client) is False


def test_the_unit_administrator_resets_a_staff_members_second_factor(
    client, coordinator, physician, required, nine_tomorrow
):
    nine_tomorrow()
    admin_device = _enrolled(coordinator.user)
    physician_device = _enrolled(physician.user)
    issue_recovery_codes(user=physician.user)
    # The physician is logged in with password and code.
    from django.test import Client

    physician_client = Client()
    _password(physician_client, username="physician_a")
    assert _code(physician_client, code_now(physician_device)).status_code == 302
    assert physician_client.get("/").status_code == 200
    # The unit administrator logs in and resets it.
    _password(client)
    _code(client, code_now(admin_device))
    listing = client.get(reverse("staff_second_factor")).content.decode()
    assert "Återställ för Physician_A Testsson" in listing
    url = reverse("reset_staff_second_factor", args=[physician.pk])
    assert client.post(url)["Location"] == reverse("staff_second_factor")
    assert TOTPDevice.objects.filter(user=physician.user).count() == 0
    assert RecoveryCode.objects.filter(device__user=physician.user).count() == 0
    event = AuditEvent.objects.get(what="second factor reset for physician_a")
    assert (event.actor_label, event.unit_id, event.action) == (
        "coordinator_a",
        physician.unit_id,
        "access_change",
    )
    # The physician's session verified by the old authenticator ends, and the
    # next login asks for a new one.
    assert physician_client.get("/")["Location"].startswith(reverse("login"))
    assert _password(physician_client, username="physician_a")["Location"] == reverse(
        "enrol_second_factor"
    )


def test_only_a_unit_administrator_of_the_same_unit_resets(
    client_for, coordinator, physician, other_physician
):
    _enrolled(other_physician.user)
    url = reverse("reset_staff_second_factor", args=[other_physician.pk])
    assert client_for(coordinator).post(url).status_code == 404
    assert (
        client_for(physician)
        .post(reverse("reset_staff_second_factor", args=[coordinator.pk]))
        .status_code
        == 403
    )
    assert TOTPDevice.objects.filter(user=other_physician.user).count() == 1


def test_the_admin_login_is_the_login_with_its_second_factor(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == "/konto/logga-in/?next=/admin/"


def test_a_wrong_code_at_setup_leaves_the_authenticator_off(coordinator, nine_tomorrow):
    nine_tomorrow()
    device = TOTPDevice.objects.create(user=coordinator.user, confirmed=False)
    assert (
        confirm_authenticator(
            user=coordinator.user, device=device, code=wrong_code(device)
        )
        is None
    )
    device.refresh_from_db()
    assert device.confirmed is False
    assert RecoveryCode.objects.count() == 0


def test_the_own_page_says_whether_it_is_set_up_and_the_codes_left(
    client_for, coordinator
):
    client = client_for(coordinator)
    page = client.get(reverse("second_factor_settings")).content.decode()
    assert "Tvåstegsverifiering är inte inställd." in page
    assert reverse("enrol_second_factor") in page
    _enrolled(coordinator.user)
    issue_recovery_codes(user=coordinator.user)
    page = client.get(reverse("second_factor_settings")).content.decode()
    assert "Tvåstegsverifiering är aktiverad" in page
    assert "Du har 10 oanvända reservkoder." in page
    assert reverse("staff_second_factor") in page  # a unit administrator


def test_a_user_may_set_it_up_of_their_own_accord_and_is_then_asked(
    client_for, coordinator, nine_tomorrow
):
    nine_tomorrow()
    client = client_for(coordinator)
    client.get(reverse("enrol_second_factor"))
    device = TOTPDevice.objects.get(user=coordinator.user)
    page = client.post(reverse("enrol_second_factor"), {"code": code_now(device)})
    assert "Dina reservkoder" in page.content.decode()
    client.logout()
    assert _password(client)["Location"] == reverse("second_factor")
