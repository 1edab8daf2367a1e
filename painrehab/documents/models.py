from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import CareUnit
from painrehab.pathway.models import Episode
from painrehab.patients.models import Patient


class LetterKind(models.TextChoices):
    """Every letter the pathway writes (seed 1 §5.2–5.3, §7, §9–12)."""

    CONFIRMATION_PATIENT = (
        "confirmation_patient",
        _("Referral confirmation to the patient"),
    )
    CONFIRMATION_REFERRER = (
        "confirmation_referrer",
        _("Referral confirmation to the referrer"),
    )
    INVITATION = "invitation", _("Invitation to the new visit")
    RETURN_TO_REFERRER = "return_to_referrer", _("Return to the referrer")
    OWN_REQUEST_DECLINED = (
        "own_request_declined",
        _("Answer to the patient's own request when it is not accepted"),
    )
    FIRST_NOTICE = "first_notice", _("First notice to the referrer after the new visit")
    COMPLETION_REQUEST = (
        "completion_request",
        _("Request for completion of the referral"),
    )
    TEAM_SUMMARY = (
        "team_summary",
        _("Team summary to the referrer after the investigation"),
    )
    PLAN_COPY_FK = (
        "plan_copy_fk",
        _("Copy of the rehabilitation plan to Försäkringskassan"),
    )
    FINAL_NOTE = "final_note", _("Final note to the referrer after rehabilitation")
    FOLLOW_UP_SUMMARY = (
        "follow_up_summary",
        _("Summary after follow-up to the referrer"),
    )
    FOLLOW_UP_SUMMARY_FK = (
        "follow_up_summary_fk",
        _("Summary after follow-up to Försäkringskassan"),
    )
    EMPLOYER_INFO = (
        "employer_info",
        _("Information about the rehabilitation for the employer"),
    )
    ABSENCE_WARNING = "absence_warning", _("Warning about absence before discharge")
    DISCHARGE = "discharge", _("Discharge letter to the referrer")


# Where a letter to a patient with protected identity (skyddad
# personuppgift) is addressed: the Tax Agency forwards it; no address.
PROTECTED_ROUTE = "Skatteverket, för vidarebefordran"


class Recipient(models.TextChoices):
    PATIENT = "patient", _("The patient")
    REFERRER = "referrer", _("The referrer")
    FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan")
    EMPLOYER = "employer", _("The employer")


class LetterTemplate(models.Model):
    """A unit's text for one kind of letter; each save is a new version.

    Subject and body are plain text with placeholders from the fixed
    vocabulary (documents.placeholders), which the system fills in.
    """

    unit = models.ForeignKey(
        CareUnit, on_delete=models.PROTECT, related_name="letter_templates"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=LetterKind.choices)
    version = models.PositiveIntegerField(_("version"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "version"], name="one_template_version"
            )
        ]
        ordering = ["unit", "kind", "-version"]
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Letter(models.Model):
    """A letter: an editable draft until finalised, then an immutable stored PDF."""

    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="letters"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="letters", null=True
    )
    kind = models.CharField(_("kind"), max_length=40, choices=LetterKind.choices)
    template_version = models.CharField(_("template version"), max_length=40)
    recipient = models.CharField(
        _("recipient"), max_length=20, choices=Recipient.choices
    )
    recipient_name = models.CharField(_("recipient's name"), max_length=200)
    recipient_address = models.TextField(_("recipient's address"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    signature = models.CharField(_("signature"), max_length=200, blank=True)
    letter_date = models.DateField(_("date"))
    # None: drafted by the outbox's sweep from the unit's text (the absence
    # warning); a person finalises it before it is posted.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    pdf = models.BinaryField(null=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)
    # Set when the visit the letter names was moved or cancelled: the letter
    # must not go out as it stands.
    stale_note = models.CharField(_("out of date"), max_length=300, blank=True)
    # A document that goes with the letter exactly as it was stored elsewhere
    # (the signed rehabilitation plan with the copy to Försäkringskassan): kept
    # byte for byte, never rebuilt.
    enclosure_name = models.CharField(_("enclosure"), max_length=200, blank=True)
    enclosure_pdf = models.BinaryField(null=True, editable=False)
    enclosure_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        finalised_at__isnull=True, finalised_by__isnull=True, sha256=""
                    )
                    | models.Q(finalised_at__isnull=False, finalised_by__isnull=False)
                    & ~models.Q(sha256="")
                ),
                name="finalised_at_by_and_checksum_together",
            )
        ]
        indexes = [models.Index(fields=["unit", "finalised_at"])]
        ordering = ["-created_at", "-id"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.recipient_name}"

    def get_absolute_url(self) -> str:
        return reverse("documents:letter", kwargs={"letter_id": self.pk})

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    @property
    def address_lines(self) -> list[str]:
        """The address block as printed and shown; for a patient with
        protected identity the forwarding route, whatever a draft holds."""
        if self.recipient == Recipient.PATIENT and self.patient.has_protected_identity:
            return [PROTECTED_ROUTE]
        return [
            line.strip() for line in self.recipient_address.splitlines() if line.strip()
        ]

    @property
    def holds_a_protected_address(self) -> bool:
        """A final letter to a patient now protected, made while the address
        was still printed: its stored PDF holds the address, so it is not shown."""
        return (
            self.is_final
            and self.recipient == Recipient.PATIENT
            and self.patient.has_protected_identity
            and self.recipient_address.strip() not in ("", PROTECTED_ROUTE)
        )

    @property
    def shown_address(self) -> str:
        return "\n".join(self.address_lines)


class LetterDispatch(models.Model):
    """A finalised letter sent: to whom and how."""

    class Channel(models.TextChoices):
        POST = "post", _("Post")
        DIGITAL = "digital", _("Digital")

    letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, related_name="dispatches"
    )
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    sent_to = models.CharField(_("to"), max_length=200)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["sent_at"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.sent_at:%Y-%m-%d}"
