"""Team investigation, assessment conference, plan, goals and the weekly conference
(seed 1 §7–8, §10.3; seed 2's criteria)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import CareUnit
from painrehab.accounts.permissions import Profession
from painrehab.pathway.models.episode import Episode


class InvestigationTemplate(models.Model):
    """A unit's fields for one profession's investigation record; each save a new version."""

    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="+")
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices
    )
    version = models.PositiveIntegerField()
    fields = models.JSONField(_("fields"))  # [{"key": …, "label": …}]
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "profession", "version"],
                name="one_investigation_template_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_profession_display()} v{self.version}"


class InvestigationRecord(models.Model):
    """One profession's findings in the team investigation; versioned edits."""

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="investigations"
    )
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices
    )
    template_version = models.CharField(max_length=20)
    fields = models.JSONField(
        default=dict
    )  # the template's fields at writing: [{"key","label"}]
    values = models.JSONField(default=dict)  # key -> text
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "profession"], name="one_record_per_profession"
            )
        ]
        ordering = ["profession"]
        verbose_name = _("investigation record")
        verbose_name_plural = _("investigation records")

    def __str__(self) -> str:
        return self.get_profession_display()

    @property
    def rows(self) -> list[tuple[str, str]]:
        return [(f["label"], self.values.get(f["key"], "")) for f in self.fields]


class CriteriaSet(models.Model):
    """A unit's criteria for one programme template; each save a new version."""

    class Template(models.TextChoices):
        SPECIALIST = "specialist", _("Specialist 5-week programme")
        KRT = "krt", _("KRT group (primary care)")

    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="+")
    template = models.CharField(max_length=20, choices=Template.choices)
    version = models.PositiveIntegerField()
    criteria = models.JSONField()  # [Criterion.to_dict()]
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "template", "version"], name="one_criteria_set_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_template_display()} v{self.version}"


class AssessmentConference(models.Model):
    """The team's assessment and decision (bedömningskonferens, seed 1 §7.3)."""

    class Decision(models.TextChoices):
        GROUP_PROGRAMME = "group_programme", _("Group programme")
        INDIVIDUAL = "individual", _("Individual rehabilitation")
        NOT_SUITABLE = "not_suitable", _("Not suitable (with recommended alternatives)")
        FURTHER_CONFERENCE = (
            "further_conference",
            _("Further conference after more team members have seen the patient"),
        )

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="conferences"
    )
    held_on = models.DateField(_("held on"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("participants")
    )
    main_problems = models.TextField(_("main problems"), blank=True)
    contributing_factors = models.TextField(_("contributing factors"), blank=True)
    resources = models.TextField(_("the patient's resources"), blank=True)
    expectations = models.TextField(_("the patient's expectations"), blank=True)
    criteria_template = models.CharField(
        max_length=20, choices=CriteriaSet.Template.choices
    )
    criteria_version = models.CharField(max_length=20)
    facts = models.JSONField(
        default=dict
    )  # facts recorded by the team: pending investigations, MADRS
    confirmations = models.JSONField(default=dict)  # criterion key -> bool
    decision = models.CharField(
        _("decision"), max_length=24, choices=Decision.choices, blank=True
    )
    individual_reason = models.CharField(
        _("reason for individual rehabilitation"), max_length=60, blank=True
    )
    alternatives = models.TextField(_("recommended alternatives"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="")
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="decision_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="individual", individual_reason=""),
                name="individual_needs_a_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="not_suitable", alternatives=""),
                name="not_suitable_needs_alternatives",
            ),
        ]
        indexes = [
            # The worklist's conferences: an episode's open conference, if any,
            # read from a small index for each episode at the conference step.
            models.Index(
                fields=["episode", "held_on", "id"],
                condition=models.Q(decision=""),
                name="open_conference_idx",
            ),
        ]
        ordering = ["held_on", "pk"]
        verbose_name = _("assessment conference")
        verbose_name_plural = _("assessment conferences")

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_decision_display()}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)


