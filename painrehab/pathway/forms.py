from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.pathway.models import Referral
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


class OpenEpisodeForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=Referral.Source.choices)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    referrer_name = forms.CharField(label=_("Referrer"), max_length=200, required=False)
    referrer_unit = forms.CharField(
        label=_("Referring unit"), max_length=200, required=False
    )
    reason = forms.CharField(
        label=_("Reason for referral"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, patient=None, today=None, **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.today = today

    def clean_received_on(self):  # noqa: ANN201
        received = self.cleaned_data["received_on"]
        if self.today and received > self.today:
            raise forms.ValidationError(_("The date received cannot be in the future."))
        if self.patient and received < self.patient.birth_date:
            raise forms.ValidationError(
                _("The date received is before the patient's birth.")
            )
        return received
