"""The staff login forms: the password, then the second factor's code."""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.lockout import (
    AccountDelayed,
    begin_attempt,
    note_address_lock,
    note_failed_login,
    note_refused_login,
    withdraw_attempt,
)
from painrehab.accounts.models import User
from painrehab.core.form_fields import field_of

ACCOUNT_DELAYED = "account_delayed"


class LoginForm(AuthenticationForm):
    """Django's login form, with the user name's length checked before a login
    is tried: its own form sets the length after the field's validators are
    made, so a name of 100,000 characters reached the lockout's 255-character
    column (a server error on PostgreSQL, found by the fuzz run).

    In front of the password check sits the per-account delay: while it runs
    no password is checked, the right one included; each wrong password
    counts towards it (accounts/lockout.py).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        longest = get_user_model()._meta.get_field("username").max_length or 150
        self.fields["username"].validators.append(MaxLengthValidator(longest))

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if not username:
            return super().clean()
        # A try refused by axes' lock at this address is never checked.
        checked = not AxesProxyHandler.is_locked(
            self.request, credentials={"username": username}
        )
        try:
            attempt = begin_attempt(username)
        except AccountDelayed as delayed:
            note_refused_login(
                username, user=self._known(username), until=delayed.until
            )
            raise ValidationError(delayed.message, code=ACCOUNT_DELAYED) from None
        try:
            cleaned = super().clean()
        except ValidationError as error:
            user = self._known(username)
            if checked and error.code == "invalid_login":
                note_failed_login(username, user=user, what="wrong password")
            else:
                withdraw_attempt(attempt)
            if getattr(self.request, "axes_locked_out", False):
                note_address_lock(username, user=user, now_locked=checked)
            raise
        withdraw_attempt(attempt)
        return cleaned

    @staticmethod
    def _known(username: str) -> User | None:
        return get_user_model().objects.filter(username=username).first()


class CodeInput(forms.TextInput):
    """A code field that is empty again after an error: a code is a secret."""

    def format_value(self, value: Any) -> str | None:  # noqa: ARG002
        return None


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=CodeInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class ProviderAnswerForm(forms.Form):
    """The identity provider's `?error=` on a sign-on that came back refused."""

    error = forms.CharField(required=False)


class SwitchUnitForm(forms.Form):
    """The unit to work in: one of the user's own units."""

    unit = forms.TypedChoiceField(coerce=int)

    def __init__(self, *args: Any, unit_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "unit", forms.TypedChoiceField).choices = [
            (unit_id, unit_id) for unit_id in unit_ids
        ]
