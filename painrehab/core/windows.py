"""Date windows, and the follow-up schedule that is built from them.

A `Window` is the one way the system says "this is due": it opens, has a due
date to aim for, and closes. An item appears on a worklist on the day its window
opens, is still open on the day it closes, turns overdue the day after, and
leaves the worklist when it is done or recorded as not reached (`window_status`).

The follow-up schedules of the three tracks are data (`FOLLOW_UP_SPECS`), so a
unit can configure its own; `follow_up_schedule` turns a spec list and the date
rehabilitation ended into dated items. Everything here is a pure function of
its arguments: no clock, no database.

Month arithmetic (`add_months`) keeps the day of the month and, when the target
month is shorter, falls back to its last day: 2024-01-31 + 1 month is
2024-02-29, 2023-01-31 + 1 month is 2023-02-28, 2024-02-29 + 12 months is
2025-02-28. An offset of months and days adds the months first, then the days.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import overload

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months (negative moves back).

    Guarantees the result is in the target month; the day of the month is kept,
    or clamped to the month's last day when the target month is shorter.
    """
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


@dataclass(frozen=True)
class Offset:
    """A distance from a reference date: whole months first, then days."""

    months: int = 0
    days: int = 0

    def from_date(self, day: date) -> date:
        return add_months(day, self.months) + timedelta(days=self.days)


