"""Group programmes and individual rehabilitation (seed 0 §9–10, seed 2).

Templates, rooms and staff availability are unit data a unit configures;
cohorts, sessions, attendance and appointments are what happens to patients.
Every session and appointment records its staff and minutes (staff time for
the cost analysis).
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import CareUnit, Membership
from painrehab.accounts.permissions import Profession
from painrehab.pathway.models import Episode


class PlaceKind(models.TextChoices):
    """Kinds of room or place; the values are the scheduler's RoomKind values."""

    GROUP_ROOM = "group_room", _("Group room")
    GYM = "gym", _("Gym")
    POOL = "pool", _("Pool")
    OUTSIDE = "none", _("Outside or elsewhere")


def full_patient_day() -> dict[str, list[list[str]]]:
    """Monday to Friday, 08:00–16:00: the default working hours."""
    return {str(weekday): [["08:00", "16:00"]] for weekday in range(5)}


class ProgrammeTemplate(models.Model):
    """A unit's programme: its weeks, days a week, size and absence threshold."""

    unit = models.ForeignKey(
        CareUnit, on_delete=models.PROTECT, related_name="programme_templates"
    )
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    days_per_week_min = models.PositiveSmallIntegerField(
        _("scheduled days a week, at least"), null=True, blank=True
    )
    days_per_week_max = models.PositiveSmallIntegerField(
        _("scheduled days a week, at most"), null=True, blank=True
    )
    # {"1": [4, 4]}: the days of single weeks (the four enrolment days, §9.3).
    week_day_limits = models.JSONField(_("days of single weeks"), default=dict)
    min_participants = models.PositiveSmallIntegerField(_("participants, at least"))
    max_participants = models.PositiveSmallIntegerField(_("participants, at most"))
    absence_threshold_percent = models.PositiveSmallIntegerField(
        _("absence threshold (%)"),
        default=20,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "A participant absent from more than this share of the sessions is "
            "put on the patient conference agenda."
        ),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "key"], name="one_template_per_key_and_unit"
            ),
            models.CheckConstraint(
                condition=models.Q(min_participants__lte=models.F("max_participants")),
                name="template_min_participants_at_most_max",
            ),
            models.CheckConstraint(
                condition=models.Q(absence_threshold_percent__lte=100),
                name="template_absence_threshold_at_most_100",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    days_per_week_min__isnull=True, days_per_week_max__isnull=True
                )
                | models.Q(
                    days_per_week_min__lte=models.F("days_per_week_max"),
                ),
                name="template_days_per_week_both_or_neither",
            ),
        ]
        ordering = ["unit", "name"]
        verbose_name = _("programme template")
        verbose_name_plural = _("programme templates")

    def __str__(self) -> str:
        return self.name


class TemplateActivity(models.Model):
    """One line of a template's content (seed 0 §9.3, seed 2 "Program").

    `professions` lists the responsible professions, one staff member each; an
    inner list means any one of them. `group_size` empty: the whole group;
    0: staff only (the patient conference); n: groups of at most n.
    """

    template = models.ForeignKey(
        ProgrammeTemplate, on_delete=models.CASCADE, related_name="activities"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    professions = models.JSONField(_("responsible professions"))
    minutes = models.PositiveSmallIntegerField(_("usual length (minutes)"))
    room_kind = models.CharField(
        _("room or place"), max_length=20, choices=PlaceKind.choices
    )
    weeks = models.JSONField(_("programme weeks"))
    per_week = models.PositiveSmallIntegerField(_("times a week"), default=1)
    per_week_max = models.PositiveSmallIntegerField(
        _("times a week, at most"), null=True, blank=True
    )
    group_size = models.PositiveSmallIntegerField(
        _("group size"), null=True, blank=True
    )
    prefer_morning = models.BooleanField(_("preferably in the morning"), default=False)
    after = models.JSONField(_("after the activities"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="one_activity_per_position"
            ),
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0), name="activity_minutes_positive"
            ),
        ]
        ordering = ["template", "position"]
        verbose_name = _("template activity")
        verbose_name_plural = _("template activities")

    def __str__(self) -> str:
        return self.name

    @property
    def profession_labels(self) -> list[str]:
        """Each responsible profession by name; alternatives joined with "or"."""
        labels = []
        for spec in self.professions:
            options = [spec] if isinstance(spec, str) else spec
            names = [str(Profession(p).label) for p in options]
            labels.append(str(_(" or ")).join(names))
        return labels


