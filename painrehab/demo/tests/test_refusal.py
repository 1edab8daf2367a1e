"""The demo clinic, with its published password, is never loaded into a
clinic's system (issue 18, point 6)."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command

from painrehab.accounts.models import CareUnit, User
from painrehab.core.dates import week_monday
from painrehab.demo.clinic import DEMO_PASSWORD, DemoRefused, load_demo_clinic


def test_load_demo_data_refuses_under_production_settings(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo_data", patients=5)
    assert not User.objects.exists()
    assert not CareUnit.objects.exists()


def test_the_loader_itself_refuses_under_production_settings(db, settings):
    """Not only the command: no code path creates the accounts in production."""
    settings.PRODUCTION = True
    with pytest.raises(DemoRefused):
        load_demo_clinic(patients=5)
    assert not User.objects.exists()


@pytest.fixture
def next_monday(travel, today, working_day):  # noqa: ANN001, ANN201
    """The clock on next week's first working day, an ordinary day to load on."""
    return travel(working_day(week_monday(today) + timedelta(days=7)))


def test_production_is_the_settings_marker_not_debug(db, settings, next_monday):
    """The demo may be served with DEBUG off; that alone does not refuse."""
    settings.DEBUG = False
    settings.PRODUCTION = False
    call_command("load_demo_data", patients=5)
    assert User.objects.filter(username="lakare").exists()


def test_a_database_with_another_unit_gets_no_demo_accounts(db, settings):
    settings.PRODUCTION = False
    CareUnit.objects.create(name="Smärtenheten, Länssjukhuset", kind="specialist")
    with pytest.raises(CommandError, match="other care units"):
        call_command("load_demo_data", patients=5)
    assert not User.objects.exists()
    assert CareUnit.objects.count() == 1


def test_an_existing_account_never_gets_the_published_password(db, next_monday):
    own = User.objects.create_user(username="kurator", password="Ett-eget-l0senord!")
    load_demo_clinic(patients=5, living=False)
    own.refresh_from_db()
    assert not check_password(DEMO_PASSWORD, own.password)
    assert check_password("Ett-eget-l0senord!", own.password)
