"""The team of a unit, managed by its unit administrator.

Every write here is one named function that checks the rule, changes the rows
and writes the audit row in one transaction. A membership gives access from
its first to its last day (`Membership.objects` holds those valid today);
ending one sets its last day and never deletes it. A unit always keeps an
administrator whose access has no end.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from painrehab.accounts.models import (
    CareUnit,
    Membership,
    User,
    valid_on,
    valid_on_or_after,
)
from painrehab.accounts.team_audit import TeamEvent, describe_membership, team_what
from painrehab.audit.services import Action, record
from painrehab.core.refusals import Refused


class TeamError(Refused, ValueError):
    """A change the rules refuse; the message is for the administrator."""


@dataclass(frozen=True)
class Period:
    """The days a membership gives access: `until` is the last day; None: open."""

    valid_from: datetime.date
    valid_until: datetime.date | None


@dataclass(frozen=True)
class Team:
    """A unit's memberships as the team page shows them."""

    current: list[Membership]
    upcoming: list[Membership]
    ended: list[Membership]


def team_of(*, unit_id: int, today: datetime.date | None = None) -> Team:
    """Who has access to the unit today, who will have, and who had (with dates)."""
    today = today or timezone.localdate()
    rows = list(
        Membership.all_periods.filter(unit_id=unit_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    return Team(
        current=[m for m in rows if m.is_valid_on(today)],
        upcoming=[m for m in rows if m.valid_from and m.valid_from > today],
        ended=[m for m in rows if m.valid_until and m.valid_until < today],
    )


def unit_staff(*, unit_id: int) -> QuerySet[User]:
    """The people with access to the unit today, by name: whom a visit, a
    conference or a goal can name."""
    return (
        User.objects.filter(
            valid_on(timezone.localdate(), "memberships__"),
            memberships__unit_id=unit_id,
        )
        .order_by("last_name", "first_name")
        .distinct()
    )


def bookable_staff(
    *,
    unit_id: int,
    profession: str | None = None,
    on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> QuerySet[User]:
    """The people a booking form offers, by name (of `profession`, when
    given): those whose access to the unit covers `on`; before the day is
    chosen, those with access today or on a later day, the booking itself
    refusing a day their access does not cover (`rules.require_staff_on`)."""
    today = today or timezone.localdate()
    days = (
        valid_on(on, "memberships__")
        if on
        else valid_on_or_after(today, "memberships__")
    )
    # One filter call, so that the unit, the profession and the days are of
    # one membership; a user who works in two units is one choice.
    return (
        User.objects.filter(
            days,
            memberships__unit_id=unit_id,
            **({"memberships__profession": profession} if profession else {}),
        )
        .order_by("last_name", "first_name")
        .distinct()
    )


def get_membership_for_admin(membership: Membership, membership_id: int) -> Membership:
    """A membership of the administrator's own unit (any period), else 404."""
    return get_object_or_404(
        Membership.all_periods.select_related("user", "unit"),
        pk=membership_id,
        unit_id=membership.unit_id,
    )


def check_period(
    period: Period, *, today: datetime.date, begun_on: datetime.date | None = None
) -> None:
    """Refuses a period that rewrites the past: access that was given stays
    given. A membership that has begun keeps its first day (`begun_on`); a new
    one begins today at the earliest; the last day is today at the earliest
    and not before the first."""
    if begun_on is None and period.valid_from < today:
        raise TeamError(_("Access can begin today at the earliest."))
    if begun_on is not None and period.valid_from != begun_on:
        raise TeamError(
            _("Access that has begun keeps its first day (%(day)s).")
            % {"day": begun_on.isoformat()}
        )
    if period.valid_until is None:
        return
    if period.valid_until < today:
        raise TeamError(_("The last day of access can be today at the earliest."))
    if period.valid_until < period.valid_from:
        raise TeamError(_("The last day of access is before the first."))


def _is_lasting_admin(m: Membership, today: datetime.date) -> bool:
    return m.is_unit_admin and m.valid_until is None and m.is_valid_on(today)


def _check_unit_keeps_an_administrator(
    changed: Membership, *, was_lasting_admin: bool, today: datetime.date
) -> None:
    """Refuses a change that leaves the unit with no administrator whose
    access is valid today and has no end date."""
    if not was_lasting_admin or _is_lasting_admin(changed, today):
        return
    others = Membership.all_periods.filter(
        valid_on(today), unit_id=changed.unit_id, is_unit_admin=True
    ).filter(valid_until__isnull=True)
    if not others.exclude(pk=changed.pk).exists():
        raise TeamError(
            _(
                "The unit must keep an administrator whose access has no end. "
                "Make someone else an administrator first."
            )
        )


def begun_on(m: Membership, today: datetime.date) -> datetime.date | None:
    """The first day of a membership that has begun (its grant day if it has
    no first day recorded); None for one that has not begun yet."""
    if m.valid_from is None:
        return timezone.localdate(m.granted_at)
    return m.valid_from if m.valid_from <= today else None


@transaction.atomic
def add_staff(
    *,
    by: User,
    unit: CareUnit,
    first_name: str,
    last_name: str,
    username: str,
    email: str,
    profession: str,
    is_unit_admin: bool,
    period: Period,
    today: datetime.date | None = None,
) -> Membership:
    """A new staff member with a membership of `unit`. The account has no
    usable password: the staff member sets one through a link
    (`password_link`), so no administrator ever knows it."""
    today = today or timezone.localdate()
    check_period(period, today=today)
    if User.objects.filter(username__iexact=username).exists():
        raise TeamError(_("That user name is taken."))
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # the same name saved a moment before
        raise TeamError(_("That user name is taken.")) from error
    record(
        by=by,
        unit=unit,
        action=Action.ACCESS_CHANGE,
        obj=user,
        what=team_what(TeamEvent.STAFF_ADDED, user=user),
    )
    return _grant(
        by=by,
        unit=unit,
        user=user,
        profession=profession,
        is_unit_admin=is_unit_admin,
        period=period,
    )


@transaction.atomic
def give_membership(
    *,
    by: User,
    unit: CareUnit,
    user: User,
    profession: str,
    is_unit_admin: bool,
    period: Period,
    today: datetime.date | None = None,
) -> Membership:
    """Gives an existing user access to `unit`. A user whose earlier access
    has ended gets it again on the same row (the audit log keeps the earlier
    period); one with current or coming access is refused (change it instead)."""
    today = today or timezone.localdate()
    check_period(period, today=today)
    earlier = Membership.all_periods.filter(user=user, unit=unit).first()
    if earlier is None:
        return _grant(
            by=by,
            unit=unit,
            user=user,
            profession=profession,
            is_unit_admin=is_unit_admin,
            period=period,
        )
    if earlier.valid_until is None or earlier.valid_until >= today:
        raise TeamError(
            _("%(name)s already has access to the unit: change it instead.")
            % {"name": user}
        )
    earlier.profession = profession
    earlier.is_unit_admin = is_unit_admin
    earlier.valid_from, earlier.valid_until = period.valid_from, period.valid_until
    earlier.save()
    _record_membership(by, earlier, TeamEvent.MEMBERSHIP_GIVEN)
    return earlier


def _grant(
    *,
    by: User,
    unit: CareUnit,
    user: User,
    profession: str,
    is_unit_admin: bool,
    period: Period,
) -> Membership:
    membership = Membership.all_periods.create(
        user=user,
        unit=unit,
        profession=profession,
        is_unit_admin=is_unit_admin,
        valid_from=period.valid_from,
        valid_until=period.valid_until,
    )
    _record_membership(by, membership, TeamEvent.MEMBERSHIP_GIVEN)
    return membership


def _record_membership(by: User, membership: Membership, event: TeamEvent) -> None:
    record(
        by=by,
        unit=membership.unit_id,
        action=Action.ACCESS_CHANGE,
        obj=membership,
        what=describe_membership(event, membership),
    )


def _lock(membership: Membership) -> Membership:
    """The membership read afresh, with its unit locked on PostgreSQL: two
    administrators ending each other's access at once are taken one after
    the other, so the second sees that the first is gone."""
    CareUnit.objects.select_for_update().get(pk=membership.unit_id)
    return Membership.all_periods.select_for_update().get(pk=membership.pk)


@transaction.atomic
def change_membership(
    *,
    by: User,
    membership: Membership,
    profession: str,
    is_unit_admin: bool,
    period: Period,
    today: datetime.date | None = None,
) -> Membership:
    """Changes the profession, administrator flag or dates of a membership of
    the unit; the unit keeps a lasting administrator."""
    today = today or timezone.localdate()
    membership = _lock(membership)
    if membership.valid_until is not None and membership.valid_until < today:
        raise TeamError(_("This access has ended: give it again instead."))
    check_period(period, today=today, begun_on=begun_on(membership, today))
    was_lasting_admin = _is_lasting_admin(membership, today)
    membership.profession = profession
    membership.is_unit_admin = is_unit_admin
    if membership.valid_from is not None or period.valid_from > today:
        membership.valid_from = period.valid_from
    membership.valid_until = period.valid_until
    _check_unit_keeps_an_administrator(
        membership, was_lasting_admin=was_lasting_admin, today=today
    )
    membership.save()
    _record_membership(by, membership, TeamEvent.MEMBERSHIP_CHANGED)
    return membership


@transaction.atomic
def end_membership(
    *,
    by: User,
    membership: Membership,
    last_day: datetime.date,
    today: datetime.date | None = None,
) -> Membership:
    """Ends a membership: `last_day` is the last day of access (today at the
    earliest); from the day after, the user no longer reaches the unit."""
    today = today or timezone.localdate()
    membership = _lock(membership)
    if membership.valid_until is not None and membership.valid_until < today:
        raise TeamError(_("This access has already ended."))
    first_day = begun_on(membership, today)
    check_period(
        Period(first_day or membership.valid_from or today, last_day),
        today=today,
        begun_on=first_day,
    )
    was_lasting_admin = _is_lasting_admin(membership, today)
    membership.valid_until = last_day
    _check_unit_keeps_an_administrator(
        membership, was_lasting_admin=was_lasting_admin, today=today
    )
    membership.save(update_fields=["valid_until"])
    _record_membership(by, membership, TeamEvent.MEMBERSHIP_ENDED)
    return membership


def check_may_reset_password(*, by: User, membership: Membership) -> None:
    """A unit administrator may reset the password only of a staff member
    whose every current or coming access is in units `by` administers: a
    reset would otherwise open another unit's patients to this administrator.
    System accounts and one's own password are out of reach too."""
    user = membership.user
    if user.pk == by.pk:
        raise TeamError(_("Change your own password from the user menu."))
    if user.is_superuser or user.is_staff:
        raise TeamError(_("A system administrator's password is reset by the system."))
    today = timezone.localdate()
    administered = Membership.objects.filter(user=by, is_unit_admin=True).values(
        "unit_id"
    )
    elsewhere = (
        Membership.all_periods.filter(user=user)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exclude(unit_id__in=administered)
    )
    if elsewhere.exists():
        raise TeamError(
            _(
                "%(name)s also works in a unit you do not administer: "
                "that unit's administrator resets the password."
            )
            % {"name": user}
        )


@transaction.atomic
def reset_password(*, by: User, membership: Membership) -> str:
    """Makes the staff member's password unusable at once (their sessions end)
    and returns the token of a new set-password link (`password_link`)."""
    check_may_reset_password(by=by, membership=membership)
    user = User.objects.select_for_update().get(pk=membership.user_id)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    record(
        by=by,
        unit=membership.unit_id,
        action=Action.ACCESS_CHANGE,
        obj=user,
        what=team_what(TeamEvent.PASSWORD_RESET, user=user),
    )
    return default_token_generator.make_token(user)


def link_days() -> int:
    """How many days a set-password link works (Django's PASSWORD_RESET_TIMEOUT)."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def new_user_token(user: User) -> str:
    """The set-password token of a user just added (no usable password yet)."""
    return default_token_generator.make_token(user)


def password_link_parts(user: User, token: str) -> dict[str, str]:
    """The URL keywords of the set-password link for `user`."""
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token}


def record_password_set(*, user: User, event: TeamEvent) -> None:
    """Audits a password set by link or changed by its owner, once for each
    unit the user works in today, so each unit's administrator sees it."""
    units = Membership.objects.filter(user=user).values_list("unit_id", flat=True)
    unit_ids: list[int | None] = [*units]
    for unit_id in unit_ids or [None]:
        record(
            by=user,
            unit=unit_id,
            action=Action.ACCESS_CHANGE,
            obj=user,
            what=team_what(event, user=user),
        )
