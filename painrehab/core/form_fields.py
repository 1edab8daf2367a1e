"""Typed access to a form's fields and data.

`form.fields[name]` is typed as a plain `Field`; a form that sets a choice
field's choices or a model field's queryset in `__init__` asks for it here.
A bound form's data is typed as a read-only mapping; a form shown again with
another version goes through `show_saved_version`.
"""

from typing import TypeVar

from django import forms
from django.http import QueryDict

FieldT = TypeVar("FieldT", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's field `name`; TypeError if it is not a `kind`."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def show_saved_version(form: forms.BaseForm, name: str, version: int) -> None:
    """The bound form shown again with the version someone else saved in
    between, so that saving again overwrites it knowingly."""
    if not isinstance(form.data, QueryDict):
        raise TypeError("the form is bound to a request's data")
    data = form.data.copy()
    data[name] = str(version)
    form.data = data
