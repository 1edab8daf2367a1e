from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.core.form_fields import field_of
from painrehab.core.personnummer import PersonnummerError, parse_personnummer


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

    def clean_patient(self) -> str:
        """The typed number in its 12-digit form; a number that cannot be a
        personnummer is refused with the rule it breaks."""
        typed = self.cleaned_data["patient"]
        if not typed:
            return ""
        try:
            return parse_personnummer(typed).number
        except PersonnummerError as error:
            raise forms.ValidationError(
                _("The personal identity number is not valid. %(reason)s"),
                code=error.code,
                params={"reason": error.message},
            ) from None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data
