"""Who may be booked on a day: the one rule, and the lists a booking form offers."""

from datetime import timedelta

import pytest

from painrehab.accounts.models import (
    Membership,
    User,
    valid_during,
    valid_on_or_after,
)
from painrehab.accounts.rules import require_staff_on
from painrehab.core.refusals import Refused

DAY = timedelta(days=1)


class Refusal(Refused):
    """A service's own refusal, as a booking passes it."""


def _member(today, **days):  # noqa: ANN001, ANN003, ANN202
    """A membership that is not stored, of a named user, with these days."""
    user = User(username="kerstin", first_name="Kerstin", last_name="Ek")
    return Membership(user=user, profession="physician", **days)


def test_access_that_covers_the_day_may_be_booked(today) -> None:  # noqa: ANN001
    members = [
        _member(today),
        _member(today, valid_from=today, valid_until=today),
        _member(today, valid_from=today - 10 * DAY),
        _member(today, valid_until=today + 10 * DAY),
    ]
    require_staff_on(members, today, Refusal)  # nothing raised


@pytest.mark.parametrize(
    ("days", "shift"),
    [
        ({"valid_until": -1}, 0),  # ended the day before
        ({"valid_from": 1}, 0),  # begins the day after
        ({"valid_from": -5, "valid_until": 5}, 6),  # a day after its last
    ],
)
def test_access_that_does_not_cover_the_day_is_refused_by_name_and_day(
    today, days, shift
) -> None:  # noqa: ANN001
    member = _member(today, **{k: today + v * DAY for k, v in days.items()})
    day = today + shift * DAY
    with pytest.raises(Refusal) as refused:
        require_staff_on([_member(today), member], day, Refusal, field="staff")
    assert refused.value.message == (
        f"Kerstin Ek har ingen behörighet till enheten {day.isoformat()}."
    )
    assert refused.value.field == "staff"


@pytest.mark.django_db
def test_the_conditions_find_access_from_a_day_on_and_during_days(
    unit_a, today
) -> None:  # noqa: ANN001
    def member(name, **days):  # noqa: ANN001, ANN003, ANN202
        user = User.objects.create_user(username=name)
        return Membership.all_periods.create(
            user=user, unit=unit_a, profession="physician", **days
        )

    ended = member("ended", valid_until=today - DAY)
    ends_today = member("ends_today", valid_until=today)
    coming = member("coming", valid_from=today + 20 * DAY)
    open_ended = member("open", valid_from=today - 20 * DAY)

    def found(condition):  # noqa: ANN001, ANN202
        return set(Membership.all_periods.filter(condition))

    assert found(valid_on_or_after(today)) == {ends_today, coming, open_ended}
    assert found(valid_on_or_after(today + DAY)) == {coming, open_ended}
    assert found(valid_during(today + DAY, today + 19 * DAY)) == {open_ended}
    assert found(valid_during(today - 5 * DAY, today + 20 * DAY)) == {
        ended,
        ends_today,
        coming,
        open_ended,
    }
