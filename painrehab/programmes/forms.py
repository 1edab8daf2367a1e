"""Forms of the programmes app: input shape only; the rules live in services."""

import datetime as dt
import re
from datetime import date, time
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import Membership, valid_on, valid_on_or_after
from painrehab.core.form_fields import field_of
from painrehab.core.forms import MAX_ID, ConfirmTimeForm, IdsField, QueryForm
from painrehab.pathway.models import Episode
from painrehab.programmes import scheduler as cp
from painrehab.programmes.models import (
    Appointment,
    Attendance,
    CohortParticipant,
    PlaceKind,
    ProgrammeTemplate,
    Room,
    Session,
)

if TYPE_CHECKING:
    from painrehab.programmes.selectors import AttendanceSheet

DateInput = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TimeInput = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
]
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


def parse_ranges(text: str) -> list[list[str]]:
    """ "08:00-12:00, 13:00–16:00" as [["08:00", "12:00"], ["13:00", "16:00"]]."""
    ranges = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _RANGE.match(part)
        if not match:
            raise forms.ValidationError(
                _("Write times as 08:00-12:00, several separated by commas.")
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            start, end = time(h1, m1), time(h2, m2)
        except ValueError as error:
            raise forms.ValidationError(
                _("%(text)s is not a time.") % {"text": part}
            ) from error
        if end <= start:
            raise forms.ValidationError(
                _("%(text)s ends before it starts.") % {"text": part}
            )
        ranges.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
    return sorted(ranges)


def format_ranges(ranges: list[list[str]]) -> str:
    return ", ".join(f"{start}-{end}" for start, end in ranges)


class WeekHoursMixin(forms.Form):
    """One text field of time ranges per weekday, Monday to Friday."""

    def add_hour_fields(self, hours: dict[str, list[list[str]]] | None) -> None:
        for weekday, label in enumerate(WEEKDAYS):
            self.fields[f"day_{weekday}"] = forms.CharField(
                label=label,
                required=False,
                initial=format_ranges((hours or {}).get(str(weekday), [])),
                help_text=_("For example 08:00-16:00; empty: not that day."),
            )

    def cleaned_hours(self) -> dict[str, list[list[str]]]:
        hours = {}
        for weekday in range(len(WEEKDAYS)):
            ranges = self.cleaned_data.get(f"day_{weekday}") or []
            if ranges:
                hours[str(weekday)] = ranges
        return hours

    def clean_hours_fields(self) -> None:
        for weekday in range(len(WEEKDAYS)):
            name = f"day_{weekday}"
            try:
                self.cleaned_data[name] = parse_ranges(self.cleaned_data.get(name, ""))
            except forms.ValidationError as error:
                self.add_error(name, error)


class CohortForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=ProgrammeTemplate.objects.none()
    )
    start = forms.DateField(label=_("Starts on (a Monday)"), widget=DateInput)
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Empty: the template's name and the week number."),
    )

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "template", forms.ModelChoiceField
        ).queryset = ProgrammeTemplate.objects.filter(unit=unit_id)

    def clean_start(self) -> date:
        start = self.cleaned_data["start"]
        if start.weekday() != 0:
            raise forms.ValidationError(_("A programme starts on a Monday."))
        return start


class AnnualPlanForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=ProgrammeTemplate.objects.none()
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    count = forms.IntegerField(
        label=_("Number of programmes"), min_value=1, max_value=12, initial=6
    )

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "template", forms.ModelChoiceField
        ).queryset = ProgrammeTemplate.objects.filter(unit=unit_id)


class AddParticipantForm(forms.Form):
    episode: "forms.ModelChoiceField[Episode]" = forms.ModelChoiceField(
        queryset=None, widget=forms.HiddenInput, label=_("Patient")
    )
    needs_patient_hotel = forms.BooleanField(label=_("Patient hotel"), required=False)
    over_capacity_reason = forms.CharField(
        label=_("Reason for going beyond the group size"),
        required=False,
        max_length=500,
    )

    def __init__(
        self, *args: Any, candidates: QuerySet[Episode], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "episode", forms.ModelChoiceField).queryset = candidates
        self.fields["episode"].error_messages["invalid_choice"] = _(
            "This patient cannot be given a place in this programme."
        )


ATTENDANCE_CHOICES = [("", "—"), *Attendance.Status.choices]


