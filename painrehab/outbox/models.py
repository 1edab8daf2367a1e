"""Everything that leaves the system is a message in the outbox (issue 17).

A message has one channel and one recipient, a state (queued, sending, sent,
failed, cancelled; delivered where the channel reports it), its attempts and
its last error. A worker claims a message by a compare-and-set on its state,
so two workers never send one message twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import CareUnit
from painrehab.documents.models import Letter
from painrehab.pathway.models import Episode
from painrehab.patients.models import Patient


class Channel(models.TextChoices):
    POST = "post", _("Post")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    MAILBOX = "mailbox", _("Digital mailbox")


class ContactPreference(models.Model):
    """How the patient wants to be reached, with their consent per channel.

    Post always works. A patient with protected identity (skyddad
    personuppgift) is reached by post only, through the Tax Agency's
    forwarding, and no page shows their address."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, related_name="contact_preference"
    )
    email_consent = models.BooleanField(_("may be told by e-mail"), default=False)
    sms_consent = models.BooleanField(_("may be told by SMS"), default=False)
    mailbox_consent = models.BooleanField(
        _("may be told in a digital mailbox"), default=False
    )
    protected_identity = models.BooleanField(
        _("protected identity (skyddad personuppgift)"), default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.patient_id}"


class Message(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Stopped")

    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter")
        QUESTIONNAIRE_INVITATION = (
            "questionnaire_invitation",
            _("Invitation with questionnaires"),
        )
        QUESTIONNAIRE_REMINDER = (
            "questionnaire_reminder",
            _("Reminder about the questionnaires"),
        )
        REGISTRY_12_MONTHS = "registry_12_months", _("The 12-month questionnaires")
        ABSENCE_WARNING = "absence_warning", _("Warning before discharge for absence")

    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="messages"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="messages", null=True
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=300)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    # E-mail and SMS carry no health information: only that there is a
    # letter or a form, and the link.
    text = models.TextField(_("text"), blank=True)
    letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, related_name="messages", null=True
    )
    # What the message is about, for the check at the moment of sending
    # ("still due?"): e.g. the questionnaire request or the booking.
    about = models.JSONField(default=dict)
    # One message per due thing: the sweep may run twice, a message is queued once.
    key = models.CharField(max_length=120, unique=True, null=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    send_after = models.DateTimeField(_("send after"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("error"), max_length=300, blank=True)
    claimed_at = models.DateTimeField(null=True)
    sent_at = models.DateTimeField(_("sent"), null=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True)
    provider_id = models.CharField(max_length=100, blank=True)
    # A failed or stopped message is sent again once, as a new message that
    # supersedes it.
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="supersedes",
        null=True,
        verbose_name=_("sent again as"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,  # the sweep queues on its own
    )

    class Meta:
        indexes = [
            models.Index(fields=["state", "send_after"]),
            models.Index(fields=["unit", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()})"
