import datetime
from collections.abc import Callable
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from painrehab.accounts.permissions import Permission, Profession, permissions_for


class CareUnit(models.Model):
    """A care unit (vårdenhet): one pain rehabilitation team."""

    class Kind(models.TextChoices):
        SPECIALIST = "mmrsv", _("Specialist care (MMRsv)")
        PRIMARY_CARE = "mmrpv", _("Primary care (MMRpv)")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    letterhead_address = models.TextField(_("letterhead address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    absence_limit = models.PositiveSmallIntegerField(
        _("no-shows and cancellations before the episode is flagged for discharge"),
        default=2,
    )
    # The unit's day: a visit booked outside it asks for a confirmation.
    opens_at = models.TimeField(_("opens at"), default=datetime.time(7, 30))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(17, 0))

    class Meta:
        ordering = ["name"]
        verbose_name = _("care unit")
        verbose_name_plural = _("care units")

    def __str__(self) -> str:
        return self.name


# An HSA-id: SE, the issuing organisation's number (10 digits, or 12 with a
# leading 16), a dash and a local part.
HSA_ID_PATTERN = r"^SE[0-9]{10,12}-[0-9A-Za-z]{1,18}$"


class User(AbstractUser):
    """A staff member. Patients have no accounts.

    `hsa_id` is how single sign-on finds the user; an account and its
    memberships are given in the application, never made by a sign-on.
    """

    # Set on the request's user by django_otp's OTPMiddleware: a second factor
    # verified this session.
    is_verified: Callable[[], bool]

    hsa_id = models.CharField(
        _("HSA-id"),
        max_length=31,
        blank=True,
        default="",
        validators=[
            RegexValidator(HSA_ID_PATTERN, _("An HSA-id looks like SE2321000016-1234."))
        ],
        help_text=_("For log-in with the e-service card (SITHS)."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hsa_id"],
                condition=~models.Q(hsa_id=""),
                name="hsa_id_unique_when_set",
            )
        ]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def valid_on(day: datetime.date, prefix: str = "") -> Q:
    """The condition for a membership valid on `day`: begun, and not ended
    before it (the end date is the last day of access). `prefix` reaches a
    membership through a relation, e.g. ``"memberships__"``."""
    return (
        Q(**{f"{prefix}valid_from__isnull": True})
        | Q(**{f"{prefix}valid_from__lte": day})
    ) & (
        Q(**{f"{prefix}valid_until__isnull": True})
        | Q(**{f"{prefix}valid_until__gte": day})
    )


def valid_on_or_after(day: datetime.date, prefix: str = "") -> Q:
    """The condition for a membership valid on `day` or on a later day: not
    ended before it (it may begin later). Whom a booking form offers before
    the day is chosen; the booking itself asks `rules.require_staff_on`."""
    return Q(**{f"{prefix}valid_until__isnull": True}) | Q(
        **{f"{prefix}valid_until__gte": day}
    )


def valid_during(first: datetime.date, last: datetime.date, prefix: str = "") -> Q:
    """The condition for a membership valid on at least one day from `first`
    to `last`: begun by `last` and not ended before `first`."""
    return (
        Q(**{f"{prefix}valid_from__isnull": True})
        | Q(**{f"{prefix}valid_from__lte": last})
    ) & valid_on_or_after(first, prefix)


class CurrentMembershipManager(models.Manager["Membership"]):
    """Memberships valid today: the default, so that every reader of access
    (the current-unit middleware, the related managers, the pickers of staff)
    drops an ended one on the day after its end date without asking."""

    def get_queryset(self) -> models.QuerySet["Membership"]:
        return super().get_queryset().filter(valid_on(timezone.localdate()))


class Membership(models.Model):
    """Access to one unit, granted to one user, in one profession, for a period.

    `Membership.objects` holds the memberships valid today; `all_periods` every
    row, ended and future ones too (the team page and its history). Ending is
    an end date, never a delete.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        CareUnit, on_delete=models.CASCADE, related_name="memberships"
    )
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices
    )
    is_unit_admin = models.BooleanField(_("unit administrator"), default=False)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    # Empty from-date: valid since it was granted (rows from before dates existed).
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    # The last day of access; empty: until further notice.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = CurrentMembershipManager()
    all_periods = models.Manager()  # noqa: DJ012 (a manager, not a field)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"], name="one_membership_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="membership_ends_after_it_begins",
            ),
        ]
        ordering = ["unit__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} ({self.get_profession_display()})"

    def is_valid_on(self, day: datetime.date) -> bool:
        """Whether the membership gives access on `day` (see `valid_on`)."""
        begun = self.valid_from is None or self.valid_from <= day
        return begun and (self.valid_until is None or day <= self.valid_until)

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_for(
            profession=self.profession, is_unit_admin=self.is_unit_admin
        )


class LoginFailure(models.Model):
    """One failed login (wrong password or wrong second-factor code) for an
    account, from any address: the per-account delay counts these
    (accounts/lockout.py). A complete login removes the account's rows."""

    username = models.CharField(_("user name"), max_length=150, db_index=True)
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "at"])]
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """A staff member's single-use recovery codes as one django-otp device.

    Unlike django-otp's static device, which keeps its codes in clear, only
    the SHA-256 digest of each code is stored (accounts/second_factor.py).
    """

    # Django's manager, inherited from django-otp's Device, a library without
    # types: declared for the mypy plugin (the reverse manager User.recoverycodedevice_set).
    _default_manager: ClassVar[models.Manager["RecoveryCodeDevice"]]

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token: str) -> bool:
        """True once per code: a matching code is deleted as it is used."""
        from painrehab.accounts.second_factor import recovery_code_digest

        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        used = self.codes.filter(digest=recovery_code_digest(token)).delete()[0]
        if used:
            self.throttle_reset()
            return True
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    """The digest of one unused recovery code."""

    device = models.ForeignKey(
        RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes"
    )
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["device", "digest"], name="one_row_per_recovery_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.device_id}: {self.digest[:8]}…"
