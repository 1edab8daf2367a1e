from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.documents.models import LetterDispatch, LetterKind


class LetterForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    recipient_name = forms.CharField(label=_("Recipient"), max_length=200)
    recipient_address = forms.CharField(
        label=_("Address"), widget=forms.Textarea(attrs={"rows": 3})
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    signature = forms.CharField(
        label=_("Signature"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NewLetterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Letter"),
        # The absence warning is here too, for individual rehabilitation; from
        # a programme group's page it also names the sessions missed.
        choices=LetterKind.choices,
    )
    employer_name = forms.CharField(
        label=_("Employer (for the letter to the employer)"),
        required=False,
        max_length=200,
    )
    employer_address = forms.CharField(
        label=_("Employer's postal address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DispatchForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Sent by"), choices=LetterDispatch.Channel.choices
    )


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 16}))
