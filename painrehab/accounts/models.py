import datetime

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class Membership(models.Model):
    """Access to one unit, granted to one user, in one profession."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        CareUnit, on_delete=models.CASCADE, related_name="memberships"
    )
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices
    )
    is_unit_admin = models.BooleanField(_("unit administrator"), default=False)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"], name="one_membership_per_unit"
            )
        ]
        ordering = ["unit__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} ({self.get_profession_display()})"

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_for(
            profession=self.profession, is_unit_admin=self.is_unit_admin
        )
