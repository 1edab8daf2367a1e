from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.outbox.models import ContactPreference, Message


class DayForm(forms.Form):
    day = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All"))] + list(Message.State.choices),
    )


class ContactPreferenceForm(forms.ModelForm):
    class Meta:
        model = ContactPreference
        fields = [
            "sms_consent",
            "email_consent",
            "mailbox_consent",
            "protected_identity",
        ]