class RehabPlan(models.Model):
    """The rehabilitation plan gone through at the planning meeting (seed 1 §7.4)."""

    class Signature(models.TextChoices):
        PAPER = "paper", _("Signed on paper")
        TABLET = "tablet", _("Confirmed on a tablet")

    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="plan"
    )
    track = models.CharField(
        max_length=24, choices=AssessmentConference.Decision.choices[:2]
    )
    values = models.TextField(_("the patient's values"), blank=True)
    overall_goal = models.TextField(_("overall goal"), blank=True)
    next_of_kin_present = models.BooleanField(_("next of kin present"), default=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signature = models.CharField(
        _("signature"), max_length=10, choices=Signature.choices, blank=True
    )
    consent_to_forsakringskassan = models.BooleanField(
        _("the patient consents to a copy to Försäkringskassan"), default=False
    )
    # The plan as the patient signed it: stored once at signing, never rebuilt.
    signed_pdf = models.BinaryField(null=True, blank=True, editable=False)
    signed_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # A goal added after signing: the plan needs the patient's signature again.
    changed_after_signing = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signed_on__isnull=True, signature="")
                | (models.Q(signed_on__isnull=False) & ~models.Q(signature="")),
                name="signed_on_and_how_together",
            )
        ]
        verbose_name = _("rehabilitation plan")
        verbose_name_plural = _("rehabilitation plans")

    def __str__(self) -> str:
        return f"{self.episode_id}: {self.overall_goal[:40]}"

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None


class SignedPlanVersion(models.Model):
    """Each version of the plan the patient signed, kept as the document signed."""

    plan = models.ForeignKey(
        RehabPlan, on_delete=models.PROTECT, related_name="signed_versions"
    )
    number = models.PositiveSmallIntegerField()
    pdf = models.BinaryField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    signed_on = models.DateField(_("signed on"))
    signature = models.CharField(
        _("signature"), max_length=10, choices=RehabPlan.Signature.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="one_signed_plan_per_number"
            )
        ]
        ordering = ["plan", "number"]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number} {self.signed_on}"


class Goal(models.Model):
    """A sub-goal of the plan, owned by one profession (seed 1 §7.4, §9)."""

    class Phase(models.TextChoices):
        REHABILITATION = "rehabilitation", _("During rehabilitation")
        UNTIL_FOLLOW_UP = "until_follow_up", _("Until follow-up")

    plan = models.ForeignKey(RehabPlan, on_delete=models.PROTECT, related_name="goals")
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    description = models.TextField(_("goal"))
    measure = models.CharField(_("measure"), max_length=300)
    target_date = models.DateField(_("target date"))
    phase = models.CharField(
        max_length=20, choices=Phase.choices, default=Phase.REHABILITATION
    )
    set_on = models.DateField(_("set on"))
    # Corrected before the plan is signed: each wording kept as a revision.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["target_date", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.description[:60]


class GoalEvaluation(models.Model):
    """How far a goal was reached, in the last programme week or at follow-up."""

    class Result(models.TextChoices):
        MET = "met", _("Met")
        PARTLY_MET = "partly_met", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    class When(models.TextChoices):
        PROGRAMME_END = "programme_end", _("End of rehabilitation")
        FOLLOW_UP = "follow_up", _("Follow-up")

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="evaluations")
    when = models.CharField(_("evaluated at"), max_length=20, choices=When.choices)
    evaluated_on = models.DateField(_("evaluated on"))
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    comment = models.TextField(_("comment"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "when"], name="one_evaluation_per_goal_and_time"
            )
        ]
        ordering = ["evaluated_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_when_display()}: {self.get_result_display()}"


class PreparatoryIntervention(models.Model):
    """A planned preparatory intervention before the programme (seed 1 §8.1)."""

    class Kind(models.TextChoices):
        MEDICATION_TAPERING = "medication_tapering", _("Medication review or tapering")
        PSYCHOLOGICAL_TREATMENT = (
            "psychological_treatment",
            _("Psychological treatment"),
        )
        TRAINING_PROGRAMME = "training_programme", _("Training programme")
        PRACTICAL_OBSTACLES = "practical_obstacles", _("Solving practical obstacles")
        NEXT_OF_KIN_MEETING = "next_of_kin_meeting", _("Meeting with next of kin")
        EMPLOYER_MEETING = "employer_meeting", _("Meeting with employer or authorities")
        AIDS_AND_ERGONOMICS = "aids_and_ergonomics", _("Aids and ergonomics")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="preparations"
    )
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices
    )
    kind = models.CharField(_("intervention"), max_length=30, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["profession", "pk"]
        verbose_name = _("preparatory intervention")
        verbose_name_plural = _("preparatory interventions")

    def __str__(self) -> str:
        return self.get_kind_display()


class PatientConferenceNote(models.Model):
    """Minutes for one patient at the weekly patient conference (seed 1 §8.2)."""

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="conference_notes"
    )
    week_of = models.DateField(_("week of"))  # the Monday
    text = models.TextField(_("minutes"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["week_of", "pk"]
        verbose_name = _("patient conference note")
        verbose_name_plural = _("patient conference notes")

    def __str__(self) -> str:
        return f"{self.week_of}: {self.text[:40]}"
