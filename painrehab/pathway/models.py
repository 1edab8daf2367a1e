from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import CareUnit
from painrehab.pathway.states import OPEN_STATES, DischargeReason, State
from painrehab.patients.models import Patient


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def in_unit(self, unit: CareUnit | int) -> "EpisodeQuerySet":
        return self.filter(unit=unit)

    def open(self) -> "EpisodeQuerySet":
        return self.exclude(state=State.DISCHARGED)


class Episode(models.Model):
    """One care episode (vårdförlopp): one patient, one referral, referral to discharge.

    `state` is assigned only by pathway.services.transitions.move_episode.
    `unit` repeats the patient's unit so every scoped query is one filter.
    """

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="episodes"
    )
    unit = models.ForeignKey(
        CareUnit, on_delete=models.PROTECT, related_name="episodes"
    )
    state = models.CharField(
        _("state"),
        max_length=40,
        choices=State.choices,
        default=State.REFERRAL_RECEIVED,
    )
    state_since = models.DateTimeField(_("in this state since"))
    opened_on = models.DateField(_("referral received on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("discharge reason"),
        max_length=40,
        choices=DischargeReason.choices,
        blank=True,
    )
    version = models.PositiveIntegerField(default=1)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(state=State.DISCHARGED, closed_on__isnull=False)
                    & ~models.Q(discharge_reason="")
                )
                | (
                    ~models.Q(state=State.DISCHARGED) & models.Q(closed_on__isnull=True)
                ),
                name="discharged_iff_closed_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["unit", "state"])]
        ordering = ["-opened_on", "-id"]
        verbose_name = _("care episode")
        verbose_name_plural = _("care episodes")

    def __str__(self) -> str:
        return f"{self.patient.full_name}: {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("pathway:episode", kwargs={"episode_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Referral(models.Model):
    """The referral (remiss) or own request (egen vårdbegäran) that opened an episode."""

    class Source(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        OWN_REQUEST = "own_request", _("Own request for care")

    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="referral"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    received_on = models.DateField(_("received on"))
    referrer_name = models.CharField(_("referrer"), max_length=200, blank=True)
    referrer_unit = models.CharField(_("referring unit"), max_length=200, blank=True)
    referrer_address = models.TextField(_("referrer's address"), blank=True)
    reason = models.TextField(_("reason for referral"), blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.received_on}"


class EpisodeTransition(models.Model):
    """One step of an episode: who moved it, when, from where to where, and why."""

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="transitions"
    )
    from_state = models.CharField(max_length=40, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=40, choices=State.choices)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("episode event")
        verbose_name_plural = _("episode events")

    def __str__(self) -> str:
        return f"{self.from_state or '-'} → {self.to_state}"
