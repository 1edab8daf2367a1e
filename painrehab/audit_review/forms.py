from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.core.form_fields import field_of


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

    def __init__(
        self, *args: Any, users: Iterable[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "user", forms.ChoiceField).choices = [
            ("", _("All users")),
            *users,
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data
