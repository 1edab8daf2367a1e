from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import CareUnit
from painrehab.accounts.permissions import Profession
from painrehab.pathway.clocks import invitation_due_on
from painrehab.pathway.states import OPEN_STATES, DischargeReason, State
from painrehab.patients.models import Patient


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def in_unit(self, unit: CareUnit | int) -> "EpisodeQuerySet":
        return self.filter(unit=unit)

    def open(self) -> "EpisodeQuerySet":
        return self.exclude(state=State.DISCHARGED)

    def count_by_state(self) -> dict[str, int]:
        """How many episodes per state (states with none are left out)."""
        # COUNT(*), not of "id": the (unit, state) index answers it alone.
        counted = self.order_by().values_list("state").annotate(n=models.Count("*"))
        return dict(counted.values_list("state", "n"))


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
        indexes = [
            models.Index(fields=["unit", "state"]),
            # the open episodes, which the worklist's questionnaires join to
            models.Index(
                fields=["unit", "id"],
                condition=models.Q(closed_on__isnull=True),
                name="open_episodes_in_unit",
            ),
        ]
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
    """The referral (remiss) or own request (egen vårdbegäran) that opened an episode.

    The content follows the referral checklist (seed 1 §5.1–5.2).
    """

    class Source(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        OWN_REQUEST = "own_request", _("Own request for care")

    class SickLeave(models.TextChoices):
        NONE = "none", _("Not sick-listed")
        PARTLY = "partly", _("Partly sick-listed")
        FULLY = "fully", _("Fully sick-listed")
        UNKNOWN = "unknown", _("Not stated")

    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="referral"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    received_on = models.DateField(_("received on"))
    referrer_name = models.CharField(_("referrer"), max_length=200, blank=True)
    referrer_unit = models.CharField(_("referring unit"), max_length=200, blank=True)
    referrer_address = models.TextField(_("referrer's address"), blank=True)
    reason = models.TextField(_("reason for referral"), blank=True)
    pain_duration_months = models.PositiveIntegerField(
        _("pain duration (months)"), null=True, blank=True
    )
    pain_location = models.CharField(_("pain location"), max_length=300, blank=True)
    previous_investigations = models.TextField(
        _("previous investigations (dates and results)"), blank=True
    )
    previous_rehabilitation = models.TextField(
        _("previous rehabilitation (dates and results)"), blank=True
    )
    medication = models.TextField(_("medication"), blank=True)
    sick_leave = models.CharField(
        _("sick leave"),
        max_length=10,
        choices=SickLeave.choices,
        default=SickLeave.UNKNOWN,
    )
    sick_leave_percent = models.PositiveSmallIntegerField(
        _("sick leave degree (%)"), null=True, blank=True
    )
    work_situation = models.TextField(_("work or study situation"), blank=True)
    motivation = models.TextField(_("the patient's motivation"), blank=True)
    completion_requested_on = models.DateField(
        _("completion requested on"), null=True, blank=True
    )
    completion_received_on = models.DateField(
        _("completion received on"), null=True, blank=True
    )
    # Corrections before triage are version-checked and kept as revisions.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sick_leave_percent__isnull=True)
                | models.Q(sick_leave_percent__lte=100),
                name="sick_leave_percent_at_most_100",
            )
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.received_on}"

    @property
    def sick_leave_degree(self) -> int | None:
        """The sick leave as a degree 0–100 %; partly without a degree counts as 50 %."""
        if self.sick_leave == self.SickLeave.PARTLY:
            return self.sick_leave_percent or 50
        degrees: dict[str, int] = {self.SickLeave.NONE: 0, self.SickLeave.FULLY: 100}
        return degrees.get(self.sick_leave)

    @property
    def awaiting_completion(self) -> bool:
        return (
            self.completion_requested_on is not None
            and self.completion_received_on is None
        )

    @property
    def referrer_address_lines(self) -> list[str]:
        return [
            line.strip() for line in self.referrer_address.splitlines() if line.strip()
        ]


class TriageDecision(models.Model):
    """The physician's decision on a referral (remissbedömning), seed 1 §5.2 and §6."""

    class Outcome(models.TextChoices):
        NEW_VISIT = "new_visit", _("New visit with the physician")
        SCREENING = (
            "screening",
            _("New visit with the physician and another profession"),
        )
        RETURN = "return", _("Return to the referrer")

    SCREENING_PROFESSIONS = [
        "psychologist",
        "physiotherapist",
        "social_worker",
        "occupational_therapist",
    ]

    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="triage"
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    screening_profession = models.CharField(
        _("screening profession"), max_length=40, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="screening", screening_profession=""),
                name="screening_names_a_profession",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="return", reason=""),
                name="return_has_a_reason",
            ),
        ]
        verbose_name = _("triage decision")
        verbose_name_plural = _("triage decisions")

    def __str__(self) -> str:
        return self.get_outcome_display()

    @property
    def screening_profession_label(self) -> str:
        return (
            str(Profession(self.screening_profession).label)
            if self.screening_profession
            else ""
        )


