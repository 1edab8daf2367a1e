"""A form's own copy of a declared field, typed as the kind it was declared as.

`form.fields[name]` is typed as a plain `Field`; a form that sets a choice
field's choices or a model field's queryset in `__init__` asks for it here.
"""

from typing import TypeVar

from django import forms

FieldT = TypeVar("FieldT", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's field `name`; TypeError if it is not a `kind`."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field
