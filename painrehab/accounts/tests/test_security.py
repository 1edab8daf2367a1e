"""The security baseline: lockout, session limits, headers, production settings."""

import logging
import os
import subprocess
import sys
import time

import pytest
from django.urls import reverse

from painrehab.accounts.middleware import SESSION_STARTED
from painrehab.core.logging import ScrubSecretsFilter, scrub


def _login(client, password, address="10.0.0.1"):  # noqa: ANN001, ANN202
    return client.post(
        reverse("login"),
        {"username": "coordinator_a", "password": password},
        REMOTE_ADDR=address,
    )


def test_five_failed_logins_lock_the_user_at_that_address_only(client, coordinator):
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200
    assert _login(client, "wrong").status_code == 429  # the fifth failure locks
    locked = _login(client, "test-password-123")
    assert locked.status_code == 429
    assert "För många misslyckade inloggningar" in locked.content.decode()
    # A colleague behind the same hospital address is not locked out with them.
    other = client.post(
        reverse("login"),
        {"username": "nobody", "password": "x"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert other.status_code == 200
    # The same user from another address is not locked either.
    assert _login(client, "test-password-123", address="10.0.0.2").status_code == 302


def test_lockout_has_a_cool_off(settings):
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_session_is_ended_after_the_absolute_limit(client_for, coordinator, settings):
    client = client_for(coordinator)
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_STARTED] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_idle_timeout_is_thirty_minutes_renewed_on_each_request(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_pages_carry_a_content_security_policy_without_inline_script(
    client_for, coordinator
):
    response = client_for(coordinator).get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_switching_unit_only_to_ones_own_units(
    client_for, coordinator, unit_b, patient_b
):
    from painrehab.accounts.models import Membership

    client = client_for(coordinator)
    client.post(reverse("switch_unit"), {"unit": unit_b.pk})
    assert client.get(f"/patienter/{patient_b.pk}/").status_code == 404
    Membership.objects.create(
        user=coordinator.user, unit=unit_b, profession="physician"
    )
    client.post(reverse("switch_unit"), {"unit": unit_b.pk})
    assert client.get(f"/patienter/{patient_b.pk}/").status_code == 200


def test_english_is_available_and_swedish_is_the_default(client_for, coordinator):
    client = client_for(coordinator)
    assert "Arbetslista" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Worklist" in client.get("/").content.decode()


def test_tokens_and_personnummer_are_scrubbed_from_log_lines():
    assert (
        scrub("Not Found: /f/AbCdEf0123456789xyz/svar/")
        == "Not Found: /f/[token]/svar/"
    )
    assert scrub("patient 19850101-2382 saved") == "patient [personnummer] saved"
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        "",
        0,
        "Not Found: %s",
        ("/f/AbCdEf0123456789/",),
        None,
    )
    ScrubSecretsFilter().filter(record)
    assert record.getMessage() == "Not Found: /f/[token]/"


@pytest.mark.skipif(sys.platform != "linux", reason="runs manage.py in a subprocess")
def test_check_deploy_passes_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PAINREHAB_PRODUCTION": "1",
        "PAINREHAB_SECRET_KEY": "k" * 30 + "Zq8#x!v2@Lm4$Pw7^Rt9&Yb3*Nc6(Hd1)Jf5",
        "PAINREHAB_ALLOWED_HOSTS": "painrehab.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {
        **os.environ,
        "PAINREHAB_PRODUCTION": "1",
        "PAINREHAB_SECRET_KEY": "",
        "PAINREHAB_ALLOWED_HOSTS": "x",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set the environment variable PAINREHAB_SECRET_KEY" in result.stderr
