"""Form fields shared by the apps."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

MAX_ID = 2**63 - 1  # a 64-bit primary key
MAX_ID_DIGITS = len(str(MAX_ID))
MAX_PAGE = 1_000_000  # more pages than any list will have


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


class IdListField(forms.Field):
    """Ids sent as a list (one `name=` per row shown): whole numbers a key can
    hold, else the field's "not a valid value" message, before any query."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        # Django's own message (and its Swedish), as `IdsField` gives it.
        "invalid_pk_value": _("“%(pk)s” is not a valid value."),
    }

    def to_python(self, value: Any) -> list[int]:
        ids = []
        for text in value or []:
            number = positive_id(text)
            if number is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": _shortened(str(text), 30)},
                )
            ids.append(number)
        return ids


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


class QueryForm(forms.Form):
    """The choices in a page's address (`?page=2&sort=days`), read by a form.

    Every field is optional and its `initial` is the value the page uses when
    the address leaves it out or gives one that is not valid; a value that is
    not valid also gives a message in words (`problems`). So a page with a bad
    address still opens, with its usual choice and a note saying so. Read it
    with `read_query`.
    """

    def __init__(self, data: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for field in self.fields.values():
            field.required = False

    def values(self) -> dict[str, Any]:
        """The value of each field: as given when valid, else its initial value."""
        self.is_valid()
        values = {}
        for name, field in self.fields.items():
            value = None if name in self.errors else self.cleaned_data.get(name)
            if value in (None, "", []):
                value = field.initial() if callable(field.initial) else field.initial
            values[name] = value
        return values

    def problems(self) -> list[str]:
        """What could not be used, one message per field."""
        self.is_valid()
        return [
            _("The choice “%(field)s” could not be used: %(problem)s")
            % {
                "field": self.fields[name].label or name,
                "problem": _shortened(" ".join(str(m) for m in errors)),
            }
            for name, errors in self.errors.items()
            if name in self.fields
        ]


def _shortened(text: str, limit: int = 200) -> str:
    """A message that quotes what was typed, cut short when that was long."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_query(
    request: HttpRequest, form_class: type[QueryForm], **kwargs: Any
) -> dict[str, Any]:
    """The page's choices from `request.GET`; a bad one is told as a warning
    on the page and replaced by the page's usual choice."""
    form = form_class(request.GET, **kwargs)
    for problem in form.problems():
        messages.warning(request, problem)
    return form.values()


class _Sent(forms.Widget):
    """A button with a name of its own: pressed when its name was sent, with
    any value (a browser sends only the button that was pressed)."""

    def value_from_datadict(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> bool:
        return name in data

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> bool:
        return False


class ButtonForm(forms.Form):
    """Which of a page's buttons sent its form.

    The buttons of a form either share a name and differ by value
    (`name="go" value="back"`): give `name` and the values; or each has a
    name of its own (`name="finalise"`): give the names. A value that is not
    one of the page's buttons, or none at all, is `default`, the page's usual
    choice (the button Enter presses). Read it with `pressed`.
    """

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        buttons: Sequence[str],
        name: str | None = None,
        default: str = "",
    ) -> None:
        super().__init__(data)
        self.name, self.default = name, default
        if name is None:
            for button in buttons:
                self.fields[button] = forms.BooleanField(required=False, widget=_Sent())
        else:
            self.fields[name] = forms.ChoiceField(
                choices=[(button, button) for button in buttons], required=False
            )

    def pressed(self) -> str:
        if not self.is_valid():
            return self.default  # a value that is none of the buttons
        if self.name is not None:
            return self.cleaned_data[self.name] or self.default
        return next(
            (button for button in self.fields if self.cleaned_data[button]),
            self.default,
        )


def pressed(
    request: HttpRequest,
    buttons: Sequence[str],
    *,
    name: str | None = None,
    default: str = "",
) -> str:
    """The button of `buttons` that sent this POST, else `default` (see `ButtonForm`)."""
    return ButtonForm(
        request.POST, buttons=buttons, name=name, default=default
    ).pressed()


class PageQuery(QueryForm):
    """A page of a list; Django's paginator shows the last page for a number past it."""

    page = forms.IntegerField(
        label=_("Page"), min_value=1, max_value=MAX_PAGE, initial=1
    )


def chosen_filters(form: forms.Form) -> dict[str, str]:
    """A filter form's choices as address parameters, read from its cleaned
    data: what the list shown was filtered by (dates as ISO dates, empty
    choices left out). A form that is not valid filters nothing, so {}."""
    if not form.is_valid():
        return {}
    return {
        name: value.isoformat() if isinstance(value, date) else str(value)
        for name, value in form.cleaned_data.items()
        if value is not None and value != ""
    }


@dataclass(frozen=True)
class PageLinks:
    """The addresses of the pages before and after one page of a list; "" for none."""

    previous: str
    next: str


def page_links(page: Page, filters: Mapping[str, str]) -> PageLinks:
    """Links to the neighbouring pages of a filtered list, each keeping every
    filter (`chosen_filters`), so following one shows the same list further on."""

    def link(number: int) -> str:
        return "?" + urlencode({**filters, "page": number})

    return PageLinks(
        previous=link(page.previous_page_number()) if page.has_previous() else "",
        next=link(page.next_page_number()) if page.has_next() else "",
    )


class DayField(forms.DateField):
    """A date in the years a page can show (a list of a day, a week): a year
    like 9999 passes the date field but not the day after it (a server
    error)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, date) and not 1900 <= value.year <= 2999:
            raise ValidationError(_("Give a date between 1900 and 2999."))


class WeekQuery(QueryForm):
    """`?vecka=` a day of the week to show (its Monday); None: the usual week."""

    vecka = DayField(label=_("Week"), initial=None)