class AttendanceForm(forms.Form):
    """A choice per session and participant of one day, named s<session>-p<participant>."""

    def __init__(
        self,
        *args: Any,
        cells: list[tuple[Session, CohortParticipant, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cells = cells
        for session, participant, current in cells:
            self.fields[self.key(session, participant)] = forms.ChoiceField(
                label=f"{participant} – {session.activity_name}",
                choices=ATTENDANCE_CHOICES,
                required=False,
                initial=current,
                error_messages={
                    "invalid_choice": _("Choose one of the attendance values listed.")
                },
            )

    @staticmethod
    def key(session: Session, participant: CohortParticipant) -> str:
        return f"s{session.pk}-p{participant.pk}"

    def table(
        self, sheet: "AttendanceSheet"
    ) -> list[tuple[object, list[forms.BoundField | None]]]:
        """Rows of participants, a field per session they are expected at."""
        expected = {(s.pk, p.pk) for s, p, _current in self.cells}
        return [
            (
                row,
                [
                    self[self.key(s, row.participant)]
                    if (s.pk, row.participant.pk) in expected
                    else None
                    for s in sheet.sessions
                ],
            )
            for row in sheet.rows
        ]

    def statuses(self) -> dict[Session, dict[int, str]]:
        """The chosen statuses per session (participant id -> status), blanks left out."""
        chosen: dict[Session, dict[int, str]] = {}
        for session, participant, _current in self.cells:
            value = self.cleaned_data.get(self.key(session, participant))
            if value:
                chosen.setdefault(session, {})[participant.pk] = value
        return chosen


def _member_label(membership: Membership) -> str:
    return f"{membership.user} ({membership.get_profession_display()})"


class MemberChoiceField(forms.ModelChoiceField):
    """A staff member of the unit, named with their profession."""

    def label_from_instance(self, obj: Membership) -> str:
        return _member_label(obj)


class MembersField(IdsField):
    """Staff members of the unit, each named with their profession."""

    def label_from_instance(self, obj: Membership) -> str:
        return _member_label(obj)


def _rooms_and_staff(form: forms.Form, unit_id: int, on: date | None = None) -> None:
    """The unit's rooms, and its programme staff named with their profession
    (`_programme_staff`)."""
    field_of(form, "room", forms.ModelChoiceField).queryset = Room.objects.filter(
        unit=unit_id
    )
    field_of(form, "staff", forms.ModelChoiceField).queryset = _programme_staff(
        form, unit_id, on
    )


def _programme_staff(
    form: forms.Form, unit_id: int, on: date | None = None
) -> QuerySet[Membership]:
    """The unit's programme staff whose access covers `on`, the day the form
    shows. A form sent back may name another day (or, without `on`, the day
    is typed in it): then everyone whose access has not ended by then passes,
    and the booking refuses, by name beside the field, one whose access does
    not cover the day sent (accounts.rules.require_staff_on)."""
    today = timezone.localdate()
    if on is not None and not form.is_bound:
        days = valid_on(on)
    else:
        days = valid_on_or_after(min(today, on) if on is not None else today)
    return (
        Membership.all_periods.filter(
            days, unit=unit_id, profession__in=list(cp.PROFESSION_PLURALS)
        )
        .select_related("user")
        .order_by("profession", "user__last_name", "user__first_name")
    )


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    start = forms.TimeField(label=_("Start"), widget=TimeInput)
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), required=False
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    staff = MembersField(
        label=_("Staff"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, unit_id: int, on: dt.date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _rooms_and_staff(self, unit_id, on)


class GroupFollowUpForm(ConfirmTimeForm):
    """A KRT group follow-up booked as a session of the cohort."""

    day = forms.DateField(label=_("Date"), widget=DateInput)
    start = forms.TimeField(label=_("Start"), widget=TimeInput)
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=480, initial=120
    )
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), required=False
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    staff = MembersField(
        label=_("Staff"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, unit_id: int, on: dt.date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _rooms_and_staff(self, unit_id, on)


class RoomForm(WeekHoursMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices)
    limited_hours = forms.BooleanField(
        label=_("Open only at the hours below"),
        required=False,
        help_text=_("Unticked: open the whole patient day, 08–16."),
    )

    def __init__(self, *args: Any, room: Room | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if room is not None:
            self.initial.update(
                {
                    "name": room.name,
                    "kind": room.kind,
                    "limited_hours": room.opening_hours is not None,
                }
            )
        self.add_hour_fields(room.opening_hours if room is not None else None)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.clean_hours_fields()
        return cleaned

    def opening_hours(self) -> dict[str, list[list[str]]] | None:
        return self.cleaned_hours() if self.cleaned_data["limited_hours"] else None


class AvailabilityForm(WeekHoursMixin, forms.Form):
    takes_part = forms.BooleanField(
        label=_("Runs programme activities"), required=False
    )

    def __init__(
        self,
        *args: Any,
        hours: dict[str, list[list[str]]] | None,
        takes_part: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.initial["takes_part"] = takes_part
        self.add_hour_fields(hours)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.clean_hours_fields()
        return cleaned


class AbsenceForm(forms.Form):
    first_day = forms.DateField(label=_("From"), widget=DateInput)
    last_day = forms.DateField(label=_("To"), widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The absence ends before it starts."))
        return cleaned


class TemplateSettingsForm(forms.ModelForm):
    class Meta:
        model = ProgrammeTemplate
        fields = ["min_participants", "max_participants", "absence_threshold_percent"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        low, high = cleaned.get("min_participants"), cleaned.get("max_participants")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_participants",
                _("The least number of participants is above the greatest."),
            )
        return cleaned


class AppointmentForm(ConfirmTimeForm):
    staff = MemberChoiceField(
        label=_("Staff member"), queryset=Membership.objects.none()
    )
    day = forms.DateField(label=_("Date"), widget=DateInput)
    start = forms.TimeField(label=_("Time"), widget=TimeInput)
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=480, initial=60
    )
    mode = forms.ChoiceField(
        label=_("How"), choices=Appointment.Mode.choices, initial="on_site"
    )
    note = forms.CharField(label=_("Content"), required=False, max_length=300)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The day is typed in the same form.
        field_of(self, "staff", forms.ModelChoiceField).queryset = _programme_staff(
            self, unit_id
        )


class AppointmentStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Appointment.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ParticipantQuery(QueryForm):
    """`?deltagare=` the participant whose own week schedule is printed."""

    deltagare = forms.IntegerField(
        label=_("Participant"), min_value=1, max_value=MAX_ID, initial=None
    )


class PatientHotelForm(forms.Form):
    """The cohort page's button: "1" the patient needs the hotel, "0" not."""

    needs_patient_hotel = forms.TypedChoiceField(
        label=_("Patient hotel"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
    )


class DayQuery(QueryForm):
    """`?dag=` the programme day whose attendance is shown."""

    dag = forms.DateField(label=_("Day"), initial=None)
