"""Form fields shared by the apps."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

MAX_ID = 2**63 - 1  # a 64-bit primary key
MAX_ID_DIGITS = len(str(MAX_ID))


def positive_id(text: object) -> int | None:
    """`text` as a whole number a 64-bit key or version can hold, else None.

    For ids and versions read straight from a request: `int()` alone lets
    through numbers the database cannot bind (a server error) and raises on
    strings of over 4,300 digits.
    """
    text = str(text).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdsField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that refuses ids no row can have.

    Django's own field passes any digits to an `id__in` query, which SQLite
    cannot bind past 64 bits (OverflowError, a server error); here such an
    id gets the field's ordinary "not a valid value" message (digits are
    counted before `int()`, which refuses strings of over 4,300 digits).
    """

    def _check_values(self, value: Iterable[Any]) -> Any:
        for pk in value:
            text = str(pk)
            if positive_id(text) is None:
                shown = text if len(text) <= 30 else text[:30] + "…"
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": shown},
                )
        # django-stubs leave out this private method that Django 5.2 has.
        return super()._check_values(value)  # type: ignore[misc]


class ConfirmTimeForm(forms.Form):
    """A booking form that can be asked to confirm an unusual time (a weekend,
    a holiday, a staff member away): the box appears only when it is asked
    for, and everything typed stays in the form."""

    confirm_time = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def ask_to_confirm(self, message: StrOrPromise) -> None:
        field = self.fields.pop("confirm_time")
        self.fields["confirm_time"] = field  # shown last, beside the button
        field.widget = forms.CheckboxInput()
        field.label = _("Book anyway")
        # A bound field made during validation keeps the label it was made
        # with (the automatic, English "Confirm time"): make it again.
        # django-stubs leave out this private cache that Django 5.2 forms have.
        self._bound_fields_cache.pop("confirm_time", None)  # type: ignore[attr-defined]
        self.add_error(None, message)