@dataclass(frozen=True)
class Window:
    """The days on which something should happen, both ends included.

    Guarantees `opens_on <= due_on <= closes_on`.
    """

    opens_on: date
    due_on: date
    closes_on: date

    def __post_init__(self) -> None:
        if not self.opens_on <= self.due_on <= self.closes_on:
            raise ValueError(
                f"A window must open on or before its due date and close on or "
                f"after it; got {self.opens_on}, {self.due_on}, {self.closes_on}."
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.opens_on <= day <= self.closes_on


class WindowStatus(models.TextChoices):
    NOT_YET_OPEN = "not_yet_open", _("Not yet open")
    OPEN = "open", _("Due")
    OVERDUE = "overdue", _("Overdue")
    DONE = "done", _("Done")
    NOT_REACHED = "not_reached", _("Not reached")


# The statuses that put an item on a worklist.
WORKLIST_STATUSES: frozenset[WindowStatus] = frozenset(
    {WindowStatus.OPEN, WindowStatus.OVERDUE}
)


def window_status(
    window: Window, *, today: date, done: bool = False, not_reached: bool = False
) -> WindowStatus:
    """Where an item stands on `today`.

    DONE or NOT_REACHED when recorded (whatever the date); otherwise
    NOT_YET_OPEN before `opens_on`, OPEN from `opens_on` to `closes_on`
    inclusive, OVERDUE from the day after `closes_on`. An item cannot be both
    done and not reached.
    """
    if done and not_reached:
        raise ValueError("An item cannot be both done and recorded as not reached.")
    if done:
        return WindowStatus.DONE
    if not_reached:
        return WindowStatus.NOT_REACHED
    if today < window.opens_on:
        return WindowStatus.NOT_YET_OPEN
    if today <= window.closes_on:
        return WindowStatus.OPEN
    return WindowStatus.OVERDUE


# --- The follow-up schedule -------------------------------------------------


class Track(models.TextChoices):
    """How the patient was rehabilitated; each track has its own follow-ups."""

    GROUP_PROGRAMME = "group_programme", _("Group programme")
    INDIVIDUAL = "individual", _("Individual rehabilitation")
    KRT = "krt", _("KRT group (primary care)")


@dataclass(frozen=True)
class FollowUpSpec:
    """One follow-up of a track, as offsets from the day rehabilitation ended.

    `role` is a profession code (accounts.permissions.Profession value) kept as
    a plain string so this module has no domain imports. `with_questionnaires`
    marks the points where outcome questionnaires are sent or filled in.
    """

    key: str
    label: str | Promise
    role: str
    opens: Offset
    due: Offset
    closes: Offset
    with_questionnaires: bool = False
    # Held with the whole group on one day: booked as a session of the cohort,
    # and attendance at that session records the item.
    group_session: bool = False
    # The WorkStatus time point whose sick-leave degree is recorded with the
    # item (required when it is done); empty: none.
    work_status_time_point: str = ""


@dataclass(frozen=True)
class FollowUp:
    """One dated follow-up item of one patient."""

    key: str
    label: str | Promise
    role: str
    window: Window
    with_questionnaires: bool = False
    group_session: bool = False
    work_status_time_point: str = ""


COORDINATOR = "coordinator_nurse"
PSYCHOLOGIST = "psychologist"
PHYSIOTHERAPIST = "physiotherapist"

# 12 months after the end, for both tracks of the specialist team (seed 1 §11):
# the registry questionnaires are sent in the month after the anniversary, and
# the psychologist offers feedback on the answers by the end of the second month
# (opening two weeks in, when answers can have come back).
_TWELVE_MONTHS = (
    FollowUpSpec(
        key="registry_questionnaires_12_months",
        label=_("Registry questionnaires, 12 months"),
        role=COORDINATOR,
        opens=Offset(months=12),
        due=Offset(months=12),
        closes=Offset(months=13),
        with_questionnaires=True,
    ),
    FollowUpSpec(
        key="feedback_12_months",
        label=_("Psychologist's offer of feedback on the 12-month questionnaires"),
        role=PSYCHOLOGIST,
        opens=Offset(months=12, days=14),
        due=Offset(months=13),
        closes=Offset(months=14),
    ),
)
# The registry's third time point outlives discharge: the care programme
# discharges after the 3–4-month follow-up, a year before these are due.
AFTER_DISCHARGE: frozenset[str] = frozenset(spec.key for spec in _TWELVE_MONTHS)
# How long after discharge they can still be open: their last window closes
# 14 months after the end, which is never later than 14 months after discharge.
AFTER_DISCHARGE_MONTHS = 14

# KRT follow-ups (seed 2). The theory sessions come first, then a month of
# training: "Det blir sex teorilektioner med film och diskussion, sedan startar
# träning i träningshall hos sjukgymnasterna under 1 månad. Sedan blir det
# uppföljning med film […] Uppföljningar efter 1, 2 och 3 månader." Its
# "Program" places the meetings month by month from the end of that month:
# "Träningsperiod: En månads träningspass […] Gruppuppföljning 1 månad: […]
# Ytterligare en månads träningspass och sedan återträff för diskussion igen.
# Efter ytterligare en månad (= 3-månadersuppföljning) individuella tider för
# uppföljning hos sjukgymnast och psykolog". So the schedule counts from the day
# the training month ends: the 1-month group follow-up on that day (one month
# of training after the theory), the 2-month one a month later, the 3-month
# follow-ups a month after that ("träffas gruppen efter 1, 2 och 3 månader").
# Each is a point in time; the group meets on one day, so each window is the
# point ± 7 days.
_KRT_DAYS_EITHER_SIDE = 7
# Months from the end of the training month to the follow-ups at 1, 2 and 3
# months of the seed's count (which starts with the month of training).
KRT_MONTHS_AFTER_TRAINING = {1: 0, 2: 1, 3: 2}


def krt_training_ends_on(last_theory_session_on: date) -> date:
    """The day the KRT group's month of training ends: one calendar month after
    the last theory session, after which the training starts (seed 2)."""
    return add_months(last_theory_session_on, 1)


@overload
def krt_follow_up_reference(
    *, last_theory_session_on: date | None, rehabilitation_ended_on: date
) -> date: ...


@overload
def krt_follow_up_reference(
    *, last_theory_session_on: date | None, rehabilitation_ended_on: date | None
) -> date | None: ...


def krt_follow_up_reference(
    *, last_theory_session_on: date | None, rehabilitation_ended_on: date | None
) -> date | None:
    """The date KRT's follow-ups count from: the end of the cohort's training
    month when its last theory session is known, else the day rehabilitation
    ended (the group programme, training month included, has then ended).
    None when neither is known."""
    if last_theory_session_on is not None:
        return krt_training_ends_on(last_theory_session_on)
    return rehabilitation_ended_on


def _krt_spec(  # noqa: PLR0913 - one spec's facts
    key: str,
    label: str | Promise,
    role: str,
    month: int,
    *,
    with_questionnaires: bool = False,
    group_session: bool = False,
    work_status_time_point: str = "",
) -> FollowUpSpec:
    months = KRT_MONTHS_AFTER_TRAINING[month]
    return FollowUpSpec(
        key=key,
        label=label,
        role=role,
        opens=Offset(months=months, days=-_KRT_DAYS_EITHER_SIDE),
        due=Offset(months=months),
        closes=Offset(months=months, days=_KRT_DAYS_EITHER_SIDE),
        with_questionnaires=with_questionnaires,
        group_session=group_session,
        work_status_time_point=work_status_time_point,
    )


FOLLOW_UP_SPECS: dict[Track, tuple[FollowUpSpec, ...]] = {
    Track.GROUP_PROGRAMME: (
        # seed 1 §11: one team member, by phone or video (MVG), 4–6 weeks after.
        FollowUpSpec(
            key="contact_4_6_weeks",
            label=_("Follow-up by phone or video, 4–6 weeks"),
            role=COORDINATOR,
            opens=Offset(days=28),
            due=Offset(days=35),
            closes=Offset(days=42),
        ),
        # seed 1 §11: on site 3–4 months after, 1–2 days of lessons and visits.
        FollowUpSpec(
            key="on_site_3_4_months",
            label=_("Follow-up on site (1–2 days), 3–4 months"),
            role=COORDINATOR,
            opens=Offset(months=3),
            due=Offset(months=3, days=14),
            closes=Offset(months=4),
        ),
        *_TWELVE_MONTHS,
    ),
    Track.INDIVIDUAL: (
        # seed 1 §10.2, §11: phone, MVG and/or visit 3–4 months after.
        FollowUpSpec(
            key="individual_3_4_months",
            label=_("Follow-up by phone, video or visit, 3–4 months"),
            role=COORDINATOR,
            opens=Offset(months=3),
            due=Offset(months=3, days=14),
            closes=Offset(months=4),
        ),
        *_TWELVE_MONTHS,
    ),
    Track.KRT: (
        _krt_spec(
            "krt_group_1_month",
            _("Group follow-up, 1 month"),
            PHYSIOTHERAPIST,
            1,
            group_session=True,
        ),
        _krt_spec(
            "krt_group_2_months",
            _("Group follow-up, 2 months"),
            PHYSIOTHERAPIST,
            2,
            group_session=True,
        ),
        _krt_spec(
            "krt_group_3_months",
            _("Group follow-up, 3 months"),
            PHYSIOTHERAPIST,
            3,
            group_session=True,
        ),
        # seed 2: "individuella tider ... hos sjukgymnast och psykolog med intervju
        # och frågeformulär" — two visits, the measurement with the psychologist,
        # where the sick-leave degree is recorded too ("Mätning med Linton, HAD,
        # MADRS, välmående och sjukskrivningsgrad sker vid 3-månadersuppföljning").
        _krt_spec(
            "krt_physiotherapist_3_months",
            _("Individual follow-up with the physiotherapist, 3 months"),
            PHYSIOTHERAPIST,
            3,
        ),
        _krt_spec(
            "krt_psychologist_3_months",
            _("Individual follow-up with interview and questionnaires, 3 months"),
            PSYCHOLOGIST,
            3,
            with_questionnaires=True,
            work_status_time_point="3_months",
        ),
    ),
}

# The follow-ups held as a session of the cohort, by key.
GROUP_SESSION_SPECS: dict[str, FollowUpSpec] = {
    spec.key: spec
    for specs in FOLLOW_UP_SPECS.values()
    for spec in specs
    if spec.group_session
}


def follow_up_schedule(
    *,
    ended_on: date,
    track: Track | str,
    specs: Iterable[FollowUpSpec] | None = None,
) -> list[FollowUp]:
    """Every follow-up of the track, dated from the day rehabilitation ended.

    `specs` replaces the shipped schedule of the track (a unit's own template).
    Guarantees one item per spec, in the spec order, each window ordered.
    For KRT, `ended_on` is the day the training month ends
    (`krt_follow_up_reference`).
    """
    track = Track(track)
    chosen = FOLLOW_UP_SPECS[track] if specs is None else tuple(specs)
    return [
        FollowUp(
            key=spec.key,
            label=spec.label,
            role=spec.role,
            window=Window(
                opens_on=spec.opens.from_date(ended_on),
                due_on=spec.due.from_date(ended_on),
                closes_on=spec.closes.from_date(ended_on),
            ),
            with_questionnaires=spec.with_questionnaires,
            group_session=spec.group_session,
            work_status_time_point=spec.work_status_time_point,
        )
        for spec in chosen
    ]
