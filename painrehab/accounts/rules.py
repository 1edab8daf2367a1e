"""Who may be booked on a day: the one rule every booking of staff asks.

A membership's days (`valid_from` to `valid_until`, see `models.valid_on`)
say when its user works in the unit. A visit, an appointment or a programme
session on a day outside them is refused, whatever the day it is booked on:
access that ends before the booked day, or begins after it, does not cover it.
"""

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _

from painrehab.accounts.models import Membership
from painrehab.core.refusals import Refused


def require_staff_on(
    staff: Iterable[Membership],
    day: date,
    refusal: type[Refused],
    *,
    field: str | None = None,
) -> None:
    """Raise `refusal` for the first member whose access to the unit does not
    cover `day`, naming the person and the day; `field` is the form field the
    staff were chosen in, where the message is shown."""
    for member in staff:
        if not member.is_valid_on(day):
            raise refusal(
                _("%(member)s has no access to the unit on %(day)s.")
                % {"member": member.user, "day": day.isoformat()},
                field,
            )