class WaitingPause(models.Model):
    """Patient-chosen waiting (patientvald väntan): excluded from the guarantee clock."""

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="pauses"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="pause_ends_after_it_starts",
            )
        ]
        ordering = ["start"]
        verbose_name = _("patient-chosen waiting")
        verbose_name_plural = _("patient-chosen waiting")

    def __str__(self) -> str:
        return f"{self.start}–{self.end or ''}"


class Booking(models.Model):
    """A booked visit of an episode: the new visit, a return visit, an investigation visit …"""

    class Kind(models.TextChoices):
        NEW_VISIT = "new_visit", _("New visit")
        RETURN_VISIT = "return_visit", _("Return visit")
        INVESTIGATION = "investigation", _("Investigation visit")
        PLANNING_MEETING = "planning_meeting", _("Planning meeting")
        FOLLOW_UP = "follow_up", _("Follow-up")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        VIDEO = "video", _("Video")
        PHONE = "phone", _("Phone")

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("Did not attend")
        PATIENT_CANCELLATION = "patient_cancellation", _("Cancelled by the patient")
        UNIT_CANCELLATION = "unit_cancellation", _("Cancelled by the unit")

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="bookings"
    )
    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("time"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("physician"),
    )
    screening_profession = models.CharField(
        _("screening profession"), max_length=40, blank=True
    )
    second_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("screening staff member"),
    )
    mode = models.CharField(
        _("on site or video"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.BOOKED
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    invitation_sent_on = models.DateField(
        _("invitation sent on"), null=True, blank=True
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    # A move is version-checked and kept as a revision.
    version = models.PositiveIntegerField(default=1)
    # The interpreter booked for the visit (seed 1 §5.4): language, who booked
    # and whether the interpreter service confirmed.
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=60, blank=True
    )
    interpreter_booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    interpreter_booked_at = models.DateTimeField(null=True, blank=True)
    interpreter_confirmed = models.BooleanField(
        _("interpreter confirmed"), default=False
    )

    class Meta:
        indexes = [models.Index(fields=["unit", "status", "starts_at"])]
        ordering = ["starts_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def invitation_due_on(self) -> date:
        """Four weeks before the visit, or the day it was booked when it was
        booked later than that (never a day before the booking existed)."""
        due = invitation_due_on(visit_on=timezone.localdate(self.starts_at))
        if self.booked_at is None:
            return due
        return max(due, timezone.localdate(self.booked_at))


class NewVisitRecord(models.Model):
    """The physician's record of the new visit and its outcome (seed 1 §6)."""

    class Outcome(models.TextChoices):
        DISCHARGE = "discharge", _("Discharge")
        RETURN_VISIT = "return_visit", _("Return visit")
        TEAM_INVESTIGATION = "team_investigation", _("Team investigation")
        OTHER = "other", _("Other action")

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="new_visits"
    )
    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, related_name="record", null=True
    )
    held_on = models.DateField(_("held on"))
    summary = models.TextField(_("assessment"))
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    other_action = models.CharField(_("other action"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on"]
        verbose_name = _("new visit record")
        verbose_name_plural = _("new visit records")

    def __str__(self) -> str:
        return f"{self.held_on}: {self.get_outcome_display()}"


class TransitionQuerySet(models.QuerySet["EpisodeTransition"]):
    def last_entered(
        self, episodes: "models.QuerySet[Episode] | list[int]", state: str
    ) -> dict[int, date]:
        """The (local) day each of `episodes` last entered `state`, by episode id."""
        days: dict[int, date] = {}
        moves = self.filter(episode__in=episodes, to_state=state)
        for episode_id, at in moves.values_list("episode_id", "at"):
            day = timezone.localdate(at)
            days[episode_id] = max(days.get(episode_id, day), day)
        return days


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

    objects = TransitionQuerySet.as_manager()

    class Meta:
        # The worklist finds the episodes whose rehabilitation ended in a range
        # of days (their 12-month follow-up items) by state and time.
        indexes = [models.Index(fields=["to_state", "at"])]
        ordering = ["at", "id"]
        verbose_name = _("episode event")
        verbose_name_plural = _("episode events")

    def __str__(self) -> str:
        return f"{self.from_state or '-'} → {self.to_state}"
