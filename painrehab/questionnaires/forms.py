from collections.abc import Iterable, Mapping
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painrehab.core.form_fields import field_of
from painrehab.core.forms import MAX_ID
from painrehab.questionnaires import eid
from painrehab.questionnaires.definitions.schema import Item
from painrehab.questionnaires.links import BirthDateField, Factor, ShortCodeField
from painrehab.questionnaires.models import FormSettings, SecondFactor, TimePoint
from painrehab.questionnaires.scoring import CODES, definition
from painrehab.questionnaires.selectors import NUMBER_INPUT_ABOVE, ItemView
from painrehab.questionnaires.services import parse_value


class AnswerField(forms.Field):
    """One item's answer: one of its options (a long number scale is typed as
    a number), or free text of at most 200 characters. Empty: unanswered."""

    def __init__(self, item: Item, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.item = item

    def to_python(self, value: Any) -> Any:
        if value is None or str(value).strip() == "":
            return None
        try:
            return parse_value(self.item, str(value))
        except ValueError:
            raise ValidationError(self._problem(), code="invalid") from None

    def _problem(self) -> str:
        options = self.item.options
        if not options:
            return _("The answer is too long (at most 200 characters).")
        if len(options) > NUMBER_INPUT_ABOVE:
            values = [o.value for o in options]
            return _("Write a whole number from %(low)s to %(high)s.") % {
                "low": min(values),
                "high": max(values),
            }
        return _("Choose one of the answers.")


class AnswersForm(forms.Form):
    """The answers posted for one instrument: a field `a<item number>` per
    item, built from the instrument's items. An answer that is not one of its
    item's options gets a Swedish message and stays as typed (`show_on`);
    the others can be saved (`answers`)."""

    def __init__(self, data: Mapping[str, Any], *, code: str) -> None:
        super().__init__(data)
        for item in definition(code).items:
            self.fields[f"a{item.number}"] = AnswerField(item)

    def answers(self) -> dict[int, Any]:
        """The items answered with a valid answer, by item number."""
        self.is_valid()
        return {
            field.item.number: self.cleaned_data[name]
            for name, field in self._answer_fields()
            if self.cleaned_data.get(name) is not None
        }

    def problems(self) -> dict[int, str]:
        """A Swedish message per item whose answer is not one of its options."""
        self.is_valid()
        return {
            field.item.number: " ".join(str(m) for m in self.errors[name])
            for name, field in self._answer_fields()
            if name in self.errors
        }

    def show_on(self, items: list[ItemView]) -> None:
        """The page's questions with what was typed and each one's message."""
        problems = self.problems()
        for view in items:
            view.error = problems.get(view.number, "")
            name = f"a{view.number}"
            raw = self[name].data if name in self.fields else None
            if raw is not None:
                view.value = str(raw).strip()

    def _answer_fields(self) -> list[tuple[str, AnswerField]]:
        return [
            (name, field)
            for name, field in self.fields.items()
            if isinstance(field, AnswerField)
        ]


class InstrumentQuery(forms.Form):
    """`?instrument=` the instrument a page is for, one of `codes`."""

    instrument = forms.ChoiceField()

    def __init__(self, *args: Any, codes: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "instrument", forms.ChoiceField).choices = [
            (code, code) for code in codes
        ]


class FormKeyForm(forms.Form):
    """The key of the patient's form session, sent with each of its posts."""

    form_key = forms.CharField(required=False)


class EidAnswerForm(forms.Form):
    """The e-ID broker's answer in the return address (OpenID Connect)."""

    state = forms.CharField(required=False)
    code = forms.CharField(required=False)
    error = forms.CharField(required=False)

    def params(self) -> dict[str, str]:
        """The values the broker gave (none when they cannot be read)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class PageNumberForm(forms.Form):
    """`?sida=` the page of the patient's form to show or save."""

    sida = forms.IntegerField()


class SubmitForm(forms.Form):
    """The version of the request the patient's last page showed."""

    version = forms.IntegerField(min_value=0, max_value=MAX_ID)


class FactorForm(forms.Form):
    """The second factor a link asks for; the field comes from the factor."""

    def __init__(self, factor: Factor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"] = factor.field()


class ShortCodeForm(forms.Form):
    code = ShortCodeField()
    birth_date = BirthDateField()


class SendPackageForm(forms.Form):
    time_point = forms.ChoiceField(label=gettext_lazy("Time point"))

    def __init__(
        self, *args: Any, time_points: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "time_point", forms.ChoiceField).choices = time_points


class StaffEntryForm(forms.Form):
    answered_on = forms.DateField(
        label=gettext_lazy("Answered on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )


class StaffRatingForm(forms.Form):
    time_point = forms.ChoiceField(
        label=gettext_lazy("Time point"), choices=TimePoint.choices
    )
    answered_on = forms.DateField(
        label=gettext_lazy("Rated on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )


class FormSettingsForm(forms.ModelForm):
    class Meta:
        model = FormSettings
        fields = ["second_factor", "expiry_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not eid.is_available():  # no e-ID broker configured on this server
            field = field_of(self, "second_factor", forms.ChoiceField)
            # Read back, a ChoiceField's choices are a normalised list of pairs.
            pairs = cast(list[tuple[str, str]], field.choices)
            field.choices = [c for c in pairs if c[0] != SecondFactor.EID]


class PackagesForm(forms.Form):
    """One multiple choice of instruments per time point."""

    def __init__(
        self, *args: Any, packages: dict[str, list[str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(code, definition(code).title) for code in CODES]
        for time_point in TimePoint:
            self.fields[time_point.value] = forms.MultipleChoiceField(
                label=time_point.label,
                choices=choices,
                required=False,
                initial=packages.get(time_point.value, []),
                widget=forms.CheckboxSelectMultiple,
            )


class WordingFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Wording file"),
        help_text=gettext_lazy(
            "A text file filled in from the template above, saved as UTF-8."
        ),
    )
