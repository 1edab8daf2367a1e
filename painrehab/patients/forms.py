from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.core.personnummer import PersonnummerError, parse_personnummer
from painrehab.patients.models import ADDRESS_FIELDS, Patient
from painrehab.patients.services import EDITABLE_FIELDS


class PatientForm(forms.ModelForm):
    """Contact details and needs; identity is fixed once registered."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Patient
        fields = EDITABLE_FIELDS
        widgets = {"registry_informed_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.has_protected_identity:
            # Protected identity: the stored address is neither shown nor
            # changed here; letters go through the Tax Agency.
            for name in ADDRESS_FIELDS:
                self.fields.pop(name, None)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("needs_interpreter") and not data.get("interpreter_language"):
            self.add_error(
                "interpreter_language",
                _("State which language the interpreter should speak."),
            )
        if not data.get("needs_interpreter"):
            data["interpreter_language"] = ""
        return data


class RegisterPatientForm(PatientForm):
    personnummer = forms.CharField(
        label=_("Personal identity number"),
        max_length=20,
        help_text=_("YYYYMMDD-NNNN. Coordination numbers are accepted."),
    )

    class Meta(PatientForm.Meta):
        fields = ["personnummer", *EDITABLE_FIELDS]

    def clean_personnummer(self) -> str:
        try:
            return parse_personnummer(self.cleaned_data["personnummer"]).number
        except PersonnummerError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by personal identity number or name"),
        required=False,
        max_length=100,
    )
