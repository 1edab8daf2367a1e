"""The standing cast of the tests, defined once.

Unit A (specialist team): a physician, a coordinator nurse (unit administrator),
a secretary and a sports leader. Unit B (primary care): a physician. Each test
that touches patient data also checks the user of the other unit.
"""

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + page + ORM

# The test OpenID provider (a second process, started only when a test asks).
pytest_plugins = ["tests.oidc_provider.fixtures", "tests.memory_guard"]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
_CLOCK = pytest.StashKey[time_machine.travel]()


def moment_of(value: str | date | datetime) -> datetime:
    """An aware moment from an ISO date or date-time; a bare date is 10:00 in Stockholm."""
    if isinstance(value, str):
        value = (
            datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        )
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(10), tzinfo=STOCKHOLM)
    return value if value.tzinfo else value.replace(tzinfo=STOCKHOLM)


def pytest_configure(config):  # noqa: ANN001, ANN201
    """PAINREHAB_TEST_DATE moves the whole run's clock (scripts/test.sh sets it)."""
    when = os.environ.get("PAINREHAB_TEST_DATE")
    if when:
        traveller = time_machine.travel(moment_of(when), tick=True)
        traveller.start()
        config.stash[_CLOCK] = traveller


def pytest_unconfigure(config):  # noqa: ANN001, ANN201
    traveller = config.stash.get(_CLOCK, None)
    if traveller is not None:
        traveller.stop()


@pytest.fixture
def clock(time_machine):  # noqa: ANN001, ANN201
    """The clock held still for the whole test at the moment it starts (the
    moved clock of the run, or the real one), so a run across midnight cannot
    give one test two different days."""
    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


@pytest.fixture
def today(clock) -> date:  # noqa: ANN001
    """Today's date in Stockholm, the one the application reads, held still."""
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def working_day() -> Callable[[date], date]:
    """The first Swedish working day on or after a day: a visit booked then
    needs no confirmation for a weekend or a holiday."""
    from painrehab.core.closed_days import swedish_closed_days

    def first_from(day: date) -> date:
        while day.weekday() >= 5 or swedish_closed_days(day, day):
            day = date.fromordinal(day.toordinal() + 1)
        return day

    return first_from


@pytest.fixture
def travel(time_machine) -> Callable[[str | date | datetime], date]:  # noqa: ANN001
    """Move the clock to a day or moment and hold it there; returns the new
    Stockholm date. A bare date means 10:00 in Stockholm."""
    from django.utils import timezone

    def go(when: str | date | datetime) -> date:
        time_machine.move_to(moment_of(when), tick=False)
        return timezone.localdate()

    return go


@pytest.fixture(autouse=True)
def _swedish(settings):  # noqa: ANN001, ANN202
    settings.LANGUAGE_CODE = "sv"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True


@pytest.fixture
def unit_a(db):  # noqa: ANN001, ANN201
    from painrehab.accounts.models import CareUnit

    return CareUnit.objects.create(
        name="Specialistteamet A",
        kind=CareUnit.Kind.SPECIALIST,
        letterhead_address="Box 1\n111 11 Stad",
    )


@pytest.fixture
def unit_b(db):  # noqa: ANN001, ANN201
    from painrehab.accounts.models import CareUnit

    return CareUnit.objects.create(
        name="Vårdcentralen B", kind=CareUnit.Kind.PRIMARY_CARE
    )


def _member(unit, username, profession, *, admin=False):  # noqa: ANN001, ANN202
    from painrehab.accounts.models import Membership, User

    user = User.objects.create_user(
        username=username,
        password="test-password-123",
        first_name=username.title(),
        last_name="Testsson",
    )
    return Membership.objects.create(
        user=user, unit=unit, profession=profession, is_unit_admin=admin
    )


@pytest.fixture
def physician(unit_a):  # noqa: ANN001, ANN201
    return _member(unit_a, "physician_a", "physician")


@pytest.fixture
def coordinator(unit_a):  # noqa: ANN001, ANN201
    return _member(unit_a, "coordinator_a", "coordinator_nurse", admin=True)


@pytest.fixture
def secretary(unit_a):  # noqa: ANN001, ANN201
    return _member(unit_a, "secretary_a", "secretary")


