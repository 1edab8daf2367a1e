"""The per-account login delay, across all addresses.

django-axes locks a user name at one address for a quarter of an hour. On its
own that lets anyone with many addresses keep guessing; this rule adds a delay
per account that grows with each failure, so anyone can slow an account down
but never open it, and one typo does not lock a colleague out.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from painrehab.accounts.models import LoginFailure, User
from painrehab.audit.services import Action, record


def account_delay_until(
    failures: Sequence[datetime],
    *,
    limit: int,
    first: timedelta,
    longest: timedelta,
) -> datetime | None:
    """When the account may be tried again, or None when it may be tried now.

    `failures` are the failed attempts counted for the account. Below `limit`
    there is no delay; at the limit the delay after the last failure is
    `first`, doubling with each further failure up to `longest`.
    """
    if len(failures) < limit:
        return None
    doublings = min(len(failures) - limit, 30)
    delay = min(first * 2**doublings, longest)
    return max(failures) + delay


def _counted_failures(username: str, *, now: datetime) -> list[datetime]:
    window_start = now - settings.PAINREHAB_ACCOUNT_FAILURE_WINDOW
    return list(
        LoginFailure.objects.filter(username=username, at__gt=window_start)
        .order_by("at")
        .values_list("at", flat=True)
    )


def account_locked_until(
    username: str, *, now: datetime | None = None
) -> datetime | None:
    """The moment the account may be tried again, if that is still ahead."""
    now = now or timezone.now()
    until = account_delay_until(
        _counted_failures(username, now=now),
        limit=settings.PAINREHAB_ACCOUNT_FAILURE_LIMIT,
        first=settings.PAINREHAB_ACCOUNT_DELAY_FIRST,
        longest=settings.PAINREHAB_ACCOUNT_DELAY_MAX,
    )
    return until if until is not None and until > now else None


def record_login_failure(username: str, *, now: datetime | None = None) -> None:
    """Count a wrong password or a wrong second-factor code against the account."""
    LoginFailure.objects.create(username=username[:150], at=now or timezone.now())


def note_failed_login(username: str, *, user: User | None, what: str) -> None:
    """A wrong password or code: counted for the account and audited. An
    unknown user name is audited without the name (it may be a password)."""
    record_login_failure(username)
    record(
        by=user,
        action=Action.LOGIN,
        what=f"failed login: {what}" if user else "failed login: unknown user name",
    )


def note_refused_login(username: str, *, user: User | None, until: datetime) -> None:
    """An attempt refused unchecked because the account waits out its delay."""
    record(
        by=user,
        action=Action.REFUSED,
        what=f"login refused: account delayed until {until:%Y-%m-%d %H:%M:%S} UTC",
    )


def clear_login_failures(username: str) -> None:
    """A complete login (password and, where asked, the code) starts afresh."""
    LoginFailure.objects.filter(username=username).delete()
