"""When each time point's forms may go out (seed 1 §5.2, §11; seed 2).

Plain rules over dates: `opens_on` says from which day a time point's package
can be sent for an episode, given the day rehabilitation started and ended.
The 12-month registry forms (and KRT's 3-month forms) outlive discharge: the
care programme discharges after the 3–4-month follow-up, and the registry's
third time point would otherwise be lost for every patient.
"""

from datetime import date

from painrehab.core.windows import FOLLOW_UP_SPECS, Offset
from painrehab.questionnaires.models import TimePoint


def _opening_of(key: str) -> Offset:
    """When the follow-up that sends the time point's forms opens (one copy of
    the schedule: core.windows)."""
    return next(
        spec.opens
        for specs in FOLLOW_UP_SPECS.values()
        for spec in specs
        if spec.key == key
    )


# Time points counted from the end of rehabilitation, and from when.
AFTER_THE_END: dict[str, Offset] = {
    TimePoint.REGISTRY_12_MONTHS: _opening_of("registry_questionnaires_12_months"),
    TimePoint.KRT_3_MONTHS: _opening_of("krt_psychologist_3_months"),
}
# Time points that need rehabilitation to have started.
AT_THE_END = frozenset({TimePoint.REGISTRY_END, TimePoint.KRT_AFTER})
# Time points that may still be sent after discharge.
OUTLIVE_DISCHARGE = frozenset(AFTER_THE_END)


class NotYet(Exception):  # noqa: N818 - reads as the situation it names
    """The time point's window has not opened; `opens_on` when known."""

    def __init__(self, opens_on: date | None) -> None:
        super().__init__(opens_on)
        self.opens_on = opens_on


def opens_on(
    time_point: str, *, started_on: date | None, ended_on: date | None
) -> date | None:
    """The first day the time point's forms may be sent; None: at any time.

    Raises NotYet when the step it is counted from has not happened (with
    `opens_on` None: the day is not known yet).
    """
    if time_point in AFTER_THE_END:
        if ended_on is None:
            raise NotYet(None)
        return AFTER_THE_END[time_point].from_date(ended_on)
    if time_point in AT_THE_END:
        if started_on is None:
            raise NotYet(None)
        return started_on
    return None


def check_window(
    time_point: str,
    *,
    started_on: date | None,
    ended_on: date | None,
    today: date,
) -> None:
    """Refuse (NotYet) a time point whose window has not opened by `today`."""
    first = opens_on(time_point, started_on=started_on, ended_on=ended_on)
    if first is not None and today < first:
        raise NotYet(first)
