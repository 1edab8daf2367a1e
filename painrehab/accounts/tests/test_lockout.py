"""The per-account delay across addresses, beside axes' lock per user and address."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse

from painrehab.accounts.lockout import account_delay_until
from painrehab.accounts.models import LoginFailure
from painrehab.audit.models import AuditEvent

PASSWORD = "test-password-123"
T0 = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)
RULE: dict[str, Any] = {
    "limit": 10,
    "first": timedelta(minutes=1),
    "longest": timedelta(minutes=60),
}


def _failures(count: int) -> list[datetime]:
    return [T0 + timedelta(seconds=i) for i in range(count)]


def test_no_delay_below_the_limit():
    assert account_delay_until(_failures(9), **RULE) is None


def test_the_delay_starts_at_one_minute_after_the_last_failure_at_the_limit():
    assert account_delay_until(_failures(10), **RULE) == T0 + timedelta(
        seconds=9, minutes=1
    )


def test_the_delay_doubles_with_each_further_failure():
    last = T0 + timedelta(seconds=12)
    assert account_delay_until(_failures(13), **RULE) == last + timedelta(minutes=8)


def test_the_delay_stops_growing_at_an_hour():
    delays = []
    for n in (16, 17, 100, 10_000):
        until = account_delay_until(_failures(n), **RULE)
        assert until is not None
        delays.append(until - (T0 + timedelta(seconds=n - 1)))
    assert delays == [timedelta(minutes=60)] * 4


def _login(client, password, address, username="coordinator_a"):  # noqa: ANN001, ANN202
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def probed(client, coordinator, nine_tomorrow):  # noqa: ANN001, ANN201
    """The probe, at 09:00: 5 wrong passwords from each of 20 addresses, one account."""
    nine_tomorrow()
    for n in range(20):
        for _ in range(5):
            _login(client, "wrong", f"10.1.0.{n + 1}")
    return client


def test_the_right_password_from_a_21st_address_is_refused_after_the_probe(probed):
    response = _login(probed, PASSWORD, "10.1.0.21")
    assert response.status_code == 429
    assert "_auth_user_id" not in probed.session
    page = response.content.decode()
    # 10 failures reached the limit (delay 1 min) and every further failure
    # until then was refused unchecked; the message names the time, Swedish.
    assert "För många misslyckade inloggningar till kontot" in page
    assert "Försök igen efter kl. 09:01:00" in page
    assert LoginFailure.objects.count() == 10
    refused = AuditEvent.objects.filter(action="refused")
    assert (
        refused.filter(what__startswith="login refused: account delayed").count() == 91
    )
    # The first two addresses were locked by axes at their fifth failure.
    assert refused.filter(what="login locked: user name at this address").count() == 2
    assert refused.count() == 93


def test_after_the_delay_the_right_password_works(probed, nine_tomorrow):
    nine_tomorrow(minutes=1, seconds=1)
    response = _login(probed, PASSWORD, "10.1.0.21")
    assert response.status_code == 302
    assert LoginFailure.objects.count() == 0  # a login starts afresh
    assert AuditEvent.objects.filter(what="logged in: password").count() == 1


def test_the_delay_grows_with_each_failure_after_it(probed, nine_tomorrow):
    nine_tomorrow(minutes=1, seconds=1)
    assert _login(probed, "wrong", "10.1.0.22").status_code == 200  # 11th: 2 min
    nine_tomorrow(minutes=3)
    assert _login(probed, PASSWORD, "10.1.0.23").status_code == 429
    nine_tomorrow(minutes=3, seconds=2)
    assert _login(probed, "wrong", "10.1.0.24").status_code == 200  # 12th: 4 min
    nine_tomorrow(minutes=7, seconds=1)
    response = _login(probed, PASSWORD, "10.1.0.25")
    assert response.status_code == 429
    assert "Försök igen efter kl. 09:07:02" in response.content.decode()
    nine_tomorrow(minutes=7, seconds=3)
    assert _login(probed, PASSWORD, "10.1.0.25").status_code == 302


def test_one_typo_from_another_address_does_not_lock_a_colleague(
    client, coordinator, nine_tomorrow
):
    nine_tomorrow()
    assert _login(client, "wrong", "10.2.0.1").status_code == 200
    assert _login(client, PASSWORD, "10.2.0.2").status_code == 302


def test_the_lock_per_user_and_address_still_holds(client, coordinator, nine_tomorrow):
    nine_tomorrow()
    for _ in range(5):
        _login(client, "wrong", "10.3.0.1")
    assert _login(client, PASSWORD, "10.3.0.1").status_code == 429  # axes
    assert LoginFailure.objects.count() == 5  # locked tries are not counted
    assert list(
        AuditEvent.objects.filter(action="refused").values_list("what", flat=True)
    ) == [
        "login refused: user name locked at this address",
        "login locked: user name at this address",
    ]
    nine_tomorrow(minutes=14)
    assert _login(client, PASSWORD, "10.3.0.1").status_code == 429
    assert _login(client, PASSWORD, "10.3.0.2").status_code == 302


def test_failed_logins_are_audited_without_an_unknown_name(client, coordinator):
    _login(client, "wrong", "10.4.0.1")
    _login(client, "wrong", "10.4.0.1", username="my-password-by-mistake")
    events = AuditEvent.objects.filter(action="login").order_by("id")
    assert [(e.actor_label, e.what) for e in events] == [
        ("coordinator_a", "failed login: wrong password"),
        ("", "failed login: unknown user name"),
    ]


def test_failures_older_than_the_window_are_not_counted(
    client, coordinator, nine_tomorrow
):
    nine_tomorrow()
    for n in range(10):
        _login(client, "wrong", f"10.5.0.{n + 1}")
    assert _login(client, PASSWORD, "10.5.0.99").status_code == 429
    nine_tomorrow(hours=24, seconds=10)
    _login(client, "wrong", "10.5.0.98", username="someone-else")
    assert LoginFailure.objects.count() == 1  # the old rows are gone
    assert _login(client, PASSWORD, "10.5.0.99").status_code == 302


def test_attempts_in_flight_at_once_see_each_other(coordinator, nine_tomorrow):
    """Twelve tries sent at the same moment, none checked yet: the eleventh
    and twelfth are refused, as they would be one after another."""
    from painrehab.accounts.lockout import AccountDelayed, begin_attempt

    start = nine_tomorrow()
    for _ in range(10):
        begin_attempt("coordinator_a")
    with pytest.raises(AccountDelayed) as delayed:
        begin_attempt("coordinator_a")
    assert delayed.value.until == start + timedelta(minutes=1)
    with pytest.raises(AccountDelayed):
        begin_attempt("coordinator_a")
    assert LoginFailure.objects.count() == 10  # a refused try is not counted


def test_a_right_password_before_its_code_counts_as_no_failure(
    client, coordinator, settings
):
    settings.PAINREHAB_REQUIRE_2FA = True
    assert _login(client, PASSWORD, "10.7.0.1").status_code == 302
    assert LoginFailure.objects.count() == 0
