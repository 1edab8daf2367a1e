"""Forms of the team pages: the shape of the input; the rules are in team.py."""

from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.permissions import Profession
from painrehab.accounts.team import Period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MembershipForm(forms.Form):
    """Profession, administrator flag and the days of access."""

    profession = forms.ChoiceField(label=_("Profession"), choices=Profession.choices)
    is_unit_admin = forms.BooleanField(
        label=_("Unit administrator (manages the team and reviews the access log)"),
        required=False,
    )
    valid_from = forms.DateField(label=_("Access from"), widget=DATE)
    valid_until = forms.DateField(
        label=_("Last day of access"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty for access until further notice."),
    )

    def __init__(self, *args: Any, begun: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if begun:
            self.fields["valid_from"].disabled = True
            self.fields["valid_from"].help_text = _(
                "Access has begun: its first day stays."
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error(
                "valid_until", _("The last day of access is before the first.")
            )
        return data

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["valid_from"], self.cleaned_data["valid_until"])


class StaffForm(MembershipForm):
    """A new staff member and their access to the unit."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and . @ + - _ only."),
    )
    email = forms.EmailField(label=_("E-mail"), max_length=254)

    field_order = ["first_name", "last_name", "username", "email"]


class ExistingUserForm(MembershipForm):
    """Access to the unit for someone who already has an account."""

    username = forms.CharField(label=_("User name"), max_length=150)

    field_order = ["username"]


class EndForm(forms.Form):
    last_day = forms.DateField(
        label=_("Last day of access"),
        widget=DATE,
        help_text=_("From the day after, the staff member no longer reaches the unit."),
    )
