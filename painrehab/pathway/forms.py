from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.permissions import Profession
from painrehab.pathway.models import Booking, NewVisitRecord, Referral, TriageDecision
from painrehab.pathway.states import DischargeReason, State


class MoveEpisodeForm(forms.Form):
    to = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    discharge_reason = forms.ChoiceField(
        label=_("Discharge reason"),
        choices=[("", "—"), *DischargeReason.choices],
        required=False,
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

    def __init__(self, *args, birth_date=None, **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.birth_date = birth_date
        self.fields["sick_leave"].required = False
        self.fields["source"].initial = Referral.Source.REFERRAL
        self.fields["source"].choices = Referral.Source.choices

    def clean_sick_leave(self) -> str:
        return self.cleaned_data.get("sick_leave") or Referral.SickLeave.UNKNOWN

    def clean_received_on(self):  # noqa: ANN201
        from django.utils import timezone

        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."))
        if self.birth_date and received < self.birth_date:
            raise forms.ValidationError(
                _("The date received is before the patient's birth.")
            )
        return received

    def clean(self):  # noqa: ANN201
        data = super().clean()
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
        if data.get("source") == Referral.Source.REFERRAL and not data.get(
            "referrer_name"
        ):
            self.add_error("referrer_name", _("Name the referrer."))
        return data


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
        from painrehab.core.personnummer import PersonnummerError, parse_personnummer

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

    def clean(self):  # noqa: ANN201
        data = super().clean()
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


class BookingForm(forms.Form):
    day = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=480, initial=60
    )
    physician = forms.ModelChoiceField(label=_("Physician"), queryset=None)
    second_staff = forms.ModelChoiceField(
        label=_("Screening staff member"), queryset=None, required=False
    )
    mode = forms.ChoiceField(
        label=_("On site or video"), choices=Booking.Mode.choices[:2]
    )

    def __init__(self, *args, unit_id, screening="", **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        from painrehab.accounts.models import User

        members = User.objects.filter(memberships__unit_id=unit_id).order_by(
            "last_name", "first_name"
        )
        self.fields["physician"].queryset = members.filter(
            memberships__profession=Profession.PHYSICIAN
        )
        if screening:
            self.fields["second_staff"].queryset = members.filter(
                memberships__profession=screening
            )
            self.fields["second_staff"].required = True
            self.fields["second_staff"].label = _("Screening: %(profession)s") % {
                "profession": Profession(screening).label
            }
        else:
            del self.fields["second_staff"]


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

    def clean(self):  # noqa: ANN201
        data = super().clean()
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

    def clean(self):  # noqa: ANN201
        data = super().clean()
        if data.get("outcome") == NewVisitRecord.Outcome.OTHER and not data.get(
            "other_action"
        ):
            self.add_error("other_action", _("Describe the other action."))
        return data
