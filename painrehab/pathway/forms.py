import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from painrehab.accounts.models import User
from painrehab.accounts.permissions import Profession
from painrehab.accounts.team import bookable_staff
from painrehab.core.dates import week_monday
from painrehab.core.form_fields import field_of
from painrehab.core.forms import (
    MAX_ID,
    ConfirmTimeForm,
    IdsField,
    PageQuery,
    QueryForm,
    positive_id,
)
from painrehab.core.personnummer import PersonnummerError, parse_personnummer
from painrehab.pathway.clocks import ClockStatus
from painrehab.pathway.criteria import RULES, Criterion, CriterionKind, params_problem
from painrehab.pathway.models import (
    AssessmentConference,
    Booking,
    FollowUpRecord,
    Goal,
    GoalEvaluation,
    NewVisitRecord,
    PreparatoryIntervention,
    Referral,
    RehabPlan,
    TriageDecision,
    WorkStatus,
)
from painrehab.pathway.selectors import SORTS
from painrehab.pathway.sick_leave import sick_leave_problem
from painrehab.pathway.states import DischargeReason, State


class MoveEpisodeForm(forms.Form):
    to = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferralForm(forms.ModelForm):
    """The referral's content, after the referral checklist (seed 1 §5.1)."""

    needs_interpreter = forms.BooleanField(label=_("Needs interpreter"), required=False)
    interpreter_language = forms.CharField(
        label=_("Interpreter language"), required=False, max_length=60
    )
    needs_easy_read = forms.BooleanField(
        label=_("Needs easy-read information"), required=False
    )

    class Meta:
        model = Referral
        fields = [
            "source",
            "received_on",
            "referrer_name",
            "referrer_unit",
            "referrer_address",
            "reason",
            "pain_duration_months",
            "pain_location",
            "previous_investigations",
            "previous_rehabilitation",
            "medication",
            "sick_leave",
            "sick_leave_percent",
            "work_situation",
            "motivation",
        ]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "referrer_address": forms.Textarea(attrs={"rows": 3}),
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in [
                    "reason",
                    "previous_investigations",
                    "previous_rehabilitation",
                    "medication",
                    "work_situation",
                    "motivation",
                ]
            },
        }

    def __init__(
        self, *args: Any, birth_date: date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.birth_date = birth_date
        self.fields["sick_leave"].required = False
        self.fields["source"].initial = Referral.Source.REFERRAL
        field_of(self, "source", forms.ChoiceField).choices = Referral.Source.choices

    def clean_sick_leave(self) -> str:
        return self.cleaned_data.get("sick_leave") or Referral.SickLeave.UNKNOWN

    def clean_received_on(self) -> date:
        from django.utils import timezone

        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."))
        if self.birth_date and received < self.birth_date:
            raise forms.ValidationError(
                _("The date received is before the patient's birth.")
            )
        return received

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("needs_interpreter") and not data.get("interpreter_language"):
            self.add_error(
                "interpreter_language",
                _("State which language the interpreter should speak."),
            )
        percent = data.get("sick_leave_percent")
        if percent is not None and percent > 100:
            self.add_error(
                "sick_leave_percent", _("The degree of sick leave is at most 100 %.")
            )
        elif "sick_leave" in data:
            problem = sick_leave_problem(kind=data["sick_leave"], percent=percent)
            if problem is not None:
                self.add_error(*problem)
        if data.get("source") == Referral.Source.REFERRAL and not data.get(
            "referrer_name"
        ):
            self.add_error("referrer_name", _("Name the referrer."))
        return data


class CorrectReferralForm(ReferralForm):
    """The referral's content corrected before triage; the patient's needs are
    changed on the patient's page."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("needs_interpreter", "interpreter_language", "needs_easy_read"):
            del self.fields[name]


class NewPatientReferralForm(ReferralForm):
    """A referral for someone not yet registered: identity first."""

    personnummer = forms.CharField(label=_("Personal identity number"), max_length=20)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    street_address = forms.CharField(
        label=_("Street address"), max_length=200, required=False
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    field_order = [
        "personnummer",
        "first_name",
        "last_name",
        "street_address",
        "postal_code",
        "city",
        "phone",
    ]

    def clean_personnummer(self) -> str:
        try:
            return parse_personnummer(self.cleaned_data["personnummer"]).number
        except PersonnummerError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=TriageDecision.Outcome.choices,
        widget=forms.RadioSelect,
    )
    screening_profession = forms.ChoiceField(
        label=_("Screening profession"),
        required=False,
        choices=[
            ("", "—"),
            *[(p, Profession(p).label) for p in TriageDecision.SCREENING_PROFESSIONS],
        ],
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") == TriageDecision.Outcome.SCREENING and not data.get(
            "screening_profession"
        ):
            self.add_error(
                "screening_profession",
                _("Choose which profession takes part in the screening."),
            )
        if (
            data.get("outcome") == TriageDecision.Outcome.RETURN
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Write the reason for returning the referral."))
        return data


class BookingForm(ConfirmTimeForm):
    day = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=480, initial=60
    )
    physician: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Physician"), queryset=None
    )
    second_staff: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Screening staff member"), queryset=None, required=False
    )
    mode = forms.ChoiceField(
        label=_("On site or video"), choices=Booking.Mode.choices[:2]
    )

    def __init__(
        self, *args: Any, unit_id: int, screening: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)

        # The day is typed in the same form: everyone whose access has not
        # ended is offered, and the booking refuses, beside the field, one
        # whose access does not cover the day typed.
        field_of(self, "physician", forms.ModelChoiceField).queryset = bookable_staff(
            unit_id=unit_id, profession=Profession.PHYSICIAN
        )
        if screening:
            field_of(
                self, "second_staff", forms.ModelChoiceField
            ).queryset = bookable_staff(unit_id=unit_id, profession=screening)
            self.fields["second_staff"].required = True
            self.fields["second_staff"].label = _("Screening: %(profession)s") % {
                "profession": Profession(screening).label
            }
        else:
            del self.fields["second_staff"]


class MoveBookingForm(ConfirmTimeForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField(
        label=_("New date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start = forms.TimeField(
        label=_("New time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=480
    )


class PauseForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To (empty while it goes on)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date is before the start date."))
        return data


class NewVisitForm(forms.Form):
    held_on = forms.DateField(
        label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(
        label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 5})
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=NewVisitRecord.Outcome.choices,
        widget=forms.RadioSelect,
    )
    other_action = forms.CharField(
        label=_("Other action"), required=False, max_length=300
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") == NewVisitRecord.Outcome.OTHER and not data.get(
            "other_action"
        ):
            self.add_error("other_action", _("Describe the other action."))
        return data


class ConferenceStartForm(forms.Form):
    held_on = forms.DateField(
        label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    participants = IdsField(
        label=_("Participants"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "participants", forms.ModelChoiceField).queryset = staff


class ConferenceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    main_problems = forms.CharField(
        label=_("Main problems"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contributing_factors = forms.CharField(
        label=_("Contributing factors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resources = forms.CharField(
        label=_("The patient's resources"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expectations = forms.CharField(
        label=_("The patient's expectations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    has_pending_investigations = forms.TypedChoiceField(
        label=_("Pending investigations or treatments"),
        choices=[("", _("Not recorded")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )
    madrs_total = forms.IntegerField(
        label=_("MADRS total, when not from a scored form"),
        required=False,
        min_value=0,
        max_value=60,
    )
    madrs_reason = forms.CharField(
        label=_("Why another MADRS value than the scored one"),
        required=False,
        max_length=300,
    )


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=AssessmentConference.Decision.choices,
        widget=forms.RadioSelect,
    )
    individual_reason = forms.ChoiceField(
        label=_("Reason for individual rehabilitation"),
        required=False,
        choices=[],
    )
    alternatives = forms.CharField(
        label=_("Recommended alternatives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        reasons: Iterable[Criterion] = (),
        deciding: bool = True,
        **kwargs: Any,
    ) -> None:
        """`deciding=False` when the assessment is only saved: the decision
        typed is shown again but not asked for."""
        super().__init__(*args, **kwargs)
        self.fields["decision"].required = deciding
        field_of(self, "individual_reason", forms.ChoiceField).choices = [
            ("", "—"),
            *[(c.key, c.text) for c in reasons],
        ]


class ConfirmationsForm(forms.Form):
    """The team's yes or no on each checklist criterion that no rule decides
    (`confirm_<key>`); a criterion left open, or answered with neither, is
    left out."""

    def __init__(self, data: Mapping[str, Any], *, keys: Iterable[str]) -> None:
        super().__init__(data)
        for key in keys:
            self.fields[f"confirm_{key}"] = forms.ChoiceField(
                choices=[("yes", _("Yes")), ("no", _("No"))], required=False
            )

    def confirmations(self) -> dict[str, bool]:
        """Yes (True) or no (False) by criterion key, for those answered."""
        self.is_valid()
        return {
            name.removeprefix("confirm_"): self.cleaned_data[name] == "yes"
            for name in self.fields
            if self.cleaned_data.get(name)
        }


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    values = forms.CharField(
        label=_("The patient's values"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    overall_goal = forms.CharField(
        label=_("Overall goal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_of_kin_present = forms.BooleanField(
        label=_("Next of kin present"), required=False
    )

    def is_typed(self) -> bool:
        """The plan's text came with the post (its sign button sends the
        plan's form with it; a post without the text changes none of it)."""
        return any(self[name].data is not None for name in ("values", "overall_goal"))


class GoalForm(forms.Form):
    profession = forms.ChoiceField(label=_("Profession"), choices=Profession.choices)
    owner: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Owner"), queryset=None
    )
    description = forms.CharField(
        label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2})
    )
    measure = forms.CharField(label=_("Measure"), max_length=300)
    target_date = forms.DateField(
        label=_("Target date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "owner", forms.ModelChoiceField).queryset = staff


class GoalCorrectionForm(GoalForm):
    """A goal corrected before the plan is signed, from the version it showed."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    field_order = ["version"]
    saved: Goal | None = None  # the version someone else saved in between


class SignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    signature = forms.ChoiceField(
        label=_("How"), choices=RehabPlan.Signature.choices, widget=forms.RadioSelect
    )
    consent_to_forsakringskassan = forms.BooleanField(
        label=_("The patient consents to a copy to Försäkringskassan"), required=False
    )


class EvaluationForm(forms.Form):
    when = forms.ChoiceField(
        label=_("Evaluated at"), choices=GoalEvaluation.When.choices
    )
    result = forms.ChoiceField(label=_("Result"), choices=GoalEvaluation.Result.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=1000)


class PreparationStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=PreparatoryIntervention.Status.choices
    )


class PreparationForm(forms.Form):
    profession = forms.ChoiceField(label=_("Profession"), choices=Profession.choices)
    kind = forms.ChoiceField(
        label=_("Intervention"), choices=PreparatoryIntervention.Kind.choices
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=1000
    )


class ConferenceNoteForm(forms.Form):
    text = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 2}))
    # the agenda's week as the page sent it; one that is not a date is this week
    week_of = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_week_of(self) -> date | None:
        try:
            return date.fromisoformat(self.cleaned_data["week_of"])
        except ValueError:
            return None

    def week(self, *, today: date) -> date:
        """The Monday of the week the minutes belong to (call after `is_valid`)."""
        return week_monday(self.cleaned_data.get("week_of") or today)


class InvestigationBookingForm(ConfirmTimeForm):
    profession = forms.ChoiceField(label=_("Profession"), choices=Profession.choices)
    staff: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Staff member"), queryset=None
    )
    day = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=480, initial=60
    )
    mode = forms.ChoiceField(label=_("How"), choices=Booking.Mode.choices)

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "staff", forms.ModelChoiceField).queryset = staff


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=FollowUpRecord.Outcome.choices,
        widget=forms.RadioSelect,
    )
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    mode = forms.ChoiceField(
        label=_("How"),
        choices=[("", "—"), *FollowUpRecord.Mode.choices],
        required=False,
    )
    maintenance_plan_completed = forms.BooleanField(
        label=_("Maintenance plan completed"), required=False
    )
    setbacks = forms.CharField(
        label=_("Setbacks discussed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    contacts_needed = forms.CharField(
        label=_("Contacts the patient needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    team_summary = forms.CharField(
        label=_("Team summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary_to_forsakringskassan = forms.BooleanField(
        label=_("The patient consents to a summary to Försäkringskassan"),
        required=False,
    )
    # Only at a follow-up that measures sick leave (KRT's 3-month follow-up).
    sick_leave_percent = forms.TypedChoiceField(
        label=_("Sick leave degree"),
        choices=[("", "—"), *WorkStatus.DEGREES],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(
        self, *args: Any, asks_sick_leave: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not asks_sick_leave:
            del self.fields["sick_leave_percent"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (
            "sick_leave_percent" in self.fields
            and data.get("outcome") == FollowUpRecord.Outcome.DONE
            and data.get("sick_leave_percent") is None
        ):
            self.add_error(
                "sick_leave_percent",
                _("Record the sick-leave degree at this follow-up."),
            )
        return data


class AbsenceForm(forms.Form):
    """The kind of absence recorded on a booked visit."""

    status = forms.ChoiceField(
        choices=[
            (status, status.label)
            for status in (
                Booking.Status.NO_SHOW,
                Booking.Status.PATIENT_CANCELLATION,
                Booking.Status.UNIT_CANCELLATION,
            )
        ]
    )


class FollowUpItemQuery(QueryForm):
    """The follow-up of the schedule the page records: `?punkt=` in the
    address (the schedule's link), `item_key` in the posted form."""

    punkt = forms.ChoiceField(label=_("Follow-up"), initial="")
    item_key = forms.ChoiceField(label=_("Follow-up"), initial="")

    def __init__(self, *args: Any, keys: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("punkt", "item_key"):
            field_of(self, name, forms.ChoiceField).choices = [
                (key, key) for key in keys
            ]


class WorkStatusForm(forms.Form):
    time_point = forms.ChoiceField(
        label=_("Time point"), choices=WorkStatus.TimePoint.choices
    )

    sick_leave_percent = forms.TypedChoiceField(
        label=_("Sick leave degree"), choices=WorkStatus.DEGREES, coerce=int
    )
    recorded_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args: Any,
        time_points: list[tuple[str, StrPromise]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if time_points is not None:
            field_of(self, "time_point", forms.ChoiceField).choices = time_points


class DischargeForm(forms.Form):
    # No reason chosen beforehand: the one who discharges picks it.
    reason = forms.ChoiceField(
        label=_("Reason for discharge"),
        choices=[("", _("Choose a reason")), *DischargeReason.choices],
    )
    taken_over_by = forms.CharField(label=_("Who takes over"), max_length=300)
    recommendation = forms.CharField(
        label=_("What is recommended"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


MAX_CRITERIA_ROWS = 500


class CriteriaForm(forms.Form):
    """What the criteria page posts: its rows (`rows`, how many, and
    `c-<i>-<field>` for each), or a batch of criteria as JSON (`criteria`).

    Valid when `cleaned_data["criteria"]` is a list to give the service. A
    problem of a row stays with the row (`rows_as_typed`, its `problems` by
    field), to be shown beside it; a batch that cannot be read, or criteria
    the service refuses (`refuse`), are the form's own error.
    """

    criteria = forms.CharField(required=False, strip=False)
    rows = forms.CharField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.typed_rows: list[dict[str, Any]] = []

    def clean_rows(self) -> int:
        """How many rows the form had; a count that is not one is 0 rows."""
        return min(positive_id(self.cleaned_data["rows"]) or 0, MAX_CRITERIA_ROWS)

    def is_batch(self) -> bool:
        return self["criteria"].data is not None  # the field was sent

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.is_batch():
            try:
                data["criteria"] = criteria_list(data["criteria"])
                check_rule_values(data["criteria"])
            except ValueError as problem:
                raise forms.ValidationError(could_not_save(problem)) from None
            return data
        self.typed_rows = criteria_from_rows(self.data, count=data["rows"])
        if any(row["problems"] for row in self.typed_rows):
            # Each message is shown beside its row; this only makes the form invalid.
            self.add_error("rows", _("Correct the criteria marked below."))
        data["criteria"] = [
            {name: row[name] for name in CRITERION_FIELDS}
            for row in self.typed_rows
            if not row["remove"]
        ]
        return data

    def rows_as_typed(self) -> list[dict[str, Any]]:
        """The rows as typed, with each row's problems, to show the form again."""
        self.is_valid()
        return self.typed_rows

    def refuse(self, problem: Exception) -> None:
        """The service refused the criteria: the form's own error, above the rows."""
        self.add_error(None, could_not_save(problem))


def could_not_save(problem: Exception) -> str:
    return str(
        _("The criteria could not be saved: %(problem)s")
        % {"problem": getattr(problem, "message", problem)}
    )


def check_rule_values(posted: list[Any]) -> None:
    """ValueError, in the user's language, naming the first criterion whose
    rule values are impossible (an age range running downwards, for one)."""
    for row in posted:
        if not isinstance(row, dict) or not isinstance(row.get("params"), dict):
            continue
        rule = row.get("rule")
        problem = params_problem(rule if isinstance(rule, str) else None, row["params"])
        if problem:
            raise ValueError(
                _("“%(text)s”: %(problem)s")
                % {"text": row.get("text_sv") or row.get("key"), "problem": problem}
            )


def criteria_list(text: str) -> list[Any]:
    """The posted JSON as a list, or ValueError with a message in the user's language."""
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as problem:
        raise ValueError(
            _("The text is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": problem.lineno, "column": problem.colno}
        ) from problem
    except ValueError as problem:  # a number too long to read, for one
        raise ValueError(_("The text is not valid JSON.")) from problem
    if not isinstance(parsed, list):
        raise ValueError(_("The criteria must be a list."))
    return parsed


CRITERION_FIELDS = (
    "key",
    "kind",
    "text_sv",
    "text_en",
    "source",
    "rule",
    "params",
    "checked_at_assessment",
    "discharge_reason",
)


def criteria_from_rows(data: Mapping[str, Any], *, count: int) -> list[dict[str, Any]]:
    """The criteria typed on the criteria page, one row per criterion, as typed.

    Row i's fields are named `c-<i>-<field>`; the last row (i == count) is the
    empty one for a new criterion, left out while nothing is written in it.
    A criterion is deleted only by ticking its "remove" box (`remove` is then
    True and the row kept, to show it again as ticked); a row without Swedish
    text is a problem, never a deletion. Each row's `problems` maps a field
    ("text_sv", "kind", "params") to its message in the user's language, {}
    when the row can be saved. A criterion keeps its key, rule and source
    (hidden fields); a new one gets a key from its text and is decided by the
    team. Checking the criteria as a whole is the service's.
    """
    from django.utils.text import slugify

    rows: list[dict[str, Any]] = []
    keys: set[str] = set()
    for i in range(count + 1):

        def field(name: str, i: int = i) -> str:
            return str(data.get(f"c-{i}-{name}", "")).strip()

        text_sv, text_en = field("text_sv"), field("text_en")
        is_new = i == count
        if is_new and not (text_sv or text_en):
            continue
        problems: dict[str, str] = {}
        if not text_sv:
            problems["text_sv"] = str(
                _("Write the criterion's text in Swedish.")
                if is_new
                else _(
                    "Write the criterion's text in Swedish, or tick “Remove this "
                    "criterion”."
                )
            )
        kind = field("kind")
        if kind not in CriterionKind.values:
            problems["kind"] = str(_("Choose the kind of criterion."))
        rule = field("rule") or None
        rule = rule if rule in RULES else None
        params: dict[str, object] = {}
        for name in RULES[rule].params if rule is not None else ():
            typed = field(f"param-{name}")
            try:
                params[name] = int(typed)
            except ValueError:
                params[name] = typed  # kept as typed, to show the form again
        if any(not isinstance(value, int) for value in params.values()):
            problems["params"] = str(_("Give a whole number for each value."))
        elif problem := params_problem(rule, params):
            problems["params"] = problem
        remove = bool(data.get(f"c-{i}-remove")) and not is_new
        key = field("key") or slugify(text_en or text_sv).replace("-", "_")
        key = key[:60] or "criterion"
        while key in keys:
            key += "_2"
        keys.add(key)
        rows.append(
            {
                "key": key,
                "kind": kind,
                "text_sv": text_sv,
                "text_en": text_en,
                "source": field("source"),
                "rule": rule,
                "params": params,
                "checked_at_assessment": bool(data.get(f"c-{i}-checked")),
                "discharge_reason": field("discharge_reason"),
                "remove": remove,
                "problems": {} if remove else problems,
            }
        )
    return rows


# --- The choices in the addresses of the pathway's pages ---------------------


def _this_year() -> int:
    return timezone.localdate().year


def _this_month() -> int:
    return timezone.localdate().month


class WaitingListQuery(PageQuery):
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=[(key, key) for key in SORTS], initial="days"
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ClockStatus.choices], initial=""
    )


class MonthQuery(QueryForm):
    year = forms.IntegerField(
        label=_("Year"), min_value=1901, max_value=9998, initial=_this_year
    )
    month = forms.IntegerField(
        label=_("Month"), min_value=1, max_value=12, initial=_this_month
    )

    def clean(self) -> dict[str, Any]:
        """A month of a year that cannot be shown is not shown either: both
        fall back to this month."""
        cleaned = super().clean() or {}
        if "year" in self.errors:
            cleaned.pop("month", None)
        return cleaned


class EndRehabilitationForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False)
    confirm_low_attendance = forms.BooleanField(required=False)


class RecordTemplateForm(forms.Form):
    """The fields of a profession's investigation record, one label per line."""

    labels = forms.CharField(label=_("Fields, one per line"), strip=False)

    def clean_labels(self) -> list[str]:
        labels = self.cleaned_data["labels"].splitlines()
        if not any(label.strip() for label in labels):
            raise forms.ValidationError(_("Give at least one field."))
        return labels


class InvestigationRecordForm(forms.Form):
    """The member's own profession's investigation record: a text per field of
    the record's template, and the version of the record the page showed."""

    version = forms.IntegerField(required=False, min_value=0, max_value=MAX_ID)

    def __init__(self, *args: Any, fields: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = [field["key"] for field in fields]
        for field in fields:
            self.fields[field["key"]] = forms.CharField(
                label=field["label"], required=False, strip=False
            )

    def typed_values(self) -> dict[str, str]:
        """Each field's text as typed (call after `is_valid`)."""
        return {key: self.cleaned_data.get(key, "") for key in self.keys}
