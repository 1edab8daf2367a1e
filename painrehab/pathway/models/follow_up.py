"""Follow-up after rehabilitation and discharge (seed 1 §11–12, seed 2's follow-ups)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from painrehab.pathway.models.episode import Episode
from painrehab.pathway.states import DischargeReason


class FollowUpRecord(models.Model):
    """One follow-up item of the schedule, done or recorded as not reached."""

    class Outcome(models.TextChoices):
        DONE = "done", _("Done")
        NOT_REACHED = "not_reached", _("Not reached")

    class Mode(models.TextChoices):
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")
        VISIT = "visit", _("Visit")
        GROUP = "group", _("Group meeting")
        LETTER = "letter", _("By letter")

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="follow_ups"
    )
    item_key = models.CharField(max_length=60)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, blank=True)
    held_on = models.DateField(_("date"))
    maintenance_plan_completed = models.BooleanField(
        _("maintenance plan completed"), default=False
    )
    setbacks = models.TextField(_("setbacks discussed"), blank=True)
    contacts_needed = models.TextField(_("contacts the patient needs"), blank=True)
    note = models.TextField(_("note"), blank=True)
    team_summary = models.TextField(_("team summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "item_key"], name="one_record_per_follow_up_item"
            )
        ]
        ordering = ["held_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.item_key} {self.get_outcome_display()}"


class FollowUpDue(models.Model):
    """One follow-up item of an episode's schedule, kept as a row so that the
    worklist reads what is due in one indexed query.

    Written only by `pathway.services.follow_ups_due`, from the rule
    `pathway.follow_ups_due.due_follow_ups`, whenever what is due changes:
    entering or leaving follow-up, discharge, a recorded follow-up, a KRT
    cohort's theory sessions. Listed on `today` when not recorded and
    `listed_from <= today <= listed_until`."""

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="follow_ups_due"
    )
    unit = models.ForeignKey(
        "accounts.CareUnit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    item_key = models.CharField(max_length=60)
    role = models.CharField(max_length=40)  # the profession whose item it is
    opens_on = models.DateField()
    closes_on = models.DateField()
    listed_from = models.DateField()
    listed_until = models.DateField()
    # Empty until the item is recorded (FollowUpRecord.Outcome).
    outcome = models.CharField(max_length=12, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "item_key"], name="one_due_row_per_follow_up_item"
            )
        ]
        indexes = [
            models.Index(
                fields=["unit", "role", "listed_until", "listed_from"],
                condition=models.Q(outcome=""),
                name="follow_up_due_listed",
            )
        ]
        verbose_name = _("follow-up due")
        verbose_name_plural = _("follow-ups due")

    def __str__(self) -> str:
        return f"{self.item_key} {self.opens_on}–{self.closes_on}"


class DischargeRecord(models.Model):
    """Why and how an episode ended, with the alternative plan made before it (seed 1 §12)."""

    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="discharge"
    )
    reason = models.CharField(
        _("reason"), max_length=40, choices=DischargeReason.choices
    )
    taken_over_by = models.CharField(_("who takes over"), max_length=300)
    recommendation = models.TextField(_("what is recommended"))
    note = models.TextField(_("note"), blank=True)
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    discharged_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(taken_over_by="") & ~models.Q(recommendation=""),
                name="discharge_has_an_alternative_plan",
            )
        ]
        verbose_name = _("discharge")
        verbose_name_plural = _("discharges")

    def __str__(self) -> str:
        return self.get_reason_display()


class WorkStatus(models.Model):
    """The patient's degree of sick leave at one outcome time point.

    Before rehabilitation it defaults to what the referral says; at the end of
    rehabilitation, at KRT's 3-month follow-up and at the 12-month follow-up
    the team records it, so that
    the statistics can show change in sick leave and return to work.
    """

    class TimePoint(models.TextChoices):
        BEFORE = "before", _("Before rehabilitation")
        END = "end", _("End of rehabilitation")
        # KRT's measurement point (seed 2, "sjukskrivningsgrad ... vid
        # 3-månadersuppföljning").
        THREE_MONTHS = "3_months", _("3-month follow-up (KRT)")
        TWELVE_MONTHS = "12_months", _("12 months after")

    DEGREES = [
        (0, _("Not on sick leave")),
        (25, "25 %"),
        (50, "50 %"),
        (75, "75 %"),
        (100, "100 %"),
    ]

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="work_statuses"
    )
    time_point = models.CharField(
        _("time point"), max_length=10, choices=TimePoint.choices
    )
    sick_leave_percent = models.PositiveSmallIntegerField(
        _("sick leave degree"), choices=DEGREES
    )
    recorded_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "time_point"], name="one_work_status_per_time_point"
            ),
            models.CheckConstraint(
                condition=models.Q(sick_leave_percent__in=[0, 25, 50, 75, 100]),
                name="sick_leave_degree_in_quarters",
            ),
        ]
        verbose_name = _("sick leave at a time point")
        verbose_name_plural = _("sick leave at time points")

    def __str__(self) -> str:
        return f"{self.get_time_point_display()}: {self.sick_leave_percent} %"
