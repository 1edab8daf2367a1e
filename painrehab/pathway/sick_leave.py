"""Which sick-leave degree goes with which kind of sick leave on a referral.

Försäkringskassan grants sick leave in quarters: full time is 100 %, part
time 25, 50 or 75 %. A referral states the kind (not, partly, fully
sick-listed, or not stated) and may state the degree; the two must agree.
Pure: values in, the field to mark and why out.
"""

from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from painrehab.pathway.models import Referral

PART_TIME_DEGREES = (25, 50, 75)


def sick_leave_problem(
    *, kind: str, percent: int | None
) -> tuple[str, StrOrPromise] | None:
    """The field to mark and the message when `kind` and `percent` contradict
    each other, else None. A missing degree is allowed with every kind
    (partly without a degree counts as 50 %, see `Referral.sick_leave_degree`)."""
    if percent is None:
        return None
    if kind == Referral.SickLeave.FULLY and percent != 100:
        return "sick_leave_percent", _(
            "Fully sick-listed is 100 %. For a lower degree choose partly sick-listed."
        )
    if kind == Referral.SickLeave.PARTLY and percent not in PART_TIME_DEGREES:
        return "sick_leave_percent", _(
            "Partly sick-listed is 25, 50 or 75 %. For 100 % choose fully sick-listed."
        )
    if kind == Referral.SickLeave.NONE and percent != 0:
        return "sick_leave_percent", _(
            "A patient who is not sick-listed has no degree of sick leave: leave the degree empty."
        )
    if kind not in Referral.SickLeave.values or kind == Referral.SickLeave.UNKNOWN:
        return "sick_leave", _(
            "Choose the kind of sick leave that the degree belongs to."
        )
    return None
