"""One booking check for everything that gives someone time.

New visits, return and investigation visits (this app), individual
appointments and programme sessions (the programmes app, which registers its
own sources in its AppConfig.ready) all ask `check_time` before they are
written. A staff member, a patient or a room already taken at an overlapping
time is a clash: refused, with a message naming it. A weekend, a public
holiday, or a day the staff member is away or does not work asks for a
confirmation instead.

`overlapping` and `calendar_reasons` are plain rules; the sources read the
database around them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from painrehab.accounts.models import CareUnit, User
from painrehab.core.closed_days import swedish_closed_days
from painrehab.pathway.models import Booking
from painrehab.pathway.states import TransitionRefused

# The longest booking any form allows (8 hours): bookings that start this much
# before a proposed time are the only ones that can still be running then.
LONGEST = timedelta(minutes=480)


@dataclass(frozen=True)
class Request:
    """The time asked for and who (and what) it takes."""

    unit_id: int
    starts_at: datetime
    ends_at: datetime
    staff_ids: frozenset[int]
    patient_id: int | None = None
    room_id: int | None = None
    # The record being moved, which cannot clash with itself: ("Booking", pk).
    moving: tuple[str, int] | None = None


def visit(
    *,
    unit_id: int,
    starts_at: datetime,
    minutes: int,
    staff: Iterable[int | None],
    patient_id: int | None,
    moving: tuple[str, int] | None = None,
) -> Request:
    """The request of a visit of `minutes` with these staff (ids; None skipped)."""
    return Request(
        unit_id=unit_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        staff_ids=frozenset(pk for pk in staff if pk is not None),
        patient_id=patient_id,
        moving=moving,
    )


@dataclass(frozen=True)
class Taken:
    """Time already given to someone, as one source found it."""

    starts_at: datetime
    ends_at: datetime
    what: str  # "nybesök", "programpass Avslappning" … (no patient's name)
    staff_ids: frozenset[int]
    patient_id: int | None = None
    room_id: int | None = None
    ref: tuple[str, int] | None = None


Source = Callable[[Request], Iterable[Taken]]
# Sources of staff availability: the reasons a day or time needs confirming.
AvailabilitySource = Callable[[Request], Iterable[str]]

SOURCES: list[Source] = []
AVAILABILITY: list[AvailabilitySource] = []


class BookingClash(TransitionRefused):
    """Someone or something is already taken at that time."""


class NeedsConfirmation(TransitionRefused):
    """The time is possible but unusual; `reasons` says why, ask before booking."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def overlapping(request: Request, taken: Iterable[Taken]) -> list[Taken]:
    """What in `taken` overlaps the request and shares a staff member, the
    patient or the room with it (touching ends do not overlap)."""
    return [
        other
        for other in taken
        if other.starts_at < request.ends_at
        and request.starts_at < other.ends_at
        and (request.moving is None or other.ref != request.moving)
        and (
            request.staff_ids & other.staff_ids
            or (
                request.patient_id is not None
                and request.patient_id == other.patient_id
            )
            or (request.room_id is not None and request.room_id == other.room_id)
        )
    ]


def calendar_reasons(day: date) -> list[str]:
    """Why a day is not an ordinary working day in Sweden, if it is not."""
    reasons = []
    if day.weekday() >= 5:
        reasons.append(
            _("%(day)s is a weekend.")
            % {"day": formats.date_format(day, "l j F Y").capitalize()}
        )
    holiday = swedish_closed_days(day, day).get(day)
    if holiday:
        reasons.append(
            _("%(day)s is a public holiday (%(name)s).")
            % {"day": formats.date_format(day, "j F Y"), "name": holiday}
        )
    return reasons


