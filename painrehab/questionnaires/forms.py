from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painrehab.core.form_fields import field_of
from painrehab.core.forms import MAX_ID
from painrehab.questionnaires import eid
from painrehab.questionnaires.links import BirthDateField, Factor, ShortCodeField
from painrehab.questionnaires.models import FormSettings, SecondFactor, TimePoint
from painrehab.questionnaires.scoring import CODES, definition
from painrehab.questionnaires.selectors import NUMBER_INPUT_ABOVE, ItemView
from painrehab.questionnaires.services import parse_value


def read_item_answers(
    code: str, data: Mapping[str, Any], items: list[ItemView] | None = None
) -> tuple[dict[int, Any], dict[int, str]]:
    """Answers posted as `a<item number>` for one instrument, and a Swedish
    error per item whose value is not one of its options. Absent or empty
    fields are left out (unanswered)."""
    instrument = definition(code)
    answers: dict[int, Any] = {}
    errors: dict[int, str] = {}
    for item in instrument.items:
        raw = data.get(f"a{item.number}")
        if raw is None or str(raw).strip() == "":
            continue
        try:
            answers[item.number] = parse_value(item, str(raw))
        except ValueError:
            if not item.options:
                errors[item.number] = _(
                    "The answer is too long (at most 200 characters)."
                )
            elif len(item.options) > NUMBER_INPUT_ABOVE:
                values = [o.value for o in item.options]
                errors[item.number] = _(
                    "Write a whole number from %(low)s to %(high)s."
                ) % {
                    "low": min(values),
                    "high": max(values),
                }
            else:
                errors[item.number] = _("Choose one of the answers.")
    if items is not None:
        for view in items:
            view.error = errors.get(view.number, "")
            raw = data.get(f"a{view.number}")
            if raw is not None:
                view.value = str(raw).strip()
    return answers, errors


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