class Room(models.Model):
    """A room or place the unit books: group room, gym, pool, or outside."""

    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    # {"1": [["10:00", "12:00"]]}, weekday 0 = Monday; null: open the whole day.
    opening_hours = models.JSONField(_("opening hours"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"], name="one_room_per_name_and_unit"
            )
        ]
        ordering = ["unit", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.name


class StaffAvailability(models.Model):
    """When a staff member works with programmes in this unit (part-time hours)."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="programme_availability"
    )
    takes_part = models.BooleanField(_("runs programme activities"), default=True)
    # {"0": [["08:00", "16:00"]], …}: weekday 0 = Monday; a missing day is free.
    hours = models.JSONField(_("working hours"), default=full_patient_day)

    class Meta:
        verbose_name = _("staff availability")
        verbose_name_plural = _("staff availability")

    def __str__(self) -> str:
        return str(self.membership)


class StaffAbsence(models.Model):
    """A staff member away (leave, course, illness) from one day to another."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="programme_absences"
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="staff_absence_ends_after_it_starts",
            )
        ]
        ordering = ["first_day"]
        verbose_name = _("staff absence")
        verbose_name_plural = _("staff absences")

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day}"


class Cohort(models.Model):
    """One run of a template: a group that starts on a Monday (seed 0 §9.2)."""

    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="cohorts")
    template = models.ForeignKey(
        ProgrammeTemplate, on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("starts on"))
    end = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="cohort_ends_after_it_starts",
            )
        ]
        indexes = [models.Index(fields=["unit", "start"])]
        ordering = ["start", "pk"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:cohort", kwargs={"cohort_id": self.pk})

    def runs_on(self, day: date) -> bool:
        return self.start <= day <= self.end


class CohortParticipant(models.Model):
    """A patient's place in a cohort. Adding it leaves the episode's state alone."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="participants"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="cohort_places"
    )
    needs_patient_hotel = models.BooleanField(
        _("needs the patient hotel (long travel)"), default=False
    )
    over_capacity_reason = models.TextField(
        _("reason for exceeding the group size"), blank=True
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "episode"], name="one_place_per_episode_and_cohort"
            )
        ]
        ordering = ["cohort", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return str(self.episode.patient.full_name)


class Session(models.Model):
    """One scheduled occasion of an activity: when, where, who runs it, who comes."""

    class Attendees(models.TextChoices):
        ALL = "all", _("The whole group")
        GROUP = "group", _("A small group")
        INDIVIDUAL = "individual", _("One participant")
        STAFF = "staff", _("Staff only")

    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="sessions"
    )
    activity_key = models.CharField(_("activity key"), max_length=80)
    activity_name = models.CharField(_("activity"), max_length=200)
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        related_name="sessions",
        null=True,
        blank=True,
        verbose_name=_("room"),
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Outside the rooms: workplace, swimming hall, nature …"),
    )
    attendees = models.CharField(
        _("attendees"), max_length=12, choices=Attendees.choices
    )
    participants = models.ManyToManyField(
        CohortParticipant, related_name="sessions", blank=True
    )
    locked = models.BooleanField(
        _("locked"),
        default=False,
        help_text=_("Kept as it is when the schedule is made again."),
    )
    # A follow-up held with the group (core.windows key, e.g. krt_group_1_month):
    # booked by hand after the programme, never rescheduled by the solver, and
    # attendance at it records the follow-up. Empty for programme activities.
    follow_up_key = models.CharField(_("follow-up"), max_length=60, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="session_ends_after_it_starts",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "date"]),
            models.Index(fields=["cohort", "date"]),
        ]
        ordering = ["date", "start", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.date} {self.start:%H:%M} {self.activity_name}"

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (
            self.start.hour * 60 + self.start.minute
        )

    @property
    def place_label(self) -> str:
        """The room's name, or the place written on the session, or nothing."""
        if self.room is not None:
            return self.room.name
        return self.place


class SessionStaff(models.Model):
    """A staff member running a session, and the minutes it took (staff time)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices
    )
    minutes = models.PositiveSmallIntegerField(_("staff minutes"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_row_per_staff_and_session"
            )
        ]
        ordering = ["session", "profession", "pk"]
        verbose_name = _("session staff")
        verbose_name_plural = _("session staff")

    def __str__(self) -> str:
        return f"{self.user} ({self.minutes} min)"


class Attendance(models.Model):
    """Whether a participant came to a session. Changes keep their revisions."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused absence")

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendance"
    )
    participant = models.ForeignKey(
        CohortParticipant, on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"],
                name="one_attendance_per_participant_and_session",
            )
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.session}: {self.get_status_display()}"


class Appointment(models.Model):
    """An individual intervention with one profession (seed 0 §8 and §10)."""

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")
        OUTSIDE = "outside", _("Outside (workplace, nature …)")

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("Did not attend")
        CANCELLED = "cancelled", _("Cancelled")

    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="rehab_appointments"
    )
    starts_at = models.DateTimeField(_("time"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices
    )
    mode = models.CharField(
        _("how"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    note = models.CharField(_("content"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0),
                name="appointment_minutes_positive",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "starts_at"]),
            models.Index(fields=["episode", "starts_at"]),
        ]
        ordering = ["starts_at", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.get_profession_display()}"
