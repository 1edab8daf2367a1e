from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    user = forms.ChoiceField(label=_("User"), required=False)
    patient = forms.CharField(
        label=_("Patient (personal identity number)"), required=False, max_length=20
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, users=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("All users")), *users]

    def clean(self):  # noqa: ANN201
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data
