"""Form fields shared by the apps."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1  # a 64-bit primary key


class IdsField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that refuses ids no row can have.

    Django's own field passes any digits to an `id__in` query, which SQLite
    cannot bind past 64 bits (OverflowError, a server error); here such an
    id gets the field's ordinary "not a valid value" message.
    """

    def _check_values(self, value: Iterable[Any]) -> Any:
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and int(text) <= MAX_ID):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