def outside_hours(
    starts_at: datetime, ends_at: datetime, *, opens: time, closes: time
) -> bool:
    """Whether a visit starts before the unit opens or ends after it closes."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return start.time() < opens or end.time() > closes or end.date() != start.date()


def _unit_hours(request: Request) -> list[str]:
    unit = (
        CareUnit.objects.filter(pk=request.unit_id)
        .values("opens_at", "closes_at")
        .first()
    )
    if unit is None or not outside_hours(
        request.starts_at,
        request.ends_at,
        opens=unit["opens_at"],
        closes=unit["closes_at"],
    ):
        return []
    return [
        _("The unit's day is %(opens)s–%(closes)s.")
        % {"opens": f"{unit['opens_at']:%H:%M}", "closes": f"{unit['closes_at']:%H:%M}"}
    ]


def check_time(request: Request, *, confirmed: bool = False) -> None:
    """Refuse a clash; ask for confirmation of an unusual time unless given."""
    clashes = overlapping(request, _taken(request))
    if clashes:
        raise BookingClash(" ".join(_describe(request, clash) for clash in clashes))
    if confirmed:
        return
    reasons = calendar_reasons(timezone.localdate(request.starts_at))
    reasons.extend(_unit_hours(request))
    for source in AVAILABILITY:
        reasons.extend(source(request))
    if reasons:
        raise NeedsConfirmation(reasons)


def _taken(request: Request) -> list[Taken]:
    return [taken for source in [_bookings, *SOURCES] for taken in source(request)]


def staff_taken(
    *, unit_id: int, staff_id: int, first: datetime, last: datetime
) -> list[Taken]:
    """Everything a staff member is booked on that starts from `first` up to
    `last`: visits, individual appointments and programme sessions, in any
    unit, from the very sources the booking check asks, so a calendar and the
    check cannot disagree. One query per source, however many there are."""
    request = Request(
        unit_id=unit_id,
        starts_at=first,
        ends_at=last,
        staff_ids=frozenset({staff_id}),
    )
    return sorted(
        (
            taken
            for taken in _taken(request)
            if staff_id in taken.staff_ids and first <= taken.starts_at < last
        ),
        key=lambda taken: (taken.starts_at, taken.ref or ("", 0)),
    )


def _describe(request: Request, clash: Taken) -> str:
    start = timezone.localtime(clash.starts_at)
    end = timezone.localtime(clash.ends_at)
    when = f"{formats.date_format(start, 'j F')} {start:%H:%M}–{end:%H:%M}"
    if request.staff_ids & clash.staff_ids:
        names = ", ".join(
            user.get_full_name()
            for user in User.objects.filter(pk__in=request.staff_ids & clash.staff_ids)
        )
        return _("%(names)s already has %(what)s %(when)s.") % {
            "names": names,
            "what": clash.what,
            "when": when,
        }
    if request.patient_id is not None and request.patient_id == clash.patient_id:
        return _("The patient already has %(what)s %(when)s.") % {
            "what": clash.what,
            "when": when,
        }
    return _("The room is already booked for %(what)s %(when)s.") % {
        "what": clash.what,
        "when": when,
    }


def _bookings(request: Request) -> Iterable[Taken]:
    """Visits of this app that still hold their time (booked or held)."""
    rows = (
        Booking.objects.filter(
            status__in=[Booking.Status.BOOKED, Booking.Status.HELD],
            starts_at__lt=request.ends_at,
            starts_at__gt=request.starts_at - LONGEST,
        )
        .filter(_booking_people(request))
        .values(
            "pk",
            "kind",
            "starts_at",
            "minutes",
            "staff_id",
            "second_staff_id",
            "episode__patient_id",
        )
    )
    for row in rows:
        staff = {row["staff_id"], row["second_staff_id"]} - {None}
        yield Taken(
            starts_at=row["starts_at"],
            ends_at=row["starts_at"] + timedelta(minutes=row["minutes"]),
            what=str(Booking.Kind(row["kind"]).label).lower(),
            staff_ids=frozenset(staff),
            patient_id=row["episode__patient_id"],
            ref=("Booking", row["pk"]),
        )


def _booking_people(request: Request) -> Q:
    people = Q(staff_id__in=request.staff_ids) | Q(
        second_staff_id__in=request.staff_ids
    )
    if request.patient_id is not None:
        people |= Q(episode__patient_id=request.patient_id)
    return people
