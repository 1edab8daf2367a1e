from typing import Any

from django import forms
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from painrehab.core.forms import DayField, IdListField, QueryForm
from painrehab.outbox.models import ContactPreference, Message


class DayForm(forms.Form):
    """The day list's filter; it shows the day the list shows."""

    day = DayField(
        label=_("Day"),
        required=False,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        initial="",
        choices=[("", _("All"))] + list(Message.State.choices),
    )


class DayQuery(QueryForm, DayForm):
    """`?day=&state=` in the day list's address, read with `read_query`."""


class BackForm(forms.Form):
    """`next`: the page a button was on, a path on this site; anything else is left out."""

    next = forms.CharField(required=False)

    def __init__(self, *args: Any, host: str, https: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.host, self.https = host, https

    def clean_next(self) -> str:
        back = self.cleaned_data["next"]
        if back.startswith("/") and url_has_allowed_host_and_scheme(
            back, allowed_hosts={self.host}, require_https=self.https
        ):
            return back
        return ""


class PrintedForm(forms.Form):
    """The letters of the batch shown, confirmed as printed and posted."""

    letter = IdListField(required=False)


class DeliveryReportForm(forms.Form):
    """The SMS provider's delivery report (46elks `whendelivered`)."""

    id = forms.CharField()
    status = forms.ChoiceField(choices=[("delivered", ""), ("failed", "")])

    def clean_id(self) -> str:
        return self.cleaned_data["id"][:100]


class ContactPreferenceForm(forms.ModelForm):
    class Meta:
        model = ContactPreference
        fields = [
            "sms_consent",
            "email_consent",
            "mailbox_consent",
            "protected_identity",
        ]
