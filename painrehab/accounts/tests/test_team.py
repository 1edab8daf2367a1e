"""The team services: grants, changes and ends of access, with the clock moved."""

import datetime
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator

from painrehab.accounts import team
from painrehab.accounts.models import Membership, User
from painrehab.accounts.team import Period, TeamError
from painrehab.audit.models import AuditEvent

DAY = datetime.timedelta(days=1)


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


def _access_rows() -> list[str]:
    return list(
        AuditEvent.objects.filter(action="access_change")
        .order_by("id")
        .values_list("what", flat=True)
    )


def _add(coordinator, today, **overrides):  # noqa: ANN001, ANN003, ANN202
    values: dict[str, Any] = {
        "first_name": "Karin",
        "last_name": "Lind",
        "username": "klind",
        "email": "karin.lind@example.se",
        "profession": "psychologist",
        "is_unit_admin": False,
        "period": Period(today, None),
    }
    values.update(overrides)
    return team.add_staff(by=coordinator.user, unit=coordinator.unit, **values)


def test_add_staff_creates_a_user_without_a_usable_password_and_audits_both(
    coordinator, today
):
    membership = _add(coordinator, today)

    user = User.objects.get(username="klind")
    assert user.has_usable_password() is False
    assert membership.unit == coordinator.unit
    assert (membership.profession, membership.valid_from) == ("psychologist", today)
    assert _access_rows() == [
        "team:staff_added|klind",
        f"team:membership_given|klind|psychologist||{today.isoformat()}|",
    ]
    token = team.new_user_token(user)
    assert default_token_generator.check_token(user, token) is True


def test_a_taken_user_name_is_refused_whatever_its_case(coordinator, physician, today):
    with pytest.raises(TeamError, match="upptaget"):
        _add(coordinator, today, username="PHYSICIAN_A")
    assert _access_rows() == []


def test_access_cannot_begin_in_the_past(coordinator, today):
    with pytest.raises(TeamError):
        _add(coordinator, today, period=Period(today - DAY, None))
    assert not User.objects.filter(username="klind").exists()


def test_access_with_a_last_day_ends_the_day_after_it(day0, coordinator, travel):
    today = travel(day0)
    membership = _add(coordinator, today, period=Period(today, today + 2 * DAY))
    user = membership.user

    travel(day0 + datetime.timedelta(days=2))  # the last day: still in
    assert list(Membership.objects.filter(user=user)) == [membership]
    travel(day0 + datetime.timedelta(days=3))  # the day after: out
    assert list(Membership.objects.filter(user=user)) == []
    assert list(user.memberships.all()) == []
    assert list(Membership.all_periods.filter(user=user)) == [membership]


def test_access_that_begins_later_gives_nothing_before_its_first_day(
    day0, coordinator, travel
):
    today = travel(day0)
    membership = _add(coordinator, today, period=Period(today + 7 * DAY, None))
    assert Membership.objects.filter(pk=membership.pk).exists() is False
    travel(day0 + datetime.timedelta(days=7))
    assert Membership.objects.filter(pk=membership.pk).exists() is True


def test_end_membership_sets_the_last_day_and_never_deletes(
    day0, coordinator, physician, travel
):
    today = travel(day0)
    team.end_membership(by=coordinator.user, membership=physician, last_day=today)

    physician.refresh_from_db()
    assert physician.valid_until == today
    assert _access_rows() == [
        f"team:membership_ended|physician_a|physician|||{day0.isoformat()}"
    ]
    travel(day0 + datetime.timedelta(days=1))
    assert Membership.all_periods.filter(pk=physician.pk).exists() is True
    assert Membership.objects.filter(pk=physician.pk).exists() is False


def test_an_end_date_in_the_past_is_refused(coordinator, physician, today):
    with pytest.raises(TeamError):
        team.end_membership(
            by=coordinator.user, membership=physician, last_day=today - DAY
        )
    physician.refresh_from_db()
    assert physician.valid_until is None
    assert _access_rows() == []


