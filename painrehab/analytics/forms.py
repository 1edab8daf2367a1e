"""The choices in the addresses of the statistics pages, read by small forms
(core.forms.QueryForm): a value that is not valid gives the usual choice and
a message on the page."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.core.forms import MAX_ID, QueryForm
from painrehab.questionnaires.models import TimePoint

MIN_YEAR, MAX_YEAR = 1900, 2999
TRACK_LABELS = {
    "group_programme": _("Group programme"),
    "individual": _("Individual rehabilitation"),
}
REGISTRY_TIME_POINTS = [
    TimePoint.REGISTRY_BEFORE,
    TimePoint.REGISTRY_END,
    TimePoint.REGISTRY_12_MONTHS,
]


class FormatQuery(QueryForm):
    """`?format=` a table to download instead of the page: Excel when asked
    for, else CSV for any other value (a download asked for is a download)."""

    format = forms.CharField(label=_("Format"), initial="")

    def clean_format(self) -> str:
        asked = self.cleaned_data["format"]
        if not asked:
            return ""
        return "xlsx" if asked == "xlsx" else "csv"


class YearQuery(FormatQuery):
    year = forms.IntegerField(
        label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR, initial=None
    )


class PeriodQuery(YearQuery):
    """`?from=&to=` a period (both needed), else `?year=`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two are added here
        self.fields["from"] = forms.DateField(label=_("From"), required=False)
        self.fields["to"] = forms.DateField(label=_("To"), required=False)


class OutcomeQuery(YearQuery):
    series = forms.ChoiceField(
        label=_("Series"),
        choices=[("registry", "registry"), ("krt", "krt")],
        initial="registry",
    )
    track = forms.ChoiceField(
        label=_("Track"), choices=[("", ""), *TRACK_LABELS.items()], initial=""
    )
    cohort = forms.IntegerField(
        label=_("Cohort"), min_value=1, max_value=MAX_ID, initial=None
    )
    template = forms.IntegerField(
        label=_("Programme template"), min_value=1, max_value=MAX_ID, initial=None
    )
    table = forms.ChoiceField(
        label=_("Table"), choices=[("", ""), ("sick_leave", "sick_leave")], initial=""
    )


class RegistryQuery(FormatQuery):
    time_point = forms.ChoiceField(
        label=_("Time point"),
        choices=[("", ""), *((tp.value, tp.label) for tp in REGISTRY_TIME_POINTS)],
        initial="",
    )
    pseudonymise = forms.ChoiceField(
        label=_("Pseudonymised (no personnummer)"),
        choices=[("", ""), ("1", "1")],
        initial="",
    )
