"""Packages, requests sent to patients, their answers and the scored results.

The scoring itself is pure (`scoring.py`); these models store what it is fed
and what it returns, with the definition version that produced each score.
The patient-link token and the short code are stored only as hashes.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import CareUnit
from painrehab.pathway.models import Episode
from painrehab.questionnaires.wording import Wording


class TimePoint(models.TextChoices):
    """When a package goes out: the registry's three, and the KRT template's three."""

    REGISTRY_BEFORE = "registry_before", _("Before the new visit (registry)")
    REGISTRY_END = "registry_end", _("End of rehabilitation (registry)")
    REGISTRY_12_MONTHS = "registry_12m", _("12 months after (registry)")
    KRT_BEFORE = "krt_before", _("Before treatment (KRT)")
    KRT_AFTER = "krt_after", _("After treatment (KRT)")
    KRT_3_MONTHS = "krt_3m", _("3 months after treatment (KRT)")


TIME_POINT_ORDER: list[str] = list(TimePoint)


class SecondFactor(models.TextChoices):
    BIRTH_DATE = "birth_date", _("Date of birth")
    SHORT_CODE = "short_code", _("Code from the letter")
    EID = "eid", _("e-ID (BankID or Freja eID)")


class FormSettings(models.Model):
    """A unit's choices for patient forms; a unit without a row has the defaults."""

    unit = models.OneToOneField(
        CareUnit, on_delete=models.CASCADE, related_name="form_settings"
    )
    second_factor = models.CharField(
        _("second factor after the link"),
        max_length=20,
        choices=SecondFactor.choices,
        default=SecondFactor.BIRTH_DATE,
    )
    expiry_days = models.PositiveSmallIntegerField(
        _("days a link stays valid"),
        default=42,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name = _("questionnaire settings")
        verbose_name_plural = _("questionnaire settings")

    def __str__(self) -> str:
        return f"{self.unit}: {self.second_factor}"


class WordingQuerySet(models.QuerySet["LicensedWording"]):
    def active_for(self, unit: CareUnit | int, codes: list[str]) -> dict[str, int]:
        """{code: id} of the wording in use for each of `codes` that has one."""
        return dict(
            self.filter(
                unit=unit, code__in=codes, status=LicensedWording.Status.ACTIVE
            ).values_list("code", "id")
        )


class LicensedWording(models.Model):
    """One version of a unit's licensed wording of an instrument.

    The definitions ship structure, answer values and scoring; the unit that
    holds the licence imports the wording (`wording.read_wording`): the
    instructions, every question and every answer text in the paper form's
    order. A new import is a preview until the administrator activates it;
    activating retires the version in use. Versions are never changed or
    deleted: each answer set records the one its patient saw.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview, not yet in use")
        ACTIVE = "active", _("In use")
        RETIRED = "retired", _("Replaced by a later version")

    unit = models.ForeignKey(
        CareUnit, on_delete=models.PROTECT, related_name="licensed_wordings"
    )
    code = models.CharField(_("instrument"), max_length=20)
    number = models.PositiveIntegerField(_("version number"))
    label = models.CharField(_("version"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    items = models.JSONField(_("questions and answers"))
    copyright_line = models.CharField(_("copyright line"), max_length=300, blank=True)
    checksum = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    loaded_at = models.DateTimeField(_("imported at"))
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    objects = WordingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "code", "number"], name="one_wording_number_per_unit"
            ),
            models.UniqueConstraint(
                fields=["unit", "code"],
                condition=models.Q(status="active"),
                name="one_active_wording_per_instrument",
            ),
        ]
        ordering = ["code", "-number"]
        verbose_name = _("licensed wording")
        verbose_name_plural = _("licensed wordings")

    def __str__(self) -> str:
        return f"{self.code} {self.number}: {self.label}"

    def as_wording(self) -> "Wording":
        return Wording.from_stored(
            code=self.code,
            label=self.label,
            instructions=self.instructions,
            copyright_line=self.copyright_line,
            items=self.items,
        )


class Package(models.Model):
    """Which instruments a unit sends at one time point."""

    unit = models.ForeignKey(
        CareUnit, on_delete=models.CASCADE, related_name="questionnaire_packages"
    )
    time_point = models.CharField(
        _("time point"), max_length=20, choices=TimePoint.choices
    )
    codes = models.JSONField(_("instruments"), default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "time_point"], name="one_package_per_time_point"
            )
        ]
        verbose_name = _("questionnaire package")
        verbose_name_plural = _("questionnaire packages")

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_time_point_display()}"


class RequestQuerySet(models.QuerySet["QuestionnaireRequest"]):
    def in_unit(self, unit: CareUnit | int) -> "RequestQuerySet":
        return self.filter(unit=unit)

    def outstanding(self) -> "RequestQuerySet":
        """Requests still waiting for answers: sent, partly answered or expired.
        A discharged episode's unanswered requests are closed at discharge
        (`services.close_requests_at_discharge`), so they are not here."""
        return self.filter(status__in=QuestionnaireRequest.OUTSTANDING)


class QuestionnaireRequest(models.Model):
    """A package sent to a patient for an episode and a time point.

    `status` and `version` change only through a compare-and-set in
    `services.py`, so a double submit stores one answer set.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Sent")
        PARTLY = "partly", _("Partly answered")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Expired")
        CLOSED = "closed", _("Closed at discharge")

    # Still someone's work: the patient may answer, or staff may renew the link.
    OUTSTANDING = (Status.OPEN, Status.PARTLY, Status.EXPIRED)

    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="questionnaire_requests"
    )
    time_point = models.CharField(
        _("time point"), max_length=20, choices=TimePoint.choices
    )
    codes = models.JSONField(_("instruments"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64, unique=True)
    second_factor = models.CharField(
        max_length=20, choices=SecondFactor.choices, default=SecondFactor.BIRTH_DATE
    )
    sent_on = models.DateField(_("sent on"))
    expires_on = models.DateField(_("valid until"))
    # None: sent by the unit itself (the outbox's sweep, 28 days before the visit).
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The licensed wording each instrument is shown in, fixed when sent:
    # {code: LicensedWording id}. A later import does not change a sent form.
    wordings = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=1)

    objects = RequestQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["unit", "status", "expires_on"]),
            # The worklist's unanswered questionnaires: the unit's outstanding
            # requests in expiry order, read and counted from the index alone.
            models.Index(
                fields=["unit", "expires_on", "id"],
                include=["episode"],
                condition=models.Q(status__in=["open", "partly", "expired"]),
                name="questionnaire_outstanding_idx",
            ),
        ]
        ordering = ["-sent_on", "-id"]
        verbose_name = _("questionnaire request")
        verbose_name_plural = _("questionnaire requests")

    def __str__(self) -> str:
        return f"{self.get_time_point_display()} {self.sent_on}"

    def is_answerable(self, today: date) -> bool:
        return (
            self.status in (self.Status.OPEN, self.Status.PARTLY)
            and today <= self.expires_on
        )

    @property
    def awaits_answers(self) -> bool:
        """Not submitted and not closed at discharge."""
        return self.status in self.OUTSTANDING