def test_the_last_administrator_cannot_be_ended_or_lose_the_flag(coordinator, today):
    with pytest.raises(TeamError, match="måste ha en administratör"):
        team.end_membership(
            by=coordinator.user, membership=coordinator, last_day=today + DAY
        )
    with pytest.raises(TeamError, match="måste ha en administratör"):
        team.change_membership(
            by=coordinator.user,
            membership=coordinator,
            profession=coordinator.profession,
            is_unit_admin=False,
            period=Period(today, None),
            today=today,
        )
    coordinator.refresh_from_db()
    assert (coordinator.is_unit_admin, coordinator.valid_until) == (True, None)
    assert _access_rows() == []


def test_an_administrator_may_step_down_once_another_one_exists(
    coordinator, physician, today
):
    begun = team.begun_on(physician, today)
    assert begun is not None
    team.change_membership(
        by=coordinator.user,
        membership=physician,
        profession="physician",
        is_unit_admin=True,
        period=Period(begun, None),
    )
    team.end_membership(by=coordinator.user, membership=coordinator, last_day=today)
    coordinator.refresh_from_db()
    assert coordinator.valid_until == today


def test_an_administrator_of_another_unit_does_not_count(
    coordinator, other_physician, today
):
    other_physician.is_unit_admin = True
    other_physician.save()
    with pytest.raises(TeamError):
        team.end_membership(by=coordinator.user, membership=coordinator, last_day=today)


def test_a_begun_membership_keeps_its_first_day(coordinator, physician, today):
    with pytest.raises(TeamError, match="behåller sin första dag"):
        team.change_membership(
            by=coordinator.user,
            membership=physician,
            profession="physician",
            is_unit_admin=False,
            period=Period(today + DAY, None),
        )


def test_change_membership_changes_profession_and_audits_the_new_values(
    coordinator, physician, today
):
    begun = team.begun_on(physician, today)
    assert begun is not None
    team.change_membership(
        by=coordinator.user,
        membership=physician,
        profession="psychologist",
        is_unit_admin=False,
        period=Period(begun, today + 30 * DAY),
    )
    physician.refresh_from_db()
    assert physician.profession == "psychologist"
    assert physician.valid_from is None  # a row from before dates keeps its grant
    last = today + 30 * DAY
    assert _access_rows() == [
        f"team:membership_changed|physician_a|psychologist|||{last.isoformat()}"
    ]


def test_give_membership_to_a_user_of_another_unit(coordinator, other_physician, today):
    membership = team.give_membership(
        by=coordinator.user,
        unit=coordinator.unit,
        user=other_physician.user,
        profession="physician",
        is_unit_admin=False,
        period=Period(today, None),
    )
    assert set(
        Membership.objects.filter(user=other_physician.user).values_list(
            "unit_id", flat=True
        )
    ) == {coordinator.unit_id, other_physician.unit_id}
    assert membership.valid_from == today


def test_give_membership_twice_is_refused(coordinator, physician, today):
    with pytest.raises(TeamError, match="har redan behörighet"):
        team.give_membership(
            by=coordinator.user,
            unit=coordinator.unit,
            user=physician.user,
            profession="physician",
            is_unit_admin=False,
            period=Period(today, None),
        )


def test_ended_access_can_be_given_again(day0, coordinator, physician, travel):
    today = travel(day0)
    team.end_membership(by=coordinator.user, membership=physician, last_day=today)
    later = travel(day0 + datetime.timedelta(days=61))
    again = team.give_membership(
        by=coordinator.user,
        unit=coordinator.unit,
        user=physician.user,
        profession="physician",
        is_unit_admin=False,
        period=Period(later, None),
    )
    assert again.pk == physician.pk
    assert Membership.objects.filter(user=physician.user).get() == again
    assert (
        _access_rows()[-1]
        == f"team:membership_given|physician_a|physician||{later.isoformat()}|"
    )


