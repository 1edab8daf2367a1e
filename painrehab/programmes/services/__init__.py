"""Writes of the programmes app: each a named function that checks, changes and
audits in one transaction, callable without HTTP."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painrehab.accounts.models import Membership
from painrehab.core.refusals import Refused


class ProgrammeRefused(Refused):
    """A change the rules do not allow; `message` says why, in the user's language."""


# What accounts.access.require refuses with when a permission is missing.
NOT_PERMITTED = gettext_lazy(
    "Your profession in this unit may not do this in programmes."
)


def require_unit(by: Membership, unit_id: int) -> None:
    """Refuse a change to another unit's data (views already give 404)."""
    if by.unit_id != unit_id:
        raise ProgrammeRefused(_("This belongs to another unit."))
