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
from django.utils.translation import gettext

from painrehab.accounts.models import LoginFailure, User
from painrehab.audit.services import Action, record
from painrehab.core.refusals import Refused


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


class AccountDelayed(Refused):
    """The account waits out its delay: no password or code is checked;
    `message` names when to try again."""

    def __init__(self, until: datetime) -> None:
        super().__init__(
            gettext(
                "Too many failed logins to this account. Try again after %(time)s, "
                "or contact your unit administrator."
            )
            % {"time": timezone.localtime(until).strftime("%H:%M:%S")},
            reason=f"account delayed until {until.isoformat()}",
        )
        self.until = until


def _delay_after(failures: Sequence[datetime]) -> datetime | None:
    return account_delay_until(
        failures,
        limit=settings.PAINREHAB_ACCOUNT_FAILURE_LIMIT,
        first=settings.PAINREHAB_ACCOUNT_DELAY_FIRST,
        longest=settings.PAINREHAB_ACCOUNT_DELAY_MAX,
    )


def begin_attempt(username: str, *, now: datetime | None = None) -> int:
    """Count an attempt at the account before its password or code is checked;
    the id of its row, which stays as the failure unless withdrawn.

    Counting first means that attempts sent at the same moment see each other
    (each is judged by the rows written before its own), so a burst cannot
    slip more tries past the limit than one after another. Raises
    AccountDelayed, counting nothing, while the account waits.
    """
    now = now or timezone.now()
    username = username[:150]
    window_start = now - settings.PAINREHAB_ACCOUNT_FAILURE_WINDOW
    # Rows past the window count for nobody: the table holds one window only,
    # however many names are tried.
    LoginFailure.objects.filter(at__lte=window_start).delete()
    attempt = LoginFailure.objects.create(username=username, at=now)
    earlier = LoginFailure.objects.filter(
        username=username, at__gt=window_start, pk__lt=attempt.pk
    ).values_list("at", flat=True)
    until = _delay_after(list(earlier))
    if until is not None and until > now:
        attempt.delete()
        raise AccountDelayed(until)
    return attempt.pk


def withdraw_attempt(attempt_id: int) -> None:
    """The attempt was no failure (a right password before its code, or one
    refused unchecked by the lock at this address)."""
    LoginFailure.objects.filter(pk=attempt_id).delete()


def note_failed_login(username: str, *, user: User | None, what: str) -> None:
    """Audit a wrong password or code (counted already by begin_attempt). An
    unknown user name is audited without the name: it may be a password."""
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


def note_address_lock(username: str, *, user: User | None, now_locked: bool) -> None:
    """Audit axes' lock of the user name at this address: set by this failure
    (`now_locked`), or refusing this try unchecked."""
    record(
        by=user,
        action=Action.REFUSED,
        what=(
            "login locked: user name at this address"
            if now_locked
            else "login refused: user name locked at this address"
        ),
    )


def clear_login_failures(username: str) -> None:
    """A complete login (password and, where asked, the code) starts afresh."""
    LoginFailure.objects.filter(username=username).delete()