@pytest.fixture
def sports_leader(unit_a):  # noqa: ANN001, ANN201
    return _member(unit_a, "sports_a", "sports_leader")


@pytest.fixture
def other_physician(unit_b):  # noqa: ANN001, ANN201
    return _member(unit_b, "physician_b", "physician")


@pytest.fixture
def patient_a(unit_a):  # noqa: ANN001, ANN201
    from painrehab.core.personnummer import tax_agency_test_number
    from painrehab.patients.models import Patient

    born = date(1985, 1, 1)
    return Patient.objects.create(
        unit=unit_a,
        personnummer=tax_agency_test_number(born=born, female=True),
        birth_date=born,
        first_name="Anna",
        last_name="Andersson",
        street_address="Storgatan 1",
        postal_code="111 22",
        city="Stad",
    )


@pytest.fixture
def patient_b(unit_b):  # noqa: ANN001, ANN201
    from painrehab.core.personnummer import tax_agency_test_number
    from painrehab.patients.models import Patient

    born = date(1970, 6, 15)
    return Patient.objects.create(
        unit=unit_b,
        personnummer=tax_agency_test_number(born=born, female=False),
        birth_date=born,
        first_name="Bertil",
        last_name="Berg",
    )


@pytest.fixture
def episode_a(patient_a, coordinator):  # noqa: ANN001, ANN201
    from painrehab.steps.referral.services import open_episode

    return open_episode(
        patient=patient_a,
        by=coordinator,
        source="referral",
        received_on=date(2026, 10, 1),
        referrer_name="Dr Remiss",
    )


@pytest.fixture
def episode_b(patient_b, unit_b):  # noqa: ANN001, ANN201
    from painrehab.steps.referral.services import open_episode

    coordinator_b = _member(unit_b, "coordinator_b", "coordinator_nurse")
    return open_episode(
        patient=patient_b,
        by=coordinator_b,
        source="referral",
        received_on=date(2026, 10, 1),
    )


@pytest.fixture
def client_for(client):  # noqa: ANN001, ANN201
    """Log the test client in as a membership's user."""

    def login(membership):  # noqa: ANN001, ANN202
        client.force_login(membership.user)
        return client

    return login


LETTER_FAULT = "letter drafting broke"


@pytest.fixture
def break_letters(monkeypatch):  # noqa: ANN001, ANN201
    """Call it to make every letter drafted from then on fail with an error (a
    fault, not a refusal): a step that drafts letters keeps nothing then."""
    from painrehab.documents.models import Letter

    def broken(**_fields):  # noqa: ANN003, ANN202
        raise RuntimeError(LETTER_FAULT)

    def break_them() -> None:
        monkeypatch.setattr(Letter.objects, "create", broken)

    return break_them


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # noqa: ANN001, ANN201
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


def pytest_report_header(config):  # noqa: ANN001, ANN201
    from django.conf import settings
    from django.utils import timezone

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    moved = " (moved by PAINREHAB_TEST_DATE)" if _CLOCK in config.stash else ""
    return f"database: {engine}; clock: {timezone.localtime():%Y-%m-%d %H:%M %Z}{moved}"


@pytest.fixture(autouse=True)
def _skip_postgres_only_on_other_databases(request):  # noqa: ANN001, ANN202
    # Row locks, triggers and real row-level concurrency need PostgreSQL; SQLite
    # serialises writers, so the concurrency tests prove nothing there.
    if (
        request.node.get_closest_marker("postgres_only")
        and connection.vendor != "postgresql"
    ):
        pytest.skip("needs PostgreSQL")


@pytest.fixture
def nine_tomorrow(travel, today) -> Callable[..., datetime]:  # noqa: ANN001
    """Move the clock to 09:00 in Stockholm on the day after the held today,
    plus an offset (timedelta's keywords), and hold it there; returns that
    moment. A moment after every fixture was made, on a whole minute (an
    authenticator code's 30-second step starts there), whose time of day a
    page may print. The offset counts real time across a change to or from
    summer time (the moment is kept in UTC)."""
    tomorrow = date.fromordinal(today.toordinal() + 1)
    nine = datetime.combine(tomorrow, time(9), tzinfo=STOCKHOLM).astimezone(UTC)

    def go(**offset: float) -> datetime:
        moment = nine + timedelta(**offset)
        travel(moment)
        return moment

    return go
