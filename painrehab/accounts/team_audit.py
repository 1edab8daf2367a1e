"""How a change of the team is written to the access log and read back.

The audit row stores a fixed line (`team:<event>|<values>`) of codes, user
names and ISO dates, so the row itself holds no language; the log review
shows it in the reader's language through `describe`.
"""

import datetime
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painrehab.accounts.models import Membership, User
from painrehab.accounts.permissions import Profession

PREFIX = "team:"


class TeamEvent(StrEnum):
    STAFF_ADDED = "staff_added"
    MEMBERSHIP_GIVEN = "membership_given"
    MEMBERSHIP_CHANGED = "membership_changed"
    MEMBERSHIP_ENDED = "membership_ended"
    # bandit B105: event names, no secrets
    PASSWORD_RESET = "password_reset"  # nosec B105
    PASSWORD_SET = "password_set"  # nosec B105
    PASSWORD_CHANGED = "password_changed"  # nosec B105


SENTENCES = {
    TeamEvent.STAFF_ADDED: gettext_lazy("Staff member added: %(person)s"),
    TeamEvent.MEMBERSHIP_GIVEN: gettext_lazy("Access given: %(person)s, %(access)s"),
    TeamEvent.MEMBERSHIP_CHANGED: gettext_lazy(
        "Access changed: %(person)s, %(access)s"
    ),
    TeamEvent.MEMBERSHIP_ENDED: gettext_lazy("Access ended: %(person)s, %(access)s"),
    TeamEvent.PASSWORD_RESET: gettext_lazy(
        "Password reset and set-password link made: %(person)s"
    ),
    TeamEvent.PASSWORD_SET: gettext_lazy("Password set by link: %(person)s"),
    TeamEvent.PASSWORD_CHANGED: gettext_lazy("Own password changed: %(person)s"),
}


def _clean(value: str) -> str:
    return value.replace("|", "/")[:60]


def team_what(event: TeamEvent, *, user: User, values: tuple[str, ...] = ()) -> str:
    """The audit line of a team event about `user`."""
    parts = [_clean(user.get_username()), *(_clean(v) for v in values)]
    return PREFIX + "|".join([event.value, *parts])


def describe_membership(event: TeamEvent, membership: Membership) -> str:
    """The audit line of a membership's grant, change or end, with its values."""
    return team_what(
        event,
        user=membership.user,
        values=(
            membership.profession,
            "admin" if membership.is_unit_admin else "",
            _iso(membership.valid_from),
            _iso(membership.valid_until),
        ),
    )


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def describe(what: str) -> str | None:
    """The team event of an audit line in the reader's language; None if the
    line is not a team event."""
    if not what.startswith(PREFIX):
        return None
    event, person, *values = what.removeprefix(PREFIX).split("|")
    try:
        sentence = SENTENCES[TeamEvent(event)]
    except ValueError:
        return None
    access = _access_words(values) if len(values) == 4 else ""
    return sentence % {"person": person, "access": access}


def _access_words(values: list[str]) -> str:
    profession, admin, valid_from, valid_until = values
    words = [str(Profession(profession).label) if profession in Profession else ""]
    if admin:
        words.append(_("unit administrator"))
    if valid_from and valid_until:
        words.append(
            _("%(start)s to %(end)s") % {"start": valid_from, "end": valid_until}
        )
    elif valid_from:
        words.append(_("from %(start)s until further notice") % {"start": valid_from})
    elif valid_until:
        words.append(_("last day %(end)s") % {"end": valid_until})
    return ", ".join(w for w in words if w)