class Answer(models.Model):
    """One item's answer, saved as the patient gives it."""

    request = models.ForeignKey(
        QuestionnaireRequest, on_delete=models.CASCADE, related_name="answers"
    )
    code = models.CharField(max_length=20)
    item = models.PositiveSmallIntegerField()
    value = models.JSONField(null=True)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "code", "item"], name="one_answer_per_item"
            )
        ]
        ordering = ["code", "item"]

    def __str__(self) -> str:
        return f"{self.code} {self.item}: {self.value}"


class ResultQuerySet(models.QuerySet["Result"]):
    def in_unit(self, unit: CareUnit | int) -> "ResultQuerySet":
        return self.filter(unit=unit)


class Result(models.Model):
    """One instrument scored once: the answers it was fed and what scoring returned."""

    class Source(models.TextChoices):
        PATIENT_ONLINE = "patient_online", _("Patient, online")
        PAPER = "paper", _("Paper form entered by staff")
        STAFF_RATED = "staff_rated", _("Rated by staff")

    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="questionnaire_results"
    )
    request = models.ForeignKey(
        QuestionnaireRequest,
        on_delete=models.PROTECT,
        related_name="results",
        null=True,
        blank=True,
    )
    time_point = models.CharField(
        _("time point"), max_length=20, choices=TimePoint.choices
    )
    code = models.CharField(_("instrument"), max_length=20)
    definition_version = models.CharField(_("definition version"), max_length=40)
    wording = models.ForeignKey(
        LicensedWording,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("wording"),
    )
    answers = models.JSONField(_("answers"))
    total = models.FloatField(_("total"), null=True)
    subscales = models.JSONField(_("subscales"), default=dict)
    subscale_bands = models.JSONField(default=dict)
    band = models.CharField(_("band"), max_length=40, blank=True)
    valid = models.BooleanField(_("valid"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    flags = models.JSONField(_("flags"), default=list)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    answered_on = models.DateField(_("answered on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = ResultQuerySet.as_manager()

    class Meta:
        constraints = [
            # The database's own guard behind the compare-and-set: one result per
            # instrument of a request, however many submits arrive.
            models.UniqueConstraint(
                fields=["request", "code"],
                condition=models.Q(request__isnull=False),
                name="one_result_per_instrument_and_request",
            ),
            models.CheckConstraint(
                condition=models.Q(source="staff_rated")
                | models.Q(request__isnull=False),
                name="only_staff_ratings_without_request",
            ),
        ]
        indexes = [models.Index(fields=["episode", "code"])]
        ordering = ["answered_on", "id"]
        verbose_name = _("questionnaire result")
        verbose_name_plural = _("questionnaire results")

    def __str__(self) -> str:
        return f"{self.code} {self.total}"


class FactorAttempt(models.Model):
    """One try at the second factor, for a rate limit that holds across processes.

    Written before the check and marked as succeeded after it, so concurrent
    guesses count against the limit too.
    """

    request = models.ForeignKey(
        QuestionnaireRequest,
        on_delete=models.CASCADE,
        related_name="attempts",
        null=True,
    )
    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(db_index=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["address", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.succeeded}"