def test_team_of_lists_current_upcoming_and_ended_access(
    day0, coordinator, physician, secretary, travel
):
    today = travel(day0)
    future = _add(coordinator, today, period=Period(today + 5 * DAY, None))
    team.end_membership(by=coordinator.user, membership=secretary, last_day=today)
    travel(day0 + datetime.timedelta(days=1))

    members = team.team_of(unit_id=coordinator.unit_id)
    assert [m.pk for m in members.current] == [coordinator.pk, physician.pk]
    assert [m.pk for m in members.upcoming] == [future.pk]
    assert [m.pk for m in members.ended] == [secretary.pk]


def test_reset_password_makes_the_old_one_useless_and_returns_a_link_token(
    coordinator, physician
):
    token = team.reset_password(by=coordinator.user, membership=physician)

    user = User.objects.get(pk=physician.user_id)
    assert user.check_password("test-password-123") is False
    assert default_token_generator.check_token(user, token) is True
    assert _access_rows() == ["team:password_reset|physician_a"]


def test_reset_is_refused_for_someone_who_also_works_in_a_unit_not_administered(
    coordinator, other_physician, today
):
    membership = team.give_membership(
        by=coordinator.user,
        unit=coordinator.unit,
        user=other_physician.user,
        profession="physician",
        is_unit_admin=False,
        period=Period(today, None),
    )
    with pytest.raises(TeamError, match="inte administrerar"):
        team.reset_password(by=coordinator.user, membership=membership)
    assert other_physician.user.check_password("test-password-123") is True


def test_reset_of_ones_own_or_a_system_administrators_password_is_refused(
    coordinator, physician
):
    with pytest.raises(TeamError):
        team.reset_password(by=coordinator.user, membership=coordinator)
    physician.user.is_staff = True
    physician.user.save()
    with pytest.raises(TeamError):
        team.reset_password(by=coordinator.user, membership=physician)
    assert _access_rows() == []


def test_an_ended_membership_cannot_be_changed(day0, coordinator, physician, travel):
    today = travel(day0)
    team.end_membership(by=coordinator.user, membership=physician, last_day=today)
    later = travel(day0 + datetime.timedelta(days=1))
    with pytest.raises(TeamError, match="har upphört"):
        team.change_membership(
            by=coordinator.user,
            membership=physician,
            profession="physician",
            is_unit_admin=False,
            period=Period(later, None),
        )


def test_bookable_staff_are_those_with_access_on_the_day_or_from_today_on(
    coordinator, physician, unit_b, today
):
    def other(username, profession="physician", unit=None, **days):  # noqa: ANN001, ANN003, ANN202
        user = User.objects.create_user(username=username, last_name=username)
        Membership.all_periods.create(
            user=user, unit=unit or coordinator.unit, profession=profession, **days
        )
        return user

    ended = other("ended", valid_until=today - DAY)
    leaving = other("leaving", valid_until=today + 10 * DAY)
    coming = other("coming", valid_from=today + 20 * DAY)
    other("psychologist", profession="psychologist")
    other("elsewhere", unit=unit_b)
    unit = coordinator.unit_id

    def names(**kwargs):  # noqa: ANN003, ANN202
        staff = team.bookable_staff(unit_id=unit, profession="physician", **kwargs)
        return {user.username for user in staff}

    # Before the day is chosen: everyone whose access has not ended.
    assert names() == {"physician_a", "leaving", "coming"}
    assert names(on=today + 15 * DAY) == {"physician_a"}
    assert names(on=today + 25 * DAY) == {"physician_a", "coming"}
    assert names(on=today - DAY) == {"physician_a", "ended", "leaving"}
    everyone = set(team.bookable_staff(unit_id=unit))
    assert everyone == {coordinator.user, physician.user, leaving, coming} | set(
        User.objects.filter(username="psychologist")
    )
    assert ended not in everyone
