import re

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import CareUnit

# The fields of the home address: never shown for a patient with protected
# identity.
ADDRESS_FIELDS = ("street_address", "postal_code", "city")


class PatientQuerySet(models.QuerySet["Patient"]):
    def in_unit(self, unit: CareUnit | int) -> "PatientQuerySet":
        return self.filter(unit=unit)

    def search(self, text: str) -> "PatientQuerySet":
        """Match by personnummer (any common format) or by name."""
        text = text.strip()
        compact = re.sub(r"[\s+-]", "", text)
        if compact.isdigit():
            if len(compact) == 10:  # YYMMDDNNNN matches the end of the stored 12 digits
                return self.filter(personnummer__endswith=compact)
            return self.filter(personnummer__contains=compact)
        query = models.Q()
        for word in text.split():
            query &= models.Q(first_name__icontains=word) | models.Q(
                last_name__icontains=word
            )
        return self.filter(query)


class Patient(models.Model):
    """A patient of one care unit. Identity, contact and individual needs."""

    unit = models.ForeignKey(
        CareUnit, on_delete=models.PROTECT, related_name="patients"
    )
    personnummer = models.CharField(
        _("personal identity number"), max_length=12, help_text=_("12 digits")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=60, default="svenska"
    )
    needs_interpreter = models.BooleanField(_("needs interpreter"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=60, blank=True
    )
    needs_easy_read = models.BooleanField(
        _("needs easy-read information"), default=False
    )
    next_of_kin_name = models.CharField(_("next of kin"), max_length=200, blank=True)
    next_of_kin_relation = models.CharField(_("relation"), max_length=60, blank=True)
    next_of_kin_phone = models.CharField(
        _("next of kin's phone"), max_length=40, blank=True
    )
    # The national registry is opt-out (Patientdatalagen ch. 7): record when the
    # patient was informed and whether they objected.
    registry_informed_on = models.DateField(
        _("informed about the registry on"), null=True, blank=True
    )
    registry_objected = models.BooleanField(
        _("objected to registry participation"), default=False
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "personnummer"], name="one_patient_per_number_and_unit"
            ),
            models.CheckConstraint(
                condition=~models.Q(needs_interpreter=True, interpreter_language=""),
                name="interpreter_needs_language",
            ),
        ]
        indexes = [models.Index(fields=["unit", "last_name", "first_name"])]
        ordering = ["last_name", "first_name"]
        verbose_name = _("patient")
        verbose_name_plural = _("patients")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.formatted_personnummer})"

    def get_absolute_url(self) -> str:
        return reverse("patients:detail", kwargs={"patient_id": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def formatted_personnummer(self) -> str:
        return f"{self.personnummer[:8]}-{self.personnummer[8:]}"

    @property
    def masked_personnummer(self) -> str:
        """The last four digits only, for paper that may go astray."""
        return f"••••••••-{self.personnummer[8:]}"

    @property
    def is_coordination_number(self) -> bool:
        return int(self.personnummer[6:8]) > 60

    @property
    def has_postal_address(self) -> bool:
        return bool(self.street_address and self.postal_code and self.city)

    @property
    def has_protected_identity(self) -> bool:
        """Protected identity (skyddad personuppgift), recorded with how the
        patient may be told (the outbox's contact preference): letters go
        through the Tax Agency's forwarding and no page shows the address."""
        preference = getattr(self, "contact_preference", None)
        return bool(preference and preference.protected_identity)

    @property
    def registry_participates(self) -> bool:
        return self.registry_informed_on is not None and not self.registry_objected
